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
   * the event loop; the writes of a batch settle once it has finished. Without it, the commit itself
   * must be durable (`synchronous = FULL`).
   */
  sync?: () => Promise<void>;
}

/**
 * Group commit for SQLite. SQLite has one writer and each commit waits for the disk (an fsync,
 * ~2 ms, about as long as the rest of a publish). Writes that arrive in the same turn of the event
 * loop, or while a commit is under way, queue up; one transaction runs them one after another,
 * each under its own savepoint (a write that fails is rolled back alone, as if it had its own
 * transaction), and commits them all at once. With `sync`, the disk sync runs on a libuv thread
 * while the event loop goes on. Every write's promise settles only once its commit is on disk, so
 * an answer never reports data that could be lost.
 *
 * @example
 * const write = groupCommit(db);
 * await write((trx) => trx.insertInto('labels').values(label).execute());
 */
export function groupCommit(db: Kysely<Database>, options: GroupCommitOptions = {}) {
  const queue: PendingWrite[] = [];
  let draining = false;

  const runBatch = async (batch: PendingWrite[]): Promise<Outcome[]> => {
    const [only] = batch;
    if (batch.length === 1 && only) {
      // alone: a plain transaction, no savepoint needed
      try {
        return [{ ok: true, value: await db.transaction().execute((trx) => only.work(trx)) }];
      } catch (error) {
        return [{ ok: false, error }];
      }
    }
    return db.transaction().execute(async (trx) => {
      const outcomes: Outcome[] = [];
      for (const pending of batch) {
        await sql`SAVEPOINT covenant_write`.execute(trx);
        try {
          outcomes.push({ ok: true, value: await pending.work(trx) });
        } catch (error) {
          await sql`ROLLBACK TO covenant_write`.execute(trx);
          outcomes.push({ ok: false, error });
        }
        await sql`RELEASE covenant_write`.execute(trx);
      }
      return outcomes;
    });
  };

  const settle = (batch: PendingWrite[], outcomes: Outcome[]) =>
    batch.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });

  const drain = async () => {
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
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
      options.sync().then(
        () => settle(batch, outcomes),
        (error: unknown) =>
          settle(
            batch,
            outcomes.map((o) => (o.ok ? { ok: false, error } : o)),
          ),
      );
    }
    draining = false;
  };

  return <T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (draining) return;
      draining = true;
      // Started after the event loop's pending I/O: better-sqlite3 never yields, so a transaction
      // begun at once would run to its commit before the next request is even read, and no two
      // writes would ever share a commit. Requests that arrived together now join this one.
      setImmediate(() => void drain());
    });
}
