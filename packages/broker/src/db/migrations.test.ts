import { createTestDatabase, databaseKinds, type TestDatabase } from '@covenant/test-support';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, sqliteOpenOptions } from './connect.js';
import { type Dialect, migrations } from './migrations.js';

/** A database at migration 0001 only, as a broker from before 0002 left it. */
async function atFirstMigration(location: string, dialect: Dialect) {
  // biome-ignore lint/suspicious/noExplicitAny: a schema older than the typed one
  let db: Kysely<any>;
  if (dialect === 'postgres') {
    const { default: pg } = await import('pg');
    db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: location }) }) });
  } else {
    const { default: SQLite } = await import('better-sqlite3');
    db = new Kysely({ dialect: new SqliteDialect({ database: new SQLite(location, sqliteOpenOptions()) }) });
  }
  const all = await migrations(dialect).getMigrations();
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: async () => ({ '0001-initial': all['0001-initial']! }) },
  }).migrateToLatest();
  if (error) throw error;
  return db;
}

describe.each(databaseKinds())('migrations (%s)', (kind) => {
  let database: TestDatabase;
  afterEach(async () => database?.drop());

  it('upgrades a database with data from 0001: the scale indexes replace the old verification index', async () => {
    database = await createTestDatabase(kind);
    const old = await atFirstMigration(database.location, kind);
    await sql`INSERT INTO pacticipants (name, created_at, updated_at) VALUES ('Web', 'now', 'now'), ('API', 'now', 'now')`.execute(
      old,
    );
    await sql`INSERT INTO versions (pacticipant_id, number, created_at) VALUES (2, '1', 'now')`.execute(old);
    await sql`INSERT INTO pact_versions (consumer_id, provider_id, sha, content, created_at) VALUES (1, 2, 'abc', '{}', 'now')`.execute(
      old,
    );
    await sql`INSERT INTO verifications (pact_version_id, consumer_id, provider_id, provider_version_id, success, created_at)
      VALUES (1, 1, 2, 1, 1, 'now')`.execute(old);
    await old.destroy();

    const upgraded = await openDatabase(database.location);
    try {
      const { rows } =
        kind === 'postgres'
          ? await sql<{
              name: string;
            }>`SELECT indexname AS name FROM pg_indexes WHERE tablename IN ('verifications', 'deployed_versions', 'released_versions')`.execute(
              upgraded.db,
            )
          : await sql<{
              name: string;
            }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('verifications', 'deployed_versions', 'released_versions')`.execute(
              upgraded.db,
            );
      const names = rows.map((r) => r.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'verifications_pact_version_latest',
          'deployed_versions_version',
          'released_versions_environment_pacticipant',
        ]),
      );
      expect(names).not.toContain('verifications_pact_version_provider_version');
      const kept = await upgraded.db.selectFrom('verifications').select(['success']).execute();
      expect(kept).toEqual([{ success: 1 }]);
    } finally {
      await upgraded.close();
    }
  });

  it('finishes a 0002 that an interrupted start left half done', async () => {
    database = await createTestDatabase(kind);
    const old = await atFirstMigration(database.location, kind);
    // what a start stopped during 0002 leaves: the new index made, the old one dropped, the rest not,
    // and 0002 not recorded as done
    if (kind === 'postgres')
      await sql`CREATE INDEX verifications_pact_version_latest ON verifications
        (pact_version_id, provider_version_id, id) INCLUDE (success, created_at)`.execute(old);
    else
      await sql`CREATE INDEX verifications_pact_version_latest ON verifications
        (pact_version_id, provider_version_id, id, success, created_at)`.execute(old);
    await sql`DROP INDEX verifications_pact_version_provider_version`.execute(old);
    await sql`CREATE INDEX deployed_versions_version ON deployed_versions (version_id)`.execute(old);
    await old.destroy();

    const upgraded = await openDatabase(database.location);
    try {
      const { rows } =
        kind === 'postgres'
          ? await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes
              WHERE tablename IN ('verifications', 'deployed_versions', 'released_versions')`.execute(
              upgraded.db,
            )
          : await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index'
              AND tbl_name IN ('verifications', 'deployed_versions', 'released_versions')`.execute(
              upgraded.db,
            );
      expect(rows.map((r) => r.name)).toEqual(
        expect.arrayContaining([
          'verifications_pact_version_latest',
          'deployed_versions_version',
          'released_versions_environment_pacticipant',
        ]),
      );
    } finally {
      await upgraded.close();
    }
  });

  it("upgrades to 0006: an integration's publications are indexed with their revision, a consumer's by version", async () => {
    database = await createTestDatabase(kind);
    const old = await atFirstMigration(database.location, kind);
    await sql`INSERT INTO pacticipants (name, created_at, updated_at) VALUES ('Web', 'now', 'now'), ('API', 'now', 'now')`.execute(
      old,
    );
    await sql`INSERT INTO versions (pacticipant_id, number, created_at) VALUES (1, '1', 'now')`.execute(old);
    await sql`INSERT INTO pact_versions (consumer_id, provider_id, sha, content, created_at) VALUES (1, 2, 'abc', '{}', 'now')`.execute(
      old,
    );
    await sql`INSERT INTO pact_publications (consumer_id, provider_id, consumer_version_id, pact_version_id, revision, created_at)
      VALUES (1, 2, 1, 1, 1, 'now'), (1, 2, 1, 1, 2, 'now')`.execute(old);
    await old.destroy();

    const upgraded = await openDatabase(database.location);
    try {
      const { rows } =
        kind === 'postgres'
          ? await sql<{ name: string; definition: string }>`SELECT indexname AS name, indexdef AS definition
              FROM pg_indexes WHERE tablename = 'pact_publications'`.execute(upgraded.db)
          : await sql<{ name: string; definition: string }>`SELECT name, sql AS definition FROM sqlite_master
              WHERE type = 'index' AND tbl_name = 'pact_publications'`.execute(upgraded.db);
      const latest = rows.find((r) => r.name === 'pact_publications_integration_latest');
      expect(latest?.definition.replace(/["\s]/g, '')).toContain(
        '(provider_id,consumer_id,consumer_version_id,revision)',
      );
      const byConsumer = rows.find((r) => r.name === 'pact_publications_consumer_version');
      expect(byConsumer?.definition.replace(/["\s]/g, '')).toContain('(consumer_id,consumer_version_id)');
      expect(rows.map((r) => r.name)).not.toContain('pact_publications_provider_consumer_version');
      const kept = await upgraded.db
        .selectFrom('pact_publications')
        .select(['revision'])
        .orderBy('revision')
        .execute();
      expect(kept).toEqual([{ revision: 1 }, { revision: 2 }]);
    } finally {
      await upgraded.close();
    }
  });

  it.runIf(kind === 'sqlite')('reports a failed SQLite migration without the PostgreSQL hint', async () => {
    database = await createTestDatabase(kind);
    const old = await atFirstMigration(database.location, kind);
    // a table by the name of one of 0002's indexes: SQLite refuses the index
    await sql`CREATE TABLE deployed_versions_version (id integer)`.execute(old);
    await old.destroy();
    const failed = await openDatabase(database.location).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'COV_BROKER_DATABASE_MIGRATION_FAILED' });
    expect((failed as Error).message).toContain('deployed_versions_version');
    expect((failed as Error).message).not.toContain('PostgreSQL');
  });
});
