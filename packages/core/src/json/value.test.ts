import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJson } from './parse.js';
import { JsonNumber, type JsonValue, stringifyJson } from './value.js';

describe('stringifyJson', () => {
  it('writes plain values as JSON.stringify does, compact and indented', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, 4), (value, indent) => {
        expect(stringifyJson(value as JsonValue, indent)).toBe(JSON.stringify(value, null, indent));
      }),
    );
  });

  it('writes the same text on the exact-number path as on the plain one', () => {
    // a JsonNumber anywhere sends the whole tree down the exact path; as the last item of a list
    // its text sits just before the closing bracket, where it is easy to splice into the expectation
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (value, indent) => {
        const plain = JSON.stringify([value, 0.5], null, indent);
        const at = plain.lastIndexOf('0.5');
        const expected = `${plain.slice(0, at)}1.50${plain.slice(at + 3)}`;
        expect(stringifyJson([value as JsonValue, new JsonNumber('1.50')], indent)).toBe(expected);
      }),
    );
  });

  it('keeps numbers as written when read from text', () => {
    const text = '{"big":12345678901234567890,"decimal":100.0,"list":[1.5,2.00]}';
    const parsed = parseJson(text);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(stringifyJson(parsed.value)).toBe(text);
  });

  it('skips undefined object members and writes undefined list items and non-finite numbers as null', () => {
    const value = { a: undefined, b: [undefined, Number.NaN, 1], c: Number.POSITIVE_INFINITY } as never;
    expect(stringifyJson(value)).toBe('{"b":[null,null,1],"c":null}');
  });

  it('writes objects that are not plain by their own keys, as the model sees them', () => {
    const date = new Date(0);
    Object.assign(date, { note: 'x' });
    expect(stringifyJson({ when: date } as never)).toBe('{"when":{"note":"x"}}');
  });
});
