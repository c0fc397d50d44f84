import type { MatchingRule } from '../model/matching-rules.js';

/** Which part of a request, response or message a mismatch is about. */
export type MismatchCategory =
  | 'method'
  | 'path'
  | 'query'
  | 'header'
  | 'body'
  | 'body-content-type'
  | 'status'
  | 'metadata';

/**
 * Stable mismatch codes. Tools branch on these, never on message wording.
 * - `*_MISMATCH`: a value differs; `*_MISSING`: expected but absent; `*_UNEXPECTED`: present but not expected.
 * - `RULE_FAILED`: a matching rule (regex, type, integer…) rejected the value; the rule is attached.
 */
export type MismatchCode =
  | 'METHOD_MISMATCH'
  | 'PATH_MISMATCH'
  | 'STATUS_MISMATCH'
  | 'QUERY_MISSING'
  | 'QUERY_UNEXPECTED'
  | 'QUERY_MISMATCH'
  | 'HEADER_MISSING'
  | 'HEADER_MISMATCH'
  | 'METADATA_MISSING'
  | 'METADATA_MISMATCH'
  | 'BODY_CONTENT_TYPE_MISMATCH'
  | 'BODY_MISSING'
  | 'BODY_UNEXPECTED'
  | 'BODY_UNPARSEABLE'
  | 'BODY_MISMATCH'
  | 'VALUE_MISMATCH'
  | 'TYPE_MISMATCH'
  | 'KEY_MISSING'
  | 'KEY_UNEXPECTED'
  | 'LENGTH_MISMATCH'
  | 'RULE_FAILED'
  | 'RULE_INVALID';

/**
 * One difference between what a pact expects and what actually happened: data, not text.
 * `message` is a ready sentence; renderers may build their own from the other fields.
 */
export interface Mismatch {
  category: MismatchCategory;
  code: MismatchCode;
  /** Where: a JSON path for bodies (`$.items[0].id`), the name for headers, query and metadata. */
  path: string;
  expected?: unknown;
  actual?: unknown;
  /** The rule that failed, for `RULE_FAILED`. */
  rule?: MatchingRule;
  message: string;
}

/** The result of a match: no mismatches means the actual value satisfies the expectation. */
export interface MatchResult {
  ok: boolean;
  mismatches: Mismatch[];
}

export function result(mismatches: Mismatch[]): MatchResult {
  return { ok: mismatches.length === 0, mismatches };
}
