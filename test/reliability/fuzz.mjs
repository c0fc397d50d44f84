// Case 1: fuzzing from the broker's own description. Requests are generated from GET /openapi.json
// with fast-check (valid ones, then mutations); every answer must be < 500, listed for its
// operation and valid against the document's schema (Ajv); the broker must not die, and its
// heartbeat must answer at the end. The seed is printed, so a failure replays with the same seed.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { createTestDatabase, enc, json, pact, pool, request, spawnBroker } from './lib.mjs';

const KNOWN = { consumer: 'fuzz-consumer', provider: 'fuzz-provider', version: '1.0.0', tag: 'main' };

const NASTY = [
  '../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  "' OR 1=1 --",
  '"; DROP TABLE pacticipants; --',
  '{{7*7}}',
  '${7*7}',
  '<%= 7*7 %>',
  '%s%s%n',
  '<script>alert(1)</script>',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '🙂'.repeat(20),
  'ﷺ',
  '\u202Eevil',
  ' ',
  '',
  '.',
  '..',
  'null',
  'true',
  '-1',
  '1e309',
];

/** An arbitrary for a JSON schema from the document (only what the broker's schemas use). */
function arbitraryOf(schema, doc, depth = 0) {
  if (!schema || depth > 6) return fc.constant(null);
  if (schema.$ref) return arbitraryOf(resolve(doc, schema.$ref), doc, depth + 1);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => arbitraryOf(s, doc, depth + 1)));
  if (schema.allOf) return arbitraryOf(Object.assign({}, ...schema.allOf), doc, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'uri' || schema.format === 'url') return fc.constant('http://127.0.0.1:9/hook');
      return fc.oneof(
        fc.constantFrom(KNOWN.consumer, KNOWN.provider, KNOWN.version, KNOWN.tag),
        fc.string({ minLength: schema.minLength ?? 1, maxLength: Math.min(schema.maxLength ?? 20, 20) }),
      );
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -5, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(arbitraryOf(schema.items ?? {}, doc, depth + 1), { maxLength: 3 });
    default: {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const keys = Object.keys(properties);
      if (keys.length === 0) return fc.constant({});
      return fc.record(Object.fromEntries(keys.map((k) => [k, arbitraryOf(properties[k], doc, depth + 1)])), {
        requiredKeys: keys.filter((k) => required.has(k)),
      });
    }
  }
}

function resolve(doc, ref) {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

/** Every operation in the document, with what a request to it needs. */
function operationsOf(doc) {
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'put', 'post', 'patch', 'delete'].includes(method)) continue;
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) =>
        p.$ref ? resolve(doc, p.$ref) : p,
      );
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      ops.push({ path, method: method.toUpperCase(), op, parameters, bodySchema });
    }
  return ops;
}

/** A valid request for an operation: path and query parameters and a body from their schemas. */
function validRequest(operation, doc) {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const query = operation.parameters.filter((p) => p.in === 'query');
  const name = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(KNOWN.consumer, KNOWN.provider, KNOWN.version, KNOWN.tag) },
    { weight: 2, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,15}$/) },
  );
  // deletes leave the known names alone: a DELETE racing a PUT of the same name may answer 404
  // (see docs/reliability.md), which is a race of the fuzzer's making, not of one request
  const deletable = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,15}$/).map((n) => `gone-${n}`);
  return fc.record({
    params: fc.record(
      Object.fromEntries(pathParams.map((p) => [p.name, operation.method === 'DELETE' ? deletable : name])),
    ),
    query: fc.record(
      Object.fromEntries(query.map((p) => [p.name, arbitraryOf(p.schema ?? { type: 'string' }, doc)])),
      { requiredKeys: query.filter((p) => p.required).map((p) => p.name) },
    ),
    body: operation.bodySchema ? arbitraryOf(operation.bodySchema, doc) : fc.constant(undefined),
  });
}

const deep = (n) => `${'['.repeat(n)}${']'.repeat(n)}`;

/** The mutations: each takes a valid request and returns a changed raw one. */
const mutations = {
  'wrong types': fc.constantFrom(1, true, 'text', [1, 2], null, { a: { b: [] } }).map((v) => (r) => ({
    ...r,
    body:
      r.body && typeof r.body === 'object' && !Array.isArray(r.body)
        ? Object.fromEntries(Object.keys(r.body).map((k) => [k, v]))
        : v,
  })),
  'missing fields': fc.constant((r) => ({ ...r, body: {} })),
  'extra fields': fc
    .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 })
    .map((extra) => (r) => ({ ...r, body: { ...((typeof r.body === 'object' && r.body) || {}), ...extra } })),
  'huge strings': fc.integer({ min: 10_000, max: 100_000 }).map((n) => (r) => ({
    ...r,
    params: Object.fromEntries(
      Object.keys(r.params).map((k, i) => [k, i === 0 ? 'x'.repeat(n) : r.params[k]]),
    ),
    body:
      typeof r.body === 'object' && r.body
        ? Object.fromEntries(Object.keys(r.body).map((k) => [k, 'y'.repeat(n)]))
        : 'z'.repeat(n),
  })),
  unicode: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map((s) => (r) => ({
    ...r,
    params: Object.fromEntries(Object.keys(r.params).map((k) => [k, s])),
    query: Object.fromEntries(Object.keys(r.query).map((k) => [k, s])),
    body:
      typeof r.body === 'object' && r.body ? Object.fromEntries(Object.keys(r.body).map((k) => [k, s])) : s,
  })),
  'NUL and metacharacters': fc.constantFrom(...NASTY).map((s) => (r) => ({
    ...r,
    params: Object.fromEntries(Object.keys(r.params).map((k) => [k, s])),
    query: Object.fromEntries(Object.keys(r.query).map((k) => [k, s])),
    body:
      typeof r.body === 'object' && r.body ? Object.fromEntries(Object.keys(r.body).map((k) => [k, s])) : s,
  })),
  'deep nesting': fc.integer({ min: 1_000, max: 20_000 }).map((n) => (r) => ({ ...r, rawBody: deep(n) })),
  'path traversal': fc
    .constantFrom('../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '%2e%2e/%2e%2e', '....//', '/.%00')
    .map((t) => (r) => ({ ...r, rawPath: (path) => `${path}/${t}` })),
  'bad encodings': fc
    .constantFrom(
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('{"a":"\\ud800"}'),
      Buffer.from('{"a":1,}'),
      Buffer.from('\ufeff{}'),
    )
    .map((bytes) => (r) => ({
      ...r,
      rawBody: bytes,
      rawPath: (path) => path.replace(/\/[^/]*$/, '/%E0%A4%A'),
    })),
  'bad content types': fc
    .constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      '',
      'application/json; charset=utf-16',
      '*/*',
    )
    .map((type) => (r) => ({ ...r, contentType: type })),
  'bad methods': fc
    .constantFrom('PROPFIND', 'OPTIONS', 'TRACE', 'PATCH', 'PUT', 'DELETE', 'POST', 'HEAD', 'MKCOL', 'FOO')
    .map((method) => (r) => ({ ...r, method })),
};

function toHttp(operation, r) {
  let path = operation.path.replace(/\{(\w+)\}/g, (_m, name) => enc(String(r.params[name] ?? 'x')));
  if (r.rawPath) path = r.rawPath(path);
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(r.query ?? {}))
    if (v !== undefined)
      for (const item of [v].flat())
        query.append(k, typeof item === 'object' ? JSON.stringify(item) : String(item));
  const qs = query.toString();
  const body =
    r.rawBody !== undefined
      ? r.rawBody
      : r.body !== undefined && operation.bodySchema
        ? JSON.stringify(r.body)
        : r.method && r.body !== undefined
          ? JSON.stringify(r.body)
          : undefined;
  const headers = { accept: 'application/hal+json, application/json' };
  if (body !== undefined) headers['content-type'] = r.contentType ?? 'application/json';
  if (r.contentType === '') delete headers['content-type'];
  const otherPath = Object.values(r.params ?? {}).some((v) => String(v) === '');
  return {
    method: r.method ?? operation.method,
    path: qs ? `${path}?${qs}` : path,
    headers,
    body,
    otherPath,
  };
}

/** Checks one answer against the document: its status is listed and its JSON body fits the schema. */
function checker(doc, operations) {
  const operationsByKey = new Map(operations.map((o) => [`${o.method} ${o.path}`, o]));
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  const cache = new Map();
  return (asked, sent, answer) => {
    // a method changed to another the path has is that operation's request
    const operation =
      sent.method !== asked.method ? (operationsByKey.get(`${sent.method} ${asked.path}`) ?? asked) : asked;
    if (answer.status >= 500 || answer.status <= 0)
      return `answered ${answer.status || answer.error?.message}`;
    // an empty name makes the path another resource's (`/pacticipants/` is the list): < 500 is all
    if (sent.otherPath) return undefined;
    const methodChanged = sent.method !== operation.method;
    const responses = operation.op.responses ?? {};
    const declared = responses[String(answer.status)] ?? responses.default;
    if (!declared) {
      // a method or path the document does not have: only "no such resource" answers are right
      if (
        // an empty or traversing segment names another resource (or none)
        (methodChanged || sent.otherPath || sent.path.includes('..') || sent.path.includes('%2')) &&
        [404, 405].includes(answer.status)
      )
        return undefined;
      if (methodChanged && sent.method === 'HEAD' && answer.status < 400) return undefined;
      if (methodChanged && sent.method === 'OPTIONS' && answer.status < 400) return undefined;
      return `status ${answer.status} is not in the document for ${operation.method} ${operation.path}`;
    }
    const type = String(answer.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const content = declared.content ?? {};
    const media =
      content[type] ??
      (type.endsWith('json') ? Object.entries(content).find(([k]) => k.endsWith('json'))?.[1] : undefined);
    if (!media?.schema || !type.endsWith('json') || sent.method === 'HEAD') return undefined;
    const key = `${operation.method} ${operation.path} ${answer.status} ${type}`;
    let validate = cache.get(key);
    if (!validate) {
      validate = ajv.compile({ ...media.schema, components: doc.components });
      cache.set(key, validate);
    }
    let body;
    try {
      body = JSON.parse(answer.text);
    } catch {
      return `a ${type} answer that is not JSON: ${answer.text.slice(0, 80)}`;
    }
    if (!validate(body)) return `the answer does not fit the document: ${ajv.errorsText(validate.errors)}`;
    return undefined;
  };
}

/**
 * Runs `count` generated requests (a third valid, the rest mutated) against a fresh broker on
 * `kind`. Returns the case's row.
 */
export async function fuzz({ kind, count, seed = Date.now() % 2 ** 31, slowMs = 5_000, log = () => {} }) {
  const database = await createTestDatabase(kind);
  const broker = spawnBroker({ database: database.location });
  try {
    const url = await broker.ready;
    await request(url, {
      method: 'PUT',
      path: `/pacts/provider/${KNOWN.provider}/consumer/${KNOWN.consumer}/version/${KNOWN.version}`,
      ...json(pact(KNOWN.consumer, KNOWN.provider)),
    });
    const doc = JSON.parse((await request(url, { path: '/openapi.json' })).text);
    const operations = operationsOf(doc);
    const check = checker(doc, operations);
    log(`fuzz ${kind}: seed ${seed}, ${operations.length} operations, ${count} requests`);
    const mutation = fc.oneof(
      ...Object.entries(mutations).map(([name, arb]) => arb.map((f) => ({ name, f }))),
    );
    // each operation's arbitrary is built once: built per sample (in a chain), fast-check spent
    // over 90 % of the fuzz's time making them (60 ms a request)
    const arbitrary = fc.oneof(
      ...operations.map((operation) =>
        fc.tuple(fc.constant(operation), validRequest(operation, doc), fc.option(mutation, { freq: 3 })),
      ),
    );
    const samples = fc.sample(arbitrary, { seed, numRuns: count });
    const failures = [];
    let answered5xx = 0;
    const byMutation = {};
    // a long run says how far it is
    const progressEvery = Math.max(1_000, Math.round(count / 20));
    const started = performance.now();
    let done = 0;
    await pool(
      samples.map(([operation, valid, mutate]) => async () => {
        const r = mutate ? mutate.f(valid) : valid;
        const sent = toHttp(operation, r);
        const answer = await request(url, sent);
        if (answer.status === -1) return; // node:http itself refused to send it
        const name = mutate?.name ?? 'valid';
        byMutation[name] = (byMutation[name] ?? 0) + 1;
        if (answer.status >= 500) answered5xx++;
        const wrong =
          check(operation, sent, answer) ??
          (answer.ms > slowMs ? `took ${Math.round(answer.ms)} ms (more than ${slowMs})` : undefined);
        done++;
        if (done % progressEvery === 0)
          log(
            `  ${done} of ${samples.length} in ${Math.round((performance.now() - started) / 1000)} s: ${answered5xx} ≥ 500, ${failures.length + (wrong ? 1 : 0)} not per the document`,
          );
        if (wrong)
          failures.push(
            `${name}: ${sent.method} ${sent.path.slice(0, 120)} (URL ${sent.path.length} chars, body ${sent.body === undefined ? 'none' : `${Buffer.byteLength(sent.body)} bytes`}) → ${wrong.slice(0, 300)}`,
          );
      }),
      8,
    );
    const heartbeat = await request(url, { path: '/diagnostic/status/heartbeat' });
    const crashed = broker.exit !== undefined;
    failures.sort((a, b) => Number(b.includes('answered')) - Number(a.includes('answered')));
    for (const f of failures.slice(0, 20)) log(`  ${f}`);
    const ok = failures.length === 0 && answered5xx === 0 && !crashed && heartbeat.status === 200;
    return {
      case: `fuzz (${kind})`,
      ok,
      figure: `${samples.length} requests, seed ${seed}: ${answered5xx} ≥ 500, ${failures.length} not per the document, ${crashed ? 'crashed' : '0 crashes'}, heartbeat ${heartbeat.status}`,
      requests: samples.length,
      seed,
      answers_5xx: answered5xx,
      invalid_answers: failures.length,
      failures: failures.slice(0, 20),
      by_mutation: byMutation,
    };
  } finally {
    await broker.kill();
    await database.drop();
  }
}
