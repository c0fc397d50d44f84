import {
  applyRule,
  type Generator,
  type JsonObject,
  type JsonValue,
  type MatchingRule,
  ruleToJson,
  type StatusRange,
} from '@covenant/core';
import { consumerError, describeValue } from './errors.js';

const MATCHER = Symbol.for('covenant.matcher');

/**
 * A matcher: an example value plus the rules (and optionally a generator) that say what
 * else is acceptable. `T` is the example's type, so a template of matchers type-checks
 * against the interface the client code uses.
 */
export interface Matcher<T> {
  readonly [MATCHER]: true;
  /** The example, possibly holding nested matchers. */
  readonly template: unknown;
  readonly rules: readonly MatchingRule[];
  readonly combine: 'AND' | 'OR';
  readonly generator?: Generator;
  /** For array matchers: the template of one element and how many copies the example holds. */
  readonly each?: { template: unknown; count: number };
  /** Phantom field carrying the example type; never set. */
  readonly __example?: T;
}

/** A value or a matcher for it, at any depth. */
export type Template<T> =
  | Matcher<T>
  | (T extends Matcher<infer U>
      ? Template<U>
      : T extends string | number | boolean | null | undefined
        ? T
        : T extends readonly (infer U)[]
          ? Template<U>[]
          : T extends object
            ? { [K in keyof T]: Template<T[K]> }
            : T);

/**
 * The example type of a template: matchers replaced by the type they match.
 * `Reified<{ id: Matcher<number> }>` is `{ id: number }`.
 */
export type Reified<T> =
  T extends Matcher<infer U>
    ? Reified<U>
    : T extends Uint8Array
      ? T
      : T extends readonly (infer E)[]
        ? Reified<E>[]
        : T extends object
          ? { [K in keyof T]: Reified<T[K]> }
          : T;

/** Whether a value is a matcher. */
export function isMatcher(value: unknown): value is Matcher<unknown> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MATCHER] === true;
}

interface MatcherSpec {
  template: unknown;
  rules: MatchingRule[];
  combine?: 'AND' | 'OR';
  generator?: Generator;
  each?: { template: unknown; count: number };
  /** Check the example against its own rules (default true). */
  validate?: boolean;
  name: string;
}

function make<T>(spec: MatcherSpec): Matcher<T> {
  const matcher: Matcher<T> = {
    [MATCHER]: true,
    template: spec.template,
    rules: spec.rules,
    combine: spec.combine ?? 'AND',
    ...(spec.generator ? { generator: spec.generator } : {}),
    ...(spec.each ? { each: spec.each } : {}),
  };
  if (spec.validate !== false) {
    const example = reifyValue(matcher);
    for (const rule of spec.rules) {
      const failure = applyRule(rule, example, example, false);
      if (failure) {
        throw consumerError(
          'COV_CONSUMER_MATCHER_INVALID',
          `${spec.name}(): the example ${JSON.stringify(example)} does not satisfy its own rule ${JSON.stringify(ruleToJson(rule))}: ${failure.message}`,
          { matcher: spec.name, example, rule: ruleToJson(rule) },
        );
      }
    }
  }
  return matcher;
}

function invalid(name: string, message: string): never {
  throw consumerError('COV_CONSUMER_MATCHER_INVALID', `${name}(): ${message}`, { matcher: name });
}

function checkCount(name: string, value: number | undefined, what: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    invalid(name, `${what} must be a whole number of 0 or more, got ${describeValue(value)}`);
  }
}

/**
 * The example value of a template: matchers replaced by their examples, array matchers
 * expanded to their example count.
 *
 * @example reify({ id: integer(7), tags: eachLike('a', 2) }) // { id: 7, tags: ['a', 'a'] }
 */
export function reify<T>(template: Template<T>): Reified<T> {
  return reifyValue(template) as Reified<T>;
}

function reifyValue(template: unknown): JsonValue {
  if (isMatcher(template)) {
    if (template.each) {
      const item = reifyValue(template.each.template);
      return Array.from({ length: template.each.count }, () => item);
    }
    return reifyValue(template.template);
  }
  if (Array.isArray(template)) return template.map((t) => reifyValue(t));
  if (template === undefined) return null;
  if (typeof template === 'object' && template !== null && !(template instanceof Uint8Array)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(template)) if (v !== undefined) out[k] = reifyValue(v);
    return out;
  }
  return template as JsonValue;
}

/** The example of any template as JSON (what {@link reify} returns, untyped). */
export function exampleOf(template: unknown): JsonValue {
  return reifyValue(template);
}

// ---- type matchers --------------------------------------------------------------------------

/**
 * Matches any value of the same type as the example, cascading to everything inside it.
 *
 * @example like<User>({ name: 'UserA', admin: false })
 */
export function like<T>(template: Template<T>): Matcher<Reified<T>> {
  return make({ name: 'like', template, rules: [{ match: 'type' }] });
}

/** V2 name of {@link like}. */
export const somethingLike = like;

/** An array whose every element is like the template; the example holds `min` copies. */
export function eachLike<T>(template: Template<T>, min = 1): Matcher<Reified<T>[]> {
  checkCount('eachLike', min, 'min');
  return make({
    name: 'eachLike',
    template: [],
    rules: [{ match: 'type', min }],
    each: { template, count: Math.max(min, 1) },
  });
}

/** An array of at least one element like the template. */
export function atLeastOneLike<T>(template: Template<T>, count = 1): Matcher<Reified<T>[]> {
  return atLeastLike(template, 1, count);
}

/** An array of at least `min` elements like the template; the example holds `count` (default `min`). */
export function atLeastLike<T>(template: Template<T>, min: number, count = min): Matcher<Reified<T>[]> {
  checkCount('atLeastLike', min, 'min');
  checkCount('atLeastLike', count, 'count');
  if (count < min) invalid('atLeastLike', `count (${count}) must not be below min (${min})`);
  return make({
    name: 'atLeastLike',
    template: [],
    rules: [{ match: 'type', min }],
    each: { template, count },
  });
}

/** An array of at most `max` elements like the template; the example holds `count` (default 1). */
export function atMostLike<T>(template: Template<T>, max: number, count = 1): Matcher<Reified<T>[]> {
  checkCount('atMostLike', max, 'max');
  checkCount('atMostLike', count, 'count');
  if (count > max) invalid('atMostLike', `count (${count}) must not be above max (${max})`);
  return make({
    name: 'atMostLike',
    template: [],
    rules: [{ match: 'type', max }],
    each: { template, count },
  });
}

/** An array of `min` to `max` elements like the template. */
export function constrainedArrayLike<T>(
  template: Template<T>,
  min: number,
  max: number,
  count = min,
): Matcher<Reified<T>[]> {
  checkCount('constrainedArrayLike', min, 'min');
  checkCount('constrainedArrayLike', max, 'max');
  if (min > max) invalid('constrainedArrayLike', `min (${min}) must not be above max (${max})`);
  if (count < min || count > max)
    invalid('constrainedArrayLike', `count (${count}) must be between ${min} and ${max}`);
  return make({
    name: 'constrainedArrayLike',
    template: [],
    rules: [{ match: 'type', min, max }],
    each: { template, count },
  });
}

// ---- scalar matchers ------------------------------------------------------------------------

/** Any boolean. */
export function boolean(example = true): Matcher<boolean> {
  return make({ name: 'boolean', template: example, rules: [{ match: 'boolean' }] });
}

/** Any integer; without an example the mock server generates one. */
export function integer(example?: number): Matcher<number> {
  if (example !== undefined && !Number.isInteger(example))
    invalid('integer', `the example ${example} is not an integer`);
  return make({
    name: 'integer',
    template: example ?? 101,
    rules: [{ match: 'integer' }],
    ...(example === undefined ? { generator: { type: 'RandomInt', min: 0, max: 2147483647 } } : {}),
  });
}

/** Any decimal number (with a fractional part); without an example one is generated. */
export function decimal(example?: number): Matcher<number> {
  if (example !== undefined && Number.isInteger(example)) {
    invalid(
      'decimal',
      `the example ${example} has no fractional part; a JSON body would carry it as an integer`,
    );
  }
  return make({
    name: 'decimal',
    template: example ?? 12.34,
    rules: [{ match: 'decimal' }],
    ...(example === undefined ? { generator: { type: 'RandomDecimal', digits: 10 } } : {}),
  });
}

/** Any number, integer or decimal. */
export function number(example?: number): Matcher<number> {
  return make({
    name: 'number',
    template: example ?? 1234,
    rules: [{ match: 'number' }],
    ...(example === undefined ? { generator: { type: 'RandomInt', min: 0, max: 2147483647 } } : {}),
  });
}

/** Any string. */
export function string(example = 'some string'): Matcher<string> {
  return make({ name: 'string', template: example, rules: [{ match: 'type' }] });
}

/**
 * A string matching a regular expression (as a whole). The example is checked against it.
 *
 * @example regex(/\d{4}-\d{2}-\d{2}/, '2024-01-31')
 */
export function regex(pattern: RegExp | string, example: string): Matcher<string> {
  const source = pattern instanceof RegExp ? pattern.source : pattern;
  if (typeof example !== 'string')
    invalid('regex', `the example must be a string, got ${JSON.stringify(example)}`);
  return make({ name: 'regex', template: example, rules: [{ match: 'regex', regex: source }] });
}

/** V2 name of {@link regex}: `term({ generate: example, matcher: pattern })`. */
export function term(options: { generate: string; matcher: string }): Matcher<string> {
  return regex(options.matcher, options.generate);
}

/** A string containing `value`. */
export function includes(value: string): Matcher<string> {
  return make({ name: 'includes', template: value, rules: [{ match: 'include', value }] });
}

/** Exactly null. */
export function nullValue(): Matcher<null> {
  return make({ name: 'nullValue', template: null, rules: [{ match: 'null' }] });
}

/** Exactly this value: stops a type rule from a parent cascading into it. */
export function equal<T>(value: Template<T>): Matcher<Reified<T>> {
  return make({ name: 'equal', template: value, rules: [{ match: 'equality' }] });
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** A UUID; without an example one is generated. */
export function uuid(example?: string): Matcher<string> {
  return make({
    name: 'uuid',
    template: example ?? 'ce118b6e-d8e1-11e7-9296-cec278b6b50a',
    rules: [{ match: 'regex', regex: UUID }],
    ...(example === undefined ? { generator: { type: 'Uuid' } } : {}),
  });
}

function timeMatcher(
  name: string,
  match: 'date' | 'time' | 'datetime',
  generatorType: 'Date' | 'Time' | 'DateTime',
  format: string,
  example: string | undefined,
): Matcher<string> {
  if (typeof format !== 'string' || format === '')
    invalid(name, 'a Java date/time format such as "yyyy-MM-dd" is required');
  if (example === undefined) {
    return make({
      name,
      template: '',
      rules: [{ match, format }],
      generator: { type: generatorType, format },
      validate: false,
    });
  }
  return make({ name, template: example, rules: [{ match, format }] });
}

/**
 * A date-time string in a Java `DateTimeFormatter` pattern. Without an example the mock server
 * generates the current date-time.
 *
 * @example datetime("yyyy-MM-dd'T'HH:mm:ss", '2016-12-15T20:16:01')
 */
export function datetime(format: string, example?: string): Matcher<string> {
  return timeMatcher('datetime', 'datetime', 'DateTime', format, example);
}

/** Alias of {@link datetime}. */
export const timestamp = datetime;

/** A date string in a Java pattern (default `yyyy-MM-dd`). */
export function date(format = 'yyyy-MM-dd', example?: string): Matcher<string> {
  return timeMatcher('date', 'date', 'Date', format, example);
}

/** A time string in a Java pattern (default `HH:mm:ss`). */
export function time(format = 'HH:mm:ss', example?: string): Matcher<string> {
  return timeMatcher('time', 'time', 'Time', format, example);
}

/** A value that is not empty (not null, "", [] or {}). */
export function notEmpty<T>(example: Template<T>): Matcher<Reified<T>> {
  return make({ name: 'notEmpty', template: example, rules: [{ match: 'notEmpty' }] });
}

/** A semantic version string such as `1.2.3-rc.1`. */
export function semver(example: string): Matcher<string> {
  return make({ name: 'semver', template: example, rules: [{ match: 'semver' }] });
}

/** A response status in a class (`success`, `clientError`…) or a list of codes. */
export function matchStatus(example: number, status: StatusRange | number[]): Matcher<number> {
  return make({ name: 'matchStatus', template: example, rules: [{ match: 'statusCode', status }] });
}

/**
 * A value the provider fills in from its state handler's result, e.g. `fromProviderState('${id}', 42)`:
 * the verifier replaces the example with the `id` its state handler returned.
 */
export function fromProviderState<T extends JsonValue>(expression: string, example: T): Matcher<T> {
  if (!/\$\{[^}]+\}/.test(expression))
    invalid('fromProviderState', `the expression '${expression}' has no \${name} placeholder`);
  return make({
    name: 'fromProviderState',
    template: example,
    rules: [{ match: 'type' }],
    generator: { type: 'ProviderState', expression },
  });
}

/** Binary content (or a multipart part) whose bytes are of this content type. */
export function contentType(type: string, example: Uint8Array | string = ''): Matcher<Uint8Array | string> {
  return make({
    name: 'contentType',
    template: example,
    rules: [{ match: 'contentType', value: type }],
    validate: false,
  });
}

// ---- collections --------------------------------------------------------------------------

/** An array holding, in any order, an element matching each variant. */
export function arrayContaining<T>(...variants: Template<T>[]): Matcher<Reified<T>[]> {
  if (variants.length === 0) invalid('arrayContaining', 'give at least one variant');
  return make({
    name: 'arrayContaining',
    template: variants,
    rules: [{ match: 'arrayContains', variants: [] }],
    validate: false,
  });
}

function asRules(name: string, matchers: Matcher<unknown> | Matcher<unknown>[]): MatchingRule[] {
  const list = Array.isArray(matchers) ? matchers : [matchers];
  if (!list.every(isMatcher)) invalid(name, 'the rules must be matchers such as regex(...) or integer()');
  return list.flatMap((m) => m.rules);
}

/** An object whose every key satisfies the given matchers (values are compared to the example's). */
export function eachKeyMatches<T>(
  example: Record<string, Template<T>>,
  keyMatchers: Matcher<string> | Matcher<string>[] = like('key'),
): Matcher<Record<string, Reified<T>>> {
  return make({
    name: 'eachKeyMatches',
    template: example,
    rules: [
      {
        match: 'eachKey',
        rules: asRules('eachKeyMatches', keyMatchers as Matcher<unknown>[]),
        value: reifyValue(example),
      },
    ],
  });
}

/** An object whose every value satisfies the given matchers, whatever its keys. */
export function eachValueMatches<T>(
  example: Record<string, Template<T>>,
  valueMatchers: Matcher<Reified<T>> | Matcher<Reified<T>>[],
): Matcher<Record<string, Reified<T>>> {
  return make({
    name: 'eachValueMatches',
    template: example,
    rules: [
      {
        match: 'eachValue',
        rules: asRules('eachValueMatches', valueMatchers as Matcher<unknown>[]),
        value: reifyValue(example),
      },
    ],
  });
}

/**
 * A URL pointing at the provider itself: `url(null, ['users', integer(1)])` expects
 * `<provider base>/users/<digits>`; in the consumer test the mock server's URL is used.
 */
export function url(
  basePath: string | null,
  pathFragments: Array<string | Matcher<string | number>>,
): Matcher<string> {
  const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let pattern = '';
  let example = basePath ?? 'http://localhost:8080';
  for (const fragment of pathFragments) {
    if (isMatcher(fragment)) {
      const rule = fragment.rules.find((r) => r.match === 'regex');
      pattern += `\\/${rule && rule.match === 'regex' ? rule.regex : '[^/]+'}`;
      example += `/${String(reifyValue(fragment))}`;
    } else {
      pattern += `\\/${escapeRegex(fragment)}`;
      example += `/${fragment}`;
    }
  }
  const regexSource = basePath === null ? `.*(${pattern})$` : `${escapeRegex(basePath)}${pattern}`;
  return make({
    name: 'url',
    template: example,
    rules: [{ match: 'regex', regex: regexSource }],
    ...(basePath === null ? { generator: { type: 'MockServerURL', example, regex: regexSource } } : {}),
  });
}

// ---- format helpers (as pact-js MatchersV2 / pact-python Format) ------------------------------

/** An IPv4 address. */
export function ipv4Address(example = '127.0.0.13'): Matcher<string> {
  return regex('(\\d{1,3}\\.){3}\\d{1,3}', example);
}

/** Alias of {@link ipv4Address}, the name pact-python's `Format().ip_address` uses. */
export const ipAddress = ipv4Address;

/** An IPv6 address. */
export function ipv6Address(example = '::ffff:192.0.2.128'): Matcher<string> {
  return regex(
    '(\\A([0-9a-f]{1,4}:){1,1}(:[0-9a-f]{1,4}){1,6}\\Z)|(\\A([0-9a-f]{1,4}:){1,2}(:[0-9a-f]{1,4}){1,5}\\Z)|(\\A([0-9a-f]{1,4}:){1,3}(:[0-9a-f]{1,4}){1,4}\\Z)|(\\A([0-9a-f]{1,4}:){1,4}(:[0-9a-f]{1,4}){1,3}\\Z)|(\\A([0-9a-f]{1,4}:){1,5}(:[0-9a-f]{1,4}){1,2}\\Z)|(\\A([0-9a-f]{1,4}:){1,6}(:[0-9a-f]{1,4}){1,1}\\Z)|(\\A(([0-9a-f]{1,4}:){1,7}|:):\\Z)|(\\A:(:[0-9a-f]{1,4}){1,7}\\Z)|(\\A((([0-9a-f]{1,4}:){6})(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3})\\Z)|(\\A(([0-9a-f]{1,4}:){5}[0-9a-f]{1,4}:(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3})\\Z)|(\\A([0-9a-f]{1,4}:){5}:[0-9a-f]{1,4}:(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}\\Z)|(\\A([0-9a-f]{1,4}:){1,1}(:[0-9a-f]{1,4}){1,4}:(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}\\Z)|(\\A([0-9a-f]{1,4}:){1,2}(:[0-9a-f]{1,4}){1,3}:(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}\\Z)|(\\A([0-9a-f]{1,4}:){1,3}(:[0-9a-f]{1,4}){1,2}:(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}\\Z)|(\\A([0-9a-f]{1,4}:){1,4}(:[0-9a-f]{1,4}){1,1}:(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}\\Z)|(\\A(([0-9a-f]{1,4}:){1,5}|:):(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}\\Z)|(\\A:(:[0-9a-f]{1,4}){1,5}:(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}\\Z)',
    example,
  );
}

/** An e-mail address. */
export function email(example = 'hello@pact.io'): Matcher<string> {
  return regex('[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}', example);
}

/** A hexadecimal string. */
export function hexadecimal(example = '3F'): Matcher<string> {
  return regex('[0-9a-fA-F]+', example);
}

/** An ISO-8601 date-time such as `2015-08-06T16:53:10+01:00` (offset optional). */
export function iso8601DateTime(example = '2015-08-06T16:53:10+01:00'): Matcher<string> {
  return regex('\\d{4}-[01]\\d-[0-3]\\dT[0-2]\\d:[0-5]\\d:[0-5]\\d(?:Z|[+-]\\d{2}:?\\d{2})?', example);
}

/** An ISO-8601 date-time with milliseconds such as `2015-08-06T16:53:10.123+01:00`. */
export function iso8601DateTimeWithMillis(example = '2015-08-06T16:53:10.123+01:00'): Matcher<string> {
  return regex('\\d{4}-[01]\\d-[0-3]\\dT[0-2]\\d:[0-5]\\d:[0-5]\\d\\.\\d+(?:Z|[+-]\\d{2}:?\\d{2})?', example);
}

/** An ISO-8601 date such as `2013-02-01`. */
export function iso8601Date(example = '2013-02-01'): Matcher<string> {
  return regex('\\d{4}-[01]\\d-[0-3]\\d', example);
}

/** An ISO-8601 time such as `T22:44:30.652Z`. */
export function iso8601Time(example = 'T22:44:30.652Z'): Matcher<string> {
  return regex('T\\d\\d:\\d\\d(:\\d\\d)?(\\.\\d+)?(Z|[+-]\\d\\d:?\\d\\d)?', example);
}

/** An RFC-1123 timestamp such as `Mon, 31 Oct 2016 15:21:41 -0400`. */
export function rfc1123Timestamp(example = 'Mon, 31 Oct 2016 15:21:41 -0400'): Matcher<string> {
  return regex(
    '(Mon|Tue|Wed|Thu|Fri|Sat|Sun),\\s\\d{2}\\s(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\\s\\d{4}\\s\\d{2}:\\d{2}:\\d{2}\\s(\\+|-)\\d{4}',
    example,
  );
}
