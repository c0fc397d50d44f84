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
  let json: any;
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
});
