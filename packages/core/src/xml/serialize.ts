import { NamespaceScope, XML_NAMESPACE } from './namespaces.js';
import type { XmlAttribute, XmlElement } from './types.js';

function charReference(c: number): string {
  return `&#x${c.toString(16).toUpperCase()};`;
}

/**
 * Escapes markup characters, plus characters XML cannot contain literally (written as references
 * so a diff shows them). CR is always escaped because a parser reads a literal CR back as LF;
 * in attributes tab and LF are too, because attribute-value normalisation turns them into spaces.
 * Returns `value` itself when nothing needs escaping.
 */
function escapeMarkup(value: string, attribute: boolean): string {
  let out = '';
  let run = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x3e && c < 0xd800) continue;
    let reference: string | undefined;
    if (c === 0x26) reference = '&amp;';
    else if (c === 0x3c) reference = '&lt;';
    else if (c === 0x3e) reference = attribute ? undefined : '&gt;';
    else if (c === 0x22) reference = attribute ? '&quot;' : undefined;
    else if (c === 0x09 || c === 0x0a) reference = attribute ? charReference(c) : undefined;
    else if (c < 0x20) reference = charReference(c);
    else if (c >= 0xd800) {
      const next = value.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++; // a proper surrogate pair
        continue;
      }
      if (c <= 0xdfff || c >= 0xfffe) reference = charReference(c);
    }
    if (reference !== undefined) {
      out += value.slice(run, i) + reference;
      run = i + 1;
    }
  }
  return run === 0 ? value : out + value.slice(run);
}

/** Whether a CDATA section can hold the value as is (it cannot escape anything, not even CR). */
function fitsCdata(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c < 0xd800) continue;
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a) return false;
    } else if (c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c <= 0xdfff || c >= 0xfffe) {
      return false;
    }
  }
  return true;
}

function cdataSection(value: string): string {
  if (!fitsCdata(value)) return escapeMarkup(value, false);
  // ']]>' would end the section early: split it across two sections.
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

function hasContent(el: XmlElement): boolean {
  for (const child of el.children) {
    if (child.kind === 'element' || child.value !== '') return true;
  }
  return false;
}

/** Canonical attribute order (as in Canonical XML): namespace URI, then local name; no namespace first. */
function compareAttributes(a: XmlAttribute, b: XmlAttribute): number {
  const an = a.name.namespace ?? '';
  const bn = b.name.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  const al = a.name.local;
  const bl = b.name.local;
  return al === bl ? 0 : al < bl ? -1 : 1;
}

/** One serialisation: the namespace scope plus scratch space reused for every tag. */
class Writer {
  private readonly out: string[] = [];
  private readonly scope = new NamespaceScope();
  /** Declarations to write on the current tag: prefix (`''` for the default) to URI. */
  private readonly declared = new Map<string, string>();
  /** Prefixes the current tag's names rely on; rebinding one of them would change a name. */
  private readonly used = new Set<string>();
  /** Qualified names chosen for the current tag's attributes, by attribute index. */
  private readonly attributeNames: string[] = [];

  write(root: XmlElement): string {
    const out = this.out;
    // Iterative, like the parser, so any tree the parser can build can be written back.
    const elements: XmlElement[] = [];
    const names: string[] = [];
    const nextChild: number[] = [];
    const marks: number[] = [];
    const open = (el: XmlElement): void => {
      const mark = this.scope.mark();
      const name = this.startTag(el);
      if (hasContent(el)) {
        out.push('>');
        elements.push(el);
        names.push(name);
        nextChild.push(0);
        marks.push(mark);
      } else {
        out.push('/>');
        this.scope.restore(mark);
      }
    };
    open(root);
    while (elements.length > 0) {
      const top = elements.length - 1;
      const index = nextChild[top]!;
      const child = elements[top]!.children[index];
      nextChild[top] = index + 1;
      if (child === undefined) {
        out.push(`</${names.pop()}>`);
        this.scope.restore(marks.pop()!);
        elements.pop();
        nextChild.pop();
      } else if (child.kind === 'element') {
        open(child);
      } else if (child.value !== '') {
        out.push(child.cdata ? cdataSection(child.value) : escapeMarkup(child.value, false));
      }
    }
    return out.join('');
  }

  /**
   * Writes `<name`, its namespace declarations and attributes (not the closing `>`), adding any
   * declaration its names need that is not in scope. Returns the name for the end tag.
   */
  private startTag(el: XmlElement): string {
    // Reused and cleared rather than allocated per tag; maps keep pathological tags linear.
    this.declared.clear();
    this.used.clear();
    const source = el.namespaceDeclarations;
    for (const prefix in source) {
      if (Object.hasOwn(source, prefix)) this.declare(prefix, source[prefix]!);
    }

    const { prefix, local, namespace } = el.name;
    let name = local;
    if (namespace === undefined) {
      // Only an unprefixed name can be in no namespace; make sure no default namespace applies.
      if ((this.scope.lookup('') ?? '') !== '') this.declare('', '');
    } else if ((prefix === undefined || prefix === '') && namespace !== XML_NAMESPACE) {
      if (this.scope.lookup('') !== namespace) this.declare('', namespace);
    } else {
      const chosen = this.prefixFor(prefix, namespace);
      this.used.add(chosen);
      name = `${chosen}:${local}`;
    }

    const attributes = el.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const attribute = attributes[i]!;
      const uri = attribute.name.namespace;
      let qualified = attribute.name.local;
      if (uri !== undefined) {
        const chosen = this.prefixFor(attribute.name.prefix, uri);
        this.used.add(chosen);
        qualified = `${chosen}:${qualified}`;
      }
      this.attributeNames[i] = qualified;
    }

    let tag = `<${name}`;
    if (this.declared.size > 0) {
      // Default namespace first (the empty prefix sorts first), then by prefix.
      const prefixes = [...this.declared.keys()];
      if (prefixes.length > 1) prefixes.sort();
      for (const declared of prefixes) {
        const uri = escapeMarkup(this.declared.get(declared)!, true);
        tag += declared === '' ? ` xmlns="${uri}"` : ` xmlns:${declared}="${uri}"`;
      }
    }
    if (isCanonicalOrder(attributes)) {
      for (let i = 0; i < attributes.length; i++) tag += this.attributeText(attributes, i);
    } else {
      for (const i of canonicalOrder(attributes)) tag += this.attributeText(attributes, i);
    }
    this.out.push(tag);
    return name;
  }

  private attributeText(attributes: XmlAttribute[], i: number): string {
    return ` ${this.attributeNames[i]}="${escapeMarkup(attributes[i]!.value, true)}"`;
  }

  /** Declares on the current tag, replacing an earlier declaration of the same prefix there. */
  private declare(prefix: string, uri: string): void {
    this.declared.set(prefix, uri);
    this.scope.declare(prefix, uri);
  }

  /** A prefix bound to `uri` for this tag: the wanted one if possible, else an invented `nsN`. */
  private prefixFor(wanted: string | undefined, uri: string): string {
    if (uri === XML_NAMESPACE) return 'xml';
    if (wanted !== undefined && wanted !== '' && wanted !== 'xml' && wanted !== 'xmlns') {
      if (this.scope.lookup(wanted) === uri) return wanted;
      if (!this.declared.has(wanted) && !this.used.has(wanted)) {
        this.declare(wanted, uri);
        return wanted;
      }
    }
    // The wanted prefix is missing, reserved or taken on this tag: invent one.
    for (let n = 0; ; n++) {
      const candidate = `ns${n}`;
      const bound = this.scope.lookup(candidate);
      if (bound === uri) return candidate;
      if (bound === undefined) {
        this.declare(candidate, uri);
        return candidate;
      }
    }
  }
}

/** Whether the attributes are already in canonical order (usually so, when there are few). */
function isCanonicalOrder(attributes: XmlAttribute[]): boolean {
  for (let i = 1; i < attributes.length; i++) {
    if (compareAttributes(attributes[i - 1]!, attributes[i]!) > 0) return false;
  }
  return true;
}

/** Indexes of the attributes in canonical order. */
function canonicalOrder(attributes: XmlAttribute[]): number[] {
  const order: number[] = [];
  for (let i = 0; i < attributes.length; i++) order.push(i);
  if (order.length > 1) order.sort((a, b) => compareAttributes(attributes[a]!, attributes[b]!));
  return order;
}

/**
 * Serialises an element tree to compact canonical XML: no XML declaration, no added whitespace,
 * namespace declarations first (default, then by prefix), attributes sorted by namespace URI then
 * local name, empty elements as `<a/>`, and one fixed escaping (`&amp; &lt; &gt; &quot;`, `&#xD;`
 * and so on). Trees that differ only in attribute order or layout give the same string, which
 * is what a diff needs.
 *
 * Names are written from `name` (prefix, local, namespace), adding any namespace declaration
 * that is missing, so a hand-built tree still parses back to the same namespaces. A tree from
 * `parseXml` parses back to an equal tree, apart from attribute order and text the parser drops
 * or merges (empty text, adjacent plain text, whitespace between elements).
 *
 * @example
 * const r = parseXml('<a  y="2" x="1">\n  <b>t &amp; u</b>\n</a>');
 * if (r.ok) serializeXml(r.root); // '<a x="1" y="2"><b>t &amp; u</b></a>'
 */
export function serializeXml(root: XmlElement): string {
  return new Writer().write(root);
}
