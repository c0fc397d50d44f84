import type { Row } from './row.js';
export function soak(options: {
  kind: 'sqlite' | 'postgres';
  clients: number;
  seconds: number;
  maxGrowthPercent?: number;
  maxHeapGrowthPercent?: number;
  log?: (line: string) => void;
}): Promise<Row & { p50_ms: number; p99_ms: number; rss_mb: number[]; heap_after_gc_mb: number[] }>;
