import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caller, createTestDatabase, databaseKinds, type TestDatabase } from '@covenant/test-support';
import { BROWSER_ACCEPT, checkPage, haveChromium, launchChromium } from '@covenant/test-support/pages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from './server.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-artifacts');

describe.each(databaseKinds())('the index search box (%s)', (kind) => {
  let database: TestDatabase;
  let broker: RunningBroker;
  const call = caller(() => broker.url);
  const consumersShown = async (query: string) => {
    const response = await fetch(`${broker.url}/${query}`, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(200);
    const text = await response.text();
    return {
      text,
      names: [...text.matchAll(/<tr data-consumer="([^"]*)"/g)].map((m) => m[1]!),
    };
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    broker = await startBroker({ port: 0, database: database.location });
    for (const [consumer, provider] of [
      ['Web Shop', 'Orders'],
      ['Admin', 'Audit'],
      ['Mobile', 'Orders'],
      ['Deal 50%', 'Pricing_v2'],
    ])
      expect(
        (
          await call(
            'PUT',
            `/pacts/provider/${encodeURIComponent(provider!)}/consumer/${encodeURIComponent(consumer!)}/version/1`,
            {
              consumer: { name: consumer },
              provider: { name: provider },
              interactions: [],
              metadata: { pactSpecification: { version: '2.0.0' } },
            },
          )
        ).status,
      ).toBeLessThan(300);
  });
  afterAll(async () => {
    await broker?.close();
    await database?.drop();
  });

  it('filters the integrations by consumer or provider name, ignoring case, wildcards taken literally', async () => {
    const all = await consumersShown('');
    expect(all.names.sort()).toEqual(['Admin', 'Deal 50%', 'Mobile', 'Web Shop']);
    expect(all.text).toContain('<form class="filters" method="get"');
    expect((await consumersShown('?q=orders')).names.sort()).toEqual(['Mobile', 'Web Shop']);
    expect((await consumersShown('?q=SHOP')).names).toEqual(['Web Shop']);
    expect((await consumersShown('?q=%25')).names).toEqual(['Deal 50%']);
    expect((await consumersShown('?q=g_v')).names).toEqual(['Deal 50%']);
    expect((await consumersShown('?q=i_g')).names).toEqual([]);
    const none = await consumersShown('?q=%3Cnobody%3E');
    expect(none.names).toEqual([]);
    expect(none.text).toContain('whose name contains “&lt;nobody&gt;”');
    expect(none.text).toContain('value="&lt;nobody&gt;"');
  });

  it.skipIf(!haveChromium || kind !== 'sqlite')(
    'searches with the form in a browser, accessibly',
    async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.goto(`${broker.url}/`);
        await page.getByLabel('Consumer or provider name').fill('audit');
        await page.getByRole('button', { name: 'Search' }).click();
        await page.waitForURL(`${broker.url}/?q=audit`);
        expect(await page.locator('table.integrations tbody tr').count()).toBe(1);
        await page.close();
        expect(await checkPage(browser, `${broker.url}/?q=audit`, 'index-search', ARTIFACTS)).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
