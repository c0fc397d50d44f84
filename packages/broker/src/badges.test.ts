import { caller, createTestDatabase, databaseKinds, type TestDatabase } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from './server.js';

const WRITER = `Basic ${Buffer.from('u:p').toString('base64')}`;
const CAN_I_DEPLOY_TAG = '/pacticipants/Web%20Shop/latest-version/main/can-i-deploy/to/prod/badge';
const CAN_I_DEPLOY_ENV =
  '/pacticipants/Web%20Shop/branches/main/latest-version/can-i-deploy/to-environment/production/badge';
const MATRIX = '/matrix/provider/Orders%20API/latest/prod/consumer/Web%20Shop/latest/main/badge';
const PACT = '/pacts/provider/Orders%20API/consumer/Web%20Shop/latest/badge';

/** The badge's accessible text, "label: message". */
const badgeText = (svg: string) => /aria-label="([^"]*)"/.exec(svg)?.[1];

describe.each(databaseKinds())('badges (%s)', (kind) => {
  let database: TestDatabase;
  let broker: RunningBroker;
  const call = caller(() => broker.url);
  const write = async (method: string, path: string, body?: unknown) => {
    const answer = await call(method, path, body);
    if (answer.status >= 400) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.json;
  };
  const badge = async (path: string) => {
    const response = await fetch(`${broker.url}${path}`);
    expect(response.status, path).toBe(200);
    expect(response.headers.get('content-type'), path).toMatch(/^image\/svg\+xml/);
    return badgeText(await response.text());
  };

  /** Web Shop 1 (branch main, tag main) has a pact with Orders API; 2.0 (tag prod, in production) verifies it. */
  const publish = async (version: string, success: boolean) => {
    const pact = await write('PUT', `/pacts/provider/Orders%20API/consumer/Web%20Shop/version/${version}`, {
      consumer: { name: 'Web Shop' },
      provider: { name: 'Orders API' },
      interactions: [
        {
          description: `order ${version}`,
          request: { method: 'GET', path: '/o' },
          response: { status: 200 },
        },
      ],
      metadata: { pactSpecification: { version: '2.0.0' } },
    });
    await write('PUT', `/pacticipants/Web%20Shop/branches/main/versions/${version}`);
    await write('PUT', `/pacticipants/Web%20Shop/versions/${version}/tags/main`);
    await write('POST', new URL(pact._links['pb:publish-verification-results'].href).pathname, {
      success,
      providerApplicationVersion: `2.${version}`,
    });
    await write('PUT', `/pacticipants/Orders%20API/versions/2.${version}/tags/prod`);
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    broker = await startBroker({ port: 0, database: database.location });
    await publish('1', true);
    const production = await write('POST', '/environments', { name: 'production', production: true });
    await write(
      'POST',
      `/pacticipants/Orders%20API/versions/2.1/deployed-versions/environment/${production.uuid}`,
      {},
    );
  });
  afterAll(async () => {
    await broker?.close();
    await database?.drop();
  });

  it('draws can-i-deploy and matrix badges that follow the verifications', async () => {
    expect(await badge(CAN_I_DEPLOY_TAG)).toBe('can-i-deploy: yes');
    expect(await badge(CAN_I_DEPLOY_ENV)).toBe('can-i-deploy: yes');
    expect(await badge(`${CAN_I_DEPLOY_ENV}?label=deploy%20web`)).toBe('deploy web: yes');
    expect(await badge(MATRIX)).toBe('web shop/orders api pact: verified');
    // a newer consumer version whose pact failed verification by the newer provider version
    await publish('2', false);
    expect(await badge(CAN_I_DEPLOY_TAG)).toBe('can-i-deploy: no');
    expect(await badge(MATRIX)).toBe('web shop/orders api pact: failed');
    // production still runs Orders API 2.1, which never verified Web Shop 2's pact
    expect(await badge(CAN_I_DEPLOY_ENV)).toBe('can-i-deploy: unknown');
    // what does not exist draws "unknown", never a 404 image
    expect(await badge('/pacticipants/Nobody/latest-version/main/can-i-deploy/to/prod/badge')).toBe(
      'can-i-deploy: unknown',
    );
    expect(
      await badge(
        '/pacticipants/Web%20Shop/branches/main/latest-version/can-i-deploy/to-environment/nowhere/badge',
      ),
    ).toBe('can-i-deploy: unknown');
    expect(
      await badge('/matrix/provider/Orders%20API/latest/none/consumer/Web%20Shop/latest/main/badge'),
    ).toBe('web shop/orders api pact: unknown');
  });

  it('links a pacticipant to its can-i-deploy badges', async () => {
    const pacticipant = await write('GET', '/pacticipants/Web%20Shop');
    const expand = (href: string, values: Record<string, string>) =>
      href.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name]!));
    const byTag = pacticipant._links['pb:can-i-deploy-badge'];
    expect(byTag.templated).toBe(true);
    expect(expand(byTag.href, { tag: 'main', environment: 'prod' })).toBe(`${broker.url}${CAN_I_DEPLOY_TAG}`);
    const byBranch = pacticipant._links['pb:can-i-deploy-branch-to-environment-badge'];
    expect(byBranch.templated).toBe(true);
    expect(expand(byBranch.href, { branch: 'main', environment: 'production' })).toBe(
      `${broker.url}${CAN_I_DEPLOY_ENV}`,
    );
  });
});

describe('public badge access', () => {
  let database: TestDatabase;
  const start = (publicBadges?: boolean) =>
    startBroker({
      port: 0,
      database: database.location,
      auth: { readWrite: { username: 'u', password: 'p' }, ...(publicBadges ? { publicBadges } : {}) },
    });
  const status = async (broker: RunningBroker, path: string, authorization?: string) =>
    (await fetch(`${broker.url}${path}`, authorization ? { headers: { authorization } } : {})).status;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('keeps badges behind credentials by default', async () => {
    const broker = await start();
    try {
      for (const path of [CAN_I_DEPLOY_TAG, CAN_I_DEPLOY_ENV, MATRIX, PACT]) {
        expect(await status(broker, path), path).toBe(401);
        expect(await status(broker, path, WRITER), path).toBe(200);
      }
    } finally {
      await broker.close();
    }
  });

  it('opens exactly the badges to anonymous clients with the option', async () => {
    const broker = await start(true);
    try {
      for (const path of [CAN_I_DEPLOY_TAG, CAN_I_DEPLOY_ENV, MATRIX, PACT, `${PACT}?label=consumer`])
        expect(await status(broker, path), path).toBe(200);
      for (const path of [
        '/',
        '/pacticipants/Web%20Shop',
        '/pacts/provider/Orders%20API/consumer/Web%20Shop/latest',
        '/matrix?q[][pacticipant]=Web%20Shop',
        '/can-i-deploy?pacticipant=Web%20Shop&version=1&to=prod',
        '/pacticipants/Web%20Shop/latest-version/main',
      ])
        expect(await status(broker, path), path).toBe(401);
      // the option grants reading badges, never writing
      const put = await fetch(`${broker.url}/pacticipants/Web%20Shop`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(put.status).toBe(401);
    } finally {
      await broker.close();
    }
  });
});
