// Covenant's in-process mode inside Jest, under the DOM environment jest.config.json names
// (jsdom and happy-dom): the client is the environment's XMLHttpRequest. Run by
// src/intercept-jest.test.ts with PACT_DIR set.
import { readFileSync } from 'node:fs';
import { like, Pact } from '@covenant/consumer';
import { expect, test } from '@jest/globals';

/** A browser-style client: XMLHttpRequest, as older front-end code and some libraries use. */
function xhrJson(url) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.onload = () => resolve({ status: xhr.status, body: JSON.parse(xhr.responseText) });
    xhr.onerror = () => reject(new Error(`XMLHttpRequest to ${url} failed`));
    xhr.send();
  });
}

test("answers XMLHttpRequest in transport: 'intercept'", async () => {
  expect(typeof window).toBe('object');
  const pact = new Pact({
    consumer: `JestXhr-${navigator.userAgent.includes('jsdom') ? 'jsdom' : 'happy-dom'}`,
    provider: 'Orders',
    dir: process.env.PACT_DIR,
    logLevel: 'off',
    transport: 'intercept',
  });
  await pact
    .addInteraction()
    .uponReceiving('a request for order 7 over XMLHttpRequest')
    .withRequest('GET', '/orders/7', (req) => req.headers({ Accept: 'application/json' }))
    .willRespondWith(200, (res) => res.jsonBody({ id: like(7) }))
    .executeTest(async (server) => {
      expect(await xhrJson(`${server.url}/orders/7`)).toEqual({ status: 200, body: { id: 7 } });
    });
  const written = JSON.parse(readFileSync(pact.pactFile, 'utf8'));
  expect(written.interactions[0].request).toMatchObject({ method: 'GET', path: '/orders/7' });
});
