import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  caller,
  createTestDatabase,
  databaseKinds,
  pactFixture,
  type TestDatabase,
} from '@covenant/test-support';
import { afterEach, describe, expect, it } from 'vitest';

// Durable delivery across processes: real broker processes (the package's build), killed with
// SIGKILL, and several sharing one PostgreSQL. A receiver on 127.0.0.1 counts each delivery id.

const dist = join(import.meta.dirname, '..', 'dist', 'index.js');
const children: ChildProcess[] = [];

/** Starts a broker process on `database`; resolves with its URL once it listens. */
function brokerProcess(
  database: string,
  retrySchedule: string,
): Promise<{ url: string; child: ChildProcess }> {
  const script = `
    const { startBroker } = await import(${JSON.stringify(dist)});
    const broker = await startBroker({ port: 0, database: ${JSON.stringify(database)}, webhookPollIntervalMs: 200 });
    console.log('LISTENING ' + broker.url);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      ...process.env,
      PACT_BROKER_WEBHOOK_HOST_WHITELIST: '127.0.0.1',
      PACT_BROKER_WEBHOOK_SCHEME_WHITELIST: 'http https',
      PACT_BROKER_WEBHOOK_RETRY_SCHEDULE: retrySchedule,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const url = /LISTENING (\S+)/.exec(out)?.[1];
      if (url) resolve({ url, child });
    });
    child.stderr!.on('data', (chunk) => {
      err += chunk;
    });
    child.on('exit', (code) => reject(new Error(`broker exited (${code}): ${err}`)));
  });
}

/** Counts deliveries by their X-Pact-Broker-Webhook-Delivery-Id. */
function counter() {
  const seen = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['x-pact-broker-webhook-delivery-id']);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      res.end('ok');
    });
  });
  return {
    seen,
    listen: (port = 0) =>
      new Promise<number>((resolve) =>
        server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until(what: () => boolean | Promise<boolean>, timeoutMs: number, label: string) {
  const end = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > end) throw new Error(`timed out: ${label}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const webhookFor = (port: number) => ({
  events: [{ name: 'contract_published' }],
  request: {
    method: 'POST',
    url: `http://127.0.0.1:${port}/hook`,
    body: { v: '${pactbroker.consumerVersionNumber}' },
  },
});

let database: TestDatabase | undefined;
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await database?.drop();
  database = undefined;
});

describe.each(databaseKinds())('webhook delivery across broker processes (%s)', (kind) => {
  it('delivers each pending delivery exactly once after a kill -9 and a restart', async () => {
    database = await createTestDatabase(kind);
    const receiver = counter();
    // the receiver's port, reserved and then closed: the target is down while the broker tries
    const port = await receiver.listen();
    await receiver.close();
    const first = await brokerProcess(database.location, '5 5 5 5 5 5');
    const call = caller(first.url);
    expect((await call('POST', '/webhooks', webhookFor(port))).status).toBe(201);
    const count = 20;
    for (let i = 0; i < count; i++)
      expect((await call('PUT', `/pacts/provider/Api/consumer/Web/version/${i}`, pactFixture())).status).toBe(
        201,
      );
    // every delivery tried once and waiting for its retry (5 s away, so the kill finds none in
    // flight: an attempt cut off mid-way would hold its lease for 35 s)
    const statuses = async () =>
      Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const { json } = await call(
            'GET',
            `/pacts/provider/Api/consumer/Web/version/${i}/triggered-webhooks`,
          );
          return json._embedded.triggeredWebhooks[0]?.status as string | undefined;
        }),
      );
    await until(async () => (await statuses()).every((s) => s === 'retrying'), 10_000, 'first attempts');
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    // the receiver comes up, and a new broker process finds the pending rows
    const receiver2 = counter();
    await receiver2.listen(port);
    try {
      await brokerProcess(database.location, '5 5 5 5 5 5');
      await until(() => receiver2.seen.size >= count, 30_000, `${count} deliveries`);
      await new Promise((r) => setTimeout(r, 5500)); // a retry that should not happen would have by now
      expect(receiver2.seen.size).toBe(count);
      expect([...receiver2.seen.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await receiver2.close();
    }
  }, 90_000);

  it.runIf(kind === 'postgres')(
    'two brokers on one database deliver 1,000 triggered webhooks, each once',
    async () => {
      database = await createTestDatabase(kind);
      const receiver = counter();
      const port = await receiver.listen();
      try {
        const brokers = await Promise.all([
          brokerProcess(database.location, '1 1 1'),
          brokerProcess(database.location, '1 1 1'),
        ]);
        const calls = brokers.map((b) => caller(b.url));
        expect((await calls[0]!('POST', '/webhooks', webhookFor(port))).status).toBe(201);
        const total = 1000;
        // publishes alternate between the brokers, a few at a time
        for (let i = 0; i < total; i += 10)
          await Promise.all(
            Array.from({ length: 10 }, (_, j) =>
              calls[(i + j) % 2]!('PUT', `/pacts/provider/Api/consumer/Web/version/${i + j}`, pactFixture()),
            ),
          );
        await until(() => receiver.seen.size >= total, 60_000, `${total} deliveries`);
        await new Promise((r) => setTimeout(r, 1000));
        expect(receiver.seen.size).toBe(total);
        expect([...receiver.seen.entries()].filter(([, n]) => n > 1)).toEqual([]);
      } finally {
        await receiver.close();
      }
    },
    120_000,
  );
});
