// Case 8: the consumer's pact writer killed mid-write. `workers` test processes run contract tests
// writing one pact file (the writer of docs/decisions/0002-pact-file-writes.md); `kills` times, at a
// random moment (every other time: as soon as one holds the pact's lock, so inside a write), one of
// them is SIGKILLed and the others are frozen (SIGSTOP) while the file is
// checked: it must parse as a pact, and hold every interaction whose test had passed. The killed
// worker is replaced and the others go on. Response bodies of `bodyBytes` make each write span
// many pages, so kills land inside writes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPact } from '@covenant/core';
import fc from 'fast-check';
import { sleep } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const PACT_FILE = 'Killed Consumer-Killed Provider.json';

function startWorker(dir, name, bodyBytes, passed) {
  const child = spawn(process.execPath, [join(here, 'pact-writer-child.mjs'), dir, name, String(bodyBytes)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let rest = '';
  child.stdout.on('data', (chunk) => {
    rest += chunk;
    const lines = rest.split('\n');
    rest = lines.pop();
    for (const line of lines) if (line.startsWith('PASSED ')) passed.add(line.slice(7));
  });
  const errors = [];
  child.stderr.on('data', (chunk) => errors.push(String(chunk)));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, errors, exited };
}

function readIfThere(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The index in `running` of the worker holding the pact file's lock, polled for up to 1 s; or -1. */
async function lockHolder(file, running) {
  const until = Date.now() + 1_000;
  while (Date.now() < until) {
    const pid = readIfThere(`${file}.lock`)?.trim();
    const index = running.findIndex((w) => String(w.child.pid) === pid);
    if (index >= 0) return index;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return -1;
}

/** What is wrong with the pact file now: unreadable, not a pact, or missing passed interactions. */
function check(file, passed) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return passed.size === 0 ? [] : [`the pact file cannot be read: ${error.message}`];
  }
  let pact;
  try {
    pact = readPact(text, file);
  } catch (error) {
    return [`the pact file is not a valid pact (${text.length} bytes): ${error.message.slice(0, 200)}`];
  }
  const present = new Set(pact.interactions.map((i) => i.description));
  const missing = [...passed].filter((d) => !present.has(d));
  return missing.length === 0
    ? []
    : [`${missing.length} interactions of passed tests are missing, e.g. ${missing.slice(0, 3).join('; ')}`];
}

/** `kills` kills among `workers` writing test processes; one row. */
export async function pactWriterKill({
  workers = 4,
  kills,
  bodyBytes = 32 * 1024,
  seed = Date.now() % 2 ** 31,
  log = () => {},
}) {
  const dir = mkdtempSync(join(tmpdir(), 'covenant-writer-kill-'));
  const file = join(dir, PACT_FILE);
  const passed = new Set();
  const failures = [];
  const running = [];
  let started = 0;
  let killedWriting = 0;
  const add = () => running.push(startWorker(dir, `worker ${started++}`, bodyBytes, passed));
  const delays = fc.sample(fc.integer({ min: 100, max: 1_500 }), { seed, numRuns: kills });
  const victims = fc.sample(fc.nat({ max: workers - 1 }), { seed: seed + 1, numRuns: kills });
  try {
    for (let i = 0; i < workers; i++) add();
    for (let round = 0; round < kills; round++) {
      await sleep(delays[round]);
      // every other kill aims inside a write: at the worker holding the pact's lock, once one does
      const holder = round % 2 === 0 ? await lockHolder(file, running) : -1;
      const [victim] = running.splice(holder >= 0 ? holder : victims[round], 1);
      victim.child.kill('SIGKILL');
      await victim.exited;
      // the lock is a hard link to a file holding its owner's pid: was the victim writing?
      if (readIfThere(`${file}.lock`)?.trim() === String(victim.child.pid)) killedWriting++;
      for (const w of running) w.child.kill('SIGSTOP');
      // what passed so far, as the workers said before they were frozen
      await sleep(20);
      const wrong = check(file, passed);
      for (const w of running) w.child.kill('SIGCONT');
      failures.push(...wrong.map((w) => `after kill ${round + 1}: ${w}`));
      const crashed = running.find((w) => w.child.exitCode !== null);
      if (crashed) failures.push(`a worker failed by itself: ${crashed.errors.join('').slice(0, 300)}`);
      add();
    }
    // the end: every worker killed at once, then the last look
    for (const w of running) w.child.kill('SIGKILL');
    await Promise.all(running.map((w) => w.exited));
    failures.push(...check(file, passed).map((w) => `after the last kill: ${w}`));
    const beside = readdirSync(dir).filter((f) => f !== PACT_FILE);
    // a rewrite killed before its rename leaves its temporary copy (the next writer removes it
    // once it is a minute old); a killed lock holder, its lock (broken by the next writer)
    const temporary = beside.filter((f) => f.endsWith('.tmp')).length;
    const others = beside.filter((f) => !f.endsWith('.tmp') && f !== `${PACT_FILE}.lock`);
    if (others.length > 0) failures.push(`unexpected files beside the pact: ${others.join(', ')}`);
    const size = readFileSync(file).length;
    for (const f of failures.slice(0, 10)) log(`  ${f}`);
    return {
      case: `consumer pact writer, ${kills} × SIGKILL among ${workers} writing workers`,
      ok: failures.length === 0,
      figure: `seed ${seed}: ${killedWriting} of ${kills} kills while the victim held the lock (writing); ${passed.size} tests passed, all in the file (${(size / 1024 / 1024).toFixed(1)} MB) after every kill: ${failures.length === 0 ? 'yes' : 'no'}; ${temporary} temporary copies of killed rewrites beside it`,
      seed,
      killed_writing: killedWriting,
      failures,
    };
  } finally {
    for (const w of running) w.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
