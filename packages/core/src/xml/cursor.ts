import { isNameChar, isNameStartChar, isWhitespace, isXmlCodePoint } from './chars.js';

// Character codes the scanners compare against.
export const LT = 0x3c; // <
export const GT = 0x3e; // >
export const AMP = 0x26; // &
export const SLASH = 0x2f; // /
export const BANG = 0x21; // !
export const QUESTION = 0x3f; // ?
export const EQUALS = 0x3d; // =
export const QUOTE = 0x22; // "
export const APOSTROPHE = 0x27; // '
export const CLOSE_BRACKET = 0x5d; // ]
export const TAB = 0x09;
export const LF = 0x0a;
const SEMICOLON = 0x3b; // ;
const HASH = 0x23; // #
const LOWER_X = 0x78; // x
const OPEN_BRACKET = 0x5b; // [

const NAME_SLOT_MASK = 255;

const XML_DECLARATION_FIELDS = ['version', 'encoding', 'standalone'];
const XML_DECLARATION_VALUES: Record<string, RegExp> = {
  version: /^1\.[0-9]+$/,
  encoding: /^[A-Za-z][A-Za-z0-9._-]*$/,
  standalone: /^(?:yes|no)$/,
};

/** 1-based line and column (in code points) of an offset; only computed when reporting an error. */
export function locate(src: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = src.indexOf('\n'); i !== -1 && i < offset; i = src.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  let column = 1;
  for (let i = lineStart; i < offset; i++) {
    const c = src.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) column++;
  }
  return { line, column };
}

/**
 * Unwinds from deep inside the parser to `parseXml`, which turns it into a result. Deliberately
 * not an `Error`: capturing a stack trace would make every rejected body several times slower.
 */
export class XmlSyntaxError {
  constructor(
    readonly message: string,
    readonly line: number,
    readonly column: number,
  ) {}
}

/**
 * Position in the (normalised) source plus the lexical pieces of XML that carry no tree
 * structure: names, references, comments, processing instructions, the XML declaration and
 * the DOCTYPE. The tree-building parser extends it.
 */
export class XmlCursor {
  pos = 0;
  protected readonly len: number;
  /** A DOCTYPE was skipped, so an unknown entity may have been declared there. */
  protected sawDoctype = false;
  private readonly recentNames: string[] = new Array<string>(NAME_SLOT_MASK + 1).fill('');

  constructor(protected readonly src: string) {
    this.len = src.length;
  }

  /** Throws the error for `offset`; the message ends with its line and column. */
  fail(offset: number, message: string, detail?: string): never {
    const { line, column } = locate(this.src, offset);
    const suffix = detail === undefined ? '' : ` (${detail})`;
    throw new XmlSyntaxError(`${message} at line ${line} column ${column}${suffix}`, line, column);
  }

  protected where(offset: number): string {
    const { line, column } = locate(this.src, offset);
    return `line ${line} column ${column}`;
  }

  /** The character at `offset`, quoted, for messages. */
  protected describe(offset: number): string {
    if (offset >= this.len) return 'end of input';
    const cp = this.src.codePointAt(offset)!;
    const ch = String.fromCodePoint(cp);
    return cp > 0x20 ? `'${ch}'` : JSON.stringify(ch);
  }

  /** Reads an XML Name at `pos` (possibly empty); colons are checked later, where they matter. */
  protected readName(): string {
    const src = this.src;
    const start = this.pos;
    if (!isNameStartChar(src.charCodeAt(start))) return '';
    let pos = start + 1;
    while (pos < this.len && isNameChar(src.charCodeAt(pos))) pos++;
    this.pos = pos;
    // Names repeat endlessly in real documents: reuse the last string seen in this slot rather
    // than allocate one per tag (a hash miss just costs a slice, as it would anyway).
    const length = pos - start;
    const slot = (src.charCodeAt(start) * 31 + src.charCodeAt(pos - 1) * 7 + length) & NAME_SLOT_MASK;
    const seen = this.recentNames[slot]!;
    if (seen.length === length && src.startsWith(seen, start)) return seen;
    const name = src.slice(start, pos);
    this.recentNames[slot] = name;
    return name;
  }

  /** Skips XML whitespace; returns whether there was any. */
  protected skipWhitespace(): boolean {
    const start = this.pos;
    let pos = start;
    while (pos < this.len && isWhitespace(this.src.charCodeAt(pos))) pos++;
    this.pos = pos;
    return pos > start;
  }

  /** Reads `&name;`, `&#123;` or `&#x1F;` at `pos` and returns the text it stands for. */
  protected readReference(): string {
    const src = this.src;
    const start = this.pos;
    if (src.charCodeAt(start + 1) === HASH) {
      const hex = src.charCodeAt(start + 2) === LOWER_X;
      let pos = hex ? start + 3 : start + 2;
      const digitsStart = pos;
      let cp = 0;
      for (;;) {
        const digit = digitValue(src.charCodeAt(pos), hex);
        if (digit < 0) break;
        // Stop growing once out of range, so absurdly long references cannot lose precision.
        if (cp <= 0x10ffff) cp = cp * (hex ? 16 : 10) + digit;
        pos++;
      }
      if (pos === digitsStart || src.charCodeAt(pos) !== SEMICOLON) {
        const expected = hex ? "hex digits and ';' after '&#x'" : "digits and ';' after '&#'";
        this.fail(start, `malformed character reference: expected ${expected}`);
      }
      if (!isXmlCodePoint(cp)) {
        this.fail(
          start,
          `character reference ${src.slice(start, pos + 1)} is not a character allowed in XML`,
        );
      }
      this.pos = pos + 1;
      return String.fromCodePoint(cp);
    }
    this.pos = start + 1;
    const name = this.readName();
    if (name === '') {
      this.fail(start, "'&' must start an entity or character reference; write &amp; for a literal '&'");
    }
    if (src.charCodeAt(this.pos) !== SEMICOLON) {
      this.fail(start, `entity reference &${name} is missing its ';'`);
    }
    this.pos++;
    switch (name) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'apos':
        return "'";
      case 'quot':
        return '"';
      default:
        // Never expand DTD entities: no external fetches, no entity-expansion bombs.
        return this.fail(
          start,
          `unknown entity &${name};`,
          this.sawDoctype
            ? 'entities declared in a DOCTYPE are not expanded'
            : 'only &lt; &gt; &amp; &apos; &quot; and character references are predefined',
        );
    }
  }

  /** Skips `<!-- ... -->` at `pos`. */
  protected skipComment(): void {
    const start = this.pos;
    const end = this.src.indexOf('--', start + 4);
    if (end === -1) this.fail(start, 'comment is not closed', "expected '-->'");
    if (this.src.charCodeAt(end + 2) !== GT) this.fail(end, "'--' is not allowed inside a comment");
    this.pos = end + 3;
  }

  /** Skips `<?target ...?>` at `pos`; processing instructions carry nothing a body match needs. */
  protected skipProcessingInstruction(): void {
    const start = this.pos;
    this.pos += 2;
    const target = this.readName();
    if (target === '') {
      this.fail(
        this.pos,
        `expected a processing-instruction target after '<?' but found ${this.describe(this.pos)}`,
      );
    }
    if (target.toLowerCase() === 'xml') {
      this.fail(
        start,
        target === 'xml'
          ? 'the XML declaration is only allowed at the very start of the document'
          : `processing-instruction target '${target}' is reserved`,
      );
    }
    if (target.includes(':')) {
      this.fail(start + 2, `processing-instruction target '${target}' must not contain ':'`);
    }
    const spaced = this.skipWhitespace();
    if (this.src.startsWith('?>', this.pos)) {
      this.pos += 2;
      return;
    }
    if (!spaced) {
      this.fail(
        this.pos,
        `expected whitespace or '?>' after '<?${target}' but found ${this.describe(this.pos)}`,
      );
    }
    const end = this.src.indexOf('?>', this.pos);
    if (end === -1) this.fail(start, `processing instruction <?${target} is not closed`, "expected '?>'");
    this.pos = end + 2;
  }

  /** `<?xml version="1.0" encoding="..." standalone="..."?>` at offset 0: validated, then ignored. */
  protected readXmlDeclaration(): void {
    const src = this.src;
    this.pos = 5;
    let nextField = 0;
    for (;;) {
      const spaced = this.skipWhitespace();
      if (src.startsWith('?>', this.pos)) {
        if (nextField === 0) this.fail(0, 'the XML declaration must have a version');
        this.pos += 2;
        return;
      }
      if (!spaced) {
        this.fail(
          this.pos,
          `expected whitespace or '?>' in the XML declaration but found ${this.describe(this.pos)}`,
        );
      }
      const nameStart = this.pos;
      const name = this.readName();
      if (name === '') {
        this.fail(
          nameStart,
          `expected '?>' to end the XML declaration but found ${this.describe(nameStart)}`,
        );
      }
      const field = XML_DECLARATION_FIELDS.indexOf(name);
      if (field < nextField || (nextField === 0 && field !== 0)) {
        this.fail(
          nameStart,
          nextField === 0
            ? 'the XML declaration must start with version'
            : `unexpected '${name}' in the XML declaration (allowed, in order: version, encoding, standalone)`,
        );
      }
      this.skipWhitespace();
      if (src.charCodeAt(this.pos) !== EQUALS) {
        this.fail(
          this.pos,
          `expected '=' after ${name} in the XML declaration but found ${this.describe(this.pos)}`,
        );
      }
      this.pos++;
      this.skipWhitespace();
      const quote = src.charCodeAt(this.pos);
      if (quote !== QUOTE && quote !== APOSTROPHE) {
        this.fail(this.pos, `value of ${name} in the XML declaration must be in quotes`);
      }
      const valueStart = this.pos + 1;
      const end = src.indexOf(quote === QUOTE ? '"' : "'", valueStart);
      if (end === -1) this.fail(this.pos, `value of ${name} in the XML declaration is not closed`);
      const value = src.slice(valueStart, end);
      if (!XML_DECLARATION_VALUES[name]!.test(value)) {
        this.fail(valueStart, `invalid ${name} '${value}' in the XML declaration`);
      }
      nextField = field + 1;
      this.pos = end + 1;
    }
  }

  /** Skips `<!DOCTYPE ...>` with any internal subset; nothing in it is used (no DTD entities, ever). */
  protected skipDoctype(): void {
    const src = this.src;
    const start = this.pos;
    this.pos += 9;
    if (!this.skipWhitespace()) this.fail(this.pos, "expected whitespace after '<!DOCTYPE'");
    this.sawDoctype = true;
    let inSubset = false;
    while (this.pos < this.len) {
      const pos = this.pos;
      const c = src.charCodeAt(pos);
      // Literals, comments and PIs may contain '>' or ']', so they are skipped whole.
      if (c === QUOTE || c === APOSTROPHE) {
        const end = src.indexOf(c === QUOTE ? '"' : "'", pos + 1);
        if (end === -1) break;
        this.pos = end + 1;
        continue;
      }
      if (inSubset && c === LT && src.startsWith('<!--', pos)) {
        this.skipComment();
        continue;
      }
      if (inSubset && c === LT && src.charCodeAt(pos + 1) === QUESTION) {
        const end = src.indexOf('?>', pos + 2);
        if (end === -1) break;
        this.pos = end + 2;
        continue;
      }
      if (inSubset) {
        if (c === CLOSE_BRACKET) inSubset = false;
      } else if (c === OPEN_BRACKET) {
        inSubset = true;
      } else if (c === GT) {
        this.pos = pos + 1;
        return;
      }
      this.pos = pos + 1;
    }
    this.fail(start, 'DOCTYPE is not closed', "expected '>'");
  }
}

function digitValue(c: number, hex: boolean): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (!hex) return -1;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}
