import { caller, createTestDatabase, databaseKinds, type TestDatabase } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from './server.js';

interface Linked {
  _links: { self: { href: string } };
}
interface DashboardItem {
  consumer: { name: string; version: { number: string } };
  provider: { name: string; version: { number: string } | null };
  pact: Linked;
  pactTags: Array<{ name: string }>;
  latestVerificationResult: (Linked & { success: boolean }) | null;
  verificationStatus: string;
  webhookStatus: string;
  _links: Record<string, { href: string }>;
}

describe.each(databaseKinds())('the dashboard (%s)', (kind) => {
  let database: TestDatabase;
  let broker: RunningBroker;
  const call = caller(() => broker.url);
  const publish = async (consumer: string, provider: string, version: string, description: string) => {
    const pact = await call('PUT', `/pacts/provider/${provider}/consumer/${consumer}/version/${version}`, {
      consumer: { name: consumer },
      provider: { name: provider },
      interactions: [{ description, request: { method: 'GET', path: '/' }, response: { status: 200 } }],
      metadata: { pactSpecification: { version: '2.0.0' } },
    });
    expect(pact.status).toBeLessThan(300);
    return new URL(pact.json._links['pb:publish-verification-results'].href).pathname;
  };
  const verify = async (path: string, success: boolean) =>
    expect((await call('POST', path, { success, providerApplicationVersion: '9.0' })).status).toBe(201);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    broker = await startBroker({ port: 0, database: database.location });
    await verify(await publish('Web', 'Orders', '1', 'a'), true);
    await call('PUT', '/pacticipants/Web/versions/1/tags/prod');
    await verify(await publish('Admin', 'Orders', '1', 'a'), false);
    // verified once, then a changed pact nobody verified yet
    await verify(await publish('Shop', 'Orders', '1', 'a'), true);
    await publish('Shop', 'Orders', '2', 'b');
    await publish('Cli', 'Orders', '1', 'a');
  });
  afterAll(async () => {
    await broker?.close();
    await database?.drop();
  });

  it('lists every integration in the reference shape, with its verification status', async () => {
    const answer = await call('GET', '/dashboard');
    expect(answer.status).toBe(200);
    const items = answer.json.items as DashboardItem[];
    const byConsumer = new Map(items.map((item) => [item.consumer.name, item]));
    expect([...byConsumer.keys()].sort()).toEqual(['Admin', 'Cli', 'Shop', 'Web']);
    expect(
      Object.fromEntries([...byConsumer].map(([name, item]) => [name, item.verificationStatus])),
    ).toEqual({
      Web: 'success',
      Admin: 'failed',
      Shop: 'stale',
      Cli: 'never',
    });
    const web = byConsumer.get('Web')!;
    expect(web.consumer.version.number).toBe('1');
    expect(web.provider).toMatchObject({ name: 'Orders', version: { number: '9.0' } });
    expect(web.pactTags.map((t) => t.name)).toEqual(['prod']);
    expect(web.latestVerificationResult?.success).toBe(true);
    expect(web.webhookStatus).toBe('none');
    expect(web.pact._links.self.href).toBe(`${broker.url}/pacts/provider/Orders/consumer/Web/version/1`);
    // the links lead to what they name
    for (const href of [
      web.pact._links.self.href,
      web.latestVerificationResult!._links.self.href,
      web._links['pb:latest-pact']!.href,
    ])
      expect((await fetch(href)).status, href).toBe(200);
    const shop = byConsumer.get('Shop')!;
    expect(shop.consumer.version.number).toBe('2');
    expect(shop.latestVerificationResult).toBeNull();
    expect(shop.provider.version).toBeNull();
  });

  it("gives one integration's item at /dashboard/provider/{p}/consumer/{c}", async () => {
    const answer = await call('GET', '/dashboard/provider/Orders/consumer/Admin');
    expect(answer.status).toBe(200);
    const items = answer.json.items as DashboardItem[];
    expect(items.map((item) => [item.consumer.name, item.provider.name, item.verificationStatus])).toEqual([
      ['Admin', 'Orders', 'failed'],
    ]);
    // a pair with no pact has no item; an unknown pacticipant is a 404
    expect((await call('GET', '/dashboard/provider/Web/consumer/Admin')).json.items).toEqual([]);
    expect((await call('GET', '/dashboard/provider/Orders/consumer/Nobody')).status).toBe(404);
  });
});
