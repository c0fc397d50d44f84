import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectAttempt } from './deliver.js';
import { MemoryOutbox } from './memory-outbox.js';
import { type AttemptReport, DeliveryWorker, nextOutcome } from './outbox.js';
import { DEFAULT_WEBHOOK_POLICY, hostRule, type WebhookPolicy } from './policy.js';

interface Hit {
  at: number;
  deliveryId: string;
  body: string;
  authorization: string | undefined;
}

/** A receiver on 127.0.0.1 answering with the statuses given in turn (the last one repeats). */
async function receiver(statuses: number[] = [200], answerBody = 'ok') {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits.push({
        at: performance.now(),
        deliveryId: String(req.headers['x-pact-broker-webhook-delivery-id']),
        body,
        authorization: req.headers.authorization,
      });
      res.writeHead(statuses[Math.min(hits.length - 1, statuses.length - 1)]!).end(answerBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url, hits, close };
}

const policy = (changes: Partial<WebhookPolicy> = {}): WebhookPolicy => ({
  ...DEFAULT_WEBHOOK_POLICY,
  schemes: ['http'],
  hosts: [hostRule('127.0.0.1')],
  ...changes,
});

const data = {
  eventName: 'contract_published',
  consumer: { name: 'Web' },
  provider: { name: 'Orders' },
  consumerVersion: { number: 'c1' },
};

function delivery(uuid: string, url: string, more: Record<string, unknown> = {}) {
  return {
    uuid,
    webhookUuid: 'hook-1',
    eventName: 'contract_published',
    request: {
      method: 'POST',
      url: `${url}/build`,
      body: { v: '${pactbroker.consumerVersionNumber}' },
      ...more,
    },
    data,
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function worker(
  outbox: MemoryOutbox,
  options: Partial<ConstructorParameters<typeof DeliveryWorker>[0]> = {},
) {
  const reports: AttemptReport[] = [];
  const w = new DeliveryWorker({
    outbox,
    policy: policy(),
    pollIntervalMs: 60_000, // only notify (or a due retry) can wake it within a test
    onAttempt: (r) => reports.push(r),
    ...options,
  });
  w.start();
  cleanups.push(() => w.stop());
  return { worker: w, reports };
}

describe('nextOutcome', () => {
  it('retries after each delay of the schedule, then fails', () => {
    const at = new Date(1_000_000);
    expect(nextOutcome(true, 3, [10], at)).toEqual({ status: 'success' });
    expect(nextOutcome(false, 1, [10, 60], at)).toEqual({
      status: 'retrying',
      nextAttemptAt: new Date(1_010_000),
    });
    expect(nextOutcome(false, 2, [10, 60], at)).toEqual({
      status: 'retrying',
      nextAttemptAt: new Date(1_060_000),
    });
    expect(nextOutcome(false, 3, [10, 60], at)).toEqual({ status: 'failure' });
  });
});

describe('DeliveryWorker', () => {
  it('delivers as soon as it is notified, with the delivery id and the rendered body', async () => {
    const target = await receiver();
    cleanups.push(target.close);
    const outbox = new MemoryOutbox();
    const { worker: w } = worker(outbox);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the worker is idle, waiting a minute
    const notifiedAt = performance.now();
    outbox.add(delivery('d-1', target.url));
    w.notify();
    await vi.waitFor(() => expect(target.hits).toHaveLength(1), { timeout: 5000, interval: 5 });
    // far below the minute-long poll interval: the notification started it (a loaded machine is slow)
    expect(target.hits[0]!.at - notifiedAt).toBeLessThan(3000);
    expect(target.hits[0]).toMatchObject({ deliveryId: 'd-1', body: '{"v":"c1"}' });
    await vi.waitFor(() => expect(outbox.deliveries.get('d-1')!.status).toBe('success'), { interval: 5 });
  });

  it('retries a failing delivery on the schedule with the same delivery id until it succeeds', async () => {
    const target = await receiver([500, 503, 200]);
    cleanups.push(target.close);
    const outbox = new MemoryOutbox();
    outbox.add(delivery('d-2', target.url));
    const { reports } = worker(outbox, { policy: policy({ retrySchedule: [0.05, 0.05, 0.05] }) });
    await vi.waitFor(() => expect(outbox.deliveries.get('d-2')!.status).toBe('success'), {
      timeout: 3000,
      interval: 10,
    });
    expect(target.hits.map((h) => h.deliveryId)).toEqual(['d-2', 'd-2', 'd-2']);
    expect(outbox.deliveries.get('d-2')!.attempts.map((a) => [a.attemptNumber, a.status, a.success])).toEqual(
      [
        [1, 500, false],
        [2, 503, false],
        [3, 200, true],
      ],
    );
    expect(reports.map((r) => r.outcome.status)).toEqual(['retrying', 'retrying', 'success']);
    // the second attempt waited for the schedule's delay
    expect(target.hits[1]!.at - target.hits[0]!.at).toBeGreaterThanOrEqual(40);
  });

  it('fails a delivery once the schedule is used up, and counts configured codes as success', async () => {
    const target = await receiver([202]);
    cleanups.push(target.close);
    const outbox = new MemoryOutbox();
    outbox.add(delivery('d-3', target.url));
    worker(outbox, { policy: policy({ retrySchedule: [0.01, 0.01], successCodes: [200] }) });
    await vi.waitFor(() => expect(outbox.deliveries.get('d-3')!.status).toBe('failure'), {
      timeout: 3000,
      interval: 10,
    });
    expect(outbox.deliveries.get('d-3')!.attempts).toHaveLength(3);
    expect(outbox.deliveries.get('d-3')!.attempts.at(-1)!.logs).toContain('Failed; no more attempts');
  });

  it('fails a refused target at once, without retries or a connection', async () => {
    const outbox = new MemoryOutbox();
    const attempts: ConnectAttempt[] = [];
    outbox.add(delivery('d-4', 'http://ci.example.com'));
    worker(outbox, {
      policy: policy({ hosts: [] }),
      deliverOptions: {
        lookup: async () => ({ address: '10.0.0.5', family: 4 }),
        onConnect: (a) => {
          attempts.push(a);
          throw new Error('test guard: no connection expected');
        },
      },
    });
    await vi.waitFor(() => expect(outbox.deliveries.get('d-4')!.status).toBe('failure'), { interval: 5 });
    expect(outbox.deliveries.get('d-4')!.attempts).toHaveLength(1);
    expect(outbox.deliveries.get('d-4')!.attempts[0]!.logs).toContain(
      'Not sent: ci.example.com (10.0.0.5) is in 10.0.0.0/8',
    );
    expect(attempts).toEqual([]);
  });

  it('takes over a delivery whose lease expired, and the first owner can no longer record it', async () => {
    const target = await receiver();
    cleanups.push(target.close);
    const outbox = new MemoryOutbox();
    outbox.add(delivery('d-5', target.url));
    // a broker claims it and dies before recording anything
    const now = new Date();
    const [claimed] = await outbox.claim('dead-broker', now, new Date(now.getTime() + 600), 10);
    expect(claimed?.uuid).toBe('d-5');
    const { worker: w } = worker(outbox, { pollIntervalMs: 1000 });
    w.notify();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(target.hits).toHaveLength(0); // the lease still holds
    await vi.waitFor(() => expect(outbox.deliveries.get('d-5')!.status).toBe('success'), {
      timeout: 2000,
      interval: 10,
    });
    expect(target.hits.map((h) => h.deliveryId)).toEqual(['d-5']);
    const late = await outbox.complete(
      'd-5',
      'dead-broker',
      { attemptNumber: 1, startedAt: now, success: true, logs: '' },
      {
        status: 'success',
      },
    );
    expect(late).toBe(false);
  });

  it('has two workers on one outbox deliver each of many deliveries once', async () => {
    const target = await receiver();
    cleanups.push(target.close);
    const outbox = new MemoryOutbox();
    for (let i = 0; i < 200; i++) outbox.add(delivery(`m-${i}`, target.url));
    const a = worker(outbox, { concurrency: 8 });
    const b = worker(outbox, { concurrency: 8 });
    a.worker.notify();
    b.worker.notify();
    await vi.waitFor(
      () => expect([...outbox.deliveries.values()].every((d) => d.status === 'success')).toBe(true),
      {
        timeout: 10_000,
        interval: 20,
      },
    );
    const ids = target.hits.map((h) => h.deliveryId);
    expect(ids).toHaveLength(200);
    expect(new Set(ids).size).toBe(200);
    expect(a.reports.length).toBeGreaterThan(0);
    expect(b.reports.length).toBeGreaterThan(0);
  });

  it('stars the secrets in attempt logs and hides the response body without a host allowlist', async () => {
    const target = await receiver([200], 'echo Bearer tok-secret-9');
    cleanups.push(target.close);
    const outbox = new MemoryOutbox();
    outbox.add(
      delivery('d-6', target.url, {
        headers: { Authorization: 'Bearer tok-secret-9' },
        username: 'ci',
        password: 'pw-secret-8',
      }),
    );
    outbox.add(delivery('d-7', target.url, { headers: { Authorization: 'Bearer tok-secret-9' } }));
    worker(outbox, { showResponseBody: true });
    await vi.waitFor(() => expect(outbox.deliveries.get('d-7')!.status).toBe('success'), { interval: 5 });
    const logs = [...outbox.deliveries.values()].flatMap((d) => d.attempts.map((a) => a.logs)).join('\n');
    expect(target.hits[0]!.authorization).toBe('Bearer tok-secret-9');
    expect(logs).toContain('echo **********');
    for (const secret of ['tok-secret-9', 'pw-secret-8', Buffer.from('ci:pw-secret-8').toString('base64')])
      expect(logs).not.toContain(secret);

    const hidden = new MemoryOutbox();
    hidden.add(delivery('d-8', target.url));
    worker(hidden, { showResponseBody: false });
    await vi.waitFor(() => expect(hidden.deliveries.get('d-8')!.status).toBe('success'), { interval: 5 });
    expect(hidden.deliveries.get('d-8')!.attempts[0]!.logs).not.toContain('echo');
    expect(hidden.deliveries.get('d-8')!.attempts[0]!.logs).toContain('response body hidden');
  });

  it('refuses a lease shorter than an attempt can take', () => {
    const slow = policy({ connectTimeoutMs: 100, responseTimeoutMs: 900 });
    expect(() => new DeliveryWorker({ outbox: new MemoryOutbox(), policy: slow, leaseMs: 1000 })).toThrow(
      expect.objectContaining({ code: 'COV_BROKER_CONFIG_INVALID' }),
    );
  });

  it('waits for the attempts in flight when stopped', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = http.createServer((_req, res) => void gate.then(() => res.end('late')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const outbox = new MemoryOutbox();
    outbox.add(delivery('d-9', `http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    const w = new DeliveryWorker({ outbox, policy: policy(), pollIntervalMs: 60_000 });
    w.start();
    await vi.waitFor(() => expect(outbox.deliveries.get('d-9')!.lease).toBeDefined(), { interval: 5 });
    let stopped = false;
    const stopping = w.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(outbox.deliveries.get('d-9')!.status).toBe('success');
  });
});
