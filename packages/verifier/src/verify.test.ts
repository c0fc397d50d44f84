import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CovenantError } from '@covenant/core';
import { tempDirEachTest } from '@covenant/test-support';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonReporter, junitReporter } from './reporters.js';
import { verifyProvider } from './verify.js';

let dir: string;
tempDirEachTest('covenant-verifier-', (path) => {
  dir = path;
});

/** The seed's contract: UserServiceClient → UserService, as Covenant's consumer writes it (V4). */
const userPact = {
  consumer: { name: 'UserServiceClient' },
  provider: { name: 'UserService' },
  interactions: [
    {
      type: 'Synchronous/HTTP',
      description: 'a request for UserA',
      providerStates: [{ name: 'UserA exists and is not an administrator' }],
      pending: false,
      request: { method: 'GET', path: '/users/UserA' },
      response: {
        status: 200,
        headers: { 'Content-Type': ['application/json'] },
        body: {
          content: {
            name: 'UserA',
            id: 'fc763eba-0905-41c5-a27f-3934ab26786c',
            created_on: '2016-12-15T20:16:01',
            ip_address: '127.0.0.1',
            admin: false,
          },
          contentType: 'application/json',
          encoded: false,
        },
        matchingRules: {
          body: {
            $: { combine: 'AND', matchers: [{ match: 'type' }] },
            '$.id': {
              combine: 'AND',
              matchers: [
                { match: 'regex', regex: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' },
              ],
            },
            '$.created_on': {
              combine: 'AND',
              matchers: [{ match: 'regex', regex: '\\d+-\\d+-\\d+T\\d+:\\d+:\\d+' }],
            },
            '$.ip_address': {
              combine: 'AND',
              matchers: [{ match: 'regex', regex: '(\\d{1,3}\\.){3}\\d{1,3}' }],
            },
          },
        },
      },
    },
    {
      type: 'Synchronous/HTTP',
      description: 'a request for UserA',
      providerStates: [{ name: 'UserA does not exist' }],
      pending: false,
      request: { method: 'GET', path: '/users/UserA' },
      response: { status: 404 },
    },
  ],
  metadata: { pactSpecification: { version: '4.0' } },
};

interface Users {
  users: Map<string, { name: string; id: string; created_on: string; ip_address: string; admin: boolean }>;
}

function user(name: string) {
  return {
    name,
    id: '5cb4d8a1-7b0c-4f4e-9b51-2a5d7c0e9f11',
    created_on: '2024-01-31T10:00:00',
    ip_address: '10.0.0.7',
    admin: false,
  };
}

/** The seed's flask_provider, in Express; the state route is added only for tests. */
function expressApp(db: Users, withStateRoute: boolean) {
  const app = express();
  app.use(express.json());
  app.get('/users/:name', (req, res) => {
    const found = db.users.get(req.params.name);
    if (!found) {
      res.status(404).end();
      return;
    }
    res.json(found);
  });
  if (withStateRoute) {
    app.post('/_pact/provider_states', (req, res) => {
      const { state, action } = req.body as { state: string; action: string };
      if (action === 'setup') {
        if (state === 'UserA exists and is not an administrator') db.users.set('UserA', user('UserA'));
        if (state === 'UserA does not exist') db.users.delete('UserA');
      }
      res.json({});
    });
  }
  return app;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function pactFile(
  content: unknown = userPact,
  name = 'userserviceclient-userservice.json',
): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(content));
  return file;
}

const quiet = { reporters: [] };

describe('verifyProvider', () => {
  let expressServer: http.Server;
  let expressUrl: string;
  const db: Users = { users: new Map() };
  beforeAll(async () => {
    expressServer = http.createServer(expressApp(db, true));
    expressUrl = await listen(expressServer);
  });
  afterAll(async () => {
    await new Promise((r) => expressServer.close(r));
  });

  it("verifies the seed's Express provider from a pact file through its state-change URL", async () => {
    const result = await verifyProvider({
      provider: 'UserService',
      providerBaseUrl: expressUrl,
      pactUrls: [await pactFile()],
      stateChangeUrl: `${expressUrl}/_pact/provider_states`,
      ...quiet,
    });
    expect(result.summary).toEqual({ interactions: 2, passed: 2, failed: 0, pending: 0, skipped: 0 });
    expect(result.success).toBe(true);
  });

  it("verifies the seed's Fastify provider with in-process state handlers", async () => {
    const users = new Map<string, ReturnType<typeof user>>();
    const app = Fastify();
    app.get<{ Params: { name: string } }>('/users/:name', async (req, reply) => {
      const found = users.get(req.params.name);
      if (!found) return reply.code(404).send();
      return found;
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    await pactFile();
    try {
      const result = await verifyProvider({
        provider: 'UserService',
        providerBaseUrl: url,
        pactUrls: [dir],
        stateHandlers: {
          'UserA exists and is not an administrator': () => {
            users.set('UserA', user('UserA'));
          },
          'UserA does not exist': {
            setup: () => {
              users.delete('UserA');
            },
            teardown: () => undefined,
          },
        },
        ...quiet,
      });
      expect(result.summary.passed).toBe(2);
      expect(result.success).toBe(true);
    } finally {
      await app.close();
    }
  }, 20_000);

  it('fails interaction by interaction with readable mismatches, and reports them as JSON and JUnit', async () => {
    const broken = http.createServer((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({
          name: 'UserA',
          id: 42,
          created_on: 'yesterday',
          ip_address: '10.0.0.7',
          admin: 'no',
        }),
      );
    });
    const url = await listen(broken);
    const output: string[] = [];
    try {
      const { consoleReporter } = await import('./reporters.js');
      const result = await verifyProvider({
        provider: 'UserService',
        providerBaseUrl: url,
        pactUrls: [await pactFile()],
        reporters: [
          consoleReporter({ write: (t) => output.push(t), color: false }),
          jsonReporter(join(dir, 'out', 'result.json')),
          junitReporter(join(dir, 'out', 'junit.xml')),
        ],
      });
      expect(result.success).toBe(false);
      const [exists, missing] = result.pacts[0]!.interactions;
      expect(exists!.status).toBe('failed');
      expect(exists!.mismatches.map((m) => m.path).sort()).toEqual(['$.admin', '$.created_on', '$.id']);
      expect(missing!.mismatches.map((m) => m.code)).toEqual(['STATUS_MISMATCH']);
      expect(exists!.warnings).toContain(
        "no state handler for 'UserA exists and is not an administrator' (register one in stateHandlers, or give a stateChangeUrl)",
      );
      const text = output.join('');
      expect(text).toContain(
        "a request for UserA given 'UserA exists and is not an administrator' ... FAILED",
      );
      expect(text).toContain("Expected 42 to match '[0-9a-f]{8}");
      expect(text).toContain('Verification failed: 2 interactions: 0 passed, 2 failed');
      const json = JSON.parse(await readFile(join(dir, 'out', 'result.json'), 'utf8'));
      expect(json.pacts[0].interactions[0].mismatches[0]).toMatchObject({
        category: 'body',
        code: expect.any(String),
        path: expect.any(String),
      });
      const junit = await readFile(join(dir, 'out', 'junit.xml'), 'utf8');
      expect(junit).toContain('<testsuites name="Pact verification of UserService" tests="2" failures="2"');
      expect(junit).toContain('<failure message=');
    } finally {
      await new Promise((r) => broken.close(r));
    }
  });

  it("fails an interaction whose state handler throws, showing the handler's error, and carries on", async () => {
    const result = await verifyProvider({
      provider: 'UserService',
      providerBaseUrl: expressUrl,
      pactUrls: [await pactFile()],
      stateHandlers: {
        'UserA exists and is not an administrator': () => {
          throw new Error('database is down');
        },
        'UserA does not exist': () => {
          db.users.delete('UserA');
        },
      },
      ...quiet,
    });
    const [first, second] = result.pacts[0]!.interactions;
    expect(first!.status).toBe('failed');
    expect(first!.error).toBe(
      "State change request failed: the state handler for 'UserA exists and is not an administrator' failed: database is down",
    );
    expect(second!.status).toBe('passed');
    expect(result.success).toBe(false);
  });

  it('feeds state handler values to fromProviderState generators, and runs the request filter', async () => {
    const seen: Array<{ path: string; auth: string | undefined; trace: string | undefined }> = [];
    const provider = http.createServer((req, res) => {
      seen.push({
        path: req.url ?? '',
        auth: req.headers.authorization,
        trace: req.headers['x-trace'] as string | undefined,
      });
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ id: 4242 }));
    });
    const url = await listen(provider);
    try {
      const pact = {
        consumer: { name: 'C' },
        provider: { name: 'P' },
        interactions: [
          {
            type: 'Synchronous/HTTP',
            description: 'get an order',
            providerStates: [{ name: 'an order exists', params: { customer: 'x' } }],
            request: {
              method: 'GET',
              path: '/orders/1',
              generators: { path: { type: 'ProviderState', expression: '/orders/${orderId}' } },
            },
            response: {
              status: 200,
              body: { content: { id: 1 }, contentType: 'application/json', encoded: false },
              matchingRules: { body: { '$.id': { matchers: [{ match: 'integer' }] } } },
            },
          },
        ],
        metadata: { pactSpecification: { version: '4.0' } },
      };
      const result = await verifyProvider({
        provider: 'P',
        providerBaseUrl: url,
        pactUrls: [await pactFile(pact, 'c-p.json')],
        stateHandlers: {
          'an order exists': (params) => ({ orderId: 4242, customer: params.customer ?? null }),
        },
        requestFilter: (request) => ({
          ...request,
          headers: { ...request.headers, Authorization: ['Bearer secret'] },
        }),
        customHeaders: { 'X-Trace': 'abc' },
        ...quiet,
      });
      expect(result.success).toBe(true);
      expect(seen).toEqual([{ path: '/orders/4242', auth: 'Bearer secret', trace: 'abc' }]);
    } finally {
      await new Promise((r) => provider.close(r));
    }
  });

  it('lets pending interactions fail without failing the run, and filters by description and state', async () => {
    const pending = structuredClone(userPact) as typeof userPact;
    pending.interactions[0]!.pending = true;
    db.users.clear();
    const result = await verifyProvider({
      provider: 'UserService',
      providerBaseUrl: expressUrl,
      pactUrls: [await pactFile(pending)],
      ...quiet,
    });
    expect(result.pacts[0]!.interactions.map((i) => i.status)).toEqual(['pending-failed', 'passed']);
    expect(result.success).toBe(true);

    const filtered = await verifyProvider({
      provider: 'UserService',
      providerBaseUrl: expressUrl,
      pactUrls: [await pactFile()],
      env: { PACT_PROVIDER_STATE: 'UserA does not exist' },
      ...quiet,
    });
    expect(filtered.summary.interactions).toBe(1);
    // a filter given that selects nothing fails the run, even with failIfNoPactsFound: false
    // (which pact-js users set for a provider without pacts yet)
    await expect(
      verifyProvider({
        provider: 'UserService',
        providerBaseUrl: expressUrl,
        pactUrls: [await pactFile()],
        filter: { description: 'something else' },
        failIfNoPactsFound: false,
        ...quiet,
      }),
    ).rejects.toMatchObject({ code: 'COV_VERIFIER_NO_PACTS' });
  });

  it('fetches pacts from a URL with a bearer token', async () => {
    const server = http.createServer((req, res) => {
      if (req.headers.authorization !== 'Bearer t0k3n') {
        res.statusCode = 401;
        res.end();
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(userPact));
    });
    const url = await listen(server);
    try {
      const ok = await verifyProvider({
        provider: 'UserService',
        providerBaseUrl: expressUrl,
        pactUrls: [`${url}/pact.json`],
        pactUrlAuth: { token: 't0k3n' },
        stateChangeUrl: `${expressUrl}/_pact/provider_states`,
        ...quiet,
      });
      expect(ok.success).toBe(true);
      await expect(
        verifyProvider({
          provider: 'UserService',
          providerBaseUrl: expressUrl,
          pactUrls: [`${url}/pact.json`],
          pactUrlAuth: { token: 'wrong' },
          ...quiet,
        }),
      ).rejects.toThrow(
        /COV_VERIFIER_PACT_SOURCE_FAILED: cannot fetch the pact at .* answered 401 \(check the credentials\)/,
      );
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('gives coded errors for bad input instead of crashing', async () => {
    const unreachable = await verifyProvider({
      provider: 'UserService',
      providerBaseUrl: 'http://127.0.0.1:1',
      pactUrls: [await pactFile()],
      ...quiet,
    });
    expect(unreachable.success).toBe(false);
    expect(unreachable.pacts[0]!.interactions[0]!.error).toContain(
      'nothing answers at http://127.0.0.1:1 (ECONNREFUSED)',
    );

    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: unknown) => (e instanceof CovenantError ? e.code : String(e)),
      );
    expect(
      await codeOf(
        verifyProvider({
          provider: 'UserService',
          providerBaseUrl: expressUrl,
          pactUrls: [join(dir, 'nope.json')],
          ...quiet,
        }),
      ),
    ).toBe('COV_VERIFIER_PACT_SOURCE_FAILED');
    await writeFile(join(dir, 'bad.json'), '{"consumer": {"name": "a"}, "provider": {}}');
    expect(
      await codeOf(
        verifyProvider({
          provider: 'UserService',
          providerBaseUrl: expressUrl,
          pactUrls: [join(dir, 'bad.json')],
          ...quiet,
        }),
      ),
    ).toBe('COV_CORE_PACT_INVALID');
    expect(
      await codeOf(
        verifyProvider({ provider: 'UserService', providerBaseUrl: 'not a url', pactUrls: [dir], ...quiet }),
      ),
    ).toBe('COV_VERIFIER_OPTIONS_INVALID');
    expect(
      await codeOf(
        verifyProvider({
          provider: 'UserService',
          providerBaseUrl: expressUrl,
          pactUrls: [await pactFile()],
          filter: { consumer: 'Nobody' },
          ...quiet,
        }),
      ),
    ).toBe('COV_VERIFIER_NO_PACTS');
    // the consumer filter too: pacts were found, and the filter given leaves none of them
    const misspelt = await codeOf(
      verifyProvider({
        provider: 'UserService',
        providerBaseUrl: expressUrl,
        pactUrls: [await pactFile()],
        filter: { consumer: 'Nobody' },
        failIfNoPactsFound: false,
        ...quiet,
      }),
    );
    expect(misspelt).toBe('COV_VERIFIER_NO_PACTS');
    // no pacts at all (a new provider): failIfNoPactsFound: false passes, filters or not
    const empty = join(dir, 'no-pacts-yet');
    await mkdir(empty, { recursive: true });
    const ok = await verifyProvider({
      provider: 'UserService',
      providerBaseUrl: expressUrl,
      pactUrls: [empty],
      filter: { consumer: 'Nobody', description: 'anything' },
      failIfNoPactsFound: false,
      ...quiet,
    });
    expect(ok).toMatchObject({ success: true, summary: { interactions: 0 } });
  });
});
