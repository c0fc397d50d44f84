/**
 * Fast path of `matchesJavaPattern` for values that match, for the matching engine's hot loop.
 *
 * The full parser (parse.ts) is built for good failure messages: it lists every reading of every
 * field as objects, walks the splits with generators and validates through maps. That costs
 * several microseconds per value. Here a compiled pattern is turned, once, into one anchored
 * RegExp with a capture group per field, plus a small reader per group that turns the captured
 * text into a number and range-checks it; the calendar and clock checks then run on numbers kept
 * in a reused array. A match allocates little beyond what `RegExp#exec` returns.
 *
 * The fast path only ever answers "matches". When the regex fails, a field is out of range or the
 * fields disagree, it answers `false` and the caller runs the full parser, which decides and says
 * why. So it must never accept what the parser rejects. It does not because:
 *
 * - Each token becomes a sub-expression that accepts exactly the texts the parser's reader for that
 *   token accepts, preferring longer ones first as the parser's readers do. The regex engine's
 *   backtracking is then the same depth-first search as `SplitSearch.walk`, so the first match is
 *   the parser's first split. (`z` is the one exception: see `zoneNameSource`.)
 * - The readers and `fieldsAgree` apply the checks `validate` applies to that split, so when they
 *   pass, the parser's first split is valid and the parser answers `{ ok: true }` too.
 *
 * Patterns with constructs that would break this (optional sections, a field given twice, texts
 * that read the same for several values such as narrow month names, rarely used letters) get no
 * fast path at all.
 */
import { daysInMonth, isDateYear, isoDayOfWeek } from './calendar.js';
import { FIELDS, type FieldName } from './fields.js';
import { AM_PM, dayTexts, eraTexts, monthTexts, type TextField, textWidth } from './names.js';
import type { CompiledPattern, FieldToken, PatternToken } from './pattern.js';
import { isZoneNameText, OFFSET_STYLES, type OffsetStyle, offsetInRange } from './zone.js';

/** Where the fields that the cross-field checks need are kept in `FastMatcher.values`. */
const ERA = 0;
const YEAR_OF_ERA = 1;
const YEAR = 2;
const MONTH = 3;
const DAY = 4;
const DAY_OF_WEEK = 5;
const AM_PM_FIELD = 6;
const HOUR_OF_DAY = 7;
const CLOCK_HOUR_OF_DAY = 8;
const CLOCK_HOUR_OF_AM_PM = 9;
const HOUR_OF_AM_PM = 10;
const SLOT_COUNT = 11;

const SLOTS: Partial<Record<FieldName, number>> = {
  era: ERA,
  yearOfEra: YEAR_OF_ERA,
  year: YEAR,
  month: MONTH,
  dayOfMonth: DAY,
  dayOfWeek: DAY_OF_WEEK,
  amPm: AM_PM_FIELD,
  hourOfDay: HOUR_OF_DAY,
  clockHourOfDay: CLOCK_HOUR_OF_DAY,
  clockHourOfAmPm: CLOCK_HOUR_OF_AM_PM,
  hourOfAmPm: HOUR_OF_AM_PM,
};

/** No slot: the field is only range-checked (minutes, seconds, …). */
const NO_SLOT = -1;

/** Turns the text of one capture group into a field value and checks it. */
type GroupReader =
  /** Unsigned digits. */
  | { readonly kind: 'number'; readonly slot: number; readonly min: number; readonly max: number }
  /** A year, maybe signed; `yy` years are 2000 plus their two digits. */
  | {
      readonly kind: 'year';
      readonly slot: number;
      readonly twoDigit: boolean;
      readonly min: number;
      readonly max: number;
    }
  /** One of some names, in any case; `lower[i]` stands for `values[i]`. */
  | {
      readonly kind: 'text';
      readonly slot: number;
      /** Values by name as printed (`Jan`), the usual case, to skip comparing case-insensitively. */
      readonly printed: ReadonlyMap<string, number>;
      readonly lower: readonly string[];
      readonly values: readonly number[];
      readonly min: number;
      readonly max: number;
    }
  /** `Z` or an ISO offset such as `+01:00`, whose shape the regex already checked. */
  | { readonly kind: 'offset' }
  /** Any run of zone characters, checked with `isZoneNameText`. */
  | { readonly kind: 'zoneName' };

interface FastMatcher {
  readonly regex: RegExp;
  /** One reader per capture group, in group order. */
  readonly readers: readonly GroupReader[];
  /**
   * Field values of the current value, by slot. Reused across calls: slots of fields the pattern
   * has are written on every match, the others stay NaN, which stands for "not given".
   */
  readonly values: Float64Array;
}

/** Per compiled pattern: its matcher, or null when it has no fast path. Built on first use. */
const matchers = new WeakMap<CompiledPattern, FastMatcher | null>();

/**
 * `true` when `value` certainly matches `compiled` (the full parser would return `{ ok: true }`),
 * `false` when the full parser has to decide, `undefined` when the pattern has no fast path.
 */
export function fastMatch(compiled: CompiledPattern, value: string): boolean | undefined {
  let matcher = matchers.get(compiled);
  if (matcher === undefined) {
    matcher = buildMatcher(compiled.tokens);
    matchers.set(compiled, matcher);
  }
  if (matcher === null) return undefined;

  const groups = matcher.regex.exec(value);
  if (groups === null) return false;
  const { readers, values } = matcher;
  for (let i = 0; i < readers.length; i++) {
    if (!read(readers[i]!, groups[i + 1]!, values)) return false;
  }
  return fieldsAgree(values);
}

function read(reader: GroupReader, text: string, values: Float64Array): boolean {
  let value: number;
  switch (reader.kind) {
    case 'number':
      value = digitsValue(text, 0);
      break;
    case 'year': {
      const sign = text.charCodeAt(0);
      // '-' (45) or '+' (43); which years may have which sign is up to the regex.
      if (sign === 45) value = -digitsValue(text, 1);
      else if (sign === 43) value = digitsValue(text, 1);
      else value = reader.twoDigit ? 2000 + digitsValue(text, 0) : digitsValue(text, 0);
      break;
    }
    case 'text':
      value = reader.printed.get(text) ?? reader.values[textIndex(text, reader.lower)]!;
      break;
    case 'offset':
      return text === 'Z' || offsetInRange(text, 0);
    case 'zoneName':
      return isZoneNameText(text);
  }
  if (value < reader.min || value > reader.max) return false;
  if (reader.slot !== NO_SLOT) values[reader.slot] = value;
  return true;
}

/** The number in the ASCII digits of `text` from `start` on (the regex made sure they are digits). */
function digitsValue(text: string, start: number): number {
  let value = 0;
  for (let i = start; i < text.length; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

/**
 * Which of the lower-case names `text` is. The regex made sure it is one of them, in some case, and
 * names differ other than in case, so OR-ing in the ASCII lower-case bit is enough to tell.
 */
function textIndex(text: string, lower: readonly string[]): number {
  outer: for (let i = 0; i < lower.length; i++) {
    const name = lower[i]!;
    if (name.length !== text.length) continue;
    for (let j = 0; j < name.length; j++) {
      if ((text.charCodeAt(j) | 0x20) !== name.charCodeAt(j)) continue outer;
    }
    return i;
  }
  return -1;
}

/**
 * The checks of `checkDate` and `checkHours` for the fields a fast-path pattern can have (no day of
 * year, week or quarter fields). Absent fields are NaN, for which every comparison is false.
 */
function fieldsAgree(values: Float64Array): boolean {
  // The proleptic year (year 0 = 1 BC), from u, or from y with its era.
  let year = values[YEAR]!;
  const yearOfEra = values[YEAR_OF_ERA]!;
  if (!Number.isNaN(yearOfEra)) {
    const fromEra = values[ERA] === 0 ? 1 - yearOfEra : yearOfEra;
    if (!Number.isNaN(year) && year !== fromEra) return false;
    year = fromEra;
  }

  const month = values[MONTH]!;
  const day = values[DAY]!;
  if (!Number.isNaN(month) && !Number.isNaN(day)) {
    // Without a year, February 29 is allowed (it exists in leap years).
    if (day > daysInMonth(Number.isNaN(year) ? 2000 : year, month)) return false;
    // With a complete date, the day name must be that date's.
    const dayOfWeek = values[DAY_OF_WEEK]!;
    if (!Number.isNaN(dayOfWeek) && isDateYear(year) && dayOfWeek !== isoDayOfWeek(year, month, day)) {
      return false;
    }
  }

  let hourOfDay = values[HOUR_OF_DAY]!;
  const clockHourOfDay = values[CLOCK_HOUR_OF_DAY]!;
  if (!Number.isNaN(clockHourOfDay)) {
    if (!Number.isNaN(hourOfDay) && hourOfDay !== clockHourOfDay % 24) return false;
    hourOfDay = clockHourOfDay % 24;
  }
  let hourOfAmPm = values[HOUR_OF_AM_PM]!;
  const clockHourOfAmPm = values[CLOCK_HOUR_OF_AM_PM]!;
  if (!Number.isNaN(clockHourOfAmPm)) {
    if (!Number.isNaN(hourOfAmPm) && hourOfAmPm !== clockHourOfAmPm % 12) return false;
    hourOfAmPm = clockHourOfAmPm % 12;
  }
  if (Number.isNaN(hourOfDay)) return true;
  const amPm = values[AM_PM_FIELD]!;
  if (!Number.isNaN(amPm) && (hourOfDay >= 12 ? 1 : 0) !== amPm) return false;
  return Number.isNaN(hourOfAmPm) || hourOfDay % 12 === hourOfAmPm;
}

// ---------------------------------------------------------------------------------------------
// Building the regex

/** What one field token becomes: a regex source with at most one capture group, and its reader. */
interface FieldSource {
  readonly source: string;
  /** Reader of the token's capture group; null when the source has no group (always valid). */
  readonly reader: GroupReader | null;
  /** The field the token sets, to keep patterns that set a field twice off the fast path. */
  readonly field: FieldName;
  /** How many lengths the source can match at one place, as far as backtracking goes. */
  readonly lengths: number;
}

/**
 * Most ways the regex may split a value. Unlike the parser, which remembers dead ends, a
 * backtracking regex can try every combination of field lengths before failing, so patterns with
 * many adjacent variable-width numbers (`unANMdHkhKms`) would be slow on bad values. Typical
 * patterns stay far below this: `d/M/y H:m:s` has 288 ways and `yyyy-MM-dd'T'HH:mm:ssXXX` 18.
 */
const MAX_REGEX_SPLITS = 1024;

function buildMatcher(tokens: readonly PatternToken[]): FastMatcher | null {
  let source = '';
  const readers: GroupReader[] = [];
  const fields = new Set<FieldName>();
  let splits = 1;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'literal') {
      source += escapeRegex(token.text);
      continue;
    }
    // The parser tries an optional section both ways; a regex `(?:…)?` would too, but its errors
    // and backtracking order are subtle enough to leave these rare patterns to the parser.
    if (token.kind !== 'field') return null;
    const field = fieldSource(token, tokens[i + 1]);
    // The parser reports a field given twice unless both agree; rare, so left to it.
    if (field === null || fields.has(field.field)) return null;
    fields.add(field.field);
    splits *= field.lengths;
    if (splits > MAX_REGEX_SPLITS) return null;
    source += field.source;
    if (field.reader !== null) readers.push(field.reader);
  }
  return { regex: new RegExp(`^${source}$`), readers, values: new Float64Array(SLOT_COUNT).fill(Number.NaN) };
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** Mirrors `readField` in parse.ts; null for what the fast path leaves to the parser. */
function fieldSource(token: FieldToken, next: PatternToken | undefined): FieldSource | null {
  const { letter, count } = token;
  switch (letter) {
    case 'G':
      return textSource('era', eraTexts(textWidth(count)));
    case 'y':
      return yearSource('yearOfEra', count, false);
    case 'u':
      return yearSource('year', count, true);
    case 'M':
    case 'L':
      if (count <= 2) return numberSource('month', count, 2);
      return count === 5 ? null : textSource('month', monthTexts(textWidth(count)));
    case 'd':
      return numberSource('dayOfMonth', count, 2);
    case 'E':
    case 'e':
      if (letter === 'e' && count <= 2) return numberSource('dayOfWeek', count, count);
      return count === 5 ? null : textSource('dayOfWeek', dayTexts(textWidth(count)));
    case 'a':
      return textSource('amPm', AM_PM);
    case 'H':
      return numberSource('hourOfDay', count, 2);
    case 'k':
      return numberSource('clockHourOfDay', count, 2);
    case 'h':
      return numberSource('clockHourOfAmPm', count, 2);
    case 'K':
      return numberSource('hourOfAmPm', count, 2);
    case 'm':
      return numberSource('minute', count, 2);
    case 's':
      return numberSource('second', count, 2);
    case 'S':
      // Exactly `count` digits, and any fraction is in range.
      return { source: `\\d{${count}}`, reader: null, field: 'nanoOfSecond', lengths: 1 };
    case 'n':
      return numberSource('nanoOfSecond', count, Math.max(count, 9));
    case 'A':
      return numberSource('milliOfDay', count, Math.max(count, 8));
    case 'N':
      return numberSource('nanoOfDay', count, Math.max(count, 14));
    case 'X':
      return offsetSource(OFFSET_STYLES[count - 1]!, true);
    case 'x':
      return offsetSource(OFFSET_STYLES[count - 1]!, false);
    case 'Z':
      if (count <= 3) return offsetSource(OFFSET_STYLES[1]!, false);
      return count === 5 ? offsetSource(OFFSET_STYLES[4]!, true) : null;
    case 'z':
      return count === 4 ? null : zoneNameSource(next);
    default:
      // Week-based, day-of-year and quarter fields, localized offsets (O, ZZZZ) and zone ids (V).
      return null;
  }
}

/** `readNumber`: `min` to `max` digits, as many as there are first (a greedy quantifier). */
function numberSource(field: FieldName, min: number, max: number): FieldSource {
  const { min: low, max: high } = FIELDS[field];
  return {
    source: `(\\d{${min},${max}})`,
    reader: { kind: 'number', slot: SLOTS[field] ?? NO_SLOT, min: low, max: high },
    field,
    lengths: max - min + 1,
  };
}

/** `readYear`: the same sign and width rules, one alternative per sign. */
function yearSource(field: 'year' | 'yearOfEra', count: number, signed: boolean): FieldSource {
  const { min, max } = FIELDS[field];
  const slot = SLOTS[field]!;
  if (count === 2) {
    return {
      source: '(\\d\\d)',
      reader: { kind: 'year', slot, twoDigit: true, min, max },
      field,
      lengths: 1,
    };
  }
  const widest = Math.max(count, 9);
  const alternatives = [`\\d{${count},${widest}}`];
  if (signed) alternatives.push(`-\\d{${count},${widest}}`);
  // '+' only before a year wider than the pattern.
  if (count >= 4 && count < widest) alternatives.push(`\\+\\d{${count + 1},${widest}}`);
  return {
    source: `(${alternatives.join('|')})`,
    reader: { kind: 'year', slot, twoDigit: false, min, max },
    field,
    // The sign alternatives start differently, so at most one of them applies at a place.
    lengths: widest - count + 1,
  };
}

/**
 * `readText`: the names in any case, written as `[Jj][Aa][Nn]` rather than with the `i` flag, which
 * would also make literals case-insensitive. No name is another's prefix, so the order is free.
 */
function textSource(field: FieldName, texts: TextField): FieldSource {
  const lower = texts.texts.map((text) => text.toLowerCase());
  const names = texts.texts.map((text) =>
    [...text]
      .map((ch) =>
        ch.toLowerCase() === ch.toUpperCase() ? escapeRegex(ch) : `[${ch.toUpperCase()}${ch.toLowerCase()}]`,
      )
      .join(''),
  );
  const { min, max } = FIELDS[field];
  return {
    source: `(${names.join('|')})`,
    reader: {
      kind: 'text',
      slot: SLOTS[field] ?? NO_SLOT,
      printed: new Map(texts.texts.map((text, i) => [text, texts.values[i]!])),
      lower,
      values: texts.values,
      min,
      max,
    },
    field,
    // No name is a prefix of another, so at most one matches at a place.
    lengths: 1,
  };
}

/** `offsetMatches`: sign and hours, then minutes and seconds as the style has them; longest first. */
function offsetSource(style: OffsetStyle, zeroIsZ: boolean): FieldSource {
  const sep = style.colon ? ':' : '';
  const seconds = style.seconds ? `(?:${sep}\\d\\d)?` : '';
  const minutes = style.optionalMinutes ? `(?:${sep}\\d\\d${seconds})?` : `${sep}\\d\\d${seconds}`;
  const offset = `[+-]\\d\\d${minutes}`;
  return {
    source: `(${zeroIsZ ? `Z|${offset}` : offset})`,
    reader: { kind: 'offset' },
    field: 'offsetSeconds',
    lengths: 3,
  };
}

/**
 * `zoneNameMatches` reads too many forms (abbreviations, zone ids, GMT and ISO offsets) to spell out
 * as one regex. Instead the group takes the whole run of characters zone names are made of, and
 * `isZoneNameText` checks it. That is only right where the run has to end: at the end of the value
 * or before a literal that cannot continue it. Then the parser can only use a reading that ends
 * there too, so the regex cannot find a split the parser would not have found first.
 */
function zoneNameSource(next: PatternToken | undefined): FieldSource | null {
  const zoneChar = /[A-Za-z0-9_+/:-]/;
  const boundary = next === undefined || (next.kind === 'literal' && !zoneChar.test(next.text[0] ?? 'a'));
  if (!boundary) return null;
  // One length: the run has to end before the next literal or at the end.
  return {
    source: '([A-Za-z0-9_+/:-]+)',
    reader: { kind: 'zoneName' },
    field: 'offsetSeconds',
    lengths: 1,
  };
}
