import type { Query } from './types.js';

function decode(text: string): string {
  const plus = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

/**
 * Parses `a=1&b=2&a=3` into `{a: ['1','3'], b: ['2']}`, decoding `%xx` and `+`.
 * A name without `=` gets the value `''`; empty pieces (a trailing `&`) are skipped.
 */
export function parseQueryString(text: string): Query {
  const out: Query = {};
  const source = text.startsWith('?') ? text.slice(1) : text;
  for (const piece of source.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = decode(eq < 0 ? piece : piece.slice(0, eq));
    const value = eq < 0 ? '' : decode(piece.slice(eq + 1));
    (out[name] ??= []).push(value);
  }
  return out;
}

/** Writes a query map as `a=1&b=2`, percent-encoding what needs it. */
export function formatQueryString(query: Query): string {
  const parts: string[] = [];
  for (const [name, values] of Object.entries(query)) {
    for (const value of values) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  return parts.join('&');
}
