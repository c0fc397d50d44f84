/**
 * Checks whether a string parses with a Java date/time pattern, roughly as strictly as java.time's
 * `DateTimeFormatter.ofPattern(pattern).parse(value)`: every field must have the right shape, values
 * must be in range, and fields must agree with each other (Feb 29 only in leap years, the day name
 * must be the day the date falls on, `HH` and `a` must agree, …).
 *
 * Parsing runs in two steps. A backtracking search finds the ways the text splits into the pattern's
 * fields (needed for adjacent numbers such as `yyyyMMdd` and for optional sections); then the field
 * values of each split are validated. Splitting first lets us report range problems ("month 13")
 * rather than only "does not match". That is thorough but slow, so values that match are usually
 * confirmed first by a single regex (fast.ts), and only the rest reach the search.
 */
import {
  DAY_NAMES,
  type DateParts,
  dateParts,
  daysInMonth,
  epochDay,
  fromEpochDay,
  isDateYear,
  isLeapYear,
  MONTH_NAMES,
} from './calendar.js';
import { fastMatch } from './fast.js';
import { FIELDS, type FieldName } from './fields.js';
import { AM_PM, dayTexts, eraTexts, monthTexts, quarterTexts, type TextField, textWidth } from './names.js';
import { type CompiledPattern, compileJavaPattern, type FieldToken, type PatternToken } from './pattern.js';
import {
  gmtOffsetMatches,
  OFFSET_STYLES,
  offsetMatches,
  type ZoneMatch,
  zoneIdMatches,
  zoneNameMatches,
} from './zone.js';

export type MatchResult = { ok: true } | { ok: false; reason: string };

/** A field value read from the text. */
interface Assignment {
  readonly field: FieldName | null;
  readonly value: number;
  readonly text: string;
  /** Set when the text has the right shape but cannot be valid (e.g. offset +25:00). */
  readonly problem?: string;
}

/** One way the current token can consume text: where it ends and what it read. */
interface Candidate {
  readonly end: number;
  readonly assignment: Assignment;
}

interface TokenReading {
  readonly candidates: readonly Candidate[];
  /** What the token needs, for messages when nothing matched. */
  readonly expected: string;
}

/** Enough to find a valid split when an earlier one fails validation, small enough to stay fast. */
const MAX_SPLITS = 32;

/**
 * Checks that the whole of `value` parses with the Java date/time `pattern`.
 *
 * @example
 * matchesJavaPattern('yyyy-MM-dd', '2024-02-29');  // { ok: true }
 * matchesJavaPattern('yyyy-MM-dd', '2023-13-01');
 * // { ok: false, reason: "'2023-13-01' does not match 'yyyy-MM-dd': month 13 is out of range (1-12)" }
 */
export function matchesJavaPattern(pattern: string | CompiledPattern, value: string): MatchResult {
  const compiled = typeof pattern === 'string' ? compiledFromText(pattern) : pattern;
  const source = typeof pattern === 'string' ? pattern : pattern.pattern;
  if ('error' in compiled)
    return { ok: false, reason: `invalid date/time pattern '${source}': ${compiled.error}` };

  // Most values match; the fast path confirms those cheaply. Everything else (and any pattern it
  // does not cover) goes through the full search, which also explains failures.
  if (fastMatch(compiled, value) === true) return { ok: true };
  return fullMatch(compiled, value);
}

/** `matchesJavaPattern` without the fast path (exported for the tests that compare the two). */
export function fullMatch(compiled: CompiledPattern, value: string): MatchResult {
  const search = new SplitSearch(compiled.tokens, value);
  let firstProblem: string | undefined;
  let splits = 0;
  for (const assignments of search.splits()) {
    const problem = validate(assignments);
    if (problem === undefined) return { ok: true };
    firstProblem ??= problem;
    if (++splits >= MAX_SPLITS) break;
  }
  return {
    ok: false,
    reason: `'${value}' does not match '${compiled.pattern}': ${firstProblem ?? search.failure()}`,
  };
}

/** Patterns given as text, compiled once so that they keep their fast path; bounded, as rules.ts does. */
const compiledPatterns = new Map<string, CompiledPattern | { error: string }>();

function compiledFromText(pattern: string): CompiledPattern | { error: string } {
  let compiled = compiledPatterns.get(pattern);
  if (compiled === undefined) {
    if (compiledPatterns.size >= 256) compiledPatterns.clear();
    compiled = compileJavaPattern(pattern);
    compiledPatterns.set(pattern, compiled);
  }
  return compiled;
}

/** Depth-first search over the ways the text can be split into the pattern's tokens. */
class SplitSearch {
  /** States (token index, text position) known to have no way to reach the end. */
  private readonly dead = new Set<number>();
  private furthest = { pos: -1, expected: '' };

  constructor(
    private readonly tokens: readonly PatternToken[],
    private readonly input: string,
  ) {}

  splits(): Generator<Assignment[]> {
    return this.walk(0, 0, []);
  }

  /** Why no split exists, from the point where the search got furthest. */
  failure(): string {
    const { pos, expected } = this.furthest;
    const rest = this.input.slice(pos);
    const found =
      rest === '' ? 'the end of the value' : `'${rest.length > 12 ? `${rest.slice(0, 12)}…` : rest}'`;
    if (expected === '') return `unexpected text ${found} at index ${pos}`;
    return `expected ${expected} at index ${pos} but found ${found}`;
  }

  private miss(pos: number, expected: string): void {
    if (pos > this.furthest.pos) this.furthest = { pos, expected };
  }

  private *walk(index: number, pos: number, path: Assignment[]): Generator<Assignment[]> {
    const key = index * (this.input.length + 1) + pos;
    if (this.dead.has(key)) return;
    let found = false;
    const token = this.tokens[index];

    if (token === undefined) {
      if (pos === this.input.length) {
        found = true;
        yield path;
      } else {
        this.miss(pos, '');
      }
    } else if (token.kind === 'optionalStart') {
      // Java tries the optional section first and skips it only if it does not parse.
      for (const split of this.walk(index + 1, pos, path)) {
        found = true;
        yield split;
      }
      for (const split of this.walk(token.end + 1, pos, path)) {
        found = true;
        yield split;
      }
    } else if (token.kind === 'optionalEnd') {
      for (const split of this.walk(index + 1, pos, path)) {
        found = true;
        yield split;
      }
    } else if (token.kind === 'literal') {
      if (this.input.startsWith(token.text, pos)) {
        for (const split of this.walk(index + 1, pos + token.text.length, path)) {
          found = true;
          yield split;
        }
      } else {
        this.miss(pos, `'${token.text}'`);
      }
    } else {
      const reading = readField(token, this.input, pos);
      if (reading.candidates.length === 0) this.miss(pos, reading.expected);
      for (const candidate of reading.candidates) {
        for (const split of this.walk(index + 1, candidate.end, [...path, candidate.assignment])) {
          found = true;
          yield split;
        }
      }
    }
    // Only reached when every alternative was tried (a consumer that stops early never gets here).
    if (!found) this.dead.add(key);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading single fields

function readField(token: FieldToken, input: string, pos: number): TokenReading {
  const { letter, count } = token;
  const run = letter.repeat(count);
  switch (letter) {
    case 'G':
      return readText(input, pos, 'era', eraTexts(textWidth(count)), `era (${run})`);
    case 'y':
      return readYear(input, pos, 'yearOfEra', count, false);
    case 'u':
      return readYear(input, pos, 'year', count, true);
    case 'Y':
      return readYear(input, pos, 'weekBasedYear', count, true);
    case 'M':
    case 'L':
      if (count <= 2) return readNumber(input, pos, 'month', count, 2, run);
      return readText(input, pos, 'month', monthTexts(textWidth(count)), `month name (${run})`);
    case 'd':
      return readNumber(input, pos, 'dayOfMonth', count, 2, run);
    case 'D':
      return readNumber(input, pos, 'dayOfYear', count, 3, run);
    case 'E':
      return readText(input, pos, 'dayOfWeek', dayTexts(textWidth(count)), `day name (${run})`);
    case 'e':
      if (count <= 2) return readNumber(input, pos, 'dayOfWeek', count, count, run);
      return readText(input, pos, 'dayOfWeek', dayTexts(textWidth(count)), `day name (${run})`);
    case 'a':
      return readText(input, pos, 'amPm', AM_PM, 'AM or PM (a)');
    case 'H':
      return readNumber(input, pos, 'hourOfDay', count, 2, run);
    case 'k':
      return readNumber(input, pos, 'clockHourOfDay', count, 2, run);
    case 'h':
      return readNumber(input, pos, 'clockHourOfAmPm', count, 2, run);
    case 'K':
      return readNumber(input, pos, 'hourOfAmPm', count, 2, run);
    case 'm':
      return readNumber(input, pos, 'minute', count, 2, run);
    case 's':
      return readNumber(input, pos, 'second', count, 2, run);
    case 'S':
      return readFraction(input, pos, count, run);
    case 'n':
      return readNumber(input, pos, 'nanoOfSecond', count, Math.max(count, 9), run);
    case 'A':
      return readNumber(input, pos, 'milliOfDay', count, Math.max(count, 8), run);
    case 'N':
      return readNumber(input, pos, 'nanoOfDay', count, Math.max(count, 14), run);
    case 'Q':
    case 'q':
      if (count === 3 || count === 4) {
        return readText(input, pos, 'quarter', quarterTexts(count), `quarter (${run})`);
      }
      return readNumber(input, pos, 'quarter', count === 2 ? 2 : 1, count === 2 ? 2 : 1, run);
    case 'w':
      return readNumber(input, pos, 'weekOfWeekBasedYear', count, 2, run);
    case 'W':
      return readNumber(input, pos, 'weekOfMonth', 1, 1, run);
    case 'F':
      return readNumber(input, pos, 'alignedWeekOfMonth', 1, 1, run);
    case 'X':
    case 'x': {
      const style = OFFSET_STYLES[count - 1]!;
      const zero = letter === 'X' ? 'Z' : null;
      const example = letter === 'X' ? "'Z' or " : '';
      return readZone(
        offsetMatches(input, pos, style, zero),
        `offset (${run}) like ${example}'${offsetExample(count)}'`,
      );
    }
    case 'Z':
      if (count <= 3)
        return readZone(offsetMatches(input, pos, OFFSET_STYLES[1]!, null), `offset (${run}) like '+0100'`);
      if (count === 5)
        return readZone(
          offsetMatches(input, pos, OFFSET_STYLES[4]!, 'Z'),
          `offset (${run}) like 'Z' or '+01:00'`,
        );
      return readZone(gmtOffsetMatches(input, pos), `offset (${run}) like 'GMT' or 'GMT+01:00'`);
    case 'O':
      return readZone(gmtOffsetMatches(input, pos), `offset (${run}) like 'GMT' or 'GMT+1'`);
    case 'V':
      return readZone(zoneIdMatches(input, pos), "time-zone id (VV) like 'Europe/London', 'UTC' or '+01:00'");
    case 'z':
      return readZone(
        zoneNameMatches(input, pos, count === 4),
        count === 4
          ? "time-zone name (zzzz) like 'Coordinated Universal Time'"
          : `time-zone name (${run}) like 'UTC' or 'PST'`,
      );
  }
}

function offsetExample(count: number): string {
  return ['+01', '+0100', '+01:00', '+0100', '+01:00'][count - 1] ?? '+01:00';
}

function digitRun(input: string, pos: number, max: number): number {
  let n = 0;
  while (n < max && pos + n < input.length) {
    const c = input.charCodeAt(pos + n);
    if (c < 48 || c > 57) break;
    n++;
  }
  return n;
}

function widthText(min: number, max: number): string {
  if (min === max) return `${min}-digit`;
  return max >= 8 ? `${min}+ digit` : `${min}-${max} digit`;
}

/** An unsigned number of `min`…`max` digits; longer readings are tried first. */
function readNumber(
  input: string,
  pos: number,
  field: FieldName,
  min: number,
  max: number,
  run: string,
): TokenReading {
  const available = digitRun(input, pos, max);
  const candidates: Candidate[] = [];
  for (let width = available; width >= min; width--) {
    const text = input.slice(pos, pos + width);
    candidates.push({ end: pos + width, assignment: { field, value: Number(text), text } });
  }
  return { candidates, expected: `${widthText(min, max)} ${FIELDS[field].label} (${run})` };
}

/**
 * Years follow java.time: `yy` is exactly two digits meaning 2000-2099; other counts give the minimum
 * width. A `-` sign is allowed for proleptic and week-based years; `+` only for years wider than
 * `yyyy` (as java.time prints them). We also accept wide years without the `+`.
 */
function readYear(
  input: string,
  pos: number,
  field: FieldName,
  count: number,
  signed: boolean,
): TokenReading {
  const run = (field === 'yearOfEra' ? 'y' : field === 'year' ? 'u' : 'Y').repeat(count);
  const label = FIELDS[field].label;
  if (count === 2) {
    const reading = readNumber(input, pos, field, 2, 2, run);
    return {
      expected: `2-digit ${label} (${run})`,
      candidates: reading.candidates.map((c) => ({
        ...c,
        assignment: { ...c.assignment, value: 2000 + c.assignment.value },
      })),
    };
  }
  const sign = input[pos];
  const hasSign = sign === '-' ? signed : sign === '+' && count >= 4;
  const start = hasSign ? pos + 1 : pos;
  const max = Math.max(count, 9);
  const candidates: Candidate[] = [];
  for (let width = digitRun(input, start, max); width >= count; width--) {
    // A '+' is only meaningful when the year is wider than the pattern.
    if (sign === '+' && hasSign && width <= count) break;
    const text = input.slice(pos, start + width);
    const magnitude = Number(input.slice(start, start + width));
    const value = hasSign && sign === '-' ? -magnitude : magnitude;
    candidates.push({ end: start + width, assignment: { field, value, text } });
  }
  return { candidates, expected: `${count === 1 ? '' : `${count}+ digit `}${label} (${run})`.trimStart() };
}

/** `S…S`: exactly as many digits as letters, read as a fraction of a second. */
function readFraction(input: string, pos: number, count: number, run: string): TokenReading {
  const expected = `${count}-digit fraction of second (${run})`;
  if (digitRun(input, pos, count) < count) return { candidates: [], expected };
  const text = input.slice(pos, pos + count);
  const value = Number(text) * 10 ** (9 - count);
  return { candidates: [{ end: pos + count, assignment: { field: 'nanoOfSecond', value, text } }], expected };
}

/** Case-insensitive text; longer texts are tried first ("May" vs "Ma…"). */
function readText(
  input: string,
  pos: number,
  field: FieldName,
  texts: TextField,
  expected: string,
): TokenReading {
  const candidates: Candidate[] = [];
  texts.texts.forEach((text, i) => {
    const actual = input.slice(pos, pos + text.length);
    if (actual.toLowerCase() === text.toLowerCase()) {
      candidates.push({
        end: pos + text.length,
        assignment: { field, value: texts.values[i]!, text: actual },
      });
    }
  });
  candidates.sort((a, b) => b.end - a.end);
  const examples = texts.texts.slice(0, 2).map((t) => `'${t}'`);
  return { candidates, expected: `${expected} like ${examples.join(', ')}` };
}

function readZone(matches: readonly ZoneMatch[], expected: string): TokenReading {
  const candidates = matches.map((m): Candidate => {
    const field = m.offsetSeconds === undefined ? null : 'offsetSeconds';
    const assignment: Assignment =
      m.problem === undefined
        ? { field, value: m.offsetSeconds ?? 0, text: '' }
        : { field, value: 0, text: '', problem: m.problem };
    return { end: m.end, assignment };
  });
  return { candidates, expected };
}

// ---------------------------------------------------------------------------------------------
// Validating a split

/** Date fields that must agree with the date when it is fully known, and where the date keeps them. */
const DATE_CHECKS: readonly (readonly [FieldName, keyof DateParts])[] = [
  ['month', 'month'],
  ['dayOfMonth', 'day'],
  ['dayOfYear', 'dayOfYear'],
  ['dayOfWeek', 'dayOfWeek'],
  ['quarter', 'quarter'],
  ['weekBasedYear', 'weekBasedYear'],
  ['weekOfWeekBasedYear', 'weekOfWeekBasedYear'],
  ['weekOfMonth', 'weekOfMonth'],
  ['alignedWeekOfMonth', 'alignedWeekOfMonth'],
];

function describe(field: FieldName, value: number): string {
  if (field === 'dayOfWeek') return DAY_NAMES[value - 1] ?? String(value);
  if (field === 'month') return MONTH_NAMES[value - 1] ?? String(value);
  return String(value);
}

function isoDateText({ year, month, day }: { year: number; month: number; day: number }): string {
  const y = year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0');
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Returns why the field values of a split are invalid, or undefined when they are fine. */
function validate(assignments: readonly Assignment[]): string | undefined {
  const values = new Map<FieldName, Assignment>();
  for (const a of assignments) {
    if (a.problem !== undefined) return a.problem;
    if (a.field === null) continue;
    const { label, min, max } = FIELDS[a.field];
    if (a.value < min || a.value > max) return `${label} ${a.value} is out of range (${min}-${max})`;
    const earlier = values.get(a.field);
    if (earlier !== undefined && earlier.value !== a.value) {
      return `${label} is given twice with different values ('${earlier.text}' and '${a.text}')`;
    }
    values.set(a.field, a);
  }
  const get = (field: FieldName): number | undefined => values.get(field)?.value;
  return checkDate(get) ?? checkHours(get);
}

function checkDate(get: (field: FieldName) => number | undefined): string | undefined {
  // Resolve the proleptic year (year 0 = 1 BC) from u, or from y with its era.
  let year = get('year');
  const yearOfEra = get('yearOfEra');
  if (yearOfEra !== undefined) {
    const fromEra = get('era') === 0 ? 1 - yearOfEra : yearOfEra;
    if (year !== undefined && year !== fromEra) return `year-of-era ${yearOfEra} conflicts with year ${year}`;
    year = fromEra;
  }

  const month = get('month');
  const day = get('dayOfMonth');
  const dayOfYear = get('dayOfYear');
  if (month !== undefined && day !== undefined) {
    // Without a year, February 29 is allowed (it exists in leap years).
    const last = daysInMonth(year ?? 2000, month);
    if (day > last) {
      if (month === 2 && year !== undefined && day === 29) {
        return `day 29 is out of range for February ${year} (${year} is not a leap year)`;
      }
      const monthText = `${MONTH_NAMES[month - 1]}${month === 2 && year !== undefined ? ` ${year}` : ''}`;
      return `day ${day} is out of range for ${monthText} (1-${last})`;
    }
  }
  if (dayOfYear === 366 && year !== undefined && !isLeapYear(year)) {
    return `day of year 366 is out of range for ${year} (not a leap year)`;
  }

  // With a complete date, every other date field must describe that same date.
  if (year === undefined || !isDateYear(year)) return undefined;
  let date: { year: number; month: number; day: number } | undefined;
  if (month !== undefined && day !== undefined) date = { year, month, day };
  else if (dayOfYear !== undefined) date = fromEpochDay(epochDay(year, 1, 1) + dayOfYear - 1);
  if (date === undefined) return undefined;

  const parts = dateParts(date.year, date.month, date.day);
  for (const [field, part] of DATE_CHECKS) {
    const given = get(field);
    const actual = parts[part];
    if (given !== undefined && given !== actual) {
      const { label } = FIELDS[field];
      return `${label} ${describe(field, given)} does not agree with ${isoDateText(date)} (which has ${label} ${describe(field, actual)})`;
    }
  }
  return undefined;
}

function checkHours(get: (field: FieldName) => number | undefined): string | undefined {
  const amPm = get('amPm');
  let hourOfDay = get('hourOfDay');
  const clockHourOfDay = get('clockHourOfDay');
  if (clockHourOfDay !== undefined) {
    const fromK = clockHourOfDay % 24;
    if (hourOfDay !== undefined && hourOfDay !== fromK) {
      return `hour ${hourOfDay} (H) conflicts with hour ${clockHourOfDay} (k)`;
    }
    hourOfDay = fromK;
  }

  const clockHour = get('clockHourOfAmPm');
  let hourOfAmPm = get('hourOfAmPm');
  if (clockHour !== undefined) {
    if (hourOfAmPm !== undefined && hourOfAmPm !== clockHour % 12) {
      return `hour ${clockHour} (h) conflicts with hour ${hourOfAmPm} (K)`;
    }
    hourOfAmPm = clockHour % 12;
  }

  if (hourOfDay === undefined) return undefined;
  if (amPm !== undefined && (hourOfDay >= 12 ? 1 : 0) !== amPm) {
    return `hour ${hourOfDay} conflicts with ${amPm === 1 ? 'PM' : 'AM'}`;
  }
  if (hourOfAmPm !== undefined && hourOfDay % 12 !== hourOfAmPm) {
    return `hour ${hourOfDay} conflicts with the 12-hour clock hour ${clockHour ?? hourOfAmPm}`;
  }
  return undefined;
}
