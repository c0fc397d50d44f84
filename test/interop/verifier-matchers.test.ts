process.env.PACT_DO_NOT_TRACK = 'true';

// Covenant's verifier against pacts written by pact-js 17.1.4 (the official Rust core): one interaction
// per matcher pact-js offers, in a V2, a V3 and a V4 pact. Every interaction must pass against a provider
// that honours its rule with values other than the examples, and fail, at the broken field, against a
// provider that breaks that rule. The official verifier referees the table: it must agree on both.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type VerificationResult, verifyProvider } from '../../packages/verifier/dist/index.js';

const require = createRequire(import.meta.url);
const pactJs = require('@pact-foundation/pact') as typeof import('@pact-foundation/pact');
const { MatchersV2: M2, MatchersV3: M3, HTTPResponseStatusClass } = pactJs;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** What a provider serves: a fixed value, or one computed from the request URL. */
type Served = Json | ((url: URL) => Json);

interface Case {
  /** The matcher. The interaction is `GET /m/<name>`, described as `<name>`. */
  name: string;
  /** The response body is `{ value: template }`, the template built with pact-js's matchers. */
  template: unknown;
  /** `value` from the honouring provider: satisfies the rule, differs from the example. */
  good: Served;
  /** `value` from the breaking provider: breaks exactly this rule. */
  bad: Served;
  /** Where the breaking provider's mismatch is: a body path, or '' for the status. */
  path: string;
  category?: 'body' | 'status';
  /** A status matcher, and the status each provider answers (200 without one). */
  status?: { template: unknown; good: number; bad: number };
  /** Query parameter templates (they may carry generators). */
  query?: Record<string, unknown>;
  /** A provider state, with parameters. */
  state?: { name: string; params: Record<string, Json> };
}

// ---------------------------------------------------------------------------------------------------
// V2: MatchersV2. Underneath there are only `type` (with `min`) and `regex` rules.

const v2Cases: Case[] = [
  {
    name: 'like',
    template: M2.like({ name: 'Ann', age: 30, tags: ['a'] }),
    good: { name: 'Bob', age: 41, tags: ['x', 'y'], extra: true },
    bad: { name: 'Bob', age: '41', tags: ['x'] },
    path: '$.value.age',
  },
  { name: 'somethingLike', template: M2.somethingLike('text'), good: 'other text', bad: 42, path: '$.value' },
  {
    name: 'eachLike',
    template: M2.eachLike({ id: 1, tag: 'a' }, { min: 2 }),
    good: [
      { id: 7, tag: 'x' },
      { id: 8, tag: 'y' },
      { id: 9, tag: 'z' },
    ],
    bad: [{ id: 7, tag: 'x' }],
    path: '$.value',
  },
  {
    name: 'term',
    template: M2.term({ generate: 'ABC-1234', matcher: '^[A-Z]{3}-\\d{4}$' }),
    good: 'XYZ-9876',
    bad: 'XYZ-98',
    path: '$.value',
  },
  {
    name: 'regex',
    template: M2.regex({ generate: 'red', matcher: '^(red|green|blue)$' }),
    good: 'blue',
    bad: 'purple',
    path: '$.value',
  },
  {
    name: 'email',
    template: M2.email(),
    good: 'bob.smith@test.example.org',
    bad: 'bob at example',
    path: '$.value',
  },
  {
    name: 'uuid',
    template: M2.uuid(),
    good: '5cb4d8a1-7b0c-4f4e-9b51-2a5d7c0e9f11',
    bad: '5CB4D8A1-7B0C-4F4E-9B51-2A5D7C0E9F11',
    path: '$.value',
  },
  { name: 'ipv4Address', template: M2.ipv4Address(), good: '10.20.30.40', bad: 'ten.0.0.1', path: '$.value' },
  {
    name: 'ipv6Address',
    template: M2.ipv6Address(),
    good: '2001:db8::ff00:42:8329',
    bad: '2001:db8:::zz',
    path: '$.value',
  },
  { name: 'iso8601Date', template: M2.iso8601Date(), good: '2024-02-29', bad: '2024/02/29', path: '$.value' },
  {
    name: 'iso8601DateTime',
    template: M2.iso8601DateTime(),
    good: '2024-02-29T23:59:58Z',
    bad: '2024-02-29T23:59:58',
    path: '$.value',
  },
  {
    name: 'iso8601DateTimeWithMillis',
    template: M2.iso8601DateTimeWithMillis(),
    good: '2024-02-29T23:59:58.5Z',
    bad: '2024-02-29T23:59:58Z',
    path: '$.value',
  },
  { name: 'iso8601Time', template: M2.iso8601Time(), good: 'T08:30:00', bad: '08:30:00', path: '$.value' },
  {
    name: 'rfc1123Timestamp',
    template: M2.rfc1123Timestamp(),
    good: 'Thu, 29 Feb 2024 23:59:58 +0000',
    bad: 'Thu, 29 Feb 2024 23:59:58 GMT',
    path: '$.value',
  },
  { name: 'hexadecimal', template: M2.hexadecimal(), good: 'c0ffee', bad: 'coffee', path: '$.value' },
  // In V2 these are `like` (a type rule): any number is an integer or a decimal, a string isn't.
  { name: 'integer', template: M2.integer(1), good: 42, bad: '42', path: '$.value' },
  { name: 'decimal', template: M2.decimal(1.5), good: 0.25, bad: '0.25', path: '$.value' },
  { name: 'boolean', template: M2.boolean(true), good: false, bad: 'false', path: '$.value' },
  { name: 'string', template: M2.string('text'), good: 'other', bad: 7, path: '$.value' },
];

// ---------------------------------------------------------------------------------------------------
// V3: MatchersV3 (also the V4 pact's matchers)

const v3Cases: Case[] = [
  {
    name: 'like',
    template: M3.like({ name: 'Ann', age: 30 }),
    good: { name: 'Bob', age: 41, extra: true },
    bad: { name: 'Bob', age: '41' },
    path: '$.value.age',
  },
  {
    name: 'eachLike',
    template: M3.eachLike({ id: 1, tag: 'a' }, 2),
    good: [
      { id: 7, tag: 'x' },
      { id: 8, tag: 'y' },
      { id: 9, tag: 'z' },
    ],
    bad: [
      { id: 7, tag: 'x' },
      { id: 8, tag: 'y' },
      { id: '9', tag: 'z' },
    ],
    path: '$.value[2].id',
  },
  {
    name: 'atLeastOneLike',
    template: M3.atLeastOneLike({ id: 1 }),
    good: [{ id: 5 }, { id: 6 }],
    bad: [],
    path: '$.value',
  },
  {
    name: 'atLeastLike',
    template: M3.atLeastLike({ id: 1 }, 2, 3),
    good: [{ id: 5 }, { id: 6 }],
    bad: [{ id: 5 }],
    path: '$.value',
  },
  {
    name: 'atMostLike',
    template: M3.atMostLike({ id: 1 }, 2),
    good: [{ id: 5 }, { id: 6 }],
    bad: [{ id: 5 }, { id: 6 }, { id: 7 }],
    path: '$.value',
  },
  {
    name: 'constrainedArrayLike',
    template: M3.constrainedArrayLike({ id: 1 }, 2, 4),
    good: [{ id: 5 }, { id: 6 }, { id: 7 }],
    bad: [{ id: 5 }, { id: 6 }, { id: 7 }, { id: 8 }, { id: 9 }],
    path: '$.value',
  },
  // MatchersV3.boolean writes a `type` rule, not V4's `boolean` (see booleanV4 below)
  { name: 'boolean', template: M3.boolean(true), good: false, bad: 'false', path: '$.value' },
  { name: 'integer', template: M3.integer(1), good: 42, bad: 42.5, path: '$.value' },
  { name: 'decimal', template: M3.decimal(1.5), good: 0.25, bad: 3, path: '$.value' },
  { name: 'number', template: M3.number(1), good: 2.5, bad: '2.5', path: '$.value' },
  { name: 'string', template: M3.string('text'), good: 'other', bad: 7, path: '$.value' },
  {
    name: 'regex',
    template: M3.regex(/^[A-Z]{3}-\d{4}$/, 'ABC-1234'),
    good: 'XYZ-9876',
    bad: 'XYZ-98',
    path: '$.value',
  },
  {
    name: 'email',
    template: M3.email(),
    good: 'bob.smith@test.example.org',
    bad: 'bob at example',
    path: '$.value',
  },
  {
    name: 'uuid',
    template: M3.uuid('fc763eba-0905-41c5-a27f-3934ab26786c'),
    good: '5cb4d8a1-7b0c-4f4e-9b51-2a5d7c0e9f11',
    bad: '5cb4d8a1',
    path: '$.value',
  },
  { name: 'ipv4Address', template: M3.ipv4Address(), good: '10.20.30.40', bad: 'ten.0.0.1', path: '$.value' },
  {
    name: 'ipv6Address',
    template: M3.ipv6Address(),
    good: '2001:db8::ff00:42:8329',
    bad: '2001:db8:::zz',
    path: '$.value',
  },
  { name: 'hexadecimal', template: M3.hexadecimal(), good: 'c0ffee', bad: 'coffee', path: '$.value' },
  {
    name: 'datetime',
    template: M3.datetime("yyyy-MM-dd'T'HH:mm:ss", '2016-12-15T20:16:01'),
    good: '2024-02-29T23:59:58',
    bad: '2024-02-29 23:59:58',
    path: '$.value',
  },
  {
    name: 'timestamp',
    template: M3.timestamp('yyyy-MM-dd HH:mm:ss', '2016-12-15 20:16:01'),
    good: '2024-02-29 23:59:58',
    bad: '2024-02-29T23:59:58',
    path: '$.value',
  },
  {
    name: 'date',
    template: M3.date('yyyy-MM-dd', '2016-12-15'),
    good: '1999-01-31',
    bad: '31/01/1999',
    path: '$.value',
  },
  {
    name: 'time',
    template: M3.time('HH:mm:ss', '20:16:01'),
    good: '08:30:00',
    bad: '8.30am',
    path: '$.value',
  },
  { name: 'iso8601Date', template: M3.iso8601Date(), good: '2024-02-29', bad: '2024/02/29', path: '$.value' },
  {
    name: 'iso8601DateTime',
    template: M3.iso8601DateTime(),
    good: '2024-02-29T23:59:58Z',
    bad: '2024-02-29T23:59:58',
    path: '$.value',
  },
  {
    name: 'iso8601DateTimeWithMillis',
    template: M3.iso8601DateTimeWithMillis(),
    good: '2024-02-29T23:59:58.5Z',
    bad: '2024-02-29T23:59:58Z',
    path: '$.value',
  },
  { name: 'iso8601Time', template: M3.iso8601Time(), good: 'T08:30:00', bad: '08:30:00', path: '$.value' },
  {
    name: 'rfc1123Timestamp',
    template: M3.rfc1123Timestamp(),
    good: 'Thu, 29 Feb 2024 23:59:58 +0000',
    bad: 'Thu, 29 Feb 2024 23:59:58 GMT',
    path: '$.value',
  },
  {
    name: 'includes',
    template: M3.includes('needle'),
    good: 'a needle in a haystack',
    bad: 'a haystack',
    path: '$.value',
  },
  // null is the only value a null rule allows: the honouring provider can't vary it
  { name: 'nullValue', template: M3.nullValue(), good: null, bad: 0, path: '$.value' },
  {
    // `equal` resets the type rule cascading from `like`: n may vary, kind may not
    name: 'equal',
    template: M3.like({ kind: M3.equal('fixed'), n: 1 }),
    good: { kind: 'fixed', n: 2 },
    bad: { kind: 'Fixed', n: 2 },
    path: '$.value.kind',
  },
  {
    name: 'eachKeyMatches',
    template: M3.eachKeyMatches({ 'key-a': 'x' }, M3.regex(/^[a-z]+(-[a-z]+)*$/, 'key-a')),
    good: { alpha: 'x', 'beta-gamma': 'x' },
    bad: { alpha: 'x', Beta_2: 'x' },
    path: '$.value.Beta_2',
  },
  {
    name: 'eachValueMatches',
    template: M3.eachValueMatches({ a: 1 }, M3.integer(1)),
    good: { p: 10, q: 20, r: 30 },
    bad: { p: 10, q: 2.5 },
    path: '$.value.q',
  },
  {
    // Deprecated, still offered: a `values` rule. The keys are free; the values are held to the
    // template, which has no rules of its own (the official verifier compares them for equality).
    name: 'eachKeyLike',
    template: M3.eachKeyLike('key1', { n: 1 }),
    good: { k9: { n: 1 }, k10: { n: 1 } },
    bad: { k9: { n: 'five' } },
    path: '$.value.k9.n',
  },
  {
    name: 'arrayContaining',
    template: M3.arrayContaining({ role: 'admin', level: M3.integer(9) }, { role: 'reader' }),
    good: [{ role: 'reader', extra: true }, { role: 'guest' }, { role: 'admin', level: 3 }],
    bad: [{ role: 'admin', level: 3 }, { role: 'guest' }],
    path: '$.value',
  },
  {
    name: 'url2',
    template: M3.url2('http://localhost:8080', ['orders', M3.regex(/\d+/, '123')]),
    good: 'https://shop.example.com/api/orders/987',
    bad: 'https://shop.example.com/api/orders/abc',
    path: '$.value',
  },
  {
    // no base URL: the consumer test gets the mock server's (a MockServerURL generator)
    name: 'url',
    template: M3.url(['orders', M3.regex(/\d+/, '123')]),
    good: 'https://shop.example.com/api/orders/987',
    bad: 'https://shop.example.com/orders/',
    path: '$.value',
  },
  {
    // the request's id comes from the provider state (the handler returns it); the body echoes it
    name: 'fromProviderState',
    state: { name: 'an order exists', params: { id: 777 } },
    query: { id: M3.fromProviderState('${id}', '1') },
    template: M3.fromProviderState('${id}', 1),
    good: (url) => Number(url.searchParams.get('id')),
    bad: (url) => url.searchParams.get('id'),
    path: '$.value',
  },
  {
    name: 'matchStatus',
    status: { template: M3.matchStatus(200, HTTPResponseStatusClass.Success), good: 202, bad: 409 },
    template: 'accepted',
    good: 'accepted',
    bad: 'accepted',
    path: '',
    category: 'status',
  },
];

// ---------------------------------------------------------------------------------------------------
// V4: the V3 matchers, plus the V4 rules MatchersV3 has no helper for. These are written as integration
// JSON, which pact-js hands to the Rust core as it is.

const v4OnlyCases: Case[] = [
  {
    name: 'notEmpty',
    template: { 'pact:matcher:type': 'notEmpty', value: 'text' },
    good: 'other',
    bad: '',
    path: '$.value',
  },
  {
    name: 'semver',
    template: { 'pact:matcher:type': 'semver', value: '1.0.0' },
    good: '2.10.3-rc.1',
    bad: '2.10',
    path: '$.value',
  },
  {
    name: 'booleanV4',
    template: { 'pact:matcher:type': 'boolean', value: true },
    good: false,
    bad: 'yes',
    path: '$.value',
  },
];

const versions = [
  { spec: 2, cases: v2Cases },
  { spec: 3, cases: v3Cases },
  { spec: 4, cases: [...v3Cases, ...v4OnlyCases] },
] as const;

// ---------------------------------------------------------------------------------------------------
// Writing the pacts with pact-js; each consumer test calls the mock server.

const dir = mkdtempSync(join(tmpdir(), 'covenant-verifier-matchers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROVIDER = 'MatcherProvider';
const pathOf = (c: Case) => `/m/${c.name}`;
const exampleStatus = (c: Case): number => (c.status ? (M3.reify(c.status.template) as number) : 200);

async function callMockServer(baseUrl: string, c: Case): Promise<void> {
  const query = c.query ? `?${new URLSearchParams(M3.reify(c.query) as Record<string, string>)}` : '';
  const response = await fetch(`${baseUrl}${pathOf(c)}${query}`);
  expect(response.status).toBe(exampleStatus(c));
  await response.arrayBuffer();
}

type Writer = (consumer: string, cases: Case[]) => Promise<void>;

const writeV2Pact: Writer = async (consumer, cases) => {
  const pact = new pactJs.PactV2({ consumer, provider: PROVIDER, dir, spec: 2, logLevel: 'error' });
  await pact.setup();
  for (const c of cases) {
    await pact.addInteraction({
      state: undefined,
      uponReceiving: c.name,
      withRequest: { method: 'GET', path: pathOf(c) },
      willRespondWith: {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: { value: c.template } as never,
      },
    });
    await callMockServer(pact.mockService.baseUrl, c);
    await pact.verify();
  }
  await pact.finalize();
};

const writeV3Pact: Writer = async (consumer, cases) => {
  for (const c of cases) {
    const pact = new pactJs.PactV3({ consumer, provider: PROVIDER, dir, logLevel: 'error' });
    if (c.state) pact.given(c.state.name, c.state.params);
    pact
      .uponReceiving(c.name)
      .withRequest({ method: 'GET', path: pathOf(c), ...(c.query ? { query: c.query as never } : {}) })
      .willRespondWith({
        status: (c.status?.template ?? 200) as never,
        headers: { 'Content-Type': 'application/json' },
        body: { value: c.template },
      });
    await pact.executeTest((server) => callMockServer(server.url, c));
  }
};

const writeV4Pact: Writer = async (consumer, cases) => {
  const pact = new pactJs.PactV4({ consumer, provider: PROVIDER, dir, logLevel: 'error' });
  for (const c of cases) {
    let interaction = pact.addInteraction();
    if (c.state) interaction = interaction.given(c.state.name, c.state.params);
    await interaction
      .uponReceiving(c.name)
      .withRequest('GET', pathOf(c), (req) => {
        if (c.query) req.query(c.query as never);
      })
      .willRespondWith((c.status?.template ?? 200) as never, (res) => {
        res.jsonBody({ value: c.template });
      })
      .executeTest((server) => callMockServer(server.url, c));
  }
};

const writers: Record<number, Writer> = { 2: writeV2Pact, 3: writeV3Pact, 4: writeV4Pact };

// ---------------------------------------------------------------------------------------------------
// The providers: `/v<spec>/m/<name>` answers with the good (or bad) value of that version's case.

function startProvider(which: 'good' | 'bad') {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    received.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://provider');
    const match = /^\/v(\d)\/m\/([^/]+)$/.exec(url.pathname);
    const c = versions.find((v) => String(v.spec) === match?.[1])?.cases.find((x) => x.name === match?.[2]);
    if (!c) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const served = c[which];
    res.statusCode = c.status ? c.status[which] : 200;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ value: typeof served === 'function' ? served(url) : served }));
  });
  return new Promise<{ url: string; received: string[]; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        received,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

let honouring: Awaited<ReturnType<typeof startProvider>>;
let breaking: Awaited<ReturnType<typeof startProvider>>;
beforeAll(async () => {
  honouring = await startProvider('good');
  breaking = await startProvider('bad');
});
afterAll(async () => {
  await honouring?.close();
  await breaking?.close();
});

// ---------------------------------------------------------------------------------------------------
// The verifiers

/** Covenant's verdict on one pact file, or the error that stopped it. */
async function covenantVerdict(file: string, baseUrl: string): Promise<VerificationResult | Error> {
  try {
    return await verifyProvider({
      provider: PROVIDER,
      providerBaseUrl: baseUrl,
      pactUrls: [file],
      reporters: [],
      stateHandlers: { 'an order exists': (params) => ({ id: params.id ?? null }) },
    });
  } catch (error) {
    return error as Error;
  }
}

// The official verifier runs in a child process, because the Rust core prints its report straight to
// stdout. The child takes jobs `{ id, file, baseUrl }` and answers `{ id, report }` (the core's JSON).
const OFFICIAL_VERIFIER = `
const { Verifier } = require('@pact-foundation/pact');
process.on('message', ({ id, file, baseUrl }) => {
  new Verifier({
    provider: ${JSON.stringify(PROVIDER)},
    providerBaseUrl: baseUrl,
    pactUrls: [file],
    logLevel: 'error',
    stateHandlers: { 'an order exists': async (params) => ({ id: params.id }) },
  })
    .verifyProvider()
    .then((report) => report, (error) => error.message)
    .then((report) => process.send({ id, report }));
});
`;

function startOfficialVerifier() {
  const child = spawn(process.execPath, ['-e', OFFICIAL_VERIFIER], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const waiting = new Map<number, { resolve: (report: string) => void; reject: (error: Error) => void }>();
  child.on('message', (message: { id: number; report: string }) =>
    waiting.get(message.id)?.resolve(message.report),
  );
  child.on('exit', (code) => {
    for (const job of waiting.values())
      job.reject(new Error(`the official verifier exited (${code}): ${stderr}`));
  });
  let nextId = 0;
  return {
    /** For each interaction, where the official verifier found mismatches ('status' for the status); none: it passed. */
    async verdict(file: string, baseUrl: string): Promise<Map<string, string[]>> {
      const id = nextId++;
      const report = await new Promise<string>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        child.send({ id, file, baseUrl });
      });
      waiting.delete(id);
      let results: Array<{
        description: string;
        result: string;
        mismatch?: { mismatches?: Array<{ path?: string; type: string }> };
      }>;
      try {
        results = JSON.parse(report).interactionResults;
      } catch {
        throw new Error(`unexpected report from the official verifier: ${report}`);
      }
      return new Map(
        results.map((r) => [
          r.description,
          r.result === 'OK'
            ? []
            : (r.mismatch?.mismatches ?? [{ type: r.result }]).map((m) =>
                m.type === 'StatusMismatch' ? 'status' : (m.path ?? m.type),
              ),
        ]),
      );
    },
    close: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill();
      }),
  };
}

let official: ReturnType<typeof startOfficialVerifier>;
beforeAll(() => {
  official = startOfficialVerifier();
});
afterAll(() => official?.close());

// ---------------------------------------------------------------------------------------------------

/**
 * The status matcher gets a pact of its own: a pact Covenant can't read stops at loading, and must not
 * hide how the body matchers fare.
 */
function pactsOf(spec: number, cases: readonly Case[]) {
  return [
    { consumer: `MatchersV${spec}Client`, cases: cases.filter((c) => !c.status) },
    { consumer: `MatchersV${spec}StatusClient`, cases: cases.filter((c) => c.status) },
  ].filter((p) => p.cases.length > 0);
}

const where = (c: Case) => (c.category === 'status' ? 'status' : c.path);

describe.each(versions)('V$spec pacts written by pact-js', ({ spec, cases }) => {
  for (const { consumer, cases: pactCases } of pactsOf(spec, cases)) {
    describe(consumer, () => {
      const file = join(dir, `${consumer}-${PROVIDER}.json`);
      let passing: VerificationResult | Error;
      let failing: VerificationResult | Error;
      let sentByCovenant: string[];
      beforeAll(async () => {
        await writers[spec]!(consumer, pactCases);
        honouring.received.length = 0;
        passing = await covenantVerdict(file, `${honouring.url}/v${spec}`);
        sentByCovenant = [...honouring.received];
        failing = await covenantVerdict(file, `${breaking.url}/v${spec}`);
      }, 30_000);

      const interaction = (verdict: VerificationResult | Error, c: Case) => {
        if (verdict instanceof Error) throw verdict;
        const found = verdict.pacts.flatMap((p) => p.interactions).filter((i) => i.description === c.name);
        expect(found, `one interaction for ${c.name}`).toHaveLength(1);
        return found[0]!;
      };

      it(`is a V${spec} pact with one interaction per matcher`, () => {
        const pact = JSON.parse(readFileSync(file, 'utf8'));
        // pact-js writes '2.0.0' and '3.0.0', but '4.0'
        expect(pact.metadata.pactSpecification.version).toMatch(new RegExp(`^${spec}\\.0(\\.0)?$`));
        expect(pact.interactions.map((i: { description: string }) => i.description).sort()).toEqual(
          pactCases.map((c) => c.name).sort(),
        );
      });

      it('the official verifier agrees: it passes the honouring provider, and fails the breaking one at the same places', async () => {
        const [good, bad] = await Promise.all([
          official.verdict(file, `${honouring.url}/v${spec}`),
          official.verdict(file, `${breaking.url}/v${spec}`),
        ]);
        expect(Object.fromEntries(good)).toEqual(Object.fromEntries(pactCases.map((c) => [c.name, []])));
        for (const c of pactCases) expect(bad.get(c.name), c.name).toContain(where(c));
      }, 30_000);

      it('Covenant: the whole pact passes against the honouring provider, fails against the breaking one', () => {
        const n = pactCases.length;
        expect(passing).toMatchObject({ success: true, summary: { interactions: n, passed: n } });
        expect(failing).toMatchObject({ success: false, summary: { interactions: n, failed: n } });
      });

      for (const c of pactCases) {
        it(`Covenant: ${c.name} passes against the honouring provider`, () => {
          const result = interaction(passing, c);
          expect({ status: result.status, error: result.error, mismatches: result.mismatches }).toEqual({
            status: 'passed',
            error: undefined,
            mismatches: [],
          });
        });

        it(`Covenant: ${c.name} fails against the breaking provider, at ${where(c)}`, () => {
          const result = interaction(failing, c);
          expect(result.error).toBeUndefined();
          expect(result.status).toBe('failed');
          expect(result.mismatches.map((m) => ({ category: m.category, path: m.path }))).toContainEqual({
            category: c.category ?? 'body',
            path: c.path,
          });
        });

        if (c.state) {
          it(`Covenant: ${c.name} sends the value the state handler returned`, () => {
            expect(interaction(passing, c).status).toBe('passed');
            expect(sentByCovenant).toContain(`/v${spec}/m/${c.name}?id=777`);
          });
        }
      }
    });
  }
});
