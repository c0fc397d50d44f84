import { codePointLabel, INVALID_CHAR, isNameChar, isNameStartChar, isWhitespace } from './chars.js';
import {
  AMP,
  APOSTROPHE,
  BANG,
  CLOSE_BRACKET,
  EQUALS,
  GT,
  LF,
  LT,
  locate,
  QUESTION,
  QUOTE,
  SLASH,
  TAB,
  XmlCursor,
  XmlSyntaxError,
} from './cursor.js';
import { NamespaceScope, setRecordEntry, XML_NAMESPACE, XMLNS_NAMESPACE } from './namespaces.js';
import type { XmlAttribute, XmlElement, XmlName, XmlParseResult, XmlText } from './types.js';

// Per open element flags.
const HAS_ELEMENT_CHILD = 1;
/** A CDATA section or text that is not only whitespace: the content is mixed and kept as is. */
const HAS_REAL_TEXT = 2;
/** A whitespace-only text node was added (one built from references or split by comments). */
const HAS_WHITESPACE_NODE = 4;

// Pending character data (not yet a node, so text split by comments joins up).
const NO_TEXT = 0;
/** One unbroken run of source text, `pendingStart..pendingEnd`; not sliced until needed. */
const RAW_TEXT = 1;
/** Anything else, built up in `pendingText`. */
const BUILT_TEXT = 2;

const NON_WHITESPACE = /[^ \t\n]/g;
const ATTRIBUTE_VALUE_SPECIAL = /[<&\t\n]/;

function indexOrLength(src: string, search: string, from: number): number {
  const index = src.indexOf(search, from);
  return index === -1 ? src.length : index;
}

/** A validated `prefix:local` split, cached per distinct qualified name. */
interface PrefixedName {
  prefix: string;
  local: string;
}

/**
 * Builds the element tree. Iterative with explicit stacks so nesting depth cannot overflow the
 * call stack, and careful about allocation because garbage collection dominates parse time on
 * big bodies: open elements live in parallel arrays, children and attributes are gathered in
 * reused scratch arrays and copied out at their exact size, and indentation is remembered as
 * offsets and only sliced if it turns out to be kept.
 */
class Parser extends XmlCursor {
  private readonly ns = new NamespaceScope();
  /** Set by `readStartTag`. */
  private selfClosing = false;

  private readonly openElements: XmlElement[] = [];
  private readonly openOffsets: number[] = [];
  private readonly openMarks: number[] = [];
  private readonly openFlags: number[] = [];
  private readonly openChildBase: number[] = [];
  private readonly openDeferredBase: number[] = [];
  /** Children of all open elements; each owns the suffix from its base. Used up to `childCount`. */
  private readonly children: Array<XmlElement | XmlText> = [];
  private childCount = 0;
  /** Whitespace-only raw runs as (child index, start, end) triples, owned like `children`. */
  private readonly deferred: number[] = [];
  private deferredCount = 0;

  private pendingKind = NO_TEXT;
  private pendingStart = 0;
  private pendingEnd = 0;
  private pendingText = '';
  private pendingWhitespace = true;

  private attributeCount = 0;
  private readonly attributeNames: string[] = [];
  private readonly attributeValues: string[] = [];
  private readonly attributeOffsets: number[] = [];
  private readonly attributeList: XmlAttribute[] = [];
  private readonly prefixedNames = new Map<string, PrefixedName>();
  /** Offset of the next '&' / ']]>' at or after the last text read (or the length: none). */
  private nextAmpersand = -1;
  private nextCdataEnd = -1;

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

  /** Reads the root element and everything inside it. */
  private readElement(): XmlElement {
    const src = this.src;
    const rootOffset = this.pos;
    const rootMark = this.ns.mark();
    const root = this.readStartTag();
    if (this.selfClosing) {
      this.ns.restore(rootMark);
      return root;
    }
    this.open(root, rootOffset, rootMark);
    const elements = this.openElements;
    for (;;) {
      const pos = this.pos;
      if (pos >= this.len) {
        const name = elements[elements.length - 1]!.qualifiedName;
        const opened = this.where(this.openOffsets[this.openOffsets.length - 1]!);
        this.fail(
          pos,
          `unclosed element <${name}>: reached end of input`,
          `<${name}> was opened at ${opened}`,
        );
      }
      if (src.charCodeAt(pos) !== LT) {
        this.readText();
        continue;
      }
      const next = src.charCodeAt(pos + 1);
      if (next === SLASH) {
        this.readEndTag();
        this.flushText();
        this.close();
        if (elements.length === 0) return root;
      } else if (next === BANG) {
        if (src.startsWith('<!--', pos)) {
          this.skipComment();
        } else if (src.startsWith('<![CDATA[', pos)) {
          const end = src.indexOf(']]>', pos + 9);
          if (end === -1) this.fail(pos, 'CDATA section is not closed', "expected ']]>'");
          this.flushText();
          this.children[this.childCount++] = { kind: 'text', value: src.slice(pos + 9, end), cdata: true };
          this.openFlags[elements.length - 1]! |= HAS_REAL_TEXT;
          this.pos = end + 3;
        } else if (src.startsWith('<!DOCTYPE', pos)) {
          this.fail(pos, 'DOCTYPE is only allowed before the root element');
        } else {
          this.fail(pos, "unexpected '<!': expected a comment or a CDATA section");
        }
      } else if (next === QUESTION) {
        this.skipProcessingInstruction();
      } else {
        this.flushText();
        const mark = this.ns.mark();
        const child = this.readStartTag();
        this.children[this.childCount++] = child;
        this.openFlags[elements.length - 1]! |= HAS_ELEMENT_CHILD;
        if (this.selfClosing) this.ns.restore(mark);
        else this.open(child, pos, mark);
      }
    }
  }

  private open(el: XmlElement, offset: number, mark: number): void {
    this.openElements.push(el);
    this.openOffsets.push(offset);
    this.openMarks.push(mark);
    this.openFlags.push(0);
    this.openChildBase.push(this.childCount);
    this.openDeferredBase.push(this.deferredCount);
  }

  /** Pops the innermost open element and gives it its final children. */
  private close(): void {
    const el = this.openElements.pop()!;
    const flags = this.openFlags.pop()!;
    const base = this.openChildBase.pop()!;
    const deferredBase = this.openDeferredBase.pop()!;
    this.openOffsets.pop();
    this.ns.restore(this.openMarks.pop()!);
    const scratch = this.children;
    const end = this.childCount;
    if ((flags & HAS_ELEMENT_CHILD) !== 0 && (flags & HAS_REAL_TEXT) === 0) {
      // Element-only content: whitespace between children is layout, not content.
      if ((flags & HAS_WHITESPACE_NODE) === 0) {
        el.children = scratch.slice(base, end);
      } else {
        const kept: XmlElement[] = [];
        for (let i = base; i < end; i++) {
          const child = scratch[i]!;
          if (child.kind === 'element') kept.push(child);
        }
        el.children = kept;
      }
    } else if (this.deferredCount > deferredBase) {
      this.keepDeferred(el, base, deferredBase);
    } else if (end > base) {
      el.children = scratch.slice(base, end);
    }
    this.childCount = base;
    this.deferredCount = deferredBase;
  }

  /** Gives the element its children with the deferred whitespace runs as text nodes in place. */
  private keepDeferred(el: XmlElement, base: number, deferredBase: number): void {
    const scratch = this.children;
    const runs = this.deferred;
    const merged: Array<XmlElement | XmlText> = [];
    let next = base;
    for (let i = deferredBase; i < this.deferredCount; i += 3) {
      const at = runs[i]!;
      while (next < at) merged.push(scratch[next++]!);
      merged.push({ kind: 'text', value: this.src.slice(runs[i + 1]!, runs[i + 2]!), cdata: false });
    }
    while (next < this.childCount) merged.push(scratch[next++]!);
    el.children = merged;
  }

  /** Reads `<name attr="v" ...>` or `<name/>` and declares its namespaces; sets `selfClosing`. */
  private readStartTag(): XmlElement {
    const src = this.src;
    const start = this.pos;
    this.pos++;
    const qname = this.readName();
    if (qname === '') {
      this.fail(this.pos, `expected an element name after '<' but found ${this.describe(this.pos)}`);
    }
    // Attributes are gathered first: xmlns declarations may follow the attributes they qualify.
    this.attributeCount = 0;
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
      this.readAttribute(qname, spaced);
    }
    return this.buildElement(start, qname);
  }

  /** Reads `name="value"` into the scratch arrays. */
  private readAttribute(elementName: string, spaced: boolean): void {
    const src = this.src;
    const start = this.pos;
    const name = this.readName();
    if (name === '') this.fail(start, `unexpected ${this.describe(start)} in start tag <${elementName}>`);
    if (!spaced) this.fail(start, `missing whitespace before attribute ${name} in <${elementName}>`);
    this.skipWhitespace();
    if (src.charCodeAt(this.pos) !== EQUALS) {
      this.fail(
        this.pos,
        `expected '=' after attribute ${name} in <${elementName}> but found ${this.describe(this.pos)}`,
      );
    }
    this.pos++;
    this.skipWhitespace();
    const quote = src.charCodeAt(this.pos);
    if (quote !== QUOTE && quote !== APOSTROPHE) {
      this.fail(
        this.pos,
        `value of attribute ${name} in <${elementName}> must be in quotes but found ${this.describe(this.pos)}`,
      );
    }
    const value = this.readAttributeValue(quote, name, elementName);
    const i = this.attributeCount++;
    this.attributeNames[i] = name;
    this.attributeValues[i] = value;
    this.attributeOffsets[i] = start;
  }

  private readAttributeValue(quote: number, name: string, elementName: string): string {
    const src = this.src;
    const open = this.pos;
    const close = src.indexOf(quote === QUOTE ? '"' : "'", open + 1);
    if (close === -1) {
      this.fail(open, `value of attribute ${name} in <${elementName}> is not closed: reached end of input`);
    }
    const raw = src.slice(open + 1, close);
    this.pos = close + 1;
    // Most values need no work; otherwise expand references and normalise whitespace.
    if (!ATTRIBUTE_VALUE_SPECIAL.test(raw)) return raw;
    let value = '';
    let run = open + 1;
    for (let pos = run; pos < close; ) {
      const c = src.charCodeAt(pos);
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
        // A reference cannot contain a quote, so it cannot run past the closing one.
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
    this.pos = close + 1;
    return value + src.slice(run, close);
  }

  /** Resolves the element and its gathered attributes against the namespaces in scope. */
  private buildElement(start: number, qname: string): XmlElement {
    const count = this.attributeCount;
    const names = this.attributeNames;
    const values = this.attributeValues;
    const offsets = this.attributeOffsets;
    const declarations: Record<string, string> = {};
    let attributes: XmlAttribute[] = [];
    if (count > 0) {
      const duplicate = findDuplicate(names, count);
      if (duplicate !== -1) {
        this.fail(offsets[duplicate]!, `duplicate attribute ${names[duplicate]} in <${qname}>`);
      }
      // Declarations first: they apply to this element's own name and to all its attributes.
      for (let i = 0; i < count; i++) {
        const name = names[i]!;
        if (name === 'xmlns' || name.startsWith('xmlns:')) {
          this.declare(name, values[i]!, offsets[i]!, declarations);
        }
      }
      let expanded: string[] | undefined;
      const list = this.attributeList;
      let listed = 0;
      for (let i = 0; i < count; i++) {
        const qualifiedName = names[i]!;
        if (qualifiedName === 'xmlns' || qualifiedName.startsWith('xmlns:')) continue;
        const name = this.resolve(qualifiedName, offsets[i]!, false);
        list[listed++] = { name, qualifiedName, value: values[i]! };
        if (name.namespace !== undefined) {
          const key = `{${name.namespace}}${name.local}`;
          if (expanded === undefined) expanded = [key];
          else expanded.push(key);
        }
      }
      // Two prefixes bound to one URI can make different-looking attributes the same name.
      if (expanded !== undefined && expanded.length > 1) {
        const clash = findDuplicate(expanded, expanded.length);
        if (clash !== -1) {
          this.fail(
            start,
            `two attributes of <${qname}> have the same namespace and local name ${expanded[clash]}`,
          );
        }
      }
      if (listed > 0) attributes = list.slice(0, listed);
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
  private resolve(qname: string, offset: number, isElementName: boolean): XmlName {
    let split = this.prefixedNames.get(qname);
    if (split === undefined) {
      const colon = qname.indexOf(':');
      if (colon === -1) {
        const namespace = isElementName ? this.ns.defaultNamespace() : undefined;
        return { local: qname, prefix: undefined, namespace };
      }
      const local = qname.slice(colon + 1);
      if (colon === 0 || local === '' || local.includes(':') || !isNameStartChar(local.charCodeAt(0))) {
        this.fail(
          offset,
          `'${qname}' is not a valid qualified name: expected prefix:local with a single ':'`,
        );
      }
      split = { prefix: qname.slice(0, colon), local };
      this.prefixedNames.set(qname, split);
    }
    const { prefix, local } = split;
    if (prefix === 'xmlns') {
      this.fail(offset, `the prefix 'xmlns' is reserved for namespace declarations (in ${qname})`);
    }
    const namespace = this.ns.lookup(prefix);
    if (namespace === undefined) {
      const where = isElementName ? `<${qname}>` : `attribute ${qname}`;
      this.fail(offset, `undeclared namespace prefix '${prefix}' in ${where}`);
    }
    return { local, prefix, namespace };
  }

  /** Reads character data up to the next `<` into the pending text. */
  private readText(): void {
    const src = this.src;
    const start = this.pos;
    let end = src.indexOf('<', start);
    if (end === -1) end = this.len;
    // Fast path using native scans only, which matters before the JIT has warmed up: most text
    // has no reference and no ']]>'. The next-occurrence caches only move forward, so all the
    // indexOf calls together scan the document once.
    if (this.nextAmpersand < start) this.nextAmpersand = indexOrLength(src, '&', start);
    if (this.nextCdataEnd < start) this.nextCdataEnd = indexOrLength(src, ']]>', start);
    if (this.nextAmpersand >= end && this.nextCdataEnd >= end) {
      // Stops at the '<' after the text at the latest.
      NON_WHITESPACE.lastIndex = start;
      const whitespace = !NON_WHITESPACE.test(src) || NON_WHITESPACE.lastIndex > end;
      this.pos = end;
      this.addText(start, end, '', whitespace);
      return;
    }
    let pos = start;
    let run = pos;
    let expanded = '';
    let whitespace = true;
    while (pos < end) {
      const c = src.charCodeAt(pos);
      if (c === AMP) {
        expanded += src.slice(run, pos);
        this.pos = pos;
        const text = this.readReference();
        if (whitespace && !(text.length === 1 && isWhitespace(text.charCodeAt(0)))) whitespace = false;
        expanded += text;
        pos = run = this.pos;
        continue;
      }
      if (c === CLOSE_BRACKET && src.startsWith(']]>', pos)) {
        this.fail(pos, "']]>' is not allowed in text; write ]]&gt;");
      }
      // Line ends were normalised to LF before parsing, so there is no CR to test for.
      if (whitespace && c !== 0x20 && c !== LF && c !== TAB) whitespace = false;
      pos++;
    }
    this.pos = end;
    this.addText(start, end, expanded === '' ? '' : expanded + src.slice(run, end), whitespace);
  }

  /**
   * Appends `start..end` of the source to the pending text, or `expanded` instead when it is
   * not empty (the run had references). An unbroken raw run is kept as offsets, unsliced.
   */
  private addText(start: number, end: number, expanded: string, whitespace: boolean): void {
    if (this.pendingKind === NO_TEXT && expanded === '') {
      this.pendingKind = RAW_TEXT;
      this.pendingStart = start;
      this.pendingEnd = end;
      this.pendingWhitespace = whitespace;
      return;
    }
    const chunk = expanded === '' ? this.src.slice(start, end) : expanded;
    if (this.pendingKind === NO_TEXT) {
      this.pendingText = chunk;
      this.pendingWhitespace = whitespace;
    } else {
      const before =
        this.pendingKind === RAW_TEXT ? this.src.slice(this.pendingStart, this.pendingEnd) : this.pendingText;
      this.pendingText = before + chunk;
      this.pendingWhitespace &&= whitespace;
    }
    this.pendingKind = BUILT_TEXT;
  }

  /** Turns pending text into a node of the innermost open element (or defers it, if indentation). */
  private flushText(): void {
    const kind = this.pendingKind;
    if (kind === NO_TEXT) return;
    this.pendingKind = NO_TEXT;
    if (kind === RAW_TEXT && this.pendingWhitespace) {
      const runs = this.deferred;
      runs[this.deferredCount++] = this.childCount;
      runs[this.deferredCount++] = this.pendingStart;
      runs[this.deferredCount++] = this.pendingEnd;
      return;
    }
    const value = kind === RAW_TEXT ? this.src.slice(this.pendingStart, this.pendingEnd) : this.pendingText;
    this.pendingText = '';
    this.children[this.childCount++] = { kind: 'text', value, cdata: false };
    this.openFlags[this.openFlags.length - 1]! |= this.pendingWhitespace
      ? HAS_WHITESPACE_NODE
      : HAS_REAL_TEXT;
  }

  /** Reads `</name>`, which must close the innermost open element. */
  private readEndTag(): void {
    const src = this.src;
    const start = this.pos;
    const open = this.openElements[this.openElements.length - 1]!.qualifiedName;
    let pos = start + 2;
    // Compare in place: slicing a name per end tag is measurable garbage on big documents.
    if (src.startsWith(open, pos) && !isNameChar(src.charCodeAt(pos + open.length))) {
      pos += open.length;
    } else {
      this.pos = pos;
      const name = this.readName();
      if (name === '') this.fail(pos, `expected an element name after '</' but found ${this.describe(pos)}`);
      const opened = this.where(this.openOffsets[this.openOffsets.length - 1]!);
      this.fail(
        start,
        `closing tag </${name}> does not match the open <${open}>`,
        `<${open}> was opened at ${opened}`,
      );
    }
    this.pos = pos;
    this.skipWhitespace();
    if (src.charCodeAt(this.pos) !== GT) {
      this.fail(
        this.pos,
        `expected '>' to end the closing tag </${open}> but found ${this.describe(this.pos)}`,
      );
    }
    this.pos++;
  }
}

/** Index of the first of the first `count` keys equal to an earlier one, or -1. */
function findDuplicate(keys: string[], count: number): number {
  if (count < 2) return -1;
  if (count <= 8) {
    // Quadratic, but only for a handful of keys, where it beats building a set.
    for (let i = 1; i < count; i++) {
      for (let j = 0; j < i; j++) if (keys[i] === keys[j]) return i;
    }
    return -1;
  }
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
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
 * five predefined entities and character references are expanded (never DTD entities). Line
 * ends are normalised to `\n`. Whitespace-only text is dropped from an element that has element
 * children and no other text (indentation); anywhere else text is kept exactly. Plain text split
 * by comments becomes one node; each CDATA section is its own node with `cdata: true`.
 *
 * @example
 * const r = parseXml('<p:order xmlns:p="urn:shop" id="7"><p:item>tea</p:item></p:order>');
 * if (r.ok) r.root.name; // { local: 'order', prefix: 'p', namespace: 'urn:shop' }
 * else r.error; // e.g. 'closing tag </b> does not match the open <a> at line 3 column 5 (...)'
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
