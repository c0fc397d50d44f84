import {
  codePointLabel,
  INVALID_CHAR,
  isNameChar,
  isNameStartChar,
  isWhitespace,
  isXmlCodePoint,
} from './chars.js';
import { NamespaceScope, setRecordEntry, XML_NAMESPACE, XMLNS_NAMESPACE } from './namespaces.js';
import type { XmlAttribute, XmlElement, XmlName, XmlParseResult } from './types.js';

const LT = 0x3c; // <
const GT = 0x3e; // >
const AMP = 0x26; // &
const SLASH = 0x2f; // /
const BANG = 0x21; // !
const QUESTION = 0x3f; // ?
const EQUALS = 0x3d; // =
const QUOTE = 0x22; // "
const APOSTROPHE = 0x27; // '
const SEMICOLON = 0x3b; // ;
const HASH = 0x23; // #
const LOWER_X = 0x78; // x
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACKET = 0x5d; // ]
const TAB = 0x09;
const LF = 0x0a;

const NOT_WHITESPACE = /[^ \t\n\r]/;
// Shared placeholders so elements without attributes allocate nothing for them (never written to).
const NO_STRINGS: string[] = [];
const NO_NUMBERS: number[] = [];
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

/** Unwinds from deep inside the parser to `parseXml`; never escapes it. */
class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** An element whose end tag has not been read yet. */
interface Frame {
  el: XmlElement;
  /** Offset of its `<`, for messages. */
  start: number;
  /** Namespace scope mark to restore when it closes. */
  mark: number;
  /** Character data read so far but not yet turned into a node, so text split by comments joins up. */
  text: string;
  hasElementChild: boolean;
  /** Has a CDATA section or text that is not just whitespace: then it is mixed content, kept as is. */
  hasRealText: boolean;
}

class Parser {
  pos = 0;
  private readonly len: number;
  private readonly ns = new NamespaceScope();
  private sawDoctype = false;
  /** Set by `readStartTag`, to avoid allocating a result pair per element. */
  private selfClosing = false;

  constructor(private readonly src: string) {
    this.len = src.length;
  }

  parseDocument(): XmlElement {
    const src = this.src;
    // One native scan up front means no later step has to think about illegal characters.
    const bad = src.search(INVALID_CHAR);
    if (bad !== -1) this.fail(bad, `character ${codePointLabel(src.charCodeAt(bad))} is not allowed in XML`);

    if (src.startsWith('<?xml') && (isWhitespace(src.charCodeAt(5)) || src.charCodeAt(5) === QUESTION)) {
      this.readXmlDeclaration();
    }

    let root: XmlElement | undefined;
    for (;;) {
      this.skipWhitespace();
      const start = this.pos;
      if (start >= this.len) break;
      if (src.charCodeAt(start) !== LT) {
        this.fail(
          start,
          root ? 'unexpected text after the root element' : 'text is not allowed before the root element',
        );
      }
      const next = src.charCodeAt(start + 1);
      if (next === QUESTION) {
        this.skipProcessingInstruction();
      } else if (next === BANG) {
        if (src.startsWith('<!--', start)) this.skipComment();
        else if (src.startsWith('<!DOCTYPE', start)) {
          if (root) this.fail(start, 'DOCTYPE is not allowed after the root element');
          if (this.sawDoctype) this.fail(start, 'only one DOCTYPE is allowed');
          this.skipDoctype();
        } else if (src.startsWith('<![CDATA[', start)) {
          this.fail(start, 'CDATA section is not allowed outside the root element');
        } else {
          this.fail(start, "unexpected '<!': expected a comment or a DOCTYPE");
        }
      } else if (next === SLASH) {
        this.pos = start + 2;
        this.fail(start, `closing tag </${this.readName()}> has no matching open tag`);
      } else if (root) {
        this.pos = start + 1;
        this.fail(
          start,
          `unexpected element <${this.readName()}> after the root element`,
          'a document has exactly one root element',
        );
      } else {
        root = this.readElement();
      }
    }
    if (!root) return this.fail(this.len, 'no root element found');
    return root;
  }

  /** Reads an element and everything inside it, with an explicit stack so depth cannot overflow. */
  private readElement(): XmlElement {
    const src = this.src;
    const first = this.readStartTag();
    if (this.selfClosing) {
      this.ns.restore(first.mark);
      return first.el;
    }
    const stack: Frame[] = [first];
    for (;;) {
      const top = stack[stack.length - 1]!;
      const pos = this.pos;
      if (pos >= this.len) {
        const name = top.el.qualifiedName;
        this.fail(
          pos,
          `unclosed element <${name}>: reached end of input`,
          `<${name}> was opened at ${this.where(top.start)}`,
        );
      }
      if (src.charCodeAt(pos) !== LT) {
        this.readText(top);
        continue;
      }
      const next = src.charCodeAt(pos + 1);
      if (next === SLASH) {
        this.readEndTag(top);
        this.flushText(top);
        // Whitespace between child elements is layout, not content; in mixed content it is kept.
        if (top.hasElementChild && !top.hasRealText && top.el.children.length > 0) {
          top.el.children = top.el.children.filter((child) => child.kind === 'element');
        }
        this.ns.restore(top.mark);
        stack.pop();
        if (stack.length === 0) return top.el;
      } else if (next === BANG) {
        if (src.startsWith('<!--', pos)) {
          this.skipComment();
        } else if (src.startsWith('<![CDATA[', pos)) {
          const end = src.indexOf(']]>', pos + 9);
          if (end === -1) this.fail(pos, 'CDATA section is not closed', "expected ']]>'");
          this.flushText(top);
          top.el.children.push({ kind: 'text', value: src.slice(pos + 9, end), cdata: true });
          top.hasRealText = true;
          this.pos = end + 3;
        } else if (src.startsWith('<!DOCTYPE', pos)) {
          this.fail(pos, 'DOCTYPE is only allowed before the root element');
        } else {
          this.fail(pos, "unexpected '<!': expected a comment or a CDATA section");
        }
      } else if (next === QUESTION) {
        this.skipProcessingInstruction();
      } else {
        this.flushText(top);
        const child = this.readStartTag();
        top.el.children.push(child.el);
        top.hasElementChild = true;
        if (this.selfClosing) this.ns.restore(child.mark);
        else stack.push(child);
      }
    }
  }

  /** Reads `<name attr="v" ...>` or `<name/>`, declaring its namespaces; sets `selfClosing`. */
  private readStartTag(): Frame {
    const src = this.src;
    const start = this.pos;
    this.pos++;
    const qname = this.readName();
    if (qname === '')
      this.fail(this.pos, `expected an element name after '<' but found ${this.describe(this.pos)}`);
    // Raw attributes are collected first: xmlns declarations may come after the attributes they scope.
    let names: string[] | undefined;
    let values = NO_STRINGS;
    let offsets = NO_NUMBERS;
    for (;;) {
      const spaced = this.skipWhitespace();
      const c = src.charCodeAt(this.pos);
      if (c === GT) {
        this.pos++;
        this.selfClosing = false;
        break;
      }
      if (c === SLASH) {
        if (src.charCodeAt(this.pos + 1) !== GT) {
          this.fail(
            this.pos + 1,
            `expected '>' after '/' in <${qname}> but found ${this.describe(this.pos + 1)}`,
          );
        }
        this.pos += 2;
        this.selfClosing = true;
        break;
      }
      if (this.pos >= this.len) {
        this.fail(
          this.pos,
          `start tag <${qname}> is not closed: reached end of input`,
          `it starts at ${this.where(start)}`,
        );
      }
      const attrStart = this.pos;
      const name = this.readName();
      if (name === '') this.fail(attrStart, `unexpected ${this.describe(attrStart)} in start tag <${qname}>`);
      if (!spaced) this.fail(attrStart, `missing whitespace before attribute ${name} in <${qname}>`);
      this.skipWhitespace();
      if (src.charCodeAt(this.pos) !== EQUALS) {
        this.fail(
          this.pos,
          `expected '=' after attribute ${name} in <${qname}> but found ${this.describe(this.pos)}`,
        );
      }
      this.pos++;
      this.skipWhitespace();
      const quote = src.charCodeAt(this.pos);
      if (quote !== QUOTE && quote !== APOSTROPHE) {
        this.fail(
          this.pos,
          `value of attribute ${name} in <${qname}> must be in quotes but found ${this.describe(this.pos)}`,
        );
      }
      const value = this.readAttributeValue(quote, name, qname);
      if (names === undefined) {
        names = [name];
        values = [value];
        offsets = [attrStart];
      } else {
        names.push(name);
        values.push(value);
        offsets.push(attrStart);
      }
    }
    const mark = this.ns.mark();
    const el = this.buildElement(start, qname, names, values, offsets);
    return { el, start, mark, text: '', hasElementChild: false, hasRealText: false };
  }

  private buildElement(
    start: number,
    qname: string,
    names: string[] | undefined,
    values: string[],
    offsets: number[],
  ): XmlElement {
    const declarations: Record<string, string> = {};
    const attributes: XmlAttribute[] = [];
    if (names !== undefined) {
      const duplicate = findDuplicate(names);
      if (duplicate !== -1)
        this.fail(offsets[duplicate]!, `duplicate attribute ${names[duplicate]} in <${qname}>`);
      // Declarations first: they apply to this element's own name and to all its attributes.
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        if (name === 'xmlns' || name.startsWith('xmlns:'))
          this.declare(name, values[i]!, offsets[i]!, declarations);
      }
      let prefixed: string[] | undefined;
      for (let i = 0; i < names.length; i++) {
        const qualifiedName = names[i]!;
        if (qualifiedName === 'xmlns' || qualifiedName.startsWith('xmlns:')) continue;
        const name = this.resolve(qualifiedName, offsets[i]!, false);
        attributes.push({ name, qualifiedName, value: values[i]! });
        if (name.namespace !== undefined) {
          const key = `{${name.namespace}}${name.local}`;
          if (prefixed === undefined) prefixed = [key];
          else prefixed.push(key);
        }
      }
      // Two prefixes bound to one URI can make different-looking attributes the same name.
      if (prefixed !== undefined && prefixed.length > 1) {
        const clash = findDuplicate(prefixed);
        if (clash !== -1) {
          this.fail(
            start,
            `two attributes of <${qname}> have the same namespace and local name ${prefixed[clash]}`,
          );
        }
      }
    }
    const name = this.resolve(qname, start + 1, true);
    return {
      kind: 'element',
      name,
      qualifiedName: qname,
      attributes,
      namespaceDeclarations: declarations,
      children: [],
    };
  }

  /** Applies one `xmlns` / `xmlns:p` attribute, enforcing the Namespaces in XML constraints. */
  private declare(qname: string, uri: string, offset: number, declarations: Record<string, string>): void {
    const prefix = qname === 'xmlns' ? '' : qname.slice(6);
    if (
      qname !== 'xmlns' &&
      (prefix === '' || prefix.includes(':') || !isNameStartChar(prefix.charCodeAt(0)))
    ) {
      this.fail(
        offset,
        `'${qname}' is not a valid namespace declaration: the prefix must be a name without ':'`,
      );
    }
    if (prefix === 'xmlns') this.fail(offset, "the prefix 'xmlns' is reserved and must not be declared");
    if (prefix === 'xml' && uri !== XML_NAMESPACE) {
      this.fail(offset, `the prefix 'xml' can only be bound to ${XML_NAMESPACE}`);
    }
    if (prefix !== 'xml' && uri === XML_NAMESPACE) {
      this.fail(offset, `the namespace ${XML_NAMESPACE} can only be bound to the prefix 'xml'`);
    }
    if (uri === XMLNS_NAMESPACE) this.fail(offset, `the namespace ${XMLNS_NAMESPACE} must not be declared`);
    if (prefix !== '' && uri === '') {
      this.fail(
        offset,
        `namespace prefix '${prefix}' cannot be bound to an empty URI (only xmlns="" may undeclare)`,
      );
    }
    setRecordEntry(declarations, prefix, uri);
    this.ns.declare(prefix, uri);
  }

  /** Splits a qualified name and resolves its prefix in the current scope. */
  private resolve(qname: string, offset: number, isElement: boolean): XmlName {
    const colon = qname.indexOf(':');
    if (colon === -1) {
      return {
        local: qname,
        prefix: undefined,
        namespace: isElement ? this.ns.defaultNamespace() : undefined,
      };
    }
    const local = qname.slice(colon + 1);
    if (colon === 0 || local === '' || local.includes(':') || !isNameStartChar(local.charCodeAt(0))) {
      this.fail(offset, `'${qname}' is not a valid qualified name: expected prefix:local with a single ':'`);
    }
    const prefix = qname.slice(0, colon);
    if (prefix === 'xmlns')
      this.fail(offset, `the prefix 'xmlns' is reserved for namespace declarations (in ${qname})`);
    const namespace = this.ns.lookup(prefix);
    if (namespace === undefined) {
      this.fail(
        offset,
        `undeclared namespace prefix '${prefix}' in ${isElement ? `<${qname}>` : `attribute ${qname}`}`,
      );
    }
    return { local, prefix, namespace };
  }

  private readAttributeValue(quote: number, name: string, elementName: string): string {
    const src = this.src;
    const open = this.pos;
    let pos = open + 1;
    let run = pos;
    let value = '';
    for (;;) {
      if (pos >= this.len) {
        this.fail(open, `value of attribute ${name} in <${elementName}> is not closed: reached end of input`);
      }
      const c = src.charCodeAt(pos);
      if (c === quote) break;
      if (c === LT) {
        this.fail(
          pos,
          `'<' is not allowed in attribute values (attribute ${name} in <${elementName}>); write &lt;`,
        );
      }
      if (c === AMP) {
        value += src.slice(run, pos);
        this.pos = pos;
        value += this.readReference();
        pos = run = this.pos;
        continue;
      }
      // Attribute-value normalisation (XML 1.0 §3.3.3): literal tabs and newlines read as spaces.
      if (c === TAB || c === LF) {
        value += src.slice(run, pos) + ' ';
        run = pos + 1;
      }
      pos++;
    }
    value += src.slice(run, pos);
    this.pos = pos + 1;
    return value;
  }

  /** Reads character data up to the next `<` into the frame's pending text. */
  private readText(frame: Frame): void {
    const src = this.src;
    const len = this.len;
    let pos = this.pos;
    let run = pos;
    let text = '';
    while (pos < len) {
      const c = src.charCodeAt(pos);
      if (c === LT) break;
      if (c === AMP) {
        text += src.slice(run, pos);
        this.pos = pos;
        text += this.readReference();
        pos = run = this.pos;
        continue;
      }
      if (
        c === CLOSE_BRACKET &&
        src.charCodeAt(pos + 1) === CLOSE_BRACKET &&
        src.charCodeAt(pos + 2) === GT
      ) {
        this.fail(pos, "']]>' is not allowed in text; write ]]&gt;");
      }
      pos++;
    }
    frame.text += text + src.slice(run, pos);
    this.pos = pos;
  }

  private flushText(frame: Frame): void {
    const value = frame.text;
    if (value === '') return;
    frame.text = '';
    frame.el.children.push({ kind: 'text', value, cdata: false });
    if (!frame.hasRealText && NOT_WHITESPACE.test(value)) frame.hasRealText = true;
  }

  /** Reads `&name;`, `&#123;` or `&#x1F;` at `pos` and returns the text it stands for. */
  private readReference(): string {
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
        this.fail(
          start,
          `malformed character reference: expected ${hex ? 'hex digits' : 'digits'} and ';' after '${hex ? '&#x' : '&#'}'`,
        );
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
    if (name === '')
      this.fail(start, "'&' must start an entity or character reference; write &amp; for a literal '&'");
    if (src.charCodeAt(this.pos) !== SEMICOLON)
      this.fail(start, `entity reference &${name} is missing its ';'`);
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

  private readEndTag(top: Frame): void {
    const src = this.src;
    const start = this.pos;
    this.pos += 2;
    const name = this.readName();
    if (name === '')
      this.fail(this.pos, `expected an element name after '</' but found ${this.describe(this.pos)}`);
    const open = top.el.qualifiedName;
    if (name !== open) {
      this.fail(
        start,
        `closing tag </${name}> does not match the open <${open}>`,
        `<${open}> was opened at ${this.where(top.start)}`,
      );
    }
    this.skipWhitespace();
    if (src.charCodeAt(this.pos) !== GT) {
      this.fail(
        this.pos,
        `expected '>' to end the closing tag </${name}> but found ${this.describe(this.pos)}`,
      );
    }
    this.pos++;
  }

  private skipComment(): void {
    const start = this.pos;
    const end = this.src.indexOf('--', start + 4);
    if (end === -1) this.fail(start, 'comment is not closed', "expected '-->'");
    if (this.src.charCodeAt(end + 2) !== GT) this.fail(end, "'--' is not allowed inside a comment");
    this.pos = end + 3;
  }

  private skipProcessingInstruction(): void {
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
    if (target.includes(':'))
      this.fail(start + 2, `processing-instruction target '${target}' must not contain ':'`);
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

  /** `<?xml version="1.0" encoding="..." standalone="..."?>`: validated, then ignored (input is already text). */
  private readXmlDeclaration(): void {
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

  /** Skips a DOCTYPE including any internal subset; nothing in it is used (no DTD entities, ever). */
  private skipDoctype(): void {
    const src = this.src;
    const start = this.pos;
    this.pos += 9;
    if (!this.skipWhitespace()) this.fail(this.pos, "expected whitespace after '<!DOCTYPE'");
    this.sawDoctype = true;
    let inSubset = false;
    while (this.pos < this.len) {
      const pos = this.pos;
      const c = src.charCodeAt(pos);
      // Literals, comments and PIs may contain '>' or ']' so they are skipped whole.
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

  /** Reads an XML Name at `pos` (possibly empty); colons are checked later, where they matter. */
  private readName(): string {
    const src = this.src;
    const start = this.pos;
    if (!isNameStartChar(src.charCodeAt(start))) return '';
    let pos = start + 1;
    while (pos < this.len && isNameChar(src.charCodeAt(pos))) pos++;
    this.pos = pos;
    return src.slice(start, pos);
  }

  /** Skips XML whitespace; returns whether there was any. */
  private skipWhitespace(): boolean {
    const start = this.pos;
    let pos = start;
    while (pos < this.len && isWhitespace(this.src.charCodeAt(pos))) pos++;
    this.pos = pos;
    return pos > start;
  }

  private describe(offset: number): string {
    if (offset >= this.len) return 'end of input';
    const cp = this.src.codePointAt(offset)!;
    const ch = String.fromCodePoint(cp);
    return cp > 0x20 ? `'${ch}'` : JSON.stringify(ch);
  }

  private where(offset: number): string {
    const { line, column } = locate(this.src, offset);
    return `line ${line} column ${column}`;
  }

  fail(offset: number, message: string, detail?: string): never {
    const { line, column } = locate(this.src, offset);
    const suffix = detail === undefined ? '' : ` (${detail})`;
    throw new XmlSyntaxError(`${message} at line ${line} column ${column}${suffix}`, line, column);
  }
}

function digitValue(c: number, hex: boolean): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (!hex) return -1;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Index of the first entry equal to an earlier one, or -1. Quadratic only for tiny lists. */
function findDuplicate(keys: string[]): number {
  if (keys.length < 2) return -1;
  if (keys.length <= 8) {
    for (let i = 1; i < keys.length; i++) {
      for (let j = 0; j < i; j++) if (keys[i] === keys[j]) return i;
    }
    return -1;
  }
  const seen = new Set<string>();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (seen.has(key)) return i;
    seen.add(key);
  }
  return -1;
}

/**
 * Parses an XML 1.0 document with namespaces into an element tree. Never throws: malformed
 * input gives `{ ok: false }` with a message and the 1-based line and column of the problem.
 *
 * Comments, processing instructions, the XML declaration and any DOCTYPE are skipped; only the
 * five predefined entities and character references are expanded. Line endings are normalised
 * to `\n`. Whitespace-only text is dropped from elements that have element children and no
 * other text (indentation); elsewhere text is kept exactly.
 *
 * @example
 * const r = parseXml('<p:order xmlns:p="urn:shop" id="7"><p:item>tea</p:item></p:order>');
 * if (r.ok) r.root.name; // { local: 'order', prefix: 'p', namespace: 'urn:shop' }
 * else console.error(r.error); // e.g. "closing tag </b> does not match the open <a> at line 3 column 5 (...)"
 */
export function parseXml(text: string): XmlParseResult {
  if (typeof text !== 'string') return { ok: false, error: 'XML input must be a string', line: 1, column: 1 };
  let src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // XML 1.0 §2.11: every CR LF and lone CR reads as LF. Line numbers are unaffected.
  if (src.includes('\r')) src = src.replace(/\r\n?/g, '\n');
  const parser = new Parser(src);
  try {
    return { ok: true, root: parser.parseDocument() };
  } catch (error) {
    if (error instanceof XmlSyntaxError) {
      return { ok: false, error: error.message, line: error.line, column: error.column };
    }
    // Only resource exhaustion should get here; report it rather than break the never-throws promise.
    const { line, column } = locate(src, Math.min(parser.pos, src.length));
    return { ok: false, error: `XML could not be parsed: ${String(error)}`, line, column };
  }
}
