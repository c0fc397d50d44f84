/**
 * Character sets: what one "character" position of a regex (a class, an escape such as `\d`, a Unicode
 * property) can match, as a small algebra the translator and the generator share. Sets always
 * describe whole code points: the translated regex runs with the `u` flag.
 */

/** An inclusive code point range `[from, to]`. */
export type Range = readonly [number, number];

export type CharSet =
  /** Explicit code points. `hint` narrows what the generator prefers to produce (e.g. `\s` → space). */
  | { readonly kind: 'ranges'; readonly ranges: readonly Range[]; readonly hint: readonly Range[] | null }
  /** A Unicode property as JavaScript spells it inside `\p{...}`, e.g. `L`, `Script=Greek`, `Alphabetic`. */
  | { readonly kind: 'prop'; readonly name: string; readonly negate: boolean }
  | { readonly kind: 'union'; readonly items: readonly CharSet[] }
  | { readonly kind: 'and'; readonly items: readonly CharSet[] }
  | { readonly kind: 'not'; readonly item: CharSet };

export const MAX_CODE_POINT = 0x10ffff;

/**
 * Sorts and merges ranges so equal sets have equal range lists.
 *
 * @example
 * normalizeRanges([[5, 9], [0, 5]]) // [[0, 9]]
 */
export function normalizeRanges(input: readonly Range[]): Range[] {
  const sorted = [...input].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/**
 * The code points (up to U+10FFFF) not in `input`.
 *
 * @example
 * complementRanges([[0x30, 0x39]]) // [[0, 0x2f], [0x3a, 0x10ffff]]
 */
export function complementRanges(input: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [from, to] of normalizeRanges(input)) {
    if (from > next) out.push([next, from - 1]);
    next = to + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/**
 * A set of explicit code point ranges (normalized).
 *
 * @example
 * ranges([[0x61, 0x7a]]) // [a-z]
 */
export function ranges(list: readonly Range[], hint: readonly Range[] | null = null): CharSet {
  return { kind: 'ranges', ranges: normalizeRanges(list), hint };
}

/**
 * A one-character set.
 *
 * @example
 * single(0x41) // [A]
 */
export function single(cp: number): CharSet {
  return ranges([[cp, cp]]);
}

/**
 * A Unicode property set, named as JavaScript's `\p{...}` expects.
 *
 * @example
 * prop('Lu') // \p{Lu}
 */
export function prop(name: string, negate = false): CharSet {
  return { kind: 'prop', name, negate };
}

/**
 * A union, flattening nested unions (a one-item union is the item itself).
 *
 * @example
 * union([single(0x61), prop('Nd')]) // [a\p{Nd}]
 */
export function union(items: readonly CharSet[]): CharSet {
  const flat: CharSet[] = [];
  for (const item of items) {
    if (item.kind === 'union') flat.push(...item.items);
    else flat.push(item);
  }
  if (flat.length === 1) return flat[0]!;
  return { kind: 'union', items: flat };
}

/**
 * An intersection (Java's `&&`); a one-item intersection is the item itself.
 *
 * @example
 * and([ranges([[0x61, 0x7a]]), not(single(0x65))]) // [a-z&&[^e]]
 */
export function and(items: readonly CharSet[]): CharSet {
  if (items.length === 1) return items[0]!;
  return { kind: 'and', items };
}

/**
 * The complement of a set; double negations and negated properties collapse.
 *
 * @example
 * not(prop('L')) // \P{L}
 */
export function not(item: CharSet): CharSet {
  if (item.kind === 'not') return item.item;
  if (item.kind === 'prop') return prop(item.name, !item.negate);
  return { kind: 'not', item };
}

// ---- ASCII tables (Java's default, non-UNICODE_CHARACTER_CLASS meanings) ----

export const DIGIT: readonly Range[] = [[0x30, 0x39]];
export const WORD: readonly Range[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
/** Java's `\s`: `[ \t\n\x0B\f\r]` (ASCII only, unlike JavaScript's `\s`). */
export const SPACE: readonly Range[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
];
/** Java's `\h`. */
export const HSPACE: readonly Range[] = [
  [0x09, 0x09],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x180e, 0x180e],
  [0x2000, 0x200a],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
];
/** Java's `\v` (and the set half of `\R`). */
export const VSPACE: readonly Range[] = [
  [0x0a, 0x0d],
  [0x85, 0x85],
  [0x2028, 0x2029],
];
const SPACE_HINT: readonly Range[] = [[0x20, 0x20]];

export const digitSet = (): CharSet => ranges(DIGIT);
export const wordSet = (): CharSet => ranges(WORD);
export const spaceSet = (): CharSet => ranges(SPACE, SPACE_HINT);
export const hspaceSet = (): CharSet => ranges(HSPACE, SPACE_HINT);
export const vspaceSet = (): CharSet => ranges(VSPACE, [[0x0a, 0x0a]]);

/** UNICODE_CHARACTER_CLASS `(?U)` meanings of `\d`, `\w`, `\s`. */
export const unicodeDigitSet = (): CharSet => prop('Nd');
export const unicodeWordSet = (): CharSet =>
  union(['Alphabetic', 'Mn', 'Me', 'Mc', 'Nd', 'Pc', 'Join_Control'].map((name) => prop(name)));
export const unicodeSpaceSet = (): CharSet => prop('White_Space');

/**
 * POSIX classes, ASCII meaning: Java's `\p{Alpha}`… and `[[:alpha:]]` (as the Rust `regex` crate reads it).
 * Keys are lower case.
 */
const POSIX_ASCII: Readonly<Record<string, readonly Range[]>> = {
  lower: [[0x61, 0x7a]],
  upper: [[0x41, 0x5a]],
  ascii: [[0x00, 0x7f]],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  digit: DIGIT,
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  graph: [[0x21, 0x7e]],
  print: [[0x20, 0x7e]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
  space: SPACE,
  word: WORD,
};

/** Java's UNICODE_CHARACTER_CLASS definitions of the POSIX classes. */
function posixUnicode(name: string): CharSet | undefined {
  const graph = (): CharSet => not(union([prop('White_Space'), prop('Cc'), prop('Cs'), prop('Cn')]));
  const blank = (): CharSet =>
    and([
      prop('White_Space'),
      not(
        union([
          prop('Zl'),
          prop('Zp'),
          ranges([
            [0x0a, 0x0d],
            [0x85, 0x85],
          ]),
        ]),
      ),
    ]);
  switch (name) {
    case 'lower':
      return prop('Lowercase');
    case 'upper':
      return prop('Uppercase');
    case 'alpha':
      return prop('Alphabetic');
    case 'digit':
      return prop('Nd');
    case 'alnum':
      return union([prop('Alphabetic'), prop('Nd')]);
    case 'punct':
      return prop('P');
    case 'graph':
      return graph();
    case 'print':
      return and([union([graph(), blank()]), not(prop('Cc'))]);
    case 'blank':
      return blank();
    case 'cntrl':
      return prop('Cc');
    case 'xdigit':
      return union([prop('Nd'), prop('Hex_Digit')]);
    case 'space':
      return prop('White_Space');
    case 'word':
      return unicodeWordSet();
    default:
      return undefined;
  }
}

/**
 * A POSIX class by lower-case name (`alpha`, `digit`…), ASCII unless `unicode`; undefined if unknown.
 *
 * @example
 * posixSet('alpha', false) // [A-Za-z]
 */
export function posixSet(name: string, unicode: boolean): CharSet | undefined {
  const ascii = POSIX_ASCII[name];
  if (ascii === undefined) return undefined;
  if (name === 'ascii' || !unicode) return ranges(ascii, name === 'space' ? SPACE_HINT : null);
  return posixUnicode(name);
}

// ---- case folding, for case-insensitive parts of a pattern that is only partly case-insensitive ----

/**
 * Characters that Unicode simple case folding equates but `toLowerCase`/`toUpperCase` do not reach
 * from every member (Kelvin sign and `k`, long s and `s`, final sigma…).
 */
const FOLD_ORBITS: readonly (readonly number[])[] = [
  [0x6b, 0x212a],
  [0x73, 0x17f],
  [0xe5, 0x212b],
  [0xdf, 0x1e9e],
  [0xb5, 0x3bc],
  [0x3c9, 0x2126],
  [0x3c3, 0x3c2],
  [0x3b2, 0x3d0],
  [0x3b5, 0x3f5],
  [0x3b8, 0x3d1, 0x3f4],
  [0x3b9, 0x345, 0x1fbe],
  [0x3ba, 0x3f0],
  [0x3c0, 0x3d6],
  [0x3c1, 0x3f1],
  [0x3c6, 0x3d5],
  [0x1e61, 0x1e9b],
];

/**
 * One code point's case variants (itself first). `ascii` is Java's default `(?i)`: only ASCII
 * letters pair up. `unicode` is `(?iu)`: single-character upper/lower mappings, closed over.
 *
 * @example
 * caseVariants(0x6b, 'ascii') // [0x6b, 0x4b]: k, K
 * caseVariants(0x6b, 'unicode') // [0x6b, 0x4b, 0x212a]: k, K and the Kelvin sign
 */
export function caseVariants(cp: number, mode: 'ascii' | 'unicode'): number[] {
  if (mode === 'ascii') {
    if (cp >= 0x41 && cp <= 0x5a) return [cp, cp + 0x20];
    if (cp >= 0x61 && cp <= 0x7a) return [cp, cp - 0x20];
    return [cp];
  }
  const out = [cp];
  for (let i = 0; i < out.length; i++) {
    const ch = String.fromCodePoint(out[i]!);
    const related = [ch.toLowerCase(), ch.toUpperCase()]
      // Multi-character mappings (ß → SS) are not single-character case variants.
      .filter((variant) => variant.length === String.fromCodePoint(variant.codePointAt(0)!).length)
      .map((variant) => variant.codePointAt(0)!);
    for (const orbit of FOLD_ORBITS) if (orbit.includes(out[i]!)) related.push(...orbit);
    for (const variant of related) if (!out.includes(variant)) out.push(variant);
  }
  return out;
}

/** Largest range folded code point by code point under (?iu); wider ranges only fold ASCII (and are noted). */
const MAX_FOLDED_RANGE = 4096;

/**
 * Adds case variants to a set's explicit code points, so a set from a `(?i:...)` part matches
 * case-insensitively in a regex compiled without the `i` flag. Variants are added before any
 * negation, as Java does (`(?i)[^a]` excludes both `a` and `A`).
 *
 * @example
 * foldSet(ranges([[0x61, 0x63]]), 'ascii', new Set()) // [a-cA-C]
 */
export function foldSet(set: CharSet, mode: 'ascii' | 'unicode', notes: Set<string>): CharSet {
  switch (set.kind) {
    case 'ranges': {
      const out: Range[] = [...set.ranges];
      for (const [from, to] of set.ranges) {
        if (mode === 'unicode' && to - from < MAX_FOLDED_RANGE) {
          for (let cp = from; cp <= to; cp++) {
            for (const variant of caseVariants(cp, mode)) if (variant !== cp) out.push([variant, variant]);
          }
          continue;
        }
        if (mode === 'unicode') {
          notes.add(
            'A very wide range inside a (?iu) group only has its ASCII letters matched case-insensitively; ' +
              'list both cases explicitly if that matters.',
          );
        }
        const upperFrom = Math.max(from, 0x41);
        const upperTo = Math.min(to, 0x5a);
        if (upperFrom <= upperTo) out.push([upperFrom + 0x20, upperTo + 0x20]);
        const lowerFrom = Math.max(from, 0x61);
        const lowerTo = Math.min(to, 0x7a);
        if (lowerFrom <= lowerTo) out.push([lowerFrom - 0x20, lowerTo - 0x20]);
      }
      return ranges(out, set.hint);
    }
    case 'prop': {
      // Java: under (?i) a case category matches letters of any case (\p{Lu} matches `a`).
      if (set.name === 'Lu' || set.name === 'Ll' || set.name === 'Lt') return prop('LC', set.negate);
      if (set.name === 'Lowercase' || set.name === 'Uppercase') {
        const cased = union([prop('Lowercase'), prop('Uppercase'), prop('Lt')]);
        return set.negate ? not(cased) : cased;
      }
      return set;
    }
    case 'union':
      return union(set.items.map((item) => foldSet(item, mode, notes)));
    case 'and':
      return and(set.items.map((item) => foldSet(item, mode, notes)));
    case 'not':
      return not(foldSet(set.item, mode, notes));
  }
}

/**
 * True when case-insensitivity can change what the set matches (it holds letters).
 *
 * @example
 * setHasCase(ranges([[0x30, 0x39]])) // false: digits have no case
 */
export function setHasCase(set: CharSet): boolean {
  switch (set.kind) {
    case 'ranges':
      return set.ranges.some(
        ([from, to]) => (from <= 0x5a && to >= 0x41) || (from <= 0x7a && to >= 0x61) || to >= 0x80,
      );
    case 'prop':
      return true;
    case 'union':
    case 'and':
      return set.items.some(setHasCase);
    case 'not':
      return setHasCase(set.item);
  }
}
