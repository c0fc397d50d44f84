import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { XmlAttribute, XmlElement, XmlText } from './index.js';
import { parseXml, serializeXml, XML_NAMESPACE } from './index.js';

/** A CDATA section can't hold ']]>'; removing one occurrence may join a new one, so repeat. */
function withoutCdataEnd(value: string): string {
  let out = value;
  while (out.includes(']]>')) out = out.replaceAll(']]>', '');
  return out;
}

// ---- generated trees --------------------------------------------------------------------

/** A tree before namespace resolution: prefixes and declarations as an author would write them. */
interface RawElement {
  kind: 'raw';
  prefix: string | undefined;
  local: string;
  declarations: Partial<Record<'' | 'p' | 'q', string>>;
  attributes: Array<{ prefix: string | undefined; local: string; value: string }>;
  children: Array<RawElement | XmlText>;
}

const localName = fc.constantFrom('a', 'b', 'item', 'x-y', 'n.1', '_z', 'é', '日本', 'A1');
const uri = fc.constantFrom('urn:1', 'urn:2', 'http://example.com/ns?a=1&b="2"<>');
// Characters that stress escaping, whitespace handling and surrogate pairs.
const xmlChar = fc.oneof(
  fc.constantFrom('a', 'b', 'z', '0'),
  fc.constantFrom('<', '>', '&', '"', "'", ']', ']]>', ' ', '\t', '\n', '\r', '\u00A0', 'é', '😀', '\uFFFD'),
);
const textValue = fc.string({ unit: xmlChar, maxLength: 8 });
const textNode: fc.Arbitrary<XmlText> = fc.record({
  kind: fc.constant('text' as const),
  value: textValue,
  cdata: fc.boolean(),
});

const { element: rawElement } = fc.letrec<{ element: RawElement; child: RawElement | XmlText }>((tie) => ({
  element: fc.record({
    kind: fc.constant('raw' as const),
    prefix: fc.constantFrom(undefined, undefined, 'p', 'q'),
    local: localName,
    // Mostly no declarations, as in real documents; prefixes in use get declared by `resolve`.
    declarations: fc.oneof(
      { weight: 3, arbitrary: fc.constant({}) },
      {
        weight: 1,
        arbitrary: fc.record({ '': fc.oneof(uri, fc.constant('')), p: uri, q: uri }, { requiredKeys: [] }),
      },
    ) as fc.Arbitrary<RawElement['declarations']>,
    attributes: fc.array(
      fc.record({
        prefix: fc.constantFrom(undefined, undefined, 'p', 'q', 'xml'),
        local: localName,
        value: textValue,
      }),
      { maxLength: 4 },
    ),
    children: fc.array(tie('child'), { maxLength: 4 }),
  }),
  child: fc.oneof({ maxDepth: 4, depthIdentifier: 'xml-tree' }, textNode, tie('element')),
}));

const isXmlWhitespace = (value: string): boolean => /^[ \t\n\r]*$/.test(value);

/**
 * Resolves a raw tree into the exact tree the parser should produce from its serialisation:
 * prefixes are declared where used, attributes unique and in canonical order, and text shaped
 * the way the parser reports it (no empty or adjacent plain text, no indentation-only text).
 */
function resolve(raw: RawElement, scope: ReadonlyMap<string, string>): XmlElement {
  const declarations: Record<string, string> = { ...raw.declarations };
  const inScope = new Map(scope);
  for (const [prefix, value] of Object.entries(declarations)) inScope.set(prefix, value);
  const ensure = (prefix: string) => {
    if (prefix !== 'xml' && !inScope.has(prefix)) {
      declarations[prefix] = `urn:auto:${prefix}`;
      inScope.set(prefix, `urn:auto:${prefix}`);
    }
  };
  if (raw.prefix !== undefined) ensure(raw.prefix);
  for (const attribute of raw.attributes) if (attribute.prefix !== undefined) ensure(attribute.prefix);

  const lookup = (prefix: string) => (prefix === 'xml' ? XML_NAMESPACE : inScope.get(prefix) || undefined);
  const attributes: XmlAttribute[] = [];
  const seen = new Set<string>();
  for (const { prefix, local, value } of raw.attributes) {
    const namespace = prefix === undefined ? undefined : lookup(prefix);
    const key = `${namespace ?? ''} ${local}`;
    if (seen.has(key)) continue;
    seen.add(key);
    attributes.push({
      name: { local, prefix, namespace },
      qualifiedName: prefix === undefined ? local : `${prefix}:${local}`,
      value,
    });
  }
  attributes.sort((a, b) => {
    const an = a.name.namespace ?? '';
    const bn = b.name.namespace ?? '';
    if (an !== bn) return an < bn ? -1 : 1;
    return a.name.local < b.name.local ? -1 : a.name.local > b.name.local ? 1 : 0;
  });

  let children: Array<XmlElement | XmlText> = [];
  for (const child of raw.children) {
    if (child.kind === 'text') {
      // CDATA cannot hold CR or ']]>' as one section, so keep generated sections writable as one.
      const value = child.cdata ? withoutCdataEnd(child.value.replaceAll('\r', '')) : child.value;
      const previous = children[children.length - 1];
      if (!child.cdata && value === '') continue;
      if (!child.cdata && previous?.kind === 'text' && !previous.cdata) {
        children[children.length - 1] = { kind: 'text', value: previous.value + value, cdata: false };
      } else {
        children.push({ kind: 'text', value, cdata: child.cdata });
      }
    } else {
      children.push(resolve(child, inScope));
    }
  }
  // Empty CDATA sections are written as nothing, so they cannot come back.
  children = children.filter((c) => c.kind === 'element' || c.value !== '');
  // Merging can make plain texts adjacent again after dropping empty CDATA; join once more.
  children = children.reduce<Array<XmlElement | XmlText>>((acc, c) => {
    const previous = acc[acc.length - 1];
    if (c.kind === 'text' && !c.cdata && previous?.kind === 'text' && !previous.cdata) {
      acc[acc.length - 1] = { kind: 'text', value: previous.value + c.value, cdata: false };
    } else {
      acc.push(c);
    }
    return acc;
  }, []);
  const hasElement = children.some((c) => c.kind === 'element');
  const hasRealText = children.some((c) => c.kind === 'text' && (c.cdata || !isXmlWhitespace(c.value)));
  if (hasElement && !hasRealText) children = children.filter((c) => c.kind === 'element');

  return {
    kind: 'element',
    name: {
      local: raw.local,
      prefix: raw.prefix,
      namespace: raw.prefix === undefined ? lookup('') : lookup(raw.prefix),
    },
    qualifiedName: raw.prefix === undefined ? raw.local : `${raw.prefix}:${raw.local}`,
    attributes,
    namespaceDeclarations: declarations,
    children,
  };
}

const tree = rawElement.map((raw) => resolve(raw, new Map()));

// ---- XML-ish noise ----------------------------------------------------------------------

const xmlToken = fc.constantFrom(
  '<',
  '>',
  '/>',
  '</',
  '<a>',
  '</a>',
  '<b/>',
  'a',
  'p:',
  ':',
  '=',
  '"',
  "'",
  ' ',
  '\n',
  '\r',
  '&',
  ';',
  '&amp;',
  '&#',
  '&#x',
  '1F',
  '&lt',
  'xmlns',
  'xmlns:p="urn:p"',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<?',
  '?>',
  '<?xml version="1.0"?>',
  '<!DOCTYPE a [',
  ']',
  '\uFEFF',
  '😀',
);
// Half the time inside a root element, so the noise reaches content parsing rather than the prolog.
const xmlNoise = fc
  .tuple(fc.boolean(), fc.array(xmlToken, { maxLength: 40 }))
  .map(([wrap, parts]) => (wrap ? `<r xmlns:p="urn:p">${parts.join('')}</r>` : parts.join('')));

function expectWellFormedResult(input: string): void {
  const result = parseXml(input);
  if (result.ok) {
    // Whatever parses must serialise to something that parses to the same serialisation.
    const once = serializeXml(result.root);
    const again = parseXml(once);
    expect(again.ok).toBe(true);
    if (again.ok) expect(serializeXml(again.root)).toBe(once);
  } else {
    expect(result.line).toBeGreaterThanOrEqual(1);
    expect(result.column).toBeGreaterThanOrEqual(1);
    expect(result.error).toContain(`at line ${result.line} column ${result.column}`);
  }
}

describe('parseXml properties', () => {
  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (input) => {
        expectWellFormedResult(input);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on XML-like noise, and whatever parses re-serialises stably', () => {
    fc.assert(
      fc.property(xmlNoise, (input) => {
        expectWellFormedResult(input);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on damaged documents', () => {
    fc.assert(
      fc.property(tree, fc.nat(), fc.nat(), xmlToken, (root, at, length, insert) => {
        const xml = serializeXml(root);
        const cut = at % (xml.length + 1);
        expectWellFormedResult(xml.slice(0, cut) + insert + xml.slice(cut + (length % 4)));
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips generated trees through serializeXml', () => {
    fc.assert(
      fc.property(tree, (root) => {
        const xml = serializeXml(root);
        expect(parseXml(xml)).toEqual({ ok: true, root });
      }),
      { numRuns: 1000 },
    );
  });

  it('ignores indentation added between the tags of element-only content', () => {
    const withoutText = (el: XmlElement): XmlElement => ({
      ...el,
      children: el.children.filter((c) => c.kind === 'element').map(withoutText),
    });
    fc.assert(
      fc.property(tree, (generated) => {
        const root = withoutText(generated);
        const indented = serializeXml(root).replaceAll('><', '>\n  <');
        expect(parseXml(indented)).toEqual({ ok: true, root });
      }),
      { numRuns: 300 },
    );
  });
});
