import { brokerHarness, databaseKinds, pactFixture } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { startBroker } from './server.js';

const broker = brokerHarness((database) => startBroker({ port: 0, database }));
const { call } = broker;

const publish = (consumer: string, provider: string, version: string, interactions: string[]) =>
  call(
    'PUT',
    `/pacts/provider/${provider}/consumer/${consumer}/version/${version}`,
    pactFixture({ consumer, provider, interactions }),
  );
const descriptions = (json: { interactions: Array<{ description: string }> }) =>
  json.interactions.map((i) => i.description).sort();

describe.each(databaseKinds())('merging and deleting (%s)', (kind) => {
  broker.runOn(kind);

  it('PATCH merges interactions into a published pact, and publishes when there is none', async () => {
    expect((await publish('Web', 'Orders', '1.0.0', ['a', 'b'])).status).toBe(201);
    const patch = (version: string, interactions: string[]) =>
      call(
        'PATCH',
        `/pacts/provider/Orders/consumer/Web/version/${version}`,
        pactFixture({ consumer: 'Web', provider: 'Orders', interactions }),
      );
    const merged = await patch('1.0.0', ['b', 'c']);
    expect(merged.status).toBe(200);
    expect(descriptions(merged.json)).toEqual(['a', 'b', 'c']);
    expect(
      descriptions((await call('GET', '/pacts/provider/Orders/consumer/Web/version/1.0.0')).json),
    ).toEqual(['a', 'b', 'c']);
    const fresh = await patch('1.0.1', ['z']);
    expect(fresh.status).toBe(201);
    expect(descriptions(fresh.json)).toEqual(['z']);
  });

  it("DELETE removes a version's pact, a verification result, a version and an integration", async () => {
    const pactPath = '/pacts/provider/Orders/consumer/Web/version/1.0.1';
    expect((await call('DELETE', pactPath)).status).toBe(204);
    expect((await call('GET', pactPath)).status).toBe(404);
    expect((await call('DELETE', pactPath)).status).toBe(404);
    // the version itself stays
    expect((await call('GET', '/pacticipants/Web/versions/1.0.1')).status).toBe(200);

    const pact = (await call('GET', '/pacts/provider/Orders/consumer/Web/version/1.0.0')).json;
    const results = pact._links['pb:publish-verification-results'].href.slice(broker.url.length);
    const verified = await call('POST', results, { success: true, providerApplicationVersion: '9' });
    expect(verified.status).toBe(201);
    const resultPath = verified.json._links.self.href.slice(broker.url.length);
    expect((await call('GET', resultPath)).status).toBe(200);
    expect((await call('DELETE', resultPath)).status).toBe(204);
    expect((await call('GET', resultPath)).status).toBe(404);
    expect((await call('DELETE', resultPath)).status).toBe(404);

    expect((await call('DELETE', '/pacticipants/Web/versions/1.0.1')).status).toBe(204);
    expect((await call('GET', '/pacticipants/Web/versions/1.0.1')).status).toBe(404);
    expect((await call('DELETE', '/pacticipants/Web/versions/1.0.1')).status).toBe(404);

    await publish('App', 'Orders', '1', ['x']);
    expect((await call('DELETE', '/integrations/provider/Orders/consumer/Web')).status).toBe(204);
    expect((await call('GET', '/pacts/provider/Orders/consumer/Web/latest')).status).toBe(404);
    expect((await call('DELETE', '/pacts/provider/Orders/consumer/Web/versions')).status).toBe(404);
    expect((await call('GET', '/pacts/provider/Orders/consumer/App/latest')).status).toBe(200);
    expect((await call('DELETE', '/pacts/provider/Orders/consumer/App/versions')).status).toBe(204);
    expect((await call('GET', '/integrations')).json._embedded.integrations).toEqual([]);
    // the pacticipants stay
    expect((await call('GET', '/pacticipants/App')).status).toBe(200);
    await publish('App', 'Orders', '2', ['x']);
    expect((await call('DELETE', '/integrations')).status).toBe(204);
    expect((await call('GET', '/pacts/latest')).json.pacts).toEqual([]);
  });

  it("deletes a branch's pacts, and its versions on request, never a deployed or released one", async () => {
    for (const version of ['b1', 'b2', 'b3', 'b4']) {
      await publish('Web', 'Orders', version, [`i-${version}`]);
      await call('PUT', `/pacticipants/Web/branches/feat/versions/${version}`, {});
    }
    await call('PUT', '/pacticipants/Web/branches/main/versions/b4', {});
    const production = (await call('POST', '/environments', { name: 'production', production: true })).json
      .uuid;
    await call('POST', `/pacticipants/Web/versions/b1/deployed-versions/environment/${production}`, {});
    await call('POST', `/pacticipants/Web/versions/b2/released-versions/environment/${production}`, {});

    const versions = async (branch: string) =>
      (await call('GET', `/pacticipants/Web/branches/${branch}/versions`)).json._embedded.versions.map(
        (v: { number: string }) => v.number,
      );
    expect(await versions('feat')).toEqual(['b4', 'b3', 'b2', 'b1']);
    expect((await call('GET', '/pacticipants/Web/branches/feat/latest-version')).json.number).toBe('b4');
    expect((await call('GET', '/pacticipants/Web/branches/none/latest-version')).status).toBe(404);

    // pact_broker#628: the branch's pacts go, except the deployed b1's and released b2's
    expect((await call('DELETE', '/pacts/provider/Orders/consumer/Web/branch/feat')).status).toBe(204);
    const left = (
      await call('GET', '/pacts/provider/Orders/consumer/Web/branch/feat')
    ).json._embedded.pacts.map(
      (p: { _embedded: { consumerVersion: { number: string } } }) => p._embedded.consumerVersion.number,
    );
    expect(left).toEqual(['b2', 'b1']);
    expect((await call('DELETE', '/pacts/provider/Orders/consumer/Web/branch/feat')).status).toBe(404);

    // deleting the branch with its versions: b3 goes; b1 (deployed), b2 (released), b4 (on main) stay
    expect((await call('DELETE', '/pacticipants/Web/branches/feat?deleteVersions=true')).status).toBe(204);
    expect((await call('GET', '/pacticipants/Web/branches/feat')).status).toBe(404);
    const exists = async (v: string) => (await call('GET', `/pacticipants/Web/versions/${v}`)).status;
    expect([await exists('b1'), await exists('b2'), await exists('b3'), await exists('b4')]).toEqual([
      200, 200, 404, 200,
    ]);
    // without the flag, the versions stay
    await call('PUT', '/pacticipants/Web/branches/tmp/versions/b5', {});
    expect((await call('DELETE', '/pacticipants/Web/branches/tmp')).status).toBe(204);
    expect(await exists('b5')).toBe(200);
  });
});
