import { type MediaType, parseMediaType } from '../model/content-type.js';
import type { RuleCategory } from '../model/matching-rules.js';
import type { Headers } from '../model/types.js';
import type { Mismatch } from './mismatch.js';
import { applyRuleList } from './rules.js';
import { rulesForName } from './select.js';

const MEDIA_TYPE_HEADERS = new Set(['content-type', 'accept']);

function splitValues(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v, _i, all) => v !== '' || all.length === 1);
}

function findHeader(headers: Headers | undefined, name: string): string[] | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lower) return headers[key];
  return undefined;
}

function mediaTypeMatches(expected: MediaType, actual: MediaType): boolean {
  if (expected.essence !== actual.essence) return false;
  for (const [name, value] of Object.entries(expected.parameters)) {
    // a multipart boundary is chosen afresh by every client: it is not part of the contract
    if (name === 'boundary' && expected.type === 'multipart') continue;
    const other = actual.parameters[name];
    if (other === undefined) return false;
    if (other.toLowerCase() !== value.toLowerCase()) return false;
  }
  return true;
}

function headerValueMatches(name: string, expected: string, actual: string): boolean {
  if (expected === actual) return true;
  if (MEDIA_TYPE_HEADERS.has(name.toLowerCase())) {
    const e = parseMediaType(expected);
    const a = parseMediaType(actual);
    if (e && a) return mediaTypeMatches(e, a);
  }
  return expected === actual;
}

function headerValuesMatch(name: string, expected: string[], actual: string[]): boolean {
  if (expected.length === actual.length && expected.every((v, i) => v === actual[i])) return true;
  const e = splitValues(expected);
  const a = splitValues(actual);
  if (e.length === a.length && e.every((v, i) => headerValueMatches(name, v, a[i]!))) return true;
  // a single media type may itself contain commas inside a quoted parameter
  return headerValueMatches(name, expected.join(', '), actual.join(', '));
}

/**
 * Compares headers: names ignore case, extra actual headers are fine, values compare after
 * splitting on commas and trimming; Content-Type and Accept compare as media types (extra actual
 * parameters allowed, parameter values ignore case). A rule on a header applies to its whole value,
 * or, when that fails and the value is a comma-separated list, to each value of the list.
 */
export function compareHeaders(
  expected: Headers | undefined,
  actual: Headers | undefined,
  rules: RuleCategory | undefined,
): Mismatch[] {
  const out: Mismatch[] = [];
  if (!expected) return out;
  for (const [name, expectedValues] of Object.entries(expected)) {
    const actualValues = findHeader(actual, name);
    if (actualValues === undefined) {
      out.push({
        category: 'header',
        code: 'HEADER_MISSING',
        path: name,
        expected: expectedValues.join(', '),
        message: `Expected a header '${name}' but was missing`,
      });
      continue;
    }
    const rule = rulesForName(rules, name, true);
    if (rule) {
      let pairs: Array<[string, string]> =
        expectedValues.length > 1 && actualValues.length > 1
          ? actualValues.map((v, i) => [expectedValues[i] ?? expectedValues[0]!, v])
          : [[expectedValues.join(', '), actualValues.join(', ')]];
      // A repeated header reaches a server joined with commas ('1000, 1234'): when the rule
      // rejects the joined value, it must hold for each value instead (as Pact's reference does).
      const [whole] = pairs;
      const parts = splitValues(actualValues);
      if (pairs.length === 1 && whole && parts.length > 1) {
        if (applyRuleList(rule, whole[0], whole[1], false, 'string').length > 0)
          pairs = parts.map((v) => [whole[0], v]);
      }
      for (const [e, a] of pairs) {
        for (const failure of applyRuleList(rule, e, a, false, 'string')) {
          out.push({
            category: 'header',
            code: failure.invalid ? 'RULE_INVALID' : 'RULE_FAILED',
            path: name,
            expected: e,
            actual: a,
            rule: failure.rule,
            message: `Mismatch with header '${name}': ${failure.message}`,
          });
        }
      }
      continue;
    }
    if (!headerValuesMatch(name, expectedValues, actualValues)) {
      out.push({
        category: 'header',
        code: 'HEADER_MISMATCH',
        path: name,
        expected: expectedValues.join(', '),
        actual: actualValues.join(', '),
        message: `Mismatch with header '${name}': Expected '${expectedValues.join(', ')}' but received '${actualValues.join(', ')}'`,
      });
    }
  }
  return out;
}
