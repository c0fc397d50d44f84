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
/** Core's outcome of matching a case's actual against its expected, by the case's kind and version. */
export function matchSpecCase(
  testCase: Pick<SpecCase, 'kind' | 'version'>,
  expected: unknown,
  actual: unknown,
): { ok: boolean; mismatches: unknown[] };
export function runSpecCase(testCase: SpecCase): unknown;
export function loadDisputed(): Record<string, string>;
export function runAllSpecCases(): {
  total: number;
  passed: number;
  failed: string[];
  unexpectedFailures: string[];
  results: Array<{ id: string; error?: string; expectedMatch?: boolean; actualMatch?: boolean }>;
};
