import { existsSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { caller, createTestDatabase, databaseKinds, type TestDatabase } from '@covenant/test-support';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from './server.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const CHROMIUM = '/usr/bin/chromium';

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

  it.skipIf(!existsSync(CHROMIUM) || kind !== 'sqlite')(
    'searches with the form in a browser, accessibly',
    async () => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu'],
      });
      try {
        for (const width of [1400, 390]) {
          const context = await browser.newContext({ viewport: { width, height: 900 } });
          const page = await context.newPage();
          await page.goto(`${broker.url}/`);
          await page.getByLabel('Consumer or provider name').fill('audit');
          await page.getByRole('button', { name: 'Search' }).click();
          await page.waitForURL(`${broker.url}/?q=audit`);
          expect(await page.locator('table.integrations tbody tr').count()).toBe(1);
          const results = await new AxeBuilder({ page }).analyze();
          const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
          expect(
            serious.map((v) => v.id),
            `${width}px`,
          ).toEqual([]);
          await page.close();
        }
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
