// Webhook delivery, on SQLite and PostgreSQL: a broker process with a contract_published webhook
// pointing at a receiver on 127.0.0.1 (in this process).
// - latency: from a publish's answer to the receiver's hit, one publish at a time (p50, p99; goal
//   p99 < 100 ms on SQLite; the reference broker waits at least 5 s by design);
// - throughput: 1,000 publishes from 8 concurrent clients, each triggering one delivery: all must
//   arrive, none twice; deliveries per second from the first publish to the last hit.
// BENCH_WEBHOOK_PUBLISHES scales the throughput run; BENCH_WEBHOOK_LATENCY_RUNS the latency run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { expect } from '../lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const PUBLISHES = Number(process.env.BENCH_WEBHOOK_PUBLISHES ?? 1000);
const LATENCY_RUNS = Number(process.env.BENCH_WEBHOOK_LATENCY_RUNS ?? 200);

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function startBrokerProcess(location) {
  const child = spawn(process.execPath, [join(here, '..', 'broker', 'server.mjs'), location], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      PACT_BROKER_WEBHOOK_HOST_WHITELIST: '127.0.0.1',
      PACT_BROKER_WEBHOOK_SCHEME_WHITELIST: 'http https',
    },
  });
  const lines = [];
  child.stdout.on('data', (d) => lines.push(...String(d).trim().split('\n')));
  while (lines.length === 0) await new Promise((r) => setTimeout(r, 20));
  return {
    url: lines[0],
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('exit', r));
    },
  };
}

async function database(kind) {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'covenant-bench-webhooks-'));
    return {
      location: join(dir, 'broker.sqlite'),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = process.env.BENCH_POSTGRES_URL ?? process.env.COVENANT_TEST_POSTGRES_URL;
  const name = `covenant_bench_webhooks_${process.pid}`;
  const onServer = async (statement) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(statement);
    await client.end();
  };
  await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { location: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** A receiver that records when each consumer version's delivery first arrived, and how often each delivery id came. */
async function receiver() {
  const arrived = new Map();
  const byDeliveryId = new Map();
  const waiting = new Map();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const at = performance.now();
      const { version } = JSON.parse(body);
      const id = req.headers['x-pact-broker-webhook-delivery-id'];
      byDeliveryId.set(id, (byDeliveryId.get(id) ?? 0) + 1);
      if (!arrived.has(version)) arrived.set(version, at);
      waiting.get(version)?.(at);
      res.end('ok');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    arrived,
    byDeliveryId,
    hitOf: (version) =>
      arrived.has(version)
        ? Promise.resolve(arrived.get(version))
        : new Promise((r) => waiting.set(version, r)),
    close: () => new Promise((r) => server.close(r)),
  };
}

const pact = (consumer) => ({
  consumer: { name: consumer },
  provider: { name: 'Api' },
  interactions: [
    { description: 'a request', request: { method: 'GET', path: '/' }, response: { status: 200 } },
  ],
  metadata: { pactSpecification: { version: '3.0.0' } },
});

async function benchOne(kind, log) {
  const db = await database(kind);
  const broker = await startBrokerProcess(db.location);
  const target = await receiver();
  const send = async (method, path, body) => {
    const response = await fetch(`${broker.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Accept: 'application/hal+json' },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
    return performance.now();
  };
  try {
    await send('POST', '/webhooks', {
      events: [{ name: 'contract_published' }],
      request: { method: 'POST', url: target.url, body: { version: '${pactbroker.consumerVersionNumber}' } },
    });
    // latency: one publish at a time, each answer timed to its delivery's arrival
    const latencies = [];
    for (let i = 0; i < LATENCY_RUNS + 20; i++) {
      const version = `latency-${i}`;
      const hit = target.hitOf(version);
      const answered = await send('PUT', `/pacts/provider/Api/consumer/Web/version/${version}`, pact('Web'));
      const at = await hit;
      if (i >= 20) latencies.push(Math.max(0, at - answered)); // the first 20 warm up
    }
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    log(
      `${kind}: publish answer → receiver hit over ${latencies.length} publishes: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
    );
    // throughput: PUBLISHES publishes, 8 clients at a time
    const before = target.arrived.size;
    const start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < PUBLISHES) {
          const i = next++;
          await send('PUT', `/pacts/provider/Api/consumer/Mobile/version/burst-${i}`, pact('Mobile'));
        }
      }),
    );
    log(`${kind}: ${PUBLISHES} publishes answered in ${((performance.now() - start) / 1000).toFixed(2)} s`);
    const deadline = Date.now() + 120_000;
    while (target.arrived.size < before + PUBLISHES && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    const last = Math.max(...[...target.arrived.values()]);
    const seconds = (last - start) / 1000;
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would arrive by now
    const duplicates = [...target.byDeliveryId.values()].filter((n) => n > 1).length;
    expect(
      target.arrived.size === before + PUBLISHES,
      `${kind}: ${target.arrived.size - before} of ${PUBLISHES} delivered`,
    );
    expect(duplicates === 0, `${kind}: ${duplicates} deliveries arrived twice`);
    const perSecond = PUBLISHES / seconds;
    log(
      `${kind}: ${PUBLISHES} publishes → ${PUBLISHES} deliveries, none twice, in ${seconds.toFixed(2)} s: ${perSecond.toFixed(0)} deliveries/s`,
    );
    return [
      {
        case: `webhooks ${kind}: publish → hit p50 (p99 ${p99.toFixed(1)} ms)`,
        ours_ms: Math.round(p50 * 1000) / 1000,
        p50_ms: p50,
        p99_ms: p99,
      },
      {
        case: `webhooks ${kind}: ${PUBLISHES} publishes, all delivered once (${perSecond.toFixed(0)} deliveries/s)`,
        ours_ms: Math.round(seconds * 1000),
        deliveries_per_s: perSecond,
      },
    ];
  } finally {
    await target.close();
    await broker.stop();
    await db.drop();
  }
}

export async function run({ log }) {
  const kinds = [
    'sqlite',
    ...(process.env.BENCH_POSTGRES_URL || process.env.COVENANT_TEST_POSTGRES_URL ? ['postgres'] : []),
  ];
  if (kinds.length === 1)
    log(
      'PostgreSQL skipped: set BENCH_POSTGRES_URL (or COVENANT_TEST_POSTGRES_URL) to an admin URL to include it',
    );
  const rows = [];
  for (const kind of kinds) rows.push(...(await benchOne(kind, log)));
  return rows.map((r) => ({
    peer: null,
    peer_ms: null,
    ratio: null,
    ours_rss_mb: null,
    peer_rss_mb: null,
    ...r,
  }));
}
