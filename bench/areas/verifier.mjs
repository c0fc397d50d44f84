// Verifying a pact of 100 and of 1000 interactions (each with a provider state set through the same
// state-change URL) against one local provider, by Covenant and by pact-js 17.1.4's Verifier.
// In-process state handlers on both sides are an extra row. Each run is a fresh process.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, median, row } from '../lib.mjs';
import { ensurePeer, PEER } from '../peer.mjs';
import { writePact } from '../verifier/pact.mjs';

const here = dirname(fileURLToPath(import.meta.url));

function runVerifier(script, file, url, mode, n) {
  const result = spawnSync(process.execPath, [join(here, '..', 'verifier', script), file, url, mode], {
    encoding: 'utf8',
    env: { ...process.env, PACT_DO_NOT_TRACK: 'true' },
    timeout: 600_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr.slice(0, 2000)}`);
  const out = JSON.parse(result.stdout.trim().split('\n').pop());
  expect(out.interactions === n, `${script} verified ${out.interactions} interactions, expected ${n}`);
  return out;
}

export async function run({ log }) {
  ensurePeer(log);
  const dir = join(tmpdir(), `covenant-bench-verifier-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const provider = spawn(process.execPath, [join(here, '..', 'verifier', 'provider.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise((resolve) =>
      provider.stdout.once('data', (d) => resolve(String(d).trim())),
    );
    const rows = [];
    for (const [n, mode] of [
      [100, 'url'],
      [1000, 'url'],
      [1000, 'inprocess'],
    ]) {
      const file = join(dir, `pact-${n}.json`);
      writePact(file, n);
      const peerRuns = n >= 1000 ? 1 : 3;
      const ours = [];
      const peer = [];
      for (let i = 0; i < 3; i++) {
        ours.push(runVerifier('ours.mjs', file, url, mode, n));
        if (i < peerRuns) {
          log(
            `pact-js Verifier, ${n} interactions (${mode === 'url' ? 'state-change URL' : 'in-process states'}), run ${i + 1}/${peerRuns}...`,
          );
          peer.push(runVerifier('pactjs.mjs', file, url, mode, n));
        }
      }
      const oursMs = median(ours.map((r) => r.ms));
      rows.push(
        row(
          `verify ${n} interactions, ${mode === 'url' ? 'states via state-change URL' : 'in-process state handlers'}`,
          oursMs,
          {
            peer: PEER,
            peerMs: median(peer.map((r) => r.ms)),
            oursRssMb: Math.max(...ours.map((r) => r.rssMb)),
            peerRssMb: Math.max(...peer.map((r) => r.rssMb)),
            note: `${(oursMs / n).toFixed(2)} ms per interaction${peerRuns === 1 ? '; one peer run' : ''}`,
          },
        ),
      );
    }
    return rows;
  } finally {
    provider.kill();
  }
}
