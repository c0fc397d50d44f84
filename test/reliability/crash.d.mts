import type { Row } from './row.js';
export function crashConsistency(options: {
  kind: 'sqlite' | 'postgres';
  kills: number;
  seed?: number;
  log?: (line: string) => void;
}): Promise<Row & { seed: number }>;
