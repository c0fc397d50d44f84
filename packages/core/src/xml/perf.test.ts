import { describe, expect, it } from 'vitest';
import type { XmlElement } from './index.js';
import { parseXml, serializeXml, textContent } from './index.js';

/** A realistic 1 MB body: namespaces, attributes, entities, CDATA and indentation. */
function buildDocument(minLength: number): { xml: string; elements: number; records: number } {
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<cat:catalog xmlns="urn:books" xmlns:cat="urn:catalog">\n',
  ];
  let length = parts[0]!.length;
  let records = 0;
  while (length < minLength) {
    const record =
      `  <cat:book id="b${records}" xml:lang="en">\n` +
      `    <title>Book &amp; number ${records}</title>\n` +
      `    <price currency="EUR">${records}.99</price>\n` +
      `    <blurb><![CDATA[<p>raw ${records}</p>]]></blurb>\n` +
      `    <empty/>\n` +
      `  </cat:book>\n`;
    parts.push(record);
    length += record.length;
    records++;
  }
  parts.push('</cat:catalog>\n');
  return { xml: parts.join(''), elements: 1 + records * 5, records };
}

function countElements(root: XmlElement): number {
  let count = 0;
  const pending = [root];
  for (let el = pending.pop(); el !== undefined; el = pending.pop()) {
    count++;
    for (const child of el.children) if (child.kind === 'element') pending.push(child);
  }
  return count;
}

describe('large documents', () => {
  it('parses a 1 MB document (linear time; no timing assertion)', () => {
    const { xml, elements, records } = buildDocument(1024 * 1024);
    expect(xml.length).toBeGreaterThanOrEqual(1024 * 1024);

    const result = parseXml(xml);
    if (!result.ok) throw new Error(result.error);
    expect(countElements(result.root)).toBe(elements);
    expect(result.root.children).toHaveLength(records);

    const last = result.root.children[records - 1] as XmlElement;
    expect(last.name).toEqual({ local: 'book', prefix: 'cat', namespace: 'urn:catalog' });
    expect(last.children.map((c) => (c.kind === 'element' ? c.name.namespace : c.kind))).toEqual([
      'urn:books',
      'urn:books',
      'urn:books',
      'urn:books',
    ]);
    expect(textContent(last.children[0] as XmlElement)).toBe(`Book & number ${records - 1}`);
    expect(textContent(last.children[2] as XmlElement)).toBe(`<p>raw ${records - 1}</p>`);

    // And back: the compact form parses to the same tree.
    const compact = serializeXml(result.root);
    const again = parseXml(compact);
    expect(again.ok && serializeXml(again.root) === compact).toBe(true);
  });

  it('stays linear on pathological shapes: many siblings, attributes, prefixes, long text', () => {
    const siblings = `<r>${'<a/>'.repeat(200_000)}</r>`;
    const wide = `<r ${Array.from({ length: 20_000 }, (_, i) => `a${i}="${i}"`).join(' ')}/>`;
    const text = `<r>${'x&amp;'.repeat(200_000)}</r>`;
    const comments = `<r>${'<!-- c -->'.repeat(100_000)}</r>`;
    const siblingResult = parseXml(siblings);
    expect(siblingResult.ok && siblingResult.root.children.length).toBe(200_000);
    const wideResult = parseXml(wide);
    expect(wideResult.ok && wideResult.root.attributes.length).toBe(20_000);
    const textResult = parseXml(text);
    expect(textResult.ok && textContent(textResult.root).length).toBe(400_000);
    const commentResult = parseXml(comments);
    expect(commentResult.ok && commentResult.root.children.length).toBe(0);
    // Thousands of prefixes on one tag stay linear in both directions.
    const prefixed = `<r ${Array.from({ length: 10_000 }, (_, i) => `xmlns:p${i}="urn:${i}" p${i}:a="${i}"`).join(' ')}/>`;
    const prefixedResult = parseXml(prefixed);
    if (!prefixedResult.ok) throw new Error(prefixedResult.error);
    expect(Object.keys(prefixedResult.root.namespaceDeclarations)).toHaveLength(10_000);
    const rewritten = parseXml(serializeXml(prefixedResult.root));
    expect(rewritten.ok && rewritten.root.attributes.length).toBe(10_000);
    // A duplicate at the very end of a wide tag is still found (via a set, not pairwise).
    const duplicated = parseXml(wide.replace('/>', ' a0="again"/>'));
    expect(duplicated.ok || duplicated.error).toContain('duplicate attribute a0 in <r>');
  });
});
