import { open } from 'node:fs/promises';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/databases.js';
import { type BrokerDatabase, openDatabase } from './connect.js';
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
    const other = new SQLite(file.location, { readonly: true });
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
