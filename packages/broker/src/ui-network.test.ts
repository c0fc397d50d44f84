import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caller, createTestDatabase, type TestDatabase } from '@covenant/test-support';
import { BROWSER_ACCEPT, checkPage, haveChromium, launchChromium } from '@covenant/test-support/pages';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from './server.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-artifacts');

/** Web → Orders (verified), Orders → Stock (failed), Admin → Audit (never verified). */
async function seed(url: string) {
  const call = caller(() => url);
  const publish = async (consumer: string, provider: string, success?: boolean) => {
    const pact = await call('PUT', `/pacts/provider/${provider}/consumer/${consumer}/version/1`, {
      consumer: { name: consumer },
      provider: { name: provider },
      interactions: [],
      metadata: { pactSpecification: { version: '2.0.0' } },
    });
    expect(pact.status).toBeLessThan(300);
    if (success !== undefined) {
      const verified = await call(
        'POST',
        new URL(pact.json._links['pb:publish-verification-results'].href).pathname,
        { success, providerApplicationVersion: '9' },
      );
      expect(verified.status).toBe(201);
    }
  };
  await publish('Web', 'Orders', true);
  await publish('Orders', 'Stock', false);
  await publish('Admin', 'Audit');
}

describe('the network graph page', () => {
  let database: TestDatabase;
  let broker: RunningBroker;
  let browser: Browser | undefined;
  const get = async (path: string, accept = BROWSER_ACCEPT) => {
    const response = await fetch(`${broker.url}${path}`, { headers: { accept } });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    broker = await startBroker({ port: 0, database: database.location });
    await seed(broker.url);
    if (haveChromium) browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await broker?.close();
    await database?.drop();
  });

  it('draws every integration server-side, edges classed by the latest verification, with no inline style', async () => {
    const page = await get('/network');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<svg');
    expect(page.text).not.toMatch(/\sstyle=/);
    for (const name of ['Web', 'Orders', 'Stock', 'Admin', 'Audit'])
      expect(page.text).toContain(`<a href="${broker.url}/pacticipants/${name}">`);
    const edge = (from: string, to: string) =>
      new RegExp(`class="edge edge-(\\w+)"[^>]*><title>${from} → ${to}:`).exec(page.text)?.[1];
    expect(edge('Web', 'Orders')).toBe('verified');
    expect(edge('Orders', 'Stock')).toBe('failed');
    expect(edge('Admin', 'Audit')).toBe('unverified');
  });

  it("draws one pacticipant's group at /groups/{p}, keeping the CSV for API clients", async () => {
    const page = await get('/groups/Stock');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Network of Stock</h1>');
    expect(page.text).toContain(`/pacticipants/Web"`);
    expect(page.text).not.toContain(`/pacticipants/Admin"`);
    const csv = await get('/groups/Stock', 'text/csv');
    expect(csv.type).toMatch(/^text\/csv/);
    expect((await get('/groups/Nobody')).status).toBe(404);
  });

  it.skipIf(!haveChromium && !process.env.CI)(
    'lays the graph out readably, passes axe at both widths and schemes, and leads to a pacticipant',
    async () => {
      for (const width of [1400, 390]) {
        const context = await browser!.newContext({ viewport: { width, height: 900 } });
        const page = await context.newPage();
        await page.goto(`${broker.url}/network`);
        // the layout puts a consumer left of its provider and no two boxes on top of each other
        const boxes = new Map<string, { x: number; y: number; width: number; height: number }>();
        for (const link of await page.locator('svg a').all()) {
          const name = ((await link.textContent()) ?? '').trim();
          const box = await link.locator('rect').boundingBox();
          if (box) boxes.set(name, box);
        }
        expect([...boxes.keys()].sort()).toEqual(['Admin', 'Audit', 'Orders', 'Stock', 'Web']);
        expect(boxes.get('Web')!.x).toBeLessThan(boxes.get('Orders')!.x);
        expect(boxes.get('Orders')!.x).toBeLessThan(boxes.get('Stock')!.x);
        const all = [...boxes.values()];
        for (const [i, a] of all.entries())
          for (const b of all.slice(i + 1))
            expect(
              a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y,
            ).toBe(true);
        await context.close();
      }
      expect(await checkPage(browser!, `${broker.url}/network`, 'network', ARTIFACTS)).toEqual([]);
      expect(await checkPage(browser!, `${broker.url}/groups/Stock`, 'network-group', ARTIFACTS)).toEqual([]);
      const page = await browser!.newPage();
      await page.goto(`${broker.url}/groups/Stock`);
      await page.locator('svg a', { hasText: 'Orders' }).click();
      await page.waitForURL(`${broker.url}/pacticipants/Orders`);
      await page.close();
    },
    120_000,
  );
});
