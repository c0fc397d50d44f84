/** Content-type helpers: parsing media types and classifying bodies by them. */

export interface MediaType {
  /** `type/subtype`, lower-cased, e.g. `application/json`. */
  essence: string;
  type: string;
  subtype: string;
  /** The `+suffix` of the subtype (`json` in `application/hal+json`). */
  suffix: string | undefined;
  /** Parameters with lower-cased names, values unquoted. */
  parameters: Record<string, string>;
}

/** Parses `type/subtype; a=b`. Returns undefined for something that is not a media type. */
export function parseMediaType(value: string): MediaType | undefined {
  const [head, ...rest] = splitParameters(value);
  const essence = (head ?? '').trim().toLowerCase();
  const slash = essence.indexOf('/');
  if (slash <= 0 || slash === essence.length - 1) return undefined;
  const type = essence.slice(0, slash);
  const subtype = essence.slice(slash + 1);
  const plus = subtype.lastIndexOf('+');
  const parameters: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    let v = part.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
    parameters[name] = v;
  }
  return { essence, type, subtype, suffix: plus >= 0 ? subtype.slice(plus + 1) : undefined, parameters };
}

// Split on ';' outside double quotes (a parameter value may contain ';').
function splitParameters(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

export type BodyKind = 'json' | 'xml' | 'text' | 'form' | 'multipart' | 'binary';

const TEXT_APPLICATION = new Set([
  'application/javascript',
  'application/ecmascript',
  'application/x-javascript',
  'application/graphql',
  'application/sql',
  'application/yaml',
  'application/x-yaml',
  'application/csv',
]);

/** Which matcher handles a body of this content type. */
export function bodyKindOf(contentType: string | undefined): BodyKind | undefined {
  if (contentType === undefined) return undefined;
  const media = parseMediaType(contentType);
  if (!media) return undefined;
  const { essence, type, subtype, suffix } = media;
  if (subtype === 'json' || suffix === 'json' || subtype.endsWith('-json')) return 'json';
  if (subtype === 'xml' || suffix === 'xml') return 'xml';
  if (essence === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'multipart') return 'multipart';
  if (type === 'text' || TEXT_APPLICATION.has(essence)) return 'text';
  return 'binary';
}

/** Guesses a content type from a textual body, as the other Pact implementations do. */
export function sniffContentType(text: string): string {
  const t = text.trimStart();
  if (t.startsWith('<?xml') || /^<[A-Za-z_][\w:.-]*[\s>/]/.test(t)) return 'application/xml';
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      JSON.parse(t);
      return 'application/json';
    } catch {
      return 'text/plain';
    }
  }
  return 'text/plain';
}

/** Finds a header's values ignoring case. */
export function headerValues(
  headers: Record<string, string[]> | undefined,
  name: string,
): string[] | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lower) return headers[key];
  return undefined;
}

/** The Content-Type header's value, if any. */
export function contentTypeHeader(headers: Record<string, string[]> | undefined): string | undefined {
  const values = headerValues(headers, 'content-type');
  return values && values.length > 0 ? values.join(', ') : undefined;
}

/**
 * Whether a message metadata key holds the content type: `contentType` or `content-type`, in any
 * letter case, as the Pact implementations spell it. The one test for it, so the matching engine,
 * the consumer DSL and the verifier agree on which keys count.
 *
 * @example isContentTypeKey('Content-Type') // true; isContentTypeKey('content_type') // false
 */
export function isContentTypeKey(key: string): boolean {
  const lower = key.toLowerCase();
  return lower === 'contenttype' || lower === 'content-type';
}

/**
 * A message's content type as its metadata states it: the value of `contentType` if that is a
 * string, else of the first key {@link isContentTypeKey} accepts.
 *
 * @example metadataContentType({ 'Content-TYPE': 'text/plain' }) // 'text/plain'
 */
export function metadataContentType(metadata: Record<string, unknown>): string | undefined {
  if (typeof metadata.contentType === 'string') return metadata.contentType;
  for (const key of Object.keys(metadata)) {
    const value = metadata[key];
    if (typeof value === 'string' && isContentTypeKey(key)) return value;
  }
  return undefined;
}
