// Character classes from XML 1.0 (fifth edition) and Namespaces in XML 1.0.

/** Characters XML 1.0 forbids anywhere in a document, including unpaired surrogates. */
export const INVALID_CHAR =
  /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The XML `S` production: space, tab, line feed, carriage return. */
export function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** XML `NameStartChar`, on UTF-16 code units (a high surrogate stands for U+10000..U+EFFFF). */
export function isNameStartChar(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
  if (c < 0x2000) return (c >= 0xc0 && c < 0x300 && c !== 0xd7 && c !== 0xf7) || (c >= 0x370 && c !== 0x37e);
  if (c < 0x3001) {
    return c === 0x200c || c === 0x200d || (c >= 0x2070 && c <= 0x218f) || (c >= 0x2c00 && c <= 0x2fef);
  }
  // U+3001..U+D7FF, then the high surrogates D800..DB7F that encode U+10000..U+EFFFF.
  if (c <= 0xdb7f) return true;
  return (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xfffd);
}

/** XML `NameChar`, on UTF-16 code units. */
export function isNameChar(c: number): boolean {
  if (c < 0x80) {
    return (
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x5f ||
      c === 0x3a ||
      c === 0x2d ||
      c === 0x2e
    );
  }
  return (
    isNameStartChar(c) ||
    c === 0xb7 ||
    (c >= 0x300 && c <= 0x36f) ||
    c === 0x203f ||
    c === 0x2040 ||
    // Low surrogates only ever follow a high surrogate that was already accepted (input is checked first).
    (c >= 0xdc00 && c <= 0xdfff)
  );
}

/** The XML `Char` production, on code points: what a character reference may produce. */
export function isXmlCodePoint(cp: number): boolean {
  return (
    (cp >= 0x20 && cp <= 0xd7ff) ||
    cp === 0x0a ||
    cp === 0x09 ||
    cp === 0x0d ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** `U+0041` style label for messages. */
export function codePointLabel(cp: number): string {
  return 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
}
