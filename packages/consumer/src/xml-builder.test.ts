import { describe, expect, it } from 'vitest';
import { includes, integer, regex } from './matchers.js';
import { XmlBuilder } from './xml-builder.js';

describe('XmlBuilder', () => {
  it('writes elements, attributes and text, escaped, with their rules at XML paths', () => {
    const doc = new XmlBuilder('1.0', 'UTF-8', 'ns1:feed').build((feed) => {
      feed.setAttributes({ 'xmlns:ns1': 'urn:feed', count: integer(2) });
      feed.appendElement('title', { lang: 'en' }, 'Fish & "chips" <daily>');
      feed.appendElement('ns1:summary', {}, includes('fresh'));
      feed.appendElement('empty');
    });
    expect(doc.xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><ns1:feed xmlns:ns1="urn:feed" count="2">' +
        '<title lang="en">Fish &amp; "chips" &lt;daily&gt;</title><ns1:summary>fresh</ns1:summary><empty/></ns1:feed>',
    );
    expect(doc.rules).toEqual({
      "$.feed['@count']": { combine: 'AND', matchers: [{ match: 'integer' }] },
      "$.feed.summary['#text']": { combine: 'AND', matchers: [{ match: 'include', value: 'fresh' }] },
    });
  });

  it('eachLike repeats the element as many times as examples, with a size rule on its parent', () => {
    const doc = new XmlBuilder('1.0', 'UTF-8', 'animals').build((animals) =>
      animals.eachLike('alligator', { phone: regex(/\d+/, '0415') }, undefined, { min: 2, examples: 3 }),
    );
    expect(doc.xml.match(/<alligator phone="0415"\/>/g)).toHaveLength(3);
    expect(doc.rules).toEqual({
      '$.animals': { combine: 'AND', matchers: [{ match: 'type', min: 2 }] },
      '$.animals.alligator': { combine: 'AND', matchers: [{ match: 'type' }] },
      "$.animals.alligator['@phone']": { combine: 'AND', matchers: [{ match: 'regex', regex: '\\d+' }] },
    });
  });

  it('refuses names XML does not allow and example counts below the minimum', () => {
    expect(() => new XmlBuilder('1.0', 'UTF-8', '1st')).toThrow(
      expect.objectContaining({ code: 'COV_CONSUMER_BODY_INVALID' }),
    );
    expect(() =>
      new XmlBuilder('1.0', 'UTF-8', 'a').build((a) =>
        a.eachLike('b', {}, undefined, { min: 3, examples: 1 }),
      ),
    ).toThrow(expect.objectContaining({ code: 'COV_CONSUMER_MATCHER_INVALID' }));
    expect(() =>
      new XmlBuilder('1.0', 'UTF-8', 'a').build((a) => a.setAttributes({ 'bad name': 'x' })),
    ).toThrow(/'bad name' is not an XML attribute name/);
  });
});
