import { describe, expect, it } from 'vitest';
import { formatPath, parsePath, pathWeight } from './path.js';

const tokens = (p: string) => {
  const r = parsePath(p);
  if (!r.ok) throw new Error(r.error);
  return r.tokens;
};

describe('path expressions', () => {
  it('parses fields, indexes, wildcards and quoted names', () => {
    expect(tokens("$.a[2]['b c'].*[*].@id.#text")).toEqual([
      { kind: 'root' },
      { kind: 'field', name: 'a' },
      { kind: 'index', index: 2 },
      { kind: 'field', name: 'b c' },
      { kind: 'star' },
      { kind: 'starIndex' },
      { kind: 'field', name: '@id' },
      { kind: 'field', name: '#text' },
    ]);
    expect(tokens('a.b')).toEqual(tokens('$.a.b'));
  });

  it('rejects malformed paths with where it went wrong', () => {
    const r = parsePath('$.a[');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain("invalid path expression '$.a['");
  });

  it('weights exact steps over wildcards (pact-reference table)', () => {
    const actual = ['item1', 'level', 1, 'id'];
    expect(pathWeight(tokens('$.item1.level[1].id'), actual)).toBe(32);
    expect(pathWeight(tokens('$.item1.level[*].id'), actual)).toBe(16);
    expect(pathWeight(tokens('$.*.level[*].id'), actual)).toBe(8);
    expect(pathWeight(tokens('$.item2.level[1].id'), actual)).toBe(0);
    expect(pathWeight(tokens('$.item1'), actual)).toBe(4);
    expect(pathWeight(tokens('$.item1.level[1].id.x'), actual)).toBe(0);
  });

  it('formats actual locations', () => {
    expect(formatPath(['a', 0, 'b c', '@id'])).toBe("$.a[0]['b c']['@id']");
  });
});
