// Case 2c: SIGKILL during a migration. A database at the first migration's schema, holding a pact
// and `verifications` verification rows (so that the next migration's index takes a while to
// build), is opened by a broker that is SIGKILLed at a random moment of its start, `kills` times.
// After each kill the schema is as its migration records say (no step half applied); the start
// after the last kill completes the schema, and the data is all there.
import { createApp, openDatabase } from '@covenant/broker';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import pg from 'pg';
import { createTestDatabase, request, spawnBroker } from './lib.mjs';

const ALL_MIGRATIONS = [
  '0001-initial',
  '0002-reads-at-scale',
  '0003-webhook-outbox',
  '0004-provider-contracts',
];
const PACT_PATH = '/pacts/provider/Migrating%20Provider/consumer/Migrating%20Consumer/version/1';

/** Runs `statements` (or a query, when one) on the database at `location`, outside the broker. */
async function onDatabase(kind, location, statements) {
  if (kind === 'sqlite') {
    const db = new Database(location);
    try {
      return statements.map((s) => (/^\s*SELECT/i.test(s) ? db.prepare(s).all() : db.exec(s)));
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  try {
    const results = [];
    for (const s of statements) results.push((await client.query(s)).rows);
    return results;
  } finally {
    await client.end();
  }
}

/**
 * Makes `location` a database as a broker of migration 0001 left it, with data: a pact and its
 * verification published through the broker, the verification copied to `verifications` rows;
 * then everything later migrations made is taken away and their records deleted.
 *
 * @example await atFirstMigration('sqlite', '/tmp/x/broker.sqlite', { verifications: 1000 })
 */
export async function atFirstMigration(kind, location, { verifications }) {
  const database = await openDatabase(location);
  const app = createApp({ database });
  try {
    const json = { 'content-type': 'application/json', accept: 'application/hal+json' };
    const published = await app.inject({
      method: 'PUT',
      url: PACT_PATH,
      headers: json,
      payload: {
        consumer: { name: 'Migrating Consumer' },
        provider: { name: 'Migrating Provider' },
        interactions: [
          {
            description: 'kept across the migration',
            request: { method: 'GET', path: '/' },
            response: { status: 200 },
          },
        ],
        metadata: { pactSpecification: { version: '3.0.0' } },
      },
    });
    const link = published.json()._links['pb:publish-verification-results'].href;
    await app.inject({
      method: 'POST',
      url: new URL(link).pathname,
      headers: json,
      payload: { success: true, providerApplicationVersion: 'p1' },
    });
  } finally {
    await app.close();
    await database.close();
  }
  const series =
    kind === 'sqlite'
      ? `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${verifications - 1}) SELECT i FROM n`
      : `SELECT generate_series(1, ${verifications - 1}) AS i`;
  await onDatabase(kind, location, [
    `INSERT INTO verifications (pact_version_id, consumer_id, provider_id, provider_version_id, success, created_at)
       SELECT v.pact_version_id, v.consumer_id, v.provider_id, v.provider_version_id, v.success, v.created_at
       FROM verifications v CROSS JOIN (${series}) s`,
  ]);
  await backToFirstMigration(kind, location);
}

/** Takes away what migrations 0002, 0003 and 0004 made, and their records (the data stays). */
async function backToFirstMigration(kind, location) {
  await onDatabase(kind, location, [
    // what 0002, 0003 and 0004 made, taken away again
    'DROP TABLE webhook_executions',
    'DROP TABLE triggered_webhooks',
    'DROP TABLE contract_comparisons',
    'DROP TABLE provider_contracts',
    'ALTER TABLE verifications DROP COLUMN provider_contract_id',
    'DROP INDEX verifications_pact_version_latest',
    'DROP INDEX deployed_versions_version',
    'DROP INDEX released_versions_environment_pacticipant',
    'CREATE INDEX verifications_pact_version_provider_version ON verifications (pact_version_id, provider_version_id, id)',
    `DELETE FROM kysely_migration WHERE name <> '0001-initial'`,
  ]);
}

/** The migrations recorded as done, and what of each later migration's work is in the schema. */
export async function schemaState(kind, location) {
  const [recorded, tables, indexes, columns] = await onDatabase(
    kind,
    location,
    kind === 'sqlite'
      ? [
          'SELECT name FROM kysely_migration ORDER BY name',
          `SELECT name FROM sqlite_master WHERE type = 'table'`,
          `SELECT name FROM sqlite_master WHERE type = 'index'`,
          `SELECT name FROM pragma_table_info('verifications')`,
        ]
      : [
          'SELECT name FROM kysely_migration ORDER BY name',
          `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`,
          `SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'`,
          `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'verifications'`,
        ],
  );
  const has = (rows, name) => rows.some((r) => r.name === name);
  // each later migration's work, by the objects it makes
  const made = {
    '0002-reads-at-scale':
      has(indexes, 'verifications_pact_version_latest') ||
      has(indexes, 'deployed_versions_version') ||
      has(indexes, 'released_versions_environment_pacticipant'),
    '0003-webhook-outbox': has(tables, 'triggered_webhooks') || has(tables, 'webhook_executions'),
    '0004-provider-contracts':
      has(tables, 'provider_contracts') ||
      has(tables, 'contract_comparisons') ||
      has(columns, 'provider_contract_id'),
  };
  const complete = {
    '0002-reads-at-scale':
      has(indexes, 'verifications_pact_version_latest') &&
      has(indexes, 'deployed_versions_version') &&
      has(indexes, 'released_versions_environment_pacticipant') &&
      !has(indexes, 'verifications_pact_version_provider_version'),
    '0003-webhook-outbox': has(tables, 'triggered_webhooks') && has(tables, 'webhook_executions'),
    '0004-provider-contracts':
      has(tables, 'provider_contracts') &&
      has(tables, 'contract_comparisons') &&
      has(columns, 'provider_contract_id'),
  };
  const done = recorded.map((r) => r.name);
  // a step half applied: some of its work there without its record, or its record without all of it
  const halfApplied = Object.keys(made).filter((name) =>
    done.includes(name) ? !complete[name] : made[name],
  );
  return { done, halfApplied };
}

/**
 * Waits until a starting broker is migrating `location` (`migrating: true`) or has finished
 * (`false`): on SQLite, the migration transaction holds the write lock (a `BEGIN IMMEDIATE` of ours
 * is refused as busy); on PostgreSQL, its session holds the migration's advisory lock. Resolves
 * false when `broker` exits first.
 */
async function whenMigrating(kind, location, broker, migrating) {
  const pgClient = kind === 'postgres' ? new pg.Client({ connectionString: location }) : undefined;
  await pgClient?.connect();
  try {
    while (!broker.exit) {
      let locked;
      if (pgClient) {
        const { rows } = await pgClient.query(
          `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 7460911 AND granted
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        locked = rows.length > 0;
      } else {
        const db = new Database(location, { timeout: 0 });
        try {
          db.exec('BEGIN IMMEDIATE');
          db.exec('ROLLBACK');
          locked = false;
        } catch (error) {
          if (error.code !== 'SQLITE_BUSY') throw error;
          locked = true;
        } finally {
          db.close();
        }
      }
      if (locked === migrating) return true;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return false;
  } finally {
    await pgClient?.end();
  }
}

/** `kills` starts SIGKILLed at random moments, then a start that must complete the schema; one row. */
export async function migrationKill({
  kind,
  kills,
  verifications,
  seed = Date.now() % 2 ** 31,
  log = () => {},
}) {
  const database = await createTestDatabase(kind);
  const failures = [];
  let killedMidway = 0;
  let halfApplied = 0;
  try {
    await atFirstMigration(kind, database.location, { verifications });
    // how long the migrations take here, unkilled: the kills are spread over that time
    const timing = spawnBroker({ database: database.location });
    await whenMigrating(kind, database.location, timing, true);
    const begun = performance.now();
    await whenMigrating(kind, database.location, timing, false);
    const migrationMs = performance.now() - begun;
    await timing.ready;
    await timing.kill();
    await backToFirstMigration(kind, database.location);
    const delays = fc.sample(fc.integer({ min: 0, max: Math.floor(migrationMs * 0.8) }), {
      seed,
      numRuns: kills,
    });
    for (const [i, delay] of delays.entries()) {
      const broker = spawnBroker({ database: database.location });
      await whenMigrating(kind, database.location, broker, true);
      await new Promise((resolve) => setTimeout(resolve, delay));
      await broker.kill('SIGKILL');
      const state = await schemaState(kind, database.location);
      halfApplied += state.halfApplied.length > 0 ? 1 : 0;
      if (state.halfApplied.length > 0)
        failures.push(`after kill ${i + 1} (${delay} ms): half applied: ${state.halfApplied.join(', ')}`);
      // a kill after the start completed the schema tested nothing: back to the old one
      if (state.done.length === ALL_MIGRATIONS.length) await backToFirstMigration(kind, database.location);
      else killedMidway++;
    }
    const broker = spawnBroker({ database: database.location });
    try {
      const url = await broker.ready.catch((error) => {
        failures.push(`the start after the kills failed: ${error.message.split('\n').slice(0, 3).join(' ')}`);
      });
      const state = await schemaState(kind, database.location);
      if (state.done.join() !== ALL_MIGRATIONS.join() || state.halfApplied.length > 0)
        failures.push(
          `schema after the last start: done ${state.done.join(', ')}; half applied ${state.halfApplied}`,
        );
      const [[{ count }]] = await onDatabase(kind, database.location, [
        'SELECT COUNT(*) AS count FROM verifications',
      ]);
      if (Number(count) !== verifications) failures.push(`${count} verifications, not ${verifications}`);
      if (url) {
        const pact = await request(url, { path: PACT_PATH, headers: { accept: 'application/hal+json' } });
        if (pact.status !== 200 || !pact.text.includes('kept across the migration'))
          failures.push(`the pact published before the migration: ${pact.status}`);
      }
    } finally {
      await broker.kill();
    }
    if (killedMidway === 0)
      failures.push('no kill landed while the broker was migrating: the case did not test');
    for (const f of failures) log(`  ${f}`);
    return {
      case: `SIGKILL during a migration, ${kills} kills (${kind})`,
      ok: failures.length === 0,
      figure: `seed ${seed}: ${verifications} verifications to index, migrating takes ${migrationMs.toFixed(0)} ms; ${killedMidway} of ${kills} kills while migrating, ${halfApplied} left a step half applied; ${failures.length === 0 ? 'the next start completed it, data intact' : `${failures.length} failures`}`,
      seed,
      failures,
    };
  } finally {
    await database.drop();
  }
}
