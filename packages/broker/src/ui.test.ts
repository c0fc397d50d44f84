import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caller, createTestDatabase, databaseKinds, type TestDatabase } from '@covenant/test-support';
import { CHROMIUM, checkPage, haveChromium, launchChromium } from '@covenant/test-support/pages';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from './server.js';
import { prefersHtml } from './ui/negotiate.js';

/** The text of an element, white space collapsed. */
const shown = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

const BROWSER_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const e = encodeURIComponent;
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-artifacts');

/** Talks to the broker's API the way a client does: the JSON of a success, or an error. */
function api(broker: () => RunningBroker) {
  const call = caller(() => broker().url);
  return async (method: string, path: string, body?: unknown) => {
    const answer = await call(method, path, body);
    if (answer.status >= 400) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.json ?? {};
  };
}

/** Publishes a pact and (optionally) a verification of it; returns the pact's HAL body. */
async function publish(
  call: ReturnType<typeof api>,
  consumer: string,
  provider: string,
  version: string,
  pact: Record<string, unknown>,
  verification?: { success: boolean; providerVersion: string },
) {
  const published = await call(
    'PUT',
    `/pacts/provider/${e(provider)}/consumer/${e(consumer)}/version/${e(version)}`,
    { consumer: { name: consumer }, provider: { name: provider }, ...pact },
  );
  if (verification) {
    await call('POST', new URL(published._links['pb:publish-verification-results'].href).pathname, {
      success: verification.success,
      providerApplicationVersion: verification.providerVersion,
    });
  }
  return published;
}

const httpPact = (description: string, path = '/orders/1') => ({
  interactions: [
    {
      description,
      providerState: 'an order exists',
      request: { method: 'GET', path },
      response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: { id: 1 } },
    },
  ],
  metadata: { pactSpecification: { version: '2.0.0' } },
});

describe('which requests get HTML', () => {
  it('prefers HTML only when text/html is asked for explicitly and more than any API type', () => {
    expect(prefersHtml(BROWSER_ACCEPT)).toBe(true);
    expect(prefersHtml('text/html')).toBe(true);
    expect(prefersHtml('application/hal+json;q=0.5, text/html')).toBe(true);
    expect(prefersHtml(undefined)).toBe(false);
    expect(prefersHtml('')).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml('application/hal+json')).toBe(false);
    expect(prefersHtml('application/json')).toBe(false);
    expect(prefersHtml('application/hal+json, application/json, */*; q=0.01')).toBe(false);
    // the reference broker sends Accept: text/html + json to its HAL browser, i.e. the API
    expect(prefersHtml('text/html, application/hal+json')).toBe(false);
    expect(prefersHtml('text/html;q=0')).toBe(false);
    expect(prefersHtml('application/vnd.pactbrokerextended.v1+json, text/html;q=0.9')).toBe(false);
  });
});

describe.each(databaseKinds())('the UI over HTTP (%s)', (kind) => {
  let database: TestDatabase;
  let broker: RunningBroker;
  const call = api(() => broker);
  const page = async (path: string, accept = BROWSER_ACCEPT) => {
    const response = await fetch(`${broker.url}${path}`, { headers: accept ? { Accept: accept } : {} });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    broker = await startBroker({ port: 0, database: database.location, seedExampleData: true });
  });
  afterAll(async () => {
    await broker?.close();
    await database?.drop();
  });

  it('serves HTML to browsers and the unchanged HAL JSON to every other client, on the same URLs', async () => {
    const urls = [
      '/',
      '/pacts/provider/Example%20API/consumer/Example%20App/latest',
      '/pacts/provider/Example%20API/consumer/Example%20App/version/e3b0c44',
      '/pacts/provider/Example%20API/consumer/Example%20App/latest/prod',
      '/pacts/provider/Example%20API/consumer/Example%20App/branch/main/latest',
      '/pacticipants/Example%20App',
    ];
    const pact = await call('GET', urls[1]!);
    urls.push(new URL(pact._links['pb:pact-version'].href).pathname);
    for (const url of urls) {
      const browser = await page(url);
      expect(browser.status, url).toBe(200);
      expect(browser.headers.get('content-type'), url).toBe('text/html; charset=utf-8');
      expect(browser.headers.get('vary'), url).toContain('Accept');
      expect(browser.headers.get('content-security-policy'), url).toContain("default-src 'none'");
      expect(browser.text, url).toMatch(/^<!doctype html>/);
      expect(browser.text, url).toContain(`<a class="brand" href="${broker.url}/">`);
      for (const accept of ['', '*/*', 'application/hal+json', 'application/json']) {
        const client = await page(url, accept);
        expect(client.status, `${url} ${accept}`).toBe(200);
        expect(client.headers.get('content-type'), `${url} ${accept}`).toMatch(/^application\/hal\+json/);
        JSON.parse(client.text);
      }
    }
    // HEAD as well; pages the UI does not have stay JSON even for browsers
    const head = await fetch(`${broker.url}/`, { method: 'HEAD', headers: { Accept: BROWSER_ACCEPT } });
    expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await page('/pacticipants')).headers.get('content-type')).toMatch(/^application\/hal\+json/);
    // writes are untouched by a browser-like Accept
    const put = await fetch(`${broker.url}/pacticipants/Another`, {
      method: 'PUT',
      headers: { Accept: BROWSER_ACCEPT, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(put.status).toBe(201);
    expect(put.headers.get('content-type')).toMatch(/^application\/hal\+json/);
    await call('DELETE', '/pacticipants/Another');
  });

  it('answers unknown names with an HTML 404 for browsers and the usual JSON error for clients', async () => {
    for (const url of [
      '/pacticipants/Nobody',
      '/pacts/provider/Nobody/consumer/Example%20App/latest',
      '/pacts/provider/Example%20API/consumer/Example%20App/version/no-such-version',
      '/pacts/provider/Example%20API/consumer/Example%20App/pact-version/0000',
      '/pacts/provider/Example%20API/consumer/Example%20App/latest/no-such-tag',
    ]) {
      const browser = await page(url);
      expect(browser.status, url).toBe(404);
      expect(browser.headers.get('content-type'), url).toBe('text/html; charset=utf-8');
      expect(browser.text, url).toContain('<h1>Not found</h1>');
      const client = await page(url, 'application/hal+json');
      expect(client.status, url).toBe(404);
      expect(JSON.parse(client.text).error, url).toBeTypeOf('string');
    }
  });

  it('escapes every piece of user data', async () => {
    const evil = `<script>alert("x")</script>'&`;
    await publish(call, `App ${evil}`, `Api ${evil}`, `1 ${evil}`, {
      interactions: [
        {
          description: `a request <img src=x onerror=alert(1)>`,
          providerStates: [{ name: `state ${evil}`, params: { [`key ${evil}`]: evil } }],
          request: {
            method: 'POST',
            path: `/things/${evil}`,
            query: { [`q${evil}`]: [evil] },
            headers: { 'X-Evil': evil },
            body: { text: `</pre></code>${evil}` },
          },
          response: { status: 200, headers: { 'Content-Type': 'text/plain' }, body: `</pre>${evil}` },
        },
      ],
      metadata: { pactSpecification: { version: '3.0.0' } },
    });
    await call('PUT', `/pacticipants/${e(`App ${evil}`)}/versions/${e(`1 ${evil}`)}/tags/${e(`t${evil}`)}`);
    await call('PATCH', `/pacticipants/${e(`App ${evil}`)}`, {
      repositoryUrl: 'javascript:alert(1)',
      mainBranch: evil,
    });
    const pages = [
      await page('/'),
      await page(`/pacts/provider/${e(`Api ${evil}`)}/consumer/${e(`App ${evil}`)}/latest`),
      await page(`/pacticipants/${e(`App ${evil}`)}`),
    ];
    for (const { status, text } of pages) {
      expect(status).toBe(200);
      expect(text).not.toContain('<script>');
      expect(text).not.toContain('<img');
      expect(text).not.toContain('</pre></code>&lt;');
      expect(text).not.toContain('href="javascript:');
      expect(text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;');
    }
    const pact = pages[1]!.text;
    expect(pact).toContain('a request &lt;img src=x onerror=alert(1)&gt;');
    expect(pact).toContain('&lt;/pre&gt;&lt;/code&gt;&lt;script&gt;');
    expect(pages[2]!.text).toContain('javascript:alert(1)'); // shown as text, not linked
    await call('DELETE', `/pacticipants/${e(`App ${evil}`)}`);
    await call('DELETE', `/pacticipants/${e(`Api ${evil}`)}`);
  });

  it('shows each integration with its latest pact, verification status, branches and tags', async () => {
    // verified, then a new pact not yet verified: stale; another never verified; another failed
    await publish(call, 'Stale Consumer', 'Stale Provider', '1', httpPact('old'), {
      success: true,
      providerVersion: 'p1',
    });
    await publish(call, 'Stale Consumer', 'Stale Provider', '2', httpPact('new'));
    await publish(call, 'Lonely Consumer', 'Stale Provider', 'a', httpPact('never'));
    await publish(call, 'Failing Consumer', 'Stale Provider', 'x', httpPact('bad'), {
      success: false,
      providerVersion: 'p2',
    });
    await call('PUT', '/pacticipants/Failing%20Consumer/branches/feat%2Fone/versions/x');
    await call('PUT', '/pacticipants/Failing%20Consumer/versions/x/tags/beta');
    const { text } = await page('/');
    const row = (consumer: string) => {
      const start = text.indexOf(`<tr data-consumer="${consumer}"`);
      expect(start, consumer).toBeGreaterThan(-1);
      return text.slice(start, text.indexOf('</tr>', start));
    };
    expect(row('Example App')).toContain('data-status="success"');
    expect(row('Example App')).toContain('class="status status-success"');
    expect(row('Stale Consumer')).toContain('data-status="stale"');
    expect(row('Stale Consumer')).toContain('<code>2</code>');
    expect(row('Lonely Consumer')).toContain('data-status="never"');
    expect(row('Failing Consumer')).toContain('data-status="failed"');
    expect(row('Failing Consumer')).toContain('feat/one</span>');
    expect(row('Failing Consumer')).toContain('beta</span>');
    expect(row('Failing Consumer')).toContain(
      `href="${broker.url}/pacts/provider/Stale%20Provider/consumer/Failing%20Consumer/latest"`,
    );
    // relative time with the exact time on hover
    expect(row('Example App')).toMatch(
      /<time datetime="[^"]+" title="\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC">less than a minute ago<\/time>/,
    );
    // the provider's page lists the same integrations
    const provider = await page('/pacticipants/Stale%20Provider');
    expect(provider.text).toContain('data-consumer="Failing Consumer"');
    expect(provider.text).not.toContain('data-consumer="Example App"');
  });

  it('renders messages, V4 interactions and matching rules', async () => {
    await publish(call, 'Queue Reader', 'Queue Writer', '1', {
      messages: [
        {
          description: 'an order created event',
          providerStates: [{ name: 'an order was placed', params: { id: 7 } }],
          contents: { orderId: 7, total: 12.5 },
          metadata: { contentType: 'application/json', topic: 'orders' },
          matchingRules: { body: { '$.orderId': { matchers: [{ match: 'integer' }] } } },
        },
      ],
      metadata: { pactSpecification: { version: '3.0.0' } },
    });
    const messages = (await page('/pacts/provider/Queue%20Writer/consumer/Queue%20Reader/latest')).text;
    expect(messages).toContain('Messages (1)');
    expect(messages).toContain('Queue Writer will send <strong>an order created event</strong>');
    expect(messages).toContain('&quot;orderId&quot;: 7');
    expect(messages).toContain('<code>topic</code></td><td><code>orders</code>');
    expect(messages).toContain('<code>$.orderId</code></td><td>any integer</td>');
    expect(messages).toContain('<code>id</code></td><td><code>7</code>');

    await publish(call, 'V4 Consumer', 'V4 Provider', '1', {
      interactions: [
        {
          type: 'Synchronous/HTTP',
          description: 'a search',
          request: {
            method: 'GET',
            path: '/search',
            query: { q: ['cats', 'dogs'] },
            matchingRules: {
              query: { q: { combine: 'AND', matchers: [{ match: 'regex', regex: '\\w+' }] } },
            },
          },
          response: {
            status: 200,
            body: { content: 'plain words', contentType: 'text/plain', encoded: false },
          },
        },
        {
          type: 'Asynchronous/Messages',
          description: 'a search happened',
          contents: { content: { q: 'cats' }, contentType: 'application/json', encoded: false },
          metadata: {},
        },
      ],
      metadata: { pactSpecification: { version: '4.0' } },
    });
    const v4 = (await page('/pacts/provider/V4%20Provider/consumer/V4%20Consumer/latest')).text;
    expect(v4).toContain('Interactions (2)');
    expect(v4).toContain('<code>q</code></td><td><code>cats</code>');
    expect(v4).toContain('<code>q</code></td><td><code>dogs</code>');
    expect(v4).toContain('matches the regular expression /\\w+/');
    expect(v4).toContain('<pre><code>plain words</code></pre>');
    expect(v4).toContain('href="#a_search"');
    expect(v4).toContain('id="a_search_happened"');
  });

  it('lists a pacticipant’s versions newest first, 100 a page, with branches, tags and environments', async () => {
    await call('PUT', '/pacticipants/Busy', {
      repositoryUrl: 'https://git.example/busy.git',
      mainBranch: 'trunk',
    });
    await call('PUT', '/pacticipants/Busy/labels/team-a');
    for (let n = 1; n <= 103; n++) await call('PUT', `/pacticipants/Busy/versions/v${n}`, {});
    await call('PUT', '/pacticipants/Busy/branches/trunk/versions/v103');
    await call('PUT', '/pacticipants/Busy/versions/v103/tags/stable');
    const environment = await call('POST', '/environments', { name: 'staging', production: false });
    await call(
      'POST',
      `/pacticipants/Busy/versions/v103/deployed-versions/environment/${environment.uuid}`,
      {},
    );
    await call(
      'POST',
      `/pacticipants/Busy/versions/v102/released-versions/environment/${environment.uuid}`,
      {},
    );

    const first = (await page('/pacticipants/Busy')).text;
    expect(first).toContain('<h1>Busy</h1>');
    expect(first).toContain('<a href="https://git.example/busy.git" rel="noopener noreferrer">');
    expect(first).toContain('team-a</span>');
    expect(first).toContain('trunk</span>');
    expect(first).toContain('Versions <span class="muted">(103)</span>');
    const versions = (text: string) => [...text.matchAll(/<tr>\n<td><code>(v\d+)<\/code>/g)].map((m) => m[1]);
    expect(versions(first)).toHaveLength(100);
    expect(versions(first)[0]).toBe('v103');
    expect(versions(first)[99]).toBe('v4');
    const newest = first.slice(first.indexOf('<code>v103</code>'), first.indexOf('<code>v102</code>'));
    expect(newest).toContain('trunk</span>');
    expect(newest).toContain('stable</span>');
    expect(newest).toContain('staging</span>');
    const released = first.slice(first.indexOf('<code>v102</code>'), first.indexOf('<code>v101</code>'));
    expect(released).toContain('staging (released)</span>');
    expect(first).toContain(`<a rel="next" href="${broker.url}/pacticipants/Busy?page=2">`);

    const second = (await page('/pacticipants/Busy?page=2')).text;
    expect(versions(second)).toEqual(['v3', 'v2', 'v1']);
    expect(second).toContain(`<a rel="prev" href="${broker.url}/pacticipants/Busy">`);
    expect(second).not.toContain('rel="next"');
    // 108 writes one after another: seconds on PostgreSQL when the machine is busy
  }, 30_000);

  it('asks a browser for basic-auth credentials, and not an API client', async () => {
    const securedDatabase = await createTestDatabase('sqlite');
    const secured = await startBroker({
      port: 0,
      database: securedDatabase.location,
      auth: { readWrite: { username: 'u', password: 'p' } },
    });
    try {
      const browser = await fetch(`${secured.url}/`, { headers: { Accept: BROWSER_ACCEPT } });
      expect(browser.status).toBe(401);
      expect(browser.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      const client = await fetch(`${secured.url}/`);
      expect(client.status).toBe(401);
      expect(client.headers.get('www-authenticate')).toBeNull();
      const signedIn = await fetch(`${secured.url}/`, {
        headers: { Accept: BROWSER_ACCEPT, Authorization: `Basic ${Buffer.from('u:p').toString('base64')}` },
      });
      expect(signedIn.status).toBe(200);
      expect(signedIn.headers.get('content-type')).toBe('text/html; charset=utf-8');
    } finally {
      await secured.close();
      await securedDatabase.drop();
    }
  });
});

if (!haveChromium && !process.env.CI)
  console.warn(`Skipping the UI browser test: no Chromium at ${CHROMIUM} (apt-get install chromium).`);

// under CI a missing browser fails the test rather than skipping it
describe.skipIf(!haveChromium && !process.env.CI)('the UI in a browser', () => {
  let database: TestDatabase;
  let broker: RunningBroker;
  let browser: Browser;
  const call = api(() => broker);

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}: install it`);
    database = await createTestDatabase('sqlite');
    broker = await startBroker({ port: 0, database: database.location, seedExampleData: true });
    await publish(call, 'Web Shop', 'Orders API', '1.0.0', httpPact('a request for an order'), {
      success: false,
      providerVersion: '2.0.0',
    });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await broker?.close();
    await database?.drop();
  });

  it('shows the integrations coloured by verification, and leads from the index to an interaction', async () => {
    const page = await browser.newPage({ colorScheme: 'light' });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    const response = await page.goto(`${broker.url}/`);
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
    expect(await page.title()).toBe('Integrations · Pact Broker');

    const rows = page.locator('table.integrations tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const example = rows.filter({ hasText: 'Example App' });
    const failing = rows.filter({ hasText: 'Web Shop' });
    expect(await shown(example.locator('td').nth(1))).toBe('Example API');
    expect(await shown(failing.locator('td').nth(1))).toBe('Orders API');

    // what a person sees: the colour of the status cells
    const colour = async (row: typeof example) => {
      const cell = row.locator('td.status');
      // runs in the page (the tests' TypeScript has no DOM types)
      const css = await cell.evaluate(
        (el) =>
          (
            globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
          ).getComputedStyle(el).backgroundColor,
      );
      const [r, g, b] = (css.match(/\d+/g) ?? []).map(Number) as [number, number, number];
      return { r, g, b, text: await shown(cell) };
    };
    const failed = await colour(failing);
    expect(failed.text).toMatch(/^Failed/);
    expect(failed.r).toBeGreaterThan(failed.g + 20);
    expect(failed.r).toBeGreaterThan(failed.b + 20);
    const passed = await colour(example);
    expect(passed.text).toMatch(/^Verified/);
    expect(passed.g).toBeGreaterThan(passed.r + 20);
    expect(passed.g).toBeGreaterThan(passed.b + 10);
    // relative time, exact time on hover
    const published = example.locator('td').nth(3).locator('time');
    expect(await shown(published)).toMatch(/ago$/);
    expect(await published.getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);

    // index → the latest pact
    await example.getByRole('link', { name: 'View pact' }).click();
    await page.waitForURL(/\/pacts\/provider\/Example%20API\/consumer\/Example%20App\/latest$/);
    expect(await shown(page.locator('h1'))).toBe('Pact between Example App and Example API');

    // the table of contents → one interaction
    await page
      .locator('nav.toc')
      .getByRole('link', { name: 'a request for an alligator', exact: true })
      .click();
    await page.waitForURL(/#a_request_for_an_alligator_given_there_is_an_alligator_named_mary$/);
    const interaction = page.locator('article.interaction:target');
    expect(await interaction.count()).toBe(1);
    expect(await shown(interaction.locator('h3'))).toBe('a request for an alligator');
    expect(await shown(interaction)).toContain('there is an alligator named Mary');
    const request = interaction.getByRole('region', { name: 'Request' });
    expect(await shown(request.locator('.method'))).toBe('GET');
    expect(await shown(request.locator('code.path'))).toBe('/alligators/Mary');
    expect(await shown(request)).toContain('Accept');
    const reply = interaction.getByRole('region', { name: 'Response' });
    expect(await shown(reply.locator('.status-code'))).toBe('200');
    expect(await shown(reply.locator('pre'))).toContain('"name": "Mary"');
    expect(await shown(reply)).toContain('a date in the format yyyy-MM-dd');
    expect(await interaction.isVisible()).toBe(true);

    // the header leads back to the index
    await page.getByRole('link', { name: 'Pact Broker' }).click();
    await page.waitForURL(`${broker.url}/`);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('passes axe, fits a phone and has large enough tap targets: the index and a pact', async () => {
    for (const [path, name] of [
      ['/', 'index'],
      ['/pacts/provider/Orders%20API/consumer/Web%20Shop/latest', 'pact'],
    ] as const)
      expect(await checkPage(browser, `${broker.url}${path}`, name, ARTIFACTS)).toEqual([]);
  }, 180_000);
});
