import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caller, createTestDatabase, type TestDatabase } from '@covenant/test-support';
import { checkPage, haveChromium, launchChromium } from '@covenant/test-support/pages';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from './server.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-artifacts');
const base64 = (text: string) => Buffer.from(text).toString('base64');

/** Orders 1.0.0 publishes an OpenAPI contract whose order id is a string; Web 1's pact asks for a number. */
async function seed(url: string) {
  const call = caller(() => url);
  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await call(method, path, body);
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
    return answer.json;
  };
  await ok('PUT', '/pacts/provider/Orders/consumer/Web/version/1', {
    consumer: { name: 'Web' },
    provider: { name: 'Orders' },
    interactions: [
      {
        description: 'get an order',
        request: { method: 'GET', path: '/orders/1' },
        response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: { id: 1 } },
      },
    ],
    metadata: { pactSpecification: { version: '2.0.0' } },
  });
  const spec = {
    openapi: '3.0.3',
    info: { title: 'Orders', version: '1' },
    paths: {
      '/orders/{id}': {
        get: {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'an order',
              content: {
                'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } },
              },
            },
          },
        },
      },
    },
  };
  await ok('POST', '/provider-contracts/provider/Orders/publish', {
    pacticipantVersionNumber: '1.0.0',
    branch: 'main',
    contract: {
      content: base64(JSON.stringify(spec)),
      contentType: 'application/json',
      specification: 'oas',
      selfVerificationResults: { success: true, content: base64('ok'), verifier: 'dredd' },
    },
  });
  await ok('POST', '/webhooks', {
    description: 'tell CI',
    events: [{ name: 'contract_content_changed' }],
    request: { method: 'POST', url: 'https://ci.example/hooks' },
    consumer: { name: 'Web' },
    provider: { name: 'Orders' },
  });
}

describe.skipIf(!haveChromium && !process.env.CI)(
  'the provider contract and webhook pages in a browser',
  () => {
    let database: TestDatabase;
    let broker: RunningBroker;
    let browser: Browser;

    beforeAll(async () => {
      database = await createTestDatabase('sqlite');
      broker = await startBroker({ port: 0, database: database.location });
      await seed(broker.url);
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await broker?.close();
      await database?.drop();
    });

    it("leads from a pact to its comparison with the provider's contract, and shows why it failed", async () => {
      const tab = await browser.newPage();
      await tab.goto(`${broker.url}/pacts/provider/Orders/consumer/Web/version/1`);
      expect(await tab.locator('main').textContent()).toContain('Compared with provider contracts');
      await tab.getByRole('link', { name: 'results' }).first().click();
      await tab.waitForURL(/\/verification-results\/\d+$/);
      expect(await tab.locator('main').textContent()).toContain('get an order');
      await tab.goto(`${broker.url}/provider-contracts/provider/Orders/version/1.0.0`);
      expect(await tab.locator('h1').textContent()).toContain('Provider contract of Orders 1.0.0');
      await tab.goto(`${broker.url}/pacts/provider/Orders/consumer/Web/webhooks/status`);
      expect(await tab.locator('main').textContent()).toContain(
        'No webhook has been triggered for this pact yet.',
      );
      await tab.close();
    }, 60_000);

    it('passes axe, fits a phone and has large enough tap targets', async () => {
      const pact = await (
        await fetch(`${broker.url}/pacts/provider/Orders/consumer/Web/version/1`, {
          headers: { accept: 'text/html' },
        })
      ).text();
      const comparison = /href="([^"]+\/verification-results\/\d+)">results</.exec(pact)?.[1];
      expect(comparison).toBeDefined();
      for (const [url, name] of [
        [`${broker.url}/provider-contracts/provider/Orders/version/1.0.0`, 'provider-contract'],
        [`${broker.url}/pacts/provider/Orders/consumer/Web/version/1`, 'pact-with-comparisons'],
        [comparison!.replaceAll('&amp;', '&'), 'comparison'],
        [`${broker.url}/pacts/provider/Orders/consumer/Web/webhooks/status`, 'webhook-status'],
      ] as const)
        expect(await checkPage(browser, url, name, ARTIFACTS)).toEqual([]);
    }, 240_000);
  },
);
