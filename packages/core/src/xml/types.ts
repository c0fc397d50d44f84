/** A namespace-aware name of an element or attribute. */
export interface XmlName {
  /** The part after the colon, or the whole name when there is no prefix. */
  local: string;
  /** The prefix as written, e.g. `soap` in `soap:Envelope`; `undefined` when unprefixed. */
  prefix: string | undefined;
  /** The namespace URI resolved from the `xmlns` declarations in scope; `undefined` for no namespace. */
  namespace: string | undefined;
}

export interface XmlAttribute {
  name: XmlName;
  /** The name exactly as written, e.g. `xml:lang`. */
  qualifiedName: string;
  /** The value with references expanded and whitespace normalised as XML 1.0 requires. */
  value: string;
}

export interface XmlText {
  kind: 'text';
  value: string;
  /** True when the text came from a `<![CDATA[...]]>` section. */
  cdata: boolean;
}

export interface XmlElement {
  kind: 'element';
  name: XmlName;
  /** The name exactly as written, e.g. `soap:Envelope`. */
  qualifiedName: string;
  /** Real attributes only; `xmlns` and `xmlns:*` declarations are in `namespaceDeclarations`. */
  attributes: XmlAttribute[];
  /** Namespace declarations made on this element: prefix to URI, `''` for the default namespace. */
  namespaceDeclarations: Record<string, string>;
  children: Array<XmlElement | XmlText>;
}

export type XmlParseResult =
  | { ok: true; root: XmlElement }
  | { ok: false; error: string; line: number; column: number };
