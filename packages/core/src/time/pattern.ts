/**
 * Tokeniser for Java date/time patterns (java.time `DateTimeFormatter.ofPattern` syntax, which is also
 * what `SimpleDateFormat` patterns mostly are).
 */

/** Default pattern of Pact's `date` matcher and `Date` generator. */
export const DEFAULT_DATE_FORMAT = 'yyyy-MM-dd';
/** Default pattern of Pact's `time` matcher and `Time` generator. */
export const DEFAULT_TIME_FORMAT = 'HH:mm:ss';
/** Default pattern of Pact's `datetime`/`timestamp` matchers and `DateTime` generator. */
export const DEFAULT_DATETIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ssXXX";

/** Pattern letters we understand, with the largest repeat count Java accepts for each. */
const MAX_COUNT = {
  G: 5,
  y: 19,
  u: 19,
  Y: 19,
  M: 5,
  L: 5,
  d: 2,
  D: 3,
  E: 5,
  e: 5,
  a: 1,
  h: 2,
  H: 2,
  k: 2,
  K: 2,
  m: 2,
  s: 2,
  S: 9,
  n: 9,
  A: 19,
  N: 19,
  V: 2,
  z: 4,
  Z: 5,
  O: 4,
  X: 5,
  x: 5,
  Q: 5,
  q: 5,
  w: 2,
  W: 1,
  F: 1,
} as const;

export type PatternLetter = keyof typeof MAX_COUNT;

export interface LiteralToken {
  readonly kind: 'literal';
  readonly text: string;
  /** Index in the pattern where this literal starts. */
  readonly position: number;
}

export interface FieldToken {
  readonly kind: 'field';
  readonly letter: PatternLetter;
  /** How many times the letter is repeated (`yyyy` → 4). */
  readonly count: number;
  readonly position: number;
}

/** `[` in the pattern: the section up to the matching `]` may be absent when parsing. */
export interface OptionalStartToken {
  readonly kind: 'optionalStart';
  /** Index (in `tokens`) of the matching `optionalEnd` token. */
  readonly end: number;
  readonly position: number;
}

export interface OptionalEndToken {
  readonly kind: 'optionalEnd';
  readonly position: number;
}

export type PatternToken = LiteralToken | FieldToken | OptionalStartToken | OptionalEndToken;

export interface CompiledPattern {
  readonly pattern: string;
  readonly tokens: readonly PatternToken[];
}

function isPatternLetter(ch: string): ch is PatternLetter {
  return Object.hasOwn(MAX_COUNT, ch);
}

function isAsciiLetter(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/** Checks a run of one letter against Java's rules; returns an error message or undefined. */
function checkCount(letter: PatternLetter, count: number, position: number): string | undefined {
  const run = letter.repeat(count);
  if (letter === 'V' && count !== 2) {
    return `pattern letter 'V' at position ${position} must be written exactly twice ('VV'), got '${run}'`;
  }
  if (letter === 'O' && count !== 1 && count !== 4) {
    return `pattern letter 'O' at position ${position} must be written once ('O') or four times ('OOOO'), got '${run}'`;
  }
  const max = MAX_COUNT[letter];
  if (count > max) {
    return `too many pattern letters '${run}' at position ${position} ('${letter}' may be repeated at most ${max} time${max === 1 ? '' : 's'})`;
  }
  return undefined;
}

/**
 * Tokenises a Java date/time pattern.
 *
 * Letters are fields (the repeat count matters: `MM` vs `MMM`), text in single quotes is literal
 * (`''` is a literal quote), `[`…`]` marks an optional section, and any other non-letter is literal.
 * As in Java, every ASCII letter is reserved: unknown letters, and `{`, `}` and `#`, are errors.
 *
 * @example
 * compileJavaPattern("yyyy-MM-dd'T'HH:mm");  // { pattern, tokens: [y×4, '-', M×2, '-', d×2, 'T', H×2, ':', m×2] }
 * compileJavaPattern('yyyy-bb');              // { error: "unknown pattern letter 'b' at position 5 ..." }
 */
export function compileJavaPattern(pattern: string): CompiledPattern | { error: string } {
  const tokens: PatternToken[] = [];
  const openSections: number[] = [];
  let literal = '';
  let literalStart = 0;

  const addLiteral = (text: string, position: number): void => {
    if (literal === '') literalStart = position;
    literal += text;
  };
  const flushLiteral = (): void => {
    if (literal !== '') tokens.push({ kind: 'literal', text: literal, position: literalStart });
    literal = '';
  };

  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === "'") {
      if (pattern[i + 1] === "'") {
        addLiteral("'", i);
        i += 2;
        continue;
      }
      // Quoted text runs to the next lone quote; '' inside it is an escaped quote.
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= pattern.length) return { error: `unterminated quoted text starting at position ${i}` };
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += pattern[j];
        j++;
      }
      addLiteral(text, i);
      i = j + 1;
    } else if (isAsciiLetter(ch)) {
      if (!isPatternLetter(ch)) {
        return {
          error: `unknown pattern letter '${ch}' at position ${i} (quote literal text, e.g. 'T', to use letters as text)`,
        };
      }
      let count = 1;
      while (pattern[i + count] === ch) count++;
      const problem = checkCount(ch, count, i);
      if (problem !== undefined) return { error: problem };
      flushLiteral();
      tokens.push({ kind: 'field', letter: ch, count, position: i });
      i += count;
    } else if (ch === '[') {
      flushLiteral();
      openSections.push(tokens.length);
      tokens.push({ kind: 'optionalStart', end: -1, position: i });
      i++;
    } else if (ch === ']') {
      const start = openSections.pop();
      if (start === undefined) return { error: `']' at position ${i} has no matching '['` };
      flushLiteral();
      closeSection(tokens, start, i);
      i++;
    } else if (ch === '{' || ch === '}' || ch === '#') {
      return { error: `'${ch}' at position ${i} is reserved; quote it ('${ch}') to use it as literal text` };
    } else {
      addLiteral(ch, i);
      i++;
    }
  }
  flushLiteral();
  // Like Java, sections left open are closed at the end of the pattern.
  for (let start = openSections.pop(); start !== undefined; start = openSections.pop()) {
    closeSection(tokens, start, pattern.length);
  }
  return { pattern, tokens };
}

function closeSection(tokens: PatternToken[], start: number, position: number): void {
  const open = tokens[start]!;
  tokens[start] = { kind: 'optionalStart', end: tokens.length, position: open.position };
  tokens.push({ kind: 'optionalEnd', position });
}

/** Compiles a pattern, throwing on errors; for callers that take a pattern they cannot report back. */
export function compileOrThrow(pattern: string | CompiledPattern): CompiledPattern {
  if (typeof pattern !== 'string') return pattern;
  const compiled = compileJavaPattern(pattern);
  if ('error' in compiled) throw new Error(`invalid date/time pattern '${pattern}': ${compiled.error}`);
  return compiled;
}
