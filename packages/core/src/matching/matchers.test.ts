import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../json/parse.js';
import type { JsonValue } from '../json/value.js';
import { jsonBody, textBody } from '../model/body.js';
import { matchingRulesFromJson } from '../model/matching-rules.js';
import type { HttpResponse } from '../model/types.js';
import { matchRequest, matchResponse } from './http.js';

function parsed(text: string): JsonValue {
  const r = parseJson(text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

function response(body: JsonValue, rules: Record<string, unknown>): HttpResponse {
  return {
    status: 200,
    headers: undefined,
    body: jsonBody(body),
    matchingRules: matchingRulesFromJson({ body: rules } as never),
    generators: {},
  };
}

function check(
  expected: JsonValue,
  rule: Record<string, unknown> | Record<string, unknown>[],
  actual: JsonValue,
  combine = 'AND',
) {
  const matchers = Array.isArray(rule) ? rule : [rule];
  const r = matchResponse(response({ v: expected }, { '$.v': { combine, matchers } }), {
    status: 200,
    headers: undefined,
    body: jsonBody({ v: actual }),
  });
  return r;
}

const passes = (
  e: JsonValue,
  rule: Record<string, unknown> | Record<string, unknown>[],
  a: JsonValue,
  combine?: string,
) => check(e, rule, a, combine).ok;

describe('matchers', () => {
  it('regex matches the whole value and the string form of numbers', () => {
    expect(passes('1234', { match: 'regex', regex: '\\d{1,4}' }, '9999')).toBe(true);
    expect(passes('1234', { match: 'regex', regex: '\\d{1,4}' }, '9999X')).toBe(false);
    expect(passes(4, { match: 'regex', regex: '[0-9]' }, 7)).toBe(true);
  });

  it('type checks the JSON type, with min and max on arrays', () => {
    expect(passes('a', { match: 'type' }, 'zzz')).toBe(true);
    expect(passes('a', { match: 'type' }, 1)).toBe(false);
    expect(passes(1, { match: 'type' }, 2.5)).toBe(true);
    expect(passes([1], { match: 'type', min: 2 }, [1])).toBe(false);
    expect(passes([1], { match: 'type', max: 2 }, [1, 2, 3])).toBe(false);
    expect(passes([1], { match: 'type', min: 1, max: 3 }, [4, 5])).toBe(true);
    expect(passes([1], { match: 'type', min: 1 }, [4, 'x'])).toBe(false);
  });

  it('integer and decimal tell 100 from 100.0', () => {
    expect(check(1, { match: 'integer' }, parsed('100')).ok).toBe(true);
    expect(check(1, { match: 'integer' }, parsed('100.0')).ok).toBe(false);
    expect(check(1.5, { match: 'decimal' }, parsed('100.0')).ok).toBe(true);
    expect(check(1.5, { match: 'decimal' }, parsed('100')).ok).toBe(false);
    expect(passes(1, { match: 'number' }, '100')).toBe(false);
    expect(check(1, { match: 'number' }, '100').mismatches[0]?.message).toBe(
      "Expected '100' (String) to be a number",
    );
  });

  it('include, null, boolean, notEmpty, semver', () => {
    expect(passes('x', { match: 'include', value: 'ell' }, 'hello')).toBe(true);
    expect(passes('x', { match: 'include', value: 'ell' }, 'help')).toBe(false);
    expect(passes(null, { match: 'null' }, null)).toBe(true);
    expect(passes(null, { match: 'null' }, 0)).toBe(false);
    expect(passes(true, { match: 'boolean' }, false)).toBe(true);
    expect(passes(true, { match: 'boolean' }, 'true')).toBe(true);
    expect(passes(true, { match: 'boolean' }, 1)).toBe(false);
    expect(passes('x', { match: 'notEmpty' }, '')).toBe(false);
    expect(passes('x', { match: 'notEmpty' }, [])).toBe(false);
    expect(passes('x', { match: 'notEmpty' }, 0)).toBe(true);
    // where the example is a list, a non-empty value of another kind is a type mismatch
    expect(passes(['b'], { match: 'notEmpty' }, ['c'])).toBe(true);
    expect(check(['b'], { match: 'notEmpty' }, 'b').mismatches[0]?.message).toBe(
      'Type mismatch: Expected \'b\' (String) to be the same type as ["b"] (Array)',
    );
    expect(passes('1.0.0', { match: 'semver' }, '10.2.3-rc.1+build.5')).toBe(true);
    expect(passes('1.0.0', { match: 'semver' }, '1.0')).toBe(false);
  });

  it('date, time and datetime use Java patterns', () => {
    expect(passes('2020-01-01', { match: 'date', format: 'yyyy-MM-dd' }, '2024-02-29')).toBe(true);
    expect(passes('2020-01-01', { match: 'date', format: 'yyyy-MM-dd' }, '2023-02-29')).toBe(false);
    expect(passes('10:00', { match: 'time', format: 'HH:mm' }, '23:59')).toBe(true);
    expect(passes('10:00', { match: 'time', format: 'HH:mm' }, '24:00')).toBe(false);
    expect(passes('x', { match: 'datetime' }, '2024-01-31T13:45:10+01:00')).toBe(true);
    expect(
      passes('x', { match: 'timestamp', timestamp: "yyyy-MM-dd'T'HH:mm:ss" }, '2024-01-31 13:45:10'),
    ).toBe(false);
  });

  it('combines rules with AND and OR', () => {
    const rules = [
      { match: 'regex', regex: '\\d+' },
      { match: 'include', value: '7' },
    ];
    expect(passes('1', rules, '123')).toBe(false);
    expect(passes('1', rules, '173')).toBe(true);
    expect(passes('1', rules, '123', 'OR')).toBe(true);
    expect(passes('1', rules, 'abc', 'OR')).toBe(false);
  });

  it('equality resets a type rule cascading from a parent', () => {
    const expected = response(
      { a: { b: 'x', c: 'y' } },
      {
        '$.a': { matchers: [{ match: 'type' }] },
        '$.a.c': { matchers: [{ match: 'equality' }] },
      },
    );
    expect(
      matchResponse(expected, {
        status: 200,
        headers: undefined,
        body: jsonBody({ a: { b: 'other', c: 'y' } }),
      }).ok,
    ).toBe(true);
    expect(
      matchResponse(expected, {
        status: 200,
        headers: undefined,
        body: jsonBody({ a: { b: 'other', c: 'z' } }),
      }).ok,
    ).toBe(false);
  });

  it('picks the most specific rule by weight', () => {
    const expected = response(
      { item1: { level: [{ id: 'a' }, { id: 'b' }] } },
      {
        '$.item1.level[*].id': { matchers: [{ match: 'regex', regex: '[a-z]' }] },
        '$.item1.level[1].id': { matchers: [{ match: 'regex', regex: '\\d+' }] },
        '$.*.level[*].id': { matchers: [{ match: 'type' }] },
      },
    );
    const ok = matchResponse(expected, {
      status: 200,
      headers: undefined,
      body: jsonBody({ item1: { level: [{ id: 'q' }, { id: '42' }] } }),
    });
    expect(ok.mismatches).toEqual([]);
    const bad = matchResponse(expected, {
      status: 200,
      headers: undefined,
      body: jsonBody({ item1: { level: [{ id: 'q' }, { id: 'z' }] } }),
    });
    expect(bad.mismatches.map((m) => m.path)).toEqual(['$.item1.level[1].id']);
  });

  it('eachKey, eachValue and values ignore keys and check every value', () => {
    const each = response(
      { m: { a: 1 } },
      {
        '$.m': {
          matchers: [
            { match: 'eachKey', rules: [{ match: 'regex', regex: '[a-z]+' }] },
            { match: 'eachValue', rules: [{ match: 'integer' }] },
          ],
        },
      },
    );
    expect(
      matchResponse(each, { status: 200, headers: undefined, body: jsonBody({ m: { x: 1, y: 2 } }) }).ok,
    ).toBe(true);
    expect(
      matchResponse(each, { status: 200, headers: undefined, body: jsonBody({ m: { X9: 1 } }) }).ok,
    ).toBe(false);
    expect(
      matchResponse(each, { status: 200, headers: undefined, body: jsonBody({ m: { x: 'no' } }) }).ok,
    ).toBe(false);
    const values = response({ m: { a: { n: 1 } } }, { '$.m': { matchers: [{ match: 'values' }] } });
    expect(
      matchResponse(values, {
        status: 200,
        headers: undefined,
        body: jsonBody({ m: { q: { n: 1 }, r: { n: 1 } } }),
      }).ok,
    ).toBe(true);
  });

  it('a values rule frees the keys but does not cascade into the values as a pass-all', () => {
    const values = response(
      { value: { key1: { n: 1 } } },
      { '$.value': { matchers: [{ match: 'values' }] } },
    );
    const ok = matchResponse(values, {
      status: 200,
      headers: undefined,
      body: jsonBody({ value: { k9: { n: 1 }, k10: { n: 1 } } }),
    });
    expect(ok.mismatches).toEqual([]);
    const bad = matchResponse(values, {
      status: 200,
      headers: undefined,
      body: jsonBody({ value: { k9: { n: 'five' } } }),
    });
    expect(bad.mismatches.map((m) => m.path)).toEqual(['$.value.k9.n']);
    const flat = matchResponse(values, {
      status: 200,
      headers: undefined,
      body: jsonBody({ value: { k9: 'flat' } }),
    });
    expect(flat.ok).toBe(false);
  });

  it('reads status rules keyed by path, as pact-js writes them', () => {
    const rules = matchingRulesFromJson({
      status: { $: { combine: 'AND', matchers: [{ match: 'statusCode', status: 'success' }] } },
    });
    expect(rules.status?.get('')?.list.rules).toEqual([{ match: 'statusCode', status: 'success' }]);
  });

  it('arrayContains finds each variant anywhere in the list', () => {
    const expected = response(
      { l: [{ t: 'a' }, { t: 'b', n: 1 }] },
      {
        '$.l': {
          matchers: [
            {
              match: 'arrayContains',
              variants: [
                { index: 0, rules: {} },
                { index: 1, rules: { '$.n': { matchers: [{ match: 'integer' }] } } },
              ],
            },
          ],
        },
      },
    );
    expect(
      matchResponse(expected, {
        status: 200,
        headers: undefined,
        body: jsonBody({ l: [{ t: 'z' }, { t: 'b', n: 9 }, { t: 'a' }] }),
      }).ok,
    ).toBe(true);
    expect(
      matchResponse(expected, { status: 200, headers: undefined, body: jsonBody({ l: [{ t: 'b', n: 9 }] }) })
        .ok,
    ).toBe(false);
  });

  it('statusCode accepts ranges and lists', () => {
    const expected: HttpResponse = {
      status: 200,
      headers: undefined,
      body: { kind: 'missing' },
      generators: {},
      matchingRules: matchingRulesFromJson({
        status: { matchers: [{ match: 'statusCode', status: 'success' }] },
      }),
    };
    expect(matchResponse(expected, { status: 204, headers: undefined, body: { kind: 'missing' } }).ok).toBe(
      true,
    );
    const bad = matchResponse(expected, { status: 400, headers: undefined, body: { kind: 'missing' } });
    expect(bad.mismatches[0]?.message).toBe('Expected status code 400 to be a Successful response (200–299)');
  });

  it('applies header and query rules to string values', () => {
    const expected = {
      method: 'GET',
      path: '/items/12',
      query: { page: ['1'] },
      headers: { 'X-Id': ['abc'] },
      body: { kind: 'missing' as const },
      generators: {},
      matchingRules: matchingRulesFromJson({
        path: { matchers: [{ match: 'regex', regex: '/items/\\d+' }] },
        query: { page: { matchers: [{ match: 'integer' }] } },
        header: { 'x-id': { matchers: [{ match: 'regex', regex: '[a-z]+' }] } },
      }),
    };
    const actual = {
      method: 'get',
      path: '/items/99',
      query: { page: ['7'] },
      headers: { 'x-id': ['zzz'] },
      body: { kind: 'missing' as const },
    };
    expect(matchRequest(expected, actual).mismatches).toEqual([]);
    const bad = matchRequest(expected, { ...actual, path: '/items/x', query: { page: ['a'], extra: ['1'] } });
    expect(bad.mismatches.map((m) => m.code).sort()).toEqual([
      'QUERY_UNEXPECTED',
      'RULE_FAILED',
      'RULE_FAILED',
    ]);
  });

  it('compares text bodies by equality or a rule at $', () => {
    const expected: HttpResponse = {
      status: 200,
      headers: undefined,
      body: textBody('Hello Mars!', 'text/plain'),
      matchingRules: {},
      generators: {},
    };
    const bad = matchResponse(expected, {
      status: 200,
      headers: undefined,
      body: textBody('Hello World!', 'text/plain'),
    });
    expect(bad.mismatches[0]?.message).toBe(
      "Expected body 'Hello Mars!' to match 'Hello World!' using equality but did not match",
    );
  });

  it('reports mismatches as data with a code, path, expected, actual and rule', () => {
    const r = check('a', { match: 'regex', regex: '[a-z]+' }, 'A1');
    expect(r.mismatches).toEqual([
      expect.objectContaining({
        category: 'body',
        code: 'RULE_FAILED',
        path: '$.v',
        expected: 'a',
        actual: 'A1',
        rule: { match: 'regex', regex: '[a-z]+' },
      }),
    ]);
  });
});

describe('engine robustness', () => {
  const json = fc.jsonValue() as fc.Arbitrary<JsonValue>;
  const ruleArb = fc.constantFrom<Record<string, unknown>>(
    { match: 'type' },
    { match: 'type', min: 1 },
    { match: 'regex', regex: '.*\\d' },
    { match: 'integer' },
    { match: 'decimal' },
    { match: 'include', value: 'a' },
    { match: 'values' },
    { match: 'eachValue', rules: [{ match: 'type' }] },
    { match: 'eachKey', rules: [{ match: 'regex', regex: '\\w+' }] },
    { match: 'arrayContains', variants: [{ index: 0, rules: {} }] },
    { match: 'notEmpty' },
    { match: 'datetime' },
  );
  const pathArb = fc.constantFrom('$', '$.a', '$[*]', '$.*', '$.a[0]', '$[*].b', '$.*.*');

  it('never throws on arbitrary JSON and rules, and always returns data', () => {
    fc.assert(
      fc.property(
        json,
        json,
        fc.array(fc.tuple(pathArb, ruleArb), { maxLength: 3 }),
        fc.boolean(),
        (e, a, rules, strict) => {
          const ruleJson: Record<string, unknown> = {};
          for (const [p, r] of rules) ruleJson[p] = { matchers: [r] };
          const expected = response(e, ruleJson);
          const result = strict
            ? matchRequest(
                {
                  method: 'POST',
                  path: '/',
                  query: undefined,
                  headers: undefined,
                  body: expected.body,
                  matchingRules: expected.matchingRules,
                  generators: {},
                },
                { method: 'POST', path: '/', query: undefined, headers: undefined, body: jsonBody(a) },
              )
            : matchResponse(expected, { status: 200, headers: undefined, body: jsonBody(a) });
          expect(result.ok).toBe(result.mismatches.length === 0);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a value always matches itself without rules', () => {
    fc.assert(
      fc.property(json, (v) => {
        expect(
          matchResponse(response(v, {}), { status: 200, headers: undefined, body: jsonBody(v) }).ok,
        ).toBe(true);
      }),
    );
  });
});
