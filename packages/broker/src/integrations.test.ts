import { brokerHarness, databaseKinds, pactFixture } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { startBroker } from './server.js';

describe.each(databaseKinds())('latest pacts, versions, diffs, branches, limits and tokens (%s)', (kind) => {
  const write = { Authorization: 'Bearer rw-token' };
  const broker = brokerHarness(
    (database) =>
      startBroker({
        port: 0,
        database,
        bodyLimit: 64 * 1024,
        auth: { tokens: { readWrite: ['rw-token'], readOnly: ['ro-token'] } },
      }),
    { headers: write },
  );
  const { call } = broker;
  const pact = (interactions: string[]) => pactFixture({ interactions });
  broker.runOn(kind);

  it('lists the latest pact of each integration, the versions of a pact, and diffs two pact versions', async () => {
    expect((await call('PUT', '/pacts/provider/Api/consumer/Web/version/1', pact(['a', 'b']))).status).toBe(
      201,
    );
    const second = await call('PUT', '/pacts/provider/Api/consumer/Web/version/2', pact(['a', 'c']));
    const latest = await call('GET', '/pacts/latest', undefined, { Authorization: 'Bearer ro-token' });
    expect(latest.json.pacts).toHaveLength(1);
    expect(latest.json.pacts[0]._embedded.consumer._embedded.version.number).toBe('2');
    const versions = await call('GET', '/pacts/provider/Api/consumer/Web/versions');
    expect(
      versions.json._embedded.pacts.map(
        (p: { _embedded: { consumerVersion: { number: string } } }) => p._embedded.consumerVersion.number,
      ),
    ).toEqual(['2', '1']);
    const first = await call('GET', '/pacts/provider/Api/consumer/Web/version/1');
    const shaOf = (r: { json: { _links: { 'pb:pact-version': { name: string } } } }) =>
      r.json._links['pb:pact-version'].name;
    const diff = await call(
      'GET',
      `/pacts/provider/Api/consumer/Web/pact-version/${shaOf(second)}/diff/pact-version/${shaOf(first)}`,
    );
    expect(diff.json.added.map((i: { description: string }) => i.description)).toEqual(['c']);
    expect(diff.json.removed.map((i: { description: string }) => i.description)).toEqual(['b']);
    const integrations = await call('GET', '/integrations');
    expect(integrations.json._embedded.integrations[0]).toMatchObject({
      consumer: { name: 'Web' },
      provider: { name: 'Api' },
    });
  });

  it('lists and deletes branches, keeping the versions', async () => {
    expect((await call('PUT', '/pacticipants/Web/branches/feat-x/versions/2', {})).status).toBe(200);
    expect(
      (await call('GET', '/pacticipants/Web/branches')).json._embedded.branches.map(
        (b: { name: string }) => b.name,
      ),
    ).toEqual(['feat-x']);
    expect((await call('DELETE', '/pacticipants/Web/branches/feat-x')).status).toBe(204);
    expect((await call('GET', '/pacticipants/Web/branches/feat-x')).status).toBe(404);
    expect((await call('GET', '/pacticipants/Web/versions/2')).status).toBe(200);
  });

  it('serves a branch version, also for a branch name with a slash', async () => {
    const path = '/pacticipants/Web/branches/feat%2Fnew-login/versions/3';
    const put = await call('PUT', path, {});
    expect(put.status).toBe(200);
    const got = await call('GET', path);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(put.json);
    expect(got.json.name).toBe('feat/new-login');
    expect(got.json._links.self.href).toBe(`${broker.url}${path}`);
    expect((await call('GET', '/pacticipants/Web/branches/feat%2Fnew-login/versions/4')).status).toBe(404);
    expect((await call('GET', '/pacticipants/Web/branches/other/versions/3')).status).toBe(404);
  });

  it('refuses an oversized body with 413, an unknown token with 401, a read-only token writing with 403', async () => {
    const big = pact(Array.from({ length: 2000 }, (_, i) => `interaction number ${i}`));
    const tooBig = await call('PUT', '/pacts/provider/Api/consumer/Web/version/3', big, {
      ...write,
      Accept: 'application/problem+json',
    });
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.detail).toContain('larger than the limit of 65536 bytes');
    expect((await call('GET', '/pacticipants', undefined, { Authorization: 'Bearer nope' })).status).toBe(
      401,
    );
    expect(
      (await call('PUT', '/pacticipants/Web/versions/9', {}, { Authorization: 'Bearer ro-token' })).status,
    ).toBe(403);
  });
});
