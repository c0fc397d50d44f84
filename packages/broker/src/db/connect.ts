import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { brokerError } from '../errors.js';
import { groupCommit } from './group-commit.js';
import { type Dialect, migrations } from './migrations.js';
import type { Database } from './schema.js';
import { cachingStatements } from './statement-cache.js';

export interface BrokerDatabase {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, for the start-up line (passwords masked). */
  description: string;
  /**
   * Runs a write in one transaction: all of it lands or none of it, and the promise settles once it
   * is committed. On SQLite, writes that arrive together share one commit (see group-commit.ts).
   */
  write<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Opens the broker's database — a SQLite file path (created if missing), `:memory:`, or a
 * `postgres://` URL — and brings its schema up to date.
 *
 * @example const database = await openDatabase('pact_broker.sqlite');
 */
export async function openDatabase(location: string): Promise<BrokerDatabase> {
  const postgres = /^postgres(ql)?:\/\//i.test(location);
  let db: Kysely<Database>;
  let description: string;
  if (postgres) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: location, max: 10 });
    // An idle connection can be cut by the server (restart, failover, an administrator): the pool
    // drops it and opens another when needed. Without a listener, node-postgres would crash the process.
    pool.on('error', () => undefined);
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    description = `PostgreSQL ${location.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}`;
  } else {
    const { default: SQLite } = await import('better-sqlite3');
    let handle: InstanceType<typeof SQLite>;
    try {
      handle = new SQLite(location);
    } catch (error) {
      throw brokerError(
        'COV_BROKER_DATABASE_UNAVAILABLE',
        `cannot open the SQLite database ${location}: ${(error as Error).message}`,
        { location },
        error,
      );
    }
    handle.pragma('journal_mode = WAL');
    handle.pragma('foreign_keys = ON');
    handle.pragma('busy_timeout = 5000');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(handle) }) });
    description = `SQLite ${location}`;
  }
  const dialect: Dialect = postgres ? 'postgres' : 'sqlite';
  try {
    // several brokers may start against one PostgreSQL at once: migrate under an advisory lock,
    // taken and released on one connection (session locks belong to their connection)
    await db.connection().execute(async (connection) => {
      if (postgres) await sql`SELECT pg_advisory_lock(7460911)`.execute(connection);
      try {
        const { error } = await new Migrator({
          db: connection,
          provider: migrations(dialect),
        }).migrateToLatest();
        if (error) throw error;
      } finally {
        if (postgres) await sql`SELECT pg_advisory_unlock(7460911)`.execute(connection);
      }
    });
  } catch (error) {
    await db.destroy();
    throw brokerError(
      'COV_BROKER_DATABASE_UNAVAILABLE',
      `cannot prepare the database (${description}): ${(error as Error).message}`,
      { location: description },
      error,
    );
  }
  const write: BrokerDatabase['write'] = postgres
    ? (work) => db.transaction().execute((trx) => work(trx))
    : groupCommit(db);
  return { db, dialect, description, write, close: () => db.destroy() };
}
