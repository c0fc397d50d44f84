import type { Row } from './row.js';
export function postgresRestart(options: {
  restarts?: number;
  downSeconds?: number;
  log?: (line: string) => void;
}): Promise<Row & { recovery_ms?: number }>;
