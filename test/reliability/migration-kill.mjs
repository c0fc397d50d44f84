// Case 2c: SIGKILL during a migration. A database at the first migration's schema, holding a pact
// and `verifications` verification rows (so that the later migrations' indexes take a while to
// build), is opened by a broker that is SIGKILLed at a random moment while it migrates, `kills`
// times. After each kill the schema is exactly the one its migration records say (no step half
// applied); the start after the last kill completes the schema, and the data is all there. The
// broker's own migrations are used, so every migration added later is covered without a change here.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { createTestDatabase, openSqlite, request, spawnBroker } from './lib.mjs';

const PACT_PATH = '/pacts/provider/Migrating%20Provider/consumer/Migrating%20Consumer/version/1';

/** The broker's migrations, from its build (not part of its public API). */
async function brokerMigrations(kind) {
  const { migrations } = await import('../../packages/broker/dist/db/migrations.js');
  return migrations(kind);
}

/** Runs `statements` on the database at `location`, outside the broker; the rows of each. */
async function onDatabase(kind, location, statements) {
  if (kind === 'sqlite') {
    const db = openSqlite(location);
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

/** Brings the database at `location` up to the migration `name` (and no further), with the broker's own steps. */
async function migrateTo(kind, location, name) {
  const db = new Kysely({
    dialect:
      kind === 'sqlite'
        ? new SqliteDialect({ database: openSqlite(location) })
        : new PostgresDialect({ pool: new pg.Pool({ connectionString: location, max: 1 }) }),
  });
  try {
    const { error } = await new Migrator({ db, provider: await brokerMigrations(kind) }).migrateTo(name);
    if (error) throw error;
  } finally {
    await db.destroy();
  }
}

/** The migrations, in order. */
export async function migrationNames(kind) {
  return Object.keys(await (await brokerMigrations(kind)).getMigrations()).sort();
}

/** The schema, as a sorted list of `table.column` and `index name` lines. */
async function schemaOf(kind, location) {
  const [columns, indexes] = await onDatabase(
    kind,
    location,
    kind === 'sqlite'
      ? [
          `SELECT m.name || '.' || p.name AS line FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'`,
          `SELECT 'index ' || name AS line FROM sqlite_master WHERE type = 'index'`,
        ]
      : [
          `SELECT table_name || '.' || column_name AS line FROM information_schema.columns WHERE table_schema = 'public'`,
          `SELECT 'index ' || indexname AS line FROM pg_indexes WHERE schemaname = 'public'`,
        ],
  );
  return [...columns, ...indexes].map((r) => r.line).sort();
}

/**
 * The schema after each prefix of the migrations (`[i]`: after the first i + 1 of them), made on a
 * scratch database, to compare a killed start's schema with the one its records say.
 */
export async function schemasByStep(kind) {
  const scratch = await createTestDatabase(kind);
  try {
    const schemas = [];
    for (const name of await migrationNames(kind)) {
      await migrateTo(kind, scratch.location, name);
      schemas.push(await schemaOf(kind, scratch.location));
    }
    return schemas;
  } finally {
    await scratch.drop();
  }
}

/**
 * Makes `location` a database as a broker of migration 0001 left it, with data written in that
 * schema: a pact published for consumer version 1, and `verifications` verification rows of it.
 *
 * @example await atFirstMigration('sqlite', '/tmp/x/broker.sqlite', { verifications: 1000 })
 */
export async function atFirstMigration(kind, location, { verifications }) {
  const [first] = await migrationNames(kind);
  await migrateTo(kind, location, first);
  const now = new Date().toISOString();
  const content = JSON.stringify({
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
  });
  const sha = createHash('sha1').update(content).digest('hex');
  const series =
    kind === 'sqlite'
      ? `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${verifications}) SELECT i FROM n`
      : `SELECT generate_series(1, ${verifications}) AS i`;
  await onDatabase(kind, location, [
    `INSERT INTO pacticipants (name, created_at, updated_at) VALUES ('Migrating Consumer', '${now}', '${now}'), ('Migrating Provider', '${now}', '${now}')`,
    `INSERT INTO versions (pacticipant_id, number, created_at) VALUES (1, '1', '${now}'), (2, 'p1', '${now}')`,
    `INSERT INTO pact_versions (consumer_id, provider_id, sha, content, created_at) VALUES (1, 2, '${sha}', '${content.replaceAll("'", "''")}', '${now}')`,
    `INSERT INTO pact_publications (consumer_id, provider_id, consumer_version_id, pact_version_id, revision, created_at) VALUES (1, 2, 1, 1, 1, '${now}')`,
    `INSERT INTO verifications (pact_version_id, consumer_id, provider_id, provider_version_id, success, created_at)
       SELECT 1, 1, 2, 2, 1, '${now}' FROM (${series}) s`,
  ]);
}

/**
 * The migrations recorded as done, and whether the schema is exactly the one they make (`schemas`
 * from {@link schemasByStep}); `halfApplied` names what differs when it is not.
 */
export async function schemaState(kind, location, schemas) {
  const [recorded] = await onDatabase(kind, location, ['SELECT name FROM kysely_migration ORDER BY name']);
  const done = recorded.map((r) => r.name);
  const expected = schemas[done.length - 1] ?? [];
  const actual = await schemaOf(kind, location);
  const extra = actual.filter((line) => !expected.includes(line));
  const missing = expected.filter((line) => !actual.includes(line));
  const halfApplied = [...extra.map((l) => `${l} without its record`), ...missing.map((l) => `${l} missing`)];
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
        const db = openSqlite(location, { timeout: 0 });
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
  const schemas = await schemasByStep(kind);
  const all = await migrationNames(kind);
  let database = await createTestDatabase(kind);
  const failures = [];
  let killedMidway = 0;
  let halfApplied = 0;
  // a database at 0001 again, for the next kill, once a start completed the schema
  const afresh = async () => {
    await database.drop();
    database = await createTestDatabase(kind);
    await atFirstMigration(kind, database.location, { verifications });
  };
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
    await afresh();
    const delays = fc.sample(fc.integer({ min: 0, max: Math.floor(migrationMs * 0.8) }), {
      seed,
      numRuns: kills,
    });
    for (const [i, delay] of delays.entries()) {
      const broker = spawnBroker({ database: database.location });
      await whenMigrating(kind, database.location, broker, true);
      await new Promise((resolve) => setTimeout(resolve, delay));
      await broker.kill('SIGKILL');
      const state = await schemaState(kind, database.location, schemas);
      halfApplied += state.halfApplied.length > 0 ? 1 : 0;
      if (state.halfApplied.length > 0)
        failures.push(
          `after kill ${i + 1} (${delay} ms), ${state.done.length} migrations recorded: ${state.halfApplied.slice(0, 5).join('; ')}`,
        );
      // a kill after the start completed the schema tested nothing: back to the old one
      if (state.done.length === all.length) await afresh();
      else killedMidway++;
    }
    const broker = spawnBroker({ database: database.location });
    try {
      const url = await broker.ready.catch((error) => {
        failures.push(`the start after the kills failed: ${error.message.split('\n').slice(0, 3).join(' ')}`);
      });
      const state = await schemaState(kind, database.location, schemas);
      if (state.done.join() !== all.join() || state.halfApplied.length > 0)
        failures.push(
          `schema after the last start: done ${state.done.join(', ')}; differs: ${state.halfApplied.slice(0, 5).join('; ')}`,
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
      figure: `seed ${seed}: ${all.length} migrations, ${verifications} verifications to index, migrating takes ${migrationMs.toFixed(0)} ms; ${killedMidway} of ${kills} kills while migrating, ${halfApplied} left a step half applied; ${failures.length === 0 ? 'the next start completed it, data intact' : `${failures.length} failures`}`,
      seed,
      failures,
    };
  } finally {
    await database.drop();
  }
}
