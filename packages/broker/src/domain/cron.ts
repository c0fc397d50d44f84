import { brokerError } from '../errors.js';

// The five-field cron format the reference image's PACT_BROKER_DATABASE_CLEAN_CRON_SCHEDULE takes
// (supercronic reads it there): minute, hour, day of month, month, day of week. Times are UTC.
// Parsed here rather than with a library: the format is small, and the broker (which users install)
// then carries no dependency for it and refuses a bad expression with its own coded error.

/** A parsed schedule. */
export interface CronSchedule {
  /** The expression as given. */
  expression: string;
  /** The first time after `after` (strictly) at which it fires, at a whole minute, UTC. */
  next(after: Date): Date;
}

interface Field {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  },
  // 7 is Sunday too, as in every cron
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MINUTE = 60_000;
/** Eight years hold every date a schedule can name (a 29 February included). */
const SEARCH_LIMIT = 8 * 366 * 24 * 60 * MINUTE;

function invalid(expression: string, why: string) {
  return brokerError(
    'COV_BROKER_CLEAN_CONFIG_INVALID',
    `PACT_BROKER_DATABASE_CLEAN_CRON_SCHEDULE '${expression}' is not a cron schedule: ${why}`,
    { variable: 'PACT_BROKER_DATABASE_CLEAN_CRON_SCHEDULE', value: expression },
  );
}

/** The values one field allows: `*`, `5`, `1-5`, `*\/15`, `10-50/10`, `mon-fri`, and lists of them. */
function parseField(text: string, field: Field, expression: string): Set<number> {
  const value = (part: string): number => {
    const named = field.names?.indexOf(part.toLowerCase()) ?? -1;
    if (named >= 0) return named + field.min;
    if (!/^\d+$/.test(part))
      throw invalid(
        expression,
        `'${part}' in the ${field.name} field is not a number${field.names ? ' or a name' : ''}`,
      );
    const number = Number(part);
    if (number < field.min || number > field.max)
      throw invalid(expression, `${number} is outside the ${field.name} field's ${field.min}-${field.max}`);
    return number;
  };
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range = '', stepText, extra] = item.split('/');
    if (extra !== undefined || range === '')
      throw invalid(expression, `'${item}' in the ${field.name} field is not a value, range or step`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0)
        throw invalid(
          expression,
          `the step '${stepText}' in the ${field.name} field is not a whole number above 0`,
        );
      step = Number(stepText);
    }
    let [low, high] = [field.min, field.max];
    if (range !== '*') {
      const bounds = range.split('-');
      if (bounds.length > 2)
        throw invalid(expression, `'${range}' in the ${field.name} field is not a range`);
      low = value(bounds[0] ?? '');
      // `5/15` means from 5 to the end, in steps of 15
      high = bounds[1] !== undefined ? value(bounds[1]) : stepText !== undefined ? field.max : low;
      if (high < low)
        throw invalid(expression, `the range '${range}' in the ${field.name} field runs backwards`);
    }
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return values;
}

/**
 * Parses a five-field cron expression (or a macro such as `@daily`); times are UTC.
 * Throws COV_BROKER_CLEAN_CONFIG_INVALID saying what is wrong.
 *
 * @example parseCron('15 2 * * *').next(new Date('2026-01-01T03:00:00Z')) // 2026-01-02T02:15:00Z
 */
export function parseCron(expression: string): CronSchedule {
  const trimmed = expression.trim();
  const text = MACROS[trimmed.toLowerCase()] ?? trimmed;
  const parts = text.split(/\s+/).filter(Boolean);
  if (parts.length !== 5)
    throw invalid(
      expression,
      `it has ${parts.length} field${parts.length === 1 ? '' : 's'}; give five (minute hour day-of-month month day-of-week), e.g. '15 2 * * *'`,
    );
  const [minutes, hours, days, months, weekdays] = parts.map((part, i) =>
    parseField(part, FIELDS[i]!, expression),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (weekdays.has(7)) weekdays.add(0);
  // as in every cron: when both day fields are restricted, a day matching either one fires
  const dayRestricted = !parts[2]!.startsWith('*');
  const weekdayRestricted = !parts[4]!.startsWith('*');
  const dayMatches = (t: Date) => {
    const byDay = days.has(t.getUTCDate());
    const byWeekday = weekdays.has(t.getUTCDay());
    return dayRestricted && weekdayRestricted ? byDay || byWeekday : byDay && byWeekday;
  };
  const next = (after: Date): Date | undefined => {
    const t = new Date(Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE);
    const end = t.getTime() + SEARCH_LIMIT;
    while (t.getTime() <= end) {
      if (!months.has(t.getUTCMonth() + 1)) {
        t.setUTCMonth(t.getUTCMonth() + 1, 1);
        t.setUTCHours(0, 0, 0, 0);
      } else if (!dayMatches(t)) {
        t.setUTCDate(t.getUTCDate() + 1);
        t.setUTCHours(0, 0, 0, 0);
      } else if (!hours.has(t.getUTCHours())) {
        t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      } else if (!minutes.has(t.getUTCMinutes())) {
        t.setTime(t.getTime() + MINUTE);
      } else {
        return t;
      }
    }
    return undefined;
  };
  if (next(new Date(Date.UTC(2000, 0, 1))) === undefined)
    throw invalid(expression, 'no date matches it (such as 30 February), so it would never run');
  return {
    expression: trimmed,
    // a schedule that matched within eight years from 2000 matches within eight from any date
    next: (after) => next(after) as Date,
  };
}
