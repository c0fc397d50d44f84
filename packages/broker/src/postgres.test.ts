import { createTestDatabase, postgresAdminUrl, type TestDatabase } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from './server.js';

// Scale-out: several broker processes share one PostgreSQL and keep no state of their own.
describe.skipIf(!postgresAdminUrl)('two brokers on one PostgreSQL', () => {
  let database: TestDatabase;
  let first: RunningBroker;
  let second: RunningBroker;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    // started at once: the migrations must not trip over each other
    [first, second] = await Promise.all([
      startBroker({ port: 0, database: database.location }),
      startBroker({ port: 0, database: database.location }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await database?.drop();
  });

  const pact = (n: number, consumer: string) => ({
    consumer: { name: consumer },
    provider: { name: 'Shared Provider' },
    interactions: [
      {
        type: 'Synchronous/HTTP',
        description: `call ${n}`,
        request: { method: 'GET', path: `/${n}` },
        response: { status: 200 },
      },
    ],
    metadata: { pactSpecification: { version: '4.0' } },
  });
  const put = (broker: RunningBroker, consumer: string, version: string, body: unknown) =>
    fetch(
      `${broker.url}/pacts/provider/Shared%20Provider/consumer/${encodeURIComponent(consumer)}/version/${version}`,
      {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Accept: 'application/hal+json' },
        body: JSON.stringify(body),
      },
    );

  it('publishes through one and reads through the other', async () => {
    expect((await put(first, 'Web', '1', pact(1, 'Web'))).status).toBe(201);
    const read = await fetch(`${second.url}/pacts/provider/Shared%20Provider/consumer/Web/latest`, {
      headers: { Accept: 'application/hal+json' },
    });
    expect(read.status).toBe(200);
    expect(
      ((await read.json()) as { interactions: Array<{ description: string }> }).interactions[0]!.description,
    ).toBe('call 1');
  });

  it('takes concurrent publishes through both without losing any or answering 500', async () => {
    const consumers = ['Mobile', 'Admin', 'Batch'];
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        put(i % 2 ? first : second, consumers[i % 3]!, `2.${i}`, pact(i, consumers[i % 3]!)).then(
          (r) => r.status,
        ),
      ),
    );
    expect(statuses.every((s) => s === 201)).toBe(true);
    const versions = await fetch(`${first.url}/pacticipants/Mobile/versions`, {
      headers: { Accept: 'application/hal+json' },
    });
    expect(
      ((await versions.json()) as { _embedded: { versions: unknown[] } })._embedded.versions,
    ).toHaveLength(10);
    // the same version with different content at once: one wins, the other gets a 409
    const race = await Promise.all([
      put(first, 'Race', '1', pact(1, 'Race')),
      put(second, 'Race', '1', pact(2, 'Race')),
    ]);
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
  });
});
