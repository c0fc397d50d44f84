/**
 * Pact date/time expressions (as in pact-jvm and pact-reference), used by the `Date`, `Time` and
 * `DateTime` generators to produce values relative to "now":
 *
 *   datetime: [date clause] ['@' time clause]       e.g. `tomorrow + 1 week @ noon`
 *   date:     [date clause]                         e.g. `today - 2 days`, `next monday`
 *   time:     time clause | [date clause] '@' time clause
 *
 *   date clause: [now | today | yesterday | tomorrow] adjustment*
 *   time clause: [now | midnight | noon | N o'clock [am|pm] | N am|pm] adjustment*
 *   adjustment:  (+|-) N unit  |  (next|last) (unit | weekday | month name)
 *   unit:        year, month, fortnight, week, day, hour, minute, second, millisecond (singular or plural)
 *
 * All arithmetic is in UTC. Keywords are case-insensitive.
 */
import { daysInMonth, MONTH_NAMES, MS_PER_DAY, mod } from './calendar.js';

export type ExpressionKind = 'date' | 'time' | 'datetime';

type Unit = 'year' | 'month' | 'fortnight' | 'week' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond';

const UNITS: readonly Unit[] = [
  'year',
  'month',
  'fortnight',
  'week',
  'day',
  'hour',
  'minute',
  'second',
  'millisecond',
];

const FIXED_UNIT_MS: Partial<Record<Unit, number>> = {
  fortnight: 14 * MS_PER_DAY,
  week: 7 * MS_PER_DAY,
  day: MS_PER_DAY,
  hour: 3_600_000,
  minute: 60_000,
  second: 1000,
  millisecond: 1,
};

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const MONTHS = MONTH_NAMES.map((name) => name.toLowerCase());

const TIME_BASES = ['now', 'midnight', 'noon'];
const MAX_TIME = 8.64e15;
const NOON_MS = 12 * 3_600_000;

interface Lexeme {
  readonly kind: 'number' | 'word' | '+' | '-' | '@' | 'end';
  /** Lower-cased for words. */
  readonly text: string;
  readonly index: number;
}

/** A step of the evaluation: takes the instant so far (epoch ms) and returns the next one. */
type Step = (ms: number) => number;

class ExpressionError extends Error {}

/**
 * Evaluates a Pact date/time expression against `base`, in UTC.
 * `today` keeps the base's time of day (as pact-jvm does); `N o'clock` without am/pm means the hour N
 * in the other half of the day from the current time (so `1 o'clock` at 10:00 is 13:00, as in
 * pact-jvm); `12 am` is midnight and `12 pm` is noon.
 *
 * @example
 * const base = new Date('2024-01-31T10:00:00Z');
 * evaluateDateExpression('today + 1 month', base, 'date');          // 2024-02-29T10:00:00Z (day clamped)
 * evaluateDateExpression('tomorrow @ 3 pm', base, 'datetime');      // 2024-02-01T15:00:00Z
 * evaluateDateExpression('now @ 10 o\'clock pm + 2 hours', base, 'datetime'); // 2024-02-01T00:00:00Z
 * evaluateDateExpression('today + 1 fish', base, 'date');           // { error: "... expected a unit ... but found 'fish'" }
 */
export function evaluateDateExpression(
  expression: string,
  base: Date,
  kind: ExpressionKind,
): Date | { error: string } {
  const start = base.getTime();
  if (Number.isNaN(start)) return { error: 'cannot evaluate a date expression against an invalid base Date' };
  try {
    const steps = new ExpressionParser(expression, kind).parse();
    const result = steps.reduce((ms, step) => step(ms), start);
    if (!(Math.abs(result) <= MAX_TIME)) {
      return { error: `${kind} expression '${expression}' gives a date outside the supported range` };
    }
    return new Date(result);
  } catch (e) {
    if (e instanceof ExpressionError) return { error: e.message };
    throw e;
  }
}

function lex(expression: string, fail: (message: string) => never): Lexeme[] {
  const lexemes: Lexeme[] = [];
  let i = 0;
  while (i < expression.length) {
    const ch = expression[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (/\d/.test(ch)) {
      const text = /\d+/y;
      text.lastIndex = i;
      const digits = text.exec(expression)![0];
      lexemes.push({ kind: 'number', text: digits, index: i });
      i += digits.length;
    } else if (/[A-Za-z]/.test(ch)) {
      // Apostrophes belong to words so that o'clock is one word.
      const text = /[A-Za-z][A-Za-z'’]*/y;
      text.lastIndex = i;
      const word = text.exec(expression)![0];
      lexemes.push({ kind: 'word', text: word.toLowerCase().replace('’', "'"), index: i });
      i += word.length;
    } else if (ch === '+' || ch === '-' || ch === '@') {
      lexemes.push({ kind: ch, text: ch, index: i });
      i++;
    } else {
      fail(`unexpected character '${ch}' at index ${i}`);
    }
  }
  lexemes.push({ kind: 'end', text: '', index: expression.length });
  return lexemes;
}

class ExpressionParser {
  private readonly lexemes: Lexeme[];
  private position = 0;

  constructor(
    private readonly expression: string,
    private readonly kind: ExpressionKind,
  ) {
    this.lexemes = lex(expression, (message) => this.fail(message));
  }

  parse(): Step[] {
    const hasTimePart = this.lexemes.some((l) => l.kind === '@');
    if (this.kind === 'time' && !hasTimePart) {
      const steps = this.clause('time');
      this.expectEnd('time');
      return steps;
    }
    const steps = this.clause('date');
    if (this.peek().kind === '@') {
      if (this.kind === 'date')
        this.fail(`a date expression cannot have a time part ('@') at index ${this.peek().index}`);
      this.position++;
      steps.push(...this.clause('time'));
      this.expectEnd('time');
    } else {
      this.expectEnd('date');
    }
    return steps;
  }

  private peek(): Lexeme {
    return this.lexemes[this.position] ?? this.lexemes[this.lexemes.length - 1]!;
  }

  private next(): Lexeme {
    const lexeme = this.peek();
    if (lexeme.kind !== 'end') this.position++;
    return lexeme;
  }

  private fail(message: string): never {
    throw new ExpressionError(`invalid ${this.kind} expression '${this.expression}': ${message}`);
  }

  private unexpected(expected: string, lexeme = this.peek()): never {
    const found = lexeme.kind === 'end' ? 'the end of the expression' : `'${lexeme.text}'`;
    return this.fail(`expected ${expected} at index ${lexeme.index} but found ${found}`);
  }

  private clause(section: 'date' | 'time'): Step[] {
    const steps: Step[] = [];
    const first = this.peek();
    if (
      first.kind === 'number' ||
      (first.kind === 'word' && first.text !== 'next' && first.text !== 'last')
    ) {
      steps.push(section === 'date' ? this.dateBase() : this.timeBase());
    }
    for (;;) {
      const lexeme = this.peek();
      if (lexeme.kind === '+' || lexeme.kind === '-') {
        this.next();
        steps.push(this.arithmetic(lexeme.kind === '+' ? 1 : -1));
      } else if (lexeme.kind === 'word' && (lexeme.text === 'next' || lexeme.text === 'last')) {
        this.next();
        steps.push(this.relative(lexeme.text === 'next' ? 1 : -1));
      } else {
        return steps;
      }
    }
  }

  private expectEnd(section: 'date' | 'time'): void {
    const lexeme = this.peek();
    if (lexeme.kind === 'end') return;
    const canAddTime = section === 'date' && this.kind !== 'date';
    const isTimeWord = lexeme.kind === 'number' || TIME_BASES.includes(lexeme.text);
    if (canAddTime && isTimeWord) {
      this.unexpected("'+', '-' or '@' (a time of day such as 'midnight' must follow '@')");
    }
    this.unexpected(
      canAddTime ? "'+', '-', '@' or the end of the expression" : "'+', '-' or the end of the expression",
    );
  }

  private dateBase(): Step {
    const lexeme = this.next();
    switch (lexeme.text) {
      case 'now':
      case 'today':
        return (ms) => ms;
      case 'yesterday':
        return (ms) => ms - MS_PER_DAY;
      case 'tomorrow':
        return (ms) => ms + MS_PER_DAY;
      default:
        if (this.kind !== 'date' && (lexeme.kind === 'number' || TIME_BASES.includes(lexeme.text))) {
          this.unexpected(
            "one of now, today, yesterday, tomorrow, +, -, next, last or '@' (a time of day such as 'midnight' must follow '@')",
            lexeme,
          );
        }
        return this.unexpected('one of now, today, yesterday, tomorrow, +, -, next or last', lexeme);
    }
  }

  private timeBase(): Step {
    const lexeme = this.next();
    if (lexeme.kind === 'word') {
      if (lexeme.text === 'now') return (ms) => ms;
      if (lexeme.text === 'midnight') return (ms) => startOfDay(ms);
      if (lexeme.text === 'noon') return (ms) => startOfDay(ms) + NOON_MS;
      this.unexpected("one of now, midnight, noon, a 1-12 o'clock hour, +, -, next or last", lexeme);
    }

    const hour = Number(lexeme.text);
    if (hour < 1 || hour > 12)
      this.fail(`expected an hour from 1 to 12 at index ${lexeme.index} but found ${hour}`);
    const oClock = ["o'clock", 'oclock'].includes(this.peek().text);
    if (oClock) this.next();
    const half = this.peek().text;
    if (half === 'am' || half === 'pm') {
      this.next();
      const hours = (hour % 12) + (half === 'pm' ? 12 : 0);
      return (ms) => startOfDay(ms) + hours * 3_600_000;
    }
    if (!oClock) this.unexpected("o'clock, am or pm");
    // Like pact-jvm: a plain "N o'clock" is taken in the other half of the day from the current time.
    return (ms) => {
      const midnight = startOfDay(ms);
      const halfStart = ms - midnight < NOON_MS ? midnight + NOON_MS : midnight;
      return halfStart + (hour % 12) * 3_600_000;
    };
  }

  private arithmetic(sign: 1 | -1): Step {
    const lexeme = this.next();
    if (lexeme.kind !== 'number') this.unexpected('a number', lexeme);
    const amount = sign * Number(lexeme.text);
    const unitLexeme = this.next();
    const unit = this.unit(unitLexeme, true);
    if (unit === undefined) this.unexpected(`a unit (${UNITS.map((u) => `${u}s`).join(', ')})`, unitLexeme);
    return (ms) => addUnit(ms, unit, amount);
  }

  private relative(direction: 1 | -1): Step {
    const lexeme = this.next();
    const unit = this.unit(lexeme, false);
    if (unit !== undefined) return (ms) => addUnit(ms, unit, direction);
    const weekday = WEEKDAYS.findIndex((d) => lexeme.text === d || lexeme.text === d.slice(0, 3));
    if (weekday >= 0) return (ms) => moveToWeekday(ms, weekday + 1, direction);
    const month = MONTHS.findIndex(
      (m) =>
        lexeme.text === m || lexeme.text === m.slice(0, 3) || (m === 'september' && lexeme.text === 'sept'),
    );
    if (month >= 0) return (ms) => moveToMonth(ms, month + 1, direction);
    return this.unexpected('a unit, day of the week or month name', lexeme);
  }

  private unit(lexeme: Lexeme, plural: boolean): Unit | undefined {
    if (lexeme.kind !== 'word') return undefined;
    const singular = plural && lexeme.text.endsWith('s') ? lexeme.text.slice(0, -1) : lexeme.text;
    return UNITS.find((u) => u === singular);
  }
}

function startOfDay(ms: number): number {
  return Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
}

/** Adds calendar months, clamping the day to the end of the target month (Jan 31 + 1 month = Feb 28/29). */
function addMonths(ms: number, months: number): number {
  const date = new Date(ms);
  const monthIndex = date.getUTCMonth() + months;
  const year = date.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = mod(monthIndex, 12);
  date.setUTCFullYear(year, month, Math.min(date.getUTCDate(), daysInMonth(year, month + 1)));
  return date.getTime();
}

function addUnit(ms: number, unit: Unit, amount: number): number {
  if (unit === 'year') return addMonths(ms, amount * 12);
  if (unit === 'month') return addMonths(ms, amount);
  return ms + amount * FIXED_UNIT_MS[unit]!;
}

function isoWeekday(ms: number): number {
  return mod(Math.floor(ms / MS_PER_DAY) + 3, 7) + 1;
}

/** The nearest given weekday strictly after (or before) the current day, keeping the time of day. */
function moveToWeekday(ms: number, weekday: number, direction: 1 | -1): number {
  const days =
    direction === 1 ? mod(weekday - isoWeekday(ms) - 1, 7) + 1 : mod(isoWeekday(ms) - weekday - 1, 7) + 1;
  return ms + direction * days * MS_PER_DAY;
}

/** The first day of the nearest given month strictly after (or before) the current month. */
function moveToMonth(ms: number, month: number, direction: 1 | -1): number {
  const current = new Date(ms).getUTCMonth() + 1;
  const months = direction === 1 ? mod(month - current - 1, 12) + 1 : mod(current - month - 1, 12) + 1;
  const date = new Date(addMonths(ms, direction * months));
  date.setUTCDate(1);
  return date.getTime();
}
