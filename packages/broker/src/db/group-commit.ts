import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/** At most this many writes share a commit, so one batch never holds the database for long. */
const MAX_BATCH = 32;

interface PendingWrite {
  work: (trx: Kysely<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface GroupCommitOptions {
  /**
   * Makes what was just committed durable (syncs SQLite's write-ahead log to disk) without blocking
   * the event loop; the writes of a batch settle once a sync that started after their commit has
   * finished. Without it, the commit itself must be durable (`synchronous = FULL`).
   */
  sync?: () => Promise<void>;
  /**
   * The error every write fails with once a sync has failed (given that sync's error). After a
   * failed fsync the kernel may have dropped the unwritten pages, and a later sync can succeed
   * without them, so no write is run again: the broker must be restarted. Defaults to the sync's error.
   */
  stopped?: (syncError: unknown) => unknown;
}

/** A batch that is committed and waits for a sync to settle its writes. */
interface Committed {
  batch: PendingWrite[];
  outcomes: Outcome[];
}

/**
 * Group commit for SQLite. SQLite has one writer and each commit waits for the disk (an fsync,
 * ~2 ms, about as long as the rest of a publish). Writes that arrive in the same turn of the event
 * loop, or while a commit is under way, queue up; one transaction runs them one after another,
 * each under its own savepoint (a write that fails is rolled back alone, as if it had its own
 * transaction), and commits them all at once. With `sync`, the disk sync runs on a libuv thread
 * while the event loop goes on; one sync at a time, and the batches committed while it runs share
 * the next. Every write's promise settles only once its commit is on disk, so an answer never
 * reports data that could be lost. After a failed sync, every later write fails (`stopped`).
 *
 * @example
 * const write = groupCommit(db);
 * await write((trx) => trx.insertInto('labels').values(label).execute());
 */
export function groupCommit(db: Kysely<Database>, options: GroupCommitOptions = {}) {
  const queue: PendingWrite[] = [];
  let draining = false;
  /** Committed batches for the next sync to cover. */
  let awaitingSync: Committed[] = [];
  let syncing = false;
  /** Set by the first failed sync: what every later write fails with. */
  let stopped: { error: unknown } | undefined;

  const runBatch = (batch: PendingWrite[]): Promise<Outcome[]> =>
    db.connection().execute(async (connection) => {
      // IMMEDIATE takes the write lock at once: another process writing the same file makes this
      // wait (busy_timeout) here, instead of failing a write half-way with SQLITE_BUSY
      await sql`BEGIN IMMEDIATE`.execute(connection);
      try {
        const outcomes: Outcome[] = [];
        const [only] = batch;
        if (batch.length === 1 && only) {
          // alone: the transaction is its own, no savepoint needed
          try {
            outcomes.push({ ok: true, value: await only.work(connection) });
          } catch (error) {
            // (SQLite may have ended the transaction itself already)
            await sql`ROLLBACK`.execute(connection).catch(() => undefined);
            return [{ ok: false, error }];
          }
        } else {
          for (const pending of batch) {
            await sql`SAVEPOINT covenant_write`.execute(connection);
            try {
              outcomes.push({ ok: true, value: await pending.work(connection) });
            } catch (error) {
              try {
                await sql`ROLLBACK TO covenant_write`.execute(connection);
              } catch {
                // SQLite has rolled back the whole transaction itself (SQLITE_FULL, IOERR,
                // BUSY_SNAPSHOT, ...) and the savepoint is gone: the batch fails with the real cause
                throw error;
              }
              outcomes.push({ ok: false, error });
            }
            await sql`RELEASE covenant_write`.execute(connection);
          }
        }
        await sql`COMMIT`.execute(connection);
        return outcomes;
      } catch (error) {
        // still open unless SQLite ended it: roll back, keeping the error that got us here
        await sql`ROLLBACK`.execute(connection).catch(() => undefined);
        throw error;
      }
    });

  const settle = (batch: PendingWrite[], outcomes: Outcome[]) =>
    batch.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });

  const stoppedError = () => (stopped ? (options.stopped?.(stopped.error) ?? stopped.error) : undefined);

  /** Starts a sync for the batches committed so far, unless one is running (it starts the next). */
  const startSync = (sync: () => Promise<void>) => {
    if (syncing || awaitingSync.length === 0) return;
    if (stopped) {
      // committed after a sync failed (they were running meanwhile): not known to be on disk either
      const { error } = stopped;
      for (const c of awaitingSync)
        settle(
          c.batch,
          c.outcomes.map((o) => (o.ok ? { ok: false, error } : o)),
        );
      awaitingSync = [];
      return;
    }
    syncing = true;
    const covered = awaitingSync;
    awaitingSync = [];
    sync().then(
      () => {
        syncing = false;
        for (const c of covered) settle(c.batch, c.outcomes);
        startSync(sync);
      },
      (error: unknown) => {
        syncing = false;
        stopped ??= { error };
        // committed, but not known to be on disk: these writes fail with the sync's error, and so
        // do those committed meanwhile (no sync of this file is trusted any more)
        for (const c of [...covered, ...awaitingSync])
          settle(
            c.batch,
            c.outcomes.map((o) => (o.ok ? { ok: false, error } : o)),
          );
        awaitingSync = [];
      },
    );
  };

  const drain = async () => {
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      if (stopped) {
        settle(
          batch,
          batch.map(() => ({ ok: false, error: stoppedError() })),
        );
        continue;
      }
      let outcomes: Outcome[];
      try {
        outcomes = await runBatch(batch);
      } catch (error) {
        // the shared commit failed: none of these writes landed
        outcomes = batch.map(() => ({ ok: false, error }));
      }
      if (!options.sync || !outcomes.some((o) => o.ok)) {
        settle(batch, outcomes);
        continue;
      }
      // the disk sync runs off the event loop: the next batch need not wait for it, these writes do
      awaitingSync.push({ batch, outcomes });
      startSync(options.sync);
    }
    draining = false;
  };

  return <T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (stopped) return reject(stoppedError());
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (draining) return;
      draining = true;
      // Started after the event loop's pending I/O: better-sqlite3 never yields, so a transaction
      // begun at once would run to its commit before the next request is even read, and no two
      // writes would ever share a commit. Requests that arrived together now join this one.
      setImmediate(() => void drain());
    });
}
