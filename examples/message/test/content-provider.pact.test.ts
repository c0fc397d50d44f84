// ContentProvider honours DetectContentLambda's message contract (the provider side): for each
// message the pact describes, the verifier calls ContentProvider's own code to make it and
// compares. `npm test` verifies the pact file the consumer tests wrote; with PUBLISH_RESULTS
// (`--publish-results 1`) it verifies the pacts in the broker and publishes the results.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type MessageProviders, verifyProvider } from '@covenant/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerSettings, type ExampleBroker, ensureBroker } from '../../broker/src/broker.js';
import { documentCreated, documentDeleted, type StoredDocument } from '../src/content-provider.js';

const pactFile = join(import.meta.dirname, '..', 'pacts', 'detectcontentlambda-contentprovider.json');
const providerVersion = process.env.PUBLISH_RESULTS;

/** The document each provider state stands for. */
const report: StoredDocument = { name: 'quarterly-report.doc', owner: 'TP', type: 'microsoft-word' };

/** ContentProvider's code making each message the pact names, by description. */
const messageProviders: MessageProviders = {
  'a document created event': () => ({
    contents: documentCreated(report),
    metadata: { 'Content-Type': 'application/json' },
  }),
  'a document deleted event': () => ({
    contents: documentDeleted(report),
    metadata: { 'Content-Type': 'application/json' },
  }),
};
/** The states need no set-up here: the producers above make their documents themselves. */
const stateHandlers = {
  'A document created successfully': () => {},
  'A document deleted successfully': () => {},
};

let broker: ExampleBroker | undefined;
beforeAll(async () => {
  if (process.env.RUN_BROKER) broker = await ensureBroker();
});
afterAll(async () => {
  await broker?.stop();
});

function requirePactFile(): void {
  if (!existsSync(pactFile)) {
    throw new Error(
      `No pact at ${pactFile}: run the consumer tests first (npm test -- detect-content-lambda).`,
    );
  }
}

describe('ContentProvider', () => {
  it.skipIf(providerVersion)('produces the messages of the pact file', async () => {
    requirePactFile();
    const result = await verifyProvider({
      provider: 'ContentProvider',
      pactUrls: [pactFile],
      messageProviders,
      stateHandlers,
    });
    expect(result.summary).toMatchObject({ interactions: 2, passed: 2, failed: 0 });
  });

  it.skipIf(providerVersion)('fails verification when a message has no producer', async () => {
    requirePactFile();
    const { 'a document deleted event': _missing, ...incomplete } = messageProviders;
    const result = await verifyProvider({
      provider: 'ContentProvider',
      pactUrls: [pactFile],
      messageProviders: incomplete,
      stateHandlers,
      reporters: [],
    });
    expect(result.success).toBe(false);
    expect(result.summary).toMatchObject({ passed: 1, failed: 1 });
  });

  it.runIf(providerVersion)(
    `produces the messages of the pacts in the broker and publishes the results as version ${providerVersion}`,
    async () => {
      const settings = brokerSettings();
      const result = await verifyProvider({
        provider: 'ContentProvider',
        messageProviders,
        stateHandlers,
        broker: {
          baseUrl: settings.url,
          username: settings.username,
          password: settings.password,
          consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }],
        },
        publish: { providerVersion: providerVersion!, providerBranch: process.env.PACT_BRANCH ?? 'main' },
      });
      expect(result.success).toBe(true);
      expect(result.pacts.length).toBeGreaterThan(0);
      expect(result.pacts.every((pact) => pact.published)).toBe(true);
    },
  );
});
