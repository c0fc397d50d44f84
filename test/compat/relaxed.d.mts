export const RELAXED_MISMATCHES: Record<string, { code: string; path?: string }>;
export const RELAXED_PATHS: Record<string, string>;
export const VERIFICATION_ERRORS: Record<string, unknown>;
export const KNOWN_FAILURES: Record<string, string>;
export function assertMismatch(
  mismatches: Array<{ category: string; code: string; path: string; message: string }>,
  expected: { category?: string; path?: string; message: string },
): 'exact' | 'relaxed';
