import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** How many distinct statements stay prepared; queries with `IN (?, ?…)` lists vary, so it is bounded. */
const CAPACITY = 256;

/**
 * A SQLite handle for Kysely that keeps statements prepared. Kysely prepares every query afresh,
 * which costs as much as running a short indexed query; the broker repeats the same few dozen.
 *
 * @example new SqliteDialect({ database: cachingStatements(new SQLite('pact_broker.sqlite')) })
 */
export function cachingStatements(handle: SqliteDatabase): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement) {
        // most recently used last, so the oldest is the first to go
        statements.delete(sql);
      } else {
        statement = handle.prepare(sql);
        if (statements.size >= CAPACITY) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
    close() {
      statements.clear();
      handle.close();
    },
  };
}
