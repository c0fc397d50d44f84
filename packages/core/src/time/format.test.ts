import { describe, expect, it } from 'vitest';
import {
  compileJavaPattern,
  DEFAULT_DATE_FORMAT,
  DEFAULT_DATETIME_FORMAT,
  DEFAULT_TIME_FORMAT,
  formatJavaPattern,
  isoDate,
  isoDateTime,
  isoTime,
} from './index.js';

/** Wednesday 31 January 2024, 13:45:10.123 UTC. */
const DATE = new Date('2024-01-31T13:45:10.123Z');

/** A Date for any proleptic year, including 0-99 and negative years. */
function utc(year: number, month: number, day: number, h = 0, m = 0, s = 0, ms = 0): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(h, m, s, ms);
  return date;
}

describe('formatJavaPattern', () => {
  it.each([
    ['yyyy-MM-dd', '2024-01-31'],
    ["yyyy-MM-dd'T'HH:mm:ss", '2024-01-31T13:45:10'],
    [DEFAULT_DATETIME_FORMAT, '2024-01-31T13:45:10Z'],
    ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", '2024-01-31T13:45:10.123Z'],
    ['G GGGG GGGGG', 'AD Anno Domini A'],
    ['y yy yyy yyyy yyyyy', '2024 24 2024 2024 02024'],
    ['u uu uuuu', '2024 24 2024'],
    ['M MM MMM MMMM MMMMM', '1 01 Jan January J'],
    ['L LL LLL LLLL LLLLL', '1 01 Jan January J'],
    ['d dd D DD DDD', '31 31 31 31 031'],
    ['E EE EEE EEEE EEEEE', 'Wed Wed Wed Wednesday W'],
    ['e ee eee eeee eeeee', '3 03 Wed Wednesday W'],
    ['a h hh H HH k kk K KK', 'PM 1 01 13 13 13 13 1 01'],
    ['m mm s ss', '45 45 10 10'],
    ['S SS SSS SSSS SSSSSS SSSSSSSSS', '1 12 123 1230 123000 123000000'],
    ['n nnnnnnnnn', '123000000 123000000'],
    ['A N', '49510123 49510123000000'],
    ['Q QQ QQQ QQQQ QQQQQ q', '1 01 Q1 1st quarter 1 1'],
    ['Y YY YYYY w ww W F', '2024 24 2024 5 05 5 5'],
    ['X XX XXX XXXX XXXXX', 'Z Z Z Z Z'],
    ['x xx xxx xxxx xxxxx', '+00 +0000 +00:00 +0000 +00:00'],
    ['Z ZZ ZZZ ZZZZ ZZZZZ', '+0000 +0000 +0000 GMT Z'],
    ['O OOOO', 'GMT GMT'],
    ['z zzz zzzz', 'UTC UTC Coordinated Universal Time'],
    ['VV', 'UTC'],
    ["'T' '' 'o''clock' yyyy", "T ' o'clock 2024"],
    ['HH:mm[:ss[.SSS]]', '13:45:10.123'],
    ['EEE, dd MMM yyyy HH:mm:ss zzz', 'Wed, 31 Jan 2024 13:45:10 UTC'],
    ['', ''],
  ])("formats '%s' as '%s'", (pattern, expected) => {
    expect(formatJavaPattern(pattern, DATE)).toBe(expected);
  });

  it.each([
    [330, 'yyyy-MM-dd HH:mm', '2024-01-31 19:15'],
    [330, 'X XX XXX XXXXX', '+0530 +0530 +05:30 +05:30'],
    [330, 'x xx xxx', '+0530 +0530 +05:30'],
    [330, 'Z ZZZZ ZZZZZ', '+0530 GMT+05:30 +05:30'],
    [330, 'O OOOO', 'GMT+5:30 GMT+05:30'],
    [330, 'z zzzz VV', 'GMT+05:30 GMT+05:30 +05:30'],
    [60, 'X XXX x', '+01 +01:00 +01'],
    [60, 'O', 'GMT+1'],
    [-480, "yyyy-MM-dd'T'HH:mm:ssXXX", '2024-01-31T05:45:10-08:00'],
    [-480, 'X Z O', '-08 -0800 GMT-8'],
    [600, 'yyyy-MM-dd HH:mm EEE', '2024-01-31 23:45 Wed'],
    [660, 'yyyy-MM-dd HH:mm EEE', '2024-02-01 00:45 Thu'],
    [-840, 'yyyy-MM-dd HH:mm', '2024-01-30 23:45'],
    [1080, 'XXX', '+18:00'],
  ])('formats with offset %i: %s', (offset, pattern, expected) => {
    expect(formatJavaPattern(pattern, DATE, offset)).toBe(expected);
  });

  it('prints the hour fields around midnight and noon', () => {
    const pattern = 'a h hh H k K';
    expect(formatJavaPattern(pattern, utc(2024, 1, 1, 0, 30))).toBe('AM 12 12 0 24 0');
    expect(formatJavaPattern(pattern, utc(2024, 1, 1, 11, 59))).toBe('AM 11 11 11 11 11');
    expect(formatJavaPattern(pattern, utc(2024, 1, 1, 12, 0))).toBe('PM 12 12 12 12 0');
    expect(formatJavaPattern(pattern, utc(2024, 1, 1, 23, 0))).toBe('PM 11 11 23 23 11');
  });

  it('prints years like java.time', () => {
    expect(formatJavaPattern('y yy yyyy u uuuu', utc(5, 3, 1))).toBe('5 05 0005 5 0005');
    expect(formatJavaPattern('yyyy-MM-dd', utc(10000, 1, 1))).toBe('+10000-01-01');
    expect(formatJavaPattern('yyyyy', utc(10000, 1, 1))).toBe('10000');
    // Year 0 is 1 BC; year -43 is 44 BC.
    expect(formatJavaPattern('G y yyyy u uuuu', utc(0, 6, 1))).toBe('BC 1 0001 0 0000');
    expect(formatJavaPattern('GGGG yyyy uuuu', utc(-43, 3, 15))).toBe('Before Christ 0044 -0043');
    expect(formatJavaPattern('yy uu', utc(1999, 1, 1))).toBe('99 99');
  });

  it('prints ISO week fields (Monday first, 4-day first week)', () => {
    expect(formatJavaPattern("YYYY-'W'ww-e", utc(2021, 1, 1))).toBe('2020-W53-5');
    expect(formatJavaPattern("YYYY-'W'ww-e", utc(2024, 12, 30))).toBe('2025-W01-1');
    expect(formatJavaPattern("YYYY-'W'ww-e", utc(2024, 1, 1))).toBe('2024-W01-1');
    expect(formatJavaPattern("YYYY-'W'ww-e", utc(2027, 1, 3))).toBe('2026-W53-7');
    expect(formatJavaPattern("YYYY-'W'ww-e", utc(2008, 12, 29))).toBe('2009-W01-1');
    // 1 Sep 2024 is a Sunday: its week mostly lies in August, so it is week 0 of September.
    expect(formatJavaPattern('W F', utc(2024, 9, 1))).toBe('0 1');
    expect(formatJavaPattern('W F', utc(2024, 9, 2))).toBe('1 1');
    expect(formatJavaPattern('W F', utc(2024, 9, 8))).toBe('1 2');
    expect(formatJavaPattern('D Q', utc(2024, 12, 31))).toBe('366 4');
    expect(formatJavaPattern('D Q', utc(2023, 12, 31))).toBe('365 4');
  });

  it('numbers days of the week like ISO (Monday = 1)', () => {
    for (let day = 1; day <= 14; day++) {
      const date = utc(2024, 7, day);
      expect(Number(formatJavaPattern('e', date))).toBe(((date.getUTCDay() + 6) % 7) + 1);
    }
  });

  it('matches toISOString for a UTC pattern', () => {
    for (const date of [
      DATE,
      utc(1, 1, 1),
      utc(1970, 1, 1),
      utc(9999, 12, 31, 23, 59, 59, 999),
      new Date(1e12),
    ]) {
      expect(formatJavaPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", date)).toBe(date.toISOString());
    }
  });

  it('accepts a compiled pattern', () => {
    const compiled = compileJavaPattern('dd/MM/yyyy');
    if ('error' in compiled) throw new Error(compiled.error);
    expect(formatJavaPattern(compiled, DATE)).toBe('31/01/2024');
  });

  it('throws on invalid input', () => {
    expect(() => formatJavaPattern('yyyy-bb', DATE)).toThrow(
      /invalid date\/time pattern 'yyyy-bb': unknown pattern letter 'b'/,
    );
    expect(() => formatJavaPattern('yyyy', new Date(Number.NaN))).toThrow(RangeError);
    expect(() => formatJavaPattern('yyyy', DATE, 1.5)).toThrow(RangeError);
    expect(() => formatJavaPattern('yyyy', DATE, 19 * 60)).toThrow(RangeError);
  });
});

describe('defaults and ISO helpers', () => {
  it('exports the Pact default patterns', () => {
    expect(DEFAULT_DATE_FORMAT).toBe('yyyy-MM-dd');
    expect(DEFAULT_TIME_FORMAT).toBe('HH:mm:ss');
    expect(DEFAULT_DATETIME_FORMAT).toBe("yyyy-MM-dd'T'HH:mm:ssXXX");
    expect(formatJavaPattern(DEFAULT_DATE_FORMAT, DATE)).toBe('2024-01-31');
    expect(formatJavaPattern(DEFAULT_TIME_FORMAT, DATE)).toBe('13:45:10');
  });

  it('formats ISO dates and times', () => {
    expect(isoDate(DATE)).toBe('2024-01-31');
    expect(isoTime(DATE)).toBe('13:45:10');
    expect(isoDateTime(DATE)).toBe('2024-01-31T13:45:10.123+00:00');
    expect(isoDateTime(DATE, 120)).toBe('2024-01-31T15:45:10.123+02:00');
    expect(isoDate(DATE, 660)).toBe('2024-02-01');
    expect(isoTime(utc(2024, 1, 1, 0, 0, 0, 999))).toBe('00:00:00');
    expect(isoDateTime(utc(2024, 1, 1))).toBe('2024-01-01T00:00:00.000+00:00');
  });

  it('produces date-times that match the ISO regex and parse back to the same instant', () => {
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,9}[+-]\d{2}:\d{2}$/;
    for (const ms of [0, 1, 999, 1e12, 1706708710123, 253402214400000]) {
      for (const offset of [0, 60, -300, 345, 840]) {
        const text = isoDateTime(new Date(ms), offset);
        expect(text).toMatch(iso);
        expect(new Date(text).getTime()).toBe(ms);
      }
    }
  });
});
