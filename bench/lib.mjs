// Shared helpers for benchmark areas: medians of interleaved runs and row building.
import { performance } from 'node:perf_hooks';

/** Median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Times `fn` `runs` times after `warmup` untimed runs; returns the median in ms. */
export async function timeMedian(fn, { runs = 7, warmup = 2 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb() {
  return process.resourceUsage().maxRSS / 1024;
}

/** One result row in the shape `npm run bench -- <area> --json` prints. */
export function row(
  name,
  oursMs,
  { peer = null, peerMs = null, oursRssMb = peakRssMb(), peerRssMb = null, note } = {},
) {
  const r = {
    case: note ? `${name} (${note})` : name,
    ours_ms: round(oursMs),
    peer,
    peer_ms: peerMs === null ? null : round(peerMs),
    ratio: peerMs === null ? null : round(peerMs / oursMs),
    ours_rss_mb: round(oursRssMb, 1),
    peer_rss_mb: peerRssMb === null ? null : round(peerRssMb, 1),
  };
  return r;
}

function round(v, digits = 3) {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Throws when a benchmark's own output is wrong, so a broken run can't report a fast time. */
export function expect(condition, message) {
  if (!condition) throw new Error(`benchmark output check failed: ${message}`);
}
