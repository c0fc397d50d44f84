/**
 * English (java.time `Locale.ROOT`/`Locale.US`) texts of the text fields, by pattern letter and count.
 * Formatting and parsing both use these lists, so whatever we print we can also read back.
 */
import { DAY_NAMES, MONTH_NAMES } from './calendar.js';

/** Texts for one field; `values[i]` is the field value that `texts[i]` stands for. */
export interface TextField {
  readonly texts: readonly string[];
  readonly values: readonly number[];
}

const ONE_TO_TWELVE = MONTH_NAMES.map((_, i) => i + 1);
const ONE_TO_SEVEN = DAY_NAMES.map((_, i) => i + 1);
const ONE_TO_FOUR = [1, 2, 3, 4];

/** Texts by width: 'short' (Jan, Mon, AD), 'full' (January, Monday, Anno Domini), 'narrow' (J, M, A). */
export type TextWidth = 'short' | 'full' | 'narrow';

/** java.time picks the text width from the letter count: 1-3 short, 4 full, 5 narrow. */
export function textWidth(count: number): TextWidth {
  if (count === 4) return 'full';
  return count === 5 ? 'narrow' : 'short';
}

function shorten(names: readonly string[], width: TextWidth): string[] {
  if (width === 'full') return [...names];
  return names.map((name) => name.slice(0, width === 'short' ? 3 : 1));
}

export function monthTexts(width: TextWidth): TextField {
  return { texts: shorten(MONTH_NAMES, width), values: ONE_TO_TWELVE };
}

/** Day-of-week texts; values are ISO numbers (1 = Monday). */
export function dayTexts(width: TextWidth): TextField {
  return { texts: shorten(DAY_NAMES, width), values: ONE_TO_SEVEN };
}

/** Era texts; value 1 is AD (CE), 0 is BC (BCE), as in java.time's `IsoEra`. */
export function eraTexts(width: TextWidth): TextField {
  const texts = {
    short: ['BC', 'AD'],
    full: ['Before Christ', 'Anno Domini'],
    narrow: ['B', 'A'],
  };
  return { texts: texts[width], values: [0, 1] };
}

export const AM_PM: TextField = { texts: ['AM', 'PM'], values: [0, 1] };

/** Quarter texts for `QQQ` (Q1) and `QQQQ` (1st quarter). */
export function quarterTexts(count: 3 | 4): TextField {
  const texts =
    count === 3 ? ['Q1', 'Q2', 'Q3', 'Q4'] : ['1st quarter', '2nd quarter', '3rd quarter', '4th quarter'];
  return { texts, values: ONE_TO_FOUR };
}

/** The text of `value` in `field`; fields always contain every value the formatter asks for. */
export function textOf(field: TextField, value: number): string {
  return field.texts[field.values.indexOf(value)] ?? String(value);
}
