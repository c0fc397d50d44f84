/**
 * Zone offsets and zone ids/names: how the X, x, Z, O, z and V pattern letters print and read them.
 * Without a time-zone database we accept ids by shape (known area + location) rather than by lookup.
 */

/** Layout of an ISO-style offset such as `+01`, `+0100` or `+01:00:00`. */
export interface OffsetStyle {
  readonly colon: boolean;
  /** Minutes may be left out when they are zero (`X`, `x`: `+01` or `+0130`). */
  readonly optionalMinutes: boolean;
  /** Seconds may follow the minutes (`XXXX`, `XXXXX`). */
  readonly seconds: boolean;
}

/** Styles of `X`…`XXXXX` (and `x`…`xxxxx`), indexed by letter count - 1. */
export const OFFSET_STYLES: readonly OffsetStyle[] = [
  { colon: false, optionalMinutes: true, seconds: false }, // +HHmm
  { colon: false, optionalMinutes: false, seconds: false }, // +HHMM
  { colon: true, optionalMinutes: false, seconds: false }, // +HH:MM
  { colon: false, optionalMinutes: false, seconds: true }, // +HHMMss
  { colon: true, optionalMinutes: false, seconds: true }, // +HH:MM:ss
];

/** One way a zone-ish field could end; `problem` says why the text is structurally fine but invalid. */
export interface ZoneMatch {
  readonly end: number;
  readonly offsetSeconds?: number;
  readonly problem?: string;
}

const MAX_OFFSET_SECONDS = 18 * 3600;

/** Region ids are checked by their area, e.g. the `Europe` of `Europe/London`. */
const ZONE_AREAS = new Set([
  'Africa',
  'America',
  'Antarctica',
  'Arctic',
  'Asia',
  'Atlantic',
  'Australia',
  'Europe',
  'Indian',
  'Pacific',
  'Etc',
  'SystemV',
  'US',
  'Canada',
  'Brazil',
  'Mexico',
  'Chile',
]);

/** Zone ids without a slash that the tz database (and so java.time) knows. */
const SINGLE_ZONE_IDS = new Set([
  'Z',
  'UTC',
  'GMT',
  'UT',
  'UCT',
  'Zulu',
  'Universal',
  'Greenwich',
  'GMT0',
  'CET',
  'EET',
  'MET',
  'WET',
  'EST',
  'MST',
  'HST',
  'EST5EDT',
  'CST6CDT',
  'MST7MDT',
  'PST8PDT',
  'Cuba',
  'Egypt',
  'Eire',
  'GB',
  'GB-Eire',
  'Hongkong',
  'Iceland',
  'Iran',
  'Israel',
  'Jamaica',
  'Japan',
  'Kwajalein',
  'Libya',
  'NZ',
  'NZ-CHAT',
  'Navajo',
  'PRC',
  'Poland',
  'Portugal',
  'ROC',
  'ROK',
  'Singapore',
  'Turkey',
  'W-SU',
]);

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function splitOffset(totalMinutes: number): { sign: string; hours: number; minutes: number } {
  const abs = Math.abs(totalMinutes);
  return { sign: totalMinutes < 0 ? '-' : '+', hours: Math.floor(abs / 60), minutes: abs % 60 };
}

/** `+01:00`, `+0100` or `+01` for an offset in minutes. */
export function formatOffset(totalMinutes: number, style: OffsetStyle): string {
  const { sign, hours, minutes } = splitOffset(totalMinutes);
  if (style.optionalMinutes && minutes === 0) return sign + pad2(hours);
  return sign + pad2(hours) + (style.colon ? ':' : '') + pad2(minutes);
}

/** Localized offsets: `GMT` for zero, else `GMT+1`/`GMT+5:30` (short, `O`) or `GMT+01:00` (full). */
export function formatGmtOffset(totalMinutes: number, short: boolean): string {
  if (totalMinutes === 0) return 'GMT';
  const { sign, hours, minutes } = splitOffset(totalMinutes);
  if (short) return `GMT${sign}${hours}${minutes === 0 ? '' : `:${pad2(minutes)}`}`;
  return `GMT${sign}${pad2(hours)}:${pad2(minutes)}`;
}

function digitsAt(input: string, pos: number, count: number): number | undefined {
  const text = input.slice(pos, pos + count);
  return text.length === count && /^\d+$/.test(text) ? Number(text) : undefined;
}

function offsetMatch(input: string, start: number, end: number, h: number, m: number, s: number): ZoneMatch {
  const sign = input[start] === '-' ? -1 : 1;
  const total = h * 3600 + m * 60 + s;
  if (h > 18 || m > 59 || s > 59 || total > MAX_OFFSET_SECONDS) {
    return {
      end,
      problem: `offset '${input.slice(start, end)}' is out of range (at most ±18:00, minutes and seconds 0-59)`,
    };
  }
  return { end, offsetSeconds: sign * total };
}

/**
 * Ways an ISO-style offset can be read at `pos`, longest first.
 * `zeroText` is what stands for a zero offset (`Z` for the X letters, none for x and Z).
 */
export function offsetMatches(
  input: string,
  pos: number,
  style: OffsetStyle,
  zeroText: string | null,
): ZoneMatch[] {
  const found: ZoneMatch[] = [];
  if (zeroText !== null && input.startsWith(zeroText, pos))
    found.push({ end: pos + zeroText.length, offsetSeconds: 0 });
  const sign = input[pos];
  const hours = digitsAt(input, pos + 1, 2);
  if ((sign !== '+' && sign !== '-') || hours === undefined) return found;

  let end = pos + 3;
  if (style.optionalMinutes) found.push(offsetMatch(input, pos, end, hours, 0, 0));
  const sep = style.colon ? ':' : '';
  const minutes = input.startsWith(sep, end) ? digitsAt(input, end + sep.length, 2) : undefined;
  if (minutes !== undefined) {
    end += sep.length + 2;
    found.push(offsetMatch(input, pos, end, hours, minutes, 0));
    const seconds =
      style.seconds && input.startsWith(sep, end) ? digitsAt(input, end + sep.length, 2) : undefined;
    if (seconds !== undefined)
      found.push(offsetMatch(input, pos, end + sep.length + 2, hours, minutes, seconds));
  }
  return found.reverse();
}

/** Localized offsets such as `GMT`, `GMT+1`, `GMT+05:30` (also with a `UTC` or `UT` prefix). */
export function gmtOffsetMatches(input: string, pos: number): ZoneMatch[] {
  const prefix = ['GMT', 'UTC', 'UT'].find((p) => input.startsWith(p, pos));
  if (prefix === undefined) return [];
  const found: ZoneMatch[] = [{ end: pos + prefix.length, offsetSeconds: 0 }];
  const signAt = pos + prefix.length;
  if (input[signAt] !== '+' && input[signAt] !== '-') return found;

  const twoDigitHours = digitsAt(input, signAt + 1, 2);
  const hourWidth = twoDigitHours === undefined ? 1 : 2;
  const hours = twoDigitHours ?? digitsAt(input, signAt + 1, 1);
  if (hours === undefined) return found;
  let end = signAt + 1 + hourWidth;
  found.push(offsetMatch(input, signAt, end, hours, 0, 0));
  const minutes = input[end] === ':' ? digitsAt(input, end + 1, 2) : undefined;
  if (minutes !== undefined) {
    end += 3;
    found.push(offsetMatch(input, signAt, end, hours, minutes, 0));
    const seconds = input[end] === ':' ? digitsAt(input, end + 1, 2) : undefined;
    if (seconds !== undefined) found.push(offsetMatch(input, signAt, end + 3, hours, minutes, seconds));
  }
  return found.reverse();
}

const REGION_ID = /[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*/y;

/** Zone ids as `ZoneId.of` takes them: `Europe/London`, `UTC`, `Z`, `+01:00`, `UTC+01:00`. */
export function zoneIdMatches(input: string, pos: number): ZoneMatch[] {
  const prefixed = gmtOffsetMatches(input, pos);
  if (prefixed.length > 1) return prefixed;

  const found: ZoneMatch[] = [
    ...offsetMatches(input, pos, OFFSET_STYLES[4]!, null),
    ...offsetMatches(input, pos, { colon: false, optionalMinutes: true, seconds: true }, null),
  ];
  REGION_ID.lastIndex = pos;
  const id = REGION_ID.exec(input)?.[0];
  if (id !== undefined) {
    const slash = id.indexOf('/');
    if (slash < 0 && SINGLE_ZONE_IDS.has(id)) found.push({ end: pos + id.length });
    if (slash > 0) {
      const known = ZONE_AREAS.has(id.slice(0, slash));
      found.push(
        known ? { end: pos + id.length } : { end: pos + id.length, problem: `unknown time-zone id '${id}'` },
      );
    }
  }
  return bestFirst(found);
}

/** Zone names (`z`: `UTC`, `PST`, `AEST`; `zzzz`: `Pacific Standard Time`), ids and GMT offsets. */
export function zoneNameMatches(input: string, pos: number, full: boolean): ZoneMatch[] {
  const found = [...gmtOffsetMatches(input, pos), ...zoneIdMatches(input, pos)];
  if (!full) found.push(...offsetMatches(input, pos, OFFSET_STYLES[4]!, 'Z'));

  // Abbreviations are 2-6 letters starting with a capital; full names are capitalised words.
  let end = pos;
  while (end < input.length && /[A-Za-z]/.test(input[end]!)) end++;
  const firstIsCapital = /[A-Z]/.test(input[pos] ?? '');
  if (!full && firstIsCapital && end - pos >= 2 && end - pos <= 6) found.push({ end });
  if (full && firstIsCapital && end - pos >= 2) {
    found.push({ end });
    while (input[end] === ' ' && /[A-Za-z]/.test(input[end + 1] ?? '')) {
      end++;
      while (end < input.length && /[A-Za-z]/.test(input[end]!)) end++;
      found.push({ end });
    }
  }
  return bestFirst(found);
}

/** Longest first, one match per end position, preferring one without a problem. */
function bestFirst(matches: ZoneMatch[]): ZoneMatch[] {
  const byEnd = new Map<number, ZoneMatch>();
  for (const match of matches) {
    const seen = byEnd.get(match.end);
    if (seen === undefined || (seen.problem !== undefined && match.problem === undefined))
      byEnd.set(match.end, match);
  }
  return [...byEnd.values()].sort((a, b) => b.end - a.end);
}

// ---------------------------------------------------------------------------------------------
// Allocation-free checks for the matching fast path (fast.ts)

/**
 * Whether offset text whose shape is already known to be right (`+01`, `+0130`, `+01:30:00`, and
 * after a `GMT` prefix also `+1` or `+1:30`; the sign at `signAt`) is in range, i.e. whether
 * `offsetMatch` would accept it without a problem.
 */
export function offsetInRange(text: string, signAt: number): boolean {
  let i = signAt + 1;
  let hours = text.charCodeAt(i++) - 48;
  if (isDigitAt(text, i)) hours = hours * 10 + text.charCodeAt(i++) - 48;
  if (text.charCodeAt(i) === 58 /* : */) i++;
  const minutes = i < text.length ? twoDigitsAt(text, i) : 0;
  i += 2;
  if (text.charCodeAt(i) === 58) i++;
  const seconds = i < text.length ? twoDigitsAt(text, i) : 0;
  return (
    hours <= 18 &&
    minutes <= 59 &&
    seconds <= 59 &&
    hours * 3600 + minutes * 60 + seconds <= MAX_OFFSET_SECONDS
  );
}

function isDigitAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}

function twoDigitsAt(text: string, i: number): number {
  return (text.charCodeAt(i) - 48) * 10 + text.charCodeAt(i + 1) - 48;
}

const ABBREVIATION = /^[A-Z][A-Za-z]{1,5}$/;
/** The no-colon and colon forms `zoneIdMatches` reads, which include those of `offsetMatches(…, 'Z')`. */
const ISO_OFFSET = /^[+-]\d\d(?::\d\d(?::\d\d)?|\d\d(?:\d\d)?)?$/;
/** `gmtOffsetMatches` with a sign; hours are two digits whenever two are there. */
const GMT_OFFSET = /^(?:GMT|UTC|UT)[+-](?:\d\d|\d(?!\d))(?::\d\d(?::\d\d)?)?$/;
/** A whole `REGION_ID` match. */
const WHOLE_REGION_ID = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/**
 * Whether `text` is one of the readings `zoneNameMatches(input, pos, false)` finds without a problem,
 * when `text` is the whole run of zone characters (`[A-Za-z0-9_+/:-]`) at `pos` in `input`.
 * Every reading lies inside that run, and whether one ends exactly at its end depends only on the
 * run, so `text` alone decides it.
 */
export function isZoneNameText(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first === 43 /* + */ || first === 45 /* - */) return ISO_OFFSET.test(text) && offsetInRange(text, 0);
  // The letter run is the whole text: an abbreviation (this also covers 'UTC', 'GMT' and 'UT').
  if (ABBREVIATION.test(text)) return true;
  if (GMT_OFFSET.test(text)) {
    const plus = text.indexOf('+');
    return offsetInRange(text, plus < 0 ? text.indexOf('-') : plus);
  }
  if (!WHOLE_REGION_ID.test(text)) return false;
  const slash = text.indexOf('/');
  return slash < 0 ? SINGLE_ZONE_IDS.has(text) : ZONE_AREAS.has(text.slice(0, slash));
}
