/**
 * Pact `regex` rules in JavaScript. Pact regexes are written for Java (pact-jvm) or Oniguruma/Ruby
 * and match only when the WHOLE value matches (Java's `String.matches`). This module translates them
 * to anchored JavaScript RegExps, and generates random values for Pact's `Regex` generator.
 */

import type { ParsedRegex } from './ast.js';
import { RegexError } from './errors.js';
import { generateFromAst } from './generate.js';
import { parseRegex } from './parse.js';
import { translate } from './translate.js';

export type CompileResult =
  | { readonly ok: true; readonly regex: RegExp; readonly notes: string[] }
  | { readonly ok: false; readonly error: string };

interface CacheEntry {
  readonly result: CompileResult;
  /** Kept for the generator; null when compiling failed. */
  readonly parsed: ParsedRegex | null;
}

/** The matching engine compiles in hot loops, but patterns come from pact files: keep a bounded LRU. */
export const REGEX_CACHE_LIMIT = 1000;
const cache = new Map<string, CacheEntry>();

function build(pattern: string): CacheEntry {
  let parsed: ParsedRegex;
  let source: string;
  let flags: string;
  let notes: readonly string[];
  try {
    parsed = parseRegex(pattern);
    ({ source, flags, notes } = translate(parsed));
  } catch (e) {
    if (e instanceof RegexError) return { result: { ok: false, error: e.describe(pattern) }, parsed: null };
    // A safety net: the parser bounds nesting, but a pattern from a pact file must never crash the caller.
    if (e instanceof RangeError) {
      return {
        result: { ok: false, error: `Invalid regex '${pattern}': too complex to process (${e.message})` },
        parsed: null,
      };
    }
    throw e;
  }
  try {
    const regex = new RegExp(source, flags);
    // Frozen: the result is shared by every caller through the cache.
    const result: CompileResult = Object.freeze({
      ok: true,
      regex,
      notes: Object.freeze([...notes]) as string[],
    });
    return { result, parsed };
  } catch (e) {
    // Should not happen; if it does, report it like any other unusable pattern.
    const reason = e instanceof Error ? e.message : String(e);
    return {
      result: {
        ok: false,
        error: `Unsupported regex '${pattern}': JavaScript rejected its translation (${reason}); rewrite the pattern with simpler syntax`,
      },
      parsed: null,
    };
  }
}

function entryFor(pattern: string): CacheEntry {
  const hit = cache.get(pattern);
  if (hit !== undefined) {
    cache.delete(pattern);
    cache.set(pattern, hit);
    return hit;
  }
  const entry = build(pattern);
  if (cache.size >= REGEX_CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(pattern, entry);
  return entry;
}

/**
 * Compiles a Java/Oniguruma regex into a JavaScript RegExp that tests whole values, like Java's
 * `String.matches`. Results (including errors) are cached; the returned object is shared and frozen.
 * `notes` lists readings that are not exact (e.g. `\h`, backreference edge cases).
 *
 * @example
 * const c = compileWholeMatch('\\d{1,4}');
 * if (c.ok) c.regex.test('9999X'); // false — the whole value must match
 * compileWholeMatch('(?~abc)'); // { ok: false, error: "Unsupported regex '(?~abc)': the absent operator …" }
 */
export function compileWholeMatch(pattern: string): CompileResult {
  return entryFor(pattern).result;
}

/**
 * Whether the whole `value` matches `pattern`, or the reason the pattern cannot be used.
 *
 * @example
 * matchesWhole('[0-9]', '4'); // true
 * matchesWhole('\\d+', '12a'); // false
 */
export function matchesWhole(pattern: string, value: string): boolean | { error: string } {
  const compiled = compileWholeMatch(pattern);
  return compiled.ok ? compiled.regex.test(value) : { error: compiled.error };
}

/** How many candidates to try before giving up (only lookarounds and odd anchors need more than one). */
const GENERATE_ATTEMPTS = 32;

/**
 * A random string that matches `pattern` as a whole, for Pact's `Regex` generator. Unbounded
 * repetition adds at most 20 repeats; `.` and negated classes draw from printable ASCII.
 * `random` returns numbers in [0, 1), like `Math.random` (the default).
 *
 * @example
 * generateFromRegex('\\d{4}-\\d{2}-\\d{2}'); // e.g. '4821-07-39'
 * generateFromRegex('(GET|POST)', () => 0); // 'GET'
 */
export function generateFromRegex(
  pattern: string,
  random: () => number = Math.random,
): string | { error: string } {
  const entry = entryFor(pattern);
  if (!entry.result.ok) return { error: entry.result.error };
  const { regex } = entry.result;
  const ast = entry.parsed!.ast;
  for (let attempt = 0; attempt < GENERATE_ATTEMPTS; attempt++) {
    let value: string;
    try {
      value = generateFromAst(ast, random);
    } catch (e) {
      if (e instanceof RegexError) return { error: e.describe(pattern) };
      if (e instanceof RangeError) return { error: RegexError.generation(e.message).describe(pattern) };
      throw e;
    }
    if (regex.test(value)) return value;
  }
  const failure = RegexError.generation(
    `no candidate matched after ${GENERATE_ATTEMPTS} attempts; lookarounds, backreferences and anchors inside ` +
      'the pattern are only handled best-effort, so simplify the pattern or give the generator an example value',
  );
  return { error: failure.describe(pattern) };
}
