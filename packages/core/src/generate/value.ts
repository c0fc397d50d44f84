import { isJsonObject, type JsonValue, stringifyJson } from '../json/value.js';
import type { Generator } from '../model/types.js';
import { generateFromRegex } from '../regex/index.js';
import {
  compileJavaPattern,
  evaluateDateExpression,
  formatJavaPattern,
  isoDate,
  isoDateTime,
  isoTime,
} from '../time/index.js';

/** Which side is generating: the consumer's mock server, or the provider's verifier. */
export type GeneratorMode = 'consumer' | 'provider';

/**
 * What generators may draw on: provider state values (returned by state handlers), the
 * mock server's URL, a base date/time, and a random source (seedable for tests).
 */
export interface GeneratorContext {
  providerState?: Record<string, JsonValue>;
  mockServer?: { url: string };
  baseDate?: Date;
  random?: () => number;
}

export type GeneratedValue = { ok: true; value: JsonValue } | { ok: false; error: string } | { ok: 'skip' };

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789ABCDEF';

function num(g: Generator, key: string, fallback: number): number {
  const v = g[key];
  const n =
    typeof v === 'number'
      ? v
      : typeof v === 'string'
        ? Number(v)
        : v === undefined || v === null
          ? fallback
          : Number(v);
  return Number.isFinite(n) ? n : fallback;
}

function str(g: Generator, key: string): string | undefined {
  const v = g[key];
  return typeof v === 'string' ? v : undefined;
}

function randomDigits(count: number, random: () => number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(Math.floor(random() * 10));
  return out;
}

function uuid(random: () => number): string {
  const bytes = new Uint8Array(16);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues && random === Math.random) c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(random() * 256);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Looks up `a.b[0]` style keys in the provider state values (flat keys win). */
function lookup(values: Record<string, JsonValue>, key: string): JsonValue | undefined {
  if (Object.hasOwn(values, key)) return values[key];
  let current: JsonValue | undefined = values as JsonValue;
  for (const part of key.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '')) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isJsonObject(current)) current = current[part];
    else return undefined;
  }
  return current;
}

function convert(value: JsonValue, dataType: string | undefined): JsonValue {
  switch ((dataType ?? 'RAW').toUpperCase()) {
    case 'STRING':
      return typeof value === 'string' ? value : stringifyJson(value);
    case 'INTEGER':
      return Math.trunc(Number(value));
    case 'DECIMAL':
    case 'FLOAT':
      return Number(value);
    case 'BOOLEAN':
      return value === true || value === 'true';
    default:
      return value;
  }
}

/**
 * Produces one value from a generator. `original` is the example in the pact: its type decides
 * whether, say, RandomInt yields a number or a string. Generators of the other side's mode
 * (ProviderState on the consumer, MockServerURL on the provider) are skipped.
 *
 * @example generateValue({ type: 'RandomInt', min: 1, max: 6 }, 3, 'consumer', {})
 */
export function generateValue(
  generator: Generator,
  original: JsonValue | undefined,
  mode: GeneratorMode,
  context: GeneratorContext,
): GeneratedValue {
  const random = context.random ?? Math.random;
  const asOriginalType = (value: number): JsonValue => (typeof original === 'string' ? String(value) : value);
  switch (generator.type) {
    case 'RandomInt': {
      const min = Math.ceil(num(generator, 'min', 0));
      const max = Math.floor(num(generator, 'max', 10));
      if (max < min) return { ok: false, error: `RandomInt has min ${min} above max ${max}` };
      return { ok: true, value: asOriginalType(min + Math.floor(random() * (max - min + 1))) };
    }
    case 'RandomDecimal': {
      const digits = Math.max(1, Math.floor(num(generator, 'digits', 10)));
      if (digits === 1) return { ok: true, value: asOriginalType(Number(randomDigits(1, random))) };
      let text = String(1 + Math.floor(random() * 9)) + randomDigits(digits - 1, random);
      const point = 1 + Math.floor(random() * (digits - 1));
      text = `${text.slice(0, point)}.${text.slice(point)}`;
      // a trailing zero would print as an integer-looking number: keep the last digit non-zero
      if (text.endsWith('0')) text = `${text.slice(0, -1)}${1 + Math.floor(random() * 9)}`;
      return { ok: true, value: typeof original === 'string' ? text : Number(text) };
    }
    case 'RandomHexadecimal': {
      const digits = Math.max(1, Math.floor(num(generator, 'digits', 10)));
      let out = '';
      for (let i = 0; i < digits; i++) out += HEX[Math.floor(random() * 16)];
      return { ok: true, value: out };
    }
    case 'RandomString': {
      const size = Math.max(0, Math.floor(num(generator, 'size', 10)));
      let out = '';
      for (let i = 0; i < size; i++) out += ALPHANUMERIC[Math.floor(random() * ALPHANUMERIC.length)];
      return { ok: true, value: out };
    }
    case 'RandomBoolean':
      return { ok: true, value: random() < 0.5 };
    case 'Regex': {
      const pattern = str(generator, 'regex');
      if (pattern === undefined) return { ok: false, error: 'a Regex generator needs a "regex"' };
      const value = generateFromRegex(pattern, random);
      return typeof value === 'string' ? { ok: true, value } : { ok: false, error: value.error };
    }
    case 'Uuid': {
      const value = uuid(random);
      switch (str(generator, 'format') ?? 'lower-case-hyphenated') {
        case 'simple':
          return { ok: true, value: value.replace(/-/g, '') };
        case 'upper-case-hyphenated':
          return { ok: true, value: value.toUpperCase() };
        case 'URN':
          return { ok: true, value: `urn:uuid:${value}` };
        default:
          return { ok: true, value };
      }
    }
    case 'Date':
    case 'Time':
    case 'DateTime': {
      const kind = generator.type === 'Date' ? 'date' : generator.type === 'Time' ? 'time' : 'datetime';
      const base = context.baseDate ?? new Date();
      const expression = str(generator, 'expression');
      const when = expression ? evaluateDateExpression(expression, base, kind) : base;
      if (!(when instanceof Date)) return { ok: false, error: when.error };
      const format = str(generator, 'format');
      if (format) {
        const compiled = compileJavaPattern(format);
        if ('error' in compiled) return { ok: false, error: `format '${format}': ${compiled.error}` };
        return { ok: true, value: formatJavaPattern(compiled, when) };
      }
      return {
        ok: true,
        value: kind === 'date' ? isoDate(when) : kind === 'time' ? isoTime(when) : isoDateTime(when),
      };
    }
    case 'ProviderState': {
      if (mode !== 'provider') return { ok: 'skip' };
      const expression = str(generator, 'expression');
      if (expression === undefined)
        return { ok: false, error: 'a ProviderState generator needs an "expression"' };
      const values = context.providerState ?? {};
      const whole = /^\$\{([^}]+)\}$/.exec(expression);
      if (whole) {
        const found = lookup(values, whole[1]!.trim());
        if (found === undefined)
          return { ok: false, error: `no provider state value '${whole[1]}' for expression '${expression}'` };
        return { ok: true, value: convert(found, str(generator, 'dataType')) };
      }
      let missing: string | undefined;
      const text = expression.replace(/\$\{([^}]+)\}/g, (_, key: string) => {
        const found = lookup(values, key.trim());
        if (found === undefined) missing ??= key;
        return found === undefined ? '' : typeof found === 'string' ? found : stringifyJson(found);
      });
      if (missing !== undefined)
        return { ok: false, error: `no provider state value '${missing}' for expression '${expression}'` };
      return { ok: true, value: convert(text, str(generator, 'dataType')) };
    }
    case 'MockServerURL': {
      if (mode !== 'consumer') return { ok: 'skip' };
      const url = context.mockServer?.url;
      if (!url) return { ok: 'skip' };
      const example = str(generator, 'example') ?? (typeof original === 'string' ? original : '');
      const regex = str(generator, 'regex');
      let rest = '';
      if (regex) {
        try {
          rest = new RegExp(regex).exec(example)?.[1] ?? '';
        } catch {
          return { ok: false, error: `MockServerURL regex '${regex}' is not valid` };
        }
      }
      return {
        ok: true,
        value: `${url.replace(/\/$/, '')}${rest.startsWith('/') || rest === '' ? '' : '/'}${rest}`,
      };
    }
    default:
      return { ok: false, error: `unknown generator type '${generator.type}'` };
  }
}
