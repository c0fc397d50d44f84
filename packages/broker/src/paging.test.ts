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
});
