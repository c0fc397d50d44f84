import { basicAuth, brokerHarness, databaseKinds, pactFixture, testUsers } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { startBroker } from './server.js';

const broker = brokerHarness((database) => startBroker({ port: 0, database, auth: testUsers }), {
  headers: { Authorization: basicAuth(testUsers.readWrite) },
});
const { call } = broker;

const pact = (description = 'a request for UserA', status = 200) =>
  pactFixture({
    consumer: 'UserServiceClient',
    provider: 'UserService',
    interactions: [{ description, path: '/users/UserA', status }],
  });

describe.each(databaseKinds())('broker API (%s)', (kind) => {
  broker.runOn(kind);

  it('answers the heartbeat without credentials and the index with HAL relations', async () => {
    const heartbeat = await fetch(`${broker.url}/diagnostic/status/heartbeat`);
    expect(heartbeat.status).toBe(200);
    const index = await call('GET', '/');
    expect(index.headers.get('content-type')).toContain('application/hal+json');
    expect(index.json._links['pb:provider-pacts-for-verification'].href).toBe(
      `${broker.url}/pacts/provider/{provider}/for-verification`,
    );
  });

  it('publishes a pact once per content, and refuses different content for the same version', async () => {
    const first = await call(
      'PUT',
      '/pacts/provider/UserService/consumer/UserServiceClient/version/1.0.0',
      pact(),
    );
    expect(first.status).toBe(201);
    expect(first.json._links['pb:publish-verification-results'].href).toMatch(
      /\/pact-version\/[0-9a-f]{40}\/verification-results$/,
    );
    const again = await call(
      'PUT',
      '/pacts/provider/UserService/consumer/UserServiceClient/version/1.0.0',
      pact(),
    );
    expect(again.status).toBe(200);
    const changed = await call(
      'PUT',
      '/pacts/provider/UserService/consumer/UserServiceClient/version/1.0.0',
      pact('another', 404),
    );
    expect(changed.status).toBe(409);
    expect(changed.json.error).toContain(
      'Cannot change the content of the pact for UserServiceClient version 1.0.0',
    );
    const got = await call('GET', '/pacts/provider/UserService/consumer/UserServiceClient/latest');
    expect(got.json.interactions[0]._id).toMatch(/^[0-9a-f]{40}$/);
  });

  it('says in the publish notice whether the pact was new, unchanged, or changed by a merge', async () => {
    const publish = (description: string, onConflict?: 'merge') =>
      call('POST', '/contracts/publish', {
        pacticipantName: 'UserServiceClient',
        pacticipantVersionNumber: 'notices-1',
        contracts: [
          {
            consumerName: 'UserServiceClient',
            providerName: 'UserService',
            specification: 'pact',
            contentType: 'application/json',
            content: Buffer.from(JSON.stringify(pact(description))).toString('base64'),
            ...(onConflict ? { onConflict } : {}),
          },
        ],
      });
    const notice = (answer: Awaited<ReturnType<typeof call>>) => {
      expect(answer.status).toBe(200);
      return answer.json.notices[1].text as string;
    };
    const tail = 'for UserServiceClient version notices-1 and provider UserService.';
    expect(notice(await publish('first'))).toBe(`Pact published ${tail}`);
    expect(notice(await publish('first'))).toBe(`Pact unchanged (same content as before) ${tail}`);
    expect(notice(await publish('second', 'merge'))).toBe(
      `Pact published (content changed from before) ${tail}`,
    );
    expect(notice(await publish('second', 'merge'))).toBe(`Pact unchanged (same content as before) ${tail}`);
  });

  it('publishes contracts with a branch and tags, and serves them for verification with pending status', async () => {
    const content = Buffer.from(JSON.stringify(pact('branch pact'))).toString('base64');
    const published = await call('POST', '/contracts/publish', {
      pacticipantName: 'UserServiceClient',
      pacticipantVersionNumber: '2.0.0',
      branch: 'main',
      tags: ['dev'],
      contracts: [
        {
          consumerName: 'UserServiceClient',
          providerName: 'UserService',
          specification: 'pact',
          contentType: 'application/json',
          content,
        },
      ],
    });
    expect(published.status).toBe(200);
    expect(published.json.notices[0].text).toBe(
      'Created UserServiceClient version 2.0.0 with branch main and tag dev',
    );
    const forVerification = await call('POST', '/pacts/provider/UserService/for-verification', {
      consumerVersionSelectors: [{ mainBranch: true }],
      providerVersionBranch: 'main',
    });
    expect(forVerification.status).toBe(200);
    const pacts = forVerification.json._embedded.pacts;
    expect(pacts).toHaveLength(1);
    expect(pacts[0].verificationProperties.pending).toBe(true);
    expect(pacts[0].shortDescription).toBe('latest from branch main');

    const pactResource = await call('GET', new URL(pacts[0]._links.self.href).pathname);
    const publish = new URL(pactResource.json._links['pb:publish-verification-results'].href).pathname;
    await call('PUT', '/pacticipants/UserService/branches/main/versions/9.9.9', {});
    const result = await call('POST', publish, {
      success: true,
      providerApplicationVersion: '9.9.9',
      testResults: [],
    });
    expect(result.status).toBe(201);
    expect(result.headers.get('location')).toMatch(/verification-results\/\d+$/);
    const after = await call('POST', '/pacts/provider/UserService/for-verification', {
      consumerVersionSelectors: [{ mainBranch: true }],
      providerVersionBranch: 'main',
    });
    expect(after.json._embedded.pacts[0].verificationProperties.pending).toBe(false);
  });

  it('enforces auth: 401 without credentials, 403 for a read-only user writing', async () => {
    const anonymous = await fetch(`${broker.url}/pacticipants`);
    expect(anonymous.status).toBe(401);
    const readOnly = `Basic ${Buffer.from('reader:r').toString('base64')}`;
    expect((await call('GET', '/pacticipants', undefined, { Authorization: readOnly })).status).toBe(200);
    expect((await call('PUT', '/pacticipants/X/versions/1', {}, { Authorization: readOnly })).status).toBe(
      403,
    );
  });

  it('answers bad input with 4xx problems, never 500', async () => {
    const malformed = await call('PUT', '/pacts/provider/P/consumer/C/version/1', '{"not json', {
      Accept: 'application/problem+json',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    expect(malformed.json.title).toBe('Invalid JSON');
    const wrongType = await call('PUT', '/pacts/provider/P/consumer/C/version/1', undefined, {
      'Content-Type': 'text/plain',
    });
    expect(wrongType.status).toBe(415);
    const mismatch = await call('PUT', '/pacts/provider/P/consumer/C/version/1', pact());
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.errors).toBeDefined();
    const unknown = await call('GET', '/pacticipants/Nobody');
    expect(unknown.status).toBe(404);
    const badSelectors = await call('POST', '/pacts/provider/UserService/for-verification', {
      consumerVersionSelectors: [{ tag: 'x', branch: 'y' }],
    });
    expect(badSelectors.status).toBe(400);
    const badResult = await call(
      'POST',
      new URL(
        (await call('GET', '/pacts/provider/UserService/consumer/UserServiceClient/latest')).json._links[
          'pb:publish-verification-results'
        ].href,
      ).pathname,
      { success: 'yes' },
    );
    expect(badResult.status).toBe(400);
    expect(Object.keys(badResult.json.errors).sort()).toEqual(['providerApplicationVersion', 'success']);
  });
});
