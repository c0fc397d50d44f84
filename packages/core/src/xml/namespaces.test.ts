import { describe, expect, it } from 'vitest';
import type { XmlElement } from './index.js';
import { parseXml, XML_NAMESPACE } from './index.js';

function root(xml: string): XmlElement {
  const result = parseXml(xml);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(xml)} to parse: ${result.error}`);
  return result.root;
}

function child(el: XmlElement, index: number): XmlElement {
  const node = el.children[index];
  if (node?.kind !== 'element') throw new Error(`child ${index} of <${el.qualifiedName}> is not an element`);
  return node;
}

function parseError(xml: string): string {
  const result = parseXml(xml);
  if (result.ok) throw new Error(`expected ${JSON.stringify(xml)} to fail`);
  return result.error;
}

describe('namespaces', () => {
  it('resolves the default namespace for elements but not for unprefixed attributes', () => {
    const el = root('<a xmlns="urn:a" x="1"><b/></a>');
    expect(el.name).toEqual({ local: 'a', prefix: undefined, namespace: 'urn:a' });
    expect(child(el, 0).name.namespace).toBe('urn:a');
    expect(el.attributes).toEqual([
      { name: { local: 'x', prefix: undefined, namespace: undefined }, qualifiedName: 'x', value: '1' },
    ]);
  });

  it('resolves prefixes on elements and attributes', () => {
    const el = root('<p:a xmlns:p="urn:p" p:x="1"><p:b/><c/></p:a>');
    expect(el.name).toEqual({ local: 'a', prefix: 'p', namespace: 'urn:p' });
    expect(el.qualifiedName).toBe('p:a');
    expect(el.attributes[0]).toEqual({
      name: { local: 'x', prefix: 'p', namespace: 'urn:p' },
      qualifiedName: 'p:x',
      value: '1',
    });
    expect(child(el, 0).name).toEqual({ local: 'b', prefix: 'p', namespace: 'urn:p' });
    expect(child(el, 1).name).toEqual({ local: 'c', prefix: undefined, namespace: undefined });
  });

  it('keeps declarations out of attributes and exposes them separately', () => {
    const el = root('<a xmlns="urn:d" id="1" xmlns:p="urn:p"/>');
    expect(el.attributes.map((a) => a.qualifiedName)).toEqual(['id']);
    expect(el.namespaceDeclarations).toEqual({ '': 'urn:d', p: 'urn:p' });
  });

  it('applies declarations that come after the attributes they qualify', () => {
    const el = root('<p:a p:x="1" xmlns:p="urn:p"/>');
    expect(el.name.namespace).toBe('urn:p');
    expect(el.attributes[0]?.name.namespace).toBe('urn:p');
  });

  it('scopes declarations to the element and its descendants', () => {
    const el = root(
      '<a xmlns="urn:1" xmlns:p="urn:p1">' +
        '<b xmlns="urn:2" xmlns:p="urn:p2"><p:c/><d/></b>' +
        '<p:e/><f/>' +
        '<g xmlns=""><h/></g>' +
        '</a>',
    );
    const b = child(el, 0);
    expect(b.name.namespace).toBe('urn:2');
    expect(child(b, 0).name.namespace).toBe('urn:p2');
    expect(child(b, 1).name.namespace).toBe('urn:2');
    expect(child(el, 1).name.namespace).toBe('urn:p1');
    expect(child(el, 2).name.namespace).toBe('urn:1');
    const g = child(el, 3);
    expect(g.namespaceDeclarations).toEqual({ '': '' });
    expect(g.name.namespace).toBeUndefined();
    expect(child(g, 0).name.namespace).toBeUndefined();
  });

  it('forgets declarations of self-closing elements', () => {
    const result = parseXml('<a><b xmlns:p="urn:p"/><p:c/></a>');
    expect(result).toMatchObject({ ok: false, line: 1, column: 25 });
  });

  it('predeclares the xml prefix', () => {
    const el = root('<a xml:lang="en"/>');
    expect(el.attributes[0]?.name).toEqual({ local: 'lang', prefix: 'xml', namespace: XML_NAMESPACE });
    expect(root(`<a xmlns:xml="${XML_NAMESPACE}"/>`).namespaceDeclarations).toEqual({ xml: XML_NAMESPACE });
  });

  it('treats __proto__ as an ordinary prefix', () => {
    const el = root('<__proto__:a xmlns:__proto__="urn:x"/>');
    expect(el.name.namespace).toBe('urn:x');
    expect(Object.keys(el.namespaceDeclarations)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(el.namespaceDeclarations, '__proto__')?.value).toBe('urn:x');
  });

  it('rejects an undeclared prefix on elements and attributes', () => {
    expect(parseError('<p:a/>')).toBe("undeclared namespace prefix 'p' in <p:a> at line 1 column 2");
    expect(parseError('<a q:x="1"/>')).toBe(
      "undeclared namespace prefix 'q' in attribute q:x at line 1 column 4",
    );
  });

  it('rejects attributes that are the same once prefixes are resolved', () => {
    expect(parseError('<a xmlns:p="urn:x" xmlns:q="urn:x" p:k="1" q:k="2"/>')).toContain(
      'two attributes of <a> have the same namespace and local name {urn:x}k',
    );
    // Unprefixed and prefixed attributes never clash: the unprefixed one has no namespace.
    expect(root('<a xmlns="urn:x" xmlns:p="urn:x" k="1" p:k="2"/>').attributes).toHaveLength(2);
  });

  it('rejects malformed qualified names', () => {
    expect(parseError('<a:b:c xmlns:a="urn:a"/>')).toContain("'a:b:c' is not a valid qualified name");
    expect(parseError('<:a/>')).toContain("':a' is not a valid qualified name");
    expect(parseError('<a: />')).toContain("'a:' is not a valid qualified name");
    expect(parseError('<a xmlns:p="urn:p" p:1="x"/>')).toContain("'p:1' is not a valid qualified name");
  });

  it('enforces the reserved prefixes and namespaces', () => {
    expect(parseError('<a xmlns:xmlns="urn:x"/>')).toContain("the prefix 'xmlns' is reserved");
    expect(parseError('<xmlns:a/>')).toContain("the prefix 'xmlns' is reserved");
    expect(parseError('<a xmlns:xml="urn:x"/>')).toContain("the prefix 'xml' can only be bound to");
    expect(parseError(`<a xmlns:x="${XML_NAMESPACE}"/>`)).toContain("can only be bound to the prefix 'xml'");
    expect(parseError(`<a xmlns="${XML_NAMESPACE}"/>`)).toContain("can only be bound to the prefix 'xml'");
    expect(parseError('<a xmlns:x="http://www.w3.org/2000/xmlns/"/>')).toContain('must not be declared');
    expect(parseError('<a xmlns:p=""/>')).toContain("namespace prefix 'p' cannot be bound to an empty URI");
    expect(parseError('<a xmlns:="urn:x"/>')).toContain('is not a valid namespace declaration');
  });
});
