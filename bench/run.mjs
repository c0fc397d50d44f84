#!/usr/bin/env node
// `npm run bench -- <area> [--json]`: runs one benchmark area and prints a table for people;
// with --json the last line is {"area": "...", "rows": [...]} (see bench/README.md).
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const json = args.includes('--json');
const area = args.find((a) => !a.startsWith('--'));
const areas = readdirSync(join(here, 'areas'))
  .filter((f) => f.endsWith('.mjs'))
  .map((f) => f.replace(/\.mjs$/, ''));

if (!area || !areas.includes(area)) {
  console.error(`Usage: npm run bench -- <area> [--json]\nAreas: ${areas.join(', ')}`);
  process.exit(area ? 2 : 0);
}

const { run } = await import(pathToFileURL(join(here, 'areas', `${area}.mjs`)).href);
const rows = await run({ log: (line) => console.log(line) });

// an area of verdicts (reliability) prints its own columns: case, ok, figure
if (rows.every((r) => 'ok' in r && 'figure' in r)) {
  const width = Math.max(4, ...rows.map((r) => r.case.length));
  console.log(`\n${area}\n${'case'.padEnd(width)}  ok      figure\n${'-'.repeat(width)}  ------  ------`);
  for (const r of rows) console.log(`${r.case.padEnd(width)}  ${r.ok ? 'ok    ' : 'FAILED'}  ${r.figure}`);
  if (json) console.log(JSON.stringify({ area, rows }));
  process.exit(rows.every((r) => r.ok) ? 0 : 1);
}

const fmt = (v, digits = 2) =>
  v === null || v === undefined ? '-' : typeof v === 'number' ? v.toFixed(digits) : String(v);
const header = ['case', 'ours ms', 'peer', 'peer ms', 'ratio', 'ours RSS MB', 'peer RSS MB'];
const table = rows.map((r) => [
  r.case,
  fmt(r.ours_ms),
  r.peer ?? '-',
  fmt(r.peer_ms),
  r.ratio === null ? '-' : `${fmt(r.ratio)}x`,
  fmt(r.ours_rss_mb, 0),
  fmt(r.peer_rss_mb, 0),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(`\n${area}`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));
if (json) console.log(JSON.stringify({ area, rows }));
