/// <reference lib="dom" />
// The XMLHttpRequest case of in-process mode, for each DOM environment Vitest offers. Vitest picks
// the environment per file, so each environment has a two-line test file that runs this one case.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { like } from '../matchers.js';
import { Pact } from '../pact-node.js';

/** A browser-style client: XMLHttpRequest, as older front-end code and some libraries use. */
function xhrJson(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.onload = () => resolve({ status: xhr.status, body: JSON.parse(xhr.responseText) });
    xhr.onerror = () => reject(new Error(`XMLHttpRequest to ${url} failed`));
    xhr.send();
  });
}

/**
 * Declares the test that an XMLHttpRequest from the file's DOM `environment` is answered by a Pact
 * in `transport: 'intercept'`, and that the pact file is written.
 *
 * @example
 * // @vitest-environment jsdom
 * itAnswersXhrInIntercept('jsdom');
 */
export function itAnswersXhrInIntercept(environment: 'happy-dom' | 'jsdom'): void {
  it(`answers XMLHttpRequest under ${environment} in transport: 'intercept'`, async () => {
    expect(typeof window).toBe('object');
    const dir = await mkdtemp(join(tmpdir(), `covenant-${environment}-`));
    try {
      const pact = new Pact({
        consumer: 'Web',
        provider: 'Orders',
        dir,
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
      const written = JSON.parse(await readFile(pact.pactFile, 'utf8'));
      expect(written.interactions[0].request).toMatchObject({ method: 'GET', path: '/orders/7' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
