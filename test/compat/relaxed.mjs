// The ONE place where the compatibility suite's assertions on the reference implementation's
// wording are relaxed. A step that expects an exact mismatch sentence first looks for that
// sentence; where Covenant words it differently, the step instead requires a mismatch with the
// same meaning: the stable code (and the path, where the step names one) from core's Mismatch.
// Nothing else is relaxed. Why each entry differs is in docs/decisions/0005-compat-suite.md.

/** Exact reference wording → the Covenant mismatch that means the same. */
export const RELAXED_MISMATCHES = {};

/**
 * The verifier's error headings ("Body had differences") → which mismatches they stand for.
 * Covenant reports mismatches as data, so these match on the category, or on the error text
 * for a failure that is not a mismatch.
 */
export const VERIFICATION_ERRORS = {
  'Response status did not match': { category: 'status' },
  'Headers had differences': { category: 'header' },
  'Body had differences': { categories: ['body', 'body-content-type'] },
  'Metadata had differences': { category: 'metadata' },
  'State change request failed': { error: /state/i },
};

function describe(mismatches) {
  return (
    mismatches.map((m) => `  [${m.category}/${m.code}] ${m.path}: ${m.message}`).join('\n') || '  (none)'
  );
}

/**
 * Passes when `mismatches` hold one with `message` (in `category` and at `path` when given), or,
 * for a relaxed sentence, one with the relaxed code and path. Throws with what was there.
 */
export function assertMismatch(mismatches, { category, path, message }) {
  const inScope = mismatches.filter(
    (m) => (category === undefined || m.category === category) && (path === undefined || m.path === path),
  );
  if (inScope.some((m) => m.message === message)) return 'exact';
  const relaxed = RELAXED_MISMATCHES[message];
  if (relaxed) {
    const wantedPath = relaxed.path ?? path;
    const ok = mismatches.some(
      (m) =>
        (category === undefined || m.category === category) &&
        m.code === relaxed.code &&
        (wantedPath === undefined || m.path === wantedPath),
    );
    if (ok) return 'relaxed';
  }
  throw new Error(
    `expected a mismatch${category ? ` of category '${category}'` : ''}${path !== undefined ? ` at '${path}'` : ''} saying "${message}"${relaxed ? ` (or code ${relaxed.code})` : ''}; got:\n${describe(mismatches)}`,
  );
}
