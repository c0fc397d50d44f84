/**
 * The fields a date/time pattern can set, with their valid ranges; shared by the full parser
 * (parse.ts) and its fast path (fast.ts).
 */

export type FieldName =
  | 'era'
  | 'yearOfEra'
  | 'year'
  | 'weekBasedYear'
  | 'month'
  | 'dayOfMonth'
  | 'dayOfYear'
  | 'dayOfWeek'
  | 'quarter'
  | 'weekOfWeekBasedYear'
  | 'weekOfMonth'
  | 'alignedWeekOfMonth'
  | 'amPm'
  | 'hourOfDay'
  | 'clockHourOfDay'
  | 'clockHourOfAmPm'
  | 'hourOfAmPm'
  | 'minute'
  | 'second'
  | 'nanoOfSecond'
  | 'milliOfDay'
  | 'nanoOfDay'
  | 'offsetSeconds';

/** Valid range and the name used in messages, per field. */
export const FIELDS: Record<FieldName, { label: string; min: number; max: number }> = {
  era: { label: 'era', min: 0, max: 1 },
  yearOfEra: { label: 'year', min: 1, max: 999_999_999 },
  year: { label: 'year', min: -999_999_999, max: 999_999_999 },
  weekBasedYear: { label: 'week-based year', min: -999_999_999, max: 999_999_999 },
  month: { label: 'month', min: 1, max: 12 },
  dayOfMonth: { label: 'day', min: 1, max: 31 },
  dayOfYear: { label: 'day of year', min: 1, max: 366 },
  dayOfWeek: { label: 'day of week', min: 1, max: 7 },
  quarter: { label: 'quarter', min: 1, max: 4 },
  weekOfWeekBasedYear: { label: 'week of year', min: 1, max: 53 },
  weekOfMonth: { label: 'week of month', min: 0, max: 6 },
  alignedWeekOfMonth: { label: 'aligned week of month', min: 1, max: 5 },
  amPm: { label: 'AM/PM', min: 0, max: 1 },
  hourOfDay: { label: 'hour', min: 0, max: 23 },
  clockHourOfDay: { label: 'hour', min: 1, max: 24 },
  clockHourOfAmPm: { label: 'hour', min: 1, max: 12 },
  hourOfAmPm: { label: 'hour', min: 0, max: 11 },
  minute: { label: 'minute', min: 0, max: 59 },
  second: { label: 'second', min: 0, max: 59 },
  nanoOfSecond: { label: 'nano of second', min: 0, max: 999_999_999 },
  milliOfDay: { label: 'milli of day', min: 0, max: 86_399_999 },
  nanoOfDay: { label: 'nano of day', min: 0, max: 86_399_999_999_999 },
  offsetSeconds: { label: 'offset', min: -18 * 3600, max: 18 * 3600 },
};
