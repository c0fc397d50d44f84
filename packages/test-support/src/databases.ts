// The databases broker tests run against: a fresh SQLite file always, and a fresh PostgreSQL
// database when COVENANT_TEST_POSTGRES_URL names a server (CI sets it; with CI=true it must).
import pg from 'pg';
import { tempDir } from './folders.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface TestDatabase {
  kind: DatabaseKind;
  /** What to pass as `database` to the broker: a file path or a connection URL. */
  location: string;
  drop(): Promise<void>;
}

/** The PostgreSQL server the tests may use (COVENANT_TEST_POSTGRES_URL), or undefined. */
export const postgresAdminUrl: string | undefined = process.env.COVENANT_TEST_POSTGRES_URL || undefined;

let told = false;

/**
 * The kinds to run a suite against: SQLite, and PostgreSQL when a server is named. Says once why
 * the PostgreSQL runs are skipped; under CI, a missing server is an error.
 *
 * @example describe.each(databaseKinds())('broker API (%s)', (kind) => { … })
 */
export function databaseKinds(): DatabaseKind[] {
  if (postgresAdminUrl) return ['sqlite', 'postgres'];
  if (process.env.CI)
    throw new Error(
      'CI=true but COVENANT_TEST_POSTGRES_URL is not set: the PostgreSQL broker tests must run in CI',
    );
  if (!told)
    console.warn(
      'Skipping the PostgreSQL broker tests: set COVENANT_TEST_POSTGRES_URL=postgres://user:password@host:5432/postgres to run them.',
    );
  told = true;
  return ['sqlite'];
}

async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database of the kind: a SQLite file in a fresh folder, or a PostgreSQL
 * database with a name of its own; `drop` removes it.
 */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = tempDir('covenant-broker-db-');
    return { kind, location: `${dir.path}/broker.sqlite`, drop: async () => dir.remove() };
  }
  if (!postgresAdminUrl)
    throw new Error('COVENANT_TEST_POSTGRES_URL is not set: no PostgreSQL server to use');
  const name = `covenant_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    location: url.toString(),
    drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
