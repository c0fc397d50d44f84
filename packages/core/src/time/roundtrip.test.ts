import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DATE_FORMAT,
  DEFAULT_DATETIME_FORMAT,
  DEFAULT_TIME_FORMAT,
  formatJavaPattern,
  matchesJavaPattern,
} from './index.js';

/** Patterns whose year is a year-of-era without an era: only AD dates round-trip. */
const AD_PATTERNS = [
  DEFAULT_DATE_FORMAT,
  DEFAULT_TIME_FORMAT,
  DEFAULT_DATETIME_FORMAT,
  "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  "yyyy-MM-dd'T'HH:mm:ss.SSSxxx",
  "yyyy-MM-dd'T'HH:mm:ss.SSSSSSZ",
  'yyyyMMddHHmmss',
  'yyyyMMdd',
  'dd/MM/yy',
  'd/M/y H:m:s',
  'EEE, dd MMM yyyy HH:mm:ss zzz',
  'EEEE, MMMM d, yyyy h:mm a',
  'EEEEE MMMMM dd yyyy',
  'eee eeee e ee dd.MM.yyyy',
  'hh:mm:ss a',
  'KK:mm a',
  'kk:mm',
  'yyyy-DDD',
  "YYYY-'W'ww-e",
  'yyyy-MM-dd YYYY ww e W F',
  'yyyy-MM-dd QQQ QQQQ Q QQ q',
  'yyyy-MM-dd X XX XXX XXXX XXXXX',
  'yyyy-MM-dd x xx xxx xxxx xxxxx',
  'yyyy-MM-dd Z ZZZZ ZZZZZ',
  'yyyy-MM-dd O OOOO',
  'yyyy-MM-dd z zzzz',
  "yyyy-MM-dd'T'HH:mm:ss.SSSxxx'['VV']'",
  'HH:mm:ss.n nnnnnnnnn A N',
  "yyyy-MM-dd['T'HH:mm[:ss]]",
  "'Day' D 'of' yyyy, hh 'o''clock' a",
];

/** Patterns with an era or a proleptic year, which round-trip for BC dates too. */
const ANY_YEAR_PATTERNS = [
  'uuuu-MM-dd',
  "uuuu-MM-dd'T'HH:mm:ss.SSSXXX",
  'G yyyy-MM-dd',
  'GGGG y MMM d EEE',
  'yyyy-MM-dd G',
];

const offsets = fc.integer({ min: -18 * 60, max: 18 * 60 });
/** Years 1-9999 so that four-digit year patterns round-trip; 2000-2099 keeps `yy` unambiguous. */
const adDates = fc.date({
  min: new Date('0001-01-02T00:00:00Z'),
  max: new Date('9999-12-30T00:00:00Z'),
  noInvalidDate: true,
});
const anyDates = fc.date({
  min: new Date('-009999-01-02T00:00:00Z'),
  max: new Date('9999-12-30T00:00:00Z'),
  noInvalidDate: true,
});
const twentyFirstCentury = fc.date({
  min: new Date('2000-01-02T00:00:00Z'),
  max: new Date('2099-12-30T00:00:00Z'),
  noInvalidDate: true,
});

function expectRoundTrip(pattern: string, date: Date, offset: number): void {
  const text = formatJavaPattern(pattern, date, offset);
  expect(matchesJavaPattern(pattern, text), `${pattern} -> ${text}`).toEqual({ ok: true });
}

describe('format then match', () => {
  it.each(AD_PATTERNS)('round-trips %s for AD dates', (pattern) => {
    const dates = pattern.includes('yy') && !pattern.includes('yyyy') ? twentyFirstCentury : adDates;
    fc.assert(
      fc.property(dates, offsets, (date, offset) => expectRoundTrip(pattern, date, offset)),
      { numRuns: 200 },
    );
  });

  it.each(ANY_YEAR_PATTERNS)('round-trips %s for any year', (pattern) => {
    fc.assert(
      fc.property(anyDates, offsets, (date, offset) => expectRoundTrip(pattern, date, offset)),
      { numRuns: 200 },
    );
  });

  it('round-trips around leap days, year ends and DST-free offsets', () => {
    const instants = [
      '2024-02-29T23:59:59.999Z',
      '2023-02-28T00:00:00Z',
      '2000-02-29T12:00:00Z',
      '2020-12-31T23:00:00Z',
      '2021-01-01T00:00:00Z',
      '1999-12-31T23:59:59Z',
    ];
    for (const instant of instants) {
      for (const pattern of AD_PATTERNS) {
        for (const offset of [0, -720, 840]) expectRoundTrip(pattern, new Date(instant), offset);
      }
    }
  });

  it('rejects a formatted value once a field is corrupted', () => {
    fc.assert(
      fc.property(adDates, (date) => {
        const text = formatJavaPattern('yyyy-MM-dd', date);
        expect(matchesJavaPattern('yyyy-MM-dd', text.replace(/-(\d\d)-/, '-13-')).ok).toBe(false);
        expect(matchesJavaPattern('yyyy-MM-dd', text.replace(/-(\d\d)$/, '-32')).ok).toBe(false);
        expect(
          matchesJavaPattern('HH:mm:ss', formatJavaPattern('HH:mm:ss', date).replace(/^\d\d/, '24')).ok,
        ).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
