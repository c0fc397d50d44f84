import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Call,
  caller,
  createTestDatabase,
  databaseKinds,
  type TestDatabase,
} from '@covenant/test-support';
import { BROWSER_ACCEPT, checkPage, haveChromium, launchChromium } from '@covenant/test-support/pages';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerDatabase } from './db/connect.js';
import { createApp, openDatabase } from './index.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-artifacts');
const e = encodeURIComponent;

const http = (description: string, method: string, path: string, state?: string) => ({
  description,
  ...(state ? { providerState: state } : {}),
  request: { method, path },
  response: { status: 200 },
});
const pact = (consumer: string, provider: string, interactions: unknown[]) => ({
  consumer: { name: consumer },
  provider: { name: provider },
  interactions,
  metadata: { pactSpecification: { version: '2.0.0' } },
});

/**
 * Web Shop 1.0.0 (main, prod) → Orders API: two interactions, verified by Orders API 2.0.0 (one
 * passed, one failed); Orders API 2.0.0 (main, prod) → Stock: one, never verified; Mobile → Orders
 * API: a message pact. Web Shop 1.1.0 is on branch feat/cart.
 */
async function seed(call: Call) {
  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await call(method, path, body);
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
    return answer.json;
  };
  const published = await ok(
    'PUT',
    '/pacts/provider/Orders%20API/consumer/Web%20Shop/version/1.0.0',
    pact('Web Shop', 'Orders API', [
      http('get an order', 'GET', '/orders/1', 'an order exists'),
      http('cancel an order', 'DELETE', '/orders/1'),
    ]),
  );
  await ok('POST', new URL(published._links['pb:publish-verification-results'].href).pathname, {
    success: false,
    providerApplicationVersion: '2.0.0',
    testResults: [
      { interactionDescription: 'get an order', success: true },
      { interactionDescription: 'cancel an order', success: false, mismatches: ['expected 200, got 409'] },
    ],
  });
  await ok(
    'PUT',
    '/pacts/provider/Stock/consumer/Orders%20API/version/2.0.0',
    pact('Orders API', 'Stock', [http('reserve stock', 'POST', '/reservations')]),
  );
  await ok('PUT', '/pacts/provider/Orders%20API/consumer/Mobile/version/7', {
    consumer: { name: 'Mobile' },
    provider: { name: 'Orders API' },
    messages: [{ description: 'order created', contents: { id: 1 } }],
    metadata: { pactSpecification: { version: '3.0.0' } },
  });
  await ok('PUT', '/pacticipants/Web%20Shop', { name: 'Web Shop', mainBranch: 'main' });
  await ok('PUT', '/pacticipants/Web%20Shop/branches/main/versions/1.0.0');
  await ok('PUT', '/pacticipants/Web%20Shop/versions/1.0.0/tags/prod');
  await ok('PUT', '/pacticipants/Web%20Shop/branches/feat%2Fcart/versions/1.1.0');
  await ok('PUT', '/pacticipants/Orders%20API/branches/main/versions/2.0.0');
  await ok('PUT', '/pacticipants/Orders%20API/versions/2.0.0/tags/prod');
}

/** The broker's database, counting the queries it is sent. */
function counting(database: BrokerDatabase) {
  const counter = { queries: 0 };
  const db = database.db.withPlugin({
    transformQuery: (args) => {
      counter.queries++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  return { database: { ...database, db }, counter };
}

describe.each(databaseKinds())("a pacticipant's interactions and the branches and tags view (%s)", (kind) => {
  let database: TestDatabase;
  let opened: BrokerDatabase;
  let app: FastifyInstance;
  let url: string;
  let counter: { queries: number };
  const call = caller(() => url);
  const page = async (path: string, accept = BROWSER_ACCEPT) => {
    const response = await fetch(`${url}${path}`, { headers: { accept } });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };
  /** How many queries a page costs. */
  const queriesFor = async (path: string) => {
    const before = counter.queries;
    expect((await page(path)).status).toBe(200);
    return counter.queries - before;
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    opened = await openDatabase(database.location);
    const counted = counting(opened);
    counter = counted.counter;
    app = createApp({ database: counted.database });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    await seed(call);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await opened?.close();
    await database?.drop();
  }, 30_000);

  it('lists every interaction a pacticipant takes part in, as consumer and as provider, with its result', async () => {
    // a page of its own: HTML to every client
    for (const accept of [BROWSER_ACCEPT, 'application/json']) {
      const answer = await page('/pacticipants/Orders%20API/interactions', accept);
      expect(answer.status).toBe(200);
      expect(answer.type).toBe('text/html; charset=utf-8');
    }
    const { text } = await page('/pacticipants/Orders%20API/interactions');
    expect(text).toContain('<h2>As consumer (1)</h2>');
    expect(text).toContain('<h2>As provider (3)</h2>');
    const rows = [
      ...text.matchAll(
        /<tr>\n<td><a href="[^"]+">([^<]+)<\/a><\/td>\n<td><a class="interaction-link" href="([^"]+)">([^<]+)<\/a>(?:<span class="status-note">([^<]+)<\/span>)?<\/td>\n<td><code>([^<]+)<\/code><\/td>\n<td>(.*?)<\/td>/g,
      ),
    ].map((m) => ({
      counterpart: m[1],
      href: m[2]!,
      words: `${m[3]}${m[4] ? ` (${m[4]})` : ''}: ${m[5]}: ${m[6]!.replace(/<[^>]+>/g, '').trim()}`,
    }));
    expect(rows.map((r) => `${r.counterpart} · ${r.words}`)).toEqual([
      'Stock · reserve stock: POST /reservations: not verified',
      'Mobile · order created: a message: not verified',
      'Web Shop · get an order (given an order exists): GET /orders/1: passed',
      'Web Shop · cancel an order: DELETE /orders/1: failed',
    ]);
    // each interaction leads to its place on its pact's page
    for (const { href } of rows) {
      const [pactUrl, anchor] = href.split('#') as [string, string];
      const pactPage = await fetch(pactUrl, { headers: { accept: BROWSER_ACCEPT } });
      expect(pactPage.status, href).toBe(200);
      expect(await pactPage.text(), href).toContain(`<article class="interaction" id="${anchor}">`);
    }
    // the consumer's side of the same pact
    const webShop = await page('/pacticipants/Web%20Shop/interactions');
    expect(webShop.text).toContain('<h2>As consumer (2)</h2>');
    expect(webShop.text).toContain('<h2>As provider (0)</h2>');
    expect(webShop.text).toContain('No consumer&#39;s pact with Web Shop has interactions.');
  });

  it('is linked from the pacticipant page, and says when there is no such pacticipant', async () => {
    const pacticipant = await page('/pacticipants/Orders%20API');
    expect(pacticipant.text).toContain(
      `<a class="interactions-link" href="${url}/pacticipants/Orders%20API/interactions">`,
    );
    const missing = await page('/pacticipants/Nobody/interactions');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('There is no pacticipant named Nobody.');
  });

  it("shows every pacticipant's branches and tags with their latest versions, searchable, linked from the index", async () => {
    expect((await page('/')).text).toContain(`<a href="${url}/branches-and-tags">Branches and tags</a>`);
    const { status, text } = await page('/branches-and-tags', 'application/json');
    expect(status).toBe(200);
    const rowsOf = (html: string, table: string) =>
      [
        ...(html.split(`<table class="compact ${table}">`)[1] ?? '')
          .split('</table>')[0]!
          .matchAll(
            /<tr data-pacticipant="([^"]+)" data-name="([^"]+)">[\s\S]*?<td>(\d+)<\/td>\n<td><code>([^<]+)<\/code>/g,
          ),
      ].map((m) => `${m[1]} ${m[2]} ×${m[3]} latest ${m[4]}`);
    expect(rowsOf(text, 'branches')).toEqual([
      'Orders API main ×1 latest 2.0.0',
      'Web Shop feat/cart ×1 latest 1.1.0',
      'Web Shop main ×1 latest 1.0.0',
    ]);
    expect(rowsOf(text, 'tags')).toEqual([
      'Orders API prod ×1 latest 2.0.0',
      'Web Shop prod ×1 latest 1.0.0',
    ]);
    expect(text).toMatch(
      /data-name="main">\n<td><a [^>]+>Web Shop<\/a><\/td>\n<td>.*main<\/span> <span class="muted">main<\/span>/,
    );
    const searched = await page('/branches-and-tags?q=web');
    expect(rowsOf(searched.text, 'branches')).toEqual([
      'Web Shop feat/cart ×1 latest 1.1.0',
      'Web Shop main ×1 latest 1.0.0',
    ]);
    const none = await page('/branches-and-tags?q=%3Cnobody%3E');
    expect(none.text).toContain('No pacticipant whose name contains “&lt;nobody&gt;” has branches.');
  });

  it('reads each page with one query per table, never one per row', async () => {
    const interactions = await queriesFor('/pacticipants/Orders%20API/interactions');
    const branches = await queriesFor('/branches-and-tags');
    const canIDeploy = await queriesFor('/can-i-deploy?pacticipant=Web+Shop&version=1.0.0&to=prod');
    // the failed verification's count comes from its test results
    expect((await page('/can-i-deploy?pacticipant=Web+Shop&version=1.0.0&to=prod')).text).toContain(
      'verification by Orders API 2.0.0 failed: 1 interaction.',
    );
    for (const n of [2, 3, 4]) {
      const consumer = `Extra ${n}`;
      expect(
        (
          await call(
            'PUT',
            `/pacts/provider/Orders%20API/consumer/${e(consumer)}/version/1`,
            pact(consumer, 'Orders API', [
              http(`call ${n}`, 'GET', `/x/${n}`),
              http(`call ${n}b`, 'GET', '/y'),
            ]),
          )
        ).status,
      ).toBeLessThan(300);
      expect((await call('PUT', `/pacticipants/${e(consumer)}/branches/b${n}/versions/1`)).status).toBe(200);
      expect((await call('PUT', `/pacticipants/${e(consumer)}/versions/1/tags/t${n}`)).status).toBeLessThan(
        300,
      );
    }
    expect(await queriesFor('/pacticipants/Orders%20API/interactions')).toBe(interactions);
    expect(interactions).toBeLessThanOrEqual(2);
    expect(await queriesFor('/branches-and-tags')).toBe(branches);
    expect(branches).toBeLessThanOrEqual(2);
    expect(await queriesFor('/can-i-deploy?pacticipant=Web+Shop&version=1.0.0&to=prod')).toBe(canIDeploy);
  });
});

describe.skipIf(!haveChromium && !process.env.CI)('the interactions and branches pages in a browser', () => {
  let database: TestDatabase;
  let opened: BrokerDatabase;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    opened = await openDatabase(database.location);
    app = createApp({ database: opened });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    await seed(caller(() => url));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await opened?.close();
    await database?.drop();
  });

  it('leads from a pacticipant to its interactions and on to the pact, and from the index to the branches', async () => {
    const tab = await browser.newPage();
    await tab.goto(`${url}/pacticipants/Orders%20API`);
    await tab.getByRole('link', { name: 'Every interaction Orders API takes part in' }).click();
    await tab.waitForURL(`${url}/pacticipants/Orders%20API/interactions`);
    await tab.getByRole('link', { name: 'cancel an order' }).click();
    await tab.waitForURL(/\/pacts\/provider\/Orders%20API\/consumer\/Web%20Shop\/latest#cancel_an_order$/);
    expect(await tab.locator('article.interaction:target h3').textContent()).toBe('cancel an order');
    await tab.goto(`${url}/`);
    await tab.getByRole('link', { name: 'Branches and tags' }).click();
    await tab.waitForURL(`${url}/branches-and-tags`);
    await tab.getByLabel('Pacticipant name').fill('orders');
    await tab.getByRole('button', { name: 'Search' }).click();
    await tab.waitForURL(`${url}/branches-and-tags?q=orders`);
    expect(await tab.locator('table.branches tbody tr').count()).toBe(1);
    await tab.locator('table.tags tbody a').first().click();
    await tab.waitForURL(`${url}/pacticipants/Orders%20API`);
    await tab.close();
  }, 60_000);

  it('passes axe, fits a phone and has large enough tap targets', async () => {
    for (const [path, name] of [
      ['/pacticipants/Orders%20API/interactions', 'pacticipant-interactions'],
      ['/pacticipants/Orders%20API', 'pacticipant'],
      ['/branches-and-tags', 'branches-and-tags'],
    ] as const)
      expect(await checkPage(browser, `${url}${path}`, name, ARTIFACTS)).toEqual([]);
  }, 180_000);
});
