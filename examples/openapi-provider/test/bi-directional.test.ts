// Bi-directional contract testing, both sides in one file. ProductWeb's contract test writes its
// pact (pacts/productweb-productservice.json); ProductService, which runs no Pact verifier, tests
// itself and writes the OpenAPI document its route schemas generate (openapi.json); the pact is
// compared with the document, as the broker will. With PUBLISH_PACT and PUBLISH_RESULTS
// (`npm test -- --publish-pact 1 --publish-results 1.0.0`) both are published (the document with
// `covenant publish-provider-contract`) and can-i-deploy answers from the broker's comparison;
// RUN_BROKER (`--run-broker`) starts a broker for the run when none answers.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrokerClient } from '@covenant/broker-client';
import { main as covenant } from '@covenant/cli';
import { like, Pact } from '@covenant/consumer';
import { compareContracts } from '@covenant/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerSettings, type ExampleBroker, ensureBroker } from '../../broker/src/broker.js';
import { createApp, openApiDocument } from '../src/app.js';
import { ProductClient } from '../src/product-client.js';

const exampleFolder = join(import.meta.dirname, '..');
const pactFile = join(exampleFolder, 'pacts', 'productweb-productservice.json');
const specFile = join(exampleFolder, 'openapi.json');
const reportFile = join(exampleFolder, 'self-verification.txt');
const consumerVersion = process.env.PUBLISH_PACT;
const providerVersion = process.env.PUBLISH_RESULTS;

const pact = new Pact({
  consumer: 'ProductWeb',
  provider: 'ProductService',
  dir: join(exampleFolder, 'pacts'),
  fileNameStyle: 'lowercase',
  mode: 'overwrite',
  logFile: join(exampleFolder, 'pact-mock-service.log'),
});

let broker: ExampleBroker | undefined;
beforeAll(async () => {
  if (process.env.RUN_BROKER) broker = await ensureBroker();
});
afterAll(async () => {
  await broker?.stop();
});

describe('ProductWeb (the consumer)', () => {
  it('gets a product by id', async () => {
    await pact
      .addInteraction()
      .given('product 1 exists')
      .uponReceiving('a request for product 1')
      .withRequest('GET', '/products/1', (req) => req.headers({ Accept: 'application/json' }))
      .willRespondWith(200, (res) => res.jsonBody(like({ id: 1, name: 'Pen' })))
      .executeTest(async (mockServer) => {
        expect(await new ProductClient(mockServer.url).getProduct(1)).toEqual({ id: 1, name: 'Pen' });
      });
  });

  it('gets nothing for a product that does not exist', async () => {
    await pact
      .addInteraction()
      .given('product 999 does not exist')
      .uponReceiving('a request for product 999')
      .withRequest('GET', '/products/999', (req) => req.headers({ Accept: 'application/json' }))
      .willRespondWith(404)
      .executeTest(async (mockServer) => {
        expect(await new ProductClient(mockServer.url).getProduct(999)).toBeUndefined();
      });
  });
});

describe('ProductService (the provider, with no Pact verifier)', () => {
  it('tests itself and writes its OpenAPI document and the report', async () => {
    const app = createApp(new Map([[1, { id: 1, name: 'Pen', price: 1.5 }]]));
    const found = await app.inject({ method: 'GET', url: '/products/1' });
    const missing = await app.inject({ method: 'GET', url: '/products/999' });
    const invalid = await app.inject({ method: 'GET', url: '/products/pen' });
    await app.close();
    expect(found.json()).toEqual({ id: 1, name: 'Pen', price: 1.5 });
    expect(missing.statusCode).toBe(404);
    expect(invalid.statusCode).toBe(400);
    writeFileSync(
      reportFile,
      `GET /products/1: ${found.statusCode}\nGET /products/999: ${missing.statusCode}\nGET /products/pen: ${invalid.statusCode}\n3 checks passed\n`,
    );
    writeFileSync(specFile, `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
  });

  it("is compatible with ProductWeb's pact, as the broker will find", async () => {
    const results = compareContracts(JSON.parse(readFileSync(pactFile, 'utf8')), {
      openapi: JSON.parse(readFileSync(specFile, 'utf8')),
    });
    expect(results.filter((r) => r.type === 'error')).toEqual([]);
  });
});

describe.runIf(consumerVersion && providerVersion)('through the broker', () => {
  const settings = brokerSettings();
  const client = new BrokerClient({
    baseUrl: settings.url,
    username: settings.username,
    password: settings.password,
  });
  const connection = [
    '--broker-base-url',
    settings.url,
    '--broker-username',
    settings.username,
    '--broker-password',
    settings.password,
  ];

  it(`publishes the pact as ProductWeb ${consumerVersion} and the OpenAPI document as ProductService ${providerVersion}`, async () => {
    await client.publishPacts({
      consumer: 'ProductWeb',
      version: consumerVersion!,
      branch: process.env.PACT_BRANCH ?? 'main',
      pacts: [JSON.parse(readFileSync(pactFile, 'utf8'))],
    });
    process.exitCode = undefined;
    await covenant([
      'node',
      'covenant',
      'publish-provider-contract',
      specFile,
      '--provider',
      'ProductService',
      '--provider-app-version',
      providerVersion!,
      '--branch',
      process.env.PACT_BRANCH ?? 'main',
      '--content-type',
      'application/json',
      '--verification-exit-code',
      '0',
      '--verification-results',
      reportFile,
      '--verification-results-content-type',
      'text/plain',
      '--verifier',
      'vitest',
      ...connection,
    ]);
    expect(process.exitCode ?? 0).toBe(0);
  });

  it('can-i-deploy says yes: the broker compared the pact with the document', async () => {
    const answer = await client.canIDeploy({
      selectors: [
        { pacticipant: 'ProductWeb', version: consumerVersion! },
        { pacticipant: 'ProductService', version: providerVersion! },
      ],
    });
    console.log(answer.reason);
    expect(answer.deployable).toBe(true);
    expect(answer.counts.success).toBe(1);
  });
});
