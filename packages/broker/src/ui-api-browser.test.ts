import { readdirSync, readFileSync } from 'node:fs';
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
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from './server.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = join(HERE, '..', 'test-artifacts');
const WRITER = { username: 'writer', password: 'writer-secret' };
const READER = { username: 'reader', password: 'reader-secret' };
const basic = ({ username, password }: { username: string; password: string }) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/**
 * Web Shop 1.0.0 (branch main, tag prod) → Orders API, verified by Orders API 2.0.0 with test
 * results; Orders API 2.0.0 deployed to production; a label and a webhook: enough for every kind
 * of resource to have something to show.
 */
async function seed(call: Call) {
  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await call(method, path, body);
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
    return answer.json;
  };
  const pact = {
    consumer: { name: 'Web Shop' },
    provider: { name: 'Orders API' },
    interactions: [
      {
        description: 'get an order',
        request: { method: 'GET', path: '/orders/1' },
        response: { status: 200 },
      },
    ],
    metadata: { pactSpecification: { version: '2.0.0' } },
  };
  await ok('POST', '/contracts/publish', {
    pacticipantName: 'Web Shop',
    pacticipantVersionNumber: '1.0.0',
    branch: 'main',
    tags: ['prod'],
    contracts: [
      {
        consumerName: 'Web Shop',
        providerName: 'Orders API',
        specification: 'pact',
        contentType: 'application/json',
        content: Buffer.from(JSON.stringify(pact)).toString('base64'),
      },
    ],
  });
  const published = await ok('GET', '/pacts/provider/Orders%20API/consumer/Web%20Shop/latest');
  await ok('POST', new URL(published._links['pb:publish-verification-results'].href).pathname, {
    success: true,
    providerApplicationVersion: '2.0.0',
    testResults: [{ interactionDescription: 'get an order', success: true }],
  });
  const production = await ok('POST', '/environments', { name: 'production', production: true });
  await ok(
    'POST',
    `/pacticipants/Orders%20API/versions/2.0.0/deployed-versions/environment/${production.uuid}`,
    {},
  );
  await ok('PUT', '/pacticipants/Web%20Shop/labels/team-a');
  await ok('POST', '/webhooks', {
    description: 'tell CI',
    events: [{ name: 'contract_content_changed' }],
    request: { method: 'POST', url: 'https://ci.example/hooks' },
    provider: { name: 'Orders API' },
  });
  return { environment: production.uuid as string };
}

/** Every link relation in a HAL resource, its embedded resources included. */
function relationsIn(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const item of value) relationsIn(item, into);
  else if (value !== null && typeof value === 'object') {
    const { _links: links, ...rest } = value as Record<string, unknown>;
    if (links && typeof links === 'object') for (const rel of Object.keys(links)) into.add(rel);
    for (const child of Object.values(rest)) relationsIn(child, into);
  }
}

/** Every link target in a HAL resource (templated ones expanded with the seed's names). */
function targetsIn(value: unknown, into: string[], variables: Record<string, string>): void {
  if (Array.isArray(value)) for (const item of value) targetsIn(item, into, variables);
  else if (value !== null && typeof value === 'object') {
    const { _links: links, ...rest } = value as Record<string, unknown>;
    if (links && typeof links === 'object')
      for (const [rel, link] of Object.entries(links as Record<string, unknown>))
        for (const one of [link].flat() as Array<{ href?: string; templated?: boolean }>)
          if (rel !== 'curies' && typeof one?.href === 'string')
            into.push(
              one.templated
                ? one.href.replace(/\{([^{}]+)\}/g, (_m, name: string) =>
                    encodeURIComponent(variables[name] ?? 'x'),
                  )
                : one.href,
            );
    for (const child of Object.values(rest)) targetsIn(child, into, variables);
  }
}

/** The `pb:`/`beta:` relations the broker's source names, so that one no walk reaches is checked too. */
function relationsInSource(): Set<string> {
  const found = new Set<string>();
  for (const folder of ['routes', join('routes', 'schemas')])
    for (const file of readdirSync(join(HERE, folder)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    ))
      for (const match of readFileSync(join(HERE, folder, file), 'utf8').matchAll(
        /['"`]((?:pb|beta):[a-z0-9-]+)/g,
      ))
        found.add(match[1]!);
  return found;
}

describe.each(databaseKinds())('the API browser and the relation docs (%s)', (kind) => {
  let database: TestDatabase;
  let broker: RunningBroker;
  let environment: string;
  const call = caller(() => broker.url);
  const page = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${broker.url}${path}`, {
      headers: { accept: BROWSER_ACCEPT, ...headers },
      redirect: 'manual',
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      location: response.headers.get('location'),
      text: await response.text(),
    };
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    broker = await startBroker({ port: 0, database: database.location });
    ({ environment } = await seed(call));
  }, 60_000);
  afterAll(async () => {
    await broker?.close();
    await database?.drop();
  }, 30_000);

  it('shows the index with its links followable, each followed link a page of its own', async () => {
    const index = await page('/hal-browser');
    expect(index.status).toBe(200);
    expect(index.type).toBe('text/html; charset=utf-8');
    expect(index.text).toContain('<tr data-rel="pb:pacticipants">');
    expect(index.text).toContain(`<a class="rel-doc" href="${broker.url}/doc/pacticipants"`);
    const follows = [...index.text.matchAll(/<a class="follow" href="([^"]+)">/g)].map((m) =>
      m[1]!.replace(/&amp;/g, '&'),
    );
    expect(follows).toContain(`${broker.url}/hal-browser?url=%2Fpacticipants`);
    for (const href of follows) {
      const followed = await fetch(href, { headers: { accept: BROWSER_ACCEPT } });
      expect(followed.status, href).toBe(200);
      expect(await followed.text(), href).toContain('<h1>API browser</h1>');
    }
    // a page on an API resource's URL opens that resource in the browser; a page of its own, the index
    expect((await page('/pacticipants/Web%20Shop')).text).toContain(
      `<a href="${broker.url}/hal-browser?url=%2Fpacticipants%2FWeb%2520Shop" title="This URL's API resource in the API browser">API browser</a>`,
    );
    expect((await page('/network')).text).toContain(`<a href="${broker.url}/hal-browser">API browser</a>`);
    // a collection's embedded items, with their properties and links
    const pacticipants = await page('/hal-browser?url=%2Fpacticipants');
    expect(pacticipants.text).toContain('<h3><code>pacticipants</code> <span class="muted">(2)</span></h3>');
    expect(pacticipants.text).toContain('&quot;name&quot;: &quot;Web Shop&quot;');
    expect(pacticipants.text).toContain(
      `href="${broker.url}/hal-browser?url=%2Fpacticipants%2FWeb%2520Shop"`,
    );
  });

  it('turns a templated link into a GET form that leads to the expanded resource', async () => {
    const index = await page('/hal-browser');
    const form = index.text.match(
      /<tr data-rel="pb:pacticipant">[\s\S]*?<input type="hidden" name="template" value="([^"]+)">[\s\S]*?<\/form>/,
    );
    expect(form?.[0]).toContain('<input type="text" name="var-pacticipant" required>');
    const template = form![1]!;
    expect(template).toBe(`${broker.url}/pacticipants/{pacticipant}`);
    const submitted = await page(
      `/hal-browser?template=${encodeURIComponent(template)}&var-pacticipant=${encodeURIComponent('Web Shop')}`,
    );
    expect(submitted.status).toBe(303);
    expect(submitted.location).toBe(`${broker.url}/hal-browser?url=%2Fpacticipants%2FWeb%2520Shop`);
    const shown = await page(new URL(submitted.location!).pathname + new URL(submitted.location!).search);
    expect(shown.text).toContain('<code>GET /pacticipants/Web%20Shop</code>');
    expect(shown.text).toContain('&quot;displayName&quot;: &quot;Web Shop&quot;');
    // the can-i-deploy template has its variables in the query
    const canIDeploy = await page(
      `/hal-browser?template=${encodeURIComponent(`${broker.url}/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}`)}&var-pacticipant=Web+Shop&var-version=1.0.0&var-environment=production`,
    );
    expect(canIDeploy.location).toBe(
      `${broker.url}/hal-browser?url=${encodeURIComponent('/can-i-deploy?pacticipant=Web%20Shop&version=1.0.0&environment=production')}`,
    );
  });

  it('shows what a resource that is not HAL answers, and refuses a URL off the broker', async () => {
    const missing = await page('/hal-browser?url=%2Fpacticipants%2FNobody');
    expect(missing.status).toBe(200);
    expect(missing.text).toContain('HTTP 404');
    expect(missing.text).toContain('COV_BROKER_NOT_FOUND');
    const csv = await page('/hal-browser?url=%2Frelationships');
    expect(csv.text).toMatch(/<code>text\/csv[^<]*<\/code>/);
    expect(csv.text).toContain('Web Shop');
    for (const url of [
      'https://elsewhere.example/',
      '//elsewhere.example/x',
      'pacticipants',
      '/hal-browser?url=%2F',
      `${broker.url}/hal-browser`,
    ]) {
      const refused = await page(`/hal-browser?url=${encodeURIComponent(url)}`, {
        accept: 'application/json',
      });
      expect(refused.status, url).toBe(400);
      expect(refused.text).toContain('COV_BROKER_REQUEST_INVALID');
    }
    const offTemplate = await page(
      `/hal-browser?template=${encodeURIComponent('https://elsewhere.example/{x}')}`,
    );
    expect(offTemplate.status).toBe(400);
  });

  it('gives every relation the broker emits a /doc page, as HTML and as text', async () => {
    const variables: Record<string, string> = {
      pacticipant: 'Web Shop',
      consumer: 'Web Shop',
      provider: 'Orders API',
      version: '1.0.0',
      consumerVersion: '1.0.0',
      consumerApplicationVersion: '1.0.0',
      providerVersion: '2.0.0',
      tag: 'prod',
      branch: 'main',
      environment: environment,
      uuid: environment,
      label: 'team-a',
    };
    // walk the broker from its index: every link target (templates filled in) read once
    const emitted = new Set<string>();
    const seen = new Set<string>();
    const queue = [`${broker.url}/`];
    while (queue.length > 0 && seen.size < 400) {
      const url = queue.shift()!;
      if (seen.has(url) || !url.startsWith(broker.url)) continue;
      seen.add(url);
      const answer = await call('GET', url);
      if (!answer.json) continue;
      relationsIn(answer.json, emitted);
      const targets: string[] = [];
      targetsIn(answer.json, targets, variables);
      queue.push(...targets.filter((t) => !seen.has(t)));
    }
    expect(seen.size).toBeGreaterThan(50);
    // the walk met the resources of every family
    for (const rel of [
      'pb:publish-verification-results',
      'pb:record-deployment',
      'pb:diff-previous-distinct',
    ])
      expect(emitted, rel).toContain(rel);
    const curied = [...new Set([...emitted, ...relationsInSource()])].filter((rel) =>
      /^(pb|beta):/.test(rel),
    );
    expect(curied.length).toBeGreaterThan(60);

    const index = await call('GET', '/');
    const curies = index.json._links.curies as Array<{ name: string; href: string }>;
    expect(curies.map((c) => c.name).sort()).toEqual(['beta', 'pb']);
    const undocumented: string[] = [];
    for (const rel of curied) {
      const [prefix, name] = rel.split(':') as [string, string];
      const href = curies.find((c) => c.name === prefix)!.href.replace('{rel}', encodeURIComponent(name));
      const asPage = await fetch(href, { headers: { accept: BROWSER_ACCEPT } });
      const text = await asPage.text();
      const asText = await fetch(href, { headers: { accept: 'text/plain' } });
      const markdown = await asText.text();
      if (
        asPage.status !== 200 ||
        !text.includes(`<h1><code>pb:${name}</code> — `) ||
        asText.status !== 200 ||
        !asText.headers.get('content-type')?.startsWith('text/plain') ||
        !markdown.startsWith(`# pb:${name} — `) ||
        !markdown.includes('Allowed methods: ')
      )
        undocumented.push(`${rel}: ${asPage.status} ${asText.status}`);
    }
    expect(undocumented).toEqual([]);
  }, 120_000);

  it('lists every relation at /doc, and says when a relation has no page', async () => {
    const list = await page('/doc');
    expect(list.status).toBe(200);
    expect(list.text).toContain(`<a href="${broker.url}/doc/pacticipant">pb:pacticipant</a>`);
    const text = await call('GET', '/doc', undefined, { accept: 'text/plain' });
    expect(text.text).toContain(`- pb:pacticipant: Pacticipant (${broker.url}/doc/pacticipant)`);
    const unknown = await page('/doc/no-such-relation');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('no documentation for the relation no-such-relation');
    const asJson = await call('GET', '/doc/no-such-relation');
    expect(asJson.status).toBe(404);
  });
});

describe('the API browser behind basic auth', () => {
  let database: TestDatabase;
  let broker: RunningBroker;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    broker = await startBroker({
      port: 0,
      database: database.location,
      auth: { readWrite: WRITER, readOnly: READER },
    });
    const created = await caller(() => broker.url, { headers: { authorization: basic(WRITER) } })(
      'POST',
      '/pacticipants',
      { name: 'Secret Service' },
    );
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await broker?.close();
    await database?.drop();
  });

  it('reads each resource with the caller’s own credentials', async () => {
    const anonymous = await fetch(`${broker.url}/hal-browser?url=%2Fpacticipants`, {
      headers: { accept: BROWSER_ACCEPT },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic');
    const reader = await fetch(`${broker.url}/hal-browser?url=%2Fpacticipants`, {
      headers: { accept: BROWSER_ACCEPT, authorization: basic(READER) },
    });
    expect(reader.status).toBe(200);
    const text = await reader.text();
    expect(text).toContain('HTTP 200');
    expect(text).toContain('Secret Service');
  });
});

describe.skipIf(!haveChromium && !process.env.CI)('the API browser and relation docs in a browser', () => {
  let database: TestDatabase;
  let broker: RunningBroker;
  let browser: Browser;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    broker = await startBroker({ port: 0, database: database.location });
    await seed(caller(() => broker.url));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await broker?.close();
    await database?.drop();
  });

  it('follows links, fills a template form and opens a relation’s documentation', async () => {
    const tab = await browser.newPage();
    await tab.goto(`${broker.url}/`);
    await tab.getByRole('link', { name: 'API browser' }).click();
    // the index is itself a resource: the header link opens it
    await tab.waitForURL(`${broker.url}/hal-browser?url=%2F`);
    await tab.locator('tr[data-rel="pb:pacticipants"] a.follow').click();
    await tab.waitForURL(/url=%2Fpacticipants$/);
    expect(await tab.locator('h3').first().textContent()).toContain('pacticipants');
    await tab.goBack();
    const form = tab.locator('tr[data-rel="pb:pacticipant"] form');
    await form.getByLabel('pacticipant').fill('Orders API');
    await form.getByRole('button').click();
    await tab.waitForURL(`${broker.url}/hal-browser?url=%2Fpacticipants%2FOrders%2520API`);
    expect(await tab.locator('dl#answer').textContent()).toContain('HTTP 200');
    await tab.locator('tr[data-rel="pb:versions"] a.rel-doc').click();
    await tab.waitForURL(`${broker.url}/doc/versions`);
    expect(await tab.locator('h1').textContent()).toBe('pb:versions — Versions');
    await tab.close();
  }, 60_000);

  it('passes axe, fits a phone and has large enough tap targets', async () => {
    for (const [path, name] of [
      ['/hal-browser', 'api-browser-index'],
      ['/hal-browser?url=%2Fpacticipants%2FWeb%2520Shop', 'api-browser-pacticipant'],
      [
        '/hal-browser?url=%2Fpacts%2Fprovider%2FOrders%2520API%2Fconsumer%2FWeb%2520Shop%2Flatest',
        'api-browser-pact',
      ],
      ['/doc', 'relation-docs'],
      ['/doc/pacticipant', 'relation-doc'],
    ] as const)
      expect(await checkPage(browser, `${broker.url}${path}`, name, ARTIFACTS)).toEqual([]);
  }, 240_000);
});
