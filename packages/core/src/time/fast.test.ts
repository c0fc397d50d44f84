import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateParts, isoDayOfWeek } from './calendar.js';
import { fastMatch } from './fast.js';
import { type CompiledPattern, compileJavaPattern, formatJavaPattern } from './index.js';
import { fullMatch } from './parse.js';

function compile(pattern: string): CompiledPattern {
  const compiled = compileJavaPattern(pattern);
  if ('error' in compiled) throw new Error(compiled.error);
  return compiled;
}

/** Patterns the fast path covers. Each splits a value at most one way, so the two paths must agree. */
const PATTERNS = [
  'yyyy-MM-dd',
  'HH:mm:ss',
  "yyyy-MM-dd'T'HH:mm:ssXXX",
  "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
  'dd/MM/yyyy',
  'EEE',
  'dd MMM yyyy HH:mm:ss z',
  "yyyy-MM-dd'T'HH:mm:ss.SSSxxx",
  "uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXXXX",
  'yyyyMMddHHmmss',
  'dd/MM/yy',
  'd/M/y H:m:s',
  'EEE, dd MMM yyyy HH:mm:ss zzz',
  'EEEE, MMMM d, yyyy h:mm a',
  'eeee dd.MM.yyyy',
  'ee dd.MM.yyyy',
  'hh:mm:ss a',
  'KK:mm a',
  'kk:mm',
  'G yyyy-MM-dd',
  'GGGG y MMM d EEE',
  'GGGGG uuuu',
  'yyyy-MM-dd X',
  'yyyy-MM-dd XX',
  'yyyy-MM-dd XXXX',
  'yyyy-MM-dd x',
  'yyyy-MM-dd ZZZZZ',
  'HH:mm:ss.n A',
  'N',
  "'Day' d 'of' MMM, hh 'o''clock' a",
];

/** Characters that mutations put in: field characters, and look-alikes that must not match. */
const MUTATION_CHARS = [
  ...'0123456789',
  ...'+-:./, TZ',
  ...'aAeEmMpPuUtTcCgGjJ',
  'İ', // lower-cases to two characters
  '\u212a', // Kelvin sign: lower-cases to 'k'
  '０', // full-width digit
];

const mutation = fc.oneof(
  fc.constant((text: string) => text),
  fc.tuple(fc.nat(), fc.constantFrom(...MUTATION_CHARS)).map(
    ([at, ch]) =>
      (text: string) =>
        replaceAt(text, at, ch),
  ),
  fc.tuple(fc.nat(), fc.constantFrom(...MUTATION_CHARS)).map(([at, ch]) => (text: string) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + ch + text.slice(i);
  }),
  fc.nat().map((at) => (text: string) => {
    const i = at % Math.max(text.length, 1);
    return text.slice(0, i) + text.slice(i + 1);
  }),
  fc.nat().map((at) => (text: string) => {
    const i = at % Math.max(text.length, 1);
    const ch = text[i] ?? '';
    return replaceAt(text, at, ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase());
  }),
);

function replaceAt(text: string, at: number, ch: string): string {
  if (text === '') return ch;
  const i = at % text.length;
  return text.slice(0, i) + ch + text.slice(i + 1);
}

const dates = fc.date({
  min: new Date('-009999-01-01T00:00:00Z'),
  max: new Date('9999-12-31T00:00:00Z'),
  noInvalidDate: true,
});
const offsets = fc.integer({ min: -18 * 60, max: 18 * 60 });

function expectAgreement(compiled: CompiledPattern, value: string): void {
  expect(fastMatch(compiled, value), `'${value}' with '${compiled.pattern}'`).toBe(
    fullMatch(compiled, value).ok,
  );
}

describe('fast path', () => {
  it.each(PATTERNS)('agrees with the full parser on formatted and mutated values of %s', (pattern) => {
    const compiled = compile(pattern);
    fc.assert(
      fc.property(dates, offsets, fc.array(mutation, { maxLength: 3 }), (date, offset, mutations) => {
        let value = formatJavaPattern(compiled, date, offset);
        expectAgreement(compiled, value);
        for (const mutate of mutations) value = mutate(value);
        expectAgreement(compiled, value);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the full parser on hand-picked edge cases', () => {
    const cases: [string, string[]][] = [
      [
        'yyyy-MM-dd',
        [
          '2024-02-29',
          '2023-02-29',
          '1900-02-29',
          '0000-01-01',
          '12024-01-01',
          '+12024-01-01',
          '+2024-01-01',
        ],
      ],
      ['yyyy-MM-dd', ['-2024-01-01', '123456789-01-01', '1234567890-01-01', '2024-1-01', '２０２３-01-01']],
      ['uuuu-MM-dd', ['-0001-01-01', '-0004-02-29', '-0001-02-29', '+10000-01-01', '-1000000000-01-01']],
      ['dd/MM/yy', ['29/02/24', '29/02/23', '01/01/00']],
      ['EEE, dd MMM yyyy', ['Wed, 31 Jan 2024', 'wed, 31 jan 2024', 'WED, 31 JAN 2024', 'Thu, 31 Jan 2024']],
      ['EEE dd MMM yyyy', ['Wed 31 Jan 2024', 'Wed 31 Feb 2024', 'Wed 31 Jan -0001']],
      ['EEEE', ['Wednesday', 'wednesday', 'Wednes', 'Wed']],
      ['hh:mm a', ['12:00 AM', '12:00 PM', '00:00 AM', '13:00 PM', '11:59 pm']],
      ['HH:mm a', ['13:00 PM', '13:00 AM', '00:00 AM']],
      ['kk:mm', ['24:00', '00:00', '25:00']],
      ['HH:mm:ss', ['23:59:59', '24:00:00', '23:60:00', '23:59:60', '1:00:00']],
      [
        "yyyy-MM-dd'T'HH:mm:ssXXX",
        ['2024-01-31T13:45:10Z', '2024-01-31T13:45:10+18:00', '2024-01-31T13:45:10+18:01'],
      ],
      [
        "yyyy-MM-dd'T'HH:mm:ssXXX",
        ['2024-01-31T13:45:10+19:00', '2024-01-31T13:45:10+01:60', '2024-01-31T13:45:10z'],
      ],
      ['X', ['Z', '+01', '+0130', '+01:30', '+1', '+013']],
      ['XXXXX', ['Z', '+01:30', '+01:30:15', '+01:30:60', '+0130']],
      ['xxxx', ['+0130', '+013015', 'Z', '+01:30']],
      ['Z', ['+0130', '-1800', '+1801', 'Z']],
      ['yyyy-MM-dd z', ['2024-01-31 UTC', '2024-01-31 GMT', '2024-01-31 UT', '2024-01-31 Z']],
      ['yyyy-MM-dd z', ['2024-01-31 PST', '2024-01-31 CEST', '2024-01-31 Abcdef', '2024-01-31 Abcdefg']],
      ['yyyy-MM-dd z', ['2024-01-31 pst', '2024-01-31 P', '2024-01-31 GMT+1', '2024-01-31 GMT+01:30']],
      ['yyyy-MM-dd z', ['2024-01-31 GMT+19', '2024-01-31 GMT+123', '2024-01-31 UTC-5:30', '2024-01-31 UT+1']],
      ['yyyy-MM-dd z', ['2024-01-31 +01:00', '2024-01-31 +0100', '2024-01-31 +01', '2024-01-31 +01:0000']],
      ['yyyy-MM-dd z', ['2024-01-31 Europe/London', '2024-01-31 Etc/GMT+1', '2024-01-31 Foo/Bar']],
      ['yyyy-MM-dd z', ['2024-01-31 GMT0', '2024-01-31 EST5EDT', '2024-01-31 GB-Eire', '2024-01-31 Zulu']],
      [
        'yyyy-MM-dd z',
        ['2024-01-31 America/Argentina/Buenos_Aires', '2024-01-31 US/Pacific', '2024-01-31 UTC/X'],
      ],
      ['z, yyyy', ['UTC, 2024', 'Europe/Paris, 2024', 'GMT+01:00, 2024', 'GMT+01:00 , 2024']],
      ['G yyyy', ['AD 2024', 'BC 0001', 'ad 2024', 'A 2024']],
      ['GGGGG yyyy', ['A 2024', 'B 0001', 'AD 2024']],
      [
        'yyyy-MM-dd G EEE',
        ['0001-01-01 BC EEE', '0001-01-01 BC Sat', '0001-01-01 AD Mon', '0001-01-01 BC Fri'],
      ],
      ['HH:mm:ss.SSS', ['13:45:10.123', '13:45:10.12', '13:45:10.1234']],
      ['HH:mm:ss.n', ['13:45:10.1', '13:45:10.999999999', '13:45:10.1000000000']],
      ['A', ['0', '86399999', '86400000']],
      ['N', ['86399999999999', '86400000000000', '99999999999999999999']],
      ["'a.b*c' yyyy", ['a.b*c 2024', 'aXb*c 2024', 'a.bbc 2024']],
      ['', ['', 'x']],
    ];
    for (const [pattern, values] of cases) {
      const compiled = compile(pattern);
      for (const value of values) expectAgreement(compiled, value);
    }
  });

  it('agrees with the full parser on names spelt with look-alike characters', () => {
    const compiled = compile('MMMM');
    // Kelvin sign and dotted capital I lower-case to ASCII (plus a combining dot for the latter).
    for (const value of ['\u212aanuary', 'January', 'JANUARY', 'June', 'İune', 'Ju\u0130e']) {
      expectAgreement(compiled, value);
    }
  });

  it('leaves patterns it does not cover to the full parser', () => {
    const uncovered = [
      "yyyy-MM-dd['T'HH:mm]", // optional section
      'yyyy-MM-dd MM', // a field given twice
      'EEE e', // day of week given twice
      'yyyy-MM-dd XXX z', // two zone fields
      'MMMMM', // narrow month names repeat (J for January, June and July)
      'EEEEE',
      'YYYY-ww-e', // week-based fields
      'yyyy-DDD',
      'QQQ yyyy',
      'O',
      'ZZZZ',
      'VV',
      'zzzz',
      'zHH', // a zone name not followed by the end or a separator
      "z'x'",
    ];
    for (const pattern of uncovered) expect(fastMatch(compile(pattern), 'x'), pattern).toBeUndefined();
    for (const pattern of PATTERNS) expect(fastMatch(compile(pattern), ''), pattern).toBeDefined();
  });

  it('computes the day of week as dateParts does', () => {
    const anyDate = fc.date({
      min: new Date(-8.64e15),
      max: new Date(8.64e15),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(anyDate, (date) => {
        const year = date.getUTCFullYear();
        const month = date.getUTCMonth() + 1;
        const day = date.getUTCDate();
        expect(isoDayOfWeek(year, month, day)).toBe(dateParts(year, month, day).dayOfWeek);
      }),
      { numRuns: 2000 },
    );
  });
});
