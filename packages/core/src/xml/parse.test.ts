import { describe, expect, it } from 'vitest';
import type { XmlElement } from './index.js';
import { parseXml, textContent } from './index.js';

function root(xml: string): XmlElement {
  const result = parseXml(xml);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(xml)} to parse: ${result.error}`);
  return result.root;
}

const text = (value: string, cdata = false) => ({ kind: 'text', value, cdata });

describe('parseXml structure', () => {
  it('parses elements, attributes and text', () => {
    const el = root(`<order id="7" note='say "hi"'><item>tea</item><empty/></order>`);
    expect(el.qualifiedName).toBe('order');
    expect(el.name).toEqual({ local: 'order', prefix: undefined, namespace: undefined });
    expect(el.attributes).toEqual([
      { name: { local: 'id', prefix: undefined, namespace: undefined }, qualifiedName: 'id', value: '7' },
      {
        name: { local: 'note', prefix: undefined, namespace: undefined },
        qualifiedName: 'note',
        value: 'say "hi"',
      },
    ]);
    expect(el.namespaceDeclarations).toEqual({});
    const [item, empty] = el.children as [XmlElement, XmlElement];
    expect(item.children).toEqual([text('tea')]);
    expect(empty.kind).toBe('element');
    expect(empty.children).toEqual([]);
  });

  it('allows whitespace around = and inside tags', () => {
    const el = root('<a  x = "1"\n\ty=\'2\' ></a >');
    expect(el.attributes.map((a) => [a.qualifiedName, a.value])).toEqual([
      ['x', '1'],
      ['y', '2'],
    ]);
  });

  it('skips the XML declaration, processing instructions, comments and whitespace around the root', () => {
    const el = root(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!-- hi -->\n<?xml-stylesheet href="a.xsl"?>\n' +
        '<a><?pi data?><!-- inner --></a>\n<!-- after --><?after?>\n',
    );
    expect(el.qualifiedName).toBe('a');
    expect(el.children).toEqual([]);
  });

  it('skips a DOCTYPE, including an internal subset with tricky contents', () => {
    const el = root(
      `<!DOCTYPE note SYSTEM "http://example.com/x>y.dtd" [
        <!ELEMENT note (#PCDATA)>
        <!-- a ] comment > -->
        <?pi ]> ?>
        <!ENTITY quip "it's > ] fine">
        <!ATTLIST note kind CDATA 'x]>'>
      ]>
      <note>ok</note>`,
    );
    expect(textContent(el)).toBe('ok');
  });

  it('strips a byte order mark', () => {
    expect(root('\uFEFF<a/>').qualifiedName).toBe('a');
    expect(root('\uFEFF<?xml version="1.0"?><a/>').qualifiedName).toBe('a');
  });

  it('expands the predefined entities and character references', () => {
    const el = root(
      '<a t="&lt;&gt;&amp;&apos;&quot;">&lt;&gt;&amp;&apos;&quot; &#65;&#x42;&#x0043;&#10;&#x1F600;&#128512;</a>',
    );
    expect(el.attributes[0]?.value).toBe(`<>&'"`);
    expect(el.children).toEqual([text(`<>&'" ABC\n😀😀`)]);
  });

  it('keeps CDATA as separate nodes flagged cdata, unescaped', () => {
    const el = root('<a>x <![CDATA[<b>&amp;</b>]]> y<![CDATA[]]></a>');
    expect(el.children).toEqual([text('x '), text('<b>&amp;</b>', true), text(' y'), text('', true)]);
  });

  it('joins text split by comments and processing instructions into one node', () => {
    expect(root('<a>one<!-- c -->two<?p?>three</a>').children).toEqual([text('onetwothree')]);
  });

  it('normalises line endings in text, attributes and CDATA', () => {
    const el = root('<a t="1\r\n2">x\r\ny\rz<![CDATA[p\r\nq]]></a>');
    expect(el.attributes[0]?.value).toBe('1 2');
    expect(el.children).toEqual([text('x\ny\nz'), text('p\nq', true)]);
  });

  it('normalises literal whitespace in attribute values but keeps character references', () => {
    const el = root('<a t="a\tb\nc" u="a&#9;b&#10;c&#13;"/>');
    expect(el.attributes.map((a) => a.value)).toEqual(['a b c', 'a\tb\nc\r']);
  });

  it('accepts the near misses of forbidden sequences', () => {
    expect(root('<a>]] ] ]]&gt; a-b</a>').children).toEqual([text(']] ] ]]> a-b')]);
    expect(root('<a x="1>2" y="]]>"/>').attributes.map((a) => a.value)).toEqual(['1>2', ']]>']);
    expect(root('<a><!----><!-- a- b --><![CDATA[]]]]><![CDATA[>]]></a>').children).toEqual([
      text(']]', true),
      text('>', true),
    ]);
  });

  it('accepts Unicode names and text', () => {
    const el = root('<日本 属性="値" ünïcödé="ok"><𐀀-x.1>éà 😀</𐀀-x.1></日本>');
    expect(el.qualifiedName).toBe('日本');
    expect(el.attributes.map((a) => a.qualifiedName)).toEqual(['属性', 'ünïcödé']);
    const child = el.children[0] as XmlElement;
    expect(child.qualifiedName).toBe('𐀀-x.1');
    expect(textContent(child)).toBe('éà 😀');
  });

  it('parses very deep nesting without recursion', () => {
    const depth = 100_000;
    const el = root('<d>'.repeat(depth) + 'bottom' + '</d>'.repeat(depth));
    let node = el;
    let levels = 1;
    while (node.children[0]?.kind === 'element') {
      node = node.children[0];
      levels++;
    }
    expect(levels).toBe(depth);
    expect(textContent(node)).toBe('bottom');
  });
});

describe('whitespace handling', () => {
  it('drops whitespace-only text between child elements', () => {
    const el = root('<a>\n  <b> </b>\n  <!-- c -->\n  <c/>\n</a>');
    expect(el.children.map((c) => c.kind)).toEqual(['element', 'element']);
    // An element with only whitespace and no element children keeps it.
    expect((el.children[0] as XmlElement).children).toEqual([text(' ')]);
  });

  it('keeps all text in mixed content', () => {
    const el = root('<p>Hello <b>big</b> <i>world</i></p>');
    expect(el.children.map((c) => (c.kind === 'text' ? c.value : `<${c.qualifiedName}>`))).toEqual([
      'Hello ',
      '<b>',
      ' ',
      '<i>',
    ]);
  });

  it('treats a CDATA section as real text, so surrounding whitespace is kept', () => {
    const el = root('<a> <![CDATA[ ]]> <b/></a>');
    expect(el.children).toEqual([
      text(' '),
      text(' ', true),
      text(' '),
      expect.objectContaining({ kind: 'element' }),
    ]);
  });

  it('treats whitespace from character references as whitespace', () => {
    expect(root('<a>&#32;<b/>&#10;</a>').children).toHaveLength(1);
  });

  it('keeps whitespace-only content of a leaf element', () => {
    expect(root('<a>  \n </a>').children).toEqual([text('  \n ')]);
  });
});

describe('textContent', () => {
  it('concatenates direct text and CDATA children, trimmed', () => {
    expect(textContent(root('<a>\n  x <![CDATA[<y>]]><b>not me</b> z \n</a>'))).toBe('x <y> z');
  });

  it('trims only XML whitespace', () => {
    expect(textContent(root('<a>\u00A0x\u00A0</a>'))).toBe('\u00A0x\u00A0');
  });

  it('is empty for elements without text', () => {
    expect(textContent(root('<a><b>x</b></a>'))).toBe('');
    expect(textContent(root('<a/>'))).toBe('');
  });
});
