// The same consumer suite (N interactions, one test each, one pact file) with Covenant and with
// pact-js 17.1.4 in its fastest style (PactV3), each run in a fresh process; interleaved, medians.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, median, row } from '../lib.mjs';
import { ensurePeer, PEER } from '../peer.mjs';

const here = dirname(fileURLToPath(import.meta.url));

function runSuite(script, n, outDir) {
  const result = spawnSync(process.execPath, [join(here, '..', 'consumer', script), String(n), outDir], {
    encoding: 'utf8',
    env: { ...process.env, PACT_DO_NOT_TRACK: 'true', LOG_LEVEL: 'error' },
    timeout: 600_000,
  });
  if (result.status !== 0) throw new Error(`${script} ${n} failed: ${result.stderr || result.stdout}`);
  const last = result.stdout.trim().split('\n').pop();
  const out = JSON.parse(last);
  expect(out.interactions === n, `${script} wrote ${out.interactions} interactions, expected ${n}`);
  return out;
}

export async function run({ log }) {
  ensurePeer(log);
  const rows = [];
  const tmp = join(tmpdir(), `covenant-bench-consumer-${process.pid}`);
  for (const n of [1, 100, 1000]) {
    const ours = [];
    const peer = [];
    // pact-js needs about a minute for 1000: one run of it there, three interleaved runs elsewhere
    const peerRuns = n >= 1000 ? 1 : 3;
    const oursRuns = n >= 1000 ? 3 : 5;
    for (let i = 0; i < Math.max(oursRuns, peerRuns); i++) {
      if (i < oursRuns) ours.push(runSuite('ours.mjs', n, join(tmp, 'ours')));
      if (i < peerRuns) {
        log(`pact-js, ${n} interaction(s), run ${i + 1}/${peerRuns}...`);
        peer.push(runSuite('pactjs.mjs', n, join(tmp, 'peer')));
      }
    }
    const oursMs = median(ours.map((r) => r.ms));
    const peerMs = median(peer.map((r) => r.ms));
    rows.push(
      row(`${n} interaction(s), one test each, one pact file`, oursMs, {
        peer: PEER,
        peerMs,
        oursRssMb: Math.max(...ours.map((r) => r.rssMb)),
        peerRssMb: Math.max(...peer.map((r) => r.rssMb)),
        note: `${(oursMs / n).toFixed(2)} ms per interaction${peerRuns === 1 ? '; one peer run' : ''}`,
      }),
    );
  }
  return rows;
}
