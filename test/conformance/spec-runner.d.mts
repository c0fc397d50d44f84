export const repoRoot: string;
export const sharedRoot: string;
export const specRoot: string;
export const variantsRoot: string;
export interface SpecCase {
  id: string;
  version: string;
  kind: string;
  file: string;
}
export function listSpecCases(root?: string): SpecCase[];
export function runSpecCase(testCase: SpecCase): unknown;
export function loadDisputed(): Record<string, string>;
export function runAllSpecCases(): {
  total: number;
  passed: number;
  failed: string[];
  unexpectedFailures: string[];
  results: Array<{ id: string; error?: string; expectedMatch?: boolean; actualMatch?: boolean }>;
};
