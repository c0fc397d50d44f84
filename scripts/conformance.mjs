#!/usr/bin/env node
// `npm run conformance [-- --json] [-- --verbose]`: runs the Pact specification's matching cases.
// With --json the last line is {"spec":{"total":N,"passed":N,"failed":[...]}}.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadDisputed, runAllSpecCases, specRoot } from '../test/conformance/spec-runner.mjs';

const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const verbose = args.has('--verbose');

if (!existsSync(specRoot)) {
  console.log(`The Pact specification cases are not here (${specRoot}): nothing to run.`);
  console.log('They live in ../shared/conformance beside the repository; clone them there to run this.');
  if (json) console.log(JSON.stringify({ spec: null, skipped: 'conformance folder absent' }));
  process.exit(0);
}

const started = performance.now();
const summary = runAllSpecCases();
const ms = performance.now() - started;
const disputed = loadDisputed();

console.log(`Pact specification cases: ${summary.passed}/${summary.total} passed in ${ms.toFixed(0)} ms`);
for (const r of summary.results) {
  const failedCase = r.error !== undefined || r.expectedMatch !== r.actualMatch;
  if (!failedCase) continue;
  const tag = r.id in disputed ? `disputed (${disputed[r.id]})` : 'FAILED';
  console.log(`  ${tag}: ${r.id}`);
  if (r.error) console.log(`    error: ${r.error.split('\n')[0]}`);
  else if (verbose || !(r.id in disputed)) {
    console.log(`    expected match=${r.expectedMatch}, got match=${r.actualMatch}`);
    for (const m of r.mismatches.slice(0, 3)) console.log(`    - [${m.code}] ${m.path} ${m.message}`);
  }
}
if (json) {
  console.log(
    JSON.stringify({ spec: { total: summary.total, passed: summary.passed, failed: summary.failed } }),
  );
}
process.exitCode = summary.unexpectedFailures.length === 0 ? 0 : 1;
