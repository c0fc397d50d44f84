// The seed's whole flow on real sockets: a consumer test writes the pact through the mock server,
// it is published to Covenant's broker, and the seed's two providers (Express and Fastify) verify it
// from the broker and publish their results.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningBroker, startBroker } from '@covenant/broker';
import { BrokerClient } from '@covenant/broker-client';
import { ipAddress, like, Pact, regex, uuid } from '@covenant/consumer';
import { verifyProvider } from '@covenant/verifier';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'covenant-seed-'));
let broker: RunningBroker;
const credentials = { username: 'pactbroker', password: 'pactbroker' };

interface User {
  name: string;
  id: string;
  created_on: string;
  ip_address: string;
  admin: boolean;
}

beforeAll(async () => {
  broker = await startBroker({
    port: 0,
    database: join(dir, 'broker.sqlite'),
    auth: { readWrite: credentials },
  });
  // UserService's feature branch exists before main verifies anything, so it does not inherit main's
  // results (a branch made after them would: the reference broker's pending rule)
  const made = await fetch(
    `${broker.url}/pacticipants/UserService/branches/feat%2Fnew-login/versions/0.1.0`,
    {
      method: 'PUT',
      headers: {
        Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: '{}',
    },
  );
  expect(made.ok).toBe(true);
});
afterAll(async () => {
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
});

const users = new Map<string, User>();
const userA: User = {
  name: 'UserA',
  id: '5cb4d8a1-7b0c-4f4e-9b51-2a5d7c0e9f11',
  created_on: '2024-01-31T10:00:00',
  ip_address: '10.0.0.7',
  admin: false,
};
const states = {
  'UserA exists and is not an administrator': () => {
    users.set('UserA', userA);
  },
  'UserA does not exist': () => {
    users.delete('UserA');
  },
};

describe("the seed's flow through Covenant's broker", () => {
  it('consumer: writes the pact and publishes it with a version and branch', async () => {
    const pact = new Pact({
      consumer: 'UserServiceClient',
      provider: 'UserService',
      dir,
      fileNameStyle: 'lowercase',
      logLevel: 'off',
    });
    const getUser = async (base: string) => {
      const response = await fetch(`${base}/users/UserA`);
      return response.status === 404 ? undefined : ((await response.json()) as User);
    };
    await pact
      .addInteraction()
      .given('UserA exists and is not an administrator')
      .uponReceiving('a request for UserA')
      .withRequest('GET', '/users/UserA')
      .willRespondWith(200, (res) =>
        res.jsonBody(
          like<User>({
            name: 'UserA',
            id: uuid('fc763eba-0905-41c5-a27f-3934ab26786c'),
            created_on: regex(/\d+-\d+-\d+T\d+:\d+:\d+/, '2016-12-15T20:16:01'),
            ip_address: ipAddress('127.0.0.1'),
            admin: false,
          }),
        ),
      )
      .executeTest(async (server) => {
        expect((await getUser(server.url))?.name).toBe('UserA');
      });
    await pact
      .addInteraction()
      .given('UserA does not exist')
      .uponReceiving('a request for UserA')
      .withRequest('GET', '/users/UserA')
      .willRespondWith(404)
      .executeTest(async (server) => {
        expect(await getUser(server.url)).toBeUndefined();
      });
    const client = new BrokerClient({ baseUrl: broker.url, ...credentials });
    const published = await client.publishPacts({
      consumer: 'UserServiceClient',
      version: '2',
      branch: 'main',
      pacts: [JSON.parse(readFileSync(join(dir, 'userserviceclient-userservice.json'), 'utf8'))],
    });
    expect(published.notices[0]!.text).toContain('Created UserServiceClient version 2 with branch main');
  });

  it('Express provider: verifies from the broker through its state-change URL and publishes results', async () => {
    const app = express();
    app.use(express.json());
    app.get('/users/:name', (req, res) => {
      const user = users.get(req.params.name);
      if (!user) res.status(404).end();
      else res.json(user);
    });
    app.post('/_pact/provider_states', (req, res) => {
      states[(req.body as { state: keyof typeof states }).state]?.();
      res.json({});
    });
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const result = await verifyProvider({
        provider: 'UserService',
        providerBaseUrl: url,
        stateChangeUrl: `${url}/_pact/provider_states`,
        broker: { baseUrl: broker.url, ...credentials, consumerVersionSelectors: [{ mainBranch: true }] },
        publish: { providerVersion: '1.0.0-express', providerBranch: 'main' },
        reporters: [],
      });
      expect(result.summary).toMatchObject({ interactions: 2, passed: 2 });
      expect(result.pacts[0]!.published).toBe(true);
      expect(result.pacts[0]!.pending).toBe(true);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('Fastify provider: verifies from the broker with in-process states; the pact is no longer pending', async () => {
    const app = Fastify();
    app.get<{ Params: { name: string } }>('/users/:name', async (req, reply) => {
      const user = users.get(req.params.name);
      return user ?? reply.code(404).send();
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const result = await verifyProvider({
        provider: 'UserService',
        providerBaseUrl: url,
        stateHandlers: states,
        broker: { baseUrl: broker.url, ...credentials, consumerVersionSelectors: [{ mainBranch: true }] },
        publish: { providerVersion: '1.0.0-fastify', providerBranch: 'main', providerTags: ['prod'] },
        reporters: [],
      });
      expect(result.success).toBe(true);
      expect(result.pacts[0]!.pending).toBe(false);
      const client = new BrokerClient({ baseUrl: broker.url, ...credentials });
      const version = await client.request('GET', '/pacticipants/UserService/versions/1.0.0-fastify');
      expect((version._embedded as { tags: Array<{ name: string }> }).tags.map((t) => t.name)).toEqual([
        'prod',
      ]);
      const latest = await client.request(
        'GET',
        '/pacticipants/UserServiceClient/versions/2/latest-verification-results',
      );
      expect(latest.success).toBe(true);
      expect(latest.providerApplicationVersion).toBe('1.0.0-fastify');
    } finally {
      await app.close();
    }
  });

  it("without publishing, the provider's branch still decides which pacts are pending", async () => {
    const pendingFor = async (providerVersionBranch: string) => {
      const result = await verifyProvider({
        provider: 'UserService',
        providerBaseUrl: 'http://127.0.0.1:9', // nothing listens: only the pending flag matters
        stateHandlers: states,
        broker: {
          baseUrl: broker.url,
          ...credentials,
          consumerVersionSelectors: [{ mainBranch: true }],
          providerVersionBranch,
        },
        reporters: [],
        timeoutMs: 2_000,
      });
      return result.pacts[0]!.pending;
    };
    expect(await pendingFor('main')).toBe(false);
    expect(await pendingFor('feat/new-login')).toBe(true);
  });
});
