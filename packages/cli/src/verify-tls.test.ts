import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { close, listen, runCli, selfSignedCertificate, tempDir } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `covenant verify --tls-ca/--tls-cert/--tls-key` against a provider that requires a client certificate, and --log-file. */
const dir = tempDir('covenant-cli-verify-tls-');
const server = selfSignedCertificate(dir.path, 'server');
const client = selfSignedCertificate(dir.path, 'client');
let provider: https.Server;
let url: string;

beforeAll(async () => {
  writeFileSync(
    join(dir.path, 'web-orders.json'),
    JSON.stringify({
      consumer: { name: 'Web' },
      provider: { name: 'Orders' },
      interactions: [
        {
          description: 'a request for order 1',
          request: { method: 'GET', path: '/orders/1' },
          response: { status: 200, body: { id: 1 } },
        },
      ],
      metadata: { pactSpecification: { version: '3.0.0' } },
    }),
  );
  provider = https.createServer(
    { key: server.key, cert: server.cert, ca: client.cert, requestCert: true, rejectUnauthorized: true },
    (_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end('{"id":1}');
    },
  );
  url = await listen(provider, 'https');
});

afterAll(async () => {
  await close(provider);
  dir.remove();
});

const verify = (...args: string[]) =>
  runCli(['verify', 'web-orders.json', '--provider-base-url', url, '--tls-ca', server.certFile, ...args], {
    cwd: dir.path,
  });

describe('covenant verify with TLS and log options', () => {
  it('presents the client certificate and writes the log file', async () => {
    const run = await verify(
      '--tls-cert',
      client.certFile,
      '--tls-key',
      client.keyFile,
      '--log-level',
      'debug',
      '--log-file',
      'logs/verify.log',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const log = readFileSync(join(dir.path, 'logs', 'verify.log'), 'utf8');
    expect(log).toContain(`DEBUG response 200 to GET ${url}/orders/1`);
  });

  it('fails the interaction without a certificate, and refuses a certificate without its key', async () => {
    const without = await verify();
    expect(without.code).toBe(1);
    expect(without.stdout).toContain(
      'if it requires a client certificate (mTLS), give tls.cert and tls.key (--tls-cert, --tls-key)',
    );
    const noKey = await verify('--tls-cert', client.certFile);
    expect(noKey.code).not.toBe(0);
    expect(noKey.stderr).toContain('COV_VERIFIER_TLS_INVALID: tls.cert was given without tls.key');
  });
});
