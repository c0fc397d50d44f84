import type { CompatResult, CompatScenario } from './compat-runner.mjs';
export function listFeatureFiles(root: string): string[];
export function loadScenarios(root: string): CompatScenario[];
export function compileExpression(expression: string): {
  regex: RegExp;
  parsers: Array<(text: string) => unknown>;
};
export class StepRegistry {
  // biome-ignore lint/suspicious/noExplicitAny: step functions take the world and parsed parameters
  define(pattern: string | RegExp, fn: (...args: any[]) => unknown): void;
  find(text: string): { step: unknown; args: unknown[] };
}
export class UndefinedStepError extends Error {}
export function runScenario(
  scenario: CompatScenario | undefined,
  registry: StepRegistry,
  makeWorld: (scenario: CompatScenario) => object,
): Promise<CompatResult>;
