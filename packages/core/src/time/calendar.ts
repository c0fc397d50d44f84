/**
 * Proleptic Gregorian calendar helpers shared by parsing, formatting and expressions.
 * Week-based fields follow ISO-8601 rules (weeks start on Monday, week 1 has at least 4 days),
 * i.e. java.time's `WeekFields.ISO`, so results do not depend on a locale.
 */

export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** Index 0 is Monday, matching ISO day-of-week numbers minus one. */
export const DAY_NAMES = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;

export const MS_PER_DAY = 86_400_000;

/** Years that `Date` can represent (it covers ±100,000,000 days around 1970). */
const MIN_DATE_YEAR = -271_820;
const MAX_DATE_YEAR = 275_759;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in `month` (1-12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function isDateYear(year: number): boolean {
  return year >= MIN_DATE_YEAR && year <= MAX_DATE_YEAR;
}

/** Days since 1970-01-01; unlike `Date.UTC` this does not map years 0-99 to 1900-1999. */
export function epochDay(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / MS_PER_DAY);
}

/**
 * ISO day of week (1 = Monday … 7 = Sunday) of a valid proleptic Gregorian date, by arithmetic.
 * Gives the same answer as `dateParts(…).dayOfWeek` without creating `Date`s, for the matching
 * fast path. The day count is Howard Hinnant's `days_from_civil`, which works in 400-year cycles
 * from a year that starts on March 1 (so the leap day is the last day of its year).
 */
export function isoDayOfWeek(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const cycle = Math.floor(y / 400);
  const yearOfCycle = y - cycle * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfCycle =
    yearOfCycle * 365 + Math.floor(yearOfCycle / 4) - Math.floor(yearOfCycle / 100) + dayOfYear;
  const days = cycle * 146_097 + dayOfCycle - 719_468;
  // 1970-01-01 was a Thursday (ISO 4).
  return mod(days + 3, 7) + 1;
}

export interface YearMonthDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export function fromEpochDay(days: number): YearMonthDay {
  const date = new Date(days * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** Every date-derived field a pattern can mention, as java.time numbers them. */
export interface DateParts extends YearMonthDay {
  /** 1 = Monday … 7 = Sunday. */
  readonly dayOfWeek: number;
  readonly dayOfYear: number;
  readonly quarter: number;
  readonly weekBasedYear: number;
  readonly weekOfWeekBasedYear: number;
  /** ISO week of month (0-5): week 1 is the first week with at least 4 days in the month. */
  readonly weekOfMonth: number;
  /** Aligned week of month (1-5): days 1-7 are week 1, 8-14 week 2, … (pattern letter F). */
  readonly alignedWeekOfMonth: number;
}

export function dateParts(year: number, month: number, day: number): DateParts {
  const days = epochDay(year, month, day);
  // 1970-01-01 was a Thursday (ISO 4).
  const dayOfWeek = mod(days + 3, 7) + 1;
  const dayOfYear = days - epochDay(year, 1, 1) + 1;

  // The ISO week belongs to the year that holds its Thursday.
  const thursday = fromEpochDay(days + 4 - dayOfWeek);
  const weekOfWeekBasedYear = Math.floor((days + 4 - dayOfWeek - epochDay(thursday.year, 1, 1)) / 7) + 1;

  // Offset of the first Monday-started week of the month, as java.time's WeekFields computes it.
  const weekStart = mod(day - dayOfWeek, 7);
  const offset = weekStart + 1 > 4 ? 7 - weekStart : -weekStart;
  const weekOfMonth = Math.floor((7 + offset + day - 1) / 7);

  return {
    year,
    month,
    day,
    dayOfWeek,
    dayOfYear,
    quarter: Math.floor((month - 1) / 3) + 1,
    weekBasedYear: thursday.year,
    weekOfWeekBasedYear,
    weekOfMonth,
    alignedWeekOfMonth: Math.floor((day - 1) / 7) + 1,
  };
}

export function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
