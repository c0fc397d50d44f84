import { describe, expect, it } from 'vitest';
import { compileWholeMatch, matchesWhole, REGEX_CACHE_LIMIT } from './index.js';

/** Asserts which values the pattern accepts and rejects as a whole. */
function check(pattern: string, accepted: string[], rejected: string[]): void {
  const compiled = compileWholeMatch(pattern);
  if (!compiled.ok) throw new Error(compiled.error);
  for (const value of accepted)
    expect(compiled.regex.test(value), `${pattern} should match ${JSON.stringify(value)}`).toBe(true);
  for (const value of rejected)
    expect(compiled.regex.test(value), `${pattern} should not match ${JSON.stringify(value)}`).toBe(false);
}

function errorOf(pattern: string): string {
  const compiled = compileWholeMatch(pattern);
  if (compiled.ok) throw new Error(`expected ${pattern} to be rejected, got /${compiled.regex.source}/`);
  return compiled.error;
}

function notesOf(pattern: string): readonly string[] {
  const compiled = compileWholeMatch(pattern);
  if (!compiled.ok) throw new Error(compiled.error);
  return compiled.notes;
}

describe('whole-value semantics', () => {
  it('requires the whole value to match', () => {
    check('\\d{1,4}', ['1', '9999'], ['9999X', 'X1', '', '12345']);
    check('[0-9]', ['4'], ['44', 'a', '']);
    check('abc', ['abc'], ['xabc', 'abcx', 'ab']);
  });

  it('backtracks into alternations to cover the whole value, like String.matches', () => {
    check('a|ab', ['a', 'ab'], ['abc']);
    check('(GET|POST|PUT)', ['GET', 'PUT'], ['GETX', 'get']);
  });

  it('keeps leading and trailing anchors harmless', () => {
    check('^\\d+$', ['123'], ['12a', '123\n']);
  });

  it('reports the matching through matchesWhole', () => {
    expect(matchesWhole('\\d+', '123')).toBe(true);
    expect(matchesWhole('\\d+', '12a')).toBe(false);
    expect(matchesWhole('(?~a)', 'x')).toEqual({ error: expect.stringContaining('absent operator') });
  });

  it('ignores a match later in the string (no g flag, no lastIndex state)', () => {
    const compiled = compileWholeMatch('\\d');
    if (!compiled.ok) throw new Error(compiled.error);
    expect(compiled.regex.flags).not.toContain('g');
    for (let n = 0; n < 3; n++) expect(compiled.regex.test('5')).toBe(true);
  });
});

describe('code points (the u flag)', () => {
  it('treats an astral character as one character, as Java does', () => {
    check('.', ['😀', 'a'], ['😀😀']);
    check('.{2}', ['😀😀', 'ab'], ['😀']);
    check('[^a]', ['😀'], ['a']);
    check('\\S+', ['😀x'], [' ']);
  });

  it('re-emits Java identity escapes the u flag would reject', () => {
    check('\\-\\_\\#\\ \\%\\@\\"\\\'', ['-_# %@"\''], []);
    check('a\\/b', ['a/b'], []);
    check('[\\-\\_]', ['-', '_'], ['a']);
  });

  it('accepts literal braces and brackets that are not quantifiers or classes', () => {
    check('x{y}', ['x{y}'], []);
    check('a]b}', ['a]b}'], []);
    check('{}', ['{}'], []);
  });
});

describe('escapes and shorthand classes', () => {
  it('reads \\d \\w \\s as ASCII, as Java does by default', () => {
    check('\\d', ['7'], ['a', '٣']);
    check('\\w+', ['a_Z9'], ['é', 'a-b']);
    check('\\s', [' ', '\t', '\n', '\x0B', '\f', '\r'], ['\u00a0', '\u2028', 'a']);
    check('\\D\\W\\S', ['a-x'], ['1-x', 'a-\t', 'aax']);
  });

  it('reads character escapes', () => {
    check('\\t\\n\\r\\f\\a\\e', ['\t\n\r\f\x07\x1b'], []);
    check('\\x41\\u0042\\x{43}\\0104\\cA', ['ABCD\x01'], []);
    check('\\x{1F600}', ['😀'], ['\ud83d']);
    check('\\uD83D\\uDE00', ['😀'], []);
  });

  it('escapes metacharacters', () => {
    check('\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\\\\\^\\$', ['.*+?()[]{}|\\^$'], []);
  });

  it('reads \\h as horizontal and \\v as vertical whitespace (Java), with a note', () => {
    check('\\h', [' ', '\t', '\u00a0', '\u3000'], ['\n', 'a']);
    check('\\H', ['a'], [' ']);
    check('\\v', ['\n', '\x0B', '\u2028'], [' ']);
    expect(notesOf('\\h').join()).toContain('hex digit');
    expect(notesOf('\\v').join()).toContain('vertical');
  });

  it('reads \\R as a line break', () => {
    check('a\\Rb', ['a\r\nb', 'a\nb', 'a\rb', 'a\u2028b'], ['a\n\nb', 'ab']);
    // Java (17 and 25) backtracks into \R: \R\n matches "\r\n".
    check('\\R\\n', ['\n\n', '\r\n\n', '\r\n'], []);
    // …but not into a repeated one.
    check('\\R{2}', ['\n\n', '\r\n\r'], ['\r\n']);
    check('\\R+?\\r', ['\r\n\r'], []);
  });
});

describe('anchors', () => {
  it('translates \\A, \\z, \\Z and \\G', () => {
    check('\\Aabc\\z', ['abc'], ['abc\n']);
    check('abc\\Z', ['abc'], ['abc\n']); // \Z is zero-width: the final \n is left unmatched
    check('a\\Z\\n', ['a\n'], []);
    check('\\Gabc', ['abc'], []);
  });

  it('lets $ match before a final line terminator mid-pattern, as Java does', () => {
    check('a$\\n', ['a\n'], []);
    check('a$\\r\\n', ['a\r\n'], []);
    check('a$b', [], ['ab']);
  });

  it('spells out multi-line anchors (?m) without the m flag', () => {
    check('(?m)a$\\n^b', ['a\nb'], []);
    check('a\\n(?m)^b', ['a\nb'], []);
    check('a(?m)^b', [], ['ab']);
    check('(?m)a$\\r\\n^b', ['a\r\nb'], []);
    // Java never matches a multi-line ^ at the very end of the input.
    check('(?m)^', [], ['']);
    const compiled = compileWholeMatch('(?m)^a$');
    expect(compiled.ok && compiled.regex.flags).toBe('u');
    expect(notesOf('(?m)a').join()).toContain('dot-all');
  });

  it('keeps word boundaries', () => {
    check('\\bfoo\\b', ['foo'], []);
    check('a\\bb', [], ['ab']);
    check('a\\Bb', ['ab'], []);
    check('(?U)é\\b', ['é'], []);
  });
});

describe('quantifiers', () => {
  it('supports greedy, lazy, bounded and Oniguruma {,m} forms', () => {
    check('a*', ['', 'aaa'], ['b']);
    check('a+?', ['a', 'aaa'], ['']);
    check('a{2}', ['aa'], ['a', 'aaa']);
    check('a{2,}', ['aa', 'aaaa'], ['a']);
    check('a{2,3}', ['aa', 'aaa'], ['aaaa']);
    check('a{,2}', ['', 'aa'], ['aaa']);
    check('x{2}{3}', ['xxxxxx'], ['xx']);
  });

  it('keeps possessive semantics exactly (no backtracking)', () => {
    check('a*+a', [], ['a', 'aaa']);
    check('a*+b', ['aaab', 'b'], []);
    check('a++b', ['ab'], ['b']);
    check('a?+a', ['aa'], ['a']);
    check('a{1,3}+a', ['aaaa'], ['aaa']);
    check('[a-z]*+\\d', ['abc1'], []);
  });

  it('notes possessive loops over bodies that can match nothing', () => {
    expect(notesOf('(a*)*+').join()).toContain('empty iteration');
    expect(notesOf('(?>(a|)+)b').join()).toContain('empty iteration');
    expect(notesOf('a*+')).toEqual([]);
    expect(notesOf('(?>a*)b')).toEqual([]);
  });

  it('applies a quantifier after \\Q…\\E to the last character only', () => {
    check('\\Qab\\E*', ['a', 'abbb'], ['abab']);
  });
});

describe('groups', () => {
  it('emulates atomic groups exactly', () => {
    check('(?>a|ab)c', ['ac'], ['abc']);
    check('(?>ab|a)c', ['abc', 'ac'], []);
  });

  it('supports named groups and backreferences in Java, Oniguruma and Python spellings', () => {
    check('(?<year>\\d{4})-\\k<year>', ['2020-2020'], ['2020-2021']);
    check("(?'y'\\d)\\k'y'", ['11'], ['12']);
    check('(?P<x>a)(?P=x)', ['aa'], ['ab']);
    check('(a)(b)\\2\\1', ['abba'], ['abab']);
    expect(notesOf('(a)\\1')).toEqual([]);
  });

  it('notes backreferences to groups that may not take part', () => {
    for (const pattern of ['(a)?\\1', '(?:(a)|b)\\1', '(a)*\\1', '\\1(a)', '(a\\1)', '(?=(a))?a\\1']) {
      expect(notesOf(pattern).join(), pattern).toContain('may not take part');
    }
    // JavaScript matches the empty string here; Java fails.
    check('(a)?\\1', ['aa', ''], ['a']);
  });

  it('renumbers backreferences around helper groups', () => {
    check('(?>a)(b)\\1', ['abb'], ['aba']);
    check('(a)(?>b)(c)\\2', ['abcc'], ['abcb']);
    check('(a)x*+(c)\\2\\1', ['axxcca'], []);
  });

  it('reads \\10 as \\1 then 0 when there are fewer than 10 groups', () => {
    check('(a)\\10', ['aa0'], []);
  });

  it('supports lookahead and lookbehind', () => {
    check('(?=\\d{3})\\d+', ['123', '1234'], ['12']);
    check('(?!abc)\\w+', ['abd'], ['abc']);
    check('a(?<=a)b', ['ab'], []);
    check('\\w+(?<!x)', ['abc'], ['abx']);
  });

  it('skips (?#...) comments', () => {
    check('a(?#comment)b', ['ab'], []);
  });
});

describe('character classes', () => {
  it('supports ranges, negation and literal ] first', () => {
    check('[a-c]+', ['abc'], ['d']);
    check('[^a-c]', ['d', '1'], ['a']);
    check('[]a]', [']', 'a'], ['b']);
    check('[^]a]', ['b'], [']']);
    check('[a-]', ['-'], []);
    check('[\\w.-]+', ['a.b-c'], ['a b']);
  });

  it('supports Java nested classes and intersections', () => {
    check('[a-c[x-z]]', ['b', 'y'], ['m']);
    check('[a-z&&[^aeiou]]+', ['bcd'], ['abc']);
    check('[\\w&&\\D]+', ['ab_'], ['a1']);
    check('[a-z&&def]', ['e'], ['a']);
    check('[^a[b]]', ['c'], ['a', 'b']);
    check('[a[^b]]', ['a', 'c'], ['b']);
  });

  it('supports \\Q…\\E inside classes', () => {
    check('[\\Q]^-\\E]+', [']^-'], ['a']);
  });

  it('translates POSIX bracket classes to ASCII ranges, with a note', () => {
    check('[[:alpha:]]+', ['abcXYZ'], ['é', '1']);
    check('[[:digit:][:upper:]]+', ['A1'], ['a']);
    check('[[:^digit:]]', ['a'], ['1']);
    check('[[:punct:]]+', ['!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'], ['a']);
    check('[[:xdigit:]]+', ['09afAF'], ['g']);
    check('[[:space:]]', [' ', '\t'], ['a']);
    check('[[:word:]]+', ['a_1'], ['-']);
    expect(notesOf('[[:alpha:]]').join()).toContain('ASCII-only');
  });
});

describe('Unicode and Java properties', () => {
  it('translates Java POSIX properties to explicit ASCII classes', () => {
    check('\\p{Alpha}+', ['abC'], ['é', '1']);
    check('\\p{Digit}', ['5'], ['٣']);
    check('\\p{Upper}\\p{Lower}', ['Ab'], ['aB']);
    check('\\p{Punct}', ['!', '~'], ['a']);
    check('\\p{Alnum}+', ['a1'], ['_']);
    check('\\p{Space}', ['\t'], ['\u00a0']);
    check('\\p{XDigit}+', ['aF9'], ['g']);
    check('\\P{Alpha}', ['1'], ['a']);
    check('\\p{ASCII}\\p{Cntrl}\\p{Blank}', ['a\x01\t'], []);
  });

  it('translates java.lang.Character classes', () => {
    check('\\p{javaLowerCase}+', ['aé'], ['A', 'É']);
    check('\\p{javaUpperCase}', ['É'], ['é']);
    check('\\p{javaWhitespace}', [' ', '\n'], ['\u00a0']);
    check('\\p{javaLetterOrDigit}+', ['é٣'], ['_']);
  });

  it('translates general categories, scripts and binary properties', () => {
    check('\\p{L}+', ['héllo'], ['1']);
    check('\\pL\\p{IsL}\\p{gc=Lu}', ['aéÉ'], ['aéé']);
    check('\\p{Lu}', ['É'], ['é']);
    check('\\p{IsLatin}+', ['abé'], ['α']);
    check('\\p{IsGreek}', ['α'], ['a']);
    check('\\p{script=Cyrillic}', ['ж'], ['a']);
    check('\\p{sc=LATIN}', ['a'], []);
    check('\\p{IsAlphabetic}\\p{IsWhite_Space}', ['a '], []);
    check('\\p{Greek}', ['α'], []);
    check('\\p{^L}\\P{L}', ['12'], ['a1']);
    check('\\p{LD}+', ['a1'], ['_']);
  });

  it('translates common Unicode blocks to ranges', () => {
    check('\\p{InGreek}+', ['αω\u03ff'], ['a']);
    check('\\p{InBasicLatin}+', ['a~\x7f'], ['\x80']);
    check('\\p{block=Cyrillic}', ['ж'], []);
    check('\\p{InLatin-1 Supplement}', ['é'], ['e']);
    check('\\p{Inherited}', ['\u0300'], []);
  });

  it('reads \\w, \\d, \\s and POSIX names as Unicode under (?U)', () => {
    check('(?U)\\w+', ['héllo'], ['-']);
    check('(?U)\\d', ['٣'], ['a']);
    check('(?U)\\s', ['\u00a0'], ['a']);
    check('(?U)\\p{Alpha}+', ['é'], []);
    check('(?U)[[:alpha:]]', ['é'], []);
  });
});

describe('inline flags', () => {
  it("spells out Java's ASCII-only (?i) exactly, without the i flag", () => {
    check('(?i)hello', ['HeLLo', 'hello'], ['help']);
    check('(?i)k[a-z]\\w', ['KsS', 'kZ_'], ['\u212Aaa', 'k\u017Fa', 'éaa']);
    check('(?i)é', ['é'], ['É']);
    const compiled = compileWholeMatch('(?i)hello');
    expect(compiled.ok && compiled.regex.flags).toBe('u');
    expect(notesOf('(?i)hello')).toEqual([]);
  });

  it('uses the i flag for (?iu) and for case-insensitive backreferences', () => {
    check('(?iu)k', ['K', '\u212A'], []);
    check('(?iu)é', ['É'], []);
    check('(?i)(ab)\\1', ['abAB', 'aBAb'], ['abac']);
    const unicode = compileWholeMatch('(?iu)k');
    expect(unicode.ok && unicode.regex.flags).toBe('iu');
    const backref = compileWholeMatch('(?i)(a)\\1');
    expect(backref.ok && backref.regex.flags).toBe('iu');
    expect(notesOf('(?i)(é)\\1').join()).toContain('ASCII letters only');
  });

  it('matches case categories in any case under (?i), as Java does', () => {
    check('(?i)\\p{Lu}', ['a', 'A', 'é'], ['1']);
    check('(?i)[^\\p{Lu}]', ['1'], ['a', 'A']);
    check('(?i)\\p{Lower}', ['a', 'A'], ['\u212A', 'é']);
    check('(?i)\\p{javaLowerCase}', ['É'], []);
  });

  it('case-folds (?i:...) parts by hand, without needing RegExp modifiers', () => {
    check('ab(?i:cd)ef', ['abCdef', 'abcDef'], ['ABcdef', 'abcdEF']);
    check('(?i)a(?-i)b', ['Ab', 'ab'], ['AB']);
    check('(?i)a(?-i:b)c', ['AbC'], ['ABc']);
    check('a(?i:[b-d])', ['aC', 'ab'], ['AC']);
    check('a(?i:[^b])', ['ac'], ['aB', 'ab']);
    const compiled = compileWholeMatch('ab(?i:cd)ef');
    expect(compiled.ok && compiled.regex.flags).toBe('u');
  });

  it("keeps Java's ASCII-only (?i) when folding by hand, and Unicode with (?iu)", () => {
    check('a(?i:é)', ['aé'], ['aÉ']);
    check('a(?iu:é)', ['aé', 'aÉ'], []);
    check('a(?iu:[à-é])', ['aÉ'], []);
    check('a(?iu:k)', ['aK', 'a\u212A'], []);
    check('a(?iu:[^k])', ['aj'], ['aK', 'a\u212A']);
  });

  it('supports (?s) dot-all, (?d) unix lines and (?x) comments', () => {
    check('a.b', ['a-b'], ['a\nb', 'a\rb', 'a\u0085b', 'a\u2028b']);
    check('(?s)a.b', ['a\nb'], []);
    check('a(?s:.)b.', ['a\nbc'], ['a\nb\n']);
    check('(?d)a.b', ['a\rb'], ['a\nb']);
    check('(?x) \\d+ # digits\n - [ a ] ', ['12-a'], ['12 - a']);
    check('(?x)a\\ b', ['a b'], []);
  });

  it('scopes flags to their group', () => {
    check('(a(?i)b)c', ['aBc'], ['aBC']);
    check('(?i:a)b', ['Ab'], ['AB']);
  });
});

describe('untranslatable constructs', () => {
  const unsupported: Array<[string, string, number]> = [
    ['a(?~b)', 'absent operator', 1],
    ['(?(1)a|b)', 'conditional group', 0],
    ['(?|a)', 'branch-reset group', 0],
    ['a(?R)', 'recursive', 1],
    ['(a)(?1)', 'recursive', 3],
    ['(?<n>a)\\g<n>', 'subroutine call', 7],
    ['\\X', 'grapheme-cluster', 0],
    ['ab\\Kc', 'match-reset', 2],
    ['\\N{LATIN SMALL LETTER A}', '\\N', 0],
    ['x\\p{InTamil}', 'Unicode block', 1],
    ['(?c)a', 'CANON_EQ', 0],
    ['\\b{g}', 'boundary', 0],
    ['(a)(?i:\\1)b', 'case-insensitive backreference', 7],
  ];

  it.each(unsupported)(
    'rejects %s naming the construct, its position and a fix',
    (pattern, construct, index) => {
      const error = errorOf(pattern);
      expect(error).toContain(construct);
      expect(error).toContain(`at index ${index}`);
      expect(error).toContain('rewrite the pattern without');
      expect(error).toContain(pattern);
    },
  );
});

describe('invalid patterns', () => {
  const invalid: Array<[string, string]> = [
    ['(ab', 'unclosed group'],
    ['ab)', "unmatched ')'"],
    ['[ab', 'unclosed character class'],
    ['*a', 'nothing to repeat'],
    ['a|?', 'nothing to repeat'],
    ['a{3,2}', 'minimum above its maximum'],
    ['\\k<nope>', 'unknown group name'],
    ['(a)\\2', 'does not exist'],
    ['[z-a]', 'out of order'],
    ['\\q', 'unknown escape'],
    ['\\p{Bogus}', 'unknown Unicode property'],
    ['\\p{javaBogus}', 'unknown Java character class'],
    ['(?<1a>x)', 'invalid group name'],
    ['(?<n>a)(?<n>b)', 'duplicate group name'],
    ['abc\\', 'trailing backslash'],
    ['\\xZZ', '2 hex digits'],
    ['[[:bogus:]]', 'unknown POSIX class'],
    ['(?z)', 'unknown group type or inline flag'],
    ['(?P', "unknown group type '(?P'"],
    ['a' + '{1}'.repeat(11), 'stacked quantifiers'],
  ];

  it.each(invalid)('rejects %s', (pattern, problem) => {
    const error = errorOf(pattern);
    expect(error).toMatch(/^Invalid regex '/);
    expect(error).toContain(problem);
    expect(error).toMatch(/at index \d+/);
  });

  it('rejects pathological nesting instead of overflowing the stack', () => {
    expect(errorOf(`${'('.repeat(5000)}${')'.repeat(5000)}`)).toContain('nested more than 100 deep');
    expect(errorOf(`${'['.repeat(500)}a${']'.repeat(500)}`)).toContain('nested more than 100 deep');
    check(`${'('.repeat(100)}a${')'.repeat(100)}`, ['a'], ['']);
  });
});

describe('cache', () => {
  it('returns the same frozen result for the same pattern', () => {
    const first = compileWholeMatch('cached-\\d+');
    expect(compileWholeMatch('cached-\\d+')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    if (first.ok) expect(Object.isFrozen(first.notes)).toBe(true);
  });

  it('caches errors too', () => {
    expect(compileWholeMatch('(?~x)')).toBe(compileWholeMatch('(?~x)'));
  });

  it('stays bounded, evicting the least recently used pattern', () => {
    const old = compileWholeMatch('evict-me');
    const kept = compileWholeMatch('keep-me');
    for (let n = 0; n < REGEX_CACHE_LIMIT - 1; n++) {
      compileWholeMatch(`filler-${n}`);
      if (n % 100 === 0) compileWholeMatch('keep-me');
    }
    expect(compileWholeMatch('keep-me')).toBe(kept);
    expect(compileWholeMatch('evict-me')).not.toBe(old);
    expect(compileWholeMatch('evict-me')).toEqual(old);
  });
});
