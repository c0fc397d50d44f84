import type { Row } from './row.js';
export function pactWriterKill(options: {
  workers?: number;
  kills: number;
  bodyBytes?: number;
  seed?: number;
  log?: (line: string) => void;
}): Promise<Row & { seed: number; killed_writing: number }>;
