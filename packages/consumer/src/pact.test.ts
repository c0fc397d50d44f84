import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CovenantError, readPact } from '@covenant/core';
import { tempDirEachTest } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { eachLike, integer, ipAddress, like, regex, uuid } from './matchers.js';
import { Pact } from './pact-node.js';

let dir: string;
tempDirEachTest('covenant-consumer-', (path) => {
  dir = path;
});

interface User {
  name: string;
  id: string;
  created_on: string;
  ip_address: string;
  admin: boolean;
}

/** The seed's consumer: a small client for UserService. */
class UserServiceClient {
  constructor(private readonly baseUrl: string) {}
  async getUser(name: string): Promise<User | undefined> {
    const response = await fetch(`${this.baseUrl}/users/${encodeURIComponent(name)}`, {
      headers: { Accept: 'application/json' },
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`UserService answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as User;
  }
}

function pact(extra: Partial<ConstructorParameters<typeof Pact>[0]> = {}) {
  return new Pact({ consumer: 'UserServiceClient', provider: 'UserService', dir, logDir: dir, ...extra });
}

describe('Pact (HTTP consumer)', () => {
  it("runs the seed's consumer test and writes the pact", async () => {
    const p = pact({ fileNameStyle: 'lowercase' });
    await p
      .addInteraction()
      .given('UserA exists and is not an administrator')
      .uponReceiving('a request for UserA')
      .withRequest('GET', '/users/UserA', (req) => req.headers({ Accept: 'application/json' }))
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
        const user = await new UserServiceClient(server.url).getUser('UserA');
        expect(user?.name).toBe('UserA');
      });
    await p
      .addInteraction()
      .given('UserA does not exist')
      .uponReceiving('a request for UserA')
      .withRequest('GET', '/users/UserA')
      .willRespondWith(404)
      .executeTest(async (server) => {
        expect(await new UserServiceClient(server.url).getUser('UserA')).toBeUndefined();
      });

    expect(p.pactFile).toBe(join(dir, 'userserviceclient-userservice.json'));
    const written = readPact(await readFile(p.pactFile, 'utf8'));
    expect(written.specification).toBe('V4');
    // in the order the tests passed (a full rewrite sorts them)
    expect(written.interactions.map((i) => i.providerStates[0]?.name)).toEqual([
      'UserA exists and is not an administrator',
      'UserA does not exist',
    ]);
    const json = JSON.parse(await readFile(p.pactFile, 'utf8'));
    expect(json.interactions[0].response.matchingRules.body).toMatchObject({
      $: { matchers: [{ match: 'type' }] },
      '$.id': { matchers: [{ match: 'regex' }] },
      '$.created_on': { matchers: [{ match: 'regex', regex: '\\d+-\\d+-\\d+T\\d+:\\d+:\\d+' }] },
    });
    const log = await readFile(join(dir, 'UserServiceClient-UserService.log'), 'utf8');
    expect(log).toContain('received GET /users/UserA');
    expect(log).toContain("verified 'a request for UserA'");
  });

  it('fails with a readable report on a mismatch and writes nothing', async () => {
    const p = pact();
    const error = await p
      .addInteraction()
      .uponReceiving('a search')
      .withRequest('GET', '/search', (req) => req.query({ q: 'cats', page: integer(1) }))
      .willRespondWith(200, (res) => res.jsonBody({ results: eachLike({ id: integer(1) }) }))
      .executeTest(async (server) => {
        const response = await fetch(`${server.url}/search?q=dogs&page=x`);
        expect(response.status).toBe(500);
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CovenantError);
    const e = error as CovenantError;
    expect(e.code).toBe('COV_CONSUMER_MOCK_MISMATCH');
    expect(e.message).toContain("GET /search?q=dogs&page=x does not match interaction 'a search'");
    expect(e.message).toContain("Expected 'cats' but received 'dogs' for query parameter 'q'");
    expect(e.message).toContain("Expected 'x' (String) to be an integer number for query parameter 'page'");
    expect(e.message).toContain('rule:     integer');
    await expect(readFile(p.pactFile, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it("reports a missing request, and keeps the test's own error", async () => {
    const p = pact();
    const ownError = new Error('client blew up');
    const error = await p
      .addInteraction()
      .uponReceiving('a call never made')
      .withRequest('GET', '/never')
      .willRespondWith(200)
      .executeTest(() => {
        throw ownError;
      })
      .catch((e: unknown) => e);
    const e = error as CovenantError;
    expect(e.code).toBe('COV_CONSUMER_MOCK_MISMATCH');
    expect(e.message).toContain(
      "Interaction 'a call never made' (GET /never) was expected but never received",
    );
    expect(e.message).toContain('client blew up');
    expect(e.cause).toBe(ownError);
  });

  it('rethrows the test error unchanged when the mock saw no problem', async () => {
    const p = pact();
    const error = await p
      .addInteraction()
      .uponReceiving('a ping')
      .withRequest('GET', '/ping')
      .willRespondWith(204)
      .executeTest(async (server) => {
        await fetch(`${server.url}/ping`);
        throw new Error('assertion failed in the test');
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('assertion failed in the test');
  });

  it('reports an unexpected request with the closest interaction', async () => {
    const error = await pact()
      .addInteraction()
      .uponReceiving('get a user')
      .withRequest('GET', '/users/1')
      .willRespondWith(200)
      .executeTest(async (server) => {
        await fetch(`${server.url}/users/1`);
        await fetch(`${server.url}/orders`, { method: 'POST' });
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain('Unexpected request POST /orders: no interaction expects it.');
    expect((error as Error).message).toContain("The closest interaction is 'get a user'");
  });

  it('serves generated values and answers CORS preflight', async () => {
    await pact()
      .addInteraction()
      .uponReceiving('a new id')
      .withRequest('POST', '/ids', (req) => req.jsonBody({ kind: 'x' }))
      .willRespondWith(201, (res) => res.jsonBody({ id: uuid(), n: integer() }))
      .executeTest(async (server) => {
        const preflight = await fetch(`${server.url}/ids`, {
          method: 'OPTIONS',
          headers: { Origin: 'http://app.test', 'Access-Control-Request-Method': 'POST' },
        });
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.test');
        const response = await fetch(`${server.url}/ids`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"kind":"x"}',
        });
        const body = (await response.json()) as { id: string; n: number };
        expect(response.status).toBe(201);
        expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(body.id).not.toBe('ce118b6e-d8e1-11e7-9296-cec278b6b50a');
        expect(Number.isInteger(body.n)).toBe(true);
      });
  });

  it('runs many mock servers at once', async () => {
    const p = pact();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        p
          .addInteraction()
          .uponReceiving(`item ${i}`)
          .withRequest('GET', `/items/${i}`)
          .willRespondWith(200, (res) => res.jsonBody({ i }))
          .executeTest(async (server) => {
            const body = (await (await fetch(`${server.url}/items/${i}`)).json()) as { i: number };
            expect(body.i).toBe(i);
          }),
      ),
    );
    const written = readPact(await readFile(p.pactFile, 'utf8'));
    expect(written.interactions).toHaveLength(20);
  });

  it('writes V2 and V3 pacts when asked', async () => {
    for (const spec of [2, 3] as const) {
      const p = pact({ spec, dir: join(dir, `v${spec}`) });
      await p
        .addInteraction()
        .given('a state', { id: 1 })
        .uponReceiving('v-test')
        .withRequest('GET', '/v')
        .willRespondWith(200, (res) => res.jsonBody({ a: like(1) }))
        .executeTest(async (s) => {
          await fetch(`${s.url}/v`);
        });
      const json = JSON.parse(await readFile(p.pactFile, 'utf8'));
      expect(json.metadata.pactSpecification.version).toBe(`${spec}.0.0`);
      if (spec === 2)
        expect(json.interactions[0].response.matchingRules).toEqual({ '$.body.a': { match: 'type' } });
      else expect(json.interactions[0].providerStates).toEqual([{ name: 'a state', params: { id: 1 } }]);
    }
  });

  it('rejects a conflicting interaction in merge mode, naming both', async () => {
    const run = (status: number) =>
      pact()
        .addInteraction()
        .uponReceiving('the same description')
        .withRequest('GET', '/same')
        .willRespondWith(status)
        .executeTest(async (s) => {
          await fetch(`${s.url}/same`);
        });
    await run(200);
    const error = await run(201).catch((e: unknown) => e);
    expect((error as CovenantError).code).toBe('COV_CONSUMER_PACT_CONFLICT');
    expect((error as Error).message).toContain("already has an interaction 'the same description'");
    expect((error as Error).message).toContain('"status":200');
    expect((error as Error).message).toContain('"status":201');
  });

  it('gives coded errors for a port in use and an unwritable pact directory', async () => {
    const first = await pact({ port: 0 })
      .addInteraction()
      .uponReceiving('x')
      .withRequest('GET', '/x')
      .willRespondWith(200)
      .executeTest(async (s) => {
        const clash = await pact({ port: s.port })
          .addInteraction()
          .uponReceiving('y')
          .withRequest('GET', '/y')
          .willRespondWith(200)
          .executeTest(() => undefined)
          .catch((e: unknown) => e);
        await fetch(`${s.url}/x`);
        return clash;
      });
    expect((first as CovenantError).code).toBe('COV_CONSUMER_MOCK_START_FAILED');
    expect((first as Error).message).toContain('the port is already in use');

    const blocked = await pact({ dir: '/proc/covenant-cannot-write-here' })
      .addInteraction()
      .uponReceiving('z')
      .withRequest('GET', '/z')
      .willRespondWith(200)
      .executeTest(async (s) => {
        await fetch(`${s.url}/z`);
      })
      .catch((e: unknown) => e);
    expect((blocked as CovenantError).code).toBe('COV_CONSUMER_PACT_WRITE_FAILED');

    const file = join(dir, 'not-a-directory');
    await writeFile(file, 'x');
    const onAFile = await pact({ dir: file })
      .addInteraction()
      .uponReceiving('w')
      .withRequest('GET', '/w')
      .willRespondWith(200)
      .executeTest(async (s) => {
        await fetch(`${s.url}/w`);
      })
      .catch((e: unknown) => e);
    expect((onAFile as CovenantError).code).toBe('COV_CONSUMER_PACT_WRITE_FAILED');
    expect((onAFile as Error).message).toContain(`${file} exists and is not a directory`);
  });

  it('says what executeTest needs when it is not given a function, and writes nothing', async () => {
    const failure = await pact()
      .addInteraction()
      .uponReceiving('v')
      .withRequest('GET', '/v')
      .willRespondWith(200)
      .executeTest(undefined as never)
      .catch((e: unknown) => e);
    expect((failure as CovenantError).code).toBe('COV_CONSUMER_INTERACTION_INVALID');
    expect((failure as Error).message).toContain(
      'executeTest() needs the test as a function of the mock server',
    );
    expect(existsSync(join(dir, 'UserServiceClient-UserService.json'))).toBe(false);
  });

  it('names the values transport and otherHosts take when given another', () => {
    const refusal = (extra: Partial<ConstructorParameters<typeof Pact>[0]>) => {
      try {
        pact(extra);
      } catch (error) {
        return { code: (error as CovenantError).code, detail: (error as CovenantError).detail };
      }
      return undefined;
    };
    expect(refusal({ transport: 'pipe' as never })).toEqual({
      code: 'COV_CONSUMER_INTERACTION_INVALID',
      detail: "transport must be 'socket' or 'intercept', got \"pipe\"",
    });
    expect(refusal({ otherHosts: 42 as never })).toEqual({
      code: 'COV_CONSUMER_INTERACTION_INVALID',
      detail: "otherHosts must be 'passthrough' or 'fail', got 42",
    });
    expect(refusal({ transport: 'intercept', otherHosts: 'fail' })).toBeUndefined();
  });
});
