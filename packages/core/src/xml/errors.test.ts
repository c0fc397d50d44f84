import { describe, expect, it } from 'vitest';
import { parseXml } from './index.js';

function failure(xml: string) {
  const result = parseXml(xml);
  if (result.ok) throw new Error(`expected ${JSON.stringify(xml)} to fail`);
  return result;
}

describe('parseXml errors', () => {
  it('reports a mismatched closing tag where it is, and where the open tag was', () => {
    const result = failure('<r>\n  <a>\n    </b>\n</r>');
    expect(result).toEqual({
      ok: false,
      error:
        'closing tag </b> does not match the open <a> at line 3 column 5 (<a> was opened at line 2 column 3)',
      line: 3,
      column: 5,
    });
  });

  it('reports an unclosed element at the end of input', () => {
    expect(failure('<a>\n  <b>text</b>\n')).toEqual({
      ok: false,
      error:
        'unclosed element <a>: reached end of input at line 3 column 1 (<a> was opened at line 1 column 1)',
      line: 3,
      column: 1,
    });
  });

  it('reports content after the root element', () => {
    expect(failure('<a/>\n<b/>')).toMatchObject({ line: 2, column: 1 });
    expect(failure('<a/>\n<b/>').error).toContain('unexpected element <b> after the root element');
    expect(failure('<a/> junk').error).toBe('unexpected text after the root element at line 1 column 6');
    expect(failure('<a/></a>').error).toBe('closing tag </a> has no matching open tag at line 1 column 5');
    expect(failure('<a/><![CDATA[x]]>').error).toContain(
      'CDATA section is not allowed outside the root element',
    );
    expect(failure('<a/><!DOCTYPE a>').error).toContain('DOCTYPE is not allowed after the root element');
  });

  it('reports unknown entities, mentioning that DTD entities are not expanded', () => {
    expect(failure('<a>\n x &nbsp; y</a>')).toEqual({
      ok: false,
      error:
        'unknown entity &nbsp; at line 2 column 4 (only &lt; &gt; &amp; &apos; &quot; and character references are predefined)',
      line: 2,
      column: 4,
    });
    expect(failure('<!DOCTYPE a [<!ENTITY e "boom">]><a>&e;</a>').error).toContain(
      'unknown entity &e; at line 1 column 37 (entities declared in a DOCTYPE are not expanded)',
    );
    expect(failure('<a b="&e;"/>').error).toContain('unknown entity &e;');
  });

  const cases: Array<[string, string, number, number]> = [
    // bad attribute syntax
    ['<a x></a>', "expected '=' after attribute x in <a> but found '>'", 1, 5],
    ['<a x=1/>', "value of attribute x in <a> must be in quotes but found '1'", 1, 6],
    ['<a x="1"y="2"/>', 'missing whitespace before attribute y in <a>', 1, 9],
    ['<a x="1" x="2"/>', 'duplicate attribute x in <a>', 1, 10],
    ['<a x="1 < 2"/>', "'<' is not allowed in attribute values (attribute x in <a>); write &lt;", 1, 9],
    ['<a x="1', 'value of attribute x in <a> is not closed: reached end of input', 1, 6],
    ['<a "x"/>', `unexpected '"' in start tag <a>`, 1, 4],
    ['<a / >', "expected '>' after '/' in <a> but found \" \"", 1, 5],
    ['<a x="1"', 'start tag <a> is not closed: reached end of input', 1, 9],
    // names and tags
    ['< a/>', 'expected an element name after \'<\' but found " "', 1, 2],
    ['<1a/>', "expected an element name after '<' but found '1'", 1, 2],
    ['<a></ a>', 'expected an element name after \'</\' but found " "', 1, 6],
    ['<a></a b>', "expected '>' to end the closing tag </a> but found 'b'", 1, 8],
    // references and text
    ['<a>AT&T</a>', "entity reference &T is missing its ';'", 1, 6],
    ['<a>a & b</a>', "'&' must start an entity or character reference; write &amp; for a literal '&'", 1, 6],
    ['<a>&#;</a>', "malformed character reference: expected digits and ';' after '&#'", 1, 4],
    ['<a>&#x;</a>', "malformed character reference: expected hex digits and ';' after '&#x'", 1, 4],
    ['<a>&#X41;</a>', "malformed character reference: expected digits and ';' after '&#'", 1, 4],
    ['<a>&#65</a>', "malformed character reference: expected digits and ';' after '&#'", 1, 4],
    ['<a>&#0;</a>', 'character reference &#0; is not a character allowed in XML', 1, 4],
    ['<a>&#xD800;</a>', 'character reference &#xD800; is not a character allowed in XML', 1, 4],
    ['<a>&#x110000;</a>', 'character reference &#x110000; is not a character allowed in XML', 1, 4],
    ['<a>&#99999999999999999999999;</a>', 'character reference', 1, 4],
    ['<a>x]]>y</a>', "']]>' is not allowed in text; write ]]&gt;", 1, 5],
    ['<a>\u0001</a>', 'character U+0001 is not allowed in XML', 1, 4],
    ['<a>\uD800</a>', 'character U+D800 is not allowed in XML', 1, 4],
    ['<a>\uDC00x</a>', 'character U+DC00 is not allowed in XML', 1, 4],
    // comments, CDATA, PIs, DOCTYPE
    ['<a><!-- x -- y --></a>', "'--' is not allowed inside a comment", 1, 11],
    ['<a><!-- x</a>', 'comment is not closed', 1, 4],
    ['<a><![CDATA[x</a>', 'CDATA section is not closed', 1, 4],
    ['<a><!ELEMENT x></a>', "unexpected '<!': expected a comment or a CDATA section", 1, 4],
    ['<a><!DOCTYPE a></a>', 'DOCTYPE is only allowed before the root element', 1, 4],
    ['<a><?pi x</a>', 'processing instruction <?pi is not closed', 1, 4],
    ['<a><?pi"x"?></a>', `expected whitespace or '?>' after '<?pi' but found '"'`, 1, 8],
    ['<a><?ns:pi?></a>', "processing-instruction target 'ns:pi' must not contain ':'", 1, 6],
    ['<a><?XML x?></a>', "processing-instruction target 'XML' is reserved", 1, 4],
    ['<a><? x?></a>', 'expected a processing-instruction target after \'<?\' but found " "', 1, 6],
    ['<!DOCTYPE a [ <!ELEMENT a ANY> <a/>', 'DOCTYPE is not closed', 1, 1],
    ['<!DOCTYPE a><!DOCTYPE a><a/>', 'only one DOCTYPE is allowed', 1, 13],
    ['<!DOCTYPEa><a/>', "expected whitespace after '<!DOCTYPE'", 1, 10],
    // XML declaration
    [
      ' <?xml version="1.0"?><a/>',
      'the XML declaration is only allowed at the very start of the document',
      1,
      2,
    ],
    [
      '<a/><?xml version="1.0"?>',
      'the XML declaration is only allowed at the very start of the document',
      1,
      5,
    ],
    ['<?xml?><a/>', 'the XML declaration must have a version', 1, 1],
    ['<?xml encoding="UTF-8"?><a/>', 'the XML declaration must start with version', 1, 7],
    ['<?xml version="2.0"?><a/>', "invalid version '2.0' in the XML declaration", 1, 16],
    [
      '<?xml version="1.0" standalone="maybe"?><a/>',
      "invalid standalone 'maybe' in the XML declaration",
      1,
      33,
    ],
    ['<?xml version="1.0" standalone="yes" encoding="UTF-8"?><a/>', "unexpected 'encoding'", 1, 38],
    [
      '<?xml version="1.0"encoding="UTF-8"?><a/>',
      "expected whitespace or '?>' in the XML declaration",
      1,
      20,
    ],
    ['<?xml version="1.0" ', "expected '?>' to end the XML declaration but found end of input", 1, 21],
    // document level
    ['', 'no root element found', 1, 1],
    ['  \n<!-- only a comment -->\n', 'no root element found', 3, 1],
    ['hello', 'text is not allowed before the root element', 1, 1],
    ['<a>', 'unclosed element <a>: reached end of input', 1, 4],
    ['<a><b></a>', 'closing tag </a> does not match the open <b>', 1, 7],
  ];

  it.each(cases)('%j fails with "%s" at %i:%i', (xml, message, line, column) => {
    const result = failure(xml);
    expect(result.error).toContain(message);
    expect(result.error).toContain(`at line ${line} column ${column}`);
    expect([result.line, result.column]).toEqual([line, column]);
  });

  it('counts columns in code points and lines across CRLF and CR', () => {
    expect(failure('<a>😀😀&x</a>')).toMatchObject({ line: 1, column: 6 });
    expect(failure('<a>\r\n\r\n  &x</a>')).toMatchObject({ line: 3, column: 3 });
    expect(failure('<a>\r\r  &x</a>')).toMatchObject({ line: 3, column: 3 });
    // A byte order mark is not a column.
    expect(failure('\uFEFF<a>&x</a>')).toMatchObject({ line: 1, column: 4 });
  });

  it('never throws, even for non-string input from untyped callers', () => {
    expect(parseXml(undefined as unknown as string)).toMatchObject({ ok: false, line: 1, column: 1 });
    expect(parseXml(42 as unknown as string)).toMatchObject({ ok: false });
  });
});
