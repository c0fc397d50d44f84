/**
 * Parser for Pact `regex` patterns written for Java (pact-jvm) or Oniguruma/Ruby, producing a small
 * AST shared by the translator (→ JavaScript RegExp) and the generator (→ a matching string).
 *
 * Inline flags are resolved here: every node carries the flags that affect it (case-insensitivity on
 * literals and sets, dot-all on `.`, multi-line on `^`/`$`…), so later stages never track flag scopes.
 * Where Java and Oniguruma disagree, Java wins (it is Pact's reference implementation).
 */

import type { AssertKind, BackrefNode, CaseMode, Node, ParsedRegex } from './ast.js';
import {
  and,
  type CharSet,
  digitSet,
  hspaceSet,
  not,
  posixSet,
  ranges,
  single,
  spaceSet,
  unicodeDigitSet,
  unicodeSpaceSet,
  unicodeWordSet,
  union,
  vspaceSet,
  wordSet,
} from './charset.js';
import { RegexError } from './errors.js';
import { negateProperty, type PropertyResult, resolveProperty } from './properties.js';

interface Flags {
  /** CASE_INSENSITIVE */
  i: boolean;
  /** MULTILINE */
  m: boolean;
  /** DOTALL */
  s: boolean;
  /** COMMENTS: whitespace and `#…` comments are ignored. */
  x: boolean;
  /** UNIX_LINES */
  d: boolean;
  /** UNICODE_CASE */
  u: boolean;
  /** UNICODE_CHARACTER_CLASS */
  U: boolean;
}

const FLAG_LETTERS = 'imsxduU';
const EMPTY: Node = { type: 'empty' };

export const PARSE_NOTES = {
  h: "\\h is read as Java's horizontal whitespace; in Oniguruma/Ruby \\h is a hex digit, so write [0-9a-fA-F] if that was meant.",
  v: "\\v is read as Java's vertical whitespace [\\n\\x0B\\f\\r\\x85\\u2028\\u2029]; in Oniguruma/Ruby it is only \\x0B.",
  m: "(?m) is read as Java's MULTILINE (^ and $ match at line breaks); in Ruby/Oniguruma (?m) means dot-all, which is (?s) here.",
  posix:
    '[[:name:]] POSIX classes are ASCII-only (as in the Rust regex crate); Ruby also matches non-ASCII characters with them.',
} as const;

function caseMode(flags: Flags): CaseMode {
  if (!flags.i) return 'none';
  return flags.u ? 'unicode' : 'ascii';
}

const isWhitespace = (ch: string | undefined): boolean =>
  ch === ' ' || ch === '\t' || ch === '\n' || ch === '\x0B' || ch === '\f' || ch === '\r';
const isHex = (ch: string | undefined): boolean => ch !== undefined && /^[0-9a-fA-F]$/.test(ch);
const isOctal = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '7';
const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';

/** `{n}`, `{n,}`, `{n,m}` and Oniguruma's `{,m}`; anything else is a literal `{`. */
const QUANTIFIER_BRACE = /^\{(\d*)(,?)(\d*)\}/;

/** Limits that keep the recursive stages (parse, translate, generate) far from the call stack's limit. */
const MAX_NESTING = 100;
const MAX_STACKED = 10;

/** `\R` nodes, recognised when a quantifier follows. */
const LINEBREAKS = new WeakSet<Node>();

/**
 * `\R`: Java's `\r\n|[\n\x0B\f\r\x85\u2028\u2029]`. Alone, Java may backtrack into it (`\R\n`
 * matches "\r\n"); under a quantifier it does not, so the parser swaps in the atomic form there.
 */
function linebreak(kind: 'plain' | 'atomic'): Node {
  const crlf: Node = {
    type: 'seq',
    items: [
      { type: 'char', cp: 0x0d, ci: 'none' },
      { type: 'char', cp: 0x0a, ci: 'none' },
    ],
  };
  const body: Node = { type: 'alt', alternatives: [crlf, { type: 'set', set: vspaceSet(), ci: 'none' }] };
  const node: Node = { type: 'group', kind, index: 0, name: null, body };
  LINEBREAKS.add(node);
  return node;
}

/** The character produced by an escape: one code point, or a set (`\d`, `\p{L}`…). */
type EscapeValue = { readonly cp: number } | { readonly set: CharSet };

class Parser {
  private pos = 0;
  private depth = 0;
  private groupCount = 0;
  private readonly names = new Map<string, number>();
  private readonly backrefs: BackrefNode[] = [];
  private readonly notes = new Set<string>();

  constructor(private readonly src: string) {}

  parse(): ParsedRegex {
    const flags: Flags = { i: false, m: false, s: false, x: false, d: false, u: false, U: false };
    const ast = this.parseAlternation(flags);
    if (this.pos < this.src.length) throw RegexError.syntax(this.pos, "unmatched ')'");
    for (const ref of this.backrefs) {
      if (ref.name !== null) {
        const index = this.names.get(ref.name);
        if (index === undefined)
          throw RegexError.syntax(ref.at, `backreference to unknown group name '${ref.name}'`);
        ref.index = index;
      } else if (ref.index > this.groupCount) {
        throw RegexError.syntax(ref.at, `backreference \\${ref.index} refers to a group that does not exist`);
      }
    }
    return { ast, groupCount: this.groupCount, notes: [...this.notes] };
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  /** In (?x) mode: skips whitespace and `#` comments up to the end of the line. */
  private skipIgnorable(flags: Flags): void {
    if (!flags.x) return;
    for (;;) {
      const ch = this.peek();
      if (isWhitespace(ch)) this.pos++;
      else if (ch === '#') {
        const eol = this.src.indexOf('\n', this.pos);
        this.pos = eol < 0 ? this.src.length : eol + 1;
      } else return;
    }
  }

  /** Reads one literal code point (a surrogate pair counts as one). */
  private literal(): number {
    const cp = this.src.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private parseAlternation(flags: Flags): Node {
    const alternatives = [this.parseSequence(flags)];
    while (this.peek() === '|') {
      this.pos++;
      alternatives.push(this.parseSequence(flags));
    }
    return alternatives.length === 1 ? alternatives[0]! : { type: 'alt', alternatives };
  }

  private parseSequence(flags: Flags): Node {
    const items: Node[] = [];
    for (;;) {
      this.skipIgnorable(flags);
      const ch = this.peek();
      if (ch === undefined || ch === '|' || ch === ')') break;
      const atomStart = this.pos;
      let atom = this.parseAtom(flags, items);
      if (atom === null) continue;
      for (let stacked = 0; ; stacked++) {
        this.skipIgnorable(flags);
        const quantifier = this.parseQuantifier();
        if (quantifier === null) break;
        if (stacked === MAX_STACKED)
          throw RegexError.syntax(atomStart, `more than ${MAX_STACKED} stacked quantifiers`);
        // Java does not backtrack into a repeated \R: \R{2} does not match "\r\n".
        if (LINEBREAKS.has(atom)) atom = linebreak('atomic');
        atom = { type: 'repeat', ...quantifier, body: atom };
      }
      items.push(atom);
    }
    if (items.length === 0) return EMPTY;
    return items.length === 1 ? items[0]! : { type: 'seq', items };
  }

  private parseQuantifier(): { min: number; max: number; mode: 'greedy' | 'lazy' | 'possessive' } | null {
    const start = this.pos;
    let min: number;
    let max: number;
    switch (this.peek()) {
      case '*':
        [min, max] = [0, Infinity];
        this.pos++;
        break;
      case '+':
        [min, max] = [1, Infinity];
        this.pos++;
        break;
      case '?':
        [min, max] = [0, 1];
        this.pos++;
        break;
      case '{': {
        const brace = this.braceQuantifier();
        if (brace === null) return null;
        [min, max] = [brace.min, brace.max];
        this.pos += brace.length;
        if (min > max)
          throw RegexError.syntax(start, `quantifier {${min},${max}} has its minimum above its maximum`);
        break;
      }
      default:
        return null;
    }
    let mode: 'greedy' | 'lazy' | 'possessive' = 'greedy';
    if (this.peek() === '?') mode = 'lazy';
    else if (this.peek() === '+') mode = 'possessive';
    if (mode !== 'greedy') this.pos++;
    return { min, max, mode };
  }

  private braceQuantifier(): { min: number; max: number; length: number } | null {
    const m = QUANTIFIER_BRACE.exec(this.src.slice(this.pos, this.pos + 32));
    if (m === null) return null;
    const [text, low = '', comma = '', high = ''] = m;
    if (low === '' && (comma === '' || high === '')) return null; // `{}`, `{,}`: literal text
    const min = low === '' ? 0 : Number(low);
    const max = comma === '' ? min : high === '' ? Infinity : Number(high);
    return { min, max, length: text.length };
  }

  /** One atom; null for constructs that match nothing themselves (inline flags, comments, empty `\Q\E`). */
  private parseAtom(flags: Flags, items: Node[]): Node | null {
    const start = this.pos;
    const ch = this.peek()!;
    switch (ch) {
      case '(':
        return this.parseGroup(flags);
      case '[': {
        this.pos++;
        return { type: 'set', set: this.parseClass(flags, start), ci: caseMode(flags) };
      }
      case '.':
        this.pos++;
        return { type: 'dot', dotAll: flags.s, unixLines: flags.d };
      case '^':
        this.pos++;
        return this.assertion(flags.m ? 'lineStart' : 'start', flags);
      case '$':
        this.pos++;
        return this.assertion(flags.m ? 'lineEnd' : 'endBeforeFinalTerminator', flags);
      case '\\':
        return this.parseEscape(flags, items);
      case '*':
      case '+':
      case '?':
        throw RegexError.syntax(start, `quantifier '${ch}' has nothing to repeat`);
      case '{':
        if (this.braceQuantifier() !== null)
          throw RegexError.syntax(start, "quantifier '{' has nothing to repeat");
        break;
    }
    return { type: 'char', cp: this.literal(), ci: caseMode(flags) };
  }

  private assertion(kind: AssertKind, flags: Flags): Node {
    return { type: 'assert', kind, unixLines: flags.d, unicodeWord: flags.U };
  }

  private parseGroup(flags: Flags): Node | null {
    const start = this.pos;
    this.pos++;
    if (this.peek() !== '?') {
      const index = ++this.groupCount;
      return { type: 'group', kind: 'capture', index, name: null, body: this.groupBody(flags, start) };
    }
    this.pos++;
    const ch = this.peek();
    const unsupported = (construct: string, advice = ''): RegexError =>
      RegexError.unsupported(start, construct, advice);
    switch (ch) {
      case ':':
        this.pos++;
        return { type: 'group', kind: 'plain', index: 0, name: null, body: this.groupBody(flags, start) };
      case '>':
        this.pos++;
        return { type: 'group', kind: 'atomic', index: 0, name: null, body: this.groupBody(flags, start) };
      case '=':
      case '!':
        this.pos++;
        return { type: 'look', behind: false, negate: ch === '!', body: this.groupBody(flags, start) };
      case '#': {
        const end = this.src.indexOf(')', this.pos);
        if (end < 0) throw RegexError.syntax(start, "unclosed comment '(?#' (missing ')')");
        this.pos = end + 1;
        return null;
      }
      case '<': {
        const next = this.peek(1);
        if (next === '=' || next === '!') {
          this.pos += 2;
          return { type: 'look', behind: true, negate: next === '!', body: this.groupBody(flags, start) };
        }
        this.pos++;
        return this.namedGroup(flags, start, '>');
      }
      case "'":
        this.pos++;
        return this.namedGroup(flags, start, "'");
      case 'P': {
        const next = this.peek(1);
        if (next === '<') {
          this.pos += 2;
          return this.namedGroup(flags, start, '>');
        }
        if (next === '=') {
          this.pos += 2;
          const name = this.groupName(')', start);
          return this.backref(0, name, flags, start);
        }
        if (next === '>') throw unsupported('a subroutine call (?P>name)', 'repeat the group itself');
        throw RegexError.syntax(start, "unknown group type '(?P'");
      }
      case '~':
        throw unsupported('the absent operator (?~...)', 'use a negative lookahead such as (?:(?!abc).)*');
      case '(':
        throw unsupported('a conditional group (?(...)...)', 'use an alternation');
      case '|':
        throw unsupported('a branch-reset group (?|...)', 'use plain groups');
      case '&':
      case 'R':
        throw unsupported('a recursive or subroutine call', 'repeat the group itself');
      default:
        if (isDigit(ch) || ((ch === '+' || ch === '-') && isDigit(this.peek(1)))) {
          throw unsupported('a recursive or subroutine call', 'repeat the group itself');
        }
        return this.flagGroup(flags, start);
    }
  }

  private nest<T>(at: number, parse: () => T): T {
    if (++this.depth > MAX_NESTING)
      throw RegexError.syntax(at, `groups or classes nested more than ${MAX_NESTING} deep`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private groupBody(flags: Flags, start: number): Node {
    // A copy: flags switched on inside the group end with it.
    const body = this.nest(start, () => this.parseAlternation({ ...flags }));
    if (this.peek() !== ')') throw RegexError.syntax(start, "unclosed group '(' (missing ')')");
    this.pos++;
    return body;
  }

  private groupName(terminator: string, start: number): string {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos));
    if (m === null || this.src[this.pos + m[0].length] !== terminator) {
      throw RegexError.syntax(
        start,
        'invalid group name (use letters, digits and _, starting with a letter)',
      );
    }
    this.pos += m[0].length + 1;
    return m[0];
  }

  private namedGroup(flags: Flags, start: number, terminator: string): Node {
    const name = this.groupName(terminator, start);
    if (this.names.has(name)) throw RegexError.syntax(start, `duplicate group name '${name}'`);
    const index = ++this.groupCount;
    this.names.set(name, index);
    return { type: 'group', kind: 'capture', index, name, body: this.groupBody(flags, start) };
  }

  /** `(?idmsuxU-idmsuxU)` switches flags for the rest of the group; `(?i-s:...)` for its body only. */
  private flagGroup(flags: Flags, start: number): Node | null {
    const changed: Flags = { ...flags };
    let on = true;
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) throw RegexError.syntax(start, "unclosed group '(' (missing ')')");
      this.pos++;
      if (ch === ')' || ch === ':') {
        if (changed.m && !flags.m) this.notes.add(PARSE_NOTES.m);
        if (ch === ')') {
          Object.assign(flags, changed);
          return null;
        }
        return { type: 'group', kind: 'plain', index: 0, name: null, body: this.groupBody(changed, start) };
      }
      if (ch === '-' && on) on = false;
      else if (ch === 'c') throw RegexError.unsupported(start, 'the CANON_EQ flag (?c)');
      else if (FLAG_LETTERS.includes(ch)) changed[ch as keyof Flags] = on;
      else throw RegexError.syntax(this.pos - 1, `unknown group type or inline flag '${ch}'`);
    }
  }

  private backref(index: number, name: string | null, flags: Flags, at: number): Node {
    const node: BackrefNode = { type: 'backref', index, name, ci: caseMode(flags), at };
    this.backrefs.push(node);
    return node;
  }

  /** An escape outside a class: anchors, backreferences and `\Q…\E` first, then the shared ones. */
  private parseEscape(flags: Flags, items: Node[]): Node | null {
    const start = this.pos;
    this.pos++;
    const ch = this.peek();
    const unsupported = (construct: string, advice = ''): RegexError =>
      RegexError.unsupported(start, construct, advice);
    switch (ch) {
      case undefined:
        throw RegexError.syntax(start, 'trailing backslash');
      case 'b':
        if (this.peek(1) === '{') throw unsupported('a boundary escape \\b{...}', 'use \\b');
        this.pos++;
        return this.assertion('wordBoundary', flags);
      case 'B':
        this.pos++;
        return this.assertion('notWordBoundary', flags);
      case 'A':
      case 'G': // \G is "end of the previous match": the start, for a whole-value match.
        this.pos++;
        return this.assertion('start', flags);
      case 'z':
        this.pos++;
        return this.assertion('end', flags);
      case 'Z':
        this.pos++;
        return this.assertion('endBeforeFinalTerminator', flags);
      case 'R':
        this.pos++;
        return linebreak('plain');
      case 'Q':
        return this.quoted(flags, items);
      case 'k':
        return this.namedBackref(flags, start);
      case 'X':
        throw unsupported('the grapheme-cluster escape \\X', 'match the characters explicitly');
      case 'K':
        throw unsupported('the match-reset escape \\K', 'use a lookbehind (?<=...)');
      case 'g':
        throw unsupported('a subroutine call \\g<...>', 'repeat the group itself');
      case 'y':
      case 'Y':
        throw unsupported(`the grapheme boundary \\${ch}`);
      case 'N':
        throw unsupported('the escape \\N', 'use \\uXXXX for a character or [^\\n] for a non-newline');
    }
    if (ch >= '1' && ch <= '9') return this.numberedBackref(flags, start);
    const value = this.sharedEscape(flags, start);
    if ('set' in value) return { type: 'set', set: value.set, ci: caseMode(flags) };
    return { type: 'char', cp: value.cp, ci: caseMode(flags) };
  }

  /**
   * `\Q…\E`: literal text. All but the last character go straight into the sequence, so a following
   * quantifier applies to the last character only, as in Java.
   */
  private quoted(flags: Flags, items: Node[]): Node | null {
    this.pos++;
    const end = this.src.indexOf('\\E', this.pos);
    const text = this.src.slice(this.pos, end < 0 ? undefined : end);
    this.pos = end < 0 ? this.src.length : end + 2;
    const chars: Node[] = Array.from(text, (c) => ({
      type: 'char',
      cp: c.codePointAt(0)!,
      ci: caseMode(flags),
    }));
    const last = chars.pop();
    items.push(...chars);
    return last ?? null;
  }

  /** Java reads `\12` as group 12 only if 12 groups are open so far, else group 1 then a literal `2`. */
  private numberedBackref(flags: Flags, start: number): Node {
    let index = Number(this.peek());
    this.pos++;
    while (isDigit(this.peek()) && index * 10 + Number(this.peek()) <= this.groupCount) {
      index = index * 10 + Number(this.peek());
      this.pos++;
    }
    return this.backref(index, null, flags, start);
  }

  private namedBackref(flags: Flags, start: number): Node {
    this.pos++;
    const open = this.peek();
    const close = open === '<' ? '>' : open === "'" ? "'" : open === '{' ? '}' : undefined;
    if (close === undefined) throw RegexError.syntax(start, '\\k must be followed by <name>');
    this.pos++;
    const numeric = /^(-?)(\d+)/.exec(this.src.slice(this.pos));
    if (numeric !== null && this.src[this.pos + numeric[0].length] === close) {
      if (numeric[1] === '-')
        throw RegexError.unsupported(start, 'a relative backreference \\k<-n>', 'use \\n');
      this.pos += numeric[0].length + 1;
      return this.backref(Number(numeric[2]), null, flags, start);
    }
    return this.backref(0, this.groupName(close, start), flags, start);
  }

  /** Escapes valid both inside and outside classes. `this.pos` is just after the backslash. */
  private sharedEscape(flags: Flags, start: number, inClass = false): EscapeValue {
    const ch = this.peek()!;
    this.pos++;
    switch (ch) {
      case 'd':
        return { set: flags.U ? unicodeDigitSet() : digitSet() };
      case 'D':
        return { set: not(flags.U ? unicodeDigitSet() : digitSet()) };
      case 'w':
        return { set: flags.U ? unicodeWordSet() : wordSet() };
      case 'W':
        return { set: not(flags.U ? unicodeWordSet() : wordSet()) };
      case 's':
        return { set: flags.U ? unicodeSpaceSet() : spaceSet() };
      case 'S':
        return { set: not(flags.U ? unicodeSpaceSet() : spaceSet()) };
      case 'h':
      case 'H':
        this.notes.add(PARSE_NOTES.h);
        return { set: ch === 'h' ? hspaceSet() : not(hspaceSet()) };
      case 'v':
      case 'V':
        this.notes.add(PARSE_NOTES.v);
        return { set: ch === 'v' ? vspaceSet() : not(vspaceSet()) };
      case 'p':
      case 'P':
        return { set: this.property(flags, start, ch === 'P') };
      case 't':
        return { cp: 0x09 };
      case 'n':
        return { cp: 0x0a };
      case 'r':
        return { cp: 0x0d };
      case 'f':
        return { cp: 0x0c };
      case 'a':
        return { cp: 0x07 };
      case 'e':
        return { cp: 0x1b };
      case 'b':
        if (inClass) return { cp: 0x08 }; // backspace, as in Oniguruma
        break;
      case '0':
        return { cp: this.octal() };
      case 'x':
        return { cp: this.hexEscape(start) };
      case 'u':
        return { cp: this.unicodeEscape(start) };
      case 'c': {
        const next = this.peek();
        if (next === undefined) throw RegexError.syntax(start, '\\c must be followed by a character');
        this.pos++;
        return { cp: next.charCodeAt(0) ^ 0x40 };
      }
    }
    if (/[A-Za-z0-9]/.test(ch)) {
      const where = inClass ? ' inside a character class' : '';
      throw RegexError.syntax(start, `unknown escape \\${ch}${where}`);
    }
    // Any other escaped character stands for itself (\. \* \- \/ …).
    this.pos--;
    return { cp: this.literal() };
  }

  /** Java `\0n`, `\0nn`, `\0mnn` (m ≤ 3); a bare `\0` is NUL, as in Oniguruma. */
  private octal(): number {
    let value = 0;
    const maxDigits = isOctal(this.peek()) && this.peek()! <= '3' ? 3 : 2;
    for (let n = 0; n < maxDigits && isOctal(this.peek()); n++) {
      value = value * 8 + Number(this.peek());
      this.pos++;
    }
    return value;
  }

  private hexEscape(start: number): number {
    if (this.peek() === '{') {
      const end = this.src.indexOf('}', this.pos);
      const digits = end < 0 ? '' : this.src.slice(this.pos + 1, end);
      if (!/^[0-9a-fA-F]{1,8}$/.test(digits)) throw RegexError.syntax(start, 'invalid \\x{...} escape');
      const cp = Number.parseInt(digits, 16);
      if (cp > 0x10ffff) throw RegexError.syntax(start, '\\x{...} escape above U+10FFFF');
      this.pos = end + 1;
      return cp;
    }
    if (!isHex(this.peek()) || !isHex(this.peek(1)))
      throw RegexError.syntax(start, '\\x must be followed by 2 hex digits');
    this.pos += 2;
    return Number.parseInt(this.src.slice(this.pos - 2, this.pos), 16);
  }

  /** `\uXXXX`; a `\uD83D\uDE00` surrogate pair becomes one code point, as in Java. */
  private unicodeEscape(start: number): number {
    const read = (): number | undefined => {
      const digits = this.src.slice(this.pos, this.pos + 4);
      return /^[0-9a-fA-F]{4}$/.test(digits) ? Number.parseInt(digits, 16) : undefined;
    };
    const unit = read();
    if (unit === undefined) throw RegexError.syntax(start, '\\u must be followed by 4 hex digits');
    this.pos += 4;
    if (unit >= 0xd800 && unit <= 0xdbff && this.src.startsWith('\\u', this.pos)) {
      this.pos += 2;
      const low = read();
      if (low !== undefined && low >= 0xdc00 && low <= 0xdfff) {
        this.pos += 4;
        return 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
      }
      this.pos -= 2;
    }
    return unit;
  }

  /** `\pL`, `\p{Name}`, `\P{Name}`, Oniguruma's `\p{^Name}`. `this.pos` is after the `p`. */
  private property(flags: Flags, start: number, negated: boolean): CharSet {
    let name: string;
    if (this.peek() === '{') {
      const end = this.src.indexOf('}', this.pos);
      if (end < 0) throw RegexError.syntax(start, "unclosed property name '\\p{' (missing '}')");
      name = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      const letter = this.peek();
      if (letter === undefined || !/[A-Za-z]/.test(letter))
        throw RegexError.syntax(start, 'invalid \\p escape');
      name = letter;
      this.pos++;
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    let result: PropertyResult = resolveProperty(name, flags.U);
    if (negated) result = negateProperty(result);
    if ('set' in result) return result.set;
    if (result.unsupported) throw RegexError.unsupported(start, result.error, result.advice);
    throw RegexError.syntax(start, result.error);
  }

  /**
   * A bracket class; `this.pos` is just after `[`. Java syntax: ranges, escapes, nested classes
   * (union) and `&&` (intersection); plus Oniguruma's POSIX `[:alpha:]` brackets. A `]` right after
   * the opening `[` or `[^` is a literal.
   */
  private parseClass(flags: Flags, start: number): CharSet {
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.pos++;
    }
    const operands: CharSet[] = [];
    let items: CharSet[] = [];
    let first = true;
    for (;;) {
      this.skipIgnorable(flags);
      const ch = this.peek();
      if (ch === undefined) throw RegexError.syntax(start, "unclosed character class '[' (missing ']')");
      if (ch === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (ch === '[') {
        const posix = this.posixBracket(flags);
        if (posix !== null) items.push(posix);
        else {
          const nestedStart = this.pos;
          this.pos++;
          items.push(this.nest(nestedStart, () => this.parseClass(flags, nestedStart)));
        }
        continue;
      }
      if (ch === '&' && this.peek(1) === '&') {
        this.pos += 2;
        if (items.length > 0) operands.push(union(items));
        items = [];
        continue;
      }
      if (ch === '\\' && this.peek(1) === 'Q') {
        this.pos += 2;
        const end = this.src.indexOf('\\E', this.pos);
        const text = this.src.slice(this.pos, end < 0 ? undefined : end);
        this.pos = end < 0 ? this.src.length : end + 2;
        for (const c of text) items.push(single(c.codePointAt(0)!));
        continue;
      }
      const low = this.classAtom(flags);
      if ('set' in low) {
        items.push(low.set);
        continue;
      }
      const afterLow = this.pos;
      this.skipIgnorable(flags);
      const dash =
        this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '[' && this.peek(1) !== undefined;
      if (!dash) {
        this.pos = afterLow;
        items.push(single(low.cp));
        continue;
      }
      this.pos++;
      this.skipIgnorable(flags);
      const highStart = this.pos;
      const high = this.classAtom(flags);
      if ('set' in high)
        throw RegexError.syntax(highStart, 'invalid character range: a range cannot end with a class');
      if (high.cp < low.cp) throw RegexError.syntax(highStart, 'character range out of order');
      items.push(ranges([[low.cp, high.cp]]));
    }
    let set = union(items);
    if (operands.length > 0) {
      if (items.length > 0) operands.push(set);
      set = and(operands);
    }
    return negate ? not(set) : set;
  }

  private classAtom(flags: Flags): EscapeValue {
    if (this.peek() !== '\\') return { cp: this.literal() };
    const start = this.pos;
    this.pos++;
    if (this.peek() === undefined) throw RegexError.syntax(start, 'trailing backslash');
    return this.sharedEscape(flags, start, true);
  }

  /** `[:alpha:]` / `[:^alpha:]` inside a class, or null if this `[` opens a nested class. */
  private posixBracket(flags: Flags): CharSet | null {
    const m = /^\[:(\^?)([A-Za-z]+):\]/.exec(this.src.slice(this.pos, this.pos + 16));
    if (m === null) return null;
    const set = posixSet(m[2]!.toLowerCase(), flags.U);
    if (set === undefined) throw RegexError.syntax(this.pos, `unknown POSIX class [:${m[2]}:]`);
    this.pos += m[0].length;
    if (!flags.U) this.notes.add(PARSE_NOTES.posix);
    return m[1] === '^' ? not(set) : set;
  }
}

/**
 * Parses a Java/Oniguruma pattern into the shared AST.
 *
 * @throws RegexError when the pattern is invalid or uses a construct JavaScript cannot express.
 * @example
 * parseRegex('\\d{4}').ast // { type: 'repeat', min: 4, max: 4, mode: 'greedy', body: { type: 'set', … } }
 */
export function parseRegex(pattern: string): ParsedRegex {
  return new Parser(pattern).parse();
}
