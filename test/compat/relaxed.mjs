// The ONE place where the compatibility suite's assertions on the reference implementation's
// wording are relaxed. A step that expects an exact mismatch sentence first looks for that
// sentence; where Covenant words it differently, the step instead requires a mismatch with the
// same meaning: the stable code (and the path, where the step names one) from core's Mismatch.
// Nothing else is relaxed. Why each entry differs is in docs/decisions/0005-compat-suite.md.

/** Exact reference wording → the Covenant mismatch that means the same. */
export const RELAXED_MISMATCHES = {
  // --- HTTP consumer (V1, V2): the same finding, Covenant's sentence ---
  "Expected 'c' (String) to be equal to 'b' (String)": { code: 'VALUE_MISMATCH', path: '$.two' },
  'Expected child <two/> but was missing': { code: 'LENGTH_MISMATCH', path: '$.values.two' },
  "Expected form post parameter 'c' with value '3' but was '33'": { code: 'VALUE_MISMATCH', path: '$.c[0]' },
  // The reference compares a multipart body as opaque bytes; Covenant compares it part by part
  // and names the part that differs.
  'Actual body [application/octet-stream, 50 bytes, starting with 7b0a2020202022626f6479223a2022546869732069732074686520626f647920] is not equal to the expected body [application/octet-stream, 97 bytes, starting with 3c68746d6c3e0a20203c686561643e0a20203c2f686561643e0a20203c626f64]':
    { code: 'BODY_MISMATCH', path: '$.part1' },
  // Covenant adds which query parameter or header the rule failed on.
  "Expected '9999X' to match '\\d{1,4}'": { code: 'RULE_FAILED', path: 'a' },
  "Expected '9999ABC' to match '\\d{1,4}'": { code: 'RULE_FAILED', path: 'X-Test' },
  // --- V3 header matching: the reference prints its media-type regex, Covenant the values ---
  "Expected header 'content-type' to have value 'application/json;\\s*charset=UTF-8' but was 'application/json'":
    { code: 'HEADER_MISMATCH', path: 'content-type' },
  "Expected header 'content-type' to have value 'application/json;\\s*charset=UTF-16' but was 'application/json;\\s*charset=UTF-8'":
    { code: 'HEADER_MISMATCH', path: 'content-type' },
  // --- V3/V4 matching rules ---
  'Expected [1, 2, 3, 4, 5] (size 5) to have maximum size of 4': {
    code: 'RULE_FAILED',
    path: '$.two[0].ids',
  },
  'Expected [] (Array) to be an integer': { code: 'RULE_FAILED', path: '$.one' },
  'Expected 100.1 (Decimal) to be an integer': { code: 'RULE_FAILED', path: '$.one' },
  "Expected '100X01' (String) to be an integer": { code: 'RULE_FAILED', path: '$.one' },
  "Expected '100' (String) to be an integer": { code: 'RULE_FAILED', path: '$.one' },
  "Expected '23/07/19' to match a date pattern of 'yyyy-MM-dd'": { code: 'RULE_FAILED', path: '$.one' },
  "Expected '' (String) to match a boolean": { code: 'RULE_FAILED', path: '$.one' },
  // Covenant treats an empty body as no body: the same finding, as BODY_MISSING.
  'Expected [] (0 bytes) to not be empty': { code: 'BODY_MISSING', path: '$' },
  // Covenant writes a key that is not an identifier as $['100'] (the reference: $[100]).
  "Expected '100' to match '[a-z]+": { code: 'RULE_FAILED' },
  // The reference prints the variant with its keys sorted; Covenant as written in the pact.
  'Variant at index 1 ({"href":"http://api.x.io/orders/42/items","method":"DELETE","name":"delete-item","title":"Delete Item"}) was not found in the actual list':
    { code: 'RULE_FAILED', path: '$.actions' },
};

/** Paths the reference writes differently from core (the key `100` of a map, for one). */
export const RELAXED_PATHS = { '$[100]': "$['100']" };

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
    const wantedPath = relaxed.path ?? (path !== undefined ? (RELAXED_PATHS[path] ?? path) : undefined);
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

/**
 * Scenarios that fail today, each with what Covenant does differently. Nothing is relaxed for
 * them: they run, count as failed in `npm run conformance`, and the Vitest suite expects them to
 * fail (so it notices the day one starts passing and must come off this list).
 */
export const KNOWN_FAILURES = {};
