/**
 * AST → JavaScript RegExp source, anchored for whole-value matching.
 *
 * The output always uses the `u` flag. Because every escape is re-emitted from the AST, the `u`
 * flag's strict syntax never bites (a Java `\-` or `\_` is emitted as the bare character), and it
 * brings the semantics Java and Oniguruma have: `.`/`[^a]`/`\S` consume a whole code point (an emoji
 * is one character, not two), and `\p{...}` properties work.
 *
 * The `m` and `s` flags are never used: line anchors and dot-all are spelled out per node, so `^`/`$`
 * in the output always mean start/end of input and inline flags can switch mid-pattern. Likewise
 * case-insensitive parts are usually case-folded by hand (`(?i)ab` → `[aA][bB]`), which is exactly
 * Java's ASCII-only `(?i)` and needs no RegExp modifiers; see {@link caseStrategy} for when the `i`
 * flag is used instead.
 */

import type { AssertKind, CaseMode, Node, ParsedRegex } from './ast.js';
import {
  type CharSet,
  caseVariants,
  complementRanges,
  foldSet,
  setHasCase,
  unicodeWordSet,
} from './charset.js';
import { RegexError } from './errors.js';

export interface Translation {
  /** Source for `new RegExp(source, flags)`, already wrapped as `^(?:…)$`. */
  readonly source: string;
  readonly flags: string;
  /** Lossy or ambiguous readings, for the caller to show. */
  readonly notes: readonly string[];
}

export const TRANSLATION_NOTES = {
  backref:
    'A backreference refers to a group that may not take part in the match: JavaScript then matches the empty ' +
    'string where Java fails the match.',
  emptyIteration:
    'An atomic group or possessive quantifier contains a repetition whose body can match nothing; Java ends ' +
    'such a loop at an empty iteration while JavaScript retries it, so rare inputs may match differently.',
  lookbehindAtomic:
    'An atomic group or possessive quantifier inside a lookbehind is translated as a plain (backtracking) one.',
  asciiCase:
    "Java's (?i) without (?u) ignores case for ASCII letters only; because of a case-insensitive backreference " +
    'the translation uses the JavaScript i flag, which also ignores case beyond ASCII (é and É, k and the ' +
    'Kelvin sign).',
} as const;

/** Characters escaped with a backslash (all are valid identity escapes under the `u` flag). */
const SYNTAX_CHARS = '^$\\.*+?()[]{}|/';

const CONTROL_ESCAPES: Readonly<Record<number, string>> = {
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
};

/**
 * One code point as regex source; `inClass` also escapes `-`.
 *
 * @example
 * escapeCodePoint(0x2e, false) // '\\.'
 * escapeCodePoint(0xe9, false) // '\\u{e9}'
 */
export function escapeCodePoint(cp: number, inClass: boolean): string {
  if (cp >= 0x20 && cp <= 0x7e) {
    const ch = String.fromCharCode(cp);
    if (SYNTAX_CHARS.includes(ch) || (inClass && ch === '-')) return `\\${ch}`;
    return ch;
  }
  const named = CONTROL_ESCAPES[cp];
  if (named !== undefined) return named;
  return `\\u{${cp.toString(16)}}`;
}

/** The inside of a `[...]` for sets that are plain lists of ranges and properties, else null. */
function classBody(set: CharSet): string | null {
  switch (set.kind) {
    case 'ranges':
      return set.ranges
        .map(([from, to]) => {
          if (from === to) return escapeCodePoint(from, true);
          const sep = to === from + 1 ? '' : '-';
          return `${escapeCodePoint(from, true)}${sep}${escapeCodePoint(to, true)}`;
        })
        .join('');
    case 'prop':
      return `\\${set.negate ? 'P' : 'p'}{${set.name}}`;
    case 'union': {
      let out = '';
      for (const item of set.items) {
        const body = classBody(item);
        if (body === null) return null;
        out += body;
      }
      return out;
    }
    case 'not':
      if (set.item.kind === 'ranges')
        return classBody({ kind: 'ranges', ranges: complementRanges(set.item.ranges), hint: null });
      return null;
    case 'and':
      return null;
  }
}

/**
 * A set as an expression consuming exactly one code point. Plain sets become `[...]`; intersections
 * and nested negations (which `u`-mode classes cannot express) use lookaheads at the same position:
 * `A && B` → `(?=A)B`, `not A` → `(?!A)[\s\S]`.
 *
 * @example
 * emitSet(and([ranges([[0x61, 0x7a]]), not(single(0x65))])) // '(?:(?=[a-z])[^e])'
 */
export function emitSet(set: CharSet): string {
  if (set.kind === 'not') {
    const inner = classBody(set.item);
    return inner !== null ? `[^${inner}]` : `(?:(?!${emitSet(set.item)})[\\s\\S])`;
  }
  const body = classBody(set);
  if (body !== null) return `[${body}]`;
  switch (set.kind) {
    case 'and': {
      const ahead = set.items.slice(0, -1).map((item) => `(?=${emitSet(item)})`);
      return `(?:${ahead.join('')}${emitSet(set.items[set.items.length - 1]!)})`;
    }
    case 'union': {
      const flat: string[] = [];
      const other: string[] = [];
      for (const item of set.items) {
        const itemBody = classBody(item);
        if (itemBody !== null) flat.push(itemBody);
        else other.push(emitSet(item));
      }
      const parts = flat.length > 0 ? [`[${flat.join('')}]`, ...other] : other;
      return `(?:${parts.join('|')})`;
    }
    default:
      throw new Error('unreachable: flat set');
  }
}

const LINE_TERMINATOR = '[\\n\\r\\u0085\\u2028\\u2029]';
/** Not between the `\r` and `\n` of a CRLF, which Java treats as one line terminator. */
const NOT_INSIDE_CRLF = '(?!(?<=\\r)\\n)';

/**
 * Java's anchors, spelled with start/end-of-input `^`/`$` (the output never uses the `m` flag).
 * `terminal`: nothing after this point can consume input, so any end anchor reduces to `$`.
 */
function emitAssert(kind: AssertKind, unixLines: boolean, unicodeWord: boolean, terminal: boolean): string {
  switch (kind) {
    case 'start':
      return '^';
    case 'end':
      return '$';
    case 'endBeforeFinalTerminator':
      if (terminal) return '$';
      return unixLines ? '(?=\\n?$)' : `(?=(?:\\r\\n|${LINE_TERMINATOR})?$)${NOT_INSIDE_CRLF}`;
    case 'lineStart':
      // Java: at the start or after a line terminator, but never at the very end of input.
      return unixLines ? '(?<![^\\n])(?!$)' : `(?<![^\\n\\r\\u0085\\u2028\\u2029])${NOT_INSIDE_CRLF}(?!$)`;
    case 'lineEnd':
      if (terminal) return '$';
      return unixLines ? '(?=\\n|$)' : `(?=${LINE_TERMINATOR}|$)${NOT_INSIDE_CRLF}`;
    case 'wordBoundary':
    case 'notWordBoundary': {
      if (!unicodeWord) return kind === 'wordBoundary' ? '\\b' : '\\B';
      const w = emitSet(unicodeWordSet());
      return kind === 'wordBoundary'
        ? `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`
        : `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`;
    }
  }
}

type CaseStrategy = 'none' | 'flag' | 'manual';

/**
 * Decides how case-insensitivity is expressed.
 *
 * - `manual` (the default): case-insensitive literals and sets get their case variants spelled out.
 *   This is exact for Java's default `(?i)`, which folds ASCII letters only — JavaScript's `i` flag
 *   would also fold `é`/`É`, and under `u` even the Kelvin sign `K` with `k`.
 * - `flag`: the JavaScript `i` flag, when the whole pattern is case-insensitive and needs it: a
 *   case-insensitive backreference (which cannot be spelled out), or only Unicode-case `(?iu)`
 *   parts (where JavaScript's Unicode case folding is what Java does too).
 */
function caseStrategy(ast: Node, notes: Set<string>): CaseStrategy {
  let ascii = 0;
  let unicode = 0;
  let sensitive = 0;
  let backrefs = 0;
  const count = (ci: CaseMode): void => {
    if (ci === 'none') sensitive++;
    else if (ci === 'unicode') unicode++;
    else ascii++;
  };
  const visit = (node: Node): void => {
    switch (node.type) {
      case 'char':
        if (caseVariants(node.cp, 'unicode').length > 1) count(node.ci);
        return;
      case 'set':
        if (setHasCase(node.set)) count(node.ci);
        return;
      case 'backref':
        count(node.ci);
        if (node.ci !== 'none') backrefs++;
        return;
      case 'seq':
        node.items.forEach(visit);
        return;
      case 'alt':
        node.alternatives.forEach(visit);
        return;
      case 'group':
      case 'look':
      case 'repeat':
        visit(node.body);
        return;
      default:
        return;
    }
  };
  visit(ast);
  if (ascii + unicode === 0) return 'none';
  // Mixed with case-sensitive parts, a case-insensitive backreference is reported by the emitter.
  if (sensitive > 0) return 'manual';
  if (backrefs > 0) {
    if (ascii > 0) notes.add(TRANSLATION_NOTES.asciiCase);
    return 'flag';
  }
  return ascii === 0 ? 'flag' : 'manual';
}

/** Marks a backreference in the output until capture numbers are final (NUL never appears otherwise). */
const BACKREF_SLOT = /\0(\d+)\0/g;

class Emitter {
  /** Groups opened so far in the output, user groups and helper groups alike. */
  private groups = 0;
  /** User capture index → output capture index (helper groups shift the numbering). */
  readonly groupMap = new Map<number, number>();
  /** Depth of constructs a group may be skipped in (alternation, optional repeat, lookaround). */
  private conditional = 0;
  /** User groups that may not take part in a match. */
  private readonly conditionalGroups = new Set<number>();
  /** User groups being emitted (a reference from inside its own group). */
  private readonly openGroups = new Set<number>();

  constructor(
    private readonly strategy: CaseStrategy,
    readonly notes: Set<string>,
  ) {}

  /**
   * `terminal`: nothing after this node consumes input. `behind`: inside a lookbehind, where the
   * lookahead-and-backreference emulation of atomic groups does not work (lookbehinds match backwards).
   */
  emit(node: Node, terminal: boolean, behind: boolean): string {
    switch (node.type) {
      case 'empty':
        return '';
      case 'char': {
        if (this.strategy === 'manual' && node.ci !== 'none') {
          const variants = caseVariants(node.cp, node.ci);
          if (variants.length > 1) return `[${variants.map((cp) => escapeCodePoint(cp, true)).join('')}]`;
        }
        return escapeCodePoint(node.cp, false);
      }
      case 'set':
        return emitSet(
          this.strategy === 'manual' && node.ci !== 'none'
            ? foldSet(node.set, node.ci, this.notes)
            : node.set,
        );
      case 'dot':
        // Java's `.` stops at \n, \r, \u0085, \u2028, \u2029 (only \n under (?d)).
        if (node.dotAll) return '[\\s\\S]';
        return node.unixLines ? '[^\\n]' : '[^\\n\\r\\u0085\\u2028\\u2029]';
      case 'seq': {
        // Items after the last consuming one are terminal when the sequence is.
        let lastConsuming = -1;
        node.items.forEach((item, i) => {
          if (item.type !== 'assert' && item.type !== 'look' && item.type !== 'empty') lastConsuming = i;
        });
        return node.items.map((item, i) => this.emit(item, terminal && i >= lastConsuming, behind)).join('');
      }
      case 'alt':
        return this.conditionally(() =>
          node.alternatives.map((alternative) => this.emit(alternative, terminal, behind)).join('|'),
        );
      case 'group':
        return this.group(node, terminal, behind);
      case 'look': {
        const body = this.conditionally(() => this.emit(node.body, false, node.behind));
        return `(?${node.behind ? '<' : ''}${node.negate ? '!' : '='}${body})`;
      }
      case 'repeat':
        return this.repeat(node, behind);
      case 'assert':
        return emitAssert(node.kind, node.unixLines, node.unicodeWord, terminal);
      case 'backref':
        if (this.strategy === 'manual' && node.ci !== 'none') {
          throw RegexError.unsupported(
            node.at,
            'a case-insensitive backreference in a partly case-insensitive pattern',
            'make the whole pattern case-insensitive with a leading (?i)',
          );
        }
        if (
          !this.groupMap.has(node.index) ||
          this.openGroups.has(node.index) ||
          this.conditionalGroups.has(node.index)
        ) {
          this.notes.add(TRANSLATION_NOTES.backref);
        }
        return `\0${node.index}\0`;
    }
  }

  private conditionally<T>(emit: () => T, when = true): T {
    if (when) this.conditional++;
    try {
      return emit();
    } finally {
      if (when) this.conditional--;
    }
  }

  private group(node: Extract<Node, { type: 'group' }>, terminal: boolean, behind: boolean): string {
    if (node.kind === 'capture') {
      // Numbered before the body: capture numbers follow opening parentheses.
      this.groupMap.set(node.index, ++this.groups);
      if (this.conditional > 0) this.conditionalGroups.add(node.index);
      this.openGroups.add(node.index);
      const name = node.name === null ? '' : `?<${node.name}>`;
      const body = this.emit(node.body, terminal, behind);
      this.openGroups.delete(node.index);
      return `(${name}${body})`;
    }
    if (node.kind === 'plain' || behind) {
      if (node.kind === 'atomic') this.notes.add(TRANSLATION_NOTES.lookbehindAtomic);
      return `(?:${this.emit(node.body, terminal, behind)})`;
    }
    return this.atomic(() => this.emit(node.body, terminal, behind), node.body);
  }

  /**
   * `(?>X)` as `(?=(X))\N`: a JavaScript lookahead never backtracks into itself once it has matched,
   * and the backreference then consumes exactly what it captured, so this is exact atomic semantics.
   */
  private atomic(body: () => string, inner: Node): string {
    if (hasNullableLoop(inner)) this.notes.add(TRANSLATION_NOTES.emptyIteration);
    const helper = ++this.groups;
    return `(?:(?=(${body()}))\\${helper})`;
  }

  private repeat(node: Extract<Node, { type: 'repeat' }>, behind: boolean): string {
    const { min, max } = node;
    let quantifier: string;
    if (min === 0 && max === Infinity) quantifier = '*';
    else if (min === 1 && max === Infinity) quantifier = '+';
    else if (min === 0 && max === 1) quantifier = '?';
    else if (max === Infinity) quantifier = `{${min},}`;
    else if (min === max) quantifier = `{${min}}`;
    else quantifier = `{${min},${max}}`;
    const body = (): string => {
      const inner = this.conditionally(() => this.emit(node.body, false, behind), min === 0);
      return isAtom(node.body) ? inner : `(?:${inner})`;
    };
    switch (node.mode) {
      case 'greedy':
        return body() + quantifier;
      case 'lazy':
        return `${body()}${quantifier}?`;
      case 'possessive':
        // `X*+` is `(?>X*)`.
        if (behind) {
          this.notes.add(TRANSLATION_NOTES.lookbehindAtomic);
          return body() + quantifier;
        }
        return this.atomic(() => body() + quantifier, node);
    }
  }
}

/** Whether the node can match the empty string. */
function nullable(node: Node): boolean {
  switch (node.type) {
    case 'char':
    case 'set':
    case 'dot':
      return false;
    case 'seq':
      return node.items.every(nullable);
    case 'alt':
      return node.alternatives.some(nullable);
    case 'group':
      return nullable(node.body);
    case 'repeat':
      return node.min === 0 || nullable(node.body);
    default:
      return true;
  }
}

/** Whether a repetition inside the node has a body that can match the empty string. */
function hasNullableLoop(node: Node): boolean {
  switch (node.type) {
    case 'seq':
      return node.items.some(hasNullableLoop);
    case 'alt':
      return node.alternatives.some(hasNullableLoop);
    case 'group':
    case 'look':
      return hasNullableLoop(node.body);
    case 'repeat':
      return nullable(node.body) || hasNullableLoop(node.body);
    default:
      return false;
  }
}

/** Nodes whose output can take a quantifier without a wrapping group. */
function isAtom(node: Node): boolean {
  return (
    node.type === 'char' ||
    node.type === 'set' ||
    node.type === 'dot' ||
    node.type === 'group' ||
    node.type === 'backref'
  );
}

/**
 * Translates a parsed pattern into JavaScript RegExp source and flags for whole-value matching.
 *
 * @throws RegexError for the few constructs that only fail at this stage.
 * @example
 * translate(parseRegex('\\d++x')) // { source: '^(?:(?:(?=([0-9]+))\\1)x)$', flags: 'u', notes: [] }
 */
export function translate(parsed: ParsedRegex): Translation {
  const notes = new Set(parsed.notes);
  const strategy = caseStrategy(parsed.ast, notes);
  const emitter = new Emitter(strategy, notes);
  const body = emitter.emit(parsed.ast, true, false);
  const source = `^(?:${body})$`.replace(BACKREF_SLOT, (_, index: string) => {
    // Wrapped so a following literal digit cannot extend the reference number.
    return `(?:\\${emitter.groupMap.get(Number(index)) ?? index})`;
  });
  return { source, flags: strategy === 'flag' ? 'ui' : 'u', notes: [...notes] };
}
