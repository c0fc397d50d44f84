// pact-js's Verifier (the Rust core) fetches pacts for verification with a POST, from a broker with
// authentication on, using read-only credentials (basic auth and a bearer token): the broker takes
// that POST as a read, as the reference broker does, so a provider build that may only read verifies.
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../../packages/broker/dist/index.js';
import { pactJson, tempDir } from '../../packages/test-support/dist/index.js';

process.env.PACT_DO_NOT_TRACK = 'true';
const require = createRequire(import.meta.url);
const pactJs = require('@pact-foundation/pact') as typeof import('@pact-foundation/pact');

const writer = { username: 'writer', password: 'writer-secret' };
const reader = { username: 'reader', password: 'reader-secret' };
const dir = tempDir('covenant-read-only-interop-');
let broker: RunningBroker;
let provider: http.Server;
let providerUrl: string;

beforeAll(async () => {
  broker = await startBroker({
    port: 0,
    database: join(dir.path, 'broker.sqlite'),
    auth: { readWrite: writer, readOnly: reader, tokens: { readOnly: ['reader-token'] } },
  });
  provider = http.createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ path: request.url }));
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  const published = await fetch(`${broker.url}/pacts/provider/Orders/consumer/Web/version/1.0.0`, {
    method: 'PUT',
    headers: {
      authorization: `Basic ${Buffer.from(`${writer.username}:${writer.password}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(pactJson('Web', 'Orders', ['/orders/1'])),
  });
  expect(published.status).toBe(201);
});
afterAll(async () => {
  await new Promise((resolve) => provider.close(resolve));
  await broker.close();
  dir.remove();
});

const verifier = (credentials: {
  pactBrokerUsername?: string;
  pactBrokerPassword?: string;
  pactBrokerToken?: string;
}) =>
  new pactJs.Verifier({
    provider: 'Orders',
    providerBaseUrl: providerUrl,
    pactBrokerUrl: broker.url,
    consumerVersionSelectors: [{ latest: true }],
    // a provider build names its branch (without one, pact-js sends a blank branch the broker refuses)
    providerVersionBranch: 'main',
    logLevel: 'error',
    ...credentials,
  });

describe("pact-js's Verifier with read-only credentials", () => {
  it('fetches the pacts with basic auth and verifies them', async () => {
    await expect(
      verifier({ pactBrokerUsername: reader.username, pactBrokerPassword: reader.password }).verifyProvider(),
    ).resolves.toBeDefined();
  }, 60_000);

  it('fetches the pacts with a read-only token and verifies them', async () => {
    await expect(verifier({ pactBrokerToken: 'reader-token' }).verifyProvider()).resolves.toBeDefined();
  }, 60_000);

  it('fails with a wrong password (so the two above are not open doors)', async () => {
    await expect(
      verifier({ pactBrokerUsername: reader.username, pactBrokerPassword: 'wrong' }).verifyProvider(),
    ).rejects.toThrow(/401 Unauthorized/);
  }, 60_000);
});
