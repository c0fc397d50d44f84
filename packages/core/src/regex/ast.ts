/**
 * The AST shared by the parser, the translator and the generator. Inline flags are already resolved:
 * each node carries the flags that change what it matches.
 */
import type { CharSet } from './charset.js';

/** How a literal or set compares letters: exactly, ASCII-only case-insensitive (Java's `(?i)`), or Unicode (`(?iu)`). */
export type CaseMode = 'none' | 'ascii' | 'unicode';

export type AssertKind =
  /** `\A`, `\G`, and `^` without (?m). */
  | 'start'
  /** `\z`. */
  | 'end'
  /** `\Z`, and `$` without (?m): end of input, or before a final line terminator. */
  | 'endBeforeFinalTerminator'
  /** `^` with (?m). */
  | 'lineStart'
  /** `$` with (?m). */
  | 'lineEnd'
  | 'wordBoundary'
  | 'notWordBoundary';

export type Node =
  | { readonly type: 'empty' }
  | { readonly type: 'char'; readonly cp: number; readonly ci: CaseMode }
  | { readonly type: 'set'; readonly set: CharSet; readonly ci: CaseMode }
  | { readonly type: 'dot'; readonly dotAll: boolean; readonly unixLines: boolean }
  | { readonly type: 'seq'; readonly items: readonly Node[] }
  | { readonly type: 'alt'; readonly alternatives: readonly Node[] }
  | {
      readonly type: 'group';
      readonly kind: 'capture' | 'plain' | 'atomic';
      /** 1-based capture index; 0 when not capturing. */
      readonly index: number;
      readonly name: string | null;
      readonly body: Node;
    }
  | { readonly type: 'look'; readonly behind: boolean; readonly negate: boolean; readonly body: Node }
  | {
      readonly type: 'repeat';
      readonly min: number;
      /** `Infinity` when unbounded. */
      readonly max: number;
      readonly mode: 'greedy' | 'lazy' | 'possessive';
      readonly body: Node;
    }
  | {
      readonly type: 'assert';
      readonly kind: AssertKind;
      /** Java's UNIX_LINES `(?d)`: only `\n` ends a line. */
      readonly unixLines: boolean;
      /** Java's UNICODE_CHARACTER_CLASS `(?U)`: `\b` uses the Unicode word class. */
      readonly unicodeWord: boolean;
    }
  | BackrefNode;

export interface BackrefNode {
  readonly type: 'backref';
  /** Capture index; named references are resolved once the whole pattern is read. */
  index: number;
  readonly name: string | null;
  readonly ci: CaseMode;
  readonly at: number;
}

export interface ParsedRegex {
  readonly ast: Node;
  readonly groupCount: number;
  /** Readings of ambiguous constructs (e.g. `\h`), for the caller to surface. */
  readonly notes: readonly string[];
}
