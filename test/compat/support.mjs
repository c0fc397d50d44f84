// Shared helpers for the compatibility-suite steps: fixtures, the suite's table conventions
// (bodies as `file: x`, `JSON: …`, `XML: …`; headers as `'Name: value'`), and real HTTP.
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import {
  generatorsFromJson,
  matchingRulesFromJson,
  parseJson,
  parseQueryString,
  utf8Encode,
} from '@covenant/core';
import { suiteRoot } from './paths.mjs';

export const fixturesRoot = join(suiteRoot, 'fixtures');

export function fixturePath(name) {
  const file = join(fixturesRoot, name);
  if (!existsSync(file)) throw new Error(`no fixture ${name} in ${fixturesRoot}`);
  return file;
}

/** Parses JSON text with core's lossless parser (keeps 100.0 apart from 100); throws on bad JSON. */
export function json(text) {
  const parsed = parseJson(text);
  if (!parsed.ok) throw new Error(`not JSON: ${parsed.message}: ${text}`);
  return parsed.value;
}

const CONTENT_TYPES = {
  json: 'application/json',
  xml: 'application/xml',
  jpg: 'image/jpeg',
  pdf: 'application/pdf',
};

/** Reads a `*-body.xml` fixture: its content type and contents (CDATA, CRLF line ends, base64). */
function bodyFixture(text) {
  const contentType = /<contentType>([^<]*)<\/contentType>/.exec(text)?.[1]?.trim();
  const element = /<contents([^>]*)>([\s\S]*?)<\/contents>/.exec(text);
  if (!element) throw new Error('a body fixture without <contents>');
  const attributes = element[1] ?? '';
  let contents = element[2] ?? '';
  const cdata = /<!\[CDATA\[([\s\S]*?)\]\]>/.exec(contents);
  contents = cdata
    ? (cdata[1] ?? '')
    : contents.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  if (/eol="CRLF"/.test(attributes)) contents = contents.replace(/^\n/, '').replace(/\r?\n/g, '\r\n');
  if (/encoding="base64"/.test(attributes)) {
    return { contentType, bytes: new Uint8Array(Buffer.from(contents.trim(), 'base64')) };
  }
  return { contentType, text: contents };
}

/**
 * A body from the suite's notation, as `{ contentType, bytes, json? }` or undefined for none.
 * `file: x.json` and `JSON: …` are JSON; `XML: …` is XML; `file: x-body.xml` is a body fixture;
 * other files take their type from the extension; `EMPTY` is an empty body; anything else is text.
 */
export function parseBodyNotation(value, contentTypeOverride) {
  const v = value.trim();
  if (v === '') return undefined;
  let body;
  if (v.startsWith('file: ')) {
    const name = v.slice(6).trim();
    const raw = readFileSync(fixturePath(name));
    if (name.endsWith('-body.xml')) {
      const fixture = bodyFixture(raw.toString('utf8'));
      const bytes = fixture.bytes ?? utf8Encode(fixture.text);
      body = {
        contentType: fixture.contentType ?? (fixture.bytes ? 'application/octet-stream' : 'text/plain'),
        bytes,
      };
    } else {
      const ext = name.split('.').pop() ?? '';
      body = { contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream', bytes: new Uint8Array(raw) };
    }
  } else if (v.startsWith('JSON: ')) {
    body = { contentType: 'application/json', bytes: utf8Encode(v.slice(6)) };
  } else if (v.startsWith('XML: ')) {
    body = { contentType: 'application/xml', bytes: utf8Encode(v.slice(5)) };
  } else if (v === 'EMPTY') {
    body = { contentType: undefined, bytes: new Uint8Array(0) };
  } else {
    body = { contentType: 'text/plain', bytes: utf8Encode(value) };
  }
  if (contentTypeOverride) body.contentType = contentTypeOverride;
  return body;
}

/** A core Body for a parsed notation: JSON content types parse as JSON, text as text, else binary. */
export function coreBody(notation) {
  if (!notation) return { kind: 'missing' };
  const { contentType, bytes } = notation;
  const ct = (contentType ?? '').toLowerCase();
  const text = () => Buffer.from(bytes).toString('utf8');
  if (/json/.test(ct)) {
    const parsed = parseJson(text());
    if (parsed.ok) return { kind: 'present', contentType, content: { type: 'json', value: parsed.value } };
  }
  if (ct.startsWith('text/') || /xml|x-www-form-urlencoded|multipart\//.test(ct)) {
    return { kind: 'present', contentType, content: { type: 'text', text: text() } };
  }
  return { kind: 'present', contentType, content: { type: 'binary', bytes } };
}

/** `'X-A: 1', 'X-B: 2'` → `[['X-A', '1'], ['X-B', '2']]`. */
export function parseHeaderList(value) {
  const out = [];
  for (const m of value.matchAll(/'([^']*)'/g)) {
    const text = m[1] ?? '';
    const colon = text.indexOf(':');
    out.push([text.slice(0, colon).trim(), text.slice(colon + 1).trim()]);
  }
  return out;
}

/** Header pairs as a core Headers record (repeated names collect their values). */
export function headersRecord(pairs) {
  const out = {};
  for (const [name, value] of pairs) (out[name] ??= []).push(value);
  return out;
}

/** A matching-rules or generators fixture, or inline `JSON: …`. */
export function jsonNotation(value) {
  const v = value.trim();
  if (v.startsWith('JSON: ')) return json(v.slice(6));
  if (v.startsWith('{')) return json(v);
  return json(readFileSync(fixturePath(v), 'utf8'));
}

export const rulesFrom = (value) => matchingRulesFromJson(value ? jsonNotation(value) : undefined);
export const generatorsFrom = (value) => generatorsFromJson(value ? jsonNotation(value) : undefined);
export const queryFrom = (value) => (value ? parseQueryString(value) : undefined);

/** Data table rows as objects keyed by the header row. */
export function tableRows(table) {
  const [header, ...rows] = table;
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}

/** A two-column `key | value` table (or header-less rows) as an object. */
export function tableKeyValues(table) {
  const rows = table[0]?.[0] === 'key' ? table.slice(1) : table;
  return Object.fromEntries(rows.map((row) => [row[0], row[1] ?? '']));
}

/** `first` → 0, `second` → 1 … */
export function ordinal(word) {
  const index = ['first', 'second', 'third', 'fourth', 'fifth'].indexOf(word);
  if (index < 0) throw new Error(`unknown ordinal '${word}'`);
  return index;
}

/**
 * Sends one request with node:http, so repeated headers go out as separate lines and any method
 * (HEAD included) works. Resolves to `{ status, headers, body }` with the body as a Buffer.
 */
export function sendRequest(baseUrl, { method, path, query, headerPairs = [], body }) {
  const url = new URL(baseUrl);
  const rawHeaders = [];
  for (const [name, value] of headerPairs) rawHeaders.push(name, value);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: `${path}${query ? `?${query}` : ''}`,
        headers: [
          'Host',
          url.host,
          ...rawHeaders,
          ...(body ? ['Content-Length', String(body.length)] : []),
          'Connection',
          'close',
        ],
      },
      (response) => {
        const chunks = [];
        response.on('data', (c) => chunks.push(c));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body ? Buffer.from(body) : undefined);
  });
}

/** The value a JSON path like `$.one` or `$.a[0].b` points at in a plain JSON value. */
export function valueAt(value, path) {
  let current = value;
  for (const m of path.replace(/^\$/, '').matchAll(/\.([^.[\]]+)|\[(\d+)\]|\['([^']+)'\]/g)) {
    const key = m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]);
    if (current === null || typeof current !== 'object') return undefined;
    current = current[key];
  }
  return current;
}

/** Does `value` look like what the suite calls "an integer", "a UUID", "a date"…? */
export function isKindOf(kind, value) {
  const s = String(value);
  const checks = {
    // A generator keeps the JSON type of the example it replaces (a string example gets "42"):
    // the suite asks what the value is, so its text decides.
    integer: () => /^-?\d+$/.test(s),
    'decimal number': () => /^-?\d+\.\d+$/.test(s),
    'hexadecimal number': () => /^[0-9a-fA-F]+$/.test(s),
    'random string': () => typeof value === 'string' && value.length > 0,
    date: () => /^\d{4}-\d{2}-\d{2}$/.test(s),
    time: () => /^\d{2}:\d{2}(:\d{2})?$/.test(s),
    'date-time': () => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(s),
    UUID: () => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
    'simple UUID': () => /^[0-9a-f]{32}$/.test(s),
    'lower-case-hyphenated UUID': () =>
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s),
    'upper-case-hyphenated UUID': () =>
      /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/.test(s),
    'URN UUID': () => /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s),
    boolean: () => typeof value === 'boolean',
  };
  const check = checks[kind];
  if (!check) throw new Error(`unknown kind '${kind}'`);
  return check();
}
