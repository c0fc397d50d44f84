import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExpressionKind, evaluateDateExpression } from './index.js';

/** Saturday 1 January 2000, 10:00 UTC: the base used by pact-jvm's and pact-reference's own tests. */
const BASE = new Date('2000-01-01T10:00:00Z');

function evaluate(expression: string, kind: ExpressionKind = 'datetime', base = BASE): string {
  const result = evaluateDateExpression(expression, base, kind);
  if (!(result instanceof Date)) throw new Error(result.error);
  return result.toISOString();
}

function errorOf(expression: string, kind: ExpressionKind = 'datetime', base = BASE): string {
  const result = evaluateDateExpression(expression, base, kind);
  if (result instanceof Date)
    throw new Error(`expected '${expression}' to fail, got ${result.toISOString()}`);
  return result.error;
}

describe('evaluateDateExpression: dates', () => {
  it.each([
    ['', '2000-01-01T10:00:00.000Z'],
    ['   ', '2000-01-01T10:00:00.000Z'],
    ['now', '2000-01-01T10:00:00.000Z'],
    ['today', '2000-01-01T10:00:00.000Z'],
    ['yesterday', '1999-12-31T10:00:00.000Z'],
    ['tomorrow', '2000-01-02T10:00:00.000Z'],
    ['+ 1 day', '2000-01-02T10:00:00.000Z'],
    ['+1 day', '2000-01-02T10:00:00.000Z'],
    ['+ 1 week', '2000-01-08T10:00:00.000Z'],
    ['- 2 weeks', '1999-12-18T10:00:00.000Z'],
    ['+ 4 years', '2004-01-01T10:00:00.000Z'],
    ['+1 year', '2001-01-01T10:00:00.000Z'],
    ['tomorrow+ 4 years', '2004-01-02T10:00:00.000Z'],
    ['today + 3 months', '2000-04-01T10:00:00.000Z'],
    ['+ 1 fortnight', '2000-01-15T10:00:00.000Z'],
    ['+ 1 day - 2 weeks', '1999-12-19T10:00:00.000Z'],
    ['today + 1 day - 2 hours', '2000-01-02T08:00:00.000Z'],
    ['now + 2 hours', '2000-01-01T12:00:00.000Z'],
    ['now - 5 minutes', '2000-01-01T09:55:00.000Z'],
    ['now + 10 seconds', '2000-01-01T10:00:10.000Z'],
    ['now + 100 milliseconds', '2000-01-01T10:00:00.100Z'],
    ['now + 1 millisecond + 1 second + 1 minute + 1 hour', '2000-01-01T11:01:01.001Z'],
    ['TODAY + 1 DAY', '2000-01-02T10:00:00.000Z'],
    ['today + 2 day', '2000-01-03T10:00:00.000Z'],
    ['today + 1 days', '2000-01-02T10:00:00.000Z'],
    ['today+1day', '2000-01-02T10:00:00.000Z'],
    ['today + 0 days', '2000-01-01T10:00:00.000Z'],
  ])("'%s' is %s", (expression, expected) => {
    expect(evaluate(expression)).toBe(expected);
    expect(evaluate(expression, 'date')).toBe(expected);
  });

  it.each([
    ['next week', '2000-01-08T10:00:00.000Z'],
    ['last month', '1999-12-01T10:00:00.000Z'],
    ['next fortnight', '2000-01-15T10:00:00.000Z'],
    ['next year', '2001-01-01T10:00:00.000Z'],
    ['next monday', '2000-01-03T10:00:00.000Z'],
    ['next mon', '2000-01-03T10:00:00.000Z'],
    ['next saturday', '2000-01-08T10:00:00.000Z'],
    ['last saturday', '1999-12-25T10:00:00.000Z'],
    ['last wednesday', '1999-12-29T10:00:00.000Z'],
    ['last december', '1999-12-01T10:00:00.000Z'],
    ['next jan', '2001-01-01T10:00:00.000Z'],
    ['next february', '2000-02-01T10:00:00.000Z'],
    ['last jan', '1999-01-01T10:00:00.000Z'],
    ['next sept', '2000-09-01T10:00:00.000Z'],
    ['next june + 2 weeks', '2000-06-15T10:00:00.000Z'],
    ['last mon + 2 weeks', '2000-01-10T10:00:00.000Z'],
    ['last december + 2 weeks + 4 days', '1999-12-19T10:00:00.000Z'],
    ['tomorrow next monday', '2000-01-03T10:00:00.000Z'],
  ])("'%s' (next/last) is %s", (expression, expected) => {
    expect(evaluate(expression, 'date')).toBe(expected);
  });

  it('clamps the day of month in month and year arithmetic', () => {
    const jan31 = new Date('2024-01-31T08:30:00Z');
    expect(evaluate('today + 1 month', 'date', jan31)).toBe('2024-02-29T08:30:00.000Z');
    expect(evaluate('today + 1 month', 'date', new Date('2023-01-31T00:00:00Z'))).toBe(
      '2023-02-28T00:00:00.000Z',
    );
    expect(evaluate('today + 2 months', 'date', jan31)).toBe('2024-03-31T08:30:00.000Z');
    expect(evaluate('today - 2 months', 'date', jan31)).toBe('2023-11-30T08:30:00.000Z');
    expect(evaluate('today + 13 months', 'date', jan31)).toBe('2025-02-28T08:30:00.000Z');
    expect(evaluate('today - 1 month', 'date', new Date('2024-03-31T00:00:00Z'))).toBe(
      '2024-02-29T00:00:00.000Z',
    );
    expect(evaluate('today + 1 year', 'date', new Date('2024-02-29T00:00:00Z'))).toBe(
      '2025-02-28T00:00:00.000Z',
    );
    expect(evaluate('today + 4 years', 'date', new Date('2024-02-29T00:00:00Z'))).toBe(
      '2028-02-29T00:00:00.000Z',
    );
    expect(evaluate('today - 12 months', 'date', jan31)).toBe('2023-01-31T08:30:00.000Z');
    // Clamping happens per step, so Jan 31 + 1 month + 1 month is Mar 29, not Mar 31.
    expect(evaluate('today + 1 month + 1 month', 'date', jan31)).toBe('2024-03-29T08:30:00.000Z');
  });

  it('works in UTC around year boundaries and for years below 100', () => {
    expect(evaluate('today + 1 day', 'date', new Date('1999-12-31T23:30:00Z'))).toBe(
      '2000-01-01T23:30:00.000Z',
    );
    expect(evaluate('today + 1 month', 'date', new Date('0050-01-31T00:00:00Z'))).toBe(
      '0050-02-28T00:00:00.000Z',
    );
  });
});

describe('evaluateDateExpression: times', () => {
  it.each([
    ['@ now', '2000-01-01T10:00:00.000Z'],
    ['@ midnight', '2000-01-01T00:00:00.000Z'],
    ['@ noon', '2000-01-01T12:00:00.000Z'],
    ["@ 2 o'clock", '2000-01-01T14:00:00.000Z'],
    ["@ 1 o'clock pm", '2000-01-01T13:00:00.000Z'],
    ["@ 1 o'clock am", '2000-01-01T01:00:00.000Z'],
    ["@ 12 o'clock am", '2000-01-01T00:00:00.000Z'],
    ["@ 12 o'clock pm", '2000-01-01T12:00:00.000Z'],
    ['@ 3 pm', '2000-01-01T15:00:00.000Z'],
    ['@ 3pm', '2000-01-01T15:00:00.000Z'],
    ['@ 11 AM', '2000-01-01T11:00:00.000Z'],
    ['@ 1 oclock', '2000-01-01T13:00:00.000Z'],
    ['@ + 1 hour', '2000-01-01T11:00:00.000Z'],
    ['@ next hour', '2000-01-01T11:00:00.000Z'],
    ['@ last minute', '2000-01-01T09:59:00.000Z'],
    ['@', '2000-01-01T10:00:00.000Z'],
    ["today @ 1 o'clock", '2000-01-01T13:00:00.000Z'],
    ['tomorrow @ midnight', '2000-01-02T00:00:00.000Z'],
    ['today + 1 day @ noon', '2000-01-02T12:00:00.000Z'],
    ['yesterday @ noon + 30 minutes', '1999-12-31T12:30:00.000Z'],
    ["now @ 10 o'clock pm + 2 hours", '2000-01-02T00:00:00.000Z'],
    ['today @ midnight - 1 millisecond', '1999-12-31T23:59:59.999Z'],
    ['next monday @ 9 am', '2000-01-03T09:00:00.000Z'],
  ])("'%s' is %s", (expression, expected) => {
    expect(evaluate(expression, 'datetime')).toBe(expected);
  });

  it("takes a plain N o'clock in the other half of the day, like pact-jvm", () => {
    const afternoon = new Date('2000-01-01T15:00:00Z');
    expect(evaluate("@ 1 o'clock", 'datetime', afternoon)).toBe('2000-01-01T01:00:00.000Z');
    expect(evaluate("@ 1 o'clock pm", 'datetime', afternoon)).toBe('2000-01-01T13:00:00.000Z');
  });

  it('resets seconds and milliseconds for clock times', () => {
    const base = new Date('2000-01-01T10:11:12.345Z');
    expect(evaluate('@ noon', 'datetime', base)).toBe('2000-01-01T12:00:00.000Z');
    expect(evaluate('@ now', 'datetime', base)).toBe('2000-01-01T10:11:12.345Z');
  });

  it.each([
    ['', '2000-01-01T10:00:00.000Z'],
    ['now', '2000-01-01T10:00:00.000Z'],
    ['midnight', '2000-01-01T00:00:00.000Z'],
    ['noon', '2000-01-01T12:00:00.000Z'],
    ["1 o'clock", '2000-01-01T13:00:00.000Z'],
    ["1 o'clock am", '2000-01-01T01:00:00.000Z'],
    ['+ 1 hour', '2000-01-01T11:00:00.000Z'],
    ['- 2 minutes', '2000-01-01T09:58:00.000Z'],
    ['+ 4 seconds', '2000-01-01T10:00:04.000Z'],
    ['+ 4 milliseconds', '2000-01-01T10:00:00.004Z'],
    ['midnight+ 4 minutes', '2000-01-01T00:04:00.000Z'],
    ['midnight + 2 hours', '2000-01-01T02:00:00.000Z'],
    ['next hour', '2000-01-01T11:00:00.000Z'],
    ['last minute', '2000-01-01T09:59:00.000Z'],
    ['now + 2 hours - 4 minutes', '2000-01-01T11:56:00.000Z'],
    [' + 2 hours - 4 minutes', '2000-01-01T11:56:00.000Z'],
    ['@ noon', '2000-01-01T12:00:00.000Z'],
    ['today @ 3 pm', '2000-01-01T15:00:00.000Z'],
  ])("time '%s' is %s", (expression, expected) => {
    expect(evaluate(expression, 'time')).toBe(expected);
  });
});

describe('evaluateDateExpression: errors', () => {
  it.each([
    ['+', 'datetime', 'expected a number at index 1 but found the end of the expression'],
    ['now +', 'datetime', 'expected a number at index 5 but found the end of the expression'],
    ['today + foo', 'date', "expected a number at index 8 but found 'foo'"],
    [
      'today + 1 fish',
      'date',
      "expected a unit (years, months, fortnights, weeks, days, hours, minutes, seconds, milliseconds) at index 10 but found 'fish'",
    ],
    ['today + 1', 'date', 'expected a unit'],
    [
      'noo',
      'time',
      "expected one of now, midnight, noon, a 1-12 o'clock hour, +, -, next or last at index 0 but found 'noo'",
    ],
    [
      'someday',
      'date',
      "expected one of now, today, yesterday, tomorrow, +, -, next or last at index 0 but found 'someday'",
    ],
    [
      'today tomorrow',
      'date',
      "expected '+', '-' or the end of the expression at index 6 but found 'tomorrow'",
    ],
    ['today tomorrow', 'datetime', "expected '+', '-', '@' or the end of the expression at index 6"],
    ['midnight', 'datetime', "a time of day such as 'midnight' must follow '@'"],
    ['today noon', 'datetime', "a time of day such as 'midnight' must follow '@'"],
    ["@ 13 o'clock", 'datetime', 'expected an hour from 1 to 12 at index 2 but found 13'],
    ['@ 0 am', 'datetime', 'expected an hour from 1 to 12 at index 2 but found 0'],
    ['@ 3', 'datetime', "expected o'clock, am or pm at index 3 but found the end of the expression"],
    ['3', 'time', "expected o'clock, am or pm"],
    [
      'today @ noon @ noon',
      'datetime',
      "expected '+', '-' or the end of the expression at index 13 but found '@'",
    ],
    ['today @ noon', 'date', "a date expression cannot have a time part ('@') at index 6"],
    ['today @ tomorrow', 'datetime', "found 'tomorrow'"],
    ['today & 1 day', 'date', "unexpected character '&' at index 6"],
    ['today + 1.5 days', 'date', "unexpected character '.' at index 9"],
    [
      'next blursday',
      'date',
      "expected a unit, day of the week or month name at index 5 but found 'blursday'",
    ],
    [
      'next',
      'date',
      'expected a unit, day of the week or month name at index 4 but found the end of the expression',
    ],
    ['next days', 'date', "found 'days'"],
    ['+ 999999999 years', 'date', 'gives a date outside the supported range'],
  ] as const)("'%s' (%s) fails with: %s", (expression, kind, message) => {
    const error = errorOf(expression, kind);
    expect(error).toContain(message);
    if (!message.startsWith('gives')) {
      expect(error.startsWith(`invalid ${kind} expression '${expression}': `)).toBe(true);
    }
  });

  it('reports an invalid base date', () => {
    expect(errorOf('today', 'date', new Date(Number.NaN))).toContain('invalid base Date');
  });
});

describe('evaluateDateExpression: properties', () => {
  const bases = fc.date({
    min: new Date('1900-01-01T00:00:00Z'),
    max: new Date('2200-01-01T00:00:00Z'),
    noInvalidDate: true,
  });

  it('does not modify the base date', () => {
    fc.assert(
      fc.property(bases, (base) => {
        const before = base.getTime();
        evaluateDateExpression('tomorrow + 1 month - 2 hours @ noon', base, 'datetime');
        expect(base.getTime()).toBe(before);
      }),
    );
  });

  it('treats + and - of fixed units as inverse operations', () => {
    const units = fc.constantFrom('weeks', 'days', 'hours', 'minutes', 'seconds', 'milliseconds');
    fc.assert(
      fc.property(bases, fc.nat(10_000), units, (base, n, unit) => {
        expect(evaluate(`+ ${n} ${unit} - ${n} ${unit}`, 'datetime', base)).toBe(base.toISOString());
      }),
    );
  });

  it('never lands past the end of the month when adding months', () => {
    fc.assert(
      fc.property(bases, fc.integer({ min: 0, max: 600 }), (base, n) => {
        const result = new Date(evaluate(`+ ${n} months`, 'date', base));
        const expectedMonth = (base.getUTCMonth() + n) % 12;
        expect(result.getUTCMonth()).toBe(expectedMonth);
        expect(result.getUTCDate()).toBeLessThanOrEqual(base.getUTCDate());
        expect(result.getUTCHours()).toBe(base.getUTCHours());
      }),
    );
  });

  it('puts clock times on the same day', () => {
    fc.assert(
      fc.property(bases, fc.integer({ min: 1, max: 12 }), fc.constantFrom('am', 'pm'), (base, hour, half) => {
        const result = new Date(evaluate(`@ ${hour} ${half}`, 'datetime', base));
        expect(result.toISOString().slice(0, 10)).toBe(base.toISOString().slice(0, 10));
        expect(result.getUTCHours()).toBe((hour % 12) + (half === 'pm' ? 12 : 0));
        expect(result.getUTCMinutes() + result.getUTCSeconds() + result.getUTCMilliseconds()).toBe(0);
      }),
    );
  });
});
