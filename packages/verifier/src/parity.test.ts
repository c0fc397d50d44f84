import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { BrokerClient } from '@covenant/broker-client';
import { close, listen, selfSignedCertificate, tempDir } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from './pipeline/config.js';
import { type VerifierOptions, verifyProvider } from './verify.js';

/** pact-js's Verifier options in Covenant: beforeEach/afterEach, logLevel/logFile, mTLS, enablePending. */
const pact = {
  consumer: { name: 'Web' },
  provider: { name: 'Orders' },
  interactions: ['a request for order 1', 'a request for order 2'].map((description, i) => ({
    description,
    request: { method: 'GET', path: `/orders/${i + 1}` },
    response: { status: 200, body: { id: i + 1 } },
  })),
  metadata: { pactSpecification: { version: '3.0.0' } },
};

const dir = tempDir('covenant-verifier-parity-');
const pactFile = join(dir.path, 'web-orders.json');
const calls: string[] = [];
let provider: http.Server;
let base: string;

beforeAll(async () => {
  writeFileSync(pactFile, JSON.stringify(pact));
  provider = http.createServer((req, res) => {
    calls.push(`request ${req.url}`);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ id: Number(req.url?.split('/').pop()) }));
  });
  base = await listen(provider);
});

afterAll(async () => {
  await close(provider);
  dir.remove();
});

const options = (more: Partial<VerifierOptions>): VerifierOptions => ({
  provider: 'Orders',
  providerBaseUrl: base,
  pactUrls: [pactFile],
  reporters: [],
  ...more,
});

describe('beforeEach and afterEach', () => {
  it('run around each interaction, outside its provider states', async () => {
    calls.length = 0;
    const result = await verifyProvider(
      options({
        beforeEach: async () => {
          calls.push('beforeEach');
        },
        afterEach: () => {
          calls.push('afterEach');
        },
      }),
    );
    expect(result.success).toBe(true);
    expect(calls).toEqual([
      'beforeEach',
      'request /orders/1',
      'afterEach',
      'beforeEach',
      'request /orders/2',
      'afterEach',
    ]);
  });

  it('a beforeEach that throws fails its interaction, skips its request and still runs afterEach', async () => {
    calls.length = 0;
    let n = 0;
    const result = await verifyProvider(
      options({
        beforeEach: () => {
          n += 1;
          if (n === 1) throw new Error('database not reachable');
        },
        afterEach: () => {
          calls.push('afterEach');
        },
      }),
    );
    expect(result.success).toBe(false);
    const [first, second] = result.pacts[0]!.interactions;
    expect(first).toMatchObject({ status: 'failed', errorCode: 'COV_VERIFIER_HOOK_FAILED' });
    expect(first!.error).toContain("beforeEach threw for 'a request for order 1': database not reachable");
    expect(second!.status).toBe('passed');
    expect(calls).toEqual(['afterEach', 'request /orders/2', 'afterEach']);
  });

  it('an afterEach that throws fails the interaction it ran after', async () => {
    const result = await verifyProvider(
      options({
        afterEach: () => Promise.reject(new Error('cleanup failed')),
      }),
    );
    expect(result.pacts[0]!.interactions.map((i) => [i.status, i.error?.split('\n')[0]])).toEqual([
      ['failed', "COV_VERIFIER_HOOK_FAILED: afterEach threw for 'a request for order 1': cleanup failed"],
      ['failed', "COV_VERIFIER_HOOK_FAILED: afterEach threw for 'a request for order 2': cleanup failed"],
    ]);
  });

  it('refuses a hook that is not a function', () => {
    expect(() => resolveConfig(options({ beforeEach: 'reset' as never }), {})).toThrow(
      /beforeEach is a function/,
    );
  });
});

describe('logLevel and logFile', () => {
  it('append the requests at debug to the file, and only the outcomes at info', async () => {
    const debugLog = join(dir.path, 'logs', 'debug.log');
    await verifyProvider(options({ logLevel: 'debug', logFile: debugLog }));
    const debug = readFileSync(debugLog, 'utf8');
    expect(debug).toMatch(
      /^\d{4}-\d\d-\d\dT\S+ INFO {2}verifying provider Orders at http:\/\/127\.0\.0\.1:\d+\n/,
    );
    expect(debug).toContain(`DEBUG request GET ${base}/orders/1\n`);
    expect(debug).toContain(`DEBUG response 200 to GET ${base}/orders/2\n`);
    expect(debug).toContain("INFO  passed 'a request for order 2'\n");

    const infoLog = join(dir.path, 'logs', 'info.log');
    // LOG_LEVEL is pact-js's variable; a file alone logs at info
    await verifyProvider(options({ logFile: infoLog, env: {} }));
    const info = readFileSync(infoLog, 'utf8');
    expect(info).toContain("INFO  passed 'a request for order 1'");
    expect(info).not.toContain('DEBUG');
  });

  it('take LOG_LEVEL, and refuse an unknown logLevel or a file that cannot be written', async () => {
    expect(resolveConfig(options({ env: {} }), { LOG_LEVEL: 'WARN' }).log).toEqual({
      level: 'warn',
      file: undefined,
    });
    // LOG_LEVEL is shared with other tools: theirs are ignored, a logLevel option is checked
    expect(resolveConfig(options({}), { LOG_LEVEL: 'verbose' }).log.level).toBe('off');
    expect(() => resolveConfig(options({ logLevel: 'verbose' as never }), {})).toThrow(
      expect.objectContaining({
        code: 'COV_VERIFIER_OPTIONS_INVALID',
        detail: expect.stringMatching(/logLevel 'verbose'/),
      }),
    );
    await expect(verifyProvider(options({ logFile: dir.path }))).rejects.toMatchObject({
      code: 'COV_VERIFIER_LOG_FAILED',
      detail: expect.stringContaining(`cannot write the log file ${dir.path}`),
    });
  });
});

describe('enablePending', () => {
  const broker = { baseUrl: 'http://127.0.0.1:1' };
  const pending = (more: Partial<VerifierOptions>) =>
    resolveConfig(options({ pactUrls: [], ...more }), {}).sources.broker!.request.includePendingStatus;

  it('is an alias of includePendingStatus, which defaults to true', () => {
    expect(pending({ broker })).toBe(true);
    expect(pending({ broker, enablePending: false })).toBe(false);
    expect(pending({ broker: { ...broker, enablePending: false } })).toBe(false);
    expect(pending({ broker: { ...broker, includePendingStatus: false }, enablePending: false })).toBe(false);
  });

  it('refuses the two names with different values', () => {
    expect(() =>
      pending({ broker: { ...broker, includePendingStatus: true }, enablePending: false }),
    ).toThrow(
      expect.objectContaining({
        code: 'COV_VERIFIER_OPTIONS_INVALID',
        detail: expect.stringContaining(
          'broker.includePendingStatus: true and enablePending: false contradict',
        ),
      }),
    );
  });
});

describe('mTLS', () => {
  const server = selfSignedCertificate(dir.path, 'server');
  const client = selfSignedCertificate(dir.path, 'client');
  const stranger = selfSignedCertificate(dir.path, 'stranger');
  let secure: https.Server;
  let secureBase: string;

  beforeAll(async () => {
    // trusts exactly the client's certificate, and requires one
    secure = https.createServer(
      { key: server.key, cert: server.cert, ca: client.cert, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        res.setHeader('Content-Type', 'application/json');
        if (req.url === '/') res.end(JSON.stringify({ _links: { self: { href: '/' } } }));
        else res.end(JSON.stringify({ id: Number(req.url?.split('/').pop()) }));
      },
    );
    secureBase = await listen(secure, 'https');
  });
  afterAll(() => close(secure));

  it('presents the client certificate to a provider that requires one (files or PEM text)', async () => {
    const withFiles = await verifyProvider(
      options({
        providerBaseUrl: secureBase,
        tls: { ca: server.certFile, cert: client.certFile, key: client.keyFile },
      }),
    );
    expect(withFiles.success).toBe(true);
    const withText = await verifyProvider(
      options({ providerBaseUrl: secureBase, tls: { ca: server.cert, cert: client.cert, key: client.key } }),
    );
    expect(withText.success).toBe(true);
    // pact-js's name for the client certificate
    const pactJsName = await verifyProvider(
      options({
        providerBaseUrl: secureBase,
        tls: { ca: server.cert },
        tlsClientOptions: { cert: client.certFile, key: client.keyFile },
      }),
    );
    expect(pactJsName.success).toBe(true);
    expect(() =>
      resolveConfig(
        options({ tls: { cert: client.cert, key: client.key }, tlsClientOptions: { cert: client.cert } }),
        {},
      ),
    ).toThrow(/the client certificate is given twice/);
  });

  it('says to give tls.cert and tls.key when the provider wants a certificate it trusts', async () => {
    for (const tls of [{ ca: server.cert }, { ca: server.cert, cert: stranger.cert, key: stranger.key }]) {
      const result = await verifyProvider(options({ providerBaseUrl: secureBase, tls }));
      expect(result.success).toBe(false);
      expect(result.pacts[0]!.interactions[0]!.error).toMatch(
        /closed the connection \(\w+\): if it requires a client certificate \(mTLS\), give tls.cert and tls.key/,
      );
    }
  });

  it('refuses a certificate without its key, a key not its own, and a file that is not there', () => {
    for (const [tls, message] of [
      [{ cert: client.certFile }, 'tls.cert was given without tls.key'],
      [{ cert: client.cert, key: stranger.key }, 'tls.key cannot be used with tls.cert'],
      [
        { ca: join(dir.path, 'missing.pem') },
        `tls.ca '${join(dir.path, 'missing.pem')}' is neither PEM text nor a readable file`,
      ],
      [{ ca: client.keyFile }, 'tls.ca is not a PEM certificate'],
    ] as const) {
      expect(() => resolveConfig(options({ tls }), {})).toThrow(
        expect.objectContaining({
          code: 'COV_VERIFIER_TLS_INVALID',
          detail: expect.stringContaining(message),
        }),
      );
    }
    expect(() =>
      resolveConfig(options({ broker: { baseUrl: secureBase, tls: { key: client.keyFile } } }), {}),
    ).toThrow(/broker.tls.key was given without broker.tls.cert/);
  });

  it("gives the broker's client certificate to the broker client, which presents it", async () => {
    const config = resolveConfig(
      options({
        broker: {
          baseUrl: secureBase,
          tls: { ca: server.certFile, cert: client.certFile, key: client.keyFile },
        },
      }),
      {},
    );
    const brokerClient = new BrokerClient(config.sources.broker!.client);
    await expect(brokerClient.index()).resolves.toMatchObject({ _links: { self: { href: '/' } } });
    const without = new BrokerClient({ baseUrl: secureBase, env: {}, tls: { ca: server.cert } });
    await expect(without.index()).rejects.toMatchObject({ code: 'COV_BROKER_CLIENT_UNREACHABLE' });
  });
});
