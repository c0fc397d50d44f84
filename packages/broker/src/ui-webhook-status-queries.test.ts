import {
  caller,
  createTestDatabase,
  databaseKinds,
  pactFixture,
  type TestDatabase,
} from '@covenant/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerDatabase } from './db/connect.js';
import { createApp, openDatabase } from './index.js';

// The app alone runs no webhook worker: deliveries are stored and never sent anywhere.

/** The broker's database, counting the queries it is sent. */
function counting(database: BrokerDatabase) {
  const counter = { queries: 0 };
  const db = database.db.withPlugin({
    transformQuery: (args) => {
      counter.queries++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  return { database: { ...database, db }, counter };
}

describe.each(databaseKinds())("an integration's triggered webhooks page (%s)", (kind) => {
  let database: TestDatabase;
  let opened: BrokerDatabase;
  let app: FastifyInstance;
  let url: string;
  let counter: { queries: number };
  const call = caller(() => url);
  const page = async () => {
    const before = counter.queries;
    const response = await fetch(`${url}/pacts/provider/Api/consumer/Web/webhooks/status`, {
      headers: { accept: 'text/html' },
    });
    expect(response.status).toBe(200);
    return { text: await response.text(), queries: counter.queries - before };
  };
  /** Publishes Web's pact at `version`, which once the webhook exists triggers one delivery of it. */
  const publish = async (version: string) => {
    const answer = await call('PUT', `/pacts/provider/Api/consumer/Web/version/${version}`, pactFixture());
    expect(answer.status, answer.text).toBeLessThan(300);
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    opened = await openDatabase(database.location);
    const counted = counting(opened);
    counter = counted.counter;
    app = createApp({ database: counted.database });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    await publish('0');
    const created = await call('POST', '/webhooks', {
      events: [{ name: 'contract_published' }],
      request: { method: 'POST', url: 'http://127.0.0.1:9/never-called' },
      consumer: { name: 'Web' },
      provider: { name: 'Api' },
    });
    expect(created.status, created.text).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await opened?.close();
    await database?.drop();
  }, 30_000);

  it('costs the same number of queries for one delivery as for several', async () => {
    await publish('1');
    const one = await page();
    expect(one.text.match(/<section class="triggered-webhook"/g)).toHaveLength(1);
    for (const version of ['2', '3', '4', '5']) await publish(version);
    const five = await page();
    expect(five.text.match(/<section class="triggered-webhook"/g)).toHaveLength(5);
    expect(five.text.match(/No attempt yet\./g)).toHaveLength(5);
    expect(five.queries).toBe(one.queries);
  });
});
