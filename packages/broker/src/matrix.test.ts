import { brokerHarness, databaseKinds, pactFixture } from '@covenant/test-support';
import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp, openDatabase } from './index.js';
import { parseNestedQuery } from './routes/matrix.js';

// the matrix is about answers, not sockets: requests go through Fastify's inject
const broker = brokerHarness(async (location) => {
  const database = await openDatabase(location);
  const app = createApp({ database, baseUrl: 'http://broker.test' });
  return {
    url: 'http://broker.test',
    inject: (request) => app.inject(request as InjectOptions),
    async close() {
      await app.close();
      await database.close();
    },
  };
});
const { call } = broker;

/** Publishes a pact and returns the path its verification results are posted to. */
async function publish(consumer: string, version: string, provider: string, description: string) {
  const published = await call(
    'PUT',
    `/pacts/provider/${provider}/consumer/${consumer}/version/${version}`,
    pactFixture({ consumer, provider, interactions: [description] }),
  );
  expect(published.status).toBe(201);
  return new URL(published.json._links['pb:publish-verification-results'].href).pathname;
}

async function verify(resultsPath: string, providerVersion: string, success: boolean) {
  const result = await call('POST', resultsPath, { success, providerApplicationVersion: providerVersion });
  expect(result.status).toBe(201);
}

async function deploy(pacticipant: string, version: string, environment: string) {
  const resource = await call('GET', `/pacticipants/${pacticipant}/versions/${version}`);
  const link = resource.json._links['pb:record-deployment'].find(
    (l: { name: string }) => l.name === environment,
  );
  expect((await call('POST', link.href, {})).status).toBe(201);
}

async function release(pacticipant: string, version: string, environment: string) {
  const resource = await call('GET', `/pacticipants/${pacticipant}/versions/${version}`);
  const link = resource.json._links['pb:record-release'].find(
    (l: { name: string }) => l.name === environment,
  );
  const released = await call('POST', link.href, {});
  expect(released.status).toBe(201);
  return released.json.uuid as string;
}

const rowsOf = (json: {
  matrix: Array<{
    consumer: { version: { number: string } };
    provider: { version: { number: string } | null };
    verificationResult: { success: boolean } | null;
  }>;
}) =>
  json.matrix.map(
    (r) =>
      `${r.consumer.version.number}>${r.provider.version?.number ?? '-'}:${r.verificationResult === null ? '?' : r.verificationResult.success ? 'ok' : 'fail'}`,
  );

describe('Rack-style nested query strings', () => {
  it('starts a new selector when a key repeats, as Rack does', () => {
    expect(
      parseNestedQuery(
        'q[][pacticipant]=Foo+Thing&q[][version]=1%2e2%2e3&q[][pacticipant]=Bar&q[][latest]=true&q[][tag]=prod&latestby=cvpv',
      ),
    ).toEqual({
      q: [
        { pacticipant: 'Foo Thing', version: '1.2.3' },
        { pacticipant: 'Bar', latest: 'true', tag: 'prod' },
      ],
      latestby: 'cvpv',
    });
    expect(parseNestedQuery('success[]=true&success[]=&ignore[][pacticipant]=A&a[b][c]=1')).toEqual({
      success: ['true', ''],
      ignore: [{ pacticipant: 'A' }],
      a: { b: { c: '1' } },
    });
  });

  it('refuses conflicting shapes and bad percent-encoding with 400 problems', () => {
    expect(() => parseNestedQuery('q=1&q[][pacticipant]=x')).toThrow(/conflicting shapes/);
    expect(() => parseNestedQuery('q[][pacticipant]=%E0%A4%A')).toThrow(/percent-encoding/);
  });
});

describe.each(databaseKinds())('matrix and can-i-deploy (%s)', (kind) => {
  broker.runOn(kind);
  beforeAll(async () => {
    for (const [name, production] of [
      ['production', true],
      ['staging', false],
    ] as const)
      expect((await call('POST', '/environments', { name, production })).status).toBe(201);

    // Web 1, 2 and 3 each publish different content for Api
    const web1 = await publish('Web', '1', 'Api', 'get a user');
    const web2 = await publish('Web', '2', 'Api', 'get a user by email');
    await publish('Web', '3', 'Api', 'delete a user');
    // Api a1 (tagged prod, main branch, in production) passes Web 1 and fails Web 2;
    // a2 passes Web 1, a3 fails it, a4 verifies nothing
    await verify(web1, 'a1', true);
    await verify(web2, 'a1', false);
    await verify(web1, 'a2', true);
    await verify(web1, 'a3', false);
    await call('PUT', '/pacticipants/Api/versions/a4', {});
    await call('PUT', '/pacticipants/Api/versions/a1/tags/prod', {});
    await call('PUT', '/pacticipants/Api/branches/main/versions/a1', {});
    await call('PUT', '/pacticipants/Api/branches/feature/versions/a2', {});
    await call('PATCH', '/pacticipants/Api', { mainBranch: 'main' });
    await deploy('Api', 'a1', 'production');
    await deploy('Web', '1', 'production');
  });

  it('says yes for a consumer version whose pact the provider in production verified', async () => {
    const answer = await call('GET', '/can-i-deploy?pacticipant=Web&version=1&environment=production');
    expect(answer.status).toBe(200);
    expect(answer.json.summary).toEqual({
      deployable: true,
      reason: 'All required verification results are published and successful',
      success: 1,
      failed: 0,
      unknown: 0,
    });
    expect(answer.json.notices).toEqual([
      { type: 'success', text: 'All required verification results are published and successful' },
    ]);
    const [row] = answer.json.matrix;
    expect(row).toMatchObject({
      consumer: { name: 'Web', version: { number: '1', branch: null, tags: [] } },
      provider: {
        name: 'Api',
        version: {
          number: 'a1',
          branch: 'main',
          branches: [{ name: 'main', latest: true }],
          tags: [{ name: 'prod', latest: true }],
          environments: [{ name: 'production', production: true }],
        },
      },
      pact: { createdAt: expect.any(String) },
      verificationResult: { success: true, verifiedAt: expect.any(String) },
    });
    expect(row.verificationResult._links.self.href).toMatch(
      /\/pacts\/provider\/Api\/consumer\/Web\/pact-version\/[0-9a-f]{40}\/verification-results\/\d+$/,
    );
    expect(row.pact._links.self.href).toBe(`${broker.url}/pacts/provider/Api/consumer/Web/version/1`);
  });

  it('says no, with the reason, when the verification failed', async () => {
    const answer = await call('GET', '/can-i-deploy?pacticipant=Web&version=2&environment=production');
    expect(answer.json.summary).toMatchObject({ deployable: false, success: 0, failed: 1, unknown: 0 });
    expect(answer.json.summary.reason).toBe(
      'The verification for the pact between version 2 of Web and the version of Api currently deployed to production (a1) failed',
    );
    expect(answer.json.notices[0].type).toBe('error');
  });

  it('does not know (null, unknown 1) when the pact has no verification', async () => {
    const answer = await call('GET', '/can-i-deploy?pacticipant=Web&version=3&environment=production');
    expect(answer.json.summary).toMatchObject({ deployable: null, success: 0, failed: 0, unknown: 1 });
    expect(answer.json.summary.reason).toBe(
      'There is no verified pact between version 3 of Web and the version of Api currently deployed to production (a1)',
    );
    expect(answer.json.matrix[0].provider.version).toBeNull();
    expect(answer.json.matrix[0].verificationResult).toBeNull();
  });

  it('checks a provider version against the consumer versions deployed in the environment', async () => {
    const verdict = async (version: string) =>
      (await call('GET', `/can-i-deploy?pacticipant=Api&version=${version}&environment=production`)).json;
    const passed = await verdict('a2');
    expect(passed.summary.deployable).toBe(true);
    // only Web 1 is in production; Web 2 and 3 don't matter to the provider
    expect(rowsOf(passed)).toEqual(['1>a2:ok']);
    expect((await verdict('a3')).summary.deployable).toBe(false);
    const unverified = await verdict('a4');
    expect(unverified.summary).toMatchObject({ deployable: null, unknown: 1 });
    expect(unverified.summary.reason).toBe(
      'There is no verified pact between the version of Web currently deployed to production (1) and version a4 of Api',
    );
  });

  it('ignores a pacticipant: its rows are returned, flagged and not counted', async () => {
    const answer = await call(
      'GET',
      '/can-i-deploy?pacticipant=Web&version=2&environment=production&ignore=Api',
    );
    expect(answer.json.summary).toMatchObject({ deployable: true, success: 0, failed: 0, ignored: 1 });
    expect(answer.json.matrix[0].ignored).toBe(true);
    expect(answer.json.summary.reason).toContain(
      '[IGNORED] The verification for the pact between version 2 of Web',
    );
    const viaMatrix = await call(
      'GET',
      '/matrix?q[][pacticipant]=Web&q[][version]=2&environment=production&latestby=cvpv&ignore[][pacticipant]=Api&ignore[][version]=a1',
    );
    expect(viaMatrix.json.summary).toMatchObject({ deployable: true, ignored: 1 });
    const unknown = await call(
      'GET',
      '/can-i-deploy?pacticipant=Web&version=1&environment=production&ignore[]=Nobody',
    );
    expect(unknown.json.summary.deployable).toBe(true);
    expect(unknown.json.notices).toContainEqual({
      type: 'warning',
      text: 'WARN: Cannot ignore any version of Nobody (no such pacticipant exists)',
    });
  });

  it('checks against the latest version with a tag (to=TAG), as the CLI does with --to', async () => {
    const yes = await call('GET', '/can-i-deploy?pacticipant=Web&version=1&to=prod');
    expect(yes.json.summary.deployable).toBe(true);
    expect(rowsOf(yes.json)).toEqual(['1>a1:ok']);
    const no = await call('GET', '/can-i-deploy?pacticipant=Web&version=2&to=prod');
    expect(no.json.summary.reason).toBe(
      'The verification for the pact between version 2 of Web and the latest version of Api with tag prod (a1) failed',
    );
    const cli = await call(
      'GET',
      '/matrix?q[][pacticipant]=Web&q[][version]=1&latestby=cvp&latest=true&tag=prod',
    );
    expect(cli.json.summary.deployable).toBe(true);
  });

  it('answers the query forms the CLI sends to /matrix', async () => {
    const matrix = async (query: string) => (await call('GET', `/matrix?${query}`)).json;
    // two versions named: one row
    const pair = await matrix(
      'q[][pacticipant]=Web&q[][version]=1&q[][pacticipant]=Api&q[][version]=a2&latestby=cvpv',
    );
    expect(rowsOf(pair)).toEqual(['1>a2:ok']);
    // the latest version with a tag, named in a selector
    const tagged = await matrix(
      'q[][pacticipant]=Web&q[][version]=1&q[][pacticipant]=Api&q[][latest]=true&q[][tag]=prod&latestby=cvpv',
    );
    expect(rowsOf(tagged)).toEqual(['1>a1:ok']);
    // every provider version that verified, and with cvp only the newest of them
    expect(rowsOf(await matrix('q[][pacticipant]=Web&q[][version]=1'))).toEqual([
      '1>a3:fail',
      '1>a2:ok',
      '1>a1:ok',
    ]);
    expect(rowsOf(await matrix('q[][pacticipant]=Web&q[][version]=1&latestby=cvp'))).toEqual(['1>a3:fail']);
    // latest=true: the latest Api version (a4) hasn't verified anything
    const latest = await matrix('q[][pacticipant]=Web&q[][version]=1&latestby=cvp&latest=true');
    expect(latest.summary).toMatchObject({ deployable: null, unknown: 1 });
    expect(latest.notices).toContainEqual(
      expect.objectContaining({ type: 'warning', text: expect.stringContaining('specify the environment') }),
    );
    // can-i-merge: the latest version of Api's main branch
    const merge = await matrix(
      'q[][pacticipant]=Web&q[][version]=1&latestby=cvp&latest=true&mainBranch=true',
    );
    expect(rowsOf(merge)).toEqual(['1>a1:ok']);
    // the whole integration, filtered to failures
    expect(rowsOf(await matrix('q[][pacticipant]=Web&q[][pacticipant]=Api&success[]=false'))).toEqual([
      '2>a1:fail',
      '1>a3:fail',
    ]);
    const limited = await matrix('q[][pacticipant]=Web&q[][pacticipant]=Api&limit=2');
    expect(rowsOf(limited)).toHaveLength(2);
    expect(limited.notices).toContainEqual({
      type: 'warning',
      text: expect.stringContaining('More than 2 rows match this query'),
    });
  });

  it('says no for a version that does not exist, without a 400', async () => {
    const answer = await call(
      'GET',
      '/matrix?q[][pacticipant]=Web&q[][version]=9&q[][pacticipant]=Api&q[][version]=a1',
    );
    expect(answer.status).toBe(200);
    expect(answer.json.summary).toMatchObject({
      deployable: false,
      reason: 'No pacts or verifications have been published for version 9 of Web',
    });
  });

  it('checks each released, still supported consumer version until its support ends', async () => {
    const mobile1 = await publish('Mobile', '1', 'Shop', 'list products');
    const mobile2 = await publish('Mobile', '2', 'Shop', 'list products with prices');
    await verify(mobile1, 's1', false);
    await verify(mobile2, 's1', true);
    const old = await release('Mobile', '1', 'production');
    await release('Mobile', '2', 'production');
    const before = await call('GET', '/can-i-deploy?pacticipant=Shop&version=s1&environment=production');
    // both live versions are rows: the newer passing one doesn't hide the failing one
    expect(rowsOf(before.json)).toEqual(['2>s1:ok', '1>s1:fail']);
    expect(before.json.summary.deployable).toBe(false);
    await call('PATCH', `/released-versions/${old}`, { currentlySupported: false });
    const after = await call('GET', '/can-i-deploy?pacticipant=Shop&version=s1&environment=production');
    expect(after.json.summary.deployable).toBe(true);
    expect(rowsOf(after.json)).toEqual(['2>s1:ok']);
  });

  it('counts a version deployed to two instances and released to the same environment once', async () => {
    const kiosk = await publish('Kiosk', '1', 'Till', 'open the till');
    await verify(kiosk, 't1', true);
    const resource = await call('GET', '/pacticipants/Till/versions/t1');
    const link = resource.json._links['pb:record-deployment'].find(
      (l: { name: string }) => l.name === 'staging',
    );
    for (const applicationInstance of ['left', 'right'])
      expect((await call('POST', link.href, { applicationInstance })).status).toBe(201);
    await release('Till', 't1', 'staging');
    const answer = await call('GET', '/can-i-deploy?pacticipant=Kiosk&version=1&environment=staging');
    expect(answer.json.summary.deployable).toBe(true);
    expect(rowsOf(answer.json)).toEqual(['1>t1:ok']);
    expect(answer.json.matrix[0].provider.version.environments.map((e: { name: string }) => e.name)).toEqual([
      'staging',
    ]);
  });

  it('has no missing dependencies for a pacticipant without pacts', async () => {
    await call('PUT', '/pacticipants/Lonely/versions/1', {});
    const answer = await call('GET', '/can-i-deploy?pacticipant=Lonely&version=1&environment=production');
    expect(answer.json.summary).toMatchObject({
      deployable: true,
      reason: 'There are no missing dependencies',
    });
    expect(answer.json.matrix).toEqual([]);
  });

  it('answers bad queries with 400 and field errors, never 500', async () => {
    // problem+json carries each error with a pointer to its field; the legacy shape is a list
    const bad = async (path: string) => {
      const answer = await call('GET', path, undefined, { Accept: 'application/problem+json' });
      expect(answer.status, path).toBe(400);
      const byField: Record<string, string[]> = {};
      for (const e of answer.json.errors as Array<{ pointer: string; detail: string }>) {
        (byField[e.pointer.slice(1)] ??= []).push(e.detail);
      }
      return byField;
    };
    const legacy = await call('GET', '/matrix?q[][pacticipant]=Nobody&q[][version]=1');
    expect(legacy.json.errors).toEqual(['Pacticipant Nobody not found']);
    expect((await bad('/matrix?q[][pacticipant]=Nobody&q[][version]=1')).q).toEqual([
      'Pacticipant Nobody not found',
    ]);
    expect(
      (await bad('/matrix?q[][pacticipant]=Web&q[][version]=1&environment=nowhere')).environment,
    ).toEqual(["Environment with name 'nowhere' does not exist"]);
    expect((await bad('/matrix?q[][pacticipant]=Web&q[][version]=1&q[][latest]=true')).q).toEqual([
      'A version number and latest flag cannot both be specified for Web',
    ]);
    expect((await bad('/matrix')).q).toEqual(['Please provide 1 or more version selectors.']);
    expect((await bad('/matrix?q[][version]=1')).q).toEqual(['q[0]: please specify the pacticipant name']);
    expect(await bad('/matrix?q[][pacticipant]=Web&latestby=newest')).toHaveProperty('latestby');
    expect(await bad('/matrix?q[][pacticipant]=Web&limit=0')).toHaveProperty('limit');
    expect(await bad('/matrix?q[][pacticipant]=Web&success[]=maybe')).toHaveProperty('success');
    expect(await bad('/matrix?q[][pacticipant]=Web&latest=true&environment=production')).toHaveProperty(
      'latest',
    );
    expect(await bad('/matrix?q=1&q[][pacticipant]=Web')).toHaveProperty('q');
    expect(await bad('/matrix?q[][pacticipant]=%E0%A4%A')).toHaveProperty('query');
    expect(Object.keys(await bad('/can-i-deploy?to=prod')).sort()).toEqual(['pacticipant', 'version']);
    expect(
      await bad('/can-i-deploy?pacticipant=Web&version=1&to=prod&environment=production'),
    ).toHaveProperty('to');
    expect(await bad('/can-i-deploy?pacticipant=Web&version=1&environment=nowhere')).toHaveProperty(
      'environment',
    );
  });
});
