import { CovenantError, jsonBody, matchingRulesFromJson, matchResponse } from '@covenant/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as M from './matchers.js';
import { compileTemplate } from './template.js';

function expectInvalid(make: () => unknown, text: string) {
  let error: unknown;
  try {
    make();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(CovenantError);
  expect((error as CovenantError).code).toBe('COV_CONSUMER_MATCHER_INVALID');
  expect((error as Error).message).toContain(text);
}

/** Compiles a template and checks `actual` against it with the core engine, as a response body. */
function accepts(template: unknown, actual: unknown): boolean {
  const compiled = compileTemplate(template);
  return matchResponse(
    {
      status: 200,
      headers: undefined,
      body: jsonBody(compiled.example),
      matchingRules: matchingRulesFromJson({ body: compiled.rules }),
      generators: {},
    },
    { status: 200, headers: undefined, body: jsonBody(actual as never) },
  ).ok;
}

describe('matchers', () => {
  it('carry the example type, so templates type-check against interfaces', () => {
    interface User {
      name: string;
      age: number;
      tags: string[];
    }
    const user = M.like<User>({ name: M.string('a'), age: M.integer(3), tags: M.eachLike('x') });
    expectTypeOf(user).toEqualTypeOf<M.Matcher<User>>();
    expectTypeOf(M.reify(user)).toEqualTypeOf<User>();
    expect(M.reify(user)).toEqual({ name: 'a', age: 3, tags: ['x'] });
    // @ts-expect-error age must be a number (or a number matcher)
    M.like<User>({ name: 'a', age: 'three', tags: [] });
  });

  it('check their example against their own rule when defined', () => {
    expectInvalid(() => M.regex(/\d+/, 'abc'), 'regex(): the example "abc" does not satisfy its own rule');
    expectInvalid(() => M.integer(1.5), 'integer(): the example 1.5 is not an integer');
    expectInvalid(() => M.decimal(2), 'has no fractional part');
    expectInvalid(() => M.datetime('yyyy-MM-dd', '2024-13-01'), 'month 13 is out of range');
    expectInvalid(() => M.uuid('not-a-uuid'), 'uuid()');
    expectInvalid(() => M.semver('1.0'), 'semver()');
    expectInvalid(() => M.ipAddress('localhost'), 'regex()');
    expectInvalid(() => M.atLeastLike('x', 3, 2), 'count (2) must not be below min (3)');
    expectInvalid(() => M.atMostLike('x', 1, 2), 'count (2) must not be above max (1)');
    expectInvalid(() => M.constrainedArrayLike('x', 3, 1), 'min (3) must not be above max (1)');
    expectInvalid(() => M.eachLike('x', -1), 'min must be a whole number');
    // pact-js's options-object style, which this API does not take, is shown as written
    expectInvalid(
      () => M.eachLike('x', { min: 2 } as never),
      'min must be a whole number of 0 or more, got {"min":2}',
    );
    expectInvalid(() => M.fromProviderState('id', 1), 'has no ${name} placeholder');
    expectInvalid(() => M.matchStatus(500, 'success'), 'matchStatus()');
  });

  it('produce rules the engine applies as intended', () => {
    expect(accepts({ id: M.integer(1) }, { id: 99 })).toBe(true);
    expect(accepts({ id: M.integer(1) }, { id: 'x' })).toBe(false);
    expect(accepts(M.eachLike({ a: M.regex('[a-z]+', 'x') }, 2), [{ a: 'q' }, { a: 'z' }])).toBe(true);
    expect(accepts(M.eachLike({ a: M.regex('[a-z]+', 'x') }, 2), [{ a: 'q' }])).toBe(false);
    expect(accepts(M.eachLike({ a: M.regex('[a-z]+', 'x') }), [{ a: 'Q1' }])).toBe(false);
    expect(accepts(M.atMostLike(1, 2), [1, 2, 3])).toBe(false);
    expect(accepts(M.like({ a: 1, nested: { b: 'x' } }), { a: 5, nested: { b: 'y' } })).toBe(true);
    expect(accepts(M.like({ a: 1, exact: M.equal('x') }), { a: 5, exact: 'y' })).toBe(false);
    expect(accepts({ v: M.includes('ell') }, { v: 'hello' })).toBe(true);
    expect(accepts({ v: M.nullValue() }, { v: 0 })).toBe(false);
    expect(accepts({ v: M.boolean() }, { v: false })).toBe(true);
    expect(accepts({ v: M.decimal(1.5) }, { v: 2.25 })).toBe(true);
    expect(accepts({ v: M.number() }, { v: 7 })).toBe(true);
    expect(accepts({ v: M.uuid() }, { v: 'fc763eba-0905-41c5-a27f-3934ab26786c' })).toBe(true);
    expect(
      accepts(
        { v: M.datetime("yyyy-MM-dd'T'HH:mm:ss", '2016-12-15T20:16:01') },
        { v: '2024-01-31T10:00:00' },
      ),
    ).toBe(true);
    expect(accepts({ v: M.date() }, { v: '2024-02-30' })).toBe(false);
    expect(accepts({ v: M.time('HH:mm') }, { v: '10:61' })).toBe(false);
    expect(accepts({ v: M.notEmpty('x') }, { v: '' })).toBe(false);
    expect(accepts({ v: M.semver('1.0.0') }, { v: '2.3.4' })).toBe(true);
    expect(
      accepts(
        { v: M.arrayContaining({ t: 'a' }, { t: 'b', n: M.integer(1) }) },
        { v: [{ t: 'c' }, { t: 'b', n: 5 }, { t: 'a' }] },
      ),
    ).toBe(true);
    expect(accepts({ v: M.arrayContaining({ t: 'a' }) }, { v: [{ t: 'c' }] })).toBe(false);
    expect(accepts(M.eachKeyMatches({ abc: 1 }, M.regex('[a-z]+', 'abc')), { x: 1, y: 2 })).toBe(true);
    expect(accepts(M.eachKeyMatches({ abc: 1 }, M.regex('[a-z]+', 'abc')), { X1: 1 })).toBe(false);
    expect(accepts(M.eachValueMatches({ a: 1 }, M.integer(1)), { z: 2, q: 3 })).toBe(true);
    expect(accepts(M.eachValueMatches({ a: 1 }, M.integer(1)), { z: 'x' })).toBe(false);
    expect(accepts({ v: M.ipv6Address() }, { v: '::1' })).toBe(true);
    expect(accepts({ v: M.email() }, { v: 'a@b.io' })).toBe(true);
    expect(accepts({ v: M.iso8601DateTime() }, { v: '2020-01-01T00:00:00Z' })).toBe(true);
    expect(accepts({ v: M.rfc1123Timestamp() }, { v: 'Tue, 01 Jan 2019 10:00:00 +0000' })).toBe(true);
    expect(accepts({ v: M.term({ generate: '12', matcher: '\\d+' }) }, { v: '7' })).toBe(true);
    expect(accepts({ v: M.somethingLike('x') }, { v: 'y' })).toBe(true);
  });

  it('generate values where no example is given', () => {
    const compiled = compileTemplate({
      id: M.uuid(),
      n: M.integer(),
      when: M.datetime("yyyy-MM-dd'T'HH:mm:ss"),
    });
    expect(compiled.generators).toEqual({
      '$.id': { type: 'Uuid' },
      '$.n': { type: 'RandomInt', min: 0, max: 2147483647 },
      '$.when': { type: 'DateTime', format: "yyyy-MM-dd'T'HH:mm:ss" },
    });
  });

  it('url() points at the provider with a MockServerURL generator', () => {
    const u = M.url(null, ['users', M.integer(7)]);
    const compiled = compileTemplate({ link: u });
    expect(compiled.example).toEqual({ link: 'http://localhost:8080/users/7' });
    expect(compiled.generators['$.link']).toMatchObject({ type: 'MockServerURL' });
    expect(accepts({ link: u }, { link: 'https://api.example.com/users/42' })).toBe(true);
  });

  it('refuses values JSON cannot carry, naming where they are', () => {
    expect(() => compileTemplate({ a: { b: new Date() } })).toThrow(
      /COV_CONSUMER_BODY_INVALID: the body at \$\.a\.b cannot be serialised: a Date is not JSON/,
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => compileTemplate(cyclic)).toThrow(/contains a cycle/);
    expect(() => compileTemplate({ n: Number.NaN })).toThrow(/NaN is not a JSON number/);
    expect(() => compileTemplate({ f: () => 1 })).toThrow(/a function is not JSON/);
    expect(() => compileTemplate({ list: [1, undefined] })).toThrow(
      /at \$\.list\[1\] cannot be serialised: undefined is not JSON/,
    );
  });
});
