/**
 * JSON values as the matching engine sees them.
 *
 * `JSON.parse` folds `100.0` into `100` and rounds integers above 2^53, which would make the
 * `integer`/`decimal` matchers and equality of large ids wrong. Numbers whose JavaScript value
 * would lose what was written are kept as {@link JsonNumber}, everything else stays a plain value.
 */
export type JsonValue = null | boolean | number | JsonNumber | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A number kept with its source text because a JS `number` can't represent it faithfully. */
export class JsonNumber {
  /** The number exactly as written in the JSON text, e.g. `100.0` or `12345678901234567890`. */
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  /** True when the text has no fraction or exponent (a JSON integer). */
  get isInteger(): boolean {
    return !/[.eE]/.test(this.text);
  }
  valueOf(): number {
    return Number(this.text);
  }
  toString(): string {
    return this.text;
  }
  toJSON(): number {
    return Number(this.text);
  }
}

export type JsonKind = 'null' | 'boolean' | 'integer' | 'decimal' | 'string' | 'array' | 'object';

export function isJsonNumber(value: unknown): value is number | JsonNumber {
  return typeof value === 'number' || value instanceof JsonNumber;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber)
  );
}

/** Whether a JSON number is an integer as written (`100` yes, `100.0` no). */
export function isIntegerNumber(value: number | JsonNumber): boolean {
  return value instanceof JsonNumber ? value.isInteger : Number.isInteger(value);
}

export function jsonKind(value: JsonValue): JsonKind {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number' || value instanceof JsonNumber)
    return isIntegerNumber(value) ? 'integer' : 'decimal';
  if (Array.isArray(value)) return 'array';
  return 'object';
}

/** The type name used in mismatch messages, as pact-reference prints it. */
export function jsonTypeName(value: JsonValue): string {
  switch (jsonKind(value)) {
    case 'null':
      return 'Null';
    case 'boolean':
      return 'Boolean';
    case 'integer':
      return 'Integer';
    case 'decimal':
      return 'Decimal';
    case 'string':
      return 'String';
    case 'array':
      return 'Array';
    case 'object':
      return 'Map';
  }
}

/** The number's canonical text: how a number would print in a pact file. */
export function numberText(value: number | JsonNumber): string {
  return value instanceof JsonNumber ? value.text : String(value);
}

/**
 * Deep equality of JSON values. Numbers compare by kind and value: `100` equals `100` but not `100.0`
 * (an integer is not a decimal, as in the other Pact implementations); object key order is irrelevant.
 */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (isJsonNumber(a) && isJsonNumber(b)) {
    if (isIntegerNumber(a) !== isIntegerNumber(b)) return false;
    if (a instanceof JsonNumber || b instanceof JsonNumber) {
      if (a instanceof JsonNumber && b instanceof JsonNumber && a.text === b.text) return true;
      if (isIntegerNumber(a)) {
        try {
          return BigInt(numberText(a)) === BigInt(numberText(b));
        } catch {
          return false;
        }
      }
    }
    return Number(a) === Number(b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i]!, b[i]!)) return false;
    return true;
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(b, key) || !jsonEquals(a[key]!, b[key]!)) return false;
    }
    return true;
  }
  return false;
}

/** A value's text as a regex or include matcher sees it: strings as they are, the rest as compact JSON. */
export function valueAsText(value: JsonValue): string {
  if (typeof value === 'string') return value;
  return stringifyJson(value);
}

// Deeper trees take the exact path below, which needs no guard against the engine's recursion limit.
const PLAIN_TREE_MAX_DEPTH = 64;

/**
 * Whether `JSON.stringify` writes this value exactly as {@link stringifyJson} would: only null,
 * booleans, finite numbers, strings, arrays and objects of plain prototype, no {@link JsonNumber}
 * (its text would be lost) and nothing with a `toJSON` of its own.
 */
function isPlainTree(value: JsonValue, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > PLAIN_TREE_MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item === undefined || !isPlainTree(item, depth + 1)) return false;
    }
    return true;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return false;
  const object = value as JsonObject;
  for (const key in object) {
    const item = object[key];
    if (item !== undefined && !isPlainTree(item, depth + 1)) return false;
  }
  return true;
}

/**
 * Serialises a JSON value, writing {@link JsonNumber}s exactly as they were read.
 * `indent` works like `JSON.stringify`'s third argument.
 */
export function stringifyJson(value: JsonValue | undefined, indent = 0): string {
  if (value === undefined) return 'null';
  // the engine's own serialiser is several times faster and writes the same text for plain values
  if (isPlainTree(value, 0)) return JSON.stringify(value, null, indent);
  const pad = indent > 0 ? ' '.repeat(indent) : '';
  const out: string[] = [];
  write(value, '');
  return out.join('');

  function write(v: JsonValue, current: string): void {
    if (v === null) out.push('null');
    else if (typeof v === 'boolean') out.push(v ? 'true' : 'false');
    else if (typeof v === 'number') out.push(Number.isFinite(v) ? String(v) : 'null');
    else if (v instanceof JsonNumber) out.push(v.text);
    else if (typeof v === 'string') out.push(JSON.stringify(v));
    else if (Array.isArray(v)) {
      if (v.length === 0) {
        out.push('[]');
        return;
      }
      const inner = current + pad;
      out.push('[');
      v.forEach((item, i) => {
        if (i > 0) out.push(',');
        if (pad) out.push('\n', inner);
        write(item === undefined ? null : item, inner);
      });
      if (pad) out.push('\n', current);
      out.push(']');
    } else {
      const keys = Object.keys(v).filter((k) => v[k] !== undefined);
      if (keys.length === 0) {
        out.push('{}');
        return;
      }
      const inner = current + pad;
      out.push('{');
      keys.forEach((key, i) => {
        if (i > 0) out.push(',');
        if (pad) out.push('\n', inner);
        out.push(JSON.stringify(key), pad ? ': ' : ':');
        write(v[key]!, inner);
      });
      if (pad) out.push('\n', current);
      out.push('}');
    }
  }
}
