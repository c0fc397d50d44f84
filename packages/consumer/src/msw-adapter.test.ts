import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eachLike, integer, like } from './matchers.js';
import { matchedJson } from './msw-adapter.js';
import { setupPactMswAdapter } from './pact-node.js';

let dir: string;
const server = setupServer();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'covenant-msw-'));
  server.listen({ onUnhandledRequest: 'bypass' });
});
afterAll(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('setupPactMswAdapter (msw 2, Node)', () => {
  const adapter = setupPactMswAdapter({
    server,
    options: {
      consumer: 'WebApp',
      providers: { UserService: ['/users'], OrderService: ['/orders'] },
      excludeHeaders: ['x-request-id'],
      get pactOutDir() {
        return dir;
      },
    },
  });
  beforeEach(() => adapter.newTest());
  afterEach(() => server.resetHandlers());

  it('records requests against the handlers as interactions, one pact per provider', async () => {
    server.use(
      http.get('https://api.example.test/users/1', () =>
        matchedJson(like({ id: integer(1), name: 'Ann', roles: eachLike('admin') })),
      ),
      http.post('https://api.example.test/orders', () => HttpResponse.json({ id: 9 }, { status: 201 })),
    );
    const user = await (
      await fetch('https://api.example.test/users/1', {
        headers: { Accept: 'application/json', 'X-Request-Id': 'r1' },
      })
    ).json();
    expect(user).toEqual({ id: 1, name: 'Ann', roles: ['admin'] });
    const order = await fetch('https://api.example.test/orders?draft=true', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sku: 'A1' }),
    });
    expect(order.status).toBe(201);
    await adapter.verifyTest();

    const files = await adapter.writeToFile();
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual([
      'WebApp-OrderService.json',
      'WebApp-UserService.json',
    ]);
    const users = JSON.parse(await readFile(join(dir, 'WebApp-UserService.json'), 'utf8'));
    const [getUser] = users.interactions;
    expect(getUser.description).toBe('GET /users/1');
    // headers filtered: the client's own and the excluded one are gone, the one the client chose stays
    expect(getUser.request.headers).toEqual({ accept: ['application/json'] });
    // the handler's matchers are in the contract, not only its example
    expect(getUser.response.matchingRules.body).toMatchObject({
      $: { matchers: [{ match: 'type' }] },
      '$.id': { matchers: [{ match: 'integer' }] },
      '$.roles': { matchers: [{ match: 'type', min: 1 }] },
    });
    const orders = JSON.parse(await readFile(join(dir, 'WebApp-OrderService.json'), 'utf8'));
    expect(orders.interactions[0].request).toMatchObject({
      method: 'POST',
      path: '/orders',
      query: { draft: ['true'] },
      body: { content: { sku: 'A1' } },
    });
    expect(orders.interactions[0].response).toMatchObject({ status: 201, body: { content: { id: 9 } } });
    expect(orders.interactions[0].response.matchingRules).toBeUndefined();
  });

  it('fails verifyTest with a coded error when a recorded URL had no handler', async () => {
    server.use(http.get('https://api.example.test/users/1', () => HttpResponse.json({ id: 1 })));
    // no handler: msw lets it through to a loopback port where nothing listens
    await fetch('http://127.0.0.1:9/users/2').catch(() => undefined);
    await expect(adapter.verifyTest()).rejects.toMatchObject({
      code: 'COV_CONSUMER_MSW_UNHANDLED',
      message: expect.stringContaining('GET http://127.0.0.1:9/users/2: no msw handler answered it'),
    });
  });
});
