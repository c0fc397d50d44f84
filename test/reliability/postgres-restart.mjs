// Case 2b: PostgreSQL restarted under load. 8 clients publish and read while the database server is
// stopped (fast shutdown: open sessions are cut) and, `downSeconds` later, started again. While it
// is away every answer is a 503 with a stable code, never a 500 or a dropped connection; once it is
// back the same broker process (never restarted) answers 2xx again, and every write it acknowledged
// is there. Runs on a throwaway server of its own (postgres-instance.mjs), never the shared one.

import { enc, json, pact, request, sleep, spawnBroker } from './lib.mjs';
import { throwawayPostgres, throwawayPostgresUnavailable } from './postgres-instance.mjs';

const CLIENTS = 8;
const UNAVAILABLE_CODE = 'COV_BROKER_DATABASE_UNREACHABLE';

/** One client: publish a pact, read back its last acknowledged one, repeat; every answer lands in `answers` with its phase. */
async function client(i, url, state, acknowledged) {
  let lastAcknowledged;
  for (let n = 0; !state.stopped; n++) {
    const consumer = `restart-consumer-${i}`;
    const version = `${i}.${n}`;
    const path = `/pacts/provider/restart-provider/consumer/${enc(consumer)}/version/${enc(version)}`;
    const phase = state.phase;
    const published = await request(url, {
      method: 'PUT',
      path,
      ...json(pact(consumer, 'restart-provider', `interaction ${version}`)),
      timeout: 10_000,
    });
    state.answers.push({ phase, status: published.status, text: published.text, error: published.error });
    if (published.status >= 200 && published.status < 300) {
      acknowledged.push(path);
      lastAcknowledged = path;
    }
    // read back the last pact this client got acknowledged (a refused one is rightly not there)
    if (lastAcknowledged) {
      const read = await request(url, {
        path: lastAcknowledged,
        headers: { accept: 'application/hal+json' },
        timeout: 10_000,
      });
      state.answers.push({ phase, status: read.status, text: read.text, error: read.error });
    }
    // while the database is away, don't spin: a real client backs off too
    if (published.status < 200 || published.status >= 300) await sleep(20);
    if (state.brokerExited()) return;
  }
}

/** Stops and starts a throwaway PostgreSQL under `restarts` × 8 clients; one row. */
export async function postgresRestart({ restarts = 1, downSeconds = 2, log = () => {} }) {
  const name = `PostgreSQL restarted under load, ${restarts} × ${downSeconds} s down (postgres)`;
  const unavailable = throwawayPostgresUnavailable();
  if (unavailable)
    return { case: name, ok: false, figure: `not run: ${unavailable}`, failures: [unavailable] };
  const server = await throwawayPostgres();
  const broker = spawnBroker({ database: server.url });
  const failures = [];
  const state = { phase: 'up', stopped: false, answers: [], brokerExited: () => broker.exit !== undefined };
  const acknowledged = [];
  const recoveries = [];
  try {
    const url = await broker.ready;
    const clients = Array.from({ length: CLIENTS }, (_, i) => client(i, url, state, acknowledged));
    for (let round = 0; round < restarts; round++) {
      await sleep(1_000);
      state.phase = 'stopping';
      await server.stop();
      state.phase = 'down';
      await sleep(downSeconds * 1_000);
      state.phase = 'starting';
      await server.start();
      const started = performance.now();
      state.phase = 'recovering';
      // recovered: the first publish after the start that is acknowledged
      const seen = state.answers.length;
      while (!state.answers.slice(seen).some((a) => a.status >= 200 && a.status < 300)) {
        if (performance.now() - started > 30_000 || broker.exit) {
          failures.push(`round ${round + 1}: no 2xx within 30 s of PostgreSQL starting again`);
          break;
        }
        await sleep(10);
      }
      recoveries.push(performance.now() - started);
      state.phase = 'up';
    }
    await sleep(1_000);
    state.stopped = true;
    await Promise.all(clients);
    if (broker.exit) failures.push(`the broker process exited (${JSON.stringify(broker.exit)})`);
    const counts = (phase) => {
      const of = state.answers.filter((a) => phase.includes(a.phase));
      return {
        all: of.length,
        ok: of.filter((a) => a.status >= 200 && a.status < 300).length,
        unavailable: of.filter((a) => a.status === 503).length,
        other: of.filter((a) => !(a.status >= 200 && a.status < 300) && a.status !== 503),
      };
    };
    const down = counts(['stopping', 'down', 'starting', 'recovering']);
    const up = counts(['up']);
    for (const a of [...down.other, ...up.other].slice(0, 5))
      failures.push(`${a.phase}: answered ${a.status || a.error?.message}: ${(a.text ?? '').slice(0, 160)}`);
    if (down.other.length + up.other.length > 5)
      failures.push(`… ${down.other.length + up.other.length - 5} more answers neither 2xx nor 503`);
    const wrongCode = state.answers.filter((a) => a.status === 503 && !a.text?.includes(UNAVAILABLE_CODE));
    if (wrongCode.length > 0) failures.push(`${wrongCode.length} 503 answers without ${UNAVAILABLE_CODE}`);
    if (down.unavailable === 0) failures.push('no 503 seen while PostgreSQL was down: the case did not test');
    // the broker, never restarted, still holds every write it acknowledged (before, between, after)
    let missing = 0;
    for (const path of acknowledged) {
      const got = await request(url, { path, headers: { accept: 'application/hal+json' } });
      if (got.status !== 200) missing++;
    }
    if (missing > 0) failures.push(`${missing} acknowledged pacts are missing after the restart`);
    for (const f of failures) log(`  ${f}`);
    const slowest = Math.max(0, ...recoveries);
    return {
      case: name,
      ok: failures.length === 0,
      figure: `${up.all} answers while up (${up.ok} 2xx), ${down.all} while down or restarting (${down.unavailable} × 503, ${down.ok} 2xx, ${down.other.length} other), back ${slowest.toFixed(0)} ms after PostgreSQL started, ${acknowledged.length} acknowledged pacts, ${missing} missing`,
      recovery_ms: slowest,
      failures,
    };
  } finally {
    state.stopped = true;
    await broker.kill();
    await server.remove();
  }
}
