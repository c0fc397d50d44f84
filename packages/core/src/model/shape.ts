import { JsonNumber } from '../json/value.js';

/**
 * A small shape checker for parsed pact files. It replaces zod, whose import alone cost more than
 * half of loading @covenant/core (see docs/decisions/0007-no-zod-in-core.md). It keeps zod's
 * reporting: every issue is collected in the order zod found them, with zod's default messages
 * where a schema gives none, so that error texts did not change.
 */

/** Where a value sits below the value being checked: property names and list indexes. */
export type Path = (string | number)[];

/** One thing wrong with a value: where it is and what was expected there. */
export interface Issue {
  path: Path;
  message: string;
}

/**
 * Checks `value`, found at `path`, adding what is wrong with it to `issues`; true when nothing is.
 * Passing narrows `value` to the type the shape describes.
 */
export type Shape<T> = (value: unknown, path: Path, issues: Issue[]) => value is T;

/** A shape that also accepts undefined, so the object holding it may leave the field out. */
export type OptionalShape<T> = Shape<T | undefined> & { readonly optional: true };

/** The type of the values a shape accepts. */
export type Infer<S> = S extends Shape<infer T> ? T : never;

type Fields = Record<string, Shape<unknown>>;

/** An object type for `F`, with a field optional where its shape is (as zod infers them). */
export type ObjectOf<F extends Fields> = {
  [K in keyof F as F[K] extends { optional: true } ? never : K]: Infer<F[K]>;
} & {
  [K in keyof F as F[K] extends { optional: true } ? K : never]?: Infer<F[K]>;
};

/** zod's name for a value's type in its default messages ("received array", "received JsonNumber"). */
function typeName(value: unknown): string {
  if (typeof value === 'number')
    return Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? 'number' : String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (
    typeof value === 'object' &&
    Object.getPrototypeOf(value) !== Object.prototype &&
    'constructor' in value
  ) {
    const made: unknown = value.constructor;
    if (typeof made === 'function') return made.name;
  }
  return typeof value;
}

function expected(what: string, value: unknown): string {
  return `Invalid input: expected ${what}, received ${typeName(value)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Records take only plain objects: a JsonNumber is an object but not a map of names to values. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A string; `message` replaces zod's default text when it is not one. */
export function string(message?: string): Shape<string> {
  return (value, path, issues): value is string => {
    if (typeof value === 'string') return true;
    issues.push({ path, message: message ?? expected('string', value) });
    return false;
  };
}

/** true or false; `message` replaces zod's default text when it is neither. */
export function boolean(message?: string): Shape<boolean> {
  return (value, path, issues): value is boolean => {
    if (typeof value === 'boolean') return true;
    issues.push({ path, message: message ?? expected('boolean', value) });
    return false;
  };
}

/** A number as JSON.parse gives it or as the lossless parser keeps it (a JsonNumber). */
export function jsonNumber(message: string): Shape<number | JsonNumber> {
  return (value, path, issues): value is number | JsonNumber => {
    if (typeof value === 'number' || value instanceof JsonNumber) return true;
    issues.push({ path, message });
    return false;
  };
}

/** Any value at all. */
export function unknown(): Shape<unknown> {
  return (_value, _path, _issues): _value is unknown => true;
}

/** A list whose items all have `item`'s shape; every item's issues are reported. */
export function array<T>(item: Shape<T>, message?: string): Shape<T[]> {
  return (value, path, issues): value is T[] => {
    if (!Array.isArray(value)) {
      issues.push({ path, message: message ?? expected('array', value) });
      return false;
    }
    let ok = true;
    value.forEach((v, n) => {
      if (!item(v, [...path, n], issues)) ok = false;
    });
    return ok;
  };
}

/** A plain object whose values all have `item`'s shape, whatever the names. */
export function record<T>(item: Shape<T>, message?: string): Shape<Record<string, T>> {
  return (value, path, issues): value is Record<string, T> => {
    if (!isPlainObject(value)) {
      issues.push({ path, message: message ?? expected('record', value) });
      return false;
    }
    let ok = true;
    for (const key of Object.keys(value)) {
      if (!item(value[key], [...path, key], issues)) ok = false;
    }
    return ok;
  };
}

/**
 * An object with `fields` in their shapes, checked in the order given; other fields are allowed,
 * as the spec lets implementations add their own. A field marked optional may be left out.
 */
export function looseObject<F extends Fields>(fields: F): Shape<ObjectOf<F>> {
  return (value, path, issues): value is ObjectOf<F> => {
    if (!isObject(value)) {
      issues.push({ path, message: expected('object', value) });
      return false;
    }
    let ok = true;
    for (const [key, shape] of Object.entries(fields)) {
      if (!shape(value[key], [...path, key], issues)) ok = false;
    }
    return ok;
  };
}

/**
 * One of `options`; when none fits, one issue at the value itself, as zod gives: the option's own
 * issues would mostly describe what another option expected.
 */
export function union<S extends Shape<unknown>[]>(
  options: S,
  message = 'Invalid input',
): Shape<Infer<S[number]>> {
  return (value, path, issues): value is Infer<S[number]> => {
    if (options.some((option) => option(value, path, []))) return true;
    issues.push({ path, message });
    return false;
  };
}

/** One of the object types of `O`, each with its name in the field `K`. */
export type Tagged<K extends string, O extends Record<string, Shape<object>>> = {
  [N in keyof O & string]: Infer<O[N]> & Record<K, N>;
}[keyof O & string];

/**
 * An object whose `key` field names which of `options` it must have: a value with none of those
 * names gets `message`, at the object itself if it is not an object, else at `key`.
 */
export function discriminated<K extends string, O extends Record<string, Shape<object>>>(
  key: K,
  options: O,
  message: string,
): Shape<Tagged<K, O>> {
  return (value, path, issues): value is Tagged<K, O> => {
    if (!isObject(value)) {
      issues.push({ path, message });
      return false;
    }
    const name = value[key];
    const option = typeof name === 'string' && Object.hasOwn(options, name) ? options[name] : undefined;
    if (!option) {
      issues.push({ path: [...path, key], message });
      return false;
    }
    return option(value, path, issues);
  };
}

/** `shape`, or null or undefined; a field with this shape may be left out. */
export function nullish<T>(shape: Shape<T>): OptionalShape<T | null> {
  const check = (value: unknown, path: Path, issues: Issue[]): value is T | null | undefined =>
    value === undefined || value === null || shape(value, path, issues);
  return Object.assign(check, { optional: true as const });
}

/** `shape`, or null. */
export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return (value, path, issues): value is T | null => value === null || shape(value, path, issues);
}

/** `shape`, or undefined; a field with this shape may be left out. */
export function optional<T>(shape: Shape<T>): OptionalShape<T> {
  const check = (value: unknown, path: Path, issues: Issue[]): value is T | undefined =>
    value === undefined || shape(value, path, issues);
  return Object.assign(check, { optional: true as const });
}

/** Turns the first issues into `$.path: message` lines, `prefix` being where the checked value sits. */
export function describeIssues(issues: Issue[], prefix: Path = []): string[] {
  return issues.slice(0, 5).map((issue) => {
    let text = '$';
    for (const p of [...prefix, ...issue.path])
      text += typeof p === 'number' ? `[${p}]` : /^[A-Za-z_]\w*$/.test(p) ? `.${p}` : `['${p}']`;
    return `${text}: ${issue.message}`;
  });
}
