import type { Row } from './row.js';

type Kind = 'sqlite' | 'postgres';
export function oversizedBody(options: {
  kind: Kind;
  mb: number;
  log?: (line: string) => void;
}): Promise<Row>;
export function slowClients(options: {
  kind: Kind;
  slow: number;
  seconds?: number;
  log?: (line: string) => void;
}): Promise<Row & { p50_ms: number; p99_ms: number }>;
