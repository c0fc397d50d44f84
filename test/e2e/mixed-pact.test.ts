// A mixed pact end to end: the consumer writes an HTTP interaction and a message into one V4 pact,
// publishes it to Covenant's broker, and the provider verifies both from the broker in one run and
// publishes the results, interaction by interaction.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningBroker, startBroker } from '@covenant/broker';
import { BrokerClient } from '@covenant/broker-client';
import { eachLike, like, MessagePact, Pact, regex } from '@covenant/consumer';
import { type VerifierOptions, verifyProvider } from '@covenant/verifier';
import { afterAll, beforeAll, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'covenant-mixed-'));
const credentials = { username: 'pactbroker', password: 'pactbroker' };
const names = { consumer: 'DetectContentLambda', provider: 'ContentProvider', dir } as const;
const document = {
  event: 'ObjectCreated:Put',
  documentName: 'document.doc',
  creator: 'TP',
  documentType: 'microsoft-word',
};
let broker: RunningBroker;
let api: http.Server;
let apiUrl: string;

beforeAll(async () => {
  broker = await startBroker({
    port: 0,
    database: join(dir, 'broker.sqlite'),
    auth: { readWrite: credentials },
  });
  api = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(['document.doc']));
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', () => r()));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => api.close(r));
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The published pact's URL on the broker (at `base`, the broker's own URL by default). */
const pactUrl = (base = broker.url) =>
  `${base}/pacts/provider/ContentProvider/consumer/DetectContentLambda/version/1`;

/** Verifies the pact at a URL with a provider that keeps the contract, reporting nothing. */
const verifyBrokerPact = (options: Partial<VerifierOptions>) =>
  verifyProvider({
    provider: 'ContentProvider',
    providerBaseUrl: apiUrl,
    messageProviders: { 'A document created successfully': () => ({ contents: document }) },
    reporters: [],
    ...options,
  });

/** The latest verification result of the consumer's version 1, read back from the broker. */
const latestVerification = () =>
  new BrokerClient({ baseUrl: broker.url, ...credentials }).request(
    'GET',
    '/pacticipants/DetectContentLambda/versions/1/latest-verification-results',
  );

it('consumer writes HTTP and message interactions into one pact; the provider verifies both from the broker and publishes', async () => {
  await new Pact({ ...names, logLevel: 'off' })
    .addInteraction()
    .uponReceiving('a request for the document list')
    .withRequest('GET', '/documents')
    .willRespondWith(200, (res) => res.jsonBody(eachLike('document.doc')))
    .executeTest(async (server) => {
      expect(await (await fetch(`${server.url}/documents`)).json()).toEqual(['document.doc']);
    });
  const messages = new MessagePact(names);
  await messages
    .given('A document was uploaded')
    .expectsToReceive('A document created successfully')
    .withContent({ ...document, documentName: regex(/.+\.doc/, 'document.doc'), creator: like('TP') })
    .verify((message) => expect(message.contents.documentType).toBe('microsoft-word'));
  const pact = JSON.parse(readFileSync(messages.pactFile, 'utf8'));
  expect(pact.interactions.map((i: { type: string }) => i.type).sort()).toEqual([
    'Asynchronous/Messages',
    'Synchronous/HTTP',
  ]);

  await new BrokerClient({ baseUrl: broker.url, ...credentials }).publishPacts({
    consumer: 'DetectContentLambda',
    version: '1',
    branch: 'main',
    pacts: [pact],
  });
  const result = await verifyProvider({
    provider: 'ContentProvider',
    providerBaseUrl: apiUrl,
    stateHandlers: { 'A document was uploaded': () => undefined },
    messageProviders: {
      // a provider that broke the contract: the consumer rejects anything but Word documents
      'A document created successfully': () => ({ contents: { ...document, documentType: 'pdf' } }),
    },
    broker: { baseUrl: broker.url, ...credentials, consumerVersionSelectors: [{ mainBranch: true }] },
    publish: { providerVersion: '2.0.0', providerBranch: 'main' },
    reporters: [],
  });
  expect(result.pacts[0]!.published).toBe(true);
  expect(result.pacts[0]!.interactions.map((i) => [i.description, i.status]).sort()).toEqual([
    ['A document created successfully', 'pending-failed'],
    ['a request for the document list', 'passed'],
  ]);
  const latest = await latestVerification();
  expect(latest.success).toBe(false);
  expect(latest.providerApplicationVersion).toBe('2.0.0');
  const tests = latest.testResults as Array<{ interactionDescription: string; success: boolean }>;
  expect(tests.map((t) => [t.interactionDescription, t.success]).sort()).toEqual([
    ['A document created successfully', false],
    ['a request for the document list', true],
  ]);
});

it("publishes the result of a broker pact given by its URL, to that broker, with the URL's credentials", async () => {
  const result = await verifyBrokerPact({
    pactUrls: [pactUrl()],
    stateHandlers: { 'A document was uploaded': () => undefined },
    pactUrlAuth: credentials,
    publish: { providerVersion: '2.0.1' },
  });
  expect(result.success).toBe(true);
  expect(result.pacts[0]!.published).toBe(true);
  const latest = await latestVerification();
  expect(latest.providerApplicationVersion).toBe('2.0.1');
  expect(latest.success).toBe(true);
});

it('fetches and publishes a broker pact whose URL carries the credentials, without pactUrlAuth', async () => {
  const result = await verifyBrokerPact({
    pactUrls: [pactUrl(broker.url.replace('http://', 'http://pactbroker:pactbroker@'))],
    stateHandlers: { 'A document was uploaded': () => undefined },
    publish: { providerVersion: '2.0.2' },
    env: {},
  });
  expect(result.success).toBe(true);
  expect(result.pacts[0]!.published).toBe(true);
  expect(result.pacts[0]!.source).toContain('pactbroker:***@');
  const latest = await latestVerification();
  expect(latest.providerApplicationVersion).toBe('2.0.2');
});

it('does not publish a run narrowed by a filter, and says why', async () => {
  const result = await verifyBrokerPact({
    pactUrls: [pactUrl()],
    pactUrlAuth: credentials,
    filter: { description: 'a request for the document list' },
    publish: { providerVersion: '2.0.3' },
    env: {},
  });
  expect(result.success).toBe(true);
  expect(result.summary.interactions).toBe(1);
  expect(result.pacts[0]!.published).toBe(false);
  expect(result.pacts[0]!.interactions[0]!.warnings.join('\n')).toMatch(
    /not published: the filters \(description 'a request for the document list'\)/,
  );
  const latest = await latestVerification();
  expect(latest.providerApplicationVersion).not.toBe('2.0.3');
});
