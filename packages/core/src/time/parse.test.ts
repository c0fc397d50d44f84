import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileJavaPattern,
  DEFAULT_DATE_FORMAT,
  DEFAULT_DATETIME_FORMAT,
  DEFAULT_TIME_FORMAT,
  matchesJavaPattern,
} from './index.js';

function reasonOf(pattern: string, value: string): string {
  const result = matchesJavaPattern(pattern, value);
  if (result.ok) throw new Error(`expected '${value}' not to match '${pattern}'`);
  return result.reason;
}

/** Table of patterns with values that must match and values that must not. */
const CASES: { pattern: string; valid: string[]; invalid: string[] }[] = [
  {
    pattern: 'yyyy-MM-dd',
    valid: [
      '2024-01-31',
      '2024-02-29',
      '2000-02-29',
      '1999-12-31',
      '0001-01-01',
      '9999-12-31',
      '2023-04-30',
      '12024-01-01',
      '+12024-01-01',
    ],
    invalid: [
      '2023-02-29',
      '1900-02-29',
      '2100-02-29',
      '2023-04-31',
      '2023-13-01',
      '2023-00-10',
      '2023-01-00',
      '2023-01-32',
      '2023-1-01',
      '2023-01-1',
      '23-01-01',
      '2023/01/01',
      '2023-01-01T00:00',
      ' 2023-01-01',
      '2023-01-01 ',
      '',
      '0000-01-01',
      '+2024-01-01',
      '-2024-01-01',
      'abcd-01-01',
      '２０２３-01-01',
    ],
  },
  {
    pattern: 'yyyyMMdd',
    valid: ['20240229', '20231231', '00010101'],
    invalid: ['20230229', '2024021', '202402291', '20241301'],
  },
  {
    pattern: 'dd/MM/yy',
    valid: ['29/02/24', '31/12/99', '01/01/00'],
    invalid: ['29/02/23', '1/02/24', '01/02/2024', '01/02/4'],
  },
  {
    pattern: 'd/M/y',
    valid: ['1/2/2024', '01/02/2024', '31/12/1999', '29/2/2024', '1/1/1'],
    invalid: ['1/13/2024', '32/1/2024', '001/1/2024', '29/2/2023'],
  },
  {
    pattern: 'uuuu-MM-dd',
    valid: ['2024-01-31', '0000-02-29', '-0001-01-01', '-0004-02-29'],
    invalid: ['-0001-02-29', '2023-02-29'],
  },
  {
    pattern: 'yyyy-MM-dd G',
    valid: ['2024-01-31 AD', '0001-02-29 BC', '0044-03-15 BC', '2024-01-31 ad'],
    invalid: ['0002-02-29 BC', '2024-01-31 XX', '2024-01-31'],
  },
  {
    pattern: 'GGGG yyyy',
    valid: ['Anno Domini 2024', 'Before Christ 0044'],
    invalid: ['AD 2024'],
  },
  {
    pattern: DEFAULT_TIME_FORMAT,
    valid: ['00:00:00', '23:59:59', '12:30:45'],
    invalid: [
      '24:00:00',
      '23:60:00',
      '23:59:60',
      '1:00:00',
      '12:00',
      '12:00:00.5',
      '12:00:00 ',
      '12-00-00',
      'ab:cd:ef',
    ],
  },
  {
    pattern: 'H:m:s',
    valid: ['1:2:3', '01:02:03', '23:59:59', '0:0:0'],
    invalid: ['24:0:0', '123:0:0', '1:60:0', ':0:0'],
  },
  {
    pattern: 'hh:mm a',
    valid: ['12:00 AM', '01:30 pm', '11:59 PM', '12:59 pm'],
    invalid: ['13:00 PM', '00:30 AM', '12:00 XM', '12:00', '1:30 PM'],
  },
  {
    pattern: 'h:mm a',
    valid: ['1:05 PM', '12:00 AM', '10:00 AM'],
    invalid: ['0:05 PM', '13:05 PM'],
  },
  {
    pattern: 'KK:mm a',
    valid: ['00:00 AM', '11:59 PM'],
    invalid: ['12:00 PM'],
  },
  {
    pattern: 'kk:mm',
    valid: ['24:00', '01:00', '13:30'],
    invalid: ['00:00', '25:00'],
  },
  {
    pattern: 'HH:mm:ss.SSS',
    valid: ['10:00:00.000', '23:59:59.999', '00:00:00.100'],
    invalid: ['10:00:00.12', '10:00:00.1234', '10:00:00.abc', '10:00:00'],
  },
  {
    pattern: 'HH:mm:ss.S',
    valid: ['10:00:00.1', '10:00:00.0'],
    invalid: ['10:00:00.12', '10:00:00.'],
  },
  {
    pattern: 'ss.SSSSSSSSS',
    valid: ['00.123456789', '59.000000000'],
    invalid: ['00.12345678', '00.1234567890'],
  },
  {
    pattern: 'HH:mm:ss[.SSS]',
    valid: ['10:00:00', '10:00:00.123'],
    invalid: ['10:00:00.', '10:00:00.12'],
  },
  {
    pattern: "yyyy-MM-dd['T'HH:mm[:ss]]",
    valid: ['2024-01-31', '2024-01-31T10:00', '2024-01-31T10:00:59'],
    invalid: ['2024-01-31T', '2024-01-31T10', '2024-01-31T10:00:'],
  },
  {
    pattern: 'dd MMM yyyy',
    valid: ['01 Jan 2024', '29 Feb 2024', '01 jan 2024', '01 SEP 2024', '31 Dec 1999'],
    invalid: ['01 January 2024', '01 Jna 2024', '30 Feb 2024', '31 Apr 2024', '1 Jan 2024'],
  },
  {
    pattern: 'd MMMM yyyy',
    valid: ['1 January 2024', '15 May 2024', '30 September 2024'],
    invalid: ['1 Jan 2024', '31 September 2024', '1 Janvier 2024'],
  },
  {
    pattern: 'EEE, dd MMM yyyy',
    valid: ['Wed, 31 Jan 2024', 'Thu, 29 Feb 2024', 'Sat, 01 Jan 2000'],
    invalid: ['Mon, 31 Jan 2024', 'Wednesday, 31 Jan 2024', 'Wed 31 Jan 2024'],
  },
  {
    pattern: 'EEEE',
    valid: ['Monday', 'sunday', 'WEDNESDAY'],
    invalid: ['Mon', 'Funday', ''],
  },
  {
    pattern: 'EEE',
    valid: ['Mon', 'Sun'],
    invalid: ['Sunday', 'Mo'],
  },
  {
    pattern: 'EEE, dd MMM yyyy HH:mm:ss zzz',
    valid: [
      'Wed, 31 Jan 2024 13:45:10 GMT',
      'Wed, 31 Jan 2024 13:45:10 PST',
      'Wed, 31 Jan 2024 13:45:10 UTC',
    ],
    invalid: ['Wed, 31 Jan 2024 13:45:10', 'Wed, 31 Jan 2024 13:45:10 123'],
  },
  {
    pattern: DEFAULT_DATETIME_FORMAT,
    valid: [
      '2024-01-31T13:45:10Z',
      '2024-01-31T13:45:10+01:00',
      '2024-01-31T13:45:10-05:30',
      '2024-01-31T13:45:10+14:00',
    ],
    invalid: [
      '2024-01-31T13:45:10',
      '2024-01-31T13:45:10.123Z',
      '2024-01-31 13:45:10Z',
      '2024-01-31t13:45:10Z',
      '2024-01-31T13:45:10+0100',
      '2024-01-31T13:45:10+01',
      '2024-01-31T13:45:10z',
      '2024-01-31T13:45:10+19:00',
      '2024-01-31T13:45:10+01:60',
      '2024-01-31T24:45:10Z',
    ],
  },
  {
    pattern: 'XXX',
    valid: ['Z', '+01:00', '-05:30', '+18:00'],
    invalid: ['+0100', '+01', '01:00', '+1:00', '+18:01'],
  },
  { pattern: 'XX', valid: ['Z', '+0100', '-0530'], invalid: ['+01:00', '+01'] },
  { pattern: 'X', valid: ['Z', '+01', '+0530', '-08'], invalid: ['+01:00', '+1'] },
  { pattern: 'XXXXX', valid: ['Z', '+01:00', '+01:00:30'], invalid: ['+010030'] },
  { pattern: 'xxx', valid: ['+00:00', '+05:30', '-08:00'], invalid: ['Z', '+0530'] },
  { pattern: 'xx', valid: ['+0000', '-0800'], invalid: ['Z', '+00:00'] },
  { pattern: 'x', valid: ['+00', '+0530'], invalid: ['Z'] },
  { pattern: 'Z', valid: ['+0000', '-0800', '+0530'], invalid: ['Z', '+08:00', '+08'] },
  { pattern: 'ZZZZ', valid: ['GMT', 'GMT+08:00', 'GMT-05:30'], invalid: ['+08:00', 'Z'] },
  { pattern: 'ZZZZZ', valid: ['Z', '+08:00', '-05:30'], invalid: ['+0800'] },
  { pattern: 'O', valid: ['GMT', 'GMT+8', 'GMT+5:30', 'GMT-10', 'UTC+1'], invalid: ['+08:00', 'GMT+'] },
  { pattern: 'OOOO', valid: ['GMT', 'GMT+08:00'], invalid: ['Z'] },
  {
    pattern: 'z',
    valid: ['UTC', 'GMT', 'EST', 'AEST', 'PST', 'GMT+01:00', 'Z', '+01:00', 'Europe/London'],
    invalid: ['123', '+', 'utc', 'ABCDEFGH', ''],
  },
  {
    pattern: 'zzzz',
    valid: ['Coordinated Universal Time', 'Pacific Standard Time', 'GMT+01:00', 'Europe/Paris'],
    invalid: ['123', 'Pacific  Time', 'Pacific Time '],
  },
  {
    pattern: 'VV',
    valid: [
      'Europe/London',
      'America/Argentina/Buenos_Aires',
      'America/Port-au-Prince',
      'UTC',
      'Z',
      'GMT',
      '+01:00',
      '-0530',
      'Etc/GMT+5',
      'UTC+01:00',
      'Japan',
    ],
    invalid: ['Foo/Bar', 'Londres', 'europe/london', '+25:00', ''],
  },
  {
    pattern: "yyyy-MM-dd'T'HH:mm:ss.SSSxxx'['VV']'",
    valid: ['2024-01-31T13:45:10.123+00:00[Europe/London]'],
    invalid: ['2024-01-31T13:45:10.123+00:00[Mars/Olympus]'],
  },
  {
    pattern: 'yyyy-DDD',
    valid: ['2024-366', '2023-365', '2023-001', '2023-060'],
    invalid: ['2023-366', '2023-000', '2023-1', '2023-367'],
  },
  { pattern: 'D', valid: ['1', '45', '366'], invalid: ['0', '367', '1000'] },
  {
    pattern: "YYYY-'W'ww-e",
    valid: ['2024-W05-3', '2020-W53-1'],
    invalid: ['2024-W54-1', '2024-W05-8', '2024-W05-0', '2024-W5-3'],
  },
  {
    pattern: 'yyyy-MM-dd YYYY ww e',
    valid: ['2024-12-30 2025 01 1', '2021-01-01 2020 53 5', '2024-01-31 2024 05 3'],
    invalid: ['2024-12-30 2024 01 1', '2024-01-31 2024 06 3', '2024-01-31 2024 05 4'],
  },
  { pattern: 'yyyy QQQ', valid: ['2024 Q3', '2024 q1'], invalid: ['2024 Q5', '2024 Q0'] },
  { pattern: 'QQQQ', valid: ['3rd quarter', '1st quarter'], invalid: ['3th quarter'] },
  {
    pattern: 'yyyy-MM-dd Q',
    valid: ['2024-05-01 2', '2024-12-31 4'],
    invalid: ['2024-05-01 3', '2024-05-01 5'],
  },
  {
    pattern: 'yyyy-MM-dd W F',
    valid: ['2024-09-01 0 1', '2024-01-31 5 5'],
    invalid: ['2024-09-01 1 1', '2024-01-31 5 4'],
  },
  { pattern: 'MMMMM', valid: ['J', 'D'], invalid: ['X', 'Ja'] },
  { pattern: 'yyyy-MM-dd MMMMM', valid: ['2024-06-01 J', '2024-01-01 J'], invalid: ['2024-02-01 J'] },
  {
    pattern: 'HH:mm:ss.n',
    valid: ['10:00:00.5', '10:00:00.123456789'],
    invalid: ['10:00:00.1234567890', '10:00:00.'],
  },
  { pattern: 'A', valid: ['0', '86399999'], invalid: ['86400000', '-1'] },
  { pattern: 'N', valid: ['0', '86399999999999'], invalid: ['86400000000000'] },
  { pattern: "'at' HH 'o''clock'", valid: ["at 10 o'clock"], invalid: ['at 10 oclock', "At 10 o'clock"] },
  { pattern: 'yyyyMMddHHmmss', valid: ['20240131134510'], invalid: ['2024013113451', '20240131246000'] },
  { pattern: 'MM MMM', valid: ['02 Feb'], invalid: ['01 Feb'] },
  { pattern: 'HH hh a', valid: ['13 01 PM', '00 12 AM'], invalid: ['13 02 PM', '13 01 AM'] },
  { pattern: 'HH k', valid: ['00 24', '13 13'], invalid: ['00 12'] },
  { pattern: '', valid: [''], invalid: [' ', 'x'] },
];

describe('matchesJavaPattern', () => {
  for (const { pattern, valid, invalid } of CASES) {
    describe(`'${pattern}'`, () => {
      it.each(valid)('accepts %j', (value) => {
        expect(matchesJavaPattern(pattern, value)).toEqual({ ok: true });
      });
      it.each(invalid)('rejects %j', (value) => {
        const result = matchesJavaPattern(pattern, value);
        expect(result.ok).toBe(false);
        if (!result.ok)
          expect(result.reason.startsWith(`'${value}' does not match '${pattern}': `)).toBe(true);
      });
    });
  }

  it('explains range problems', () => {
    expect(reasonOf('yyyy-MM-dd', '2023-13-01')).toBe(
      "'2023-13-01' does not match 'yyyy-MM-dd': month 13 is out of range (1-12)",
    );
    expect(reasonOf('yyyy-MM-dd', '2023-00-01')).toContain('month 0 is out of range (1-12)');
    expect(reasonOf('yyyy-MM-dd', '2023-01-32')).toContain('day 32 is out of range (1-31)');
    expect(reasonOf('yyyy-MM-dd', '2023-04-31')).toContain('day 31 is out of range for April (1-30)');
    expect(reasonOf('yyyy-MM-dd', '2023-02-29')).toContain(
      'day 29 is out of range for February 2023 (2023 is not a leap year)',
    );
    expect(reasonOf('yyyy-MM-dd', '2023-02-30')).toContain('day 30 is out of range for February 2023 (1-28)');
    expect(reasonOf('MM-dd', '02-30')).toContain('day 30 is out of range for February (1-29)');
    expect(reasonOf('yyyy-MM-dd', '0000-01-01')).toContain('year 0 is out of range');
    expect(reasonOf('HH:mm:ss', '24:00:00')).toContain('hour 24 is out of range (0-23)');
    expect(reasonOf('HH:mm:ss', '12:60:00')).toContain('minute 60 is out of range (0-59)');
    expect(reasonOf('HH:mm:ss', '12:00:60')).toContain('second 60 is out of range (0-59)');
    expect(reasonOf('hh:mm', '13:00')).toContain('hour 13 is out of range (1-12)');
    expect(reasonOf('kk:mm', '00:00')).toContain('hour 0 is out of range (1-24)');
    expect(reasonOf('KK:mm', '12:00')).toContain('hour 12 is out of range (0-11)');
    expect(reasonOf('yyyy-DDD', '2023-366')).toContain(
      'day of year 366 is out of range for 2023 (not a leap year)',
    );
    expect(reasonOf('XXX', '+19:00')).toContain("offset '+19:00' is out of range");
    expect(reasonOf('VV', 'Mars/Olympus')).toContain("unknown time-zone id 'Mars/Olympus'");
  });

  it('explains conflicts between fields', () => {
    expect(reasonOf('EEE, d MMM yyyy', 'Mon, 31 Jan 2024')).toContain(
      'day of week Monday does not agree with 2024-01-31 (which has day of week Wednesday)',
    );
    expect(reasonOf('HH:mm a', '13:00 AM')).toContain('hour 13 conflicts with AM');
    expect(reasonOf('MM MMM', '01 Feb')).toContain(
      "month is given twice with different values ('01' and 'Feb')",
    );
    expect(reasonOf('yyyy-MM-dd ww', '2024-01-31 06')).toContain(
      'week of year 6 does not agree with 2024-01-31',
    );
  });

  it('explains shape problems with the index where parsing stopped', () => {
    expect(reasonOf('yyyy-MM-dd', '2024-1-01')).toBe(
      "'2024-1-01' does not match 'yyyy-MM-dd': expected 2-digit month (MM) at index 5 but found '1-01'",
    );
    expect(reasonOf('yyyy-MM-dd', '2024-01-3x')).toContain(
      "expected 2-digit day (dd) at index 8 but found '3x'",
    );
    expect(reasonOf('yyyy-MM-dd', '2024/01/31')).toContain("expected '-' at index 4 but found '/01/31'");
    expect(reasonOf('yyyy-MM-dd', '2024-01')).toContain(
      "expected '-' at index 7 but found the end of the value",
    );
    expect(reasonOf('yyyy-MM-dd', '2024-01-31Z')).toContain("unexpected text 'Z' at index 10");
    expect(reasonOf('dd MMM', '01 Foo')).toContain(
      "expected month name (MMM) like 'Jan', 'Feb' at index 3 but found 'Foo'",
    );
    expect(reasonOf('EEEE', 'Mon')).toContain('expected day name (EEEE)');
    expect(reasonOf('XXX', '+0100')).toContain("expected offset (XXX) like 'Z' or '+01:00' at index 0");
    expect(reasonOf('HH:mm:ss.SSS', '10:00:00.12')).toContain(
      'expected 3-digit fraction of second (SSS) at index 9',
    );
    expect(reasonOf('yyyy-MM-dd', 'a very long value indeed')).toContain("but found 'a very long …'");
  });

  it('reports invalid patterns instead of throwing', () => {
    expect(matchesJavaPattern('yyyy-bb', '2024-01')).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^invalid date\/time pattern 'yyyy-bb': unknown pattern letter 'b' at position 5/,
      ),
    });
  });

  it('accepts a compiled pattern', () => {
    const compiled = compileJavaPattern(DEFAULT_DATE_FORMAT);
    if ('error' in compiled) throw new Error(compiled.error);
    expect(matchesJavaPattern(compiled, '2024-02-29')).toEqual({ ok: true });
    expect(reasonOf(DEFAULT_DATE_FORMAT, '2024-02-30')).toContain(`does not match '${DEFAULT_DATE_FORMAT}'`);
  });

  it('stays fast on long numeric runs and pathological patterns', () => {
    const started = Date.now();
    expect(matchesJavaPattern('yyyyyyyyyMdHmsyyyyMdHms', '1'.repeat(40)).ok).toBe(false);
    expect(matchesJavaPattern('y'.repeat(5) + 'M'.repeat(1) + 'd'.repeat(1), '9'.repeat(200)).ok).toBe(false);
    expect(matchesJavaPattern('[y][M][d][H][m][s][y][M][d][H][m][s]', '9'.repeat(30)).ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('leap years', () => {
  it.each([
    [2000, true],
    [2004, true],
    [2024, true],
    [1600, true],
    [1900, false],
    [2100, false],
    [2023, false],
    [2019, false],
    [1996, true],
  ])('February 29 of %i is valid: %s', (year, leap) => {
    expect(matchesJavaPattern('yyyy-MM-dd', `${year}-02-29`).ok).toBe(leap);
    expect(matchesJavaPattern('dd.MM.yyyy', `29.02.${year}`).ok).toBe(leap);
    expect(matchesJavaPattern('yyyy-DDD', `${year}-366`).ok).toBe(leap);
  });

  it('allows February 29 when the year is not part of the pattern', () => {
    expect(matchesJavaPattern('MM-dd', '02-29').ok).toBe(true);
    expect(matchesJavaPattern('MM-dd', '02-30').ok).toBe(false);
    expect(matchesJavaPattern('d MMMM', '29 February').ok).toBe(true);
  });

  it('agrees with Date on which year-month-day triples exist', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const date = new Date(0);
          date.setUTCFullYear(year, month - 1, day);
          const exists = date.getUTCDate() === day;
          const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          expect(matchesJavaPattern('yyyy-MM-dd', text).ok).toBe(exists);
        },
      ),
    );
  });

  it('accepts exactly the valid times', () => {
    fc.assert(
      fc.property(fc.nat(99), fc.nat(99), fc.nat(99), (h, m, s) => {
        const text = [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
        expect(matchesJavaPattern('HH:mm:ss', text).ok).toBe(h < 24 && m < 60 && s < 60);
      }),
    );
  });
});
