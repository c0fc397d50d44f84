import type { Row } from './row.js';
export function authTable(options: {
  kind: 'sqlite' | 'postgres';
  log?: (line: string) => void;
}): Promise<Row>;
