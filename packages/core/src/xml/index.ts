/**
 * Namespace-aware XML parsing and canonical serialisation for matching XML bodies.
 * Dependency-free and runtime-neutral (no Node built-ins).
 */
export { XML_NAMESPACE, XMLNS_NAMESPACE } from './namespaces.js';
export { parseXml } from './parse.js';
export { serializeXml } from './serialize.js';
export { textContent } from './text.js';
export type { XmlAttribute, XmlElement, XmlName, XmlParseResult, XmlText } from './types.js';
