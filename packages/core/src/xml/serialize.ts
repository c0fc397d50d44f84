import { NamespaceScope, XML_NAMESPACE } from './namespaces.js';
import type { XmlElement } from './types.js';

// Characters XML cannot hold literally (written as references so a diff shows them), plus the
// markup characters. CR is escaped because a parser would read a literal CR back as LF.
const ILLEGAL = '\\0-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF';
const LONE_SURROGATE = '|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const TEXT_ESCAPES = new RegExp(`[&<>\\r${ILLEGAL}]${LONE_SURROGATE}`, 'g');
// Tabs and newlines too: attribute-value normalisation would otherwise turn them into spaces.
const ATTRIBUTE_ESCAPES = new RegExp(`[&<"\\t\\n\\r${ILLEGAL}]${LONE_SURROGATE}`, 'g');
// CDATA cannot escape anything, so such text is written as ordinary escaped text instead.
const NOT_CDATA_SAFE = new RegExp(`[\\r${ILLEGAL}]${LONE_SURROGATE}`);

function escapeChar(ch: string): string {
  switch (ch) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '"':
      return '&quot;';
    default:
      return `&#x${ch.charCodeAt(0).toString(16).toUpperCase()};`;
  }
}

function escapeText(value: string): string {
  return value.replace(TEXT_ESCAPES, escapeChar);
}

function escapeAttribute(value: string): string {
  return value.replace(ATTRIBUTE_ESCAPES, escapeChar);
}

function cdataSection(value: string): string {
  if (NOT_CDATA_SAFE.test(value)) return escapeText(value);
  // ']]>' would end the section early: split it across two sections.
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

function hasContent(el: XmlElement): boolean {
  return el.children.some((child) => child.kind === 'element' || child.value !== '');
}

interface WrittenAttribute {
  namespace: string;
  local: string;
  text: string;
}

function compareAttributes(a: WrittenAttribute, b: WrittenAttribute): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  if (a.local !== b.local) return a.local < b.local ? -1 : 1;
  return 0;
}

/**
 * Writes `<name` plus declarations and attributes (without the closing `>` or `/>`), declaring
 * any namespace the element or its attributes need that is not already in scope.
 */
function startTag(el: XmlElement, scope: NamespaceScope): { open: string; name: string } {
  const declarations = new Map<string, string>();
  const declare = (prefix: string, uri: string): void => {
    declarations.set(prefix, uri);
    scope.declare(prefix, uri);
  };
  for (const prefix of Object.keys(el.namespaceDeclarations))
    declare(prefix, el.namespaceDeclarations[prefix]!);

  // Prefixes this tag already relies on; rebinding one of them would change a name.
  const used: string[] = [];
  const prefixFor = (wanted: string | undefined, uri: string): string => {
    if (uri === XML_NAMESPACE) return 'xml';
    if (wanted !== undefined && wanted !== '' && wanted !== 'xml' && wanted !== 'xmlns') {
      if (scope.lookup(wanted) === uri) return wanted;
      if (!declarations.has(wanted) && !used.includes(wanted)) {
        declare(wanted, uri);
        return wanted;
      }
    }
    // The wanted prefix is missing, reserved or taken on this tag: invent one.
    for (let i = 0; ; i++) {
      const candidate = `ns${i}`;
      const bound = scope.lookup(candidate);
      if (bound === uri) return candidate;
      if (bound === undefined) {
        declare(candidate, uri);
        return candidate;
      }
    }
  };

  const { prefix, local, namespace } = el.name;
  let name = local;
  if (namespace === undefined) {
    // Only an unprefixed name can be in no namespace; make sure no default namespace applies.
    if ((scope.lookup('') ?? '') !== '') declare('', '');
  } else if ((prefix === undefined || prefix === '') && namespace !== XML_NAMESPACE) {
    if (scope.lookup('') !== namespace) declare('', namespace);
  } else {
    const chosen = prefixFor(prefix, namespace);
    used.push(chosen);
    name = `${chosen}:${local}`;
  }

  const attributes: WrittenAttribute[] = [];
  for (const attribute of el.attributes) {
    const uri = attribute.name.namespace;
    let qualified = attribute.name.local;
    if (uri !== undefined) {
      const chosen = prefixFor(attribute.name.prefix, uri);
      used.push(chosen);
      qualified = `${chosen}:${qualified}`;
    }
    attributes.push({
      namespace: uri ?? '',
      local: attribute.name.local,
      text: ` ${qualified}="${escapeAttribute(attribute.value)}"`,
    });
  }
  attributes.sort(compareAttributes);

  let open = `<${name}`;
  for (const key of [...declarations.keys()].sort()) {
    open += `${key === '' ? ' xmlns' : ` xmlns:${key}`}="${escapeAttribute(declarations.get(key)!)}"`;
  }
  for (const attribute of attributes) open += attribute.text;
  return { open, name };
}

/**
 * Serialises an element tree to compact canonical XML: no XML declaration, no added whitespace,
 * namespace declarations first (default, then by prefix), attributes sorted by namespace URI then
 * local name, empty elements as `<a/>`, and a fixed escaping (`&amp; &lt; &gt; &quot;`, `&#xD;`
 * and friends). Equal trees therefore give equal strings, which is what a diff needs.
 *
 * Names are written from `name` (prefix, local, namespace) and missing namespace declarations are
 * added, so trees built by hand still parse back to the same namespaces. A tree from `parseXml`
 * parses back to an equal tree, except for attribute order and text the parser would drop or merge
 * (empty text, adjacent plain text, whitespace between elements).
 *
 * @example
 * const r = parseXml('<a  y="2" x="1">\n  <b>t &amp; u</b>\n</a>');
 * if (r.ok) serializeXml(r.root); // '<a x="1" y="2"><b>t &amp; u</b></a>'
 */
export function serializeXml(root: XmlElement): string {
  const scope = new NamespaceScope();
  const out: string[] = [];
  // Iterative, like the parser, so any tree the parser can build can be written back.
  const stack: Array<{ el: XmlElement; name: string; next: number; mark: number }> = [];
  const open = (el: XmlElement): void => {
    const mark = scope.mark();
    const tag = startTag(el, scope);
    if (hasContent(el)) {
      out.push(tag.open, '>');
      stack.push({ el, name: tag.name, next: 0, mark });
    } else {
      out.push(tag.open, '/>');
      scope.restore(mark);
    }
  };
  open(root);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const child = frame.el.children[frame.next++];
    if (child === undefined) {
      out.push(`</${frame.name}>`);
      scope.restore(frame.mark);
      stack.pop();
    } else if (child.kind === 'element') {
      open(child);
    } else if (child.value !== '') {
      out.push(child.cdata ? cdataSection(child.value) : escapeText(child.value));
    }
  }
  return out.join('');
}
