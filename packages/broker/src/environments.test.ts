import { brokerHarness, databaseKinds } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { startBroker } from './server.js';

const broker = brokerHarness((database) => startBroker({ port: 0, database }));
const { call } = broker;

async function createEnvironment(name: string, production: boolean): Promise<string> {
  const created = await call('POST', '/environments', { name, displayName: name.toUpperCase(), production });
  expect(created.status).toBe(201);
  return created.json.uuid;
}

/** Records a deployment the way the pact-broker CLI does: through the version's `pb:record-deployment` link. */
async function recordDeployment(
  pacticipant: string,
  version: string,
  environment: string,
  body: unknown = {},
) {
  await call('PUT', `/pacticipants/${pacticipant}/versions/${version}`, {});
  const resource = await call('GET', `/pacticipants/${pacticipant}/versions/${version}`);
  const link = (resource.json._links['pb:record-deployment'] as Array<{ name: string; href: string }>).find(
    (l) => l.name === environment,
  );
  return call('POST', link!.href, body);
}

async function recordRelease(pacticipant: string, version: string, environment: string) {
  await call('PUT', `/pacticipants/${pacticipant}/versions/${version}`, {});
  const resource = await call('GET', `/pacticipants/${pacticipant}/versions/${version}`);
  const link = (resource.json._links['pb:record-release'] as Array<{ name: string; href: string }>).find(
    (l) => l.name === environment,
  );
  return call('POST', link!.href, {});
}

describe.each(databaseKinds())('environments, deployments and releases (%s)', (kind) => {
  broker.runOn(kind);

  it('creates, lists, reads, replaces and deletes environments', async () => {
    const created = await call('POST', '/environments', {
      name: 'test',
      displayName: 'Test',
      production: false,
      contacts: [{ name: 'Foo team', details: { emailAddress: 'foo@bar.com' } }],
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'test',
      displayName: 'Test',
      production: false,
      contacts: [{ name: 'Foo team', details: { emailAddress: 'foo@bar.com' } }],
    });
    expect(created.json.uuid).toMatch(/^[0-9a-f-]{36}$/);
    const self = `${broker.url}/environments/${created.json.uuid}`;
    expect(created.headers.get('location')).toBe(self);
    expect(created.json._links['pb:currently-deployed-deployed-versions'].href).toBe(
      `${self}/deployed-versions/currently-deployed`,
    );

    const list = await call('GET', '/environments');
    expect(list.json._embedded.environments.map((e: { name: string }) => e.name)).toContain('test');
    // the CLI finds an environment by name through these links
    expect(list.json._links['pb:environments']).toContainEqual({ title: 'Test', name: 'test', href: self });
    expect((await call('GET', '/environments?name=test')).json._embedded.environments).toHaveLength(1);
    expect((await call('GET', '/environments?name=nope')).json._embedded.environments).toHaveLength(0);

    const replaced = await call('PUT', `/environments/${created.json.uuid}`, {
      name: 'test',
      displayName: 'Testing',
      production: true,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ displayName: 'Testing', production: true });
    expect(replaced.json.contacts).toBeUndefined();
    expect((await call('GET', `/environments/${created.json.uuid}`)).json.displayName).toBe('Testing');

    expect((await call('DELETE', `/environments/${created.json.uuid}`)).status).toBe(204);
    expect((await call('GET', `/environments/${created.json.uuid}`)).status).toBe(404);
  });

  it('rejects invalid environments with field errors, and unknown uuids with 404', async () => {
    const spaced = await call('POST', '/environments', { name: 'my env', production: false });
    expect(spaced.status).toBe(400);
    expect(spaced.json.errors.name).toEqual(['name must not contain spaces']);
    const incomplete = await call('POST', '/environments', { displayName: 'x', contacts: 'me' });
    expect(incomplete.status).toBe(400);
    expect(Object.keys(incomplete.json.errors).sort()).toEqual(['contacts', 'name', 'production']);
    expect((await call('POST', '/environments', [1, 2])).json.errors).toEqual({
      body: ['the body must be a JSON object'],
    });
    // every field is told its rule, in both shapes; a blank name only that it is required
    const wrong = { name: ' ', production: 'yes', displayName: 5, contacts: [{ name: ' ' }] };
    const messages = {
      name: ['name is required'],
      production: ['production is required and must be true or false'],
      displayName: ['displayName must be a string'],
      contacts: ['contacts must be a list of {name, details?} objects'],
    };
    const legacy = await call('PUT', `/environments/${await createEnvironment('kept', false)}`, wrong);
    expect(legacy.status).toBe(400);
    expect(legacy.json.errors).toEqual(messages);
    const problem = await call('POST', '/environments', wrong, { Accept: 'application/problem+json' });
    expect(problem.json).toMatchObject({ status: 400, code: 'COV_BROKER_REQUEST_INVALID' });
    expect(problem.json.detail.split('; ').sort()).toEqual(Object.values(messages).flat().sort());

    await createEnvironment('unique', false);
    const duplicate = await call('POST', '/environments', { name: 'unique', production: true });
    expect(duplicate.status).toBe(400);
    expect(duplicate.json.errors.name[0]).toContain("Another environment with name 'unique' already exists");

    const other = await createEnvironment('other', false);
    const renamed = await call('PUT', `/environments/${other}`, { name: 'unique', production: false });
    expect(renamed.status).toBe(400);

    const missing = '00000000-0000-0000-0000-000000000000';
    expect((await call('GET', `/environments/${missing}`)).status).toBe(404);
    expect((await call('PUT', `/environments/${missing}`, { name: 'x', production: false })).status).toBe(
      404,
    );
    expect((await call('DELETE', `/environments/${missing}`)).status).toBe(404);
  });

  it('records a deployment and undeploys the version it replaces', async () => {
    const production = await createEnvironment('production', true);
    const first = await recordDeployment('Foo', '1', 'production');
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      currentlyDeployed: true,
      applicationInstance: null,
      undeployedAt: null,
      _embedded: { version: { number: '1' }, environment: { name: 'production', uuid: production } },
    });
    expect(first.headers.get('location')).toBe(`${broker.url}/deployed-versions/${first.json.uuid}`);

    // the same version again: nothing changes
    const again = await recordDeployment('Foo', '1', 'production');
    expect(again.json.uuid).toBe(first.json.uuid);

    const second = await recordDeployment('Foo', '2', 'production');
    expect(second.status).toBe(201);
    const replaced = await call('GET', `/deployed-versions/${first.json.uuid}`);
    expect(replaced.json.currentlyDeployed).toBe(false);
    expect(replaced.json.undeployedAt).toEqual(expect.any(String));

    const current = await call(
      'GET',
      `/environments/${production}/deployed-versions/currently-deployed?pacticipant=Foo`,
    );
    expect(
      current.json._embedded.deployedVersions.map((d: { _embedded: { version: { number: string } } }) => [
        d._embedded.version.number,
      ]),
    ).toEqual([['2']]);
  });

  it('keeps one current deployment per application instance', async () => {
    const env = await createEnvironment('regional', true);
    await recordDeployment('Bar', '1', 'regional', { applicationInstance: 'eu' });
    await recordDeployment('Bar', '1', 'regional', { applicationInstance: 'us', target: 'us' });
    await recordDeployment('Bar', '2', 'regional', { applicationInstance: 'eu' });
    const current = async (query = '') =>
      (
        await call('GET', `/environments/${env}/deployed-versions/currently-deployed?pacticipant=Bar${query}`)
      ).json._embedded.deployedVersions.map(
        (d: { applicationInstance: string; _embedded: { version: { number: string } } }) =>
          `${d.applicationInstance}:${d._embedded.version.number}`,
      );
    expect((await current()).sort()).toEqual(['eu:2', 'us:1']);
    expect(await current('&applicationInstance=us')).toEqual(['us:1']);
  });

  it('undeploys with PATCH currentlyDeployed=false, and refuses to redeploy or odd values', async () => {
    const env = await createEnvironment('sandbox', false);
    const deployed = await recordDeployment('Baz', '1', 'sandbox');
    const path = `/deployed-versions/${deployed.json.uuid}`;
    expect((await call('PATCH', path, { currentlyDeployed: 'no' })).status).toBe(400);
    const patched = await call(
      'PATCH',
      path,
      { currentlyDeployed: false },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    expect(patched.status).toBe(200);
    expect(patched.json.currentlyDeployed).toBe(false);
    expect((await call('PATCH', path, { currentlyDeployed: true })).status).toBe(400);
    const current = await call('GET', `/environments/${env}/deployed-versions/currently-deployed`);
    expect(current.json._embedded.deployedVersions).toHaveLength(0);
    expect((await call('GET', '/deployed-versions/nope')).status).toBe(404);
  });

  it('answers 404 for deployments of unknown versions or environments, 400 for a bad body', async () => {
    const env = await createEnvironment('qa', false);
    expect(
      (await call('POST', `/pacticipants/Nobody/versions/1/deployed-versions/environment/${env}`, {})).status,
    ).toBe(404);
    await call('PUT', '/pacticipants/Qux/versions/1', {});
    expect(
      (await call('POST', `/pacticipants/Qux/versions/2/deployed-versions/environment/${env}`, {})).status,
    ).toBe(404);
    expect(
      (await call('POST', '/pacticipants/Qux/versions/1/deployed-versions/environment/nope', {})).status,
    ).toBe(404);
    const bad = await call('POST', `/pacticipants/Qux/versions/1/deployed-versions/environment/${env}`, {
      applicationInstance: 42,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.applicationInstance).toBeDefined();
  });

  it('records releases that coexist, once per version, until support ends', async () => {
    const store = await createEnvironment('app-store', true);
    const one = await recordRelease('MobileApp', '1', 'app-store');
    expect(one.status).toBe(201);
    expect(one.json).toMatchObject({ currentlySupported: true, _embedded: { version: { number: '1' } } });
    const two = await recordRelease('MobileApp', '2', 'app-store');
    expect((await recordRelease('MobileApp', '1', 'app-store')).json.uuid).toBe(one.json.uuid);

    const supported = async () =>
      (
        await call(
          'GET',
          `/environments/${store}/released-versions/currently-supported?pacticipant=MobileApp`,
        )
      ).json._embedded.releasedVersions.map(
        (r: { _embedded: { version: { number: string } } }) => r._embedded.version.number,
      );
    expect(await supported()).toEqual(['1', '2']);

    const ended = await call('PATCH', `/released-versions/${one.json.uuid}`, { currentlySupported: false });
    expect(ended.status).toBe(200);
    expect(ended.json.currentlySupported).toBe(false);
    expect(ended.json.supportEndedAt).toEqual(expect.any(String));
    expect(await supported()).toEqual(['2']);
    expect((await call('GET', `/released-versions/${two.json.uuid}`)).json.currentlySupported).toBe(true);
    expect(
      (await call('PATCH', `/released-versions/${one.json.uuid}`, { currentlySupported: true })).status,
    ).toBe(400);
  });
});
