import { brokerHarness, databaseKinds, injectedBroker, pactFixture } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { createApp, openDatabase } from './index.js';
import { webhookPolicyFromEnv } from './webhooks/policy.js';

// The delivery worker is told after the commit of each write that stored triggered webhooks, and
// only then: a write that triggered nothing costs the worker no look at the outbox.

let told = 0;
const broker = brokerHarness(async (location) => {
  const database = await openDatabase(location);
  const app = createApp({
    database,
    baseUrl: 'http://broker.test',
    webhooks: { policy: webhookPolicyFromEnv({}), notify: () => told++ },
  });
  return injectedBroker(app, database);
});
const { call } = broker;

const publish = (consumer: string, version: string, description = 'a request') =>
  call(
    'PUT',
    `/pacts/provider/Api/consumer/${consumer}/version/${version}`,
    pactFixture({ consumer, provider: 'Api', interactions: [description] }),
  );

/** How many webhooks the publication of this consumer version triggered. */
async function triggeredBy(consumer: string, version: string): Promise<number> {
  const listed = await call(
    'GET',
    `/pacts/provider/Api/consumer/${consumer}/version/${version}/triggered-webhooks`,
  );
  expect(listed.status).toBe(200);
  return listed.json._embedded.triggeredWebhooks.length;
}

describe.each(databaseKinds())('waking the webhook worker (%s)', (kind) => {
  broker.runOn(kind);

  it('tells the worker only after writes that stored triggered webhooks', async () => {
    told = 0; // the other database's suite counted too
    expect((await publish('Web', '1')).status).toBe(201);
    expect((await call('PUT', '/pacticipants/Web/labels/frontend', {})).status).toBe(201);
    const created = await call('POST', '/webhooks', {
      description: 'Web publishes',
      consumer: { name: 'Web' },
      provider: { name: 'Api' },
      events: [{ name: 'contract_published' }],
      request: { method: 'POST', url: 'https://ci.example/build' },
    });
    expect(created.status).toBe(201);
    expect(told).toBe(0);

    expect((await publish('Web', '2')).status).toBe(201);
    expect(told).toBe(1);

    // writes that commit together: only the one that triggered a webhook tells the worker
    const answers = await Promise.all([
      publish('Mobile', '1'),
      publish('Web', '3', 'another request'),
      call('PUT', '/pacticipants/Mobile/labels/app', {}),
    ]);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(told).toBe(2);
    expect([await triggeredBy('Web', '2'), await triggeredBy('Web', '3')]).toEqual([1, 1]);
    expect(await triggeredBy('Mobile', '1')).toBe(0);
  });
});
