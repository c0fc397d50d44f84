/**
 * Random strings from the shared AST, for Pact's `Regex` generator (like Rust's rand_regex).
 * Anchors produce nothing, lookarounds are skipped (the caller validates the result against the
 * compiled regex and retries), and backreferences repeat what their group produced.
 */

import type { Node } from './ast.js';
import { type CharSet, foldSet, type Range } from './charset.js';
import { RegexError } from './errors.js';
import { emitSet } from './translate.js';

/** Extra repetitions allowed by `*`, `+` and `{n,}`. */
export const MAX_EXTRA_REPEAT = 20;
/** A guard against patterns like `(a{1000}){1000}`. */
const MAX_LENGTH = 100_000;

const PRINTABLE_ASCII: Range = [0x20, 0x7e];
/** Tried in order when a set (a negation, a property) gives no usable hint. */
const FALLBACK_POOLS: readonly (readonly Range[])[] = [
  [PRINTABLE_ASCII],
  [
    [0xa0, 0x24f],
    [0x370, 0x3ff],
    [0x400, 0x4ff],
    [0x2000, 0x206f],
    [0x3000, 0x303f],
    [0x4e00, 0x4e3f],
    [0x1f600, 0x1f64f],
    [0x00, 0x1f],
  ],
];

interface SetPicker {
  readonly matcher: RegExp;
  readonly hints: readonly Range[];
  readonly hintSize: number;
  /** Lazily computed members of the first fallback pool that has any. */
  pool: number[] | null;
}

const pickers = new WeakMap<CharSet, SetPicker>();

/** Ranges a set prefers to generate from; empty when only filtering a pool will do. */
function hints(set: CharSet): Range[] {
  switch (set.kind) {
    case 'ranges':
      return [...(set.hint ?? set.ranges)];
    case 'union':
      return set.items.flatMap(hints);
    case 'and':
      return hints(set.items[0]!);
    case 'prop':
    case 'not':
      return [];
  }
}

/** Drops surrogates: a lone surrogate is not a character a value can hold. */
function withoutSurrogates(list: readonly Range[]): Range[] {
  const out: Range[] = [];
  for (const [from, to] of list) {
    if (to < 0xd800 || from > 0xdfff) out.push([from, to]);
    else {
      if (from < 0xd800) out.push([from, 0xd7ff]);
      if (to > 0xdfff) out.push([0xe000, to]);
    }
  }
  return out;
}

function picker(set: CharSet): SetPicker {
  let found = pickers.get(set);
  if (found === undefined) {
    const list = withoutSurrogates(hints(set));
    found = {
      matcher: new RegExp(`^${emitSet(set)}$`, 'u'),
      hints: list,
      hintSize: list.reduce((sum, [from, to]) => sum + to - from + 1, 0),
      pool: null,
    };
    pickers.set(set, found);
  }
  return found;
}

const folded = new WeakMap<Node, CharSet>();

/**
 * The set a case-insensitive class really matches: `(?i)[^a]` excludes `A` too, so drawing from the
 * raw set would produce values the compiled regex rejects.
 */
function caseFolded(node: Extract<Node, { type: 'set' }>): CharSet {
  if (node.ci === 'none') return node.set;
  let set = folded.get(node);
  if (set === undefined) {
    set = foldSet(node.set, node.ci, new Set());
    folded.set(node, set);
  }
  return set;
}

class Generator {
  private out = '';
  private readonly captures = new Map<number, string>();

  constructor(private readonly random: () => number) {}

  run(ast: Node): string {
    this.node(ast);
    return this.out;
  }

  /** A uniform integer in [0, n). */
  private int(n: number): number {
    // Clamped, so a sloppy source returning 1 or a negative number cannot index out of range.
    return Math.max(0, Math.min(n - 1, Math.floor(this.random() * n)));
  }

  private append(text: string): void {
    this.out += text;
    if (this.out.length > MAX_LENGTH) {
      throw RegexError.generation(
        `generated value exceeds ${MAX_LENGTH} characters; use smaller repetition counts`,
      );
    }
  }

  private node(node: Node): void {
    switch (node.type) {
      case 'empty':
      case 'assert':
      case 'look':
        return;
      case 'char':
        this.append(String.fromCodePoint(node.cp));
        return;
      case 'dot':
        this.append(
          String.fromCharCode(PRINTABLE_ASCII[0] + this.int(PRINTABLE_ASCII[1] - PRINTABLE_ASCII[0] + 1)),
        );
        return;
      case 'set':
        this.append(String.fromCodePoint(this.pick(caseFolded(node))));
        return;
      case 'seq':
        for (const item of node.items) this.node(item);
        return;
      case 'alt':
        this.node(node.alternatives[this.int(node.alternatives.length)]!);
        return;
      case 'group': {
        const start = this.out.length;
        this.node(node.body);
        if (node.kind === 'capture') this.captures.set(node.index, this.out.slice(start));
        return;
      }
      case 'repeat': {
        const max = node.max === Infinity ? node.min + MAX_EXTRA_REPEAT : node.max;
        const count = node.min + this.int(max - node.min + 1);
        // Each useful iteration adds a character, so more than MAX_LENGTH of them cannot fit anyway.
        if (count > MAX_LENGTH)
          throw RegexError.generation(`a repetition of ${count} exceeds ${MAX_LENGTH} characters`);
        for (let n = 0; n < count; n++) this.node(node.body);
        return;
      }
      case 'backref':
        this.append(this.captures.get(node.index) ?? '');
        return;
    }
  }

  /** A random member of the set: from its own ranges when it has some, else from a fallback pool. */
  private pick(set: CharSet): number {
    const p = picker(set);
    for (let attempt = 0; attempt < 32 && p.hintSize > 0; attempt++) {
      let offset = this.int(p.hintSize);
      for (const [from, to] of p.hints) {
        const size = to - from + 1;
        if (offset < size) {
          const cp = from + offset;
          if (p.matcher.test(String.fromCodePoint(cp))) return cp;
          break;
        }
        offset -= size;
      }
    }
    if (p.pool === null) {
      p.pool = [];
      for (const pool of FALLBACK_POOLS) {
        for (const [from, to] of pool) {
          for (let cp = from; cp <= to; cp++) if (p.matcher.test(String.fromCodePoint(cp))) p.pool.push(cp);
        }
        if (p.pool.length > 0) break;
      }
    }
    if (p.pool.length === 0) {
      throw RegexError.generation(
        'a character class that no printable character satisfies cannot be generated',
      );
    }
    return p.pool[this.int(p.pool.length)]!;
  }
}

/**
 * One random string built from the AST. It usually matches the pattern; the caller checks it,
 * because lookarounds and anchors in the middle of a pattern are not taken into account.
 *
 * @example
 * generateFromAst(parseRegex('[A-Z]{3}\\d').ast, Math.random) // e.g. 'QXF7'
 */
export function generateFromAst(ast: Node, random: () => number): string {
  return new Generator(random).run(ast);
}
