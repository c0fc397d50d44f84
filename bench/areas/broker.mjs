// The broker at the size of a large company's contract history, on SQLite and on PostgreSQL:
// 100 pacticipants, 100,000 versions, 1,000,000 verifications (BENCH_PACTICIPANTS, BENCH_VERSIONS and
// BENCH_VERIFICATIONS scale it down; BENCH_BROKER_PROFILE=<dir> writes the broker's CPU profile).
// Measures can-i-deploy, matrix and for-verification latency (p50/p99 over random versions), publish
// throughput with 8 concurrent clients, and the broker's peak memory. Answers are checked against a
// simple reference computation over the generated data. No peer: the reference broker needs Docker.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generate, insert, pactContent, SIZES } from '../broker/seed.mjs';
import { expect, median } from '../lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function startBrokerProcess(location) {
  // BENCH_BROKER_PROFILE=<dir>: the broker writes a CPU profile there (open it in Chrome's DevTools)
  const profile = process.env.BENCH_BROKER_PROFILE;
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(process.execPath, [...flags, join(here, '..', 'broker', 'server.mjs'), location], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = [];
  child.stdout.on('data', (d) => lines.push(...String(d).trim().split('\n')));
  while (lines.length === 0) await new Promise((r) => setTimeout(r, 20));
  return {
    url: lines[0],
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('exit', r));
      return JSON.parse(lines.find((l) => l.startsWith('{')) ?? '{"maxRssMb":null}').maxRssMb;
    },
  };
}

/** can-i-deploy as the generated data says it should answer: null if a pact lacks a verification, else all successful. */
function expectedDeployable(data, consumerId, versionId) {
  let unknown = false;
  let failed = false;
  for (const provider of data.providersOf.get(consumerId)) {
    const pub = data.publicationIndex.get(`${versionId}-${provider}`);
    const providerVersions = data.versionsOf.get(provider);
    const deployedVersion = providerVersions[providerVersions.length - 1];
    const latest = data.latestVerification.get(`${pub.pact_version_id}-${deployedVersion}`);
    if (latest === undefined) unknown = true;
    else if (!latest) failed = true;
  }
  return unknown ? null : !failed;
}

/**
 * Latencies of the requests, one at a time, after 20 of them run untimed: the first requests open the
 * broker's database connections (on PostgreSQL a new server process, with cold catalog caches) and
 * warm the JIT, which is start-up cost, not query latency.
 */
async function timed(requests) {
  for (const request of requests.slice(0, 20)) await request();
  const times = [];
  for (const request of requests) {
    const start = performance.now();
    await request();
    times.push(performance.now() - start);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99), median: median(times) };
}

async function database(kind) {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'covenant-bench-broker-'));
    return {
      location: join(dir, 'broker.sqlite'),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = process.env.BENCH_POSTGRES_URL ?? process.env.COVENANT_TEST_POSTGRES_URL;
  const name = `covenant_bench_${process.pid}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    location: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function benchOne(kind, data, log) {
  const db = await database(kind);
  let broker = await startBrokerProcess(db.location); // creates the schema
  await broker.stop();
  log(
    `${kind}: inserting ${data.versions.length} versions, ${data.pactVersions.length} pacts, ${data.verifications.length} verifications...`,
  );
  const seedStart = performance.now();
  await insert(db.location, data);
  log(`${kind}: seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  broker = await startBrokerProcess(db.location);
  const get = async (path) => {
    const response = await fetch(`${broker.url}${path}`, { headers: { Accept: 'application/hal+json' } });
    const body = await response.json();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
    return body;
  };
  const rows = [];
  try {
    // can-i-deploy for random consumer versions, answers checked against the data
    const samples = Array.from({ length: 200 }, () => {
      const consumer = data.consumers[Math.floor(data.random() * data.consumers.length)];
      const ids = data.versionsOf.get(consumer.id);
      return { consumer, versionId: ids[Math.floor(data.random() * ids.length)] };
    });
    let checked = 0;
    const canIDeploy = await timed(
      samples.map((s) => async () => {
        const v = data.versionById.get(s.versionId);
        const body = await get(
          `/can-i-deploy?pacticipant=${encodeURIComponent(s.consumer.name)}&version=${encodeURIComponent(v.number)}&environment=production`,
        );
        const expected = expectedDeployable(data, s.consumer.id, s.versionId);
        expect(
          body.summary.deployable === expected,
          `can-i-deploy ${s.consumer.name} ${v.number}: broker says ${body.summary.deployable}, the data says ${expected}`,
        );
        checked++;
      }),
    );
    // the warm-up's answers are checked too
    expect(checked === samples.length + 20, 'every can-i-deploy answer was checked');
    rows.push({
      case: `${kind}: can-i-deploy to production (200 random consumer versions, answers checked)`,
      ours_ms: canIDeploy.median,
      p50_ms: canIDeploy.p50,
      p99_ms: canIDeploy.p99,
    });
    const matrix = await timed(
      samples.slice(0, 100).map((s) => async () => {
        const v = data.versionById.get(s.versionId);
        const body = await get(
          `/matrix?q[][pacticipant]=${encodeURIComponent(s.consumer.name)}&q[][version]=${encodeURIComponent(v.number)}&latestby=cvp&latest=true&tag=prod`,
        );
        expect(Array.isArray(body.matrix), 'the matrix answers with rows');
      }),
    );
    rows.push({
      case: `${kind}: matrix, consumer version against latest prod-tagged providers (100 queries)`,
      ours_ms: matrix.median,
      p50_ms: matrix.p50,
      p99_ms: matrix.p99,
    });
    // the pages a browser opens: HTML, on the same URLs, each answer checked
    const nameOf = new Map([...data.consumers, ...data.providers].map((p) => [p.id, p.name]));
    const html = async (path) => {
      const response = await fetch(`${broker.url}${path}`, { headers: { Accept: 'text/html' } });
      const text = await response.text();
      if (!response.ok || !text.startsWith('<!doctype html>')) throw new Error(`${path}: ${response.status}`);
      return text;
    };
    const pageRows = [
      [
        'page: can-i-deploy to production (100 random consumer versions, answers checked)',
        samples.slice(0, 100).map((s) => async () => {
          const v = data.versionById.get(s.versionId);
          const text = await html(
            `/can-i-deploy?pacticipant=${encodeURIComponent(s.consumer.name)}&version=${encodeURIComponent(v.number)}&environment=production`,
          );
          const expected = expectedDeployable(data, s.consumer.id, s.versionId);
          const shown = expected === true ? 'yes' : expected === false ? 'no' : 'unknown';
          expect(
            text.includes(`data-deployable="${shown}"`),
            `the can-i-deploy page of ${v.number} says ${shown}`,
          );
        }),
      ],
      [
        "page: one integration's matrix, first 100 rows (50 integrations)",
        samples.slice(0, 50).map((s) => async () => {
          const provider = nameOf.get(data.providersOf.get(s.consumer.id)[0]);
          const text = await html(
            `/matrix/provider/${encodeURIComponent(provider)}/consumer/${encodeURIComponent(s.consumer.name)}`,
          );
          expect(text.includes('<table class="matrix">'), 'the matrix page has rows');
        }),
      ],
      [
        'page: pact diff with the previous distinct pact (50 consumer versions)',
        samples.slice(0, 50).map((s) => async () => {
          const v = data.versionById.get(s.versionId);
          const provider = nameOf.get(data.providersOf.get(s.consumer.id)[0]);
          const text = await html(
            `/pacts/provider/${encodeURIComponent(provider)}/consumer/${encodeURIComponent(s.consumer.name)}/version/${encodeURIComponent(v.number)}/diff/previous-distinct`,
          );
          expect(text.includes('class="diff-summary"'), 'the diff page says what changed');
        }),
      ],
    ];
    for (const [name, requests] of pageRows) {
      const t = await timed(requests);
      rows.push({ case: `${kind}: ${name}`, ours_ms: t.median, p50_ms: t.p50, p99_ms: t.p99 });
    }
    const forVerification = await timed(
      Array.from({ length: 100 }, (_, i) => async () => {
        const provider = data.providers[i % data.providers.length];
        const response = await fetch(
          `${broker.url}/pacts/provider/${encodeURIComponent(provider.name)}/for-verification`,
          {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/hal+json' },
            body: JSON.stringify({
              consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }],
              providerVersionBranch: 'main',
              includePendingStatus: true,
            }),
          },
        );
        const body = await response.json();
        expect(
          response.ok && body._embedded.pacts.length > 0,
          `for-verification for ${provider.name} returned pacts`,
        );
      }),
    );
    rows.push({
      case: `${kind}: for-verification, mainBranch + deployedOrReleased (100 queries)`,
      ours_ms: forVerification.median,
      p50_ms: forVerification.p50,
      p99_ms: forVerification.p99,
    });
    // publish throughput: 8 concurrent clients, new versions with ~10 KB pacts, for 3 seconds
    let published = 0;
    const until = performance.now() + 3000;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async (_, client) => {
        let n = 0;
        while (performance.now() < until) {
          const consumer = data.names[(client * 2) % data.names.length];
          const provider = data.names[(client * 2 + 1) % data.names.length];
          const response = await fetch(
            `${broker.url}/pacts/provider/${encodeURIComponent(provider)}/consumer/${encodeURIComponent(consumer)}/version/bench-${client}-${n}`,
            {
              method: 'PUT',
              headers: { 'Content-Type': 'application/json', Accept: 'application/hal+json' },
              body: pactContent(consumer, provider, 1_000_000 + client * 100_000 + n),
            },
          );
          await response.arrayBuffer();
          expect(response.status === 201, `publish answered ${response.status}`);
          published++;
          n++;
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    rows.push({
      case: `${kind}: publish ~10 KB pacts, 8 concurrent clients (pacts/s in ours_ms column: ${(published / seconds).toFixed(0)} pacts/s)`,
      ours_ms: (seconds * 1000) / published,
      pacts_per_s: published / seconds,
    });
  } finally {
    const rss = await broker.stop();
    for (const r of rows) r.ours_rss_mb = rss;
    await db.drop();
  }
  for (const r of rows)
    log(
      r.p99_ms === undefined
        ? `${r.case}: ${r.pacts_per_s.toFixed(0)} pacts/s (goal >= 300 on SQLite), broker peak RSS ${r.ours_rss_mb?.toFixed(0)} MB`
        : `${r.case}: p50 ${r.p50_ms.toFixed(1)} ms, p99 ${r.p99_ms.toFixed(1)} ms`,
    );
  return rows.map((r) => ({ peer: null, peer_ms: null, ratio: null, peer_rss_mb: null, ...r }));
}

export async function run({ log }) {
  log(
    `generating ${SIZES.pacticipants} pacticipants, ${SIZES.versions} versions, ${SIZES.verifications} verifications...`,
  );
  const data = generate();
  data.versionById = new Map(data.versions.map((v) => [v.id, v]));
  data.publicationIndex = new Map(
    data.publications.map((p) => [`${p.consumer_version_id}-${p.provider_id}`, p]),
  );
  data.latestVerification = new Map();
  for (const v of data.verifications)
    data.latestVerification.set(`${v.pact_version_id}-${v.provider_version_id}`, v.success === 1);
  const kinds = [
    'sqlite',
    ...(process.env.BENCH_POSTGRES_URL || process.env.COVENANT_TEST_POSTGRES_URL ? ['postgres'] : []),
  ];
  if (kinds.length === 1)
    log(
      'PostgreSQL skipped: set BENCH_POSTGRES_URL (or COVENANT_TEST_POSTGRES_URL) to an admin URL to include it',
    );
  const rows = [];
  for (const kind of kinds) rows.push(...(await benchOne(kind, data, log)));
  return rows;
}
