import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basicAuth, brokerHarness, databaseKinds, testUsers } from '@covenant/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { startBroker } from './server.js';

const writer = basicAuth(testUsers.readWrite);
const reader = basicAuth(testUsers.readOnly);

// the body the official client sends (pact-broker-client's contract with the broker)
const clientBody = (extra: Record<string, unknown> = {}, request: Record<string, unknown> = {}) => ({
  description: 'a webhook',
  events: [{ name: 'contract_content_changed' }],
  request: {
    url: 'https://webhook',
    method: 'POST',
    headers: { Foo: 'bar', Bar: 'foo' },
    body: { some: 'body' },
    username: 'username',
    password: 'password',
    ...request,
  },
  ...extra,
});

describe.each(databaseKinds())('webhooks (%s)', (kind) => {
  const broker = brokerHarness((database) => startBroker({ port: 0, database, auth: testUsers }), {
    headers: { Authorization: writer },
  });
  const { call } = broker;
  broker.runOn(kind);

  beforeAll(async () => {
    for (const name of ['Pricing Service', 'Condor'])
      expect((await call('PUT', `/pacticipants/${encodeURIComponent(name)}`, {})).status).toBe(201);
  });

  it('creates a webhook for a consumer and provider as the official client expects', async () => {
    const created = await call('POST', '/webhooks/provider/Pricing%20Service/consumer/Condor', clientBody());
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/hal+json;charset=utf-8');
    const w = created.json;
    expect(created.headers.get('location')).toBe(w._links.self.href);
    expect(w._links.self.href).toMatch(/^http:\/\/.*\/webhooks\/[0-9a-f-]{36}$/);
    expect(w._links.self.title).toBe('a webhook');
    expect(w).toMatchObject({
      description: 'a webhook',
      consumer: { name: 'Condor' },
      provider: { name: 'Pricing Service' },
      enabled: true,
      request: {
        method: 'POST',
        url: 'https://webhook',
        headers: { Foo: 'bar', Bar: 'foo' },
        body: { some: 'body' },
        username: 'username',
      },
      events: [{ name: 'contract_content_changed' }],
    });
    expect(typeof w.createdAt).toBe('string');
    expect(w.request).not.toHaveProperty('password');
    expect(created.text).not.toContain('"password"');
    expect(w._links['pb:execute'].href).toBe(`${w._links.self.href}/execute`);
    expect(w._links['pb:consumer']).toMatchObject({
      name: 'Condor',
      href: `${broker.url}/pacticipants/Condor`,
    });
    expect(w._links['pb:provider']).toMatchObject({
      name: 'Pricing Service',
      href: `${broker.url}/pacticipants/Pricing%20Service`,
    });
    expect(w._links['pb:webhooks'].href).toBe(`${broker.url}/webhooks`);
    expect(w._links['pb:pact-webhooks'].href).toBe(
      `${broker.url}/webhooks/provider/Pricing%20Service/consumer/Condor`,
    );

    const read = await call('GET', new URL(w._links.self.href).pathname);
    expect(read.status).toBe(200);
    expect(read.json).toEqual(w);
  });

  it('keeps a non-JSON body and every event type', async () => {
    const xml = await call(
      'POST',
      '/webhooks/provider/Pricing%20Service/consumer/Condor',
      clientBody({}, { body: '<xml></xml>' }),
    );
    expect(xml.status).toBe(201);
    expect(xml.json.request.body).toBe('<xml></xml>');

    const events = [
      'contract_content_changed',
      'contract_published',
      'contract_requiring_verification_published',
      'provider_verification_published',
      'provider_verification_succeeded',
      'provider_verification_failed',
    ].map((name) => ({ name }));
    const all = await call(
      'POST',
      '/webhooks/provider/Pricing%20Service/consumer/Condor',
      clientBody({ events }),
    );
    expect(all.status).toBe(201);
    expect(all.json.events).toEqual(events);
  });

  it('creates global, consumer-, provider- and label-scoped webhooks on /webhooks', async () => {
    const global = await call('POST', '/webhooks', clientBody({ events: undefined, description: undefined }));
    expect(global.status).toBe(201);
    expect(global.json).not.toHaveProperty('consumer');
    expect(global.json).not.toHaveProperty('provider');
    // the reference broker's defaults: the content-changed event, a title from method and host
    expect(global.json.events).toEqual([{ name: 'contract_content_changed' }]);
    expect(global.json._links.self.title).toBe('POST webhook');
    expect(global.json._links).not.toHaveProperty('pb:consumer');

    const forConsumer = await call('POST', '/webhooks', clientBody({ consumer: { name: 'Condor' } }));
    expect(forConsumer.status).toBe(201);
    expect(forConsumer.json.consumer).toEqual({ name: 'Condor' });
    expect(forConsumer.json._links['pb:consumer'].name).toBe('Condor');

    const forProvider = await call(
      'POST',
      '/webhooks',
      clientBody({ provider: { name: 'Pricing Service' } }),
    );
    expect(forProvider.status).toBe(201);
    expect(forProvider.json.provider).toEqual({ name: 'Pricing Service' });

    const byLabels = await call(
      'POST',
      '/webhooks',
      clientBody({
        consumer: { label: 'consumer_label' },
        provider: { label: 'provider_label' },
        enabled: false,
      }),
    );
    expect(byLabels.status).toBe(201);
    expect(byLabels.json).toMatchObject({
      consumer: { label: 'consumer_label' },
      provider: { label: 'provider_label' },
      enabled: false,
    });
    expect(byLabels.json._links).not.toHaveProperty('pb:consumer');

    const viaProviderPath = await call('POST', '/webhooks/provider/Pricing%20Service', clientBody());
    expect(viaProviderPath.status).toBe(201);
    expect(viaProviderPath.json.provider).toEqual({ name: 'Pricing Service' });
    expect(viaProviderPath.json).not.toHaveProperty('consumer');
    const viaConsumerPath = await call('POST', '/webhooks/consumer/Condor', clientBody());
    expect(viaConsumerPath.status).toBe(201);
    expect(viaConsumerPath.json.consumer).toEqual({ name: 'Condor' });
  });

  it('lists all webhooks, and those scoped exactly to a consumer and/or provider', async () => {
    const all = await call('GET', '/webhooks');
    expect(all.status).toBe(200);
    expect(all.json._links.self.href).toBe(`${broker.url}/webhooks`);
    expect(all.json._links['pb:create'].href).toBe(`${broker.url}/webhooks`);
    const links = all.json._links['pb:webhooks'] as Array<{ href: string; title: string; name: string }>;
    expect(links.length).toBe(all.json._embedded.webhooks.length);
    expect(links.length).toBeGreaterThanOrEqual(8);
    expect(links.map((l) => l.title)).toContain('A webhook for the pact between Condor and Pricing Service');
    expect(links.map((l) => l.title)).toContain('A webhook for all pacts');

    const pair = await call('GET', '/webhooks/provider/Pricing%20Service/consumer/Condor');
    expect(pair.status).toBe(200);
    expect(pair.json._links.self.href).toBe(
      `${broker.url}/webhooks/provider/Pricing%20Service/consumer/Condor`,
    );
    const pairHooks = pair.json._embedded.webhooks as Array<{ consumer: unknown; provider: unknown }>;
    expect(pairHooks.length).toBe(3);
    for (const w of pairHooks) {
      expect(w.consumer).toEqual({ name: 'Condor' });
      expect(w.provider).toEqual({ name: 'Pricing Service' });
    }
    const alias = await call('GET', '/pacts/provider/Pricing%20Service/consumer/Condor/webhooks');
    expect(alias.json._embedded.webhooks.length).toBe(3);

    const providerOnly = await call('GET', '/webhooks/provider/Pricing%20Service');
    expect(providerOnly.json._embedded.webhooks.length).toBe(2);
    const consumerOnly = await call('GET', '/webhooks/consumer/Condor');
    expect(consumerOnly.json._embedded.webhooks.length).toBe(2);

    expect((await call('GET', '/webhooks/consumer/Nobody')).status).toBe(404);
    // readers may list, not write
    expect((await call('GET', '/webhooks', undefined, { Authorization: reader })).status).toBe(200);
    expect((await call('POST', '/webhooks', clientBody(), { Authorization: reader })).status).toBe(403);
  });

  it('creates with a client-chosen uuid (201), then updates it (200) keeping the hidden secrets', async () => {
    const path = '/webhooks/696c5f93-1b7f-44bc-8d03-59440fcaa9a0';
    const body = clientBody(
      { consumer: { name: 'Condor' }, provider: { name: 'Pricing Service' } },
      { headers: { Authorization: 'Bearer s3cret', 'X-Plain': 'visible' } },
    );
    const created = await call('PUT', path, body);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${broker.url}${path}`);
    expect(created.json.request.headers).toEqual({ Authorization: '**********', 'X-Plain': 'visible' });
    expect(created.text).not.toContain('s3cret');

    // a client that read the webhook sends back what it saw: stars and no password
    const { password: _omitted, ...seen } = created.json.request;
    const updated = await call('PUT', path, {
      description: 'renamed',
      consumer: { name: 'Condor' },
      provider: { label: 'pricing' },
      events: [{ name: 'provider_verification_failed' }],
      request: { ...seen, url: 'http://ci.example/build?pact=${pactbroker.pactUrl}' },
    });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('location')).toBeNull();
    expect(updated.json).toMatchObject({
      description: 'renamed',
      provider: { label: 'pricing' },
      events: [{ name: 'provider_verification_failed' }],
      request: { url: 'http://ci.example/build?pact=${pactbroker.pactUrl}' },
    });
    expect(updated.json.createdAt).toBe(created.json.createdAt);

    const stored = await broker.running.database.db
      .selectFrom('webhooks')
      .select(['request', 'events', 'provider_name', 'provider_label'])
      .where('uuid', '=', '696c5f93-1b7f-44bc-8d03-59440fcaa9a0')
      .executeTakeFirstOrThrow();
    const request = JSON.parse(stored.request);
    expect(request.password).toBe('password');
    expect(request.headers.Authorization).toBe('Bearer s3cret');
    expect(JSON.parse(stored.events)).toEqual(['provider_verification_failed']);
    expect(stored.provider_name).toBeNull();
    expect(stored.provider_label).toBe('pricing');

    const read = await call('GET', path);
    expect(read.json.description).toBe('renamed');
  });

  it('deletes a webhook', async () => {
    const created = await call('POST', '/webhooks', clientBody());
    const path = new URL(created.json._links.self.href).pathname;
    expect((await call('DELETE', path)).status).toBe(204);
    expect((await call('GET', path)).status).toBe(404);
    expect((await call('DELETE', path)).status).toBe(404);
    expect((await call('PUT', '/webhooks/nope-not-a-webhook-at-all', undefined)).status).toBe(400);
  });

  it('answers 404 when the URL names a pacticipant that does not exist', async () => {
    const missing = await call('POST', '/webhooks/provider/Pricing%20Service/consumer/Nobody', clientBody());
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/hal+json;charset=utf-8');
    expect(missing.json.error).toBe("No consumer with name 'Nobody' found");
    expect((await call('POST', '/webhooks/provider/Nobody', clientBody())).status).toBe(404);
    expect((await call('GET', '/webhooks/no-such-webhook-uuid')).status).toBe(404);
  });

  it('rejects invalid webhooks with 400 field errors, never a 500', async () => {
    const invalid: Array<[string, string, unknown, string]> = [
      [
        'POST',
        '/webhooks/provider/Pricing%20Service/consumer/Condor',
        clientBody({}, { url: undefined }),
        'request.url',
      ],
      ['POST', '/webhooks', clientBody({ consumer: { name: 'Nobody' } }), 'consumer.name'],
      ['POST', '/webhooks', clientBody({ provider: { name: 'Nobody' } }), 'provider.name'],
      ['POST', '/webhooks', clientBody({ consumer: { name: 'Condor', label: 'x' } }), 'consumer.label'],
      ['POST', '/webhooks', clientBody({ consumer: {} }), 'consumer'],
      ['POST', '/webhooks', clientBody({ consumer: 'Condor' }), 'consumer'],
      ['POST', '/webhooks', clientBody({ provider: { label: '  ' } }), 'provider.label'],
      ['POST', '/webhooks', clientBody({}, { method: undefined }), 'request.method'],
      ['POST', '/webhooks', clientBody({}, { method: 'TELEPORT' }), 'request.method'],
      ['POST', '/webhooks', clientBody({}, { method: 42 }), 'request.method'],
      ['POST', '/webhooks', clientBody({}, { url: 'ftp://files.example/x' }), 'request.url'],
      ['POST', '/webhooks', clientBody({}, { url: 'not a url' }), 'request.url'],
      ['POST', '/webhooks', clientBody({}, { url: 'https://example.org/\nInjected: yes' }), 'request.url'],
      [
        'POST',
        '/webhooks',
        clientBody({}, { url: 'https://${pactbroker.consumerName}.example/' }),
        'request.url',
      ],
      ['POST', '/webhooks', clientBody({}, { url: 42 }), 'request.url'],
      ['POST', '/webhooks', clientBody({}, { headers: { 'Bad Header': 'x' } }), 'request.headers'],
      ['POST', '/webhooks', clientBody({}, { headers: { Foo: 'a\r\nInjected: b' } }), 'request.headers'],
      ['POST', '/webhooks', clientBody({}, { headers: ['Foo'] }), 'request.headers'],
      ['POST', '/webhooks', clientBody({}, { password: 7 }), 'request.password'],
      ['POST', '/webhooks', clientBody({ request: undefined }), 'request'],
      ['POST', '/webhooks', clientBody({ request: 'https://webhook' }), 'request'],
      ['POST', '/webhooks', clientBody({ events: [] }), 'events'],
      ['POST', '/webhooks', clientBody({ events: 'contract_published' }), 'events'],
      ['POST', '/webhooks', clientBody({ events: [{ name: 'pact_deleted' }] }), 'events[0].name'],
      ['POST', '/webhooks', clientBody({ events: [{ name: 'contract_published' }, 'x'] }), 'events[1].name'],
      ['POST', '/webhooks', clientBody({ enabled: 'yes' }), 'enabled'],
      ['POST', '/webhooks', clientBody({ description: 5 }), 'description'],
      [
        'POST',
        '/webhooks/consumer/Condor',
        clientBody({ consumer: { name: 'Pricing Service' } }),
        'consumer.name',
      ],
      ['PUT', '/webhooks/too-short', clientBody(), 'uuid'],
      ['PUT', '/webhooks/has%20a%20space%20in%20it%20sadly', clientBody(), 'uuid'],
    ];
    for (const [method, path, body, field] of invalid) {
      const response = await call(method, path, body);
      expect({ path, field, status: response.status }).toEqual({ path, field, status: 400 });
      expect(response.headers.get('content-type')).toBe('application/hal+json;charset=utf-8');
      expect(Object.keys(response.json.errors)).toContain(field);
      expect(response.json.errors[field].length).toBeGreaterThan(0);
    }

    for (const body of ['[]', '"a string"', '42', 'null', '{"description": ']) {
      const response = await call('POST', '/webhooks', body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }
    expect((await call('POST', '/webhooks', undefined)).status).toBe(400);
    const wrongType = await fetch(`${broker.url}/webhooks`, {
      method: 'POST',
      headers: { Authorization: writer, 'Content-Type': 'text/plain' },
      body: 'hello',
    });
    expect(wrongType.status).toBe(415);

    // problem+json clients get RFC 7807 with a pointer per field
    const problem = await call('POST', '/webhooks', clientBody({}, { url: undefined }), {
      Accept: 'application/problem+json',
    });
    expect(problem.status).toBe(400);
    expect(problem.headers.get('content-type')).toContain('application/problem+json');
    expect(problem.json).toMatchObject({ title: 'Validation errors', status: 400 });
    expect(problem.json.errors[0]).toMatchObject({ pointer: '/request.url' });

    // nothing invalid was stored
    const count = await broker.running.database.db
      .selectFrom('webhooks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('request', 'like', '%files.example%')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('refuses a loopback http target by default: execute answers why, and nothing is sent', async () => {
    let received = 0;
    const target: Server = createServer((_request, response) => {
      received += 1;
      response.end();
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = target.address() as AddressInfo;
      const created = await call(
        'POST',
        '/webhooks',
        clientBody({}, { url: `http://127.0.0.1:${port}/hook` }),
      );
      expect(created.status).toBe(201);
      const execute = await call('POST', new URL(created.json._links['pb:execute'].href).pathname, {});
      // no PACT_BROKER_WEBHOOK_* allowlist here: https only, and loopback blocked
      expect(execute.status).toBe(200);
      expect(execute.json.success).toBe(false);
      expect(execute.json.logs).toContain('Not sent: the scheme http is not in the webhook scheme allowlist');
      expect(JSON.stringify(execute.json)).not.toContain('password');
      expect((await call('POST', '/webhooks/no-such-webhook-uuid/execute', {})).status).toBe(404);
      // publishing a pact triggers the webhook; the policy refuses it before any connection
      const pact = {
        consumer: { name: 'Condor' },
        provider: { name: 'Pricing Service' },
        interactions: [
          { description: 'a request', request: { method: 'GET', path: '/' }, response: { status: 200 } },
        ],
        metadata: { pactSpecification: { version: '2.0.0' } },
      };
      expect(
        (await call('PUT', '/pacts/provider/Pricing%20Service/consumer/Condor/version/1', pact)).status,
      ).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received).toBe(0);
    } finally {
      await new Promise((resolve) => target.close(resolve));
    }
  });
});
