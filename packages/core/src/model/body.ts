import { parseJson } from '../json/parse.js';
import { isJsonObject, type JsonValue, stringifyJson } from '../json/value.js';
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from './bytes.js';
import { bodyKindOf, sniffContentType } from './content-type.js';
import type { Body, BodyContent } from './types.js';

export const MISSING_BODY: Body = { kind: 'missing' };

/**
 * Makes a present body.
 *
 * @example jsonBody({ id: 1 }) // { kind: 'present', contentType: 'application/json', content: { type: 'json', value: { id: 1 } } }
 */
export function jsonBody(value: JsonValue, contentType = 'application/json'): Body {
  return { kind: 'present', contentType, content: { type: 'json', value } };
}

export function textBody(text: string, contentType: string | undefined): Body {
  return { kind: 'present', contentType, content: { type: 'text', text } };
}

export function binaryBody(bytes: Uint8Array, contentType: string | undefined): Body {
  return { kind: 'present', contentType, content: { type: 'binary', bytes } };
}

/** True for a present body with no content at all. */
export function isEmptyBody(body: Body): boolean {
  if (body.kind !== 'present') return false;
  const c = body.content;
  return (c.type === 'text' && c.text === '') || (c.type === 'binary' && c.bytes.length === 0);
}

/** The content type to treat a body as: declared, or sniffed from the content. */
export function effectiveContentType(body: Body): string | undefined {
  if (body.kind !== 'present') return undefined;
  if (body.contentType) return body.contentType;
  const c = body.content;
  if (c.type === 'json') return 'application/json';
  if (c.type === 'text') return c.text === '' ? undefined : sniffContentType(c.text);
  return 'application/octet-stream';
}

/** The body's content as text (UTF-8 for bytes, compact JSON for a parsed value). */
export function bodyText(content: BodyContent): string {
  switch (content.type) {
    case 'text':
      return content.text;
    case 'binary':
      return utf8Decode(content.bytes);
    case 'json':
      return stringifyJson(content.value);
  }
}

/** The body's content as bytes. */
export function bodyBytes(content: BodyContent): Uint8Array {
  return content.type === 'binary' ? content.bytes : utf8Encode(bodyText(content));
}

export type BodyJson = { ok: true; value: JsonValue } | { ok: false; message: string };

/** The body's content as a JSON value, parsing text or bytes losslessly. */
export function bodyJson(content: BodyContent): BodyJson {
  if (content.type === 'json') return { ok: true, value: content.value };
  const parsed = parseJson(bodyText(content));
  return parsed.ok
    ? parsed
    : { ok: false, message: `${parsed.message} (line ${parsed.line}, column ${parsed.column})` };
}

/**
 * Reads a V1–V3 body: absent ⇒ missing, `null` ⇒ null, `""` ⇒ empty, a string ⇒ the raw body
 * (JSON text when the content type is JSON and the string parses), anything else ⇒ JSON.
 */
export function bodyFromLegacyJson(json: JsonValue | undefined, contentType: string | undefined): Body {
  if (json === undefined) return MISSING_BODY;
  if (json === null) return { kind: 'null' };
  if (typeof json === 'string') {
    if (json === '') return textBody('', contentType);
    const kind = bodyKindOf(contentType);
    if (kind === 'json') {
      const parsed = parseJson(json);
      return parsed.ok ? jsonBody(parsed.value, contentType) : jsonBody(json, contentType);
    }
    if (kind === 'binary') {
      const bytes = base64Decode(json);
      if (bytes) return binaryBody(bytes, contentType);
    }
    return textBody(json, contentType);
  }
  return jsonBody(json, contentType ?? 'application/json');
}

/** Reads a V4 body object `{content, contentType, encoded, contentTypeHint}`. */
export function bodyFromV4Json(json: JsonValue | undefined, headerContentType: string | undefined): Body {
  if (json === undefined) return MISSING_BODY;
  if (!isJsonObject(json)) return bodyFromLegacyJson(json, headerContentType);
  if (!('content' in json)) return MISSING_BODY;
  const contentType = typeof json.contentType === 'string' ? json.contentType : headerContentType;
  const hint = json.contentTypeHint;
  const withHint = (body: Body): Body =>
    body.kind === 'present' && (hint === 'TEXT' || hint === 'BINARY' || hint === 'DEFAULT')
      ? { ...body, contentTypeHint: hint }
      : body;
  const content = json.content;
  const encoded = json.encoded;
  if (content === null || content === undefined) return { kind: 'null' };
  if (typeof encoded === 'string' && encoded.toLowerCase() === 'base64' && typeof content === 'string') {
    const bytes = base64Decode(content) ?? utf8Encode(content);
    const kind = bodyKindOf(contentType);
    if (kind === 'binary' || kind === undefined || hint === 'BINARY')
      return withHint(binaryBody(bytes, contentType));
    return withHint(textBody(utf8Decode(bytes), contentType));
  }
  if (typeof encoded === 'string' && encoded.toLowerCase() === 'json' && typeof content === 'string') {
    const parsed = parseJson(content);
    return withHint(parsed.ok ? jsonBody(parsed.value, contentType) : textBody(content, contentType));
  }
  if (typeof content === 'string') {
    if (content !== '' && bodyKindOf(contentType) === 'json') {
      const parsed = parseJson(content);
      if (parsed.ok) return withHint(jsonBody(parsed.value, contentType));
    }
    return withHint(textBody(content, contentType));
  }
  return withHint(jsonBody(content, contentType ?? 'application/json'));
}

/** Writes a body for a V2/V3 file; `undefined` means leave the key out. */
export function bodyToLegacyJson(body: Body): JsonValue | undefined {
  if (body.kind === 'missing') return undefined;
  if (body.kind === 'null') return null;
  const c = body.content;
  if (c.type === 'json') return c.value;
  if (c.type === 'binary') {
    return bodyKindOf(body.contentType) === 'binary' ? base64Encode(c.bytes) : utf8Decode(c.bytes);
  }
  if (bodyKindOf(body.contentType) === 'json' && c.text !== '') {
    const parsed = parseJson(c.text);
    if (parsed.ok) return parsed.value;
  }
  return c.text;
}

/** Writes a body for a V4 file. */
export function bodyToV4Json(body: Body): JsonValue | undefined {
  if (body.kind === 'missing') return undefined;
  if (body.kind === 'null') return { content: null };
  const out: Record<string, JsonValue> = {};
  const c = body.content;
  const contentType = body.contentType ?? effectiveContentType(body);
  if (c.type === 'json') {
    out.content = c.value;
    if (contentType) out.contentType = contentType;
    out.encoded = false;
  } else if (c.type === 'binary') {
    out.content = base64Encode(c.bytes);
    if (contentType) out.contentType = contentType;
    out.encoded = 'base64';
  } else {
    const kind = bodyKindOf(contentType);
    const parsed = kind === 'json' && c.text !== '' ? parseJson(c.text) : undefined;
    out.content = parsed?.ok ? parsed.value : c.text;
    if (contentType) out.contentType = contentType;
    out.encoded = false;
  }
  if (body.contentTypeHint) out.contentTypeHint = body.contentTypeHint;
  return out;
}
