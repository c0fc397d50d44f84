export interface CompatStep {
  keyword: string;
  text: string;
  dataTable?: string[][];
  docString?: string;
}
export interface CompatScenario {
  id: string;
  feature: string;
  name: string;
  uri: string;
  tags: string[];
  steps: CompatStep[];
}
export interface CompatResult {
  id: string;
  ok: boolean;
  failedStep?: string;
  error?: unknown;
}
export const featuresRoot: string;
export function isWip(scenario: CompatScenario): boolean;
export function compatRegistry(): unknown;
export function compatScenarios(): CompatScenario[];
export function runCompatScenario(scenario: CompatScenario, registry?: unknown): Promise<CompatResult>;
export function runCompatSuite(): Promise<{
  total: number;
  passed: number;
  failed: string[];
  skipped: string[];
  byVersion: Record<string, { total: number; passed: number }>;
  results: Array<CompatResult & { version: string }>;
}>;
