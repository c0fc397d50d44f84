/**
 * Formats dates with Java date/time patterns, as java.time's `DateTimeFormatter` would for an
 * `OffsetDateTime` in English. `Date` only has milliseconds, so finer fractions are zero-filled.
 */
import { type DateParts, dateParts, mod } from './calendar.js';
import { AM_PM, dayTexts, eraTexts, monthTexts, quarterTexts, textOf, textWidth } from './names.js';
import { type CompiledPattern, compileOrThrow, type FieldToken } from './pattern.js';
import { formatGmtOffset, formatOffset, OFFSET_STYLES } from './zone.js';

/** The fields of one instant as seen at one offset. */
interface Moment {
  readonly date: DateParts;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millis: number;
  readonly offsetMinutes: number;
}

const ISO_DATE = compileOrThrow('uuuu-MM-dd');
const ISO_TIME = compileOrThrow('HH:mm:ss');
const ISO_DATE_TIME = compileOrThrow("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");

/**
 * Formats `date` with a Java date/time pattern, rendering it at `offsetMinutes` from UTC
 * (default 0, in which case `X` prints `Z` and `z` prints `UTC`).
 * Throws an `Error` for an invalid pattern and a `RangeError` for an invalid date or offset.
 *
 * @example
 * formatJavaPattern("yyyy-MM-dd'T'HH:mm:ssXXX", new Date('2024-01-31T13:45:10Z'));       // '2024-01-31T13:45:10Z'
 * formatJavaPattern('EEE, d MMM yyyy h:mm a', new Date('2024-01-31T13:45:10Z'), 60);    // 'Wed, 31 Jan 2024 2:45 PM'
 */
export function formatJavaPattern(pattern: string | CompiledPattern, date: Date, offsetMinutes = 0): string {
  const compiled = compileOrThrow(pattern);
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError('cannot format an invalid Date');
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) > 18 * 60) {
    throw new RangeError(
      `offset must be a whole number of minutes between -1080 and 1080, got ${offsetMinutes}`,
    );
  }

  // Shifting the instant by the offset lets the UTC getters return the local fields.
  const local = new Date(time + offsetMinutes * 60_000);
  const moment: Moment = {
    date: dateParts(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate()),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    millis: local.getUTCMilliseconds(),
    offsetMinutes,
  };
  let out = '';
  for (const token of compiled.tokens) {
    // Optional sections are always printed: every field is available from a Date.
    if (token.kind === 'literal') out += token.text;
    else if (token.kind === 'field') out += formatField(token, moment);
  }
  return out;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * Years as java.time prints them: `yy` is the last two digits; from `yyyy` on, a year wider than the
 * pattern gets a `+` sign; negative years always get a `-`.
 */
function formatYear(year: number, count: number): string {
  if (count === 2) return pad(mod(year, 100), 2);
  const digits = pad(Math.abs(year), count);
  if (year < 0) return `-${digits}`;
  return count >= 4 && digits.length > count ? `+${digits}` : digits;
}

function formatField(token: FieldToken, m: Moment): string {
  const { letter, count } = token;
  const { date } = m;
  const millisOfDay = ((m.hour * 60 + m.minute) * 60 + m.second) * 1000 + m.millis;
  switch (letter) {
    case 'G':
      return textOf(eraTexts(textWidth(count)), date.year > 0 ? 1 : 0);
    case 'y':
      // Year of era: 1 BC is year 0 in the proleptic calendar.
      return formatYear(date.year > 0 ? date.year : 1 - date.year, count);
    case 'u':
      return formatYear(date.year, count);
    case 'Y':
      return formatYear(date.weekBasedYear, count);
    case 'M':
    case 'L':
      return count <= 2 ? pad(date.month, count) : textOf(monthTexts(textWidth(count)), date.month);
    case 'd':
      return pad(date.day, count);
    case 'D':
      return pad(date.dayOfYear, count);
    case 'E':
      return textOf(dayTexts(textWidth(count)), date.dayOfWeek);
    case 'e':
      return count <= 2 ? pad(date.dayOfWeek, count) : textOf(dayTexts(textWidth(count)), date.dayOfWeek);
    case 'a':
      return textOf(AM_PM, m.hour < 12 ? 0 : 1);
    case 'H':
      return pad(m.hour, count);
    case 'k':
      return pad(m.hour === 0 ? 24 : m.hour, count);
    case 'h':
      return pad(m.hour % 12 === 0 ? 12 : m.hour % 12, count);
    case 'K':
      return pad(m.hour % 12, count);
    case 'm':
      return pad(m.minute, count);
    case 's':
      return pad(m.second, count);
    case 'S':
      return (pad(m.millis, 3) + '000000').slice(0, count);
    case 'n':
      return pad(m.millis * 1_000_000, count);
    case 'A':
      return pad(millisOfDay, count);
    case 'N':
      return pad(millisOfDay * 1_000_000, count);
    case 'Q':
    case 'q':
      if (count === 3 || count === 4) return textOf(quarterTexts(count), date.quarter);
      return pad(date.quarter, count === 2 ? 2 : 1);
    case 'w':
      return pad(date.weekOfWeekBasedYear, count);
    case 'W':
      return String(date.weekOfMonth);
    case 'F':
      return String(date.alignedWeekOfMonth);
    case 'X':
      return m.offsetMinutes === 0 ? 'Z' : formatOffset(m.offsetMinutes, OFFSET_STYLES[count - 1]!);
    case 'x':
      return formatOffset(m.offsetMinutes, OFFSET_STYLES[count - 1]!);
    case 'Z':
      if (count <= 3) return formatOffset(m.offsetMinutes, OFFSET_STYLES[1]!);
      if (count === 4) return formatGmtOffset(m.offsetMinutes, false);
      return m.offsetMinutes === 0 ? 'Z' : formatOffset(m.offsetMinutes, OFFSET_STYLES[2]!);
    case 'O':
      return formatGmtOffset(m.offsetMinutes, count === 1);
    case 'V':
      return m.offsetMinutes === 0 ? 'UTC' : formatOffset(m.offsetMinutes, OFFSET_STYLES[2]!);
    case 'z':
      if (m.offsetMinutes !== 0) return formatGmtOffset(m.offsetMinutes, false);
      return count === 4 ? 'Coordinated Universal Time' : 'UTC';
  }
}

/**
 * ISO-8601 date (`uuuu-MM-dd`), used by the `Date` generator when no format is given.
 *
 * @example
 * isoDate(new Date('2024-01-31T13:45:10.123Z'));  // '2024-01-31'
 */
export function isoDate(date: Date, offsetMinutes = 0): string {
  return formatJavaPattern(ISO_DATE, date, offsetMinutes);
}

/**
 * ISO-8601 time (`HH:mm:ss`), used by the `Time` generator when no format is given.
 *
 * @example
 * isoTime(new Date('2024-01-31T13:45:10.123Z'));  // '13:45:10'
 */
export function isoTime(date: Date, offsetMinutes = 0): string {
  return formatJavaPattern(ISO_TIME, date, offsetMinutes);
}

/**
 * ISO-8601 date-time with milliseconds and offset, used by the `DateTime` generator when no format is given.
 *
 * @example
 * isoDateTime(new Date('2024-01-31T13:45:10.123Z'));  // '2024-01-31T13:45:10.123+00:00'
 */
export function isoDateTime(date: Date, offsetMinutes = 0): string {
  return formatJavaPattern(ISO_DATE_TIME, date, offsetMinutes);
}
