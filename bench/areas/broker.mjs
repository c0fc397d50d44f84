// The broker at the size of a large company's contract history, on SQLite and on PostgreSQL:
// 100 pacticipants, 100,000 versions, 1,000,000 verifications (BENCH_PACTICIPANTS, BENCH_VERSIONS and
// BENCH_VERIFICATIONS scale it down; BENCH_BROKER_PROFILE=<dir> writes the broker's CPU profile).
// Measures can-i-deploy, matrix and for-verification latency (p50/p99 over random versions), the
// latency of every page a browser opens (the `page: …` rows), publish throughput with 8 concurrent
// clients, and the broker's peak memory. Answers are checked against a simple reference computation
// over the generated data. No peer: the reference broker needs Docker.
// While working on one query: BENCH_BROKER_ONLY=<text> runs only the rows whose case contains the
// text (e.g. `page:`), and BENCH_BROKER_CACHE=<dir> keeps the seeded databases (a SQLite file in
// <dir>, a PostgreSQL template database) so later runs copy them instead of seeding for minutes.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
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

/** Names the seeded data: its sizes and the seeding code, so a cache never outlives either. */
function seedKey() {
  const code = readFileSync(join(here, '..', 'broker', 'seed.mjs'));
  const hash = createHash('sha1').update(code).update(JSON.stringify(SIZES)).digest('hex').slice(0, 10);
  return `${SIZES.pacticipants}_${SIZES.versions}_${SIZES.verifications}_${hash}`;
}

/** Creates the schema (the broker migrates at start) and inserts the data. */
async function seed(kind, location, data, log) {
  const broker = await startBrokerProcess(location);
  await broker.stop();
  log(
    `${kind}: inserting ${data.versions.length} versions, ${data.pactVersions.length} pacts, ${data.verifications.length} verifications...`,
  );
  const seedStart = performance.now();
  await insert(location, data);
  log(`${kind}: seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
}

/**
 * A seeded database of its own for one run, dropped afterwards (the run publishes into it). With
 * BENCH_BROKER_CACHE the seeded database is kept and each run starts from a copy of it; the broker
 * applies any newer migration to the copy when it starts.
 */
async function database(kind, data, log) {
  const cache = process.env.BENCH_BROKER_CACHE;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'covenant-bench-broker-'));
    const location = join(dir, 'broker.sqlite');
    if (cache) {
      mkdirSync(cache, { recursive: true });
      const cached = join(cache, `broker-${seedKey()}.sqlite`);
      if (!existsSync(cached)) {
        const building = `${cached}.building`;
        rmSync(building, { force: true });
        await seed(kind, building, data, log);
        renameSync(building, cached);
      }
      copyFileSync(cached, location);
    } else await seed(kind, location, data, log);
    return { location, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = process.env.BENCH_POSTGRES_URL ?? process.env.COVENANT_TEST_POSTGRES_URL;
  const urlOf = (name) => {
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const sql = async (...statements) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      const results = [];
      for (const statement of statements) results.push(await client.query(statement));
      return results;
    } finally {
      await client.end();
    }
  };
  const name = `covenant_bench_${process.pid}`;
  await sql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  if (cache) {
    const cached = `covenant_bench_cache_${seedKey()}`;
    const [found] = await sql(`SELECT 1 FROM pg_database WHERE datname = '${cached}'`);
    if (found.rowCount === 0) {
      const building = `${cached}_building`;
      await sql(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`, `CREATE DATABASE ${building}`);
      await seed(kind, urlOf(building), data, log);
      await sql(`ALTER DATABASE ${building} RENAME TO ${cached}`);
    }
    // a file-level copy: seconds, where seeding takes minutes
    await sql(`CREATE DATABASE ${name} TEMPLATE ${cached}`);
  } else {
    await sql(`CREATE DATABASE ${name}`);
    await seed(kind, urlOf(name), data, log);
  }
  return { location: urlOf(name), drop: () => sql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * What the page cases ask about, drawn once so every database is asked the same: every consumer in
 * turn (the two with 10,000 versions among them) with one of its providers at a random version,
 * and random verifications.
 */
function pageSamples(data) {
  const nameOf = new Map(data.pacticipants.map((p) => [p.id, p.name]));
  const integrations = data.consumers.map((consumer, i) => {
    const providerId = data.providersOf.get(consumer.id)[i % 2];
    const ids = data.versionsOf.get(consumer.id);
    const version = data.versionById.get(ids[Math.floor(data.random() * ids.length)]);
    return { consumer: consumer.name, provider: nameOf.get(providerId), version: version.number };
  });
  const verifications = Array.from({ length: 50 }, () => {
    const index = Math.floor(data.random() * data.verifications.length);
    const v = data.verifications[index];
    return {
      id: index + 1, // ids follow insertion order
      success: v.success === 1,
      sha: data.pactVersions[v.pact_version_id - 1].sha,
      consumer: nameOf.get(v.consumer_id),
      provider: nameOf.get(v.provider_id),
    };
  });
  return { integrations, verifications };
}

/** The `page: …` cases: every page a browser opens, on the API's URLs, each answer checked. */
function pageCases(data, html) {
  const { integrations, verifications } = data.pageSamples;
  const samples = data.samples;
  const e = encodeURIComponent;
  const pactPath = (i) => `/pacts/provider/${e(i.provider)}/consumer/${e(i.consumer)}`;
  const contains = (text, marker, what) => expect(text.includes(marker), `${what}: the page lacks ${marker}`);
  const each = (list, request) => list.map((item) => () => request(item));
  const loads = (path, marker, what) =>
    Array.from({ length: 50 }, () => async () => contains(await html(path), marker, what));
  return [
    ['page: index, first page of integrations (50 loads)', loads('/', '<table class="integrations">', '/')],
    [
      'page: index searched by pacticipant name (50 names)',
      each(integrations, async (i) =>
        contains(await html(`/?q=${e(i.consumer)}`), `data-consumer="${i.consumer}"`, 'search'),
      ),
    ],
    [
      'page: pacticipant (all 100, first page of versions)',
      each(data.pacticipants, async (p) =>
        contains(await html(`/pacticipants/${e(p.name)}`), '<table class="versions">', p.name),
      ),
    ],
    [
      "page: a pacticipant's interactions (50 consumers, 50 providers)",
      each([...integrations.map((i) => i.consumer), ...integrations.map((i) => i.provider)], async (name) =>
        contains(
          await html(`/pacticipants/${e(name)}/interactions`),
          '<table class="compact interactions">',
          `interactions of ${name}`,
        ),
      ),
    ],
    [
      'page: branches and tags, first page (50 loads)',
      loads('/branches-and-tags', '<table class="compact branches">', 'branches'),
    ],
    [
      'page: branches and tags searched by pacticipant name (50 names)',
      each(integrations, async (i) =>
        contains(
          await html(`/branches-and-tags?q=${e(i.consumer)}`),
          `data-pacticipant="${i.consumer}"`,
          'branches search',
        ),
      ),
    ],
    [
      'page: API browser, the index resource (50 loads)',
      loads('/hal-browser', '<table class="compact hal-links">', 'API browser'),
    ],
    [
      "page: API browser, an integration's latest pact (50 integrations)",
      each(integrations, async (i) =>
        contains(
          await html(`/hal-browser?url=${e(`${pactPath(i)}/latest`)}`),
          'data-rel="pb:consumer-version"',
          'API browser of a pact',
        ),
      ),
    ],
    [
      "page: API browser, a pacticipant's versions (50 consumers)",
      each(integrations, async (i) =>
        contains(
          await html(`/hal-browser?url=${e(`/pacticipants/${e(i.consumer)}/versions`)}`),
          '<section class="embedded">',
          'API browser of versions',
        ),
      ),
    ],
    [
      'page: pact of a consumer version (50 integrations)',
      each(integrations, async (i) =>
        contains(await html(`${pactPath(i)}/version/${e(i.version)}`), i.version, `pact of ${i.version}`),
      ),
    ],
    [
      'page: latest pact (50 integrations)',
      each(integrations, async (i) =>
        contains(await html(`${pactPath(i)}/latest`), 'class="diff-link"', 'latest pact'),
      ),
    ],
    [
      'page: pact diff with the previous distinct pact (50 consumer versions)',
      each(integrations, async (i) =>
        contains(
          await html(`${pactPath(i)}/version/${e(i.version)}/diff/previous-distinct`),
          'class="diff-summary"',
          'diff',
        ),
      ),
    ],
    [
      'page: verification result (50 random verifications)',
      each(verifications, async (v) =>
        contains(
          await html(
            `/pacts/provider/${e(v.provider)}/consumer/${e(v.consumer)}/pact-version/${v.sha}/verification-results/${v.id}`,
          ),
          `data-status="${v.success ? 'success' : 'failed'}"`,
          `verification ${v.id}`,
        ),
      ),
    ],
    [
      'page: can-i-deploy to production (100 random consumer versions, answers checked)',
      each(samples.slice(0, 100), async (s) => {
        const v = data.versionById.get(s.versionId);
        const text = await html(
          `/can-i-deploy?pacticipant=${e(s.consumer.name)}&version=${e(v.number)}&environment=production`,
        );
        const expected = expectedDeployable(data, s.consumer.id, s.versionId);
        const shown = expected === true ? 'yes' : expected === false ? 'no' : 'unknown';
        contains(text, `data-deployable="${shown}"`, `can-i-deploy of ${v.number}`);
      }),
    ],
    [
      'page: matrix, consumer version against latest prod-tagged providers (50 queries)',
      each(integrations, async (i) =>
        contains(
          await html(
            `/matrix?q[][pacticipant]=${e(i.consumer)}&q[][version]=${e(i.version)}&latestby=cvp&latest=true&tag=prod`,
          ),
          '<table class="matrix">',
          'matrix',
        ),
      ),
    ],
    [
      'page: matrix of one pacticipant, all versions, first 100 rows (50 consumers)',
      each(integrations, async (i) =>
        contains(await html(`/matrix?q[][pacticipant]=${e(i.consumer)}`), '<table class="matrix">', 'matrix'),
      ),
    ],
    [
      "page: one integration's matrix, first 100 rows (50 integrations)",
      each(integrations, async (i) =>
        contains(
          await html(`/matrix/provider/${e(i.provider)}/consumer/${e(i.consumer)}`),
          '<table class="matrix">',
          'integration matrix',
        ),
      ),
    ],
    [
      "page: one integration's matrix, page 5 (50 integrations)",
      each(integrations, async (i) =>
        contains(
          await html(`/matrix/provider/${e(i.provider)}/consumer/${e(i.consumer)}?page=5`),
          '<table class="matrix">',
          'integration matrix page 5',
        ),
      ),
    ],
    ['page: network of everyone (50 loads)', loads('/network', '<div class="graph">', 'network')],
    [
      'page: network of one pacticipant (50 consumers)',
      each(integrations, async (i) =>
        contains(await html(`/groups/${e(i.consumer)}`), `Network of ${i.consumer}`, 'group'),
      ),
    ],
    [
      "page: an integration's triggered webhooks (50 integrations)",
      each(integrations, async (i) =>
        contains(await html(`${pactPath(i)}/webhooks/status`), '<h1>', 'webhooks'),
      ),
    ],
  ];
}

async function benchOne(kind, data, log) {
  const only = process.env.BENCH_BROKER_ONLY;
  const wanted = (name) => !only || name.includes(only);
  const db = await database(kind, data, log);
  const broker = await startBrokerProcess(db.location);
  const get = async (path) => {
    const response = await fetch(`${broker.url}${path}`, { headers: { Accept: 'application/hal+json' } });
    const body = await response.json();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
    return body;
  };
  const html = async (path) => {
    const response = await fetch(`${broker.url}${path}`, { headers: { Accept: 'text/html' } });
    const text = await response.text();
    if (!response.ok || !text.startsWith('<!doctype html>')) throw new Error(`${path}: ${response.status}`);
    return text;
  };
  const rows = [];
  try {
    const samples = data.samples;
    const latencyCases = [
      [
        'can-i-deploy to production (200 random consumer versions, answers checked)',
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
        }),
      ],
      [
        'matrix, consumer version against latest prod-tagged providers (100 queries)',
        samples.slice(0, 100).map((s) => async () => {
          const v = data.versionById.get(s.versionId);
          const body = await get(
            `/matrix?q[][pacticipant]=${encodeURIComponent(s.consumer.name)}&q[][version]=${encodeURIComponent(v.number)}&latestby=cvp&latest=true&tag=prod`,
          );
          expect(Array.isArray(body.matrix), 'the matrix answers with rows');
        }),
      ],
      [
        'dashboard, every integration (50 loads)',
        Array.from({ length: 50 }, () => async () => {
          const body = await get('/dashboard');
          expect(body.items.length === data.consumers.length * 2, 'the dashboard lists every integration');
        }),
      ],
      ...pageCases(data, html),
      [
        'for-verification, mainBranch + deployedOrReleased (100 queries)',
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
      ],
    ];
    for (const [name, requests] of latencyCases) {
      if (!wanted(name)) continue;
      const t = await timed(requests);
      rows.push({ case: `${kind}: ${name}`, ours_ms: t.median, p50_ms: t.p50, p99_ms: t.p99 });
      log(`${kind}: ${name}: p50 ${t.p50.toFixed(1)} ms, p99 ${t.p99.toFixed(1)} ms`);
    }
    if (wanted('publish')) rows.push(await publishThroughput(kind, broker, data));
  } finally {
    const rss = await broker.stop();
    for (const r of rows) r.ours_rss_mb = rss;
    await db.drop();
  }
  for (const r of rows.filter((r) => r.p99_ms === undefined))
    log(
      `${r.case}: ${r.pacts_per_s.toFixed(0)} pacts/s (goal >= 300 on SQLite), broker peak RSS ${r.ours_rss_mb?.toFixed(0)} MB`,
    );
  return rows.map((r) => ({ peer: null, peer_ms: null, ratio: null, peer_rss_mb: null, ...r }));
}

/** Publish throughput: 8 concurrent clients, new versions with ~10 KB pacts, for 3 seconds. */
async function publishThroughput(kind, broker, data) {
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
  return {
    case: `${kind}: publish ~10 KB pacts, 8 concurrent clients (pacts/s in ours_ms column: ${(published / seconds).toFixed(0)} pacts/s)`,
    ours_ms: (seconds * 1000) / published,
    pacts_per_s: published / seconds,
  };
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
  // random consumer versions, the same ones on every database
  data.samples = Array.from({ length: 200 }, () => {
    const consumer = data.consumers[Math.floor(data.random() * data.consumers.length)];
    const ids = data.versionsOf.get(consumer.id);
    return { consumer, versionId: ids[Math.floor(data.random() * ids.length)] };
  });
  data.pageSamples = pageSamples(data);
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
