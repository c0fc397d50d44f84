import { isJsonObject, type JsonObject, type JsonValue, jsonEquals } from '../json/value.js';
import { isContentTypeKey } from '../model/content-type.js';
import type { RuleCategory } from '../model/matching-rules.js';
import { parseQueryString } from '../model/query.js';
import type { HttpRequest, HttpResponse, MessageContents } from '../model/types.js';
import { compareBody } from './body.js';
import { show } from './describe.js';
import { compareHeaders } from './headers.js';
import { type MatchResult, type Mismatch, result } from './mismatch.js';
import { compareNamedValues } from './named-values.js';
import { applyRuleList } from './rules.js';
import { rulesForName, selectRules } from './select.js';

/** The actual side of a comparison only needs the parts that were observed. */
export type ActualRequest = Pick<HttpRequest, 'method' | 'path' | 'query' | 'headers' | 'body'> & {
  rawQuery?: string;
};
export type ActualResponse = Pick<HttpResponse, 'status' | 'headers' | 'body'>;
export type ActualMessage = Pick<MessageContents, 'contents' | 'metadata'>;

function single(category: RuleCategory | undefined) {
  const selected = selectRules(category, []);
  return selected?.list;
}

function ruleMismatches(
  category: Mismatch['category'],
  path: string,
  list: ReturnType<typeof single>,
  expected: JsonValue,
  actual: JsonValue,
  origin: 'json' | 'string',
): Mismatch[] | undefined {
  if (!list) return undefined;
  return applyRuleList(list, expected, actual, false, origin).map((f) => ({
    category,
    code: f.invalid ? 'RULE_INVALID' : 'RULE_FAILED',
    path,
    expected,
    actual,
    rule: f.rule,
    message: f.message,
  }));
}

/**
 * Matches an actual request against an expected one, strictly: method, path, query,
 * headers and body must all satisfy the expectation and its rules; unexpected query
 * parameters and body keys fail.
 *
 * @example
 * const { ok, mismatches } = matchRequest(interaction.request, received);
 */
export function matchRequest(expected: HttpRequest, actual: ActualRequest): MatchResult {
  const out: Mismatch[] = [];
  if (expected.method.toUpperCase() !== actual.method.toUpperCase()) {
    out.push({
      category: 'method',
      code: 'METHOD_MISMATCH',
      path: '',
      expected: expected.method,
      actual: actual.method,
      message: `Expected method ${expected.method.toUpperCase()} but received ${actual.method.toUpperCase()}`,
    });
  }
  const pathRule = ruleMismatches(
    'path',
    '',
    single(expected.matchingRules.path),
    expected.path,
    actual.path,
    'string',
  );
  if (pathRule) out.push(...pathRule);
  else if (expected.path !== actual.path) {
    out.push({
      category: 'path',
      code: 'PATH_MISMATCH',
      path: '',
      expected: expected.path,
      actual: actual.path,
      message: `Expected path '${expected.path}' but received '${actual.path}'`,
    });
  }
  out.push(...matchQuery(expected, actual));
  out.push(...compareHeaders(expected.headers, actual.headers, expected.matchingRules.header));
  out.push(
    ...compareBody(expected.body, actual.body, expected.matchingRules.body, { allowUnexpectedKeys: false }),
  );
  return result(out);
}

function matchQuery(expected: HttpRequest, actual: ActualRequest): Mismatch[] {
  // The V1 spec compares query strings as strings (after decoding): order matters there.
  if (expected.rawQuery !== undefined && actual.rawQuery !== undefined) {
    const decode = (q: string) => {
      try {
        return decodeURIComponent(q.replace(/\+/g, ' '));
      } catch {
        return q;
      }
    };
    if (decode(expected.rawQuery) === decode(actual.rawQuery)) return [];
    return [
      {
        category: 'query',
        code: 'QUERY_MISMATCH',
        path: '',
        expected: expected.rawQuery,
        actual: actual.rawQuery,
        message: `Expected query string '${expected.rawQuery}' but received '${actual.rawQuery}'`,
      },
    ];
  }
  const actualQuery =
    actual.query ?? (actual.rawQuery !== undefined ? parseQueryString(actual.rawQuery) : {});
  return compareNamedValues(expected.query ?? {}, actualQuery, expected.matchingRules.query, {
    category: 'query',
    allowUnexpected: false,
    asPath: false,
  });
}

/**
 * Matches an actual response against an expected one, leniently: status, the expected headers,
 * and the body with extra keys allowed.
 */
export function matchResponse(expected: HttpResponse, actual: ActualResponse): MatchResult {
  const out: Mismatch[] = [];
  if (expected.status !== undefined) {
    const statusRule = ruleMismatches(
      'status',
      '',
      single(expected.matchingRules.status),
      expected.status,
      actual.status ?? 0,
      'json',
    );
    if (statusRule) out.push(...statusRule);
    else if (expected.status !== actual.status) {
      out.push({
        category: 'status',
        code: 'STATUS_MISMATCH',
        path: '',
        expected: expected.status,
        actual: actual.status,
        message: `Expected status ${expected.status} but received ${actual.status ?? 'no status'}`,
      });
    }
  }
  out.push(...compareHeaders(expected.headers, actual.headers, expected.matchingRules.header));
  out.push(
    ...compareBody(expected.body, actual.body, expected.matchingRules.body, { allowUnexpectedKeys: true }),
  );
  return result(out);
}

/**
 * Matches an actual message against an expected one: contents leniently (extra keys allowed)
 * and every expected metadata entry (with `metadata` rules).
 */
export function matchMessage(expected: MessageContents, actual: ActualMessage): MatchResult {
  const out: Mismatch[] = [];
  out.push(
    ...compareBody(expected.contents, actual.contents, expected.matchingRules.body, {
      allowUnexpectedKeys: true,
    }),
  );
  out.push(...compareMetadata(expected.metadata, actual.metadata, expected.matchingRules.metadata));
  return result(out);
}

function compareMetadata(
  expected: JsonObject,
  actual: JsonObject,
  rules: RuleCategory | undefined,
): Mismatch[] {
  const out: Mismatch[] = [];
  for (const [key, value] of Object.entries(expected)) {
    const actualKey = Object.keys(actual).find(
      (k) => k === key || (isContentTypeKey(k) && isContentTypeKey(key)),
    );
    if (actualKey === undefined) {
      out.push({
        category: 'metadata',
        code: 'METADATA_MISSING',
        path: key,
        expected: value,
        message: `Expected message metadata '${key}' but was missing`,
      });
      continue;
    }
    const actualValue = actual[actualKey]!;
    const list = rulesForName(rules, key);
    const ruled = ruleMismatches('metadata', key, list, value, actualValue, 'json');
    if (ruled) {
      out.push(...ruled.map((m) => ({ ...m, message: `Metadata '${key}': ${m.message}` })));
      continue;
    }
    const equal = isContentTypeKey(key)
      ? typeof value === 'string' && typeof actualValue === 'string'
        ? compareHeaders({ 'content-type': [value] }, { 'content-type': [actualValue] }, undefined).length ===
          0
        : jsonEquals(value, actualValue)
      : jsonEquals(value, actualValue) ||
        (!isJsonObject(value) && !Array.isArray(value) && String(value) === String(actualValue));
    if (!equal) {
      out.push({
        category: 'metadata',
        code: 'METADATA_MISMATCH',
        path: key,
        expected: value,
        actual: actualValue,
        message: `Expected message metadata '${key}' to have value ${show(value)} but was ${show(actualValue)}`,
      });
    }
  }
  return out;
}
