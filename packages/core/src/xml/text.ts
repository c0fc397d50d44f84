import type { XmlElement } from './types.js';

const EDGE_WHITESPACE = /^[ \t\n\r]+|[ \t\n\r]+$/g;

/** Trims XML whitespace only (space, tab, CR, LF), so e.g. a no-break space is kept. */
export function trimXmlWhitespace(value: string): string {
  return value.replace(EDGE_WHITESPACE, '');
}

/**
 * The element's direct text (plain and CDATA children, in order) concatenated and trimmed of
 * XML whitespace. Text inside child elements is not included.
 *
 * @example
 * const r = parseXml('<a> x <![CDATA[<y>]]><b>z</b> </a>');
 * if (r.ok) textContent(r.root); // 'x <y>'
 */
export function textContent(el: XmlElement): string {
  let text = '';
  for (const child of el.children) {
    if (child.kind === 'text') text += child.value;
  }
  return trimXmlWhitespace(text);
}
