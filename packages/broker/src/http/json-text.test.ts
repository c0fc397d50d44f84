import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, readJsonText } from './json-text.js';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('readJsonText', () => {
  it('reads JSON after a byte order mark, and says where the syntax is wrong', () => {
    expect(readJsonText('\uFEFF{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    const wrong = readJsonText('{"a":');
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.reason).toBe('syntax');
  });

  it('takes nesting up to MAX_JSON_DEPTH and refuses one level more, however deep, without overflowing', () => {
    expect(readJsonText(nested(MAX_JSON_DEPTH)).ok).toBe(true);
    for (const depth of [MAX_JSON_DEPTH + 1, 100_000]) {
      const deep = readJsonText(nested(depth));
      expect(!deep.ok && deep.reason, String(depth)).toBe('depth');
      expect(!deep.ok && deep.message).toContain(String(MAX_JSON_DEPTH));
    }
  });

  it('finds the path of a NUL in a string or a key only when asked, in the same walk', () => {
    const text = JSON.stringify({ a: [{ b: 'ok' }, { c: 'x\u0000' }] });
    expect(readJsonText(text)).toEqual({ ok: true, value: JSON.parse(text) });
    expect(readJsonText(text, { nul: true })).toMatchObject({ ok: true, nulAt: '$.a[1].c' });
    expect(readJsonText(JSON.stringify({ o: { 'k\u0000': 1 } }), { nul: true })).toMatchObject({
      nulAt: '$.o',
    });
    expect(readJsonText('"\\u0000"', { nul: true })).toMatchObject({ nulAt: '$' });
    // depth is refused before NUL is reported
    expect(readJsonText(`["\\u0000",${nested(MAX_JSON_DEPTH)}]`, { nul: true })).toMatchObject({
      ok: false,
      reason: 'depth',
    });
  });
});
