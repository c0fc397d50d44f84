import { describe, expect, it } from 'vitest';
import type { XmlAttribute, XmlElement, XmlText } from './index.js';
import { parseXml, serializeXml, XML_NAMESPACE } from './index.js';

function root(xml: string): XmlElement {
  const result = parseXml(xml);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(xml)} to parse: ${result.error}`);
  return result.root;
}

const canonical = (xml: string): string => serializeXml(root(xml));

function element(
  local: string,
  options: {
    prefix?: string;
    namespace?: string;
    attributes?: XmlAttribute[];
    declarations?: Record<string, string>;
    children?: Array<XmlElement | XmlText>;
  } = {},
): XmlElement {
  const prefix = options.prefix;
  return {
    kind: 'element',
    name: { local, prefix, namespace: options.namespace },
    qualifiedName: prefix === undefined ? local : `${prefix}:${local}`,
    attributes: options.attributes ?? [],
    namespaceDeclarations: options.declarations ?? {},
    children: options.children ?? [],
  };
}

function attribute(local: string, value: string, prefix?: string, namespace?: string): XmlAttribute {
  return {
    name: { local, prefix, namespace },
    qualifiedName: prefix === undefined ? local : `${prefix}:${local}`,
    value,
  };
}

const text = (value: string, cdata = false): XmlText => ({ kind: 'text', value, cdata });

describe('serializeXml', () => {
  it('writes compact XML without the declaration, comments or indentation', () => {
    const xml = `<?xml version="1.0"?>
<!-- orders -->
<orders>
  <order id="1">
    <item qty="2">tea</item>
    <note/>
  </order>
</orders>`;
    expect(canonical(xml)).toBe('<orders><order id="1"><item qty="2">tea</item><note/></order></orders>');
  });

  it('writes empty elements and elements with only empty text as <a/>', () => {
    expect(canonical('<a></a>')).toBe('<a/>');
    expect(serializeXml(element('a', { children: [text('')] }))).toBe('<a/>');
  });

  it('escapes text', () => {
    expect(canonical('<a>1 &lt; 2 &amp;&amp; 3 &gt; 2 "quoted" \'single\' ]]&gt;</a>')).toBe(
      '<a>1 &lt; 2 &amp;&amp; 3 &gt; 2 "quoted" \'single\' ]]&gt;</a>',
    );
    expect(serializeXml(element('a', { children: [text('cr\rlf\ntab\t')] }))).toBe('<a>cr&#xD;lf\ntab\t</a>');
  });

  it('escapes attribute values so they survive attribute-value normalisation', () => {
    const el = element('a', { attributes: [attribute('v', `<&>"' \t\n\r`)] });
    const xml = serializeXml(el);
    expect(xml).toBe(`<a v="&lt;&amp;>&quot;' &#x9;&#xA;&#xD;"/>`);
    expect(root(xml).attributes[0]?.value).toBe(`<&>"' \t\n\r`);
  });

  it('writes characters XML cannot contain as character references, for display', () => {
    expect(
      serializeXml(
        element('a', { attributes: [attribute('v', '\u0001')], children: [text('\u0000\uFFFF')] }),
      ),
    ).toBe('<a v="&#x1;">&#x0;&#xFFFF;</a>');
    expect(serializeXml(element('a', { children: [text('\uD800x\uDC00')] }))).toBe(
      '<a>&#xD800;x&#xDC00;</a>',
    );
    expect(serializeXml(element('a', { children: [text('😀')] }))).toBe('<a>😀</a>');
  });

  it('writes CDATA sections, splitting any "]]>" inside', () => {
    expect(canonical('<a>x<![CDATA[<b> & ]]>y</a>')).toBe('<a>x<![CDATA[<b> & ]]>y</a>');
    const xml = serializeXml(element('a', { children: [text('a]]>b', true)] }));
    expect(xml).toBe('<a><![CDATA[a]]]]><![CDATA[>b]]></a>');
    expect(root(xml).children).toEqual([text('a]]', true), text('>b', true)]);
    // CDATA cannot hold a CR (it would read back as LF), so that text is escaped instead.
    expect(serializeXml(element('a', { children: [text('a\rb', true)] }))).toBe('<a>a&#xD;b</a>');
  });

  it('sorts attributes by namespace URI then local name, declarations default first', () => {
    const xml =
      '<a z="1" xmlns:q="urn:b" b:y="2" xmlns:b="urn:a" a="3" q:x="4" xmlns="urn:d" xml:lang="en" b:a="5"/>';
    expect(canonical(xml)).toBe(
      '<a xmlns="urn:d" xmlns:b="urn:a" xmlns:q="urn:b" a="3" z="1" xml:lang="en" b:a="5" b:y="2" q:x="4"/>',
    );
  });

  it('gives equal strings for documents that differ only in insignificant ways', () => {
    const one = '<a y=\'2\' x="1"><b>t</b>\n  <c/></a>';
    const two = '<?xml version="1.0"?><a x="1"  y="2" ><!-- x --><b>t</b><c></c></a>';
    expect(canonical(one)).toBe(canonical(two));
  });

  it('keeps declarations made in the source, including redundant and undeclaring ones', () => {
    expect(canonical('<a xmlns="urn:a"><b xmlns="urn:a"/><c xmlns=""/></a>')).toBe(
      '<a xmlns="urn:a"><b xmlns="urn:a"/><c xmlns=""/></a>',
    );
  });

  it('adds the declarations a hand-built tree needs', () => {
    const tree = element('order', {
      namespace: 'urn:shop',
      children: [
        element('item', {
          prefix: 'x',
          namespace: 'urn:x',
          attributes: [attribute('id', '1', 'x', 'urn:x')],
        }),
        element('plain'),
        element('lang', {
          namespace: 'urn:shop',
          attributes: [attribute('lang', 'en', undefined, XML_NAMESPACE)],
        }),
      ],
    });
    const xml = serializeXml(tree);
    expect(xml).toBe(
      '<order xmlns="urn:shop"><x:item xmlns:x="urn:x" x:id="1"/><plain xmlns=""/><lang xml:lang="en"/></order>',
    );
    const back = root(xml);
    expect(back.name.namespace).toBe('urn:shop');
    const [item, plain, lang] = back.children as [XmlElement, XmlElement, XmlElement];
    expect(item.name.namespace).toBe('urn:x');
    expect(item.attributes[0]?.name.namespace).toBe('urn:x');
    expect(plain.name.namespace).toBeUndefined();
    expect(lang.name.namespace).toBe('urn:shop');
    expect(lang.attributes[0]?.name.namespace).toBe(XML_NAMESPACE);
  });

  it('invents prefixes when a namespaced attribute has none or its prefix is taken', () => {
    const tree = element('a', {
      prefix: 'p',
      namespace: 'urn:one',
      attributes: [attribute('x', '1', undefined, 'urn:two'), attribute('y', '2', 'p', 'urn:three')],
    });
    const xml = serializeXml(tree);
    expect(xml).toBe(
      '<p:a xmlns:ns0="urn:two" xmlns:ns1="urn:three" xmlns:p="urn:one" ns1:y="2" ns0:x="1"/>',
    );
    const back = root(xml);
    expect(back.name.namespace).toBe('urn:one');
    expect(back.attributes.map((a) => [a.name.namespace, a.name.local])).toEqual([
      ['urn:three', 'y'],
      ['urn:two', 'x'],
    ]);
  });

  it('writes a prefixed name without a namespace unprefixed, which is what it means', () => {
    const tree = element('a', { prefix: 'p', attributes: [attribute('x', '1', 'p')] });
    expect(serializeXml(tree)).toBe('<a x="1"/>');
  });

  it('picks another prefix when the prefix of an attribute is rebound for the element name', () => {
    const tree = element('a', {
      prefix: 'p',
      namespace: 'urn:1',
      declarations: { p: 'urn:1' },
      children: [
        element('b', { prefix: 'p', namespace: 'urn:2', attributes: [attribute('c', '', 'p', 'urn:1')] }),
      ],
    });
    const xml = serializeXml(tree);
    expect(xml).toBe('<p:a xmlns:p="urn:1"><p:b xmlns:ns0="urn:1" xmlns:p="urn:2" ns0:c=""/></p:a>');
    const b = root(xml).children[0] as XmlElement;
    expect(b.name.namespace).toBe('urn:2');
    expect(b.attributes[0]?.name.namespace).toBe('urn:1');
  });

  it('serialises very deep trees without recursion', () => {
    const depth = 100_000;
    const xml = '<d>'.repeat(depth) + 'x' + '</d>'.repeat(depth);
    expect(canonical(xml)).toBe(xml);
  });
});
