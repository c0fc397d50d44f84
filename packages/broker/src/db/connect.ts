import { realpathSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { redactUrl } from '@covenant/core';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  SqliteDialect,
  sql,
} from 'kysely';
import type { Pool, PoolClient } from 'pg';
import { brokerError, requestError } from '../errors.js';
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
 * Syncs SQLite's write-ahead log to disk on a libuv thread. With `synchronous = NORMAL` a commit
 * only writes the log; once this returns, everything committed before it is on disk, as a
 * `synchronous = FULL` commit would have made it, without holding up the event loop for the fsync.
 * (fsync covers the file, whichever descriptor wrote it; SQLite keeps the log file while it is open.)
 * The log is opened once and never afresh: after a failed fsync, Linux may have dropped the pages it
 * could not write, and a new descriptor would not even see the error (so group commit stops writing).
 */
function syncedLog(path: string) {
  let file: Promise<FileHandle> | undefined;
  let inFlight: Promise<void> | undefined;
  const datasync = async () => {
    try {
      await (await (file ??= open(path, 'r'))).datasync();
    } catch (error) {
      throw brokerError(
        'COV_BROKER_DATABASE_SYNC_FAILED',
        `cannot sync the SQLite log ${path} to disk (${(error as Error).message}): the write may have been stored, but is not known to be on disk`,
        { location: path },
        error,
      );
    }
  };
  return {
    sync(): Promise<void> {
      const running = datasync();
      inFlight = running.catch(() => undefined);
      return running;
    },
    /** The error for every write after a failed sync. */
    stopped(syncError: unknown) {
      return brokerError(
        'COV_BROKER_DATABASE_SYNC_FAILED',
        `the broker accepts no more writes since syncing the SQLite log ${path} failed (${((syncError as Error).cause as Error | undefined)?.message ?? String(syncError)}): restart it`,
        { location: path },
        syncError,
      );
    },
    async close() {
      // not while a datasync may still be using the descriptor
      await inFlight;
      await (await file?.catch(() => undefined))?.close();
    },
  };
}

/** Socket errors that mean PostgreSQL cannot be reached (refused, cut, timed out, not found). */
const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Whether `error` says the connection to PostgreSQL is gone or cannot be made, rather than that
 * the statement was wrong: a socket error; SQLSTATE class 08 (connection exception), 57P01–57P03
 * (the server shutting down, crashed, or still starting) or 53300 (no connection slot free); or
 * node-postgres's own words for a connection that ended or a connect that timed out.
 */
function isConnectionLost(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (SOCKET_ERRORS.has(code) || /^(08...|57P0[123]|53300)$/.test(code)))
    return true;
  return (
    typeof message === 'string' &&
    /^(Connection terminated|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect)/.test(
      message,
    )
  );
}

/** The 503 a request gets while PostgreSQL is away: the client may retry; the broker reconnects. */
const databaseUnreachable = (error: unknown) =>
  requestError(
    'COV_BROKER_DATABASE_UNREACHABLE',
    `the broker cannot reach its database right now (${(error as Error).message}); retry shortly`,
    { title: 'Database unreachable' },
  );

/**
 * Whether a write failed because a concurrent transaction changed what it relied on, so that the
 * same write sent again can succeed: a row it refers to deleted under it (a foreign key violation:
 * SQLSTATE 23503, SQLite's SQLITE_CONSTRAINT_FOREIGNKEY), or on PostgreSQL a deadlock (40P01) or a
 * serialization failure (40001). The writes lock what they refer to, so this is a last resort.
 */
export function isLostRace(error: unknown): boolean {
  const { code } = (error ?? {}) as { code?: unknown };
  return typeof code === 'string' && /^(23503|40P01|40001|SQLITE_CONSTRAINT_FOREIGNKEY)$/.test(code);
}

/** The 503 a write that lost a race gets: nothing of it was stored, and sending it again is safe. */
const writeRaced = (error: unknown) =>
  requestError(
    'COV_BROKER_WRITE_RACED',
    `a concurrent change removed or locked what this write refers to (${(error as Error).message}); nothing was stored, send the request again`,
  );

/**
 * node-postgres's pool, as Kysely uses it, made to survive PostgreSQL going away (a restart, a
 * failover, an administrator ending sessions):
 * - a connection cut while checked out (between two statements of a transaction) emits `error` on
 *   its client, which would crash the process without a listener; with one, the client is left
 *   unusable, its next statement fails, and the pool drops it on release and opens a fresh one;
 * - a connect or statement that fails because the connection is gone becomes the catalog's 503
 *   (COV_BROKER_DATABASE_UNREACHABLE) instead of a 500, so clients know to retry.
 */
function reconnectingPool(pool: Pool): PostgresPool {
  const clients = new WeakMap<PoolClient, PostgresPoolClient>();
  const unreachableOr = (error: unknown) => {
    throw isConnectionLost(error) ? databaseUnreachable(error) : error;
  };
  return {
    async connect() {
      const client = await pool.connect().catch(unreachableOr);
      let wrapped = clients.get(client);
      if (!wrapped) {
        client.on('error', () => undefined);
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        wrapped = {
          // a cursor (Kysely's streams) is returned as it is; its reads fail as node-postgres says
          query: ((...args: unknown[]) => {
            const result = query(...args);
            return result instanceof Promise ? result.catch(unreachableOr) : result;
          }) as PostgresPoolClient['query'],
          release: (destroy?: boolean) => client.release(destroy),
        };
        clients.set(client, wrapped);
      }
      return wrapped;
    },
    end: () => pool.end(),
  };
}

/** Node.js majors by the module ABI version their native modules are built for. */
const NODE_BY_ABI: Record<string, string> = {
  '108': '18',
  '115': '20',
  '127': '22',
  '131': '23',
  '137': '24',
  '141': '25',
};

function nativeLoadFailed(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    code === 'ERR_DLOPEN_FAILED' ||
    (typeof message === 'string' &&
      /NODE_MODULE_VERSION|Could not locate the bindings file|better_sqlite3\.node/.test(message))
  );
}

/** better-sqlite3 could not load its compiled part: say for which Node.js it was built, if it was. */
function sqliteNotLoaded(error: unknown) {
  const message = (error as Error).message;
  const [builtFor, required] = [...message.matchAll(/NODE_MODULE_VERSION (\d+)/g)].map((m) => m[1]!);
  const node = (abi: string) => `ABI ${abi}${NODE_BY_ABI[abi] ? `, Node.js ${NODE_BY_ABI[abi]}` : ''}`;
  const why =
    builtFor !== undefined
      ? `it was built for another Node.js (${node(builtFor)}) than the one running (${process.version}, ${node(required ?? process.versions.modules)})`
      : /Could not locate the bindings file/.test(message)
        ? 'its native part was never built (were install scripts blocked when it was installed?)'
        : `its native part does not load (${message.split('\n')[0]})`;
  return brokerError('COV_BROKER_SQLITE_NOT_LOADED', `better-sqlite3 cannot be loaded: ${why}`, {}, error);
}

/**
 * better-sqlite3's options for every handle the broker (and its tests) open. A second build of
 * its native part, for another Node.js, is chosen with COVENANT_SQLITE_NATIVE_BINDING (CI runs
 * the suite on Node 24 this way, without rebuilding the installed module in place).
 *
 * @example new SQLite('broker.sqlite', sqliteOpenOptions())
 */
export function sqliteOpenOptions(): { nativeBinding?: string } {
  const nativeBinding = process.env.COVENANT_SQLITE_NATIVE_BINDING;
  return nativeBinding ? { nativeBinding } : {};
}

/**
 * Opens the broker's database — a SQLite file path (created if missing), `:memory:`, or a
 * `postgres://` URL — and brings its schema up to date.
 *
 * @example const database = await openDatabase('pact_broker.sqlite');
 */
export async function openDatabase(location: string): Promise<BrokerDatabase> {
  // SQLite would take '' as a temporary database (lost at the close) and mysql://… as a file name
  if (location.trim() === '')
    throw brokerError(
      'COV_BROKER_CONFIG_INVALID',
      "database is empty (SQLite would keep the data in a temporary file, lost at the stop): give a file path, ':memory:' or a postgres:// URL",
      { option: 'database', subject: 'database' },
    );
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1];
  if (scheme && !/^postgres(ql)?$/i.test(scheme))
    throw brokerError(
      'COV_BROKER_CONFIG_INVALID',
      `database ${redactUrl(location)}: ${scheme}:// is not a database Covenant can use; give a SQLite file path or a postgres:// URL`,
      { option: 'database', subject: 'database' },
    );
  const postgres = scheme !== undefined;
  let db: Kysely<Database>;
  let description: string;
  let walSync: ReturnType<typeof syncedLog> | undefined;
  if (postgres) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: location, max: 10 });
    // An idle connection can be cut by the server (restart, failover, an administrator): the pool
    // drops it and opens another when needed. Without a listener, node-postgres would crash the process.
    pool.on('error', () => undefined);
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: reconnectingPool(pool) }) });
    description = `PostgreSQL ${redactUrl(location)}`;
  } else {
    const { default: SQLite } = await import('better-sqlite3');
    let handle: InstanceType<typeof SQLite>;
    try {
      handle = new SQLite(location, sqliteOpenOptions());
    } catch (error) {
      // the native module loads at the first open: a failure there is the install's, not the file's
      if (nativeLoadFailed(error)) throw sqliteNotLoaded(error);
      throw brokerError(
        'COV_BROKER_DATABASE_UNAVAILABLE',
        `cannot open the SQLite database ${location}: ${(error as Error).message}`,
        { location },
        error,
      );
    }
    const wal = handle.pragma('journal_mode = WAL', { simple: true }) === 'wal';
    if (wal) {
      // commits skip their fsync; group commit syncs the log off the event loop before answering
      handle.pragma('synchronous = NORMAL');
      // SQLite keeps the log beside the real file, wherever a symbolic link in the path given points
      const databases = handle.pragma('database_list') as Array<{ name: string; file: string }>;
      const main = databases.find((d) => d.name === 'main')?.file ?? handle.name;
      walSync = syncedLog(`${realpathSync(main)}-wal`);
    }
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
      // All pending migrations land together or not at all, so a start killed half-way (kill -9,
      // a power cut) leaves the schema as its migration records say and the next start redoes the
      // whole step. Kysely runs PostgreSQL's in one transaction itself; for SQLite it runs each
      // statement on its own (a table made, its migration unrecorded: every later start failed
      // with "already exists"), though SQLite's DDL is transactional too.
      if (!postgres) await sql`BEGIN IMMEDIATE`.execute(connection);
      try {
        const { error } = await new Migrator({
          db: connection,
          provider: migrations(dialect),
        }).migrateToLatest();
        if (error) throw error;
        if (!postgres) await sql`COMMIT`.execute(connection);
      } catch (error) {
        if (!postgres) await sql`ROLLBACK`.execute(connection);
        throw error;
      } finally {
        if (postgres) await sql`SELECT pg_advisory_unlock(7460911)`.execute(connection);
      }
    });
  } catch (error) {
    await db.destroy();
    throw brokerError(
      // on SQLite the file opened: what failed is a migration step, and PostgreSQL is not involved
      postgres ? 'COV_BROKER_DATABASE_UNAVAILABLE' : 'COV_BROKER_DATABASE_MIGRATION_FAILED',
      `cannot prepare the database (${description}): ${(error as Error).message}`,
      { location: description },
      error,
    );
  }
  if (walSync) {
    // once now, so that a log that cannot be synced (a wrong path, a read-only disk) fails the start
    try {
      await walSync.sync();
    } catch (error) {
      await db.destroy();
      await walSync.close();
      throw error;
    }
  }
  const transact: BrokerDatabase['write'] = postgres
    ? (work) => db.transaction().execute((trx) => work(trx))
    : groupCommit(db, walSync ? { sync: walSync.sync, stopped: walSync.stopped } : {});
  const write: BrokerDatabase['write'] = (work) =>
    transact(work).catch((error: unknown) => {
      throw isLostRace(error) ? writeRaced(error) : error;
    });
  return {
    db,
    dialect,
    description,
    write,
    async close() {
      await db.destroy();
      await walSync?.close();
    },
  };
}
