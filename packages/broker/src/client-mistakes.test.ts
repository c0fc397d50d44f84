// Client mistakes at the HTTP boundary: every one is answered with a 4xx in the broker's error
// shape, never a 500, and the broker keeps answering afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../test-support/databases.js';
import { type RunningBroker, startBroker } from './server.js';

let database: TestDatabase;
let broker: RunningBroker;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${broker.url}${path}`, {
    method,
    headers: {
      Accept: 'application/hal+json',
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let json: ReturnType<typeof JSON.parse>;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

async function expectHealthy() {
  const heartbeat = await fetch(`${broker.url}/diagnostic/status/heartbeat`);
  expect(heartbeat.status).toBe(200);
}

const pact = (consumer: string, provider: string) => ({
  consumer: { name: consumer },
  provider: { name: provider },
  interactions: [
    { description: 'a request', request: { method: 'GET', path: '/' }, response: { status: 200 } },
  ],
  metadata: { pactSpecification: { version: '2.0.0' } },
});

describe.each(databaseKinds)('client mistakes (%s)', (kind) => {
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    broker = await startBroker({ port: 0, database: database.location });
  });
  afterAll(async () => {
    await broker.close();
    await database.drop();
  });

  it('serves a pact whose consumer version is not Latin-1 (the version header is percent-encoded)', async () => {
    const version = 'v1-😀';
    const path = `/pacts/provider/HeaderProvider/consumer/HeaderConsumer/version/${encodeURIComponent(version)}`;
    expect((await call('PUT', path, pact('HeaderConsumer', 'HeaderProvider'))).status).toBe(201);
    for (const url of [path, '/pacts/provider/HeaderProvider/consumer/HeaderConsumer/latest']) {
      const got = await call('GET', url);
      expect(got.status, url).toBe(200);
      expect(got.json.consumer.name).toBe('HeaderConsumer');
      expect(decodeURIComponent(got.headers.get('x-pact-consumer-version')!)).toBe(version);
    }
    // a plain version keeps its header as it is
    await call('PUT', '/pacts/provider/HeaderProvider/consumer/HeaderConsumer/version/1.0.0+b%201', {
      ...pact('HeaderConsumer', 'HeaderProvider'),
    });
    const plain = await call('GET', '/pacts/provider/HeaderProvider/consumer/HeaderConsumer/latest');
    expect(plain.headers.get('x-pact-consumer-version')).toBe('1.0.0+b 1');
    await expectHealthy();
  });
  it('refuses a NUL character in a name, version, query or body with a 400 (PostgreSQL cannot store one)', async () => {
    const environment = await call('POST', '/environments', { name: 'nul-test', production: false });
    expect(environment.status).toBe(201);
    const uuid = environment.json.uuid as string;
    const paths: Array<[string, string, unknown?]> = [
      ['GET', '/pacticipants/a%00b'],
      ['PUT', '/pacticipants/a%00b', {}],
      ['GET', '/pacticipants/Foo/versions/1%00'],
      ['PUT', '/pacticipants/Foo/versions/1.0.0/tags/t%00', {}],
      ['GET', '/pacticipants/Foo/branches/b%00'],
      ['PUT', '/pacts/provider/Bar/consumer/Foo%00/version/1', pact('Foo\u0000', 'Bar')],
      ['GET', '/pacts/provider/Bar%00/consumer/Foo/latest'],
      ['POST', '/pacts/provider/Bar%00/for-verification', {}],
      ['GET', '/environments/%00'],
      ['POST', `/pacticipants/Foo%00/versions/1/deployed-versions/environment/${uuid}`, {}],
      ['GET', '/webhooks/%00'],
      ['GET', '/pacticipants/label/%00'],
      ['GET', '/pacts/provider/Bar/consumer/Foo%00/latest/badge'],
      ['GET', '/matrix?q[][pacticipant]=Foo%00&q[][version]=1'],
      ['GET', '/can-i-deploy?pacticipant=Foo&version=1%00&environment=nul-test'],
      ['POST', '/pacticipants', { name: 'a\u0000b' }],
      ['POST', '/environments', { name: 'e', production: false, displayName: 'x\u0000' }],
      ['PUT', '/pacticipants/Foo/versions/1', { branch: 'main\u0000' }],
      [
        'POST',
        '/contracts/publish',
        { pacticipantName: 'Foo', pacticipantVersionNumber: '1\u0000', contracts: [] },
      ],
    ];
    for (const [method, path, body] of paths) {
      const got = await call(method, path, body);
      expect(got.status, `${method} ${path}`).toBe(400);
      expect(got.text, `${method} ${path}`).toContain('NUL');
    }
    await expectHealthy();
    // NUL inside pact content is only data: stored escaped, served back as it was
    const withNul = pact('NulConsumer', 'NulProvider');
    (withNul.interactions[0] as Record<string, unknown>).response = {
      status: 200,
      body: { text: 'a\u0000b' },
    };
    const published = await call(
      'PUT',
      '/pacts/provider/NulProvider/consumer/NulConsumer/version/1',
      withNul,
    );
    expect(published.status).toBe(201);
    const served = await call('GET', '/pacts/provider/NulProvider/consumer/NulConsumer/latest');
    expect(served.json.interactions[0].response.body.text).toBe('a\u0000b');
  });
});
