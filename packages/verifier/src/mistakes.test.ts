import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CovenantError } from '@covenant/core';
import { selfSignedCertificate } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonReporter, junitReporter } from './reporters.js';
import { type VerifierOptions, verifyProvider } from './verify.js';

/** verifyProvider given wrong options, bad sources and providers that misbehave: coded errors, never a hang. */
const pact = {
  consumer: { name: 'Web' },
  provider: { name: 'Orders' },
  interactions: [
    {
      description: 'a request for an order',
      request: { method: 'GET', path: '/orders/1' },
      response: { status: 200 },
    },
  ],
  metadata: { pactSpecification: { version: '3.0.0' } },
};

let dir: string;
let pactFile: string;
let server: http.Server;
let url: string;
const sockets = new Set<import('node:net').Socket>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'covenant-verifier-mistakes-'));
  pactFile = join(dir, 'web-orders.json');
  await writeFile(pactFile, JSON.stringify(pact));
  server = http.createServer((req, res) => {
    req.resume();
    if (req.url === '/loop') {
      res.writeHead(302, { Location: '/loop' }).end();
    } else if (req.url === '/stalls') {
      // headers and half a pact, then nothing
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"consumer": ');
    } else if (req.url?.startsWith('/trickles')) {
      // a byte every 50 ms, never ending (as an event stream)
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const timer = setInterval(() => res.write(':'), 50);
      res.on('close', () => clearInterval(timer));
    } else if (req.url?.startsWith('/hangs')) {
      // never answers
    } else if (req.url === '/private-pact') {
      const expected = `Basic ${Buffer.from('ci:s3cr:et').toString('base64')}`;
      res.writeHead(req.headers.authorization === expected ? 200 : 401, {
        'Content-Type': 'application/json',
      });
      res.end(JSON.stringify(pact));
    } else if (req.url === '/pact') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(pact));
    } else res.end();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** The code and message a run rejects with ('resolved' when it does not). */
async function failure(options: Partial<VerifierOptions>): Promise<{ code: string; message: string }> {
  try {
    await verifyProvider({ provider: 'Orders', providerBaseUrl: url, reporters: [], ...options });
    return { code: 'resolved', message: '' };
  } catch (error) {
    if (error instanceof CovenantError) return { code: error.code, message: error.message };
    return { code: `not a CovenantError: ${String(error)}`, message: String(error) };
  }
}

describe('pact URLs that fail', () => {
  it('says why: a redirect loop, a port fetch refuses, no answer or half a body within the timeout', async () => {
    const started = Date.now();
    const [loop, badPort, hangs, stalls] = await Promise.all([
      failure({ pactUrls: [`${url}/loop`] }),
      failure({ pactUrls: ['http://127.0.0.1:1/pact'] }),
      failure({ pactUrls: [`${url}/hangs`], timeoutMs: 300 }),
      failure({ pactUrls: [`${url}/stalls`], timeoutMs: 300 }),
    ]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(loop.code).toBe('COV_VERIFIER_PACT_SOURCE_FAILED');
    // the reason's words are undici's (they may change between Node versions): the URL is what counts
    expect(loop.message).toMatch(/cannot fetch the pact at .*\/loop: \S/);
    expect(badPort.code).toBe('COV_VERIFIER_PACT_SOURCE_FAILED');
    expect(badPort.message).toMatch(/bad port/);
    for (const timedOut of [hangs, stalls]) {
      expect(timedOut.code).toBe('COV_VERIFIER_PACT_SOURCE_FAILED');
      expect(timedOut.message).toMatch(/: no answer within 300 ms/);
    }
  });

  it('with credentials in it sends them as basic auth, and never shows the password', async () => {
    const withCredentials = `${url.replace('http://', 'http://ci:s3cr%3Aet@')}/private-pact`;
    const ok = await verifyProvider({
      provider: 'Orders',
      providerBaseUrl: url,
      pactUrls: [withCredentials],
      reporters: [],
    });
    expect(ok.success).toBe(true);
    expect(ok.pacts[0]!.source).toBe(withCredentials.replace('s3cr%3Aet', '***'));
    const wrong = await failure({ pactUrls: [withCredentials.replace('s3cr%3Aet', 'nope')] });
    expect(wrong.message).toContain(
      `cannot fetch the pact at ${url.replace('http://', 'http://ci:***@')}/private-pact: the server answered 401`,
    );
    expect(wrong.message).not.toContain('nope');
  });

  it("gives a broker the run's timeout", async () => {
    const started = Date.now();
    const hung = await failure({ broker: { baseUrl: `${url}/hangs` }, timeoutMs: 300 });
    expect(hung.code).toBe('COV_BROKER_CLIENT_UNREACHABLE');
    expect(hung.message).toContain('no answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('a pact file too large to read', () => {
  it('says how large it is, not "Invalid string length"', async () => {
    const giant = join(dir, 'giant.json');
    // sparse: no disk space taken, and it is never read
    await writeFile(giant, '');
    await truncate(giant, 600 * 2 ** 20);
    const result = await failure({ pactUrls: [giant] });
    expect(result.code).toBe('COV_VERIFIER_PACT_SOURCE_FAILED');
    expect(result.message).toMatch(
      /cannot read .*giant.json: it is 600 MB, more than the \d+ MB a file can be read as text/,
    );
    await rm(giant);
  });
});

describe('filters that select no interaction', () => {
  it('fail the run instead of passing it with nothing verified, unless none is fine', async () => {
    const misspelt = await failure({
      pactUrls: [pactFile],
      filter: { description: 'a request for an ordr' },
    });
    expect(misspelt.code).toBe('COV_VERIFIER_NO_PACTS');
    expect(misspelt.message).toContain(
      "the filters (description 'a request for an ordr') select none of the 1 interaction in 1 pact for Orders",
    );
    const fromEnv = await failure({ pactUrls: [pactFile], env: { PACT_PROVIDER_STATE: 'an order exists' } });
    expect(fromEnv.message).toContain("the filters (state 'an order exists') select none");
    const contradiction = await failure({ pactUrls: [pactFile], filter: { state: 'x', noState: true } });
    expect(contradiction.code).toBe('COV_VERIFIER_OPTIONS_INVALID');
    expect(contradiction.message).toContain('contradict each other');
    // failIfNoPactsFound: false is for a provider without pacts; it does not excuse a filter
    const notExcused = await failure({
      pactUrls: [pactFile],
      filter: { description: 'nothing' },
      failIfNoPactsFound: false,
    });
    expect(notExcused.code).toBe('COV_VERIFIER_NO_PACTS');
    expect(notExcused.message).toContain("description 'nothing'");
  });
});

describe('options that cannot work', () => {
  it('are refused before anything is sent, with what is wrong', async () => {
    const cases: Array<[Partial<VerifierOptions>, RegExp]> = [
      [
        { providerBaseUrl: 'localhost:8080' },
        /providerBaseUrl 'localhost:8080' is not an http:\/\/ or https:\/\/ URL/,
      ],
      [{ providerBaseUrl: 'ftp://127.0.0.1' }, /providerBaseUrl 'ftp:\/\/127\.0\.0\.1' is not an http/],
      [
        { stateChangeUrl: '_pact/state' },
        /stateChangeUrl '_pact\/state' is not an http:\/\/ or https:\/\/ URL/,
      ],
      [
        { messageUrl: 'ftp://127.0.0.1/message' },
        /messageUrl 'ftp:\/\/127\.0\.0\.1\/message' is not an http/,
      ],
      [
        { filter: { description: 'a (request' } },
        /filter.description 'a \(request' is not a regular expression/,
      ],
      [{ env: { PACT_PROVIDER_STATE: '[' } }, /PACT_PROVIDER_STATE '\[' is not a regular expression/],
      [{ timeoutMs: -1 }, /timeoutMs -1 is not a number of milliseconds from 1 to 2147483647/],
      [
        { timeoutMs: 3_000_000_000 },
        /timeoutMs 3000000000 is not a number of milliseconds from 1 to 2147483647/,
      ],
      // each of these counted as a state set up, without a word
      [
        { stateHandlers: { 'an order exists': 'createOrder' as never } },
        /stateHandlers\['an order exists'\] must be a function, or \{ setup\?: function, teardown\?: function \}/,
      ],
      [
        { stateHandlers: { 'an order exists': { setUp: () => {} } as never } },
        /stateHandlers\['an order exists'\]/,
      ],
    ];
    for (const [options, message] of cases) {
      const result = await failure({ pactUrls: [pactFile], ...options });
      expect(result.code, JSON.stringify(options)).toBe('COV_VERIFIER_OPTIONS_INVALID');
      expect(result.message).toMatch(message);
    }
    expect((await failure(undefined as unknown as VerifierOptions)).code).toBe(
      'COV_VERIFIER_OPTIONS_INVALID',
    );
    // 'unknown scheme' as an unreachable broker, after the pact files were read
    for (const [broker, fact] of [
      [{ baseUrl: 'localhost:9292' }, "the broker URL 'localhost:9292' is not an http:// or https:// URL"],
      // it overrode the run's (checked) timeout unchecked: every broker request timed out after 1 ms
      [{ baseUrl: 'http://127.0.0.1:1', timeoutMs: 3_000_000_000 }, 'timeoutMs 3000000000'],
    ] as const) {
      const refused = await failure({ pactUrls: ['/does/not/exist.json'], broker });
      expect(refused.code, JSON.stringify(broker)).toBe('COV_BROKER_CLIENT_CONFIG_INVALID');
      expect(refused.message).toContain(fact);
    }
    // a JavaScript caller's string was read letter by letter, each letter a missing file
    const notAList = await failure({ pactUrls: pactFile as unknown as string[] });
    expect(notAList.code).toBe('COV_VERIFIER_OPTIONS_INVALID');
    expect(notAList.message).toContain(
      "pactUrls is a list of files, directories and URLs, e.g. ['pacts/'], not \"",
    );
  });
});

describe('a provider that does not answer', () => {
  it('fails each interaction with a coded error when it hangs past the timeout or speaks no TLS', async () => {
    const hung = await verifyProvider({
      provider: 'Orders',
      providerBaseUrl: `${url}/hangs`,
      pactUrls: [pactFile],
      timeoutMs: 300,
      reporters: [],
    });
    const interaction = hung.pacts[0]!.interactions[0]!;
    expect(interaction.status).toBe('failed');
    expect(interaction.errorCode).toBe('COV_VERIFIER_PROVIDER_UNREACHABLE');
    expect(interaction.error).toContain('did not answer /hangs/orders/1: no complete response within 300 ms');
    const started = Date.now();
    const endless = await verifyProvider({
      provider: 'Orders',
      providerBaseUrl: `${url}/trickles`,
      pactUrls: [pactFile],
      timeoutMs: 300,
      reporters: [],
    });
    expect(endless.pacts[0]!.interactions[0]!.error).toContain(
      'did not answer /trickles/orders/1: no complete response within 300 ms',
    );
    expect(Date.now() - started).toBeLessThan(3000);
    const plain = await verifyProvider({
      provider: 'Orders',
      providerBaseUrl: url.replace('http:', 'https:'),
      pactUrls: [pactFile],
      reporters: [],
    });
    expect(plain.pacts[0]!.interactions[0]!.errorCode).toBe('COV_VERIFIER_PROVIDER_UNREACHABLE');
    expect(plain.pacts[0]!.interactions[0]!.error).toContain('does not speak TLS');
  });
});

describe('a request filter', () => {
  it('may change the request in place and return nothing; returning something else fails with a coded error', async () => {
    const seen: Array<string | undefined> = [];
    const recorder = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.end();
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
    try {
      const inPlace = await verifyProvider({
        provider: 'Orders',
        providerBaseUrl: base,
        pactUrls: [pactFile],
        requestFilter: (request) => {
          request.headers.Authorization = ['Bearer t'];
        },
        reporters: [],
      });
      expect(inPlace.success).toBe(true);
      expect(seen).toEqual(['Bearer t']);
      const wrong = await verifyProvider({
        provider: 'Orders',
        providerBaseUrl: base,
        pactUrls: [pactFile],
        requestFilter: (() => true) as never,
        reporters: [],
      });
      const interaction = wrong.pacts[0]!.interactions[0]!;
      expect(interaction.errorCode).toBe('COV_VERIFIER_OPTIONS_INVALID');
      expect(interaction.error).toContain('requestFilter returned true, not a request');
    } finally {
      await new Promise((resolve) => recorder.close(resolve));
    }
  });
});

describe('a message endpoint that does not answer', () => {
  it('fails the interaction naming messageUrl and the timeout', async () => {
    const messagePact = {
      consumer: { name: 'Audit' },
      provider: { name: 'Orders' },
      messages: [{ description: 'an order created event', contents: { id: 1 } }],
      metadata: { pactSpecification: { version: '3.0.0' } },
    };
    const file = join(dir, 'audit-orders.json');
    await writeFile(file, JSON.stringify(messagePact));
    const result = await verifyProvider({
      provider: 'Orders',
      messageUrl: `${url}/hangs/message`,
      pactUrls: [file],
      timeoutMs: 300,
      reporters: [],
    });
    const interaction = result.pacts[0]!.interactions[0]!;
    expect(interaction.errorCode).toBe('COV_VERIFIER_MESSAGE_ENDPOINT_FAILED');
    // the endpoint named as the messageUrl, and the timeout that ran out
    expect(interaction.error).toContain(`the message endpoint ${url}/hangs/message (messageUrl)`);
    expect(interaction.error).toContain('within 300 ms');
  });
});

describe('a state-change URL that does not answer', () => {
  it('fails the interaction naming the state-change URL, without the hint meant for providerBaseUrl', async () => {
    const result = await verifyProvider({
      provider: 'Orders',
      providerBaseUrl: url,
      stateChangeUrl: 'http://127.0.0.1:1/_pact/state',
      pactUrls: [pactFile],
      reporters: [],
    });
    const { error, status } = result.pacts[0]!.interactions[0]!;
    expect(status).toBe('failed');
    expect(error).toMatch(/^State change request failed/);
    expect(error).toContain('the state change URL http://127.0.0.1:1/_pact/state');
    expect(error).toContain('ECONNREFUSED');
    expect(error).not.toContain('providerBaseUrl');
  });
});

describe('an HTTPS provider', () => {
  it('with a certificate not trusted says to give tls.ca, a tls.ca file is read, and one that is not PEM refused', async () => {
    const { key, cert } = selfSignedCertificate(dir);
    const secure = https.createServer({ key, cert }, (_req, res) => res.end());
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
    const base = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
    try {
      const untrusted = await verifyProvider({
        provider: 'Orders',
        providerBaseUrl: base,
        pactUrls: [pactFile],
        reporters: [],
      });
      expect(untrusted.pacts[0]!.interactions[0]!.error).toContain(
        `${base} has a certificate that is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT): give tls.ca, or tls.insecure (--insecure)`,
      );
      const trusted = await verifyProvider({
        provider: 'Orders',
        providerBaseUrl: base,
        pactUrls: [pactFile],
        tls: { ca: cert },
        reporters: [],
      });
      expect(trusted.success).toBe(true);
      // a path is read; a file that holds no certificate is refused (Node would ignore it, and the
      // certificate be untrusted with no word about the CA)
      const fromFile = await verifyProvider({
        provider: 'Orders',
        providerBaseUrl: base,
        pactUrls: [pactFile],
        tls: { ca: join(dir, 'server-cert.pem') },
        reporters: [],
      });
      expect(fromFile.success).toBe(true);
      const notPem = await failure({ providerBaseUrl: base, pactUrls: [pactFile], tls: { ca: pactFile } });
      expect(notPem.code).toBe('COV_VERIFIER_TLS_INVALID');
      expect(notPem.message).toContain('tls.ca is not a PEM certificate');
    } finally {
      await new Promise((resolve) => secure.close(resolve));
    }
  });
});

describe('reports that cannot be written', () => {
  it('reject with a coded error naming the file', async () => {
    for (const reporter of [jsonReporter(join(pactFile, 'report.json')), junitReporter(dir)]) {
      const result = await failure({ pactUrls: [pactFile], reporters: [reporter] });
      expect(result.code).toBe('COV_VERIFIER_REPORT_WRITE_FAILED');
      expect(result.message).toMatch(/cannot write the (JSON|JUnit) report /);
    }
  });
});
