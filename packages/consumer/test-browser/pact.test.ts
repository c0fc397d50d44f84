import { afterEach, beforeEach, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { eachLike, integer, like, Pact, uuid } from '../src/browser.js';

let dir: string;
beforeEach(() => {
  dir = `.browser-pacts/${crypto.randomUUID()}`;
});
afterEach(async () => {
  await commands.removeProjectDir(dir);
});

function xhrJson(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url);
    xhr.onload = () => resolve({ status: xhr.status, body: JSON.parse(xhr.responseText) });
    xhr.onerror = () => reject(new Error(`XMLHttpRequest to ${url} failed`));
    xhr.send();
  });
}

it('runs the DSL and the matching in Chromium, and the Node side writes the pact', async () => {
  expect(navigator.userAgent).toMatch(/Chrome/);
  const pact = new Pact({ consumer: 'WebApp', provider: 'Orders', dir, transport: 'intercept' });
  await pact
    .addInteraction()
    .given('order 7 exists')
    .uponReceiving('a request for order 7 with fetch')
    .withRequest('GET', '/orders/7', (req) => req.headers({ Accept: 'application/json' }))
    .willRespondWith(200, (res) =>
      res.jsonBody(
        like({
          id: integer(7),
          ref: uuid('fc763eba-0905-41c5-a27f-3934ab26786c'),
          lines: eachLike({ sku: 'A1' }),
        }),
      ),
    )
    .executeTest(async (mock) => {
      const res = await fetch(`${mock.url}/orders/7`, { headers: { Accept: 'application/json' } });
      expect(await res.json()).toEqual({
        id: 7,
        ref: 'fc763eba-0905-41c5-a27f-3934ab26786c',
        lines: [{ sku: 'A1' }],
      });
    });
  await pact
    .addInteraction()
    .uponReceiving('a request for order 8 with XMLHttpRequest')
    .withRequest('GET', '/orders/8')
    .willRespondWith(200, (res) => res.jsonBody({ id: integer(8) }))
    .executeTest(async (mock) => {
      expect(await xhrJson(`${mock.url}/orders/8`)).toEqual({ status: 200, body: { id: 8 } });
    });
  const written = JSON.parse((await commands.readProjectFile(`${dir}/WebApp-Orders.json`))!);
  expect(written.interactions.map((i: { description: string }) => i.description)).toEqual([
    'a request for order 7 with fetch',
    'a request for order 8 with XMLHttpRequest',
  ]);
  expect(written.interactions[0].response.matchingRules.body['$.id']).toEqual({
    combine: 'AND',
    matchers: [{ match: 'integer' }],
  });
});

it('fails an unmatched request with the mismatch report and writes nothing', async () => {
  const pact = new Pact({ consumer: 'WebApp', provider: 'Orders', dir, transport: 'intercept' });
  const error = await pact
    .addInteraction()
    .uponReceiving('a request for order 1')
    .withRequest('GET', '/orders/1')
    .willRespondWith(200)
    .executeTest(async (mock) => {
      expect((await fetch(`${mock.url}/orders/1?page=2`)).status).toBe(500);
    })
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'COV_CONSUMER_MOCK_MISMATCH' });
  expect((error as Error).message).toContain('GET /orders/1?page=2 does not match interaction');
  expect(await commands.readProjectFile(`${dir}/WebApp-Orders.json`)).toBeNull();
});

it('says a browser has no sockets when asked for socket mode', () => {
  expect(() => new Pact({ consumer: 'WebApp', provider: 'Orders' })).toThrow(/transport: 'intercept'/);
});
