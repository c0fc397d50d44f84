import { type JsonValue, jsonTypeName, stringifyJson } from '../json/value.js';

/** A value as mismatch messages show it: `'text'` for strings, JSON for the rest. */
export function show(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${value}'`;
  const text = stringifyJson(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** A value with its type, e.g. `'100' (String)`. */
export function showTyped(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  return `${show(value)} (${jsonTypeName(value)})`;
}
