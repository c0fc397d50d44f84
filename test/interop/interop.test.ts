// Interop with the official Pact implementation (pact-js 17.1.4 and its Rust core), both ways.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  datetime,
  eachLike,
  integer,
  ipAddress,
  like,
  Pact,
  regex,
  uuid,
} from '../../packages/consumer/dist/index.js';
import { jsonBody, matchResponse, readPact } from '../../packages/core/dist/index.js';
import { verifyProvider } from '../../packages/verifier/dist/index.js';

process.env.PACT_DO_NOT_TRACK = 'true';
const require = createRequire(import.meta.url);
const pactJs = require('@pact-foundation/pact') as typeof import('@pact-foundation/pact');

const dir = mkdtempSync(join(tmpdir(), 'covenant-interop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('uses the pinned official implementation', () => {
  const version = JSON.parse(
    readFileSync(require.resolve('@pact-foundation/pact/package.json'), 'utf8'),
  ).version;
  expect(version).toBe('17.1.4');
});

/** UserService, the seed's provider, with a switch to make it break the contract. */
function startProvider(options: { broken: boolean }) {
  let userExists = true;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/users/UserA' && req.method === 'GET') {
      if (!userExists) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(
        JSON.stringify({
          name: 'UserA',
          id: options.broken ? 42 : '5cb4d8a1-7b0c-4f4e-9b51-2a5d7c0e9f11',
          created_on: '2024-01-31T10:00:00',
          ip_address: '10.0.0.7',
          admin: false,
          roles: [
            { name: 'reader', level: 1 },
            { name: 'writer', level: 2 },
          ],
        }),
      );
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  const setState = (exists: boolean) => {
    userExists = exists;
  };
  return new Promise<{ url: string; setState: typeof setState; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        setState,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

type Provider = Awaited<ReturnType<typeof startProvider>>;

/** The real provider and a broken one (`id` a number), started for the enclosing suite. */
function useGoodAndBrokenProviders(): { good: Provider; broken: Provider } {
  const providers = {} as { good: Provider; broken: Provider };
  beforeAll(async () => {
    providers.good = await startProvider({ broken: false });
    providers.broken = await startProvider({ broken: true });
  });
  afterAll(async () => {
    await providers.good.close();
    await providers.broken.close();
  });
  return providers;
}

async function writeCovenantPact(spec: 2 | 3 | 4): Promise<string> {
  const pact = new Pact({
    consumer: `CovenantClientV${spec}`,
    provider: 'UserService',
    dir,
    spec,
    logLevel: 'off',
  });
  await pact
    .addInteraction()
    .given('UserA exists and is not an administrator')
    .uponReceiving('a request for UserA')
    .withRequest('GET', '/users/UserA', (req) => req.headers({ Accept: 'application/json' }))
    .willRespondWith(200, (res) =>
      res.headers({ 'Content-Type': regex('application/json.*', 'application/json') }).jsonBody(
        like({
          name: 'UserA',
          id: uuid('fc763eba-0905-41c5-a27f-3934ab26786c'),
          created_on:
            spec === 2
              ? regex('\\d+-\\d+-\\d+T\\d+:\\d+:\\d+', '2016-12-15T20:16:01')
              : datetime("yyyy-MM-dd'T'HH:mm:ss", '2016-12-15T20:16:01'),
          ip_address: ipAddress('127.0.0.1'),
          admin: false,
          roles: eachLike({ name: 'reader', level: integer(1) }),
        }),
      ),
    )
    .executeTest(async (server) => {
      const response = await fetch(`${server.url}/users/UserA`, { headers: { Accept: 'application/json' } });
      expect(response.status).toBe(200);
    });
  await pact
    .addInteraction()
    .given('UserA does not exist')
    .uponReceiving('a request for UserA')
    .withRequest('GET', '/users/UserA')
    .willRespondWith(404)
    .executeTest(async (server) => {
      expect((await fetch(`${server.url}/users/UserA`)).status).toBe(404);
    });
  return pact.pactFile;
}

async function verifyWithOfficial(
  pactFile: string,
  providerUrl: string,
  setState: (exists: boolean) => void,
) {
  const verifier = new pactJs.Verifier({
    provider: 'UserService',
    providerBaseUrl: providerUrl,
    pactUrls: [pactFile],
    logLevel: 'error',
    stateHandlers: {
      'UserA exists and is not an administrator': async () => {
        setState(true);
      },
      'UserA does not exist': async () => {
        setState(false);
      },
    },
  });
  return verifier.verifyProvider();
}

describe('pacts written by Covenant verify with the official verifier', () => {
  const providers = useGoodAndBrokenProviders();

  for (const spec of [2, 3, 4] as const) {
    it(`V${spec}: passes against the real provider, fails against a broken one`, async () => {
      const file = await writeCovenantPact(spec);
      await expect(
        verifyWithOfficial(file, providers.good.url, providers.good.setState),
      ).resolves.toBeDefined();
      await expect(
        verifyWithOfficial(file, providers.broken.url, providers.broken.setState),
      ).rejects.toBeDefined();
    }, 60_000);
  }
});

describe('pacts written by pact-js load into Covenant and match as intended', () => {
  it('V3 and V4 pacts from pact-js', async () => {
    const { MatchersV3 } = pactJs;
    for (const [name, Ctor] of [
      ['PactJsV3', pactJs.PactV3],
      ['PactJsV4', pactJs.PactV4],
    ] as const) {
      const body = {
        name: MatchersV3.like('UserA'),
        id: MatchersV3.uuid('fc763eba-0905-41c5-a27f-3934ab26786c'),
        roles: MatchersV3.eachLike({ level: MatchersV3.integer(1) }),
        created: MatchersV3.datetime("yyyy-MM-dd'T'HH:mm:ss", '2016-12-15T20:16:01'),
      };
      if (name === 'PactJsV3') {
        const p = new pactJs.PactV3({ consumer: name, provider: 'UserService', dir, logLevel: 'error' });
        p.given('UserA exists', { id: 1 })
          .uponReceiving('a request for UserA')
          .withRequest({ method: 'GET', path: '/users/UserA', query: { full: 'true' } })
          .willRespondWith({ status: 200, body });
        await p.executeTest(async (server) => {
          await fetch(`${server.url}/users/UserA?full=true`);
        });
      } else {
        const p = new (Ctor as typeof pactJs.PactV4)({
          consumer: name,
          provider: 'UserService',
          dir,
          logLevel: 'error',
        });
        await p
          .addInteraction()
          .given('UserA exists', { id: 1 })
          .uponReceiving('a request for UserA')
          .withRequest('GET', '/users/UserA', (b) => b.query({ full: 'true' }))
          .willRespondWith(200, (b) => b.jsonBody(body))
          .executeTest(async (server) => {
            await fetch(`${server.url}/users/UserA?full=true`);
          });
      }
      const pact = readPact(readFileSync(join(dir, `${name}-UserService.json`), 'utf8'));
      expect(pact.specification).toBe(name === 'PactJsV3' ? 'V3' : 'V4');
      const interaction = pact.interactions[0]!;
      expect(interaction.type).toBe('Synchronous/HTTP');
      if (interaction.type !== 'Synchronous/HTTP') return;
      expect(interaction.providerStates).toEqual([{ name: 'UserA exists', params: { id: 1 } }]);
      expect(interaction.request.query).toEqual({ full: ['true'] });
      const good = {
        name: 'B',
        id: '5cb4d8a1-7b0c-4f4e-9b51-2a5d7c0e9f11',
        roles: [{ level: 7 }, { level: 9 }],
        created: '2024-01-31T10:00:00',
      };
      const ok = matchResponse(interaction.response, {
        status: 200,
        headers: { 'content-type': ['application/json'] },
        body: jsonBody(good),
      });
      expect(ok.mismatches).toEqual([]);
      const bad = matchResponse(interaction.response, {
        status: 200,
        headers: { 'content-type': ['application/json'] },
        body: jsonBody({ ...good, id: 'nope', roles: [{ level: 1.5 }], created: '31/01/2024' }),
      });
      expect(bad.mismatches.map((m) => m.path).sort()).toEqual(['$.created', '$.id', '$.roles[0].level']);
    }
  }, 60_000);
});

/** The seed's two interactions, written by pact-js in the given specification version. */
async function writePactJsPact(spec: 2 | 3 | 4): Promise<string> {
  const consumer = `PactJsClientV${spec}`;
  const interactions = [
    { state: 'UserA exists and is not an administrator', status: 200 },
    { state: 'UserA does not exist', status: 404 },
  ] as const;
  if (spec === 2) {
    const { MatchersV2 } = pactJs;
    const pact = new pactJs.PactV2({ consumer, provider: 'UserService', dir, spec: 2, logLevel: 'error' });
    await pact.setup();
    try {
      for (const { state, status } of interactions) {
        await pact.addInteraction({
          state,
          uponReceiving: 'a request for UserA',
          withRequest: { method: 'GET', path: '/users/UserA' },
          willRespondWith:
            status === 200
              ? {
                  status,
                  headers: { 'Content-Type': 'application/json' },
                  body: MatchersV2.like({
                    name: 'UserA',
                    id: MatchersV2.uuid('fc763eba-0905-41c5-a27f-3934ab26786c'),
                    created_on: MatchersV2.term({
                      generate: '2016-12-15T20:16:01',
                      matcher: '\\d+-\\d+-\\d+T\\d+:\\d+:\\d+',
                    }),
                    roles: MatchersV2.eachLike({ name: 'reader', level: 1 }),
                  }),
                }
              : { status },
        });
        expect((await fetch(`${pact.mockService.baseUrl}/users/UserA`)).status).toBe(status);
        await pact.verify();
      }
    } finally {
      await pact.finalize();
    }
  } else {
    const { MatchersV3 } = pactJs;
    const body = MatchersV3.like({
      name: 'UserA',
      id: MatchersV3.uuid('fc763eba-0905-41c5-a27f-3934ab26786c'),
      created_on: MatchersV3.datetime("yyyy-MM-dd'T'HH:mm:ss", '2016-12-15T20:16:01'),
      roles: MatchersV3.eachLike({ name: 'reader', level: MatchersV3.integer(1) }),
    });
    for (const { state, status } of interactions) {
      const run = async (server: { url: string }) => {
        expect((await fetch(`${server.url}/users/UserA`)).status).toBe(status);
      };
      if (spec === 3) {
        const pact = new pactJs.PactV3({ consumer, provider: 'UserService', dir, logLevel: 'error' });
        pact
          .given(state)
          .uponReceiving('a request for UserA')
          .withRequest({ method: 'GET', path: '/users/UserA' })
          .willRespondWith(status === 200 ? { status, body } : { status });
        await pact.executeTest(run);
      } else {
        const pact = new pactJs.PactV4({ consumer, provider: 'UserService', dir, logLevel: 'error' });
        await pact
          .addInteraction()
          .given(state)
          .uponReceiving('a request for UserA')
          .withRequest('GET', '/users/UserA')
          .willRespondWith(status, (b) => (status === 200 ? b.jsonBody(body) : b))
          .executeTest(run);
      }
    }
  }
  return join(dir, `${consumer}-UserService.json`);
}

describe("pacts written by pact-js verify with Covenant's verifier", () => {
  const providers = useGoodAndBrokenProviders();

  for (const spec of [2, 3, 4] as const) {
    it(`V${spec}: passes against the real provider, fails against a broken one at $.id`, async () => {
      const file = await writePactJsPact(spec);
      expect(readPact(readFileSync(file, 'utf8')).specification).toBe(`V${spec}`);
      const verify = (provider: Provider) =>
        verifyProvider({
          provider: 'UserService',
          providerBaseUrl: provider.url,
          pactUrls: [file],
          stateHandlers: {
            'UserA exists and is not an administrator': () => provider.setState(true),
            'UserA does not exist': () => provider.setState(false),
          },
          reporters: [],
        });
      const passed = await verify(providers.good);
      expect(passed.summary).toMatchObject({ interactions: 2, passed: 2, failed: 0 });
      const failed = await verify(providers.broken);
      expect(failed.success).toBe(false);
      expect(failed.summary).toMatchObject({ interactions: 2, passed: 1, failed: 1 });
      const mismatches = failed.pacts[0]!.interactions.flatMap((i) => i.mismatches);
      expect(mismatches.map((m) => m.path)).toEqual(['$.id']);
    }, 60_000);
  }
});
