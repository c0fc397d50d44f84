// Comparing a 1,000-interaction pact with a 300-operation OpenAPI document (bench/contracts/
// generate.mjs), by Covenant (@covenant/contracts) and by @pactflow/openapi-pact-comparator 2.3.1,
// the engine of PactFlow's bi-directional contract testing. Each run is a fresh process (so each
// compiles its schemas from cold), and both must give the same results.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeInputs } from '../contracts/generate.mjs';
import { expect, median, row } from '../lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = join(here, '..');
const PEER_VERSION = '2.3.1';
const PEER = `@pactflow/openapi-pact-comparator ${PEER_VERSION}`;
const RUNS = 3;

function ensureComparator(log) {
  const pkg = join(benchDir, 'node_modules', '@pactflow', 'openapi-pact-comparator', 'package.json');
  if (!existsSync(pkg)) {
    log('installing the benchmark peers in bench/ (first run only)...');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], {
      cwd: benchDir,
      stdio: 'inherit',
      env: { ...process.env, PACT_DO_NOT_TRACK: 'true' },
    });
  }
  const version = JSON.parse(readFileSync(pkg, 'utf8')).version;
  expect(version === PEER_VERSION, `the peer is the comparator ${version}, expected ${PEER_VERSION}`);
}

/**
 * The Node.js both sides run on: the one running the benchmark (the comparator declares Node 22
 * but runs on 20), or the one BENCH_NODE names (e.g. the npm `node@24` package's binary), so
 * that both are always compared on the same runtime.
 */
function benchNode() {
  return process.env.BENCH_NODE || process.execPath;
}

function runOnce(node, script, openapiFile, pactFile) {
  const result = spawnSync(node, [join(benchDir, 'contracts', script), openapiFile, pactFile], {
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr.slice(0, 2000)}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

const sorted = (results) => results.map((r) => JSON.stringify(r)).sort();

export async function run({ log }) {
  ensureComparator(log);
  const dir = join(tmpdir(), `covenant-bench-contracts-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const openapiFile = join(dir, 'openapi.json');
  const pactFile = join(dir, 'pact.json');
  writeInputs(openapiFile, pactFile);
  const node = benchNode();
  log(`both run on ${node === process.execPath ? `this Node ${process.version}` : node}`);

  const ours = [];
  const peer = [];
  for (let i = 0; i < RUNS; i++) {
    log(`run ${i + 1}/${RUNS}...`);
    ours.push(runOnce(node, 'ours.mjs', openapiFile, pactFile));
    peer.push(runOnce(node, 'peer.mjs', openapiFile, pactFile));
  }
  const a = sorted(ours[0].results);
  const b = sorted(peer[0].results);
  expect(a.length > 50, `only ${a.length} results: the generated pact should break about one in ten`);
  expect(
    JSON.stringify(a) === JSON.stringify(b),
    `Covenant and the comparator disagree: ${a.filter((x) => !b.includes(x)).slice(0, 3)} | ${b.filter((x) => !a.includes(x)).slice(0, 3)}`,
  );
  return [
    row(
      '1,000 interactions against 300 operations, cold (compile + compare)',
      median(ours.map((r) => r.ms)),
      {
        peer: PEER,
        peerMs: median(peer.map((r) => r.ms)),
        oursRssMb: median(ours.map((r) => r.rssMb)),
        peerRssMb: median(peer.map((r) => r.rssMb)),
        note: `${a.length} results, the same on both`,
      },
    ),
  ];
}
