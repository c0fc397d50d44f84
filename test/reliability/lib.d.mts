export function kinds(): Array<'sqlite' | 'postgres'>;
export function openSqlite(
  location: string,
  options?: import('better-sqlite3').Options,
): import('better-sqlite3').Database;
