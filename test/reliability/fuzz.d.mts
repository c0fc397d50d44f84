import type { Row } from './row.js';
export function fuzz(options: {
  kind: 'sqlite' | 'postgres';
  count: number;
  seed?: number;
  slowMs?: number;
  log?: (line: string) => void;
}): Promise<Row & { seed: number; failures: string[] }>;
