/**
 * `\p{...}` names as Java and Oniguruma write them, resolved to character sets JavaScript can express:
 * Java's POSIX names (`Alpha`, ASCII by default), `java*` names (`javaLowerCase`), general categories
 * (`L`, `IsLu`, `gc=Lu`), scripts (`IsLatin`, `script=Greek`) and binary properties (`IsAlphabetic`).
 */
import { type CharSet, not, posixSet, prop, type Range, ranges, union } from './charset.js';

export type PropertyResult =
  | { readonly set: CharSet }
  /** `unsupported`: a real property JavaScript has no equivalent for (e.g. a Unicode block). */
  | { readonly error: string; readonly unsupported: boolean; readonly advice: string };

/** Java's POSIX property names (case-sensitive in Java) → POSIX table key. */
const JAVA_POSIX: Readonly<Record<string, string>> = {
  Lower: 'lower',
  Upper: 'upper',
  ASCII: 'ascii',
  Alpha: 'alpha',
  Digit: 'digit',
  Alnum: 'alnum',
  Punct: 'punct',
  Graph: 'graph',
  Print: 'print',
  Blank: 'blank',
  Cntrl: 'cntrl',
  XDigit: 'xdigit',
  Space: 'space',
};

/** Character.isIdentifierIgnorable: non-whitespace ISO controls, plus format characters. */
const identifierIgnorable = (): CharSet =>
  union([
    ranges([
      [0x00, 0x08],
      [0x0e, 0x1b],
      [0x7f, 0x9f],
    ]),
    prop('Cf'),
  ]);

/** java.lang.Character predicates, as `\p{javaXxx}`. */
function javaCharacterClass(name: string): CharSet | undefined {
  switch (name) {
    case 'javaLowerCase':
      return prop('Lowercase');
    case 'javaUpperCase':
      return prop('Uppercase');
    case 'javaTitleCase':
      return prop('Lt');
    case 'javaDigit':
      return prop('Nd');
    case 'javaDefined':
      return prop('Cn', true);
    case 'javaLetter':
      return prop('L');
    case 'javaLetterOrDigit':
      return union([prop('L'), prop('Nd')]);
    case 'javaAlphabetic':
      return prop('Alphabetic');
    case 'javaIdeographic':
      return prop('Ideographic');
    case 'javaSpaceChar':
      return union([prop('Zs'), prop('Zl'), prop('Zp')]);
    case 'javaWhitespace': {
      // Space separators except the no-break ones, plus the ASCII whitespace controls.
      const list: Range[] = [
        [0x09, 0x0d],
        [0x1c, 0x20],
        [0x1680, 0x1680],
        [0x2000, 0x2006],
        [0x2008, 0x200a],
        [0x2028, 0x2029],
        [0x205f, 0x205f],
        [0x3000, 0x3000],
      ];
      return ranges(list, [[0x20, 0x20]]);
    }
    case 'javaISOControl':
      return ranges([
        [0x00, 0x1f],
        [0x7f, 0x9f],
      ]);
    case 'javaMirrored':
      return prop('Bidi_Mirrored');
    case 'javaIdentifierIgnorable':
      return identifierIgnorable();
    case 'javaJavaIdentifierStart':
      return union([prop('L'), prop('Nl'), prop('Sc'), prop('Pc')]);
    case 'javaJavaIdentifierPart':
      return union([
        prop('L'),
        prop('Nl'),
        prop('Sc'),
        prop('Pc'),
        prop('Nd'),
        prop('Mn'),
        prop('Mc'),
        identifierIgnorable(),
      ]);
    case 'javaUnicodeIdentifierStart':
      return prop('ID_Start');
    case 'javaUnicodeIdentifierPart':
      return union([prop('ID_Continue'), identifierIgnorable()]);
    default:
      return undefined;
  }
}

/** General categories Java knows by their short names, plus Java's own `LD` and `L1`. */
const CATEGORIES = new Set(
  (
    'L Lu Ll Lt Lm Lo LC M Mn Mc Me N Nd Nl No Z Zs Zl Zp C Cc Cf Co Cs Cn ' +
    'P Pd Ps Pe Pc Po Pi Pf S Sm Sc Sk So'
  ).split(' '),
);

function category(name: string): CharSet | undefined {
  if (CATEGORIES.has(name)) return prop(name);
  if (name === 'LD') return union([prop('L'), prop('Nd')]);
  if (name === 'L1') return ranges([[0x00, 0xff]]);
  if (name === 'all') return ranges([[0x00, 0x10ffff]]);
  return undefined;
}

/** Java's binary properties (`\p{IsAlphabetic}`), keyed by upper case without `_`/space/`-`. */
function binaryProperty(name: string): CharSet | undefined {
  const key = name.toUpperCase().replace(/[\s_-]/g, '');
  const simple: Record<string, string> = {
    ALPHABETIC: 'Alphabetic',
    LETTER: 'L',
    IDEOGRAPHIC: 'Ideographic',
    LOWERCASE: 'Lowercase',
    UPPERCASE: 'Uppercase',
    TITLECASE: 'Lt',
    WHITESPACE: 'White_Space',
    CONTROL: 'Cc',
    PUNCTUATION: 'P',
    HEXDIGIT: 'Hex_Digit',
    JOINCONTROL: 'Join_Control',
    NONCHARACTERCODEPOINT: 'Noncharacter_Code_Point',
    DIGIT: 'Nd',
    EMOJI: 'Emoji',
    EMOJIPRESENTATION: 'Emoji_Presentation',
    EMOJIMODIFIER: 'Emoji_Modifier',
    EMOJIMODIFIERBASE: 'Emoji_Modifier_Base',
    EMOJICOMPONENT: 'Emoji_Component',
    EXTENDEDPICTOGRAPHIC: 'Extended_Pictographic',
  };
  const js = simple[key];
  if (js !== undefined) return prop(js);
  if (key === 'ASSIGNED') return prop('Cn', true);
  if (key === 'ALNUM' || key === 'BLANK' || key === 'GRAPH' || key === 'PRINT') {
    // These Java binary properties are always the Unicode flavour.
    return posixSet(key.toLowerCase(), true);
  }
  return undefined;
}

const validity = new Map<string, boolean>();

/**
 * Whether this JavaScript engine accepts `\p{name}` (script and property tables vary by engine).
 *
 * @example
 * isJsProperty('Script=Greek') // true
 */
export function isJsProperty(name: string): boolean {
  let ok = validity.get(name);
  if (ok === undefined) {
    try {
      new RegExp(`\\p{${name}}`, 'u');
      ok = true;
    } catch {
      ok = false;
    }
    validity.set(name, ok);
  }
  return ok;
}

/** A script by Java's case-insensitive name (`LATIN`, `old_italic`) or its ISO code (`Latn`). */
function script(name: string): CharSet | undefined {
  const titled = name
    .toLowerCase()
    .split(/[\s_]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('_');
  for (const candidate of [name, titled]) {
    if (/^[A-Za-z_]+$/.test(candidate) && isJsProperty(`Script=${candidate}`))
      return prop(`Script=${candidate}`);
  }
  return undefined;
}

/**
 * Common Unicode blocks (JavaScript has no block properties), keyed as Java matches block names:
 * case-insensitive, ignoring spaces, `_` and `-`. Others are rejected with advice.
 */
const BLOCKS: Readonly<Record<string, Range>> = {
  BASICLATIN: [0x0000, 0x007f],
  LATIN1SUPPLEMENT: [0x0080, 0x00ff],
  LATINEXTENDEDA: [0x0100, 0x017f],
  LATINEXTENDEDB: [0x0180, 0x024f],
  IPAEXTENSIONS: [0x0250, 0x02af],
  SPACINGMODIFIERLETTERS: [0x02b0, 0x02ff],
  COMBININGDIACRITICALMARKS: [0x0300, 0x036f],
  GREEK: [0x0370, 0x03ff],
  GREEKANDCOPTIC: [0x0370, 0x03ff],
  CYRILLIC: [0x0400, 0x04ff],
  ARMENIAN: [0x0530, 0x058f],
  HEBREW: [0x0590, 0x05ff],
  ARABIC: [0x0600, 0x06ff],
  DEVANAGARI: [0x0900, 0x097f],
  THAI: [0x0e00, 0x0e7f],
  HANGULJAMO: [0x1100, 0x11ff],
  LATINEXTENDEDADDITIONAL: [0x1e00, 0x1eff],
  GREEKEXTENDED: [0x1f00, 0x1fff],
  GENERALPUNCTUATION: [0x2000, 0x206f],
  SUPERSCRIPTSANDSUBSCRIPTS: [0x2070, 0x209f],
  CURRENCYSYMBOLS: [0x20a0, 0x20cf],
  LETTERLIKESYMBOLS: [0x2100, 0x214f],
  NUMBERFORMS: [0x2150, 0x218f],
  ARROWS: [0x2190, 0x21ff],
  MATHEMATICALOPERATORS: [0x2200, 0x22ff],
  MISCELLANEOUSTECHNICAL: [0x2300, 0x23ff],
  BOXDRAWING: [0x2500, 0x257f],
  BLOCKELEMENTS: [0x2580, 0x259f],
  GEOMETRICSHAPES: [0x25a0, 0x25ff],
  MISCELLANEOUSSYMBOLS: [0x2600, 0x26ff],
  DINGBATS: [0x2700, 0x27bf],
  CJKSYMBOLSANDPUNCTUATION: [0x3000, 0x303f],
  HIRAGANA: [0x3040, 0x309f],
  KATAKANA: [0x30a0, 0x30ff],
  CJKUNIFIEDIDEOGRAPHS: [0x4e00, 0x9fff],
  HANGULSYLLABLES: [0xac00, 0xd7af],
  PRIVATEUSEAREA: [0xe000, 0xf8ff],
  ALPHABETICPRESENTATIONFORMS: [0xfb00, 0xfb4f],
  HALFWIDTHANDFULLWIDTHFORMS: [0xff00, 0xffef],
  SPECIALS: [0xfff0, 0xffff],
  EMOTICONS: [0x1f600, 0x1f64f],
};

/** `\p{InGreek}`, `\p{block=Basic Latin}`: an explicit range, or an error for blocks not in the table. */
function block(name: string, raw: string): PropertyResult {
  const range = BLOCKS[name.toUpperCase().replace(/[\s_-]/g, '')];
  if (range !== undefined) return { set: ranges([range]) };
  return {
    error: `the Unicode block property \\p{${raw}}`,
    unsupported: true,
    advice:
      'JavaScript has no Unicode blocks and this one is not in the built-in table: use an explicit range ' +
      'such as [\\u0370-\\u03FF] or a script such as \\p{IsGreek}',
  };
}

/**
 * Resolves the text between `\p{` and `}` (already stripped of Oniguruma's `^` negation).
 * `unicodeClasses` is Java's `(?U)` flag, which turns the POSIX names into their Unicode meaning.
 *
 * @example
 * resolveProperty('Alpha', false) // { set: [A-Za-z] }
 * resolveProperty('IsLatin', false) // { set: \p{Script=Latin} }
 */
export function resolveProperty(raw: string, unicodeClasses: boolean): PropertyResult {
  const posix = JAVA_POSIX[raw];
  if (posix !== undefined) return { set: posixSet(posix, unicodeClasses)! };
  if (raw.startsWith('java')) {
    const set = javaCharacterClass(raw);
    if (set !== undefined) return { set };
    return { error: `unknown Java character class \\p{${raw}}`, unsupported: false, advice: '' };
  }
  const eq = raw.indexOf('=');
  if (eq >= 0) {
    const key = raw.slice(0, eq).trim().toLowerCase().replace(/[\s_]/g, '');
    const value = raw.slice(eq + 1).trim();
    let set: CharSet | undefined;
    if (key === 'gc' || key === 'generalcategory') set = category(value);
    else if (key === 'sc' || key === 'script') set = script(value);
    else if (key === 'blk' || key === 'block') return block(value, raw);
    if (set !== undefined) return { set };
    return { error: `unknown Unicode property \\p{${raw}}`, unsupported: false, advice: '' };
  }
  const direct = category(raw) ?? binaryProperty(raw);
  if (direct !== undefined) return { set: direct };
  if (raw.startsWith('Is')) {
    const rest = raw.slice(2);
    const set = category(rest) ?? binaryProperty(rest) ?? script(rest);
    if (set !== undefined) return { set };
  }
  if (raw.startsWith('In') && raw.length > 2) {
    const found = block(raw.slice(2), raw);
    // Oniguruma's bare script names include `Inherited`.
    return 'set' in found ? found : script(raw) === undefined ? found : { set: script(raw)! };
  }
  // Oniguruma also accepts bare script names (\p{Greek}).
  const bare = script(raw);
  if (bare !== undefined) return { set: bare };
  return { error: `unknown Unicode property \\p{${raw}}`, unsupported: false, advice: '' };
}

/**
 * `\P{...}` and `\p{^...}`: the complement.
 *
 * @example
 * negateProperty(resolveProperty('L', false)) // { set: \P{L} }
 */
export function negateProperty(result: PropertyResult): PropertyResult {
  return 'set' in result ? { set: not(result.set) } : result;
}
