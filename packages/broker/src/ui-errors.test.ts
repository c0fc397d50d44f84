import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@covenant/test-support';
import {
  BROWSER_ACCEPT,
  CHROMIUM,
  checkPage,
  haveChromium,
  launchChromium,
} from '@covenant/test-support/pages';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from './server.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-artifacts');

describe('error pages over HTTP', () => {
  let database: TestDatabase;
  let broker: RunningBroker;
  let secured: RunningBroker;
  const ask = async (base: string, method: string, path: string, accept?: string) => {
    const response = await fetch(`${base}${path}`, { method, headers: accept ? { Accept: accept } : {} });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    broker = await startBroker({ port: 0, database: database.location });
    secured = await startBroker({
      port: 0,
      database: database.location,
      auth: { readWrite: { username: 'u', password: 'p' } },
    });
  });
  afterAll(async () => {
    await secured?.close();
    await broker?.close();
    await database?.drop();
  });

  const cases = () => [
    { base: broker.url, method: 'GET', path: '/no/such/thing', status: 404, title: 'Not found' },
    { base: broker.url, method: 'DELETE', path: '/', status: 405, title: 'Method not allowed' },
    {
      base: broker.url,
      method: 'GET',
      path: '/pacticipants/%E0%A4%A',
      status: 400,
      title: 'Validation errors',
    },
    {
      base: broker.url,
      method: 'GET',
      path: `/pacticipants/${'x'.repeat(1001)}`,
      status: 414,
      title: 'URI too long',
    },
    { base: secured.url, method: 'GET', path: '/pacticipants', status: 401, title: 'Unauthorized' },
  ];

  it('answers a browser with an HTML page keeping the status, saying what was wrong and what to do', async () => {
    for (const { base, method, path, status, title } of cases()) {
      const label = `${method} ${path.slice(0, 40)}`;
      const page = await ask(base, method, path, BROWSER_ACCEPT);
      expect(page.status, label).toBe(status);
      expect(page.headers.get('content-type'), label).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy'), label).toContain("default-src 'none'");
      expect(page.text, label).toMatch(/^<!doctype html>/);
      expect(page.text, label).toContain(`<h1>${title}</h1>`);
      expect(page.text, label).toContain(`HTTP ${status}`);
      expect(page.text, label).toMatch(/<p class="problem-hint"><strong>What to do:<\/strong> \S/);
      expect(page.text, label).toMatch(/Error code <code>COV_BROKER_[A-Z_]+<\/code>/);
      expect(page.text, label).toContain(`<a href="${base}/">Back to the integrations</a>`);
    }
    // the path asked for is shown escaped, never as markup
    const injected = await ask(broker.url, 'GET', '/%3Cscript%3Ealert(1)%3C%2Fscript%3E', BROWSER_ACCEPT);
    expect(injected.status).toBe(404);
    expect(injected.text).not.toContain('<script>');
  });

  it('keeps the JSON bodies for API clients', async () => {
    for (const { base, method, path, status } of cases()) {
      const label = `${method} ${path.slice(0, 40)}`;
      for (const accept of [undefined, '*/*', 'application/hal+json', 'application/json']) {
        const client = await ask(base, method, path, accept);
        expect(client.status, `${label} ${accept}`).toBe(status);
        expect(client.headers.get('content-type'), `${label} ${accept}`).toMatch(/^application\/hal\+json/);
        const body = JSON.parse(client.text);
        expect(body.error, label).toBeTypeOf('string');
        expect(body.code, label).toMatch(/^COV_BROKER_/);
      }
      const problem = await ask(base, method, path, 'application/problem+json');
      expect(problem.status, label).toBe(status);
      expect(problem.headers.get('content-type'), label).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(problem.text).status, label).toBe(status);
    }
  });
});

// under CI a missing browser fails the test rather than skipping it
describe.skipIf(!haveChromium && !process.env.CI)('error pages in a browser', () => {
  let database: TestDatabase;
  let broker: RunningBroker;
  let browser: Browser;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}: install it`);
    database = await createTestDatabase('sqlite');
    broker = await startBroker({ port: 0, database: database.location, seedExampleData: true });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await broker?.close();
    await database?.drop();
  });

  it('shows an unknown URL as a readable, accessible page that leads home', async () => {
    expect(await checkPage(browser, `${broker.url}/no/such/page`, 'error-404', ARTIFACTS)).toEqual([]);
    const page = await browser.newPage();
    const response = await page.goto(`${broker.url}/no/such/page`);
    expect(response?.status()).toBe(404);
    expect(await page.title()).toBe('Not found · Pact Broker');
    expect(await page.locator('h1').textContent()).toBe('Not found');
    expect(await page.locator('.problem-detail').textContent()).toBe('no resource at GET /no/such/page');
    await page.getByRole('link', { name: 'Back to the integrations' }).click();
    await page.waitForURL(`${broker.url}/`);
    expect(await page.title()).toBe('Integrations · Pact Broker');
    await page.close();
  }, 120_000);
});
