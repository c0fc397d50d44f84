import { caller, createTestDatabase, databaseKinds, type TestDatabase } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from './server.js';

describe.each(databaseKinds())('the network data endpoints (%s)', (kind) => {
  let database: TestDatabase;
  let broker: RunningBroker;
  const call = caller(() => broker.url);
  const get = async (path: string, accept?: string) => {
    const response = await fetch(`${broker.url}${path}`, accept ? { headers: { accept } } : {});
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };
  const publish = async (consumer: string, provider: string) => {
    const answer = await call('PUT', `/pacts/provider/${provider}/consumer/${consumer}/version/1`, {
      consumer: { name: consumer },
      provider: { name: provider },
      interactions: [],
      metadata: { pactSpecification: { version: '2.0.0' } },
    });
    expect(answer.status).toBeLessThan(300);
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    broker = await startBroker({ port: 0, database: database.location });
    await publish('Web', 'Orders');
    await publish('Orders', 'Stock');
    await publish('Admin', 'Audit');
    // published twice: still one relationship
    await call('PUT', '/pacts/provider/Orders/consumer/Web/version/2', {
      consumer: { name: 'Web' },
      provider: { name: 'Orders' },
      interactions: [],
      metadata: { pactSpecification: { version: '2.0.0' } },
    });
  });
  afterAll(async () => {
    await broker?.close();
    await database?.drop();
  });

  it('answers /relationships as the reference CSV, one line per pacticipant', async () => {
    const answer = await get('/relationships');
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/csv/);
    const lines = answer.text
      .trimEnd()
      .split('\n')
      .map((line) => line.split(','));
    expect(lines.map((l) => l[1])).toEqual(['Admin', 'Audit', 'Orders', 'Stock', 'Web']);
    const byName = new Map(lines.map((l) => [l[1], l]));
    // Web consumes Orders: its line names Orders' id
    expect(byName.get('Web')![6]).toBe(byName.get('Orders')![0]);
    expect(byName.get('Orders')![6]).toBe(byName.get('Stock')![0]);
    expect(byName.get('Stock')![6]).toBe('0');
    for (const line of lines) expect(line.slice(2, 5)).toEqual(['1', '1', '0']);
  });

  it('answers /groups/{p} with only the pacticipants connected to it, and 404 for an unknown one', async () => {
    const group = await get('/groups/Stock');
    expect(group.status).toBe(200);
    expect(group.type).toMatch(/^text\/csv/);
    expect(group.text.split('\n').map((l) => l.split(',')[1])).toEqual(['Orders', 'Stock', 'Web', undefined]);
    expect((await get('/groups/Audit')).text).toMatch(/^\d+,Admin,.*\n\d+,Audit,/);
    const missing = await get('/groups/Nobody', 'application/json');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).code).toBe('COV_BROKER_NOT_FOUND');
  });

  it('answers /integrations as Graphviz when asked, and HAL otherwise', async () => {
    const dot = await get('/integrations', 'text/vnd.graphviz');
    expect(dot.status).toBe(200);
    expect(dot.type).toMatch(/^text\/vnd\.graphviz/);
    expect(dot.text).toContain('  "Web" -> "Orders";\n');
    expect(dot.text).toContain('  "Admin" -> "Audit";\n');
    expect(dot.text.match(/->/g)).toHaveLength(3);
    const hal = await get('/integrations');
    expect(hal.type).toMatch(/^application\/hal\+json/);
    expect(JSON.parse(hal.text)._embedded.integrations).toHaveLength(3);
  });
});
