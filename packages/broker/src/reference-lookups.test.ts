// The reference broker's look-ups that routes/pact-lookups.ts, version-lists.ts and deploy-checks.ts
// serve, on a real broker over a socket, on each database.
import { BrokerClient } from '@covenant/broker-client';
import { brokerHarness, databaseKinds, pactFixture } from '@covenant/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { startBroker } from './server.js';

const broker = brokerHarness((database) => startBroker({ port: 0, database }));
const { call } = broker;

const write = async (method: string, path: string, body?: unknown) => {
  const answer = await call(method, path, body);
  if (answer.status >= 400) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
  return answer.json;
};

/** The badge's accessible text, "label: message". */
const badgeText = async (path: string) => {
  const answer = await call('GET', path, undefined, { Accept: 'image/svg+xml' });
  expect(answer.status, path).toBe(200);
  expect(answer.headers.get('content-type'), path).toMatch(/^image\/svg\+xml/);
  return /aria-label="([^"]*)"/.exec(answer.text)?.[1];
};

const numbers = (json: { _embedded: { versions: Array<{ number: string }> } }) =>
  json._embedded.versions.map((v) => v.number);

const PACT = '/pacts/provider/Api/consumer/Web';

describe.each(databaseKinds())('the reference look-ups (%s)', (kind) => {
  broker.runOn(kind);
  let production: string;

  /**
   * Web 1 (tag prod, branch main) and 2 (untagged) publish content A, which Api 1.0 (tag prod,
   * branch main, deployed to production) verifies; Web 3 (tag dev) publishes content B, which Api
   * 1.1 fails. Web 3 also has an unverified pact with Billing.
   */
  beforeAll(async () => {
    await write('PUT', '/pacticipants/Web', { mainBranch: 'main' });
    await write('PUT', '/pacticipants/Api', { mainBranch: 'main' });
    const a = pactFixture({ interactions: ['a'] });
    const shaA = (await write('PUT', `${PACT}/version/1`, a))._links['pb:pact-version'].name;
    await write('PUT', `${PACT}/version/2`, a);
    const shaB = (await write('PUT', `${PACT}/version/3`, pactFixture({ interactions: ['b'] })))._links[
      'pb:pact-version'
    ].name;
    await write(
      'PUT',
      '/pacts/provider/Billing/consumer/Web/version/3',
      pactFixture({ provider: 'Billing' }),
    );
    await write('PUT', '/pacticipants/Web/versions/1/tags/prod');
    await write('PUT', '/pacticipants/Web/versions/3/tags/dev');
    await write('PUT', '/pacticipants/Web/branches/main/versions/1');
    const verify = (sha: string, version: string, success: boolean) =>
      write('POST', `${PACT}/pact-version/${sha}/verification-results`, {
        success,
        providerApplicationVersion: version,
      });
    await verify(shaA, '1.0', true);
    await verify(shaB, '1.1', false);
    await write('PUT', '/pacticipants/Api/versions/1.0/tags/prod');
    await write('PUT', '/pacticipants/Api/branches/main/versions/1.0');
    production = (await write('POST', '/environments', { name: 'production', production: true })).uuid;
    await write('POST', `/pacticipants/Api/versions/1.0/deployed-versions/environment/${production}`, {});
  });

  it('serves the previous pact whose content differs, or a 404 when none does', async () => {
    // the pact advertises the relation, as the reference's does
    const link = (await call('GET', `${PACT}/version/3`)).json._links['pb:previous-distinct'].href;
    expect(link).toBe(`${broker.url}${PACT}/version/3/previous-distinct`);
    const previous = await call('GET', link);
    expect(previous.status).toBe(200);
    expect(previous.json._links['pb:consumer-version'].name).toBe('2');
    expect(previous.json.interactions.map((i: { description: string }) => i.description)).toEqual(['a']);
    // 1 has the same content as 2, so nothing before 2 differs
    expect((await call('GET', `${PACT}/version/2/previous-distinct`)).status).toBe(404);
    expect((await call('GET', `${PACT}/version/9/previous-distinct`)).status).toBe(404);
  });

  it("serves the latest verification of a version's pact and of the latest (tagged) pact", async () => {
    const ofVersion = (await call('GET', `${PACT}/version/1/verification-results/latest`)).json;
    expect(ofVersion).toMatchObject({ success: true, providerApplicationVersion: '1.0' });
    const latest = (await call('GET', `${PACT}/latest/verification-results/latest`)).json;
    expect(latest).toMatchObject({ success: false, providerApplicationVersion: '1.1' });
    const prod = (await call('GET', `${PACT}/latest/prod/verification-results/latest`)).json;
    expect(prod).toMatchObject({ success: true, providerApplicationVersion: '1.0' });
    expect((await call('GET', `${PACT}/latest/nope/verification-results/latest`)).status).toBe(404);
    expect(
      (await call('GET', '/pacts/provider/Billing/consumer/Web/version/3/verification-results/latest'))
        .status,
    ).toBe(404);
  });

  it("summarises a consumer version's latest verifications by provider", async () => {
    // the version resource links it, as the reference's does
    const version = (await call('GET', '/pacticipants/Web/versions/3')).json;
    const link = version._links['pb:latest-verification-results-where-pacticipant-is-consumer'].href;
    expect(link).toBe(`${broker.url}/verification-results/consumer/Web/version/3/latest`);
    const three = (await call('GET', link)).json;
    expect(three).toMatchObject({
      success: false,
      providerSummary: { successful: [], failed: ['Api'], unknown: ['Billing'] },
    });
    expect(three._embedded.verificationResults).toHaveLength(1);
    expect(three._links.self.href).toBe(`${broker.url}/verification-results/consumer/Web/version/3/latest`);
    const one = (await call('GET', '/verification-results/consumer/Web/version/1/latest')).json;
    expect(one).toMatchObject({ success: true, providerSummary: { successful: ['Api'], failed: [] } });
    expect((await call('GET', '/verification-results/consumer/Web/version/9/latest')).status).toBe(404);
  });

  it('draws the latest-untagged badge from the newest untagged version', async () => {
    // 2 is the newest untagged version (A, verified); the newest of all is 3 (B, failed)
    expect(await badgeText(`${PACT}/latest-untagged/badge`)).toBe('web/api pact: verified');
    expect(await badgeText(`${PACT}/latest/badge`)).toBe('web/api pact: failed');
    expect(await badgeText('/pacts/provider/Nobody/consumer/Web/latest-untagged/badge')).toBe(
      'web/nobody pact: unknown',
    );
  });

  it('lists the versions with a tag, newest first, paged', async () => {
    for (const version of ['1', '2', '3'])
      await write('PUT', `/pacticipants/Web/versions/${version}/tags/all`);
    expect(numbers((await call('GET', '/pacticipants/Web/tags/prod/versions')).json)).toEqual(['1']);
    const first = (await call('GET', '/pacticipants/Web/tags/all/versions?size=2')).json;
    expect(numbers(first)).toEqual(['3', '2']);
    expect(first.page).toEqual({ number: 1, size: 2, totalElements: 3, totalPages: 2 });
    expect(first._links.next.href).toBe(`${broker.url}/pacticipants/Web/tags/all/versions?page=2&size=2`);
    const second = (await call('GET', first._links.next.href.slice(broker.url.length))).json;
    expect(numbers(second)).toEqual(['1']);
    expect(second._links.previous.href).toContain('page=1');
    expect((await call('GET', '/pacticipants/Web/tags/nope/versions')).status).toBe(404);
    expect((await call('GET', '/pacticipants/Nobody/tags/prod/versions')).status).toBe(404);
  });

  it('lists the versions ever deployed or released to an environment', async () => {
    await write('POST', `/pacticipants/Web/versions/1/deployed-versions/environment/${production}`, {});
    await write('POST', `/pacticipants/Web/versions/2/released-versions/environment/${production}`, {});
    // a later deployment ends the first; both are listed
    await write('POST', `/pacticipants/Web/versions/3/deployed-versions/environment/${production}`, {});
    const listed = (await call('GET', `/pacticipants/Web/environments/${production}/versions`)).json;
    expect(numbers(listed)).toEqual(['3', '2', '1']);
    expect(listed._links.self.title).toBe('Versions for Web in environment production');
    expect(
      numbers((await call('GET', `/pacticipants/Api/environments/${production}/versions`)).json),
    ).toEqual(['1.0']);
    expect((await call('GET', '/pacticipants/Web/environments/no-such-uuid/versions')).status).toBe(404);
  });

  it('gives the broker client the tag and environment version lists', async () => {
    const client = new BrokerClient({ baseUrl: broker.url, env: {} });
    expect(await client.versionsWithTag('Web', 'all')).toEqual(['3', '2', '1']);
    expect(await client.versionsInEnvironment('Web', 'production')).toEqual(['3', '2', '1']);
    await expect(client.versionsWithTag('Web', 'nope')).rejects.toMatchObject({
      code: 'COV_BROKER_CLIENT_NOT_FOUND',
    });
    await expect(client.versionsInEnvironment('Web', 'nowhere')).rejects.toMatchObject({
      code: 'COV_BROKER_CLIENT_NOT_FOUND',
    });
  });

  it('answers the fixed can-i-deploy questions with the matrix, or 404 without the version', async () => {
    const prodToProd = await call('GET', '/pacticipants/Web/latest-version/prod/can-i-deploy/to/prod');
    expect(prodToProd.status).toBe(200);
    expect(prodToProd.json.summary.deployable).toBe(true);
    expect(prodToProd.json.matrix[0].consumer.version.number).toBe('1');
    // Web 3 (dev) was never verified by Api 1.0, the latest prod version
    const devToProd = (await call('GET', '/pacticipants/Web/latest-version/dev/can-i-deploy/to/prod')).json;
    expect(devToProd.summary.deployable).not.toBe(true);
    expect((await call('GET', '/pacticipants/Web/latest-version/nope/can-i-deploy/to/prod')).status).toBe(
      404,
    );

    const branch = '/pacticipants/Web/branches/main/latest-version/can-i-deploy/to-environment';
    const toProduction = await call('GET', `${branch}/production`);
    expect(toProduction.status).toBe(200);
    expect(toProduction.json.summary.deployable).toBe(true);
    expect((await call('GET', `${branch}/nowhere`)).status).toBe(400);
    expect(
      (
        await call(
          'GET',
          '/pacticipants/Web/branches/none/latest-version/can-i-deploy/to-environment/production',
        )
      ).status,
    ).toBe(404);
  });

  it('draws the can-i-merge badge, naming what is missing', async () => {
    expect(await badgeText('/pacticipants/Web/main-branch/can-i-merge/badge')).toBe('can-i-merge: yes');
    expect(await badgeText('/pacticipants/Web/main-branch/can-i-merge/badge?label=merge')).toBe('merge: yes');
    expect(await badgeText('/pacticipants/Nobody/main-branch/can-i-merge/badge')).toBe(
      'pacticipant: not found',
    );
    await write('PUT', '/pacticipants/Lonely', {});
    expect(await badgeText('/pacticipants/Lonely/main-branch/can-i-merge/badge')).toBe(
      'main branch version: not found',
    );
  });

  it('deletes all branches but the main branch and the excluded ones; their versions stay', async () => {
    for (const branch of ['feat-a', 'feat-b', 'keep-me'])
      await write('PUT', `/pacticipants/Web/branches/${branch}/versions/2`);
    const answer = await call('DELETE', '/pacticipants/Web/branches?exclude[]=keep-me');
    expect(answer.status).toBe(202);
    expect(answer.json.notices.map((n: { text: string }) => n.text)).toEqual([
      'Deleted 2 branches of Web: feat-a, feat-b',
      'Kept the main branch and the excluded branches: keep-me, main',
    ]);
    const names = (await call('GET', '/pacticipants/Web/branches')).json._embedded.branches.map(
      (b: { name: string }) => b.name,
    );
    expect(names).toEqual(['keep-me', 'main']);
    expect((await call('GET', '/pacticipants/Web/versions/2')).status).toBe(200);
    expect((await call('DELETE', '/pacticipants/Nobody/branches')).status).toBe(404);
  });

  it('takes a version off a branch, keeping both', async () => {
    const path = '/pacticipants/Web/branches/keep-me/versions/2';
    expect((await call('DELETE', path)).status).toBe(204);
    expect((await call('GET', path)).status).toBe(404);
    expect((await call('DELETE', path)).status).toBe(404);
    expect((await call('GET', '/pacticipants/Web/branches/keep-me')).status).toBe(200);
    expect((await call('GET', '/pacticipants/Web/versions/2')).status).toBe(200);
    expect((await call('DELETE', '/pacticipants/Web/branches/gone/versions/2')).status).toBe(404);
  });
});
