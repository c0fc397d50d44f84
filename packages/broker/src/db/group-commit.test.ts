import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@covenant/test-support';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startBroker } from '../server.js';
import { type BrokerDatabase, openDatabase, sqliteOpenOptions } from './connect.js';
import { groupCommit } from './group-commit.js';

// SQLite writes that arrive together share a commit; each still lands whole or not at all.
describe('group commit on SQLite', () => {
  let file: TestDatabase;
  let database: BrokerDatabase;
  beforeEach(async () => {
    file = await createTestDatabase('sqlite');
    database = await openDatabase(file.location);
  });
  afterEach(async () => {
    await database.close();
    await file.drop();
  });

  const addLabel = (trx: BrokerDatabase['db'], pacticipantId: number, name: string) =>
    trx.insertInto('labels').values({ pacticipant_id: pacticipantId, name, created_at: 'now' }).execute();
  const labels = async () =>
    (await database.db.selectFrom('labels').select('name').orderBy('name').execute()).map((l) => l.name);

  async function pacticipant(): Promise<number> {
    const row = await database.write((trx) =>
      trx
        .insertInto('pacticipants')
        .values({ name: 'Web', created_at: 'now', updated_at: 'now' } as never)
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    return row.id;
  }

  it('runs concurrent writes in shared transactions, rolling back only the one that fails', async () => {
    const id = await pacticipant();
    const transactions = new Set<unknown>();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        database.write(async (trx) => {
          transactions.add(trx);
          await addLabel(trx, id, `label-${i}`);
          if (i === 3) {
            await addLabel(trx, id, 'written-before-failing');
            throw new Error('write 3 fails after writing');
          }
          return i;
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(outcomes[3]).toMatchObject({ reason: { message: 'write 3 fails after writing' } });
    expect(outcomes[5]).toMatchObject({ value: 5 });
    expect(await labels()).toEqual(['label-0', 'label-1', 'label-2', 'label-4', 'label-5']);
    // issued together, they shared one transaction
    expect(transactions.size).toBe(1);
  });

  it('settles a write only once it is committed: another connection sees it', async () => {
    const id = await pacticipant();
    const other = new SQLite(file.location, { readonly: true, ...sqliteOpenOptions() });
    try {
      const writes = ['a', 'b', 'c'].map((name) => database.write((trx) => addLabel(trx, id, name)));
      const seen: number[] = [];
      for (const write of writes) {
        await write;
        seen.push((other.prepare('SELECT COUNT(*) AS n FROM labels').get() as { n: number }).n);
      }
      expect(seen.every((n, i) => n >= i + 1)).toBe(true);
      expect(seen.at(-1)).toBe(3);
    } finally {
      other.close();
    }
  });

  it('rejects every write of a batch whose commit fails, and keeps serving later ones', async () => {
    const id = await pacticipant();
    await database.write((trx) => addLabel(trx, id, 'alone'));
    const batch = [
      database.write((trx) => addLabel(trx, id, 'fine')),
      database.write(async (trx) => {
        // a deferred foreign key fails at COMMIT, taking the shared transaction with it
        await sql`PRAGMA defer_foreign_keys = ON`.execute(trx);
        await addLabel(trx, 9999, 'dangling');
      }),
    ];
    const settled = await Promise.allSettled(batch);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(await labels()).toEqual(['alone']);
    await database.write((trx) => addLabel(trx, id, 'later'));
    expect(await labels()).toEqual(['alone', 'later']);
  });

  it('with a log sync, settles writes only once it has finished, and rejects them if it fails', async () => {
    const id = await pacticipant();
    const syncs: Array<{ finish: (error?: Error) => void }> = [];
    const write = groupCommit(database.db, {
      sync: () =>
        new Promise<void>((resolve, reject) =>
          syncs.push({ finish: (error) => (error ? reject(error) : resolve()) }),
        ),
    });
    let settled = false;
    const first = write((trx) => addLabel(trx, id, 'synced')).then(() => {
      settled = true;
    });
    while (syncs.length === 0) await new Promise((r) => setImmediate(r));
    // committed, but not yet on disk: no answer yet
    expect(await labels()).toEqual(['synced']);
    expect(settled).toBe(false);
    syncs[0]!.finish();
    await first;
    expect(settled).toBe(true);

    const second = write((trx) => addLabel(trx, id, 'unsynced'));
    while (syncs.length === 1) await new Promise((r) => setImmediate(r));
    syncs[1]!.finish(new Error('disk full'));
    await expect(second).rejects.toThrow('disk full');
  });

  it('after a failed sync, runs no more writes and syncs no more: each fails with the stopped error', async () => {
    const id = await pacticipant();
    let syncs = 0;
    const write = groupCommit(database.db, {
      sync: async () => {
        syncs += 1;
        throw new Error('EIO');
      },
      stopped: (error) => new Error(`stopped after ${(error as Error).message}: restart`),
    });
    await expect(write((trx) => addLabel(trx, id, 'committed'))).rejects.toThrow('EIO');
    expect(await labels()).toEqual(['committed']); // stored, though not known to be on disk
    const work = vi.fn((trx: BrokerDatabase['db']) => addLabel(trx, id, 'refused'));
    const later = await Promise.allSettled([write(work), write(work)]);
    expect(later).toEqual([
      { status: 'rejected', reason: new Error('stopped after EIO: restart') },
      { status: 'rejected', reason: new Error('stopped after EIO: restart') },
    ]);
    expect(work).not.toHaveBeenCalled();
    expect(syncs).toBe(1);
    expect(await labels()).toEqual(['committed']);
  });

  it('fails a batch that was running when a sync failed, without syncing again', async () => {
    const id = await pacticipant();
    const syncs: Array<(error: Error) => void> = [];
    const write = groupCommit(database.db, {
      sync: () => new Promise<void>((_, reject) => syncs.push(reject)),
    });
    const first = write((trx) => addLabel(trx, id, 'first'));
    while (syncs.length === 0) await new Promise((r) => setImmediate(r));
    let carryOn!: () => void;
    let duringError: unknown;
    const started = new Promise<void>((entered) => {
      void write(async (trx) => {
        entered();
        await new Promise<void>((r) => {
          carryOn = r;
        });
        await addLabel(trx, id, 'during');
      }).then(
        () => undefined,
        (error: unknown) => {
          duringError = error;
        },
      );
    });
    await started;
    syncs[0]!(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    carryOn();
    while (duringError === undefined) await new Promise((r) => setImmediate(r));
    expect(duringError).toEqual(new Error('disk full'));
    expect(syncs).toHaveLength(1);
  });

  it('keeps one sync in flight: batches committed meanwhile share the next one', async () => {
    const id = await pacticipant();
    const syncs: Array<() => void> = [];
    const write = groupCommit(database.db, {
      sync: () => new Promise<void>((resolve) => syncs.push(resolve)),
    });
    const settled: string[] = [];
    const add = (name: string) => write((trx) => addLabel(trx, id, name)).then(() => settled.push(name));
    const first = add('a');
    while (syncs.length === 0) await new Promise((r) => setImmediate(r));
    // two more batches, each committed while the first sync runs
    const second = add('b');
    while ((await labels()).length < 2) await new Promise((r) => setImmediate(r));
    const third = add('c');
    while ((await labels()).length < 3) await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(syncs).toHaveLength(1);
    expect(settled).toEqual([]);
    syncs[0]!();
    await first;
    while (syncs.length === 1) await new Promise((r) => setImmediate(r));
    expect(settled).toEqual(['a']); // b and c wait for a sync that started after their commit
    expect(syncs).toHaveLength(2);
    syncs[1]!();
    await Promise.all([second, third]);
    expect(settled).toEqual(['a', 'b', 'c']);
    expect(syncs).toHaveLength(2);
  });

  it("holds the write lock from a batch's start: another process cannot commit between its read and its write", async () => {
    const id = await pacticipant();
    const other = new SQLite(file.location, { timeout: 0, ...sqliteOpenOptions() });
    try {
      let otherError: unknown;
      await database.write(async (trx) => {
        await trx.selectFrom('labels').select('name').execute(); // the transaction's snapshot starts
        try {
          other
            .prepare(`INSERT INTO labels (pacticipant_id, name, created_at) VALUES (?, 'other', 'now')`)
            .run(id);
        } catch (error) {
          otherError = error;
        }
        // with a deferred BEGIN, the other commit would make this SQLITE_BUSY_SNAPSHOT
        await addLabel(trx, id, 'ours');
      });
      expect(otherError).toMatchObject({ code: 'SQLITE_BUSY' });
      expect(await labels()).toEqual(['ours']);
    } finally {
      other.close();
    }
  });

  it('fails a batch with the real error when SQLite has rolled back the whole transaction itself', async () => {
    const id = await pacticipant();
    const write = groupCommit(database.db);
    const outcomes = await Promise.allSettled([
      write((trx) => addLabel(trx, id, 'first')),
      write(async (trx) => {
        // as SQLite does on SQLITE_FULL or an I/O error: the transaction and its savepoints are gone
        await sql`ROLLBACK`.execute(trx);
        throw new Error('database or disk is full');
      }),
      write((trx) => addLabel(trx, id, 'third')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const outcome of outcomes)
      expect(outcome).toMatchObject({ reason: { message: 'database or disk is full' } });
    expect(await labels()).toEqual([]);
    await write((trx) => addLabel(trx, id, 'later'));
    expect(await labels()).toEqual(['later']);
  });

  it('on a file database, answers a write after syncing the write-ahead log, not in the commit', async () => {
    const id = await pacticipant();
    const probe = await open(file.location, 'r');
    const fileHandle = Object.getPrototypeOf(probe) as { datasync(): Promise<void> };
    await probe.close();
    const datasync = vi.spyOn(fileHandle, 'datasync'); // counts, and calls through
    try {
      await Promise.all(['x', 'y'].map((name) => database.write((trx) => addLabel(trx, id, name))));
      expect(datasync).toHaveBeenCalled();
    } finally {
      datasync.mockRestore();
    }
    expect(await labels()).toEqual(['x', 'y']);
    const { rows } = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(database.db);
    expect(rows[0]?.synchronous).toBe(1); // NORMAL: the commit leaves the fsync to the log sync
  });
});

// The log sync that openDatabase wires into group commit, on a real file.
describe('the SQLite log sync', () => {
  let file: TestDatabase;
  afterEach(async () => file.drop());

  const addLabel = (database: BrokerDatabase, name: string) =>
    database.write(async (trx) => {
      const { id } = await trx
        .insertInto('pacticipants')
        .values({ name, created_at: 'now', updated_at: 'now' } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('labels').values({ pacticipant_id: id, name, created_at: 'now' }).execute();
    });

  it('syncs the log beside the real file when the database path is a symbolic link', async () => {
    file = await createTestDatabase('sqlite');
    const real = join(dirname(file.location), 'real');
    mkdirSync(real);
    const link = join(dirname(file.location), 'link.sqlite');
    symlinkSync(join(real, 'broker.sqlite'), link);
    const database = await openDatabase(link);
    try {
      await addLabel(database, 'through-the-link');
      const names = await database.db.selectFrom('labels').select('name').execute();
      expect(names).toEqual([{ name: 'through-the-link' }]);
      expect(existsSync(join(real, 'broker.sqlite-wal'))).toBe(true);
    } finally {
      await database.close();
    }
  });

  it('after a failed sync, answers that the write may be stored and refuses later writes until a restart', async () => {
    file = await createTestDatabase('sqlite');
    const database = await openDatabase(file.location);
    const probe = await open(file.location, 'r');
    const fileHandle = Object.getPrototypeOf(probe) as { datasync(): Promise<void> };
    await probe.close();
    const datasync = vi
      .spyOn(fileHandle, 'datasync')
      .mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    try {
      const failed = await addLabel(database, 'maybe-stored').catch((e: unknown) => e);
      expect(failed).toMatchObject({
        code: 'COV_BROKER_DATABASE_SYNC_FAILED',
        message: expect.stringMatching(
          /EIO: i\/o error, fsync.*may have been stored, but is not known to be on disk/,
        ),
      });
      expect((failed as Error).message).not.toContain('PostgreSQL');
      const later = await addLabel(database, 'refused').catch((e: unknown) => e);
      expect(later).toMatchObject({
        code: 'COV_BROKER_DATABASE_SYNC_FAILED',
        message: expect.stringMatching(/accepts no more writes .*\(EIO: i\/o error, fsync\): restart it/),
      });
      expect(datasync).toHaveBeenCalledTimes(1);
      const names = await database.db.selectFrom('labels').select('name').execute();
      expect(names).toEqual([{ name: 'maybe-stored' }]);
    } finally {
      datasync.mockRestore();
      await database.close();
    }
  });
});

describe('a broker whose log sync fails', () => {
  it('answers the publish that it may have been stored, with the code and what to do', async () => {
    const file = await createTestDatabase('sqlite');
    const broker = await startBroker({ port: 0, database: file.location });
    const probe = await open(file.location, 'r');
    const fileHandle = Object.getPrototypeOf(probe) as { datasync(): Promise<void> };
    await probe.close();
    const datasync = vi
      .spyOn(fileHandle, 'datasync')
      .mockRejectedValueOnce(new Error('EIO: i/o error, fsync'));
    try {
      const response = await fetch(`${broker.url}/pacts/provider/API/consumer/Web/version/1`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Accept: 'application/problem+json' },
        body: JSON.stringify({
          consumer: { name: 'Web' },
          provider: { name: 'API' },
          interactions: [],
          metadata: { pactSpecification: { version: '2.0.0' } },
        }),
      });
      expect(response.status).toBe(500);
      const problem = (await response.json()) as { detail: string };
      expect(problem.detail).toMatch(
        /^COV_BROKER_DATABASE_SYNC_FAILED: .*may have been stored.*restart the broker/,
      );
    } finally {
      datasync.mockRestore();
      await broker.close();
      await file.drop();
    }
  });
});
