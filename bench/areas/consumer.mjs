// The same consumer suite (N interactions, one test each, one pact file) with Covenant and with
// pact-js 17.1.4 in its fastest style (PactV3), each run in a fresh process; interleaved, medians.
// Both use the same client, node:http with Node's default agent (it keeps connections, as fetch,
// axios and got do). Beside each compared row: the budget the goal leaves (10x at 100,
// 100x at 1000) and the floor, the same requests with the same client against a plain node:http
// server and no Covenant at all, which is what this machine costs before any mock server logic or
// pact writing. Then Covenant with a client that opens a new connection per request, and floors.
// In-process rows (issue 21): the same suite with transport: 'intercept', no socket at all, with
// the global fetch as the client and with the same node:http client, against the same pact-js rows.
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
function runFloor(n, ...args) {
  const result = spawnSync(
    process.execPath,
    [join(here, '..', 'consumer', 'floor.mjs'), String(n), ...args],
    {
      encoding: 'utf8',
      timeout: 600_000,
    },
  );
  if (result.status !== 0)
    throw new Error(`floor.mjs ${n} ${args} failed: ${result.stderr || result.stdout}`);
  const out = JSON.parse(result.stdout.trim().split('\n').pop());
  expect(out.requests === n, `floor.mjs made ${out.requests} requests, expected ${n}`);
  return out;
}

function floorRow(n, what, ...args) {
  const runs = [1, 2, 3].map(() => runFloor(n, ...args));
  const ms = median(runs.map((r) => r.ms));
  return {
    ms,
    cpuMs: median(runs.map((r) => r.cpuMs)),
    row: row(`floor: ${n} bare node:http GETs, no Covenant, ${what}`, ms, {
      oursRssMb: Math.max(...runs.map((r) => r.rssMb)),
      note: `${(ms / n).toFixed(2)} ms per request`,
    }),
  };
}

// The goals: at least 10x faster than pact-js at 100 interactions and 100x at 1000.
const GOALS = new Map([
  [100, 10],
  [1000, 100],
]);
// Issue 21: in-process at least 2x faster than pact-js at 1 and 300x at 1000; socket mode at 1000
// within 1.6x of the floor.
const IN_PROCESS_GOALS = new Map([
  [1, 2],
  [1000, 300],
]);
const SOCKET_OVER_FLOOR_GOAL = 1.6;

export async function run({ log }) {
  ensurePeer(log);
  const rows = [];
  const floorRows = [];
  const tmp = join(tmpdir(), `covenant-bench-consumer-${process.pid}`);
  const inProcessRows = [];
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
    const notes = [`${(oursMs / n).toFixed(2)} ms per interaction`];
    const goal = GOALS.get(n);
    if (goal) {
      const floor = floorRow(n, 'one server, same client');
      floorRows.push(floor.row);
      notes.push(
        `goal ${goal}x leaves ${(peerMs / goal).toFixed(0)} ms; the floor is ${floor.ms.toFixed(0)} ms`,
      );
      if (n === 1000) {
        const overFloor = oursMs / floor.ms;
        const cpuOverFloor = median(ours.map((r) => r.cpuMs)) / floor.cpuMs;
        notes.push(
          `${overFloor.toFixed(2)}x the floor (CPU time ${cpuOverFloor.toFixed(2)}x), goal ${SOCKET_OVER_FLOOR_GOAL}x ${overFloor <= SOCKET_OVER_FLOOR_GOAL ? 'met' : 'not met'}`,
        );
      }
    }
    if (peerRuns === 1) notes.push('one peer run');
    rows.push(
      row(`${n} interaction(s), one test each, one pact file`, oursMs, {
        peer: PEER,
        peerMs,
        oursRssMb: Math.max(...ours.map((r) => r.rssMb)),
        peerRssMb: Math.max(...peer.map((r) => r.rssMb)),
        note: notes.join('; '),
      }),
    );
    const inProcessGoal = IN_PROCESS_GOALS.get(n);
    if (inProcessGoal) {
      for (const [client, mode] of [
        ['fetch', 'intercept-fetch'],
        ['node:http', 'intercept'],
      ]) {
        const runs = Array.from({ length: oursRuns }, () => runSuite('ours.mjs', n, join(tmp, 'ours'), mode));
        const ms = median(runs.map((r) => r.ms));
        const ratio = peerMs / ms;
        inProcessRows.push(
          row(`${n} interaction(s), in-process, one test each, one pact file, ${client} client`, ms, {
            peer: PEER,
            peerMs,
            oursRssMb: Math.max(...runs.map((r) => r.rssMb)),
            peerRssMb: Math.max(...peer.map((r) => r.rssMb)),
            note: `${(ms / n).toFixed(2)} ms per interaction; goal ${inProcessGoal}x leaves ${(peerMs / inProcessGoal).toFixed(1)} ms, ${ratio >= inProcessGoal ? 'met' : 'not met'}`,
          }),
        );
      }
    }
  }
  rows.push(...inProcessRows);
  // Not compared: a client that opens a new connection per request (pact-js's run barely changes,
  // since each of its tests has a server on a new port anyway).
  const fresh = [1, 2, 3].map(() => runSuite('ours.mjs', 1000, join(tmp, 'ours'), 'new-connection'));
  const freshMs = median(fresh.map((r) => r.ms));
  rows.push(
    row('1000 interaction(s), Covenant only, client opens a new connection per request', freshMs, {
      oursRssMb: Math.max(...fresh.map((r) => r.rssMb)),
      note: `${(freshMs / 1000).toFixed(2)} ms per interaction`,
    }),
  );
  rows.push(...floorRows);
  rows.push(floorRow(1000, 'one server, new connection per request', 'one-server', 'new-connection').row);
  rows.push(
    floorRow(
      1000,
      'a server started and stopped per request, new connection',
      'per-test-server',
      'new-connection',
    ).row,
  );
  return rows;
}
