// A provider build with read-only credentials verifies: `covenant verify` fetches its pacts with the
// POST for-verification (a read), from a broker with authentication on, over basic auth and a token.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type RunningBroker, startBroker } from '@covenant/broker';
import { pactJson, runCli, tempDir } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const writer = { username: 'writer', password: 'writer-secret' };
const reader = { username: 'reader', password: 'reader-secret' };
const basic = ({ username, password }: typeof writer) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

let broker: RunningBroker;
let provider: http.Server;
let providerUrl: string;
const dir = tempDir('covenant-read-only-verify-');

beforeAll(async () => {
  broker = await startBroker({
    port: 0,
    database: join(dir.path, 'broker.sqlite'),
    auth: { readWrite: writer, readOnly: reader, tokens: { readOnly: ['reader-token'] } },
  });
  // the provider answers each request with its path, as the pact expects
  provider = http.createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ path: request.url }));
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  const published = await fetch(`${broker.url}/pacts/provider/Orders/consumer/Web/version/1.0.0`, {
    method: 'PUT',
    headers: { authorization: basic(writer), 'content-type': 'application/json' },
    body: JSON.stringify(pactJson('Web', 'Orders', ['/orders/1'])),
  });
  expect(published.status).toBe(201);
});
afterAll(async () => {
  await new Promise((resolve) => provider.close(resolve));
  await broker.close();
  dir.remove();
});

const verify = (...credentials: string[]) =>
  runCli([
    'verify',
    '--provider',
    'Orders',
    '--provider-base-url',
    providerUrl,
    '--broker-base-url',
    broker.url,
    '--consumer-version-selectors',
    '{"latest":true}',
    ...credentials,
  ]);

describe('covenant verify with read-only credentials', () => {
  it('fetches the pacts with basic auth and verifies them', async () => {
    const run = await verify('--broker-username', reader.username, '--broker-password', reader.password);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Verifying a pact between Web and Orders');
    expect(run.code).toBe(0);
  }, 30_000);

  it('fetches the pacts with a read-only token and verifies them', async () => {
    const run = await verify('--broker-token', 'reader-token');
    expect(run.stdout).toContain('Verifying a pact between Web and Orders');
    expect(run.code).toBe(0);
  }, 30_000);

  it('is refused with a wrong password (so the two above are not open doors)', async () => {
    const run = await verify('--broker-username', reader.username, '--broker-password', 'wrong');
    expect(run.code).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/401|not accepted/);
  }, 30_000);
});
