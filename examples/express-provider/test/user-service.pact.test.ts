// UserService (Express) honours its consumers' contracts. `npm test` verifies the pact file the
// consumer example wrote; with PUBLISH_RESULTS (`npm test -- --publish-results 1`) it verifies the
// pacts in the broker instead and publishes the results as that provider version; RUN_BROKER
// (`--run-broker`) starts a broker for the run when none answers.

import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { verifyProvider } from '@covenant/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerSettings, type ExampleBroker, ensureBroker } from '../../broker/src/broker.js';
import { createApp, UserStore } from '../src/app.js';
import { addProviderStatesRoute } from './provider-states.js';

const consumerPacts = join(import.meta.dirname, '..', '..', 'consumer', 'pacts');
const pactFile = join(consumerPacts, 'userserviceclient-userservice.json');
const providerVersion = process.env.PUBLISH_RESULTS;

let server: Server;
let baseUrl: string;
let broker: ExampleBroker | undefined;

beforeAll(async () => {
  if (process.env.RUN_BROKER) broker = await ensureBroker();
  const users = new UserStore();
  const app = createApp(users);
  addProviderStatesRoute(app, users);
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await broker?.stop();
});

describe('UserService (Express)', () => {
  it.skipIf(providerVersion)('honours the pact file written by the consumer example', async () => {
    if (!existsSync(pactFile)) {
      throw new Error(
        `No pact at ${pactFile}: run the consumer example's tests first (cd ../consumer && npm test).`,
      );
    }
    const result = await verifyProvider({
      provider: 'UserService',
      providerBaseUrl: baseUrl,
      pactUrls: [pactFile],
      stateChangeUrl: `${baseUrl}/_pact/provider_states`,
    });
    expect(result.summary).toMatchObject({ interactions: 2, passed: 2, failed: 0 });
    expect(result.success).toBe(true);
  });

  it.runIf(providerVersion)(
    `honours the pacts in the broker and publishes the results as version ${providerVersion}`,
    async () => {
      const settings = brokerSettings();
      const result = await verifyProvider({
        provider: 'UserService',
        providerBaseUrl: baseUrl,
        stateChangeUrl: `${baseUrl}/_pact/provider_states`,
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
