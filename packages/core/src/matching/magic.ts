import { utf8Decode } from '../model/bytes.js';
import { parseMediaType, sniffContentType } from '../model/content-type.js';

const SIGNATURES: Array<[string, number[]]> = [
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
  ['image/webp', [0x52, 0x49, 0x46, 0x46]],
  ['image/bmp', [0x42, 0x4d]],
  ['image/tiff', [0x49, 0x49, 0x2a, 0x00]],
  ['application/pdf', [0x25, 0x50, 0x44, 0x46]],
  ['application/zip', [0x50, 0x4b, 0x03, 0x04]],
  ['application/gzip', [0x1f, 0x8b]],
  ['application/wasm', [0x00, 0x61, 0x73, 0x6d]],
];

function isMostlyText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 1024);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return false;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control <= n / 100;
}

/** Detects a body's content type from its first bytes (what a `contentType` rule checks). */
export function detectContentType(bytes: Uint8Array): string {
  for (const [type, signature] of SIGNATURES) {
    if (signature.every((b, i) => bytes[i] === b)) return type;
  }
  if (bytes.length === 0) return 'text/plain';
  if (!isMostlyText(bytes)) return 'application/octet-stream';
  return sniffContentType(utf8Decode(bytes.subarray(0, 4096)));
}

/** Whether detected content type `actual` satisfies declared `expected` (base types, `+json`/`+xml` kin). */
export function contentTypesMatch(expected: string, actual: string): boolean {
  const e = parseMediaType(expected);
  const a = parseMediaType(actual);
  if (!e || !a) return expected.trim().toLowerCase() === actual.trim().toLowerCase();
  if (e.essence === a.essence) return true;
  if (e.type === 'text' && e.subtype === 'plain' && a.type === 'text') return true;
  const family = (m: typeof e) =>
    m.subtype === 'json' || m.suffix === 'json'
      ? 'json'
      : m.subtype === 'xml' || m.suffix === 'xml'
        ? 'xml'
        : m.essence;
  return family(e) === family(a);
}
