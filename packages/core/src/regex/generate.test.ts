import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileWholeMatch, generateFromRegex } from './index.js';

/** A tiny deterministic PRNG (mulberry32), so each fast-check seed replays exactly. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generated(pattern: string, random: () => number = Math.random): string {
  const value = generateFromRegex(pattern, random);
  if (typeof value !== 'string') throw new Error(value.error);
  return value;
}

function matches(pattern: string, value: string): boolean {
  const compiled = compileWholeMatch(pattern);
  if (!compiled.ok) throw new Error(compiled.error);
  return compiled.regex.test(value);
}

/** Patterns as they appear in real pacts. */
const REALISTIC = [
  '\\d{4}-\\d{2}-\\d{2}',
  '[A-Z]{3}\\d+',
  '(GET|POST|PUT)',
  '\\w+@\\w+\\.com',
  '[a-f0-9]{8}-[a-f0-9]{4}',
  '[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}',
  '^\\d+$',
  '\\d{1,4}',
  '(\\+|-)?\\d+(\\.\\d+)?',
  '[^\\s]+',
  '\\d{4}-[01]\\d-[0-3]\\dT[0-2]\\d:[0-5]\\d:[0-5]\\d(\\.\\d{3})?Z',
  '\\d{3}-\\d{3}-\\d{4}',
  '[0-9]{1,3}(\\.[0-9]{1,3}){3}',
  'https?://[\\w.-]+(/[\\w./-]*)?',
  'application/json(;\\s?charset=[\\w-]+)?',
  '\\w+\\s\\w+',
  '(?i)[a-z]+',
  '(?i)true|false',
  '(?i)[^a]{10}',
  'a(?i:[^b]c)',
  '[[:alpha:]]+[[:digit:]]*',
  '\\p{Alpha}{2,5}',
  '[\\p{L}\\d]+',
  '\\p{Lu}\\p{Ll}+',
  '\\p{IsGreek}+',
  '.+',
  '.*',
  '(?<id>\\d+)-\\k<id>',
  '(\\w)\\1',
  '(a|b)*c?',
  '[^,]+(,[^,]+)*',
  '\\Q1.0\\E(\\.\\d+)?',
  '[A-Z][a-z]*+',
  '(?>ab|cd)e',
  '[a-z&&[^aeiou]]{3}',
  '\\bword\\b',
  '\\Aabc\\z',
  '[\\u0041-\\u005A]+',
  '\\x{1F600}+',
  '\\h*\\S+\\R?',
  '[^a-z]{2,}',
  '(?!000)\\d{3}',
  '[\\w&&\\D]+',
  'x{2}{3}',
  '(?s).{3}',
  '(?x) \\d+ - [a-c]+ # comment',
];

describe('generateFromRegex', () => {
  it('produces values that the compiled pattern accepts as a whole', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REALISTIC), fc.integer(), (pattern, seed) => {
        const value = generateFromRegex(pattern, mulberry32(seed));
        if (typeof value !== 'string') throw new Error(value.error);
        expect(matches(pattern, value), `${pattern} generated ${JSON.stringify(value)}`).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('is deterministic for a given random source', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REALISTIC), fc.integer(), (pattern, seed) => {
        expect(generateFromRegex(pattern, mulberry32(seed))).toEqual(
          generateFromRegex(pattern, mulberry32(seed)),
        );
      }),
    );
  });

  it('defaults to Math.random', () => {
    expect(matches('[A-Z]{3}\\d+', generated('[A-Z]{3}\\d+'))).toBe(true);
  });

  it('takes the first choice and fewest repeats when random() is 0', () => {
    const zero = (): number => 0;
    expect(generated('(GET|POST)', zero)).toBe('GET');
    expect(generated('ab*c', zero)).toBe('ac');
    expect(generated('[x-z]{2,4}', zero)).toBe('xx');
    expect(generated('\\d+', zero)).toBe('0');
  });

  it('caps unbounded repetition at 20 extra', () => {
    const almostOne = (): number => 0.999999;
    expect(generated('a*', almostOne)).toBe('a'.repeat(20));
    expect(generated('a{3,}', almostOne)).toBe('a'.repeat(23));
    expect(generated('(GET|POST)', almostOne)).toBe('POST');
  });

  it('draws negated classes and . from printable ASCII', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const value = generated('[^a-z]{5}.', mulberry32(seed));
        expect(value).toMatch(/^[\x20-\x60\x7b-\x7e]{5}[\x20-\x7e]$/);
      }),
    );
  });

  it('prefers a plain space for \\s', () => {
    expect(generated('a\\sb', mulberry32(1))).toBe('a b');
  });

  it('repeats what a group produced for a backreference', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const [left, right] = generated('(\\d{3})-\\1', mulberry32(seed)).split('-');
        expect(left).toBe(right);
      }),
    );
  });

  it('handles properties outside ASCII', () => {
    expect(generated('\\p{IsCyrillic}{4}', mulberry32(7))).toMatch(/^[\u0400-\u04ff]{4}$/u);
    expect(generated('\\p{InGreek}', mulberry32(7))).toMatch(/^[\u0370-\u03ff]$/u);
  });

  it('reports patterns it cannot compile', () => {
    expect(generateFromRegex('(?~abc)')).toEqual({ error: expect.stringContaining('absent operator') });
    expect(generateFromRegex('(ab')).toEqual({ error: expect.stringContaining('unclosed group') });
  });

  it('reports patterns no value can satisfy', () => {
    expect(generateFromRegex('[^\\s\\S]')).toEqual({ error: expect.stringContaining('character class') });
    expect(generateFromRegex('a*+a')).toEqual({ error: expect.stringContaining('no candidate matched') });
    expect(generateFromRegex('(?=x)y')).toEqual({ error: expect.stringContaining('lookarounds') });
  });

  it('refuses to build huge values', () => {
    expect(generateFromRegex('(a{1000}){1000}')).toEqual({ error: expect.stringContaining('exceeds') });
    expect(generateFromRegex('(){99999999}')).toEqual({ error: expect.stringContaining('exceeds') });
  });
});
