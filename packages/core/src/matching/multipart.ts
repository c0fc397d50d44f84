import { parseJson } from '../json/parse.js';
import { bodyBytes } from '../model/body.js';
import { base64Decode, bytesEqual, toHex, utf8Decode, utf8Encode } from '../model/bytes.js';
import { bodyKindOf, parseMediaType } from '../model/content-type.js';
import type { RuleCategory } from '../model/matching-rules.js';
import { formatPath } from '../model/path.js';
import type { Body } from '../model/types.js';
import type { BodyCompareOptions } from './body.js';
import { compareJson } from './json.js';
import { contentTypesMatch, detectContentType } from './magic.js';
import type { Mismatch } from './mismatch.js';
import { applyRuleList } from './rules.js';
import { selectRules } from './select.js';

/** One part of a multipart body. */
export interface MultipartPart {
  name: string;
  headers: Record<string, string>;
  contentType: string | undefined;
  bytes: Uint8Array;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Splits a multipart body into its parts; undefined when the boundary is unknown or never found. */
export function parseMultipart(
  bytes: Uint8Array,
  contentType: string | undefined,
): MultipartPart[] | undefined {
  const boundary = contentType ? parseMediaType(contentType)?.parameters.boundary : undefined;
  if (!boundary) return undefined;
  const delimiter = utf8Encode(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = indexOf(bytes, delimiter, 0);
  if (pos < 0) return undefined;
  let n = 0;
  while (pos >= 0) {
    let start = pos + delimiter.length;
    if (bytes[start] === 0x2d && bytes[start + 1] === 0x2d) break; // closing delimiter
    if (bytes[start] === 0x0d) start++;
    if (bytes[start] === 0x0a) start++;
    const next = indexOf(bytes, delimiter, start);
    if (next < 0) break;
    let end = next;
    if (bytes[end - 1] === 0x0a) end--;
    if (bytes[end - 1] === 0x0d) end--;
    const raw = bytes.subarray(start, end);
    const crlf = indexOf(raw, utf8Encode('\r\n\r\n'), 0);
    const lf = crlf < 0 ? indexOf(raw, utf8Encode('\n\n'), 0) : -1;
    const headerEnd = crlf >= 0 ? crlf : lf;
    const headerText = headerEnd >= 0 ? utf8Decode(raw.subarray(0, headerEnd)) : '';
    let content = headerEnd >= 0 ? raw.subarray(headerEnd + (crlf >= 0 ? 4 : 2)) : raw;
    const headers: Record<string, string> = {};
    for (const line of headerText.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (headers['content-transfer-encoding']?.toLowerCase() === 'base64') {
      content = base64Decode(utf8Decode(content)) ?? content;
    }
    const name = /name="([^"]*)"/.exec(headers['content-disposition'] ?? '')?.[1] ?? `part${n}`;
    parts.push({ name, headers, contentType: headers['content-type'], bytes: content });
    n++;
    pos = next;
  }
  return parts;
}

/** Compares multipart bodies part by part (matched by name), each part by its own content type. */
export function compareMultipart(
  expected: Body,
  actual: Body,
  rules: RuleCategory | undefined,
  options: BodyCompareOptions,
): Mismatch[] {
  if (expected.kind !== 'present' || actual.kind !== 'present') return [];
  const expectedParts = parseMultipart(bodyBytes(expected.content), expected.contentType);
  const actualParts = parseMultipart(bodyBytes(actual.content), actual.contentType);
  if (!expectedParts || !actualParts) {
    const side = !expectedParts ? 'expected' : 'actual';
    return [
      {
        category: 'body',
        code: 'BODY_UNPARSEABLE',
        path: '$',
        message: `The ${side} multipart body could not be split into parts (check the boundary in its Content-Type)`,
      },
    ];
  }
  const out: Mismatch[] = [];
  for (const part of expectedParts) {
    const other = actualParts.find((p) => p.name === part.name);
    const path = formatPath([part.name]);
    if (!other) {
      out.push({
        category: 'body',
        code: 'KEY_MISSING',
        path,
        message: `Expected a multipart part '${part.name}' but was missing`,
      });
      continue;
    }
    if (part.contentType && other.contentType && !contentTypesMatch(part.contentType, other.contentType)) {
      out.push({
        category: 'body',
        code: 'BODY_CONTENT_TYPE_MISMATCH',
        path,
        expected: part.contentType,
        actual: other.contentType,
        message: `Expected part '${part.name}' to have content type '${part.contentType}' but was '${other.contentType}'`,
      });
      continue;
    }
    const selected = selectRules(rules, [part.name]);
    const contentTypeRule = selected?.list.rules.find((r) => r.match === 'contentType');
    if (contentTypeRule?.match === 'contentType') {
      const detected = detectContentType(other.bytes);
      if (!contentTypesMatch(contentTypeRule.value, detected)) {
        out.push({
          category: 'body',
          code: 'RULE_FAILED',
          path,
          rule: contentTypeRule,
          expected: contentTypeRule.value,
          actual: detected,
          message: `Expected part '${part.name}' to have content type '${contentTypeRule.value}' but detected contents was '${detected}'`,
        });
      }
      continue;
    }
    const kind = bodyKindOf(part.contentType ?? other.contentType);
    if (kind === 'json') {
      const e = parseJson(utf8Decode(part.bytes));
      const a = parseJson(utf8Decode(other.bytes));
      if (e.ok && a.ok) {
        out.push(
          ...compareJson(
            e.value,
            a.value,
            rules,
            { allowUnexpectedKeys: options.allowUnexpectedKeys, category: 'body' },
            [part.name],
          ),
        );
        continue;
      }
    }
    if (selected && kind !== 'binary') {
      for (const failure of applyRuleList(
        selected.list,
        utf8Decode(part.bytes),
        utf8Decode(other.bytes),
        false,
        'string',
      )) {
        out.push({
          category: 'body',
          code: 'RULE_FAILED',
          path,
          rule: failure.rule,
          message: failure.message,
        });
      }
      continue;
    }
    if (!bytesEqual(part.bytes, other.bytes)) {
      out.push({
        category: 'body',
        code: 'BODY_MISMATCH',
        path,
        message: `Expected part '${part.name}' (${part.bytes.length} bytes, starting with ${toHex(part.bytes, 32)}) but received ${other.bytes.length} bytes, starting with ${toHex(other.bytes, 32)}`,
      });
    }
  }
  return out;
}
