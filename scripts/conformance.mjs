#!/usr/bin/env node
// `npm run conformance [-- --json] [-- --verbose]`: runs the Pact specification's matching cases
// and the Pact compatibility suite's scenarios.
// With --json the last line is {"spec":{"total":N,"passed":N,"failed":[...]},"compat":{...},"openapi":{...}}.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { featuresRoot, runCompatSuite } from '../test/compat/compat-runner.mjs';
import { KNOWN_FAILURES } from '../test/compat/relaxed.mjs';
import { openapiRoot, runAllOpenApiCases } from '../test/conformance/openapi-runner.mjs';
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

// The compatibility suite: every scenario except the @wip ones, against the public APIs.
let compat = null;
let unexpectedCompatFailures = 0;
if (existsSync(featuresRoot)) {
  const compatStarted = performance.now();
  const suite = await runCompatSuite();
  const perVersion = Object.entries(suite.byVersion)
    .map(([version, counts]) => `${version} ${counts.passed}/${counts.total}`)
    .join(', ');
  console.log(
    `Pact compatibility suite: ${suite.passed}/${suite.total} scenarios passed (${perVersion}; ${suite.skipped.length} @wip not run) in ${(performance.now() - compatStarted).toFixed(0)} ms`,
  );
  for (const r of suite.results.filter((result) => !result.ok)) {
    const known = KNOWN_FAILURES[r.id];
    console.log(`  ${known ? 'known failure' : 'FAILED'}: ${r.id}`);
    const error = String(r.error instanceof Error ? r.error.message : r.error).split('\n')[0];
    console.log(`    at ${r.failedStep}: ${error}`);
    if (known && verbose) console.log(`    why: ${known}`);
    if (!known) unexpectedCompatFailures += 1;
  }
  compat = { total: suite.total, passed: suite.passed, failed: suite.failed, wip: suite.skipped };
} else {
  console.log(`The Pact compatibility suite is not here (${featuresRoot}): its scenarios were not run.`);
}

// PactFlow's comparator cases: pacts against OpenAPI and AsyncAPI documents (@covenant/contracts).
let openapi = null;
if (existsSync(openapiRoot)) {
  const openapiStarted = performance.now();
  const cases = runAllOpenApiCases();
  console.log(
    `OpenAPI/AsyncAPI comparison cases: ${cases.passed}/${cases.total} passed in ${(performance.now() - openapiStarted).toFixed(0)} ms`,
  );
  for (const r of cases.results.filter((result) => !result.ok)) {
    console.log(`  FAILED: ${r.id}${r.error ? ` (error: ${r.error.split('\n')[0]})` : ''}`);
    for (const m of r.missing) console.log(`    missing ${m}`);
    for (const m of r.extra) console.log(`    extra   ${m}`);
  }
  openapi = { total: cases.total, passed: cases.passed, failed: cases.failed };
} else {
  console.log(`The OpenAPI/AsyncAPI comparison cases are not here (${openapiRoot}): they were not run.`);
}

if (json) {
  console.log(
    JSON.stringify({
      spec: { total: summary.total, passed: summary.passed, failed: summary.failed },
      compat,
      openapi,
    }),
  );
}
process.exitCode =
  summary.unexpectedFailures.length === 0 &&
  unexpectedCompatFailures === 0 &&
  (openapi?.failed.length ?? 0) === 0
    ? 0
    : 1;
