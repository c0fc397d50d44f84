import { describe, expect, it } from 'vitest';
import { type CompiledPattern, compileJavaPattern, type PatternToken } from './index.js';

function compiled(pattern: string): CompiledPattern {
  const result = compileJavaPattern(pattern);
  if ('error' in result) throw new Error(result.error);
  return result;
}

/** A compact view of the tokens: fields as their letters, literals quoted, sections as [ ]. */
function shape(pattern: string): string[] {
  return compiled(pattern).tokens.map((t: PatternToken) => {
    if (t.kind === 'field') return t.letter.repeat(t.count);
    if (t.kind === 'literal') return `"${t.text}"`;
    return t.kind === 'optionalStart' ? '[' : ']';
  });
}

function errorOf(pattern: string): string {
  const result = compileJavaPattern(pattern);
  if (!('error' in result)) throw new Error(`expected '${pattern}' to be rejected`);
  return result.error;
}

describe('compileJavaPattern', () => {
  it('splits fields by letter and keeps the repeat count', () => {
    expect(shape("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")).toEqual([
      'yyyy',
      '"-"',
      'MM',
      '"-"',
      'dd',
      '"T"',
      'HH',
      '":"',
      'mm',
      '":"',
      'ss',
      '"."',
      'SSS',
      'XXX',
    ]);
    expect(shape('yyyyMMdd')).toEqual(['yyyy', 'MM', 'dd']);
    expect(shape('EEE, d MMM yyyy')).toEqual(['EEE', '", "', 'd', '" "', 'MMM', '" "', 'yyyy']);
  });

  it('records positions of fields', () => {
    const tokens = compiled("dd 'of' MMMM").tokens;
    expect(tokens[0]).toEqual({ kind: 'field', letter: 'd', count: 2, position: 0 });
    expect(tokens[1]).toEqual({ kind: 'literal', text: ' of ', position: 2 });
    expect(tokens[2]).toEqual({ kind: 'field', letter: 'M', count: 4, position: 8 });
  });

  it('handles quoting', () => {
    expect(shape("''")).toEqual(['"\'"']);
    expect(shape("'o''clock'")).toEqual(['"o\'clock"']);
    expect(shape("hh 'o''clock' a")).toEqual(['hh', '" o\'clock "', 'a']);
    expect(shape("'yyyy'")).toEqual(['"yyyy"']);
    expect(shape("''''")).toEqual(['"\'\'"']);
    expect(shape("'' yy")).toEqual(['"\' "', 'yy']);
    expect(shape("''")).toHaveLength(1);
  });

  it('treats non-letters (including non-ASCII letters) as literals', () => {
    expect(shape('HH:mm/ss,SSS é')).toEqual(['HH', '":"', 'mm', '"/"', 'ss', '","', 'SSS', '" é"']);
    expect(shape('')).toEqual([]);
  });

  it('supports optional sections', () => {
    expect(shape('HH:mm[:ss[.SSS]]')).toEqual([
      'HH',
      '":"',
      'mm',
      '[',
      '":"',
      'ss',
      '[',
      '"."',
      'SSS',
      ']',
      ']',
    ]);
    const tokens = compiled('HH[:mm]').tokens;
    expect(tokens[1]).toMatchObject({ kind: 'optionalStart', end: 4 });
    expect(tokens[4]).toMatchObject({ kind: 'optionalEnd' });
  });

  it('closes sections left open at the end, like Java', () => {
    expect(shape('HH[:mm')).toEqual(['HH', '[', '":"', 'mm', ']']);
  });

  it.each([
    'G',
    'GGGG',
    'GGGGG',
    'y',
    'yy',
    'yyyyyyyyy',
    'uuuu',
    'YYYY',
    'MMMMM',
    'LLL',
    'D',
    'DDD',
    'e',
    'eeeee',
  ])('accepts %s', (pattern) => {
    expect(compileJavaPattern(pattern)).not.toHaveProperty('error');
  });

  it.each([
    'a',
    'h',
    'hh',
    'H',
    'k',
    'K',
    'm',
    's',
    'S',
    'SSSSSSSSS',
    'n',
    'A',
    'N',
    'VV',
    'z',
    'zzzz',
    'Z',
    'ZZZZZ',
    'O',
    'OOOO',
    'X',
    'XXXXX',
    'x',
    'xxxxx',
    'Q',
    'qqqqq',
    'w',
    'ww',
    'W',
    'F',
  ])('accepts %s', (pattern) => {
    expect(compileJavaPattern(pattern)).not.toHaveProperty('error');
  });

  it.each([
    'b',
    'B',
    'c',
    'f',
    'g',
    'i',
    'I',
    'j',
    'J',
    'l',
    'o',
    'p',
    'P',
    'r',
    'R',
    't',
    'T',
    'U',
    'v',
    'C',
  ])('rejects the unknown letter %s', (letter) => {
    const error = errorOf(`yyyy-${letter}`);
    expect(error).toContain(`unknown pattern letter '${letter}' at position 5`);
  });

  it.each([
    ['ddd', "'ddd'", 2],
    ['HHH', "'HHH'", 2],
    ['mmm', "'mmm'", 2],
    ['DDDD', "'DDDD'", 3],
    ['MMMMMM', "'MMMMMM'", 5],
    ['EEEEEE', "'EEEEEE'", 5],
    ['aa', "'aa'", 1],
    ['SSSSSSSSSS', "'SSSSSSSSSS'", 9],
    ['zzzzz', "'zzzzz'", 4],
    ['ZZZZZZ', "'ZZZZZZ'", 5],
    ['XXXXXX', "'XXXXXX'", 5],
    ['WW', "'WW'", 1],
    ['QQQQQQ', "'QQQQQQ'", 5],
  ])('rejects too many letters: %s', (pattern, run, max) => {
    const error = errorOf(pattern);
    expect(error).toContain(`too many pattern letters ${run} at position 0`);
    expect(error).toContain(`at most ${max} time`);
  });

  it('requires VV and O/OOOO exactly', () => {
    expect(errorOf('V')).toContain("must be written exactly twice ('VV')");
    expect(errorOf('VVV')).toContain("must be written exactly twice ('VV')");
    expect(errorOf('OO')).toContain("'O' at position 0 must be written once ('O') or four times ('OOOO')");
  });

  it('rejects reserved characters and broken quoting/sections', () => {
    expect(errorOf('yyyy{MM}')).toContain("'{' at position 4 is reserved");
    expect(errorOf('yyyy#')).toContain("'#' at position 4 is reserved");
    expect(errorOf("yyyy-MM-dd'T")).toBe('unterminated quoted text starting at position 10');
    expect(errorOf("'abc''")).toBe('unterminated quoted text starting at position 0');
    expect(errorOf('HH:mm]')).toBe("']' at position 5 has no matching '['");
  });

  it('allows reserved characters when quoted', () => {
    expect(shape("'{'yyyy'}#'")).toEqual(['"{"', 'yyyy', '"}#"']);
  });
});
