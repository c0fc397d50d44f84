import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caller, createTestDatabase, databaseKinds, type TestDatabase } from '@covenant/test-support';
import { BROWSER_ACCEPT, checkPage, haveChromium, launchChromium } from '@covenant/test-support/pages';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from './server.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-artifacts');
const e = encodeURIComponent;

function api(broker: () => RunningBroker) {
  const call = caller(() => broker().url);
  return async (method: string, path: string, body?: unknown) => {
    const answer = await call(method, path, body);
    if (answer.status >= 400) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.json ?? {};
  };
}
type Call = ReturnType<typeof api>;

const pactFor = (...descriptions: string[]) => ({
  consumer: { name: 'Web Shop' },
  provider: { name: 'Orders API' },
  interactions: descriptions.map((description) => ({
    description,
    request: { method: 'GET', path: '/orders/1' },
    response: { status: 200, body: { id: 1 } },
  })),
  metadata: { pactSpecification: { version: '2.0.0' } },
});

/**
 * Web Shop 1.0.0 (failed by Orders API 2.1.0 in both its interactions), 1.1.0 (verified by 2.1.0), 1.2.0 (never verified);
 * Orders API 2.1.0 is deployed to production.
 */
async function seed(call: Call) {
  const publish = async (version: string, verified?: boolean, descriptions = [`order for ${version}`]) => {
    const pact = await call(
      'PUT',
      `/pacts/provider/Orders%20API/consumer/Web%20Shop/version/${version}`,
      pactFor(...descriptions),
    );
    if (verified !== undefined)
      await call('POST', new URL(pact._links['pb:publish-verification-results'].href).pathname, {
        success: verified,
        providerApplicationVersion: '2.1.0',
        testResults: descriptions.map((description) => ({
          interactionDescription: description,
          success: verified,
          ...(verified ? {} : { mismatches: [{ description: 'expected status 200 but was 500' }] }),
        })),
      });
  };
  await publish('1.0.0', false, ['order for 1.0.0', 'cancel for 1.0.0']);
  await publish('1.1.0', true);
  await publish('1.2.0');
  await call('PUT', '/pacticipants/Web%20Shop/branches/main/versions/1.1.0');
  const production = await call('POST', '/environments', { name: 'production', production: true });
  await call(
    'POST',
    `/pacticipants/Orders%20API/versions/2.1.0/deployed-versions/environment/${production.uuid}`,
    {},
  );
}

describe.each(databaseKinds())('the matrix and can-i-deploy pages over HTTP (%s)', (kind) => {
  let database: TestDatabase;
  let broker: RunningBroker;
  const call = api(() => broker);
  const get = async (path: string, accept = BROWSER_ACCEPT) => {
    const response = await fetch(`${broker.url}${path}`, { headers: { Accept: accept } });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };
  /** The rows of a page's matrix table: outcome and consumer version. */
  const rowsOf = (text: string) =>
    [
      ...text.matchAll(
        /<tr class="row-(\w+)[^"]*" data-outcome="\w+">\n<td>.*?<\/td>\n<td><code>([^<]+)<\/code>/g,
      ),
    ].map((m) => `${m[2]} ${m[1]}`);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    broker = await startBroker({ port: 0, database: database.location });
    await seed(call);
  }, 30_000);
  afterAll(async () => {
    await broker?.close();
    await database?.drop();
  }, 30_000);

  it("shows one integration's matrix at the reference URL, each row linking to its pact and verification", async () => {
    for (const accept of [BROWSER_ACCEPT, 'application/json']) {
      const page = await get('/matrix/provider/Orders%20API/consumer/Web%20Shop', accept);
      expect(page.status).toBe(200);
      expect(page.type).toBe('text/html; charset=utf-8');
      expect(rowsOf(page.text).sort()).toEqual(['1.0.0 failed', '1.1.0 success', '1.2.0 never']);
    }
    const { text } = await get('/matrix/provider/Orders%20API/consumer/Web%20Shop');
    const links = [...text.matchAll(/class="(?:verification|pact)-link" href="([^"]+)"/g)].map((m) => m[1]!);
    expect(links.filter((l) => l.includes('/verification-results/'))).toHaveLength(2);
    expect(links.filter((l) => /\/version\/1\.\d\.0$/.test(l))).toHaveLength(3);
    for (const link of links) {
      const followed = await fetch(link, { headers: { Accept: 'application/hal+json' } });
      expect(followed.status, link).toBe(200);
    }
    expect(await get('/matrix/provider/Nobody/consumer/Web%20Shop')).toMatchObject({ status: 400 });
  });

  it('filters the general matrix with its GET form, and says what is wrong with a query', async () => {
    const empty = await get('/matrix');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('<form class="filters" method="get"');
    // a form's unused second selector is left out
    const one = await get(
      '/matrix?q[][pacticipant]=Web+Shop&q[][version]=1.0.0&q[][branch]=&q[][pacticipant]=&q[][version]=',
    );
    expect(one.status).toBe(200);
    expect(rowsOf(one.text)).toEqual(['1.0.0 failed']);
    expect(one.text).toContain('value="1.0.0"');
    const branch = await get('/matrix?q[][pacticipant]=Web+Shop&q[][branch]=main');
    expect(rowsOf(branch.text)).toEqual(['1.1.0 success']);
    const unknown = await get('/matrix?q[][pacticipant]=Nobody');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('Pacticipant Nobody not found');
    // the API's answer on the same URL is unchanged
    const json = await get('/matrix?q[][pacticipant]=Web+Shop&q[][version]=1.0.0', 'application/hal+json');
    expect(JSON.parse(json.text).matrix).toHaveLength(1);
  });

  it('pages the matrix 100 rows at a time', async () => {
    for (let n = 0; n < 101; n++)
      await call('PUT', `/pacts/provider/Paged%20API/consumer/Paged%20App/version/${n}`, {
        ...pactFor(`order ${n}`),
        consumer: { name: 'Paged App' },
        provider: { name: 'Paged API' },
      });
    const first = await get('/matrix/provider/Paged%20API/consumer/Paged%20App');
    expect(rowsOf(first.text)).toHaveLength(100);
    expect(first.text).toContain('rel="next" href="');
    const second = await get('/matrix/provider/Paged%20API/consumer/Paged%20App?page=2');
    expect(rowsOf(second.text)).toHaveLength(1);
    expect(second.text).toContain('rel="prev"');
    expect(second.text).not.toContain('rel="next"');
  }, 60_000);

  it('answers can-i-deploy in words per integration, with the matrix rows behind it', async () => {
    const ask = (version: string, extra = '&environment=production') =>
      get(`/can-i-deploy?pacticipant=Web+Shop&version=${version}${extra}`);
    const yes = await ask('1.1.0');
    expect(yes.text).toContain('data-deployable="yes"');
    expect(yes.text).toContain('Yes: Web Shop 1.1.0 can deploy to production.');
    expect(yes.text).toContain('verified by Orders API 2.1.0');
    expect(rowsOf(yes.text)).toEqual(['1.1.0 success']);
    const no = await ask('1.0.0');
    expect(no.text).toContain('data-deployable="no"');
    expect(no.text).toContain('verification by Orders API 2.1.0 failed: 2 interactions.');
    expect(no.text).toContain('href="' + `${broker.url}/matrix/provider/Orders%20API/consumer/Web%20Shop"`);
    const unknown = await ask('1.2.0');
    expect(unknown.text).toContain('data-deployable="unknown"');
    expect(unknown.text).toContain(
      'no verification of the pact of Web Shop 1.2.0 by the version of Orders API in production',
    );
    const missing = await ask('9.9.9');
    expect(missing.text).toContain('data-deployable="no"');
    expect(missing.text).toContain(
      'No pacts or verifications have been published for version 9.9.9 of Web Shop',
    );
    // can-i-merge: against the latest of each on its main branch
    const merge = await ask('1.2.0', '&mainBranch=true');
    expect(merge.text).toContain('Web Shop 1.2.0 can');
    expect(merge.text).toContain('merge');
    const form = await get('/can-i-deploy');
    expect(form.status).toBe(200);
    expect(form.text).toContain('<option value="production">production (production)</option>');
    // the API keeps its JSON
    const json = await get(
      '/can-i-deploy?pacticipant=Web+Shop&version=1.1.0&environment=production',
      'application/json',
    );
    expect(JSON.parse(json.text).summary.deployable).toBe(true);
    expect((await get(`/can-i-deploy?pacticipant=${e('Nobody')}&version=1`)).status).toBe(400);
  });
});

/** A pact of Web Shop and Orders API whose response is `response`. */
const diffPact = (response: Record<string, unknown>) => ({
  ...pactFor('get an order'),
  interactions: [
    {
      description: 'get an order',
      request: { method: 'GET', path: '/orders/1' },
      response: { status: 200, body: { id: 1 }, ...response },
    },
  ],
});

/** 1.0.0 and 1.1.0 have the same pact; 1.2.0 answers 201 with a new field. */
async function seedDiffs(call: Call) {
  for (const [version, response] of [
    ['1.0.0', {}],
    ['1.1.0', {}],
    ['1.2.0', { status: 201, body: { id: 1, state: 'new' } }],
  ] as const)
    await call(
      'PUT',
      `/pacts/provider/Orders%20API/consumer/Web%20Shop/version/${version}`,
      diffPact(response),
    );
}

describe.each(databaseKinds())('the pact diffs (%s)', (kind) => {
  let database: TestDatabase;
  let broker: RunningBroker;
  const call = api(() => broker);
  const get = async (path: string, accept: string) => {
    const response = await fetch(path.startsWith('http') ? path : `${broker.url}${path}`, {
      headers: { Accept: accept },
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };
  const PACT = '/pacts/provider/Orders%20API/consumer/Web%20Shop';
  const STATUS = '[may break the provider] response status changed from 200 to 201';
  const FIELD = '[may break the provider] response body field $.state added';

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    broker = await startBroker({ port: 0, database: database.location });
    await seedDiffs(call);
  }, 30_000);
  afterAll(async () => {
    await broker?.close();
    await database?.drop();
  }, 30_000);

  it('answers the text/plain diff resources, linked from the pact resource', async () => {
    const pact = await call('GET', `${PACT}/version/1.2.0`);
    const previous = await get(pact._links['pb:diff-previous-distinct'].href, '*/*');
    expect(previous.status).toBe(200);
    expect(previous.type).toBe('text/plain; charset=utf-8');
    expect(previous.text).toBe(`get an order\n  ${STATUS}\n  ${FIELD}\n`);
    const other = pact._links['pb:diff'].href.replace('{version}', '1.0.0');
    expect((await get(other, 'text/plain')).text).toBe(previous.text);
    // the first pact has no earlier one; 1.1.0's previous different pact is none (1.0.0 is the same)
    expect((await get(`${PACT}/version/1.0.0/diff/previous-distinct`, '*/*')).text).toBe('No changes.\n');
    expect((await get(`${PACT}/version/1.1.0/diff/previous-distinct`, '*/*')).text).toBe('No changes.\n');
    const missing = await get(`${PACT}/version/9.9.9/diff/previous-distinct`, 'application/json');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).error).toContain('consumer version 9.9.9');
  });

  it('shows the diff in plain words to a browser, each change marked', async () => {
    const page = await get(`${PACT}/version/1.2.0/diff/previous-distinct`, BROWSER_ACCEPT);
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('2 changes: 2 may break the provider, 0 relaxed.');
    expect(page.text).toContain(
      '<li class="change-breaks"><span class="mark">may break the provider</span> response status changed from 200 to 201</li>',
    );
    // the other way round, the new field's removal is relaxed
    const back = await get(`${PACT}/version/1.0.0/diff/version/1.2.0`, BROWSER_ACCEPT);
    expect(back.text).toContain(
      '<li class="change-relaxed"><span class="mark">relaxed</span> response body field $.state removed</li>',
    );
    const pact = await call('GET', `${PACT}/version/1.2.0`);
    const first = await call('GET', `${PACT}/version/1.0.0`);
    const bySha = await get(
      `${new URL(pact._links['pb:pact-version'].href).pathname}/diff/pact-version/${first._links['pb:pact-version'].name}`,
      BROWSER_ACCEPT,
    );
    expect(bySha.text).toContain('response status changed from 200 to 201');
    const missing = await get(`${PACT}/version/9.9.9/diff/previous-distinct`, BROWSER_ACCEPT);
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('<h1>Not found</h1>');
  });
});

describe('the verification result page', () => {
  let database: TestDatabase;
  let broker: RunningBroker;
  const call = api(() => broker);

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    broker = await startBroker({ port: 0, database: database.location });
  }, 30_000);
  afterAll(async () => {
    await broker?.close();
    await database?.drop();
  }, 30_000);

  it('shows pass, fail with mismatches, or unknown per interaction, from any verifier format', async () => {
    const pact = await call('PUT', '/pacts/provider/Orders%20API/consumer/Web%20Shop/version/1', {
      ...pactFor('get an order'),
      interactions: [
        { description: 'get an order', request: { method: 'GET', path: '/o/1' }, response: { status: 200 } },
        { description: 'list orders', request: { method: 'GET', path: '/o' }, response: { status: 200 } },
        {
          description: 'delete an order',
          request: { method: 'DELETE', path: '/o/1' },
          response: { status: 204 },
        },
      ],
    });
    const stored = await call('GET', new URL(pact._links.self.href).pathname);
    const [get, list] = stored.interactions as Array<{ _id: string }>;
    const publish = (testResults: unknown) =>
      call('POST', new URL(pact._links['pb:publish-verification-results'].href).pathname, {
        success: false,
        providerApplicationVersion: '2.0.0',
        testResults,
      });
    const page = async (verification: Awaited<ReturnType<typeof publish>>) => {
      const response = await fetch(verification._links.self.href, { headers: { Accept: BROWSER_ACCEPT } });
      expect(response.status).toBe(200);
      const text = await response.text();
      return [...text.matchAll(/<tr data-result="(\w+)"><td>([^<]+)<\/td>/g)].map((m) => `${m[2]}: ${m[1]}`);
    };
    // pact-reference / Covenant: by interaction id
    const reference = await publish([
      { interactionId: get!._id, success: true },
      {
        interactionId: list!._id,
        success: false,
        mismatches: [{ identifier: '$.id', description: 'Expected 1' }],
      },
    ]);
    expect(await page(reference)).toEqual([
      'get an order: passed',
      'list orders: failed',
      'delete an order: unknown',
    ]);
    const text = await (
      await fetch(reference._links.self.href, { headers: { Accept: BROWSER_ACCEPT } })
    ).text();
    expect(text).toContain('<li>$.id: Expected 1</li>');
    expect(text).toContain('1 passed, 1 failed, 1 unknown');
    // Ruby: tests[] by description
    const ruby = await publish({
      tests: [
        { interactionDescription: 'delete an order', status: 'failed', exception: { message: 'was 500' } },
      ],
    });
    expect(await page(ruby)).toEqual([
      'get an order: unknown',
      'list orders: unknown',
      'delete an order: failed',
    ]);
    // none at all
    expect(await page(await publish(undefined))).toEqual([
      'get an order: unknown',
      'list orders: unknown',
      'delete an order: unknown',
    ]);
    // the pact page shows each interaction's result in the latest verification
    await publish([
      { interactionId: get!._id, success: true },
      { interactionId: list!._id, success: false },
    ]);
    const pactPage = await (
      await fetch(pact._links.self.href, { headers: { Accept: BROWSER_ACCEPT } })
    ).text();
    expect(
      [...pactPage.matchAll(/<li><a href="#[^"]+">([^<]+)<\/a> <span class="result result-(\w+)"/g)].map(
        (m) => `${m[1]}: ${m[2]}`,
      ),
    ).toEqual(['get an order: passed', 'list orders: failed', 'delete an order: unknown']);
    // the API keeps its JSON; an unknown id is a browser's 404 page
    const json = await fetch(reference._links.self.href, { headers: { Accept: 'application/hal+json' } });
    expect(json.headers.get('content-type')).toMatch(/^application\/hal\+json/);
    const missing = await fetch(reference._links.self.href.replace(/\/\d+$/, '/999999'), {
      headers: { Accept: BROWSER_ACCEPT },
    });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('<h1>Not found</h1>');
  }, 30_000);
});

describe.skipIf(!haveChromium && !process.env.CI)('the matrix and can-i-deploy pages in a browser', () => {
  let database: TestDatabase;
  let broker: RunningBroker;
  let browser: Browser;
  const call = api(() => broker);

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    broker = await startBroker({ port: 0, database: database.location });
    await seed(call);
    await call('PUT', '/pacts/provider/Diff%20API/consumer/Diff%20App/version/1', {
      ...pactFor('get an order'),
      consumer: { name: 'Diff App' },
      provider: { name: 'Diff API' },
    });
    await call('PUT', '/pacts/provider/Diff%20API/consumer/Diff%20App/version/2', {
      ...diffPact({ status: 201, body: { id: 1, state: 'new' } }),
      consumer: { name: 'Diff App' },
      provider: { name: 'Diff API' },
    });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await broker?.close();
    await database?.drop();
  });

  const text = async (page: Page, selector: string) =>
    ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

  it('asks can-i-deploy with the form, explains the answer and leads to the matrix and the pact', async () => {
    const page = await browser.newPage();
    await page.goto(`${broker.url}/`);
    await page.getByRole('link', { name: 'Can I deploy?' }).click();
    await page.getByLabel('Pacticipant').fill('Web Shop');
    await page.getByLabel('Version').fill('1.0.0');
    await page.getByLabel('Environment').selectOption('production');
    await page.getByRole('button', { name: 'Can I deploy?' }).click();
    await page.waitForURL(/can-i-deploy\?pacticipant=Web\+Shop&version=1\.0\.0&environment=production$/);
    expect(await text(page, 'section.verdict h2')).toBe('No: Web Shop 1.0.0 cannot deploy to production.');
    expect(await text(page, 'ul.integration-answers li')).toContain(
      'verification by Orders API 2.1.0 failed: 2 interactions',
    );
    // the failed row is red
    const cell = page.locator('table.matrix td.status').first();
    const colour = await cell.evaluate(
      (el) =>
        (
          globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
        ).getComputedStyle(el).backgroundColor,
    );
    const [r, g] = (colour.match(/\d+/g) ?? []).map(Number) as [number, number];
    expect(r).toBeGreaterThan(g + 20);
    await page.getByRole('link', { name: 'Web Shop → Orders API' }).click();
    await page.waitForURL(/\/matrix\/provider\/Orders%20API\/consumer\/Web%20Shop$/);
    expect(await page.locator('table.matrix tbody tr').count()).toBe(3);
    await page.locator('tr[data-outcome="success"]').getByRole('link', { name: 'View pact' }).click();
    await page.waitForURL(/\/version\/1\.1\.0$/);
    expect(await text(page, 'h1')).toBe('Pact between Web Shop and Orders API');
    await page.close();
  }, 60_000);

  it('filters the general matrix with its form', async () => {
    const page = await browser.newPage();
    await page.goto(`${broker.url}/matrix`);
    await page.locator('#q0-pacticipant').fill('Web Shop');
    await page.locator('#q0-branch').fill('main');
    await page.getByRole('button', { name: 'Show the matrix' }).click();
    await page.waitForURL(/\/matrix\?/);
    expect(await page.locator('table.matrix tbody tr').count()).toBe(1);
    expect(await text(page, 'table.matrix tbody tr td:nth-child(2)')).toContain('1.1.0');
    await page.close();
  }, 60_000);

  it('leads from a pact to what changed in it', async () => {
    const page = await browser.newPage();
    await page.goto(`${broker.url}/pacts/provider/Diff%20API/consumer/Diff%20App/latest`);
    await page.getByRole('link', { name: 'what changed since the previous different pact' }).click();
    await page.waitForURL(/\/version\/2\/diff\/previous-distinct$/);
    const changes = page.locator('ul.changes li');
    expect(await changes.count()).toBe(2);
    expect(await text(page, 'ul.changes li')).toContain('may break the provider');
    await page.getByRole('link', { name: '1', exact: true }).click();
    await page.waitForURL(/\/version\/1$/);
    await page.close();
  }, 60_000);

  it('passes axe, fits a phone and has large enough tap targets', async () => {
    const matrix = await call('GET', '/matrix?q[][pacticipant]=Web%20Shop&q[][version]=1.0.0');
    expect(
      await checkPage(
        browser,
        matrix.matrix[0].verificationResult._links.self.href,
        'verification',
        ARTIFACTS,
      ),
    ).toEqual([]);
    expect(
      await checkPage(
        browser,
        `${broker.url}/pacts/provider/Diff%20API/consumer/Diff%20App/version/2/diff/previous-distinct`,
        'diff',
        ARTIFACTS,
      ),
    ).toEqual([]);
    expect(
      await checkPage(
        browser,
        `${broker.url}/matrix/provider/Orders%20API/consumer/Web%20Shop`,
        'matrix',
        ARTIFACTS,
      ),
    ).toEqual([]);
    expect(
      await checkPage(
        browser,
        `${broker.url}/matrix?q[][pacticipant]=Web+Shop`,
        'matrix-filtered',
        ARTIFACTS,
      ),
    ).toEqual([]);
    expect(
      await checkPage(
        browser,
        `${broker.url}/can-i-deploy?pacticipant=Web+Shop&version=1.0.0&environment=production`,
        'can-i-deploy',
        ARTIFACTS,
      ),
    ).toEqual([]);
  }, 120_000);
});
