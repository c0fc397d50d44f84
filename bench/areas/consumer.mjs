// The same consumer suite (N interactions, one test each, one pact file) with Covenant and with
// pact-js 17.1.4 in its fastest style (PactV3), each run in a fresh process; interleaved, medians.
// Two "floor" rows follow: the same 1000 GETs with the same client against plain node:http servers,
// which is what this machine costs before any mock server logic or pact writing.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, median, row } from '../lib.mjs';
import { ensurePeer, PEER } from '../peer.mjs';

const here = dirname(fileURLToPath(import.meta.url));

function runSuite(script, n, outDir, ...extra) {
  const result = spawnSync(
    process.execPath,
    [join(here, '..', 'consumer', script), String(n), outDir, ...extra],
    {
      encoding: 'utf8',
      env: { ...process.env, PACT_DO_NOT_TRACK: 'true', LOG_LEVEL: 'error' },
      timeout: 600_000,
    },
  );
  if (result.status !== 0) throw new Error(`${script} ${n} failed: ${result.stderr || result.stdout}`);
  const last = result.stdout.trim().split('\n').pop();
  const out = JSON.parse(last);
  expect(out.interactions === n, `${script} wrote ${out.interactions} interactions, expected ${n}`);
  return out;
}

/** N bare GETs with the suite's client and no Covenant: the floor the suite can't go under here. */
function runFloor(n, mode) {
  const result = spawnSync(process.execPath, [join(here, '..', 'consumer', 'floor.mjs'), String(n), mode], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (result.status !== 0)
    throw new Error(`floor.mjs ${n} ${mode} failed: ${result.stderr || result.stdout}`);
  const out = JSON.parse(result.stdout.trim().split('\n').pop());
  expect(out.requests === n, `floor.mjs made ${out.requests} requests, expected ${n}`);
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
  // Not compared (pact-js starts each test's mock server on a new port, so its client can't keep a
  // connection): what the pool gives a client that keeps its connections, as fetch does.
  const keepAlive = [1, 2, 3].map(() => runSuite('ours.mjs', 1000, join(tmp, 'ours'), 'keep-alive'));
  const keepAliveMs = median(keepAlive.map((r) => r.ms));
  rows.push(
    row('1000 interaction(s), Covenant only, client keeps its connections', keepAliveMs, {
      oursRssMb: Math.max(...keepAlive.map((r) => r.rssMb)),
      note: `${(keepAliveMs / 1000).toFixed(2)} ms per interaction`,
    }),
  );
  // What the machine itself costs for the same requests, so the rows above can be read against it:
  // the suite's client opens a new connection per request (no keep-alive), as in pact-js's run.
  for (const [mode, what] of [
    ['one-server', 'one server for all'],
    ['per-test-server', 'a server started and stopped per request'],
  ]) {
    const runs = [1, 2, 3].map(() => runFloor(1000, mode));
    const ms = median(runs.map((r) => r.ms));
    rows.push(
      row(`floor: 1000 bare node:http GETs, no Covenant, ${what}`, ms, {
        oursRssMb: Math.max(...runs.map((r) => r.rssMb)),
        note: `${(ms / 1000).toFixed(2)} ms per request`,
      }),
    );
  }
  return rows;
}
