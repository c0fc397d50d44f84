import { describe, expect, it } from 'vitest';
import { parseCron } from './cron.js';

const next = (expression: string, after: string) => parseCron(expression).next(new Date(after)).toISOString();

/** The next `count` times after `after`. */
const times = (expression: string, after: string, count: number) => {
  const schedule = parseCron(expression);
  const result: string[] = [];
  let at = new Date(after);
  for (let i = 0; i < count; i++) {
    at = schedule.next(at);
    result.push(at.toISOString());
  }
  return result;
};

describe('parseCron', () => {
  it("fires the reference's default, 15 2 * * *, at 02:15 UTC each day", () => {
    expect(times('15 2 * * *', '2026-12-07T18:00:00Z', 3)).toEqual([
      '2026-12-08T02:15:00.000Z',
      '2026-12-09T02:15:00.000Z',
      '2026-12-10T02:15:00.000Z',
    ]);
    // strictly after: at 02:15 exactly, the next is tomorrow's
    expect(next('15 2 * * *', '2026-12-08T02:15:00Z')).toBe('2026-12-09T02:15:00.000Z');
    expect(next('15 2 * * *', '2026-12-08T02:14:59.999Z')).toBe('2026-12-08T02:15:00.000Z');
  });

  it('takes steps, ranges, lists and names', () => {
    expect(times('*/20 * * * *', '2026-01-01T00:05:00Z', 4)).toEqual([
      '2026-01-01T00:20:00.000Z',
      '2026-01-01T00:40:00.000Z',
      '2026-01-01T01:00:00.000Z',
      '2026-01-01T01:20:00.000Z',
    ]);
    expect(times('0 9-17/4 * * mon-fri', '2026-12-04T10:00:00Z', 4)).toEqual([
      // Friday 4 December 2026: 13:00 and 17:00; then Monday
      '2026-12-04T13:00:00.000Z',
      '2026-12-04T17:00:00.000Z',
      '2026-12-07T09:00:00.000Z',
      '2026-12-07T13:00:00.000Z',
    ]);
    expect(times('30 6 1,15 * *', '2026-02-10T00:00:00Z', 3)).toEqual([
      '2026-02-15T06:30:00.000Z',
      '2026-03-01T06:30:00.000Z',
      '2026-03-15T06:30:00.000Z',
    ]);
    expect(next('0 0 1 jan,Jul *', '2026-02-01T00:00:00Z')).toBe('2026-07-01T00:00:00.000Z');
    expect(next('5/30 * * * *', '2026-01-01T00:06:00Z')).toBe('2026-01-01T00:35:00.000Z');
  });

  it('treats 7 as Sunday, and either day field matching when both are restricted', () => {
    // Sunday 13 December 2026
    expect(next('0 0 * * 7', '2026-12-08T00:00:00Z')).toBe('2026-12-13T00:00:00.000Z');
    expect(next('0 0 * * 0', '2026-12-08T00:00:00Z')).toBe('2026-12-13T00:00:00.000Z');
    // the 20th of a month or a Sunday, whichever comes first
    expect(next('0 0 20 * sun', '2026-12-08T00:00:00Z')).toBe('2026-12-13T00:00:00.000Z');
    expect(next('0 0 10 * sun', '2026-12-08T00:00:00Z')).toBe('2026-12-10T00:00:00.000Z');
  });

  it('finds a 29 February years ahead, and takes the macros', () => {
    expect(next('0 12 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T12:00:00.000Z');
    expect(next('@daily', '2026-12-07T18:00:00Z')).toBe('2026-12-08T00:00:00.000Z');
    expect(next('@hourly', '2026-12-07T18:00:00Z')).toBe('2026-12-07T19:00:00.000Z');
    expect(parseCron('  15 2 * * *  ').expression).toBe('15 2 * * *');
  });

  it.each([
    ['', /has 0 fields; give five/],
    ['15 2 * *', /has 4 fields; give five/],
    ['0 15 2 * * *', /has 6 fields; give five/],
    ['60 * * * *', /60 is outside the minute field's 0-59/],
    ['* 24 * * *', /24 is outside the hour field's 0-23/],
    ['* * 0 * *', /0 is outside the day of month field's 1-31/],
    ['* * * 13 *', /13 is outside the month field's 1-12/],
    ['* * * * 8', /8 is outside the day of week field's 0-7/],
    ['* * * * mon-', /'' in the day of week field is not a number or a name/],
    ['*/0 * * * *', /the step '0' in the minute field is not a whole number above 0/],
    ['5-1 * * * *', /the range '5-1' in the minute field runs backwards/],
    ['x * * * *', /'x' in the minute field is not a number/],
    ['1,,2 * * * *', /'' in the minute field is not a value, range or step/],
    ['0 0 30 2 *', /no date matches it/],
  ])('refuses %j with COV_BROKER_CLEAN_CONFIG_INVALID', (expression, message) => {
    expect(() => parseCron(expression)).toThrow(
      expect.objectContaining({
        code: 'COV_BROKER_CLEAN_CONFIG_INVALID',
        message: expect.stringMatching(message),
      }),
    );
    expect(() => parseCron(expression)).toThrow(/PACT_BROKER_DATABASE_CLEAN_CRON_SCHEDULE/);
  });
});
