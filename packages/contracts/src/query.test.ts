import { describe, expect, it } from 'vitest';
import { parseQuery } from './query.js';

describe('parseQuery', () => {
  it('reads repeated keys and commas as arrays', () => {
    expect(parseQuery('a=1&a=2&b=3,4', { commas: true, dots: false })).toEqual({
      a: ['1', '2'],
      b: ['3', '4'],
    });
    expect(parseQuery('b=3,4', { commas: false, dots: false })).toEqual({ b: '3,4' });
  });

  it('reads brackets and (with dots) dotted keys as objects and arrays', () => {
    expect(parseQuery('p[id]=1&p[address][city]=Melbourne', { commas: false, dots: false })).toEqual({
      p: { id: '1', address: { city: 'Melbourne' } },
    });
    expect(parseQuery('p.name=fred', { commas: false, dots: true })).toEqual({ p: { name: 'fred' } });
    expect(parseQuery('p.name=fred', { commas: false, dots: false })).toEqual({ 'p.name': 'fred' });
    expect(parseQuery('ids[]=1&ids[]=2', { commas: false, dots: false })).toEqual({ ids: ['1', '2'] });
  });

  it('percent-decodes keys and values, and keeps text that does not decode', () => {
    expect(parseQuery('q=a%20b+c&x=%E2%9C%93&bad=%zz', { commas: false, dots: false })).toEqual({
      q: 'a b c',
      x: '✓',
      bad: '%zz',
    });
  });
});
