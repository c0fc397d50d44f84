import { brokerHarness, databaseKinds, pactFixture } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './db/connect.js';
import { createApp } from './http/app.js';
import { startBroker } from './server.js';

// The rule: every relation the index advertises answers. Plain relations answer GET with 200;
// templated ones too, filled in with what the suite seeded; those that only take a POST (publishing, executing an unsaved webhook) answer one
// (with a 400 for its empty body, never a 404).

const broker = brokerHarness((database) => startBroker({ port: 0, database }));
const { call } = broker;

type Link = { href: string; templated?: boolean };
const POST_ONLY = new Set(['pb:publish-contracts', 'pf:publish-provider-contract', 'pb:execute-webhook']);

describe.each(databaseKinds())('the index relations (%s)', (kind) => {
  broker.runOn(kind);

  it('every advertised relation answers, with the values of seeded data', async () => {
    const pact = pactFixture({ consumer: 'Web', provider: 'Orders', interactions: ['list orders'] });
    expect((await call('PUT', '/pacts/provider/Orders/consumer/Web/version/1.0.0', pact)).status).toBe(201);
    expect((await call('PUT', '/pacticipants/Web/versions/1.0.0/tags/dev', {})).status).toBe(201);
    expect((await call('PUT', '/pacticipants/Web/branches/main/versions/1.0.0', {})).status).toBe(200);
    expect((await call('PATCH', '/pacticipants/Web', { mainBranch: 'main' })).status).toBe(200);
    const environment = await call('POST', '/environments', { name: 'production', production: true });
    expect(environment.status).toBe(201);
    const webhook = await call('POST', '/webhooks', {
      events: [{ name: 'contract_content_changed' }],
      request: { method: 'POST', url: 'https://ci.example.com/hook' },
    });
    expect(webhook.status, JSON.stringify(webhook.json)).toBe(201);
    const webhookUuid = String(webhook.json._links.self.href).split('/').pop()!;

    const values: Record<string, string> = {
      provider: 'Orders',
      consumer: 'Web',
      pacticipant: 'Web',
      version: '1.0.0',
      consumerApplicationVersion: '1.0.0',
      tag: 'dev',
      branch: 'main',
      environment: 'production',
    };
    const index = await call('GET', '/');
    expect(index.status).toBe(200);
    const relations = Object.entries(index.json._links as Record<string, Link | Link[]>).filter(
      ([rel]) => rel !== 'curies',
    );
    // the relations issue 18 asked for are among them
    for (const rel of [
      'pb:provider-pacts',
      'pb:provider-pacts-with-tag',
      'pb:provider-pacts-with-branch',
      'pb:provider-pacts-with-main-branch',
      'pb:tagged-pact-versions',
      'pb:metrics',
    ])
      expect(Object.keys(index.json._links)).toContain(rel);

    const answers: string[] = [];
    for (const [rel, link] of relations) {
      const { href, templated } = Array.isArray(link) ? link[0]! : link;
      const uuid = rel === 'pb:webhook' ? webhookUuid : environment.json.uuid;
      const url = templated
        ? href.replace(/\{(\w+)\}/g, (_, name: string) =>
            encodeURIComponent(name === 'uuid' ? uuid : values[name]!),
          )
        : href;
      expect(url, `${rel} has every template variable filled`).not.toMatch(/[{}]/);
      const path = url.slice(broker.url.length);
      const answer = POST_ONLY.has(rel) ? await call('POST', path, {}) : await call('GET', path);
      answers.push(`${rel} ${answer.status}`);
      expect(answer.status, `${rel}: ${path}`).toBe(POST_ONLY.has(rel) ? 400 : 200);
    }
    expect(answers.length).toBeGreaterThan(30);
  });

  it('the provider and integration collections pick by tag and branch', async () => {
    const pact = pactFixture({ consumer: 'Web', provider: 'Orders', interactions: ['list orders', 'v2'] });
    await call('PUT', '/pacts/provider/Orders/consumer/Web/version/2.0.0', pact);
    await call('PUT', '/pacticipants/Web/branches/feat/versions/2.0.0', {});
    const names = (json: { _links: { 'pb:pacts': Array<{ title: string }> } }) =>
      json._links['pb:pacts'].map((p) => p.title);
    expect(names((await call('GET', '/pacts/provider/Orders')).json)).toEqual([
      'Pact between Web (2.0.0) and Orders',
      'Pact between Web (1.0.0) and Orders',
    ]);
    expect(names((await call('GET', '/pacts/provider/Orders/branch/feat')).json)).toEqual([
      'Pact between Web (2.0.0) and Orders',
    ]);
    expect(names((await call('GET', '/pacts/provider/Orders/branch')).json)).toEqual([
      'Pact between Web (1.0.0) and Orders',
    ]);
    expect(names((await call('GET', '/pacts/provider/Orders/tag/dev')).json)).toEqual([
      'Pact between Web (1.0.0) and Orders',
    ]);
    const untagged = await call('GET', '/pacts/provider/Orders/consumer/Web/latest-untagged');
    expect(untagged.json._links['pb:consumer-version'].name).toBe('2.0.0');
    const mainLatest = await call('GET', '/pacts/provider/Orders/consumer/Web/branch/latest');
    expect(mainLatest.json._links['pb:consumer-version'].name).toBe('1.0.0');
    const tagged = await call('GET', '/pacts/provider/Orders/consumer/Web/tag/dev');
    expect(
      tagged.json._embedded.pacts.map(
        (p: { _embedded: { consumerVersion: { number: string } } }) => p._embedded.consumerVersion.number,
      ),
    ).toEqual(['1.0.0']);
    expect((await call('GET', '/pacts/provider/Orders/consumer/Web/tag/nope')).json._embedded.pacts).toEqual(
      [],
    );
    expect((await call('GET', '/pacts/provider/Nobody/branch')).status).toBe(404);
  });

  it('/metrics counts as JSON and as Prometheus text', async () => {
    const json = await call('GET', '/metrics');
    expect(json.json).toMatchObject({
      pacticipants: { count: 2 },
      integrations: { count: 1 },
      pactPublications: { count: 2 },
      pacticipantVersions: { count: 2 },
      environments: { count: 1 },
      webhooks: { count: 1 },
    });
    const text = await call('GET', '/metrics', undefined, { Accept: 'text/plain' });
    expect(text.status).toBe(200);
    expect(text.text).toContain('# TYPE covenant_pacticipants gauge\ncovenant_pacticipants 2\n');
    expect(text.text).toContain('covenant_pact_publications 2\n');
  });
  it("lists the provider states of each consumer's latest pact, by main branch, branch or environment", async () => {
    const states = async (path: string) => {
      const answer = await call('GET', `/pacts/provider/Orders/provider-states${path}`);
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      return (
        answer.json.providerStates as Array<{ name: string; params?: unknown; consumers: string[] }>
      ).map((s) => `${s.name}${s.params ? JSON.stringify(s.params) : ''}: ${s.consumers.join(',')}`);
    };
    const appPact = (version: string, state: string) => ({
      consumer: { name: 'App' },
      provider: { name: 'Orders' },
      interactions: [
        {
          description: `get order (${version})`,
          providerStates: [{ name: state, params: { id: 7 } }, { name: 'a user' }],
          request: { method: 'GET', path: '/orders/7' },
          response: { status: 200 },
        },
      ],
      metadata: { pactSpecification: { version: '3.0.0' } },
    });
    expect(
      (await call('PUT', '/pacts/provider/Orders/consumer/App/version/a1', appPact('a1', 'an order'))).status,
    ).toBe(201);
    expect(
      (await call('PUT', '/pacts/provider/Orders/consumer/App/version/a2', appPact('a2', 'a paid order')))
        .status,
    ).toBe(201);
    await call('PUT', '/pacticipants/App/branches/main/versions/a1', {});
    await call('PUT', '/pacticipants/App/branches/feat/versions/a2', {});
    await call('PATCH', '/pacticipants/App', { mainBranch: 'main' });

    // Web's pacts name no states; App's latest on main is a1, on feat a2
    expect(await states('')).toEqual(['a user: App', 'an order{"id":7}: App']);
    expect(await states('/branch/feat')).toEqual(['a paid order{"id":7}: App', 'a user: App']);
    expect(await states('/branch/none')).toEqual([]);
    // the environment, by name or uuid: what is deployed there
    expect(await states('/environment/production')).toEqual([]);
    const production = (await call('GET', '/environments')).json._embedded.environments[0].uuid;
    await call('POST', `/pacticipants/App/versions/a2/deployed-versions/environment/${production}`, {});
    expect(await states(`/environment/${production}`)).toEqual(['a paid order{"id":7}: App', 'a user: App']);
    expect(await states('/environment/production')).toEqual(['a paid order{"id":7}: App', 'a user: App']);
    expect((await call('GET', '/pacts/provider/Orders/provider-states/environment/nowhere')).status).toBe(
      404,
    );
    expect((await call('GET', '/pacts/provider/Nobody/provider-states')).status).toBe(404);
  });
});

describe('/diagnostic/status/dependencies', () => {
  it('answers 200 while the database answers, 503 once it does not', async () => {
    const database = await openDatabase(':memory:');
    const app = createApp({ database });
    await app.ready();
    const ask = async () => {
      const answer = await app.inject({ method: 'GET', url: '/diagnostic/status/dependencies' });
      return { status: answer.statusCode, body: answer.json() };
    };
    expect(await ask()).toMatchObject({
      status: 200,
      body: { ok: true, dependencies: { database: { ok: true } } },
    });
    await database.db.destroy();
    expect(await ask()).toMatchObject({
      status: 503,
      body: { ok: false, dependencies: { database: { ok: false } } },
    });
    await app.close();
  });
});
