// The databases broker tests run against: a fresh SQLite file always, and a fresh PostgreSQL
// database when COVENANT_TEST_POSTGRES_URL names a server (CI sets it; with CI=true it must).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  /** What to pass as `database` to the broker. */
  location: string;
  drop(): Promise<void>;
}

export const postgresAdminUrl = process.env.COVENANT_TEST_POSTGRES_URL;

if (!postgresAdminUrl) {
  if (process.env.CI)
    throw new Error(
      'CI=true but COVENANT_TEST_POSTGRES_URL is not set: the PostgreSQL broker tests must run in CI',
    );
  console.warn(
    'Skipping the PostgreSQL broker tests: set COVENANT_TEST_POSTGRES_URL=postgres://user:password@host:5432/postgres to run them.',
  );
}

/** The kinds to run a suite against. */
export const databaseKinds: Array<'sqlite' | 'postgres'> = postgresAdminUrl
  ? ['sqlite', 'postgres']
  : ['sqlite'];

/** Creates an empty database of the kind. */
export async function createTestDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'covenant-broker-db-'));
    return {
      kind,
      location: join(dir, 'broker.sqlite'),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `covenant_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresAdminUrl!);
  url.pathname = `/${name}`;
  return {
    kind,
    location: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
