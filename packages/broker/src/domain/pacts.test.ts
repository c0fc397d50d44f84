import { createTestDatabase, databaseKinds, type TestDatabase } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../server.js';
import { pactSha } from './pacts.js';

const pact = {
  consumer: { name: 'Web' },
  provider: { name: 'API' },
  interactions: [
    {
      description: 'b call',
      request: { path: '/b', method: 'GET' },
      response: { status: 200, body: { z: 1, a: [2, { y: true, b: null }] } },
    },
    { description: 'a call', request: { method: 'POST', path: '/a' }, response: { status: 201 } },
  ],
  metadata: { pactSpecification: { version: '3.0.0' } },
};

describe('pactSha', () => {
  it('is the sha stored databases hold for this content (it must never change)', () => {
    // computed by the first broker release; a different value would make republished pacts conflict
    expect(pactSha(pact)).toBe('6a2e3713231c0a4cef2558f41e546f597496b92e');
  });

  it('ignores key order, interaction order, interaction ids and other metadata', () => {
    const [b] = pact.interactions;
    const reordered = {
      metadata: { pactSpecification: { version: '3.0.0' }, client: { name: 'pact-js' } },
      interactions: [
        {
          _id: 'x',
          response: { status: 201 },
          request: { path: '/a', method: 'POST' },
          description: 'a call',
        },
        { ...b, response: { body: { a: [2, { b: null, y: true }], z: 1 }, status: 200 } },
      ],
    };
    expect(pactSha(reordered)).toBe(pactSha(pact));
    expect(pactSha({ ...pact, metadata: { pactSpecification: { version: '2.0.0' } } })).not.toBe(
      pactSha(pact),
    );
  });
});

describe.each(databaseKinds())('publishing a pact (%s)', (kind) => {
  let database: TestDatabase;
  let broker: RunningBroker;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    broker = await startBroker({ port: 0, database: database.location });
  });
  afterAll(async () => {
    await broker?.close();
    await database?.drop();
  });

  const request = (method: string, version: string, body?: unknown) =>
    fetch(`${broker.url}/pacts/provider/API/consumer/Web/version/${version}`, {
      method,
      headers: { Accept: 'application/hal+json', 'Content-Type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('answers a publish with the pact exactly as it is then served, new or republished', async () => {
    const created = await request('PUT', '1.0.0', pact);
    expect(created.status).toBe(201);
    const served = (await (await request('GET', '1.0.0')).json()) as { interactions: unknown[] };
    expect(await created.json()).toEqual(served);
    expect(served.interactions).toEqual([
      expect.objectContaining({ _id: expect.stringMatching(/^[0-9a-f]{40}$/), description: 'b call' }),
      expect.objectContaining({ _id: expect.stringMatching(/^[0-9a-f]{40}$/), description: 'a call' }),
    ]);

    // the same content under another version is stored once; each answer shows the stored copy
    const again = await request('PUT', '1.0.1', { ...pact, metadata: { ...pact.metadata, extra: 1 } });
    expect(again.status).toBe(201);
    const againBody = (await again.json()) as { metadata: Record<string, unknown> };
    expect(againBody).toEqual(await (await request('GET', '1.0.1')).json());
    expect(againBody.metadata.extra).toBeUndefined();

    const republished = await request('PUT', '1.0.0', pact);
    expect(republished.status).toBe(200);
    expect(await republished.json()).toEqual(served);
  });

  it('takes concurrent publishes, refusing only the one that changes a published version', async () => {
    const changed = {
      ...pact,
      interactions: [{ ...pact.interactions[1]!, response: { status: 202 } }],
    };
    const statuses = await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => request('PUT', `2.0.${i}`, pact)),
      request('PUT', '1.0.0', changed),
    ]).then((responses) => responses.map((r) => r.status));
    expect(statuses.slice(0, 12)).toEqual(Array(12).fill(201));
    expect(statuses[12]).toBe(409);
    for (let i = 0; i < 12; i++) expect((await request('GET', `2.0.${i}`)).status).toBe(200);
  });
});
