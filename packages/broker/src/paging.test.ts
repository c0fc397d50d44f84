import { brokerHarness, databaseKinds } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { startBroker } from './server.js';

const broker = brokerHarness((database) => startBroker({ port: 0, database }));
const { call } = broker;

describe.each(databaseKinds())('paging and ?q= search (%s)', (kind) => {
  broker.runOn(kind);

  it('pages versions newest first past 100, with next and previous links, and searches them', async () => {
    for (let i = 1; i <= 105; i++) await call('PUT', `/pacticipants/Web/versions/1.0.${i}`, {});
    await call('PUT', '/pacticipants/Web/versions/feat_x%25', {});
    const numbers = (json: { _embedded: { versions: Array<{ number: string }> } }) =>
      json._embedded.versions.map((v) => v.number);

    const first = (await call('GET', '/pacticipants/Web/versions')).json;
    expect(numbers(first)).toHaveLength(100);
    expect(numbers(first)[0]).toBe('feat_x%');
    expect(first.page).toEqual({ number: 1, size: 100, totalElements: 106, totalPages: 2 });
    expect(first._links.previous).toBeUndefined();
    const second = (await call('GET', first._links.next.href.slice(broker.url.length))).json;
    expect(numbers(second)).toEqual(['1.0.6', '1.0.5', '1.0.4', '1.0.3', '1.0.2', '1.0.1']);
    expect(second._links.next).toBeUndefined();
    expect(second._links.previous.href).toContain('page=1');

    const small = (await call('GET', '/pacticipants/Web/versions?pageNumber=2&pageSize=3')).json;
    expect(numbers(small)).toEqual(['1.0.103', '1.0.102', '1.0.101']);
    // ?q= matches a part of the number, in any case; % and _ are plain characters
    expect(numbers((await call('GET', '/pacticipants/Web/versions?q=1.0.10')).json)).toEqual([
      '1.0.105',
      '1.0.104',
      '1.0.103',
      '1.0.102',
      '1.0.101',
      '1.0.100',
      '1.0.10',
    ]);
    expect(numbers((await call('GET', '/pacticipants/Web/versions?q=FEAT_X%25')).json)).toEqual(['feat_x%']);
    expect(numbers((await call('GET', '/pacticipants/Web/versions?q=t%25')).json)).toEqual([]);
  });

  it('lists pacticipants unpaged unless asked, pages them by name, and searches names', async () => {
    for (const name of ['Orders', 'Billing', 'Web-Admin']) await call('PUT', `/pacticipants/${name}`, {});
    const names = (json: { _embedded: { pacticipants: Array<{ name: string }> } }) =>
      json._embedded.pacticipants.map((p) => p.name);
    const all = (await call('GET', '/pacticipants')).json;
    expect(names(all)).toEqual(['Billing', 'Orders', 'Web', 'Web-Admin']);
    expect(all.page).toBeUndefined();
    const page = (await call('GET', '/pacticipants?page=2&size=2')).json;
    expect(names(page)).toEqual(['Web', 'Web-Admin']);
    expect(page.page).toEqual({ number: 2, size: 2, totalElements: 4, totalPages: 2 });
    expect(page._links.previous.href).toBe(`${broker.url}/pacticipants?page=1&size=2`);
    expect(names((await call('GET', '/pacticipants?q=web')).json)).toEqual(['Web', 'Web-Admin']);
  });

  it('pages and searches branches', async () => {
    for (const branch of ['main', 'feat-a', 'feat-b'])
      await call('PUT', `/pacticipants/Web/branches/${branch}/versions/1.0.1`, {});
    const names = (json: { _embedded: { branches: Array<{ name: string }> } }) =>
      json._embedded.branches.map((b) => b.name);
    expect(names((await call('GET', '/pacticipants/Web/branches?q=FEAT')).json)).toEqual([
      'feat-a',
      'feat-b',
    ]);
    const page = (await call('GET', '/pacticipants/Web/branches?size=2')).json;
    expect(names(page)).toEqual(['feat-a', 'feat-b']);
    expect(page._links.next.href).toBe(`${broker.url}/pacticipants/Web/branches?page=2&size=2`);
  });

  it('pages and searches environments by name and display name', async () => {
    for (const [name, displayName] of [
      ['production', 'Production'],
      ['staging', 'Pre-production'],
      ['test', 'Test'],
    ])
      expect((await call('POST', '/environments', { name, displayName, production: false })).status).toBe(
        201,
      );
    const names = (json: { _embedded: { environments: Array<{ name: string }> } }) =>
      json._embedded.environments.map((e) => e.name);
    const all = (await call('GET', '/environments')).json;
    expect(names(all)).toEqual(['production', 'staging', 'test']);
    expect(all.page).toBeUndefined();
    // the display name is searched too
    expect(names((await call('GET', '/environments?q=PRODUCTION')).json)).toEqual(['production', 'staging']);
    const first = (await call('GET', '/environments?size=2')).json;
    expect(names(first)).toEqual(['production', 'staging']);
    expect(first.page).toEqual({ number: 1, size: 2, totalElements: 3, totalPages: 2 });
    expect(first._links.next.href).toBe(`${broker.url}/environments?page=2&size=2`);
    expect(first._links['pb:environments']).toHaveLength(2);
    const second = (await call('GET', first._links.next.href.slice(broker.url.length))).json;
    expect(names(second)).toEqual(['test']);
    expect(second._links.previous.href).toBe(`${broker.url}/environments?page=1&size=2`);
    expect(second._links.next).toBeUndefined();
  });

  it('pages and searches webhooks, globally and scoped', async () => {
    const webhook = (description: string, consumer?: string) => ({
      description,
      ...(consumer ? { consumer: { name: consumer } } : {}),
      events: [{ name: 'contract_content_changed' }],
      request: { method: 'POST', url: 'https://ci.example.com/build' },
    });
    expect((await call('POST', '/webhooks', webhook('build the provider'))).status).toBe(201);
    expect((await call('POST', '/webhooks', webhook('notify chat', 'Web'))).status).toBe(201);
    expect((await call('POST', '/webhooks', webhook('deploy', 'Web'))).status).toBe(201);
    const descriptions = (json: { _embedded: { webhooks: Array<{ description: string }> } }) =>
      json._embedded.webhooks.map((w) => w.description);
    expect(descriptions((await call('GET', '/webhooks')).json)).toEqual([
      'build the provider',
      'notify chat',
      'deploy',
    ]);
    expect(descriptions((await call('GET', '/webhooks?q=CHAT')).json)).toEqual(['notify chat']);
    // the consumer a webhook is scoped to is searched too
    expect(descriptions((await call('GET', '/webhooks?q=web')).json)).toEqual(['notify chat', 'deploy']);
    const page = (await call('GET', '/webhooks?page=2&size=2&q=e')).json;
    expect(descriptions(page)).toEqual(['deploy']);
    expect(page.page).toEqual({ number: 2, size: 2, totalElements: 3, totalPages: 2 });
    expect(page._links.previous.href).toBe(`${broker.url}/webhooks?page=1&size=2&q=e`);
    const scoped = (await call('GET', '/webhooks/consumer/Web?size=1')).json;
    expect(descriptions(scoped)).toEqual(['notify chat']);
    expect(scoped._links.next.href).toBe(`${broker.url}/webhooks/consumer/Web?page=2&size=1`);
  });
});
