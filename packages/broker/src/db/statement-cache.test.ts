import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqliteOpenOptions } from './connect.js';
import { cachingStatements } from './statement-cache.js';

describe('cachingStatements', () => {
  it('prepares each SQL text once and answers with the same statement', () => {
    const handle = new SQLite(':memory:', sqliteOpenOptions());
    const database = cachingStatements(handle);
    const first = database.prepare('SELECT 1 AS one');
    expect(database.prepare('SELECT 1 AS one')).toBe(first);
    expect(first.all([])).toEqual([{ one: 1 }]);
    expect(database.prepare('SELECT 2 AS two')).not.toBe(first);
    database.close();
    expect(handle.open).toBe(false);
  });

  it('keeps a bounded number, dropping the least recently used', () => {
    const database = cachingStatements(new SQLite(':memory:', sqliteOpenOptions()));
    const kept = database.prepare('SELECT 0');
    const evicted = database.prepare('SELECT -1');
    for (let i = 1; i < 256; i++) {
      database.prepare(`SELECT ${i}`);
      if (i % 10 === 0) database.prepare('SELECT 0'); // used now and then: stays
    }
    expect(database.prepare('SELECT 0')).toBe(kept);
    expect(database.prepare('SELECT -1')).not.toBe(evicted);
    database.close();
  });
});
