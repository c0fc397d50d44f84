// Seeds a large contract history straight into the broker's tables (the API would take hours):
// pacticipants, versions (some pacticipants with 10,000+), branches, tags, distinct ~10 KB pacts,
// publications, verifications and deployments. Deterministic (seeded random), so answers can be checked.

import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';

export const SIZES = {
  pacticipants: Number(process.env.BENCH_PACTICIPANTS ?? 100),
  versions: Number(process.env.BENCH_VERSIONS ?? 100_000),
  verifications: Number(process.env.BENCH_VERIFICATIONS ?? 1_000_000),
};

function mulberry32(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const now = new Date('2026-01-01T00:00:00Z').getTime();
const at = (i) => new Date(now + i * 1000).toISOString();

/** A ~10 KB pact body for a consumer/provider pair; `n` makes it distinct. */
export function pactContent(consumer, provider, n) {
  const interactions = Array.from({ length: 20 }, (_, i) => ({
    type: 'Synchronous/HTTP',
    description: `request ${i} of revision ${n}`,
    providerStates: [{ name: `state ${i}`, params: { id: i } }],
    request: { method: 'GET', path: `/items/${i}`, headers: { Accept: ['application/json'] } },
    response: {
      status: 200,
      headers: { 'Content-Type': ['application/json'] },
      body: {
        content: { id: i, name: `item ${i}`, tags: ['a', 'b', 'c'], description: 'x'.repeat(200) },
        contentType: 'application/json',
        encoded: false,
      },
      matchingRules: { body: { '$.id': { combine: 'AND', matchers: [{ match: 'integer' }] } } },
    },
  }));
  return JSON.stringify({
    consumer: { name: consumer },
    provider: { name: provider },
    interactions,
    metadata: { pactSpecification: { version: '4.0' } },
  });
}

/**
 * Builds the data as row arrays, then inserts them in bulk. Returns facts for checking answers:
 * for sampled consumer versions, whether their pact was verified successfully by the provider
 * version deployed to production.
 */
export function generate() {
  const random = mulberry32(42);
  const pick = (n) => Math.floor(random() * n);
  const P = SIZES.pacticipants;
  const names = Array.from({ length: P }, (_, i) => `Service-${String(i).padStart(3, '0')}`);
  const pacticipants = names.map((name, i) => ({ id: i + 1, name, main_branch: 'main' }));
  // consumers: even ids; providers: odd ids; each consumer talks to 2 providers
  const consumers = pacticipants.filter((p) => p.id % 2 === 0);
  const providers = pacticipants.filter((p) => p.id % 2 === 1);
  const providersOf = new Map(
    consumers.map((c, i) => [
      c.id,
      [providers[i % providers.length].id, providers[(i + 7) % providers.length].id],
    ]),
  );
  // versions: 5 heavy pacticipants with 10,000 each, the rest share what is left
  const versions = [];
  const heavy = new Set(pacticipants.slice(0, 5).map((p) => p.id));
  const perHeavy = Math.min(10_000, Math.floor(SIZES.versions / 10));
  let id = 0;
  const versionsOf = new Map(pacticipants.map((p) => [p.id, []]));
  for (const p of pacticipants) {
    if (!heavy.has(p.id)) continue;
    for (let i = 0; i < perHeavy; i++) versionsOf.get(p.id).push(++id);
  }
  const rest = pacticipants.filter((p) => !heavy.has(p.id));
  while (id < SIZES.versions) versionsOf.get(rest[id % rest.length].id).push(++id);
  for (const [pid, ids] of versionsOf) {
    for (const [n, vid] of ids.entries()) {
      versions.push({ id: vid, pacticipant_id: pid, number: `1.${n}.0-${vid}`, created_at: at(vid) });
    }
  }
  // branches: main for everyone, a feature branch on every 10th version; tags 'prod' on every 50th
  const branches = [];
  const branchVersions = [];
  const tags = [];
  for (const p of pacticipants) {
    branches.push({ id: branches.length + 1, pacticipant_id: p.id, name: 'main' });
    branches.push({ id: branches.length + 1, pacticipant_id: p.id, name: 'feature' });
  }
  const mainOf = (pid) => (pid - 1) * 2 + 1;
  for (const v of versions) {
    branchVersions.push({
      branch_id: v.id % 10 === 0 ? mainOf(v.pacticipant_id) + 1 : mainOf(v.pacticipant_id),
      version_id: v.id,
      pacticipant_id: v.pacticipant_id,
    });
    if (v.id % 50 === 0) tags.push({ version_id: v.id, pacticipant_id: v.pacticipant_id, name: 'prod' });
  }
  // pacts: a new distinct content every 20th consumer version; publications for every consumer version
  const pactVersions = [];
  const publications = [];
  const currentPact = new Map();
  for (const c of consumers) {
    for (const [n, vid] of versionsOf.get(c.id).entries()) {
      for (const provider of providersOf.get(c.id)) {
        const key = `${c.id}-${provider}`;
        if (n % 20 === 0 || !currentPact.has(key)) {
          const pvId = pactVersions.length + 1;
          pactVersions.push({
            id: pvId,
            consumer_id: c.id,
            provider_id: provider,
            sha: createHash('sha1').update(`${key}-${n}`).digest('hex'),
            content: pactContent(names[c.id - 1], names[provider - 1], n),
            created_at: at(vid),
          });
          currentPact.set(key, pvId);
        }
        publications.push({
          consumer_id: c.id,
          provider_id: provider,
          consumer_version_id: vid,
          pact_version_id: currentPact.get(key),
          revision: 1,
          created_at: at(vid),
        });
      }
    }
  }
  // verifications: spread over pact versions and provider versions; every 7th fails
  const verifications = [];
  for (let i = 0; i < SIZES.verifications; i++) {
    const pv = pactVersions[pick(pactVersions.length)];
    const providerVersions = versionsOf.get(pv.provider_id);
    const vid = providerVersions[pick(providerVersions.length)];
    verifications.push({
      pact_version_id: pv.id,
      consumer_id: pv.consumer_id,
      provider_id: pv.provider_id,
      provider_version_id: vid,
      success: i % 7 === 0 ? 0 : 1,
      created_at: at(SIZES.versions + i),
    });
  }
  // environments and deployments: each pacticipant's latest version is in production, a few older ones undeployed
  const environments = [
    { id: 1, uuid: '00000000-0000-4000-8000-000000000001', name: 'production', production: 1 },
    { id: 2, uuid: '00000000-0000-4000-8000-000000000002', name: 'staging', production: 0 },
  ];
  const deployed = [];
  for (const p of pacticipants) {
    const ids = versionsOf.get(p.id);
    const latest = ids[ids.length - 1];
    deployed.push({
      uuid: `dep-${p.id}-1`,
      version_id: ids[Math.max(0, ids.length - 5)],
      pacticipant_id: p.id,
      environment_id: 1,
      undeployed_at: at(latest),
    });
    deployed.push({
      uuid: `dep-${p.id}-2`,
      version_id: latest,
      pacticipant_id: p.id,
      environment_id: 1,
      undeployed_at: null,
    });
    deployed.push({
      uuid: `dep-${p.id}-3`,
      version_id: latest,
      pacticipant_id: p.id,
      environment_id: 2,
      undeployed_at: null,
    });
  }
  return {
    names,
    pacticipants,
    versions,
    versionsOf,
    providersOf,
    consumers,
    providers,
    branches,
    branchVersions,
    tags,
    pactVersions,
    publications,
    verifications,
    environments,
    deployed,
    random,
  };
}

const COLUMNS = {
  pacticipants: (r) => ({
    id: r.id,
    name: r.name,
    display_name: null,
    repository_url: null,
    main_branch: r.main_branch,
    created_at: at(0),
    updated_at: at(0),
  }),
  versions: (r) => ({
    id: r.id,
    pacticipant_id: r.pacticipant_id,
    number: r.number,
    build_url: null,
    created_at: r.created_at,
  }),
  branches: (r) => ({ id: r.id, pacticipant_id: r.pacticipant_id, name: r.name, created_at: at(0) }),
  branch_versions: (r) => ({
    branch_id: r.branch_id,
    version_id: r.version_id,
    pacticipant_id: r.pacticipant_id,
    created_at: at(r.version_id),
  }),
  tags: (r) => ({
    version_id: r.version_id,
    pacticipant_id: r.pacticipant_id,
    name: r.name,
    created_at: at(r.version_id),
  }),
  pact_versions: (r) => r,
  pact_publications: (r) => r,
  verifications: (r) => ({
    ...r,
    build_url: null,
    test_results: null,
    verified_by: null,
    wip: 0,
    pact_pending: 0,
  }),
  environments: (r) => ({ ...r, display_name: r.name, contacts: null, created_at: at(0), updated_at: at(0) }),
  deployed_versions: (r) => ({ ...r, application_instance: null, created_at: at(r.version_id) }),
};

function tables(data) {
  return [
    ['pacticipants', data.pacticipants],
    ['versions', data.versions],
    ['branches', data.branches],
    ['branch_versions', data.branchVersions],
    ['tags', data.tags],
    ['pact_versions', data.pactVersions],
    ['pact_publications', data.publications],
    ['verifications', data.verifications],
    ['environments', data.environments],
    ['deployed_versions', data.deployed],
  ];
}

/** Inserts the data into a migrated database (a SQLite file or a postgres:// URL). */
export async function insert(location, data) {
  if (location.startsWith('postgres')) {
    const client = new pg.Client({ connectionString: location });
    await client.connect();
    await client.query('BEGIN');
    for (const [table, rows] of tables(data)) {
      const mapped = rows.map(COLUMNS[table]);
      if (mapped.length === 0) continue;
      const cols = Object.keys(mapped[0]);
      const batch = Math.max(1, Math.floor(30000 / cols.length));
      for (let i = 0; i < mapped.length; i += batch) {
        const chunk = mapped.slice(i, i + batch);
        const values = [];
        const placeholders = chunk.map(
          (row, r) =>
            `(${cols
              .map((c, k) => {
                values.push(row[c]);
                return `$${r * cols.length + k + 1}`;
              })
              .join(',')})`,
        );
        await client.query(
          `INSERT INTO ${table} (${cols.join(',')}) VALUES ${placeholders.join(',')}`,
          values,
        );
      }
      if (mapped[0].id !== undefined)
        await client.query(
          `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`,
        );
    }
    await client.query('COMMIT');
    // a database that has lived this long has been vacuumed: without it, index-only scans would
    // still visit the table to check visibility of freshly bulk-loaded rows
    await client.query('VACUUM ANALYZE');
    await client.end();
    return;
  }
  const db = new Database(location);
  db.pragma('journal_mode = WAL');
  db.transaction(() => {
    for (const [table, rows] of tables(data)) {
      const mapped = rows.map(COLUMNS[table]);
      if (mapped.length === 0) continue;
      const cols = Object.keys(mapped[0]);
      const statement = db.prepare(
        `INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map((c) => `@${c}`).join(',')})`,
      );
      for (const row of mapped) statement.run(row);
    }
  })();
  db.exec('ANALYZE');
  db.close();
}
