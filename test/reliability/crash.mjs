// Case 2: crash consistency. 8 clients publish pacts, verifications and tags while the broker is
// SIGKILLed at random moments and restarted on the same database. After each kill: every write
// answered 2xx is there; a write in flight is there whole or not at all; SQLite passes
// integrity_check and foreign_key_check, PostgreSQL has no unvalidated constraint; and the matrix
// answers each acknowledged verification as an oracle made from the stored writes says.
import fc from 'fast-check';
import pg from 'pg';
import { createTestDatabase, enc, json, openSqlite, pact, request, sleep, spawnBroker } from './lib.mjs';

const CLIENTS = 8;

/** One client's loop: pact, then its verification, then a tag, until `stop()`; records each write. */
async function client(i, url, ledger, stopped) {
  for (let n = 0; !stopped(); n++) {
    const consumer = `crash-consumer-${i}`;
    const version = `${i}.${n}.${ledger.round}`;
    const description = `interaction ${version}`;
    const write = { consumer, version, description, pact: 'sent' };
    ledger.writes.push(write);
    const published = await request(url.current, {
      method: 'PUT',
      path: `/pacts/provider/crash-provider/consumer/${enc(consumer)}/version/${enc(version)}`,
      ...json(pact(consumer, 'crash-provider', description)),
      timeout: 5_000,
    });
    if (published.status < 200 || published.status >= 300) return;
    write.pact = 'acked';
    const link = JSON.parse(published.text)._links['pb:publish-verification-results'].href;
    const success = n % 3 !== 0;
    write.verification = { success, state: 'sent' };
    const verified = await request(url.current, {
      method: 'POST',
      path: new URL(link).pathname,
      ...json({ success, providerApplicationVersion: `prov-${version}` }),
      timeout: 5_000,
    });
    if (verified.status < 200 || verified.status >= 300) return;
    write.verification.state = 'acked';
    write.tag = 'sent';
    const tagged = await request(url.current, {
      method: 'PUT',
      path: `/pacticipants/${enc(consumer)}/versions/${enc(version)}/tags/prod`,
      headers: { 'content-type': 'application/json' },
      body: '{}',
      timeout: 5_000,
    });
    if (tagged.status < 200 || tagged.status >= 300) return;
    write.tag = 'acked';
  }
}

async function integrity(kind, location) {
  if (kind === 'sqlite') {
    const db = openSqlite(location, { readonly: true });
    try {
      const check = db.pragma('integrity_check', { simple: true });
      const foreign = db.pragma('foreign_key_check');
      return [
        ...(check === 'ok' ? [] : [`integrity_check: ${check}`]),
        ...foreign.map((f) => `foreign_key_check: ${JSON.stringify(f)}`),
      ];
    } finally {
      db.close();
    }
  }
  const pgClient = new pg.Client({ connectionString: location });
  await pgClient.connect();
  try {
    const { rows } = await pgClient.query('SELECT conname FROM pg_constraint WHERE NOT convalidated');
    return rows.map((r) => `constraint not valid: ${r.conname}`);
  } finally {
    await pgClient.end();
  }
}

/** Checks every recorded write against the restarted broker; returns what is wrong. */
async function audit(url, writes) {
  const wrong = [];
  let acked = 0;
  for (const w of writes) {
    const path = `/pacts/provider/crash-provider/consumer/${enc(w.consumer)}/version/${enc(w.version)}`;
    const got = await request(url, { path, headers: { accept: 'application/hal+json' } });
    if (w.pact === 'acked') acked++;
    if (got.status === 200) {
      const body = JSON.parse(got.text);
      if (body.interactions?.[0]?.description !== w.description)
        wrong.push(`pact ${w.consumer} ${w.version} is there but not whole: ${got.text.slice(0, 120)}`);
    } else if (got.status === 404) {
      if (w.pact === 'acked') wrong.push(`acknowledged pact ${w.consumer} ${w.version} is gone`);
      continue;
    } else wrong.push(`pact ${w.consumer} ${w.version}: ${got.status}`);
    if (w.verification) {
      // the oracle: the matrix row for this consumer version says what was verified
      const matrix = await request(url, {
        path: `/matrix?q[][pacticipant]=${enc(w.consumer)}&q[][version]=${enc(w.version)}&latestby=cvp`,
        headers: { accept: 'application/hal+json' },
      });
      const rows = matrix.status === 200 ? (JSON.parse(matrix.text).matrix ?? []) : [];
      const verdicts = rows.filter((r) => r.verificationResult).map((r) => r.verificationResult.success);
      if (w.verification.state === 'acked') {
        acked++;
        if (!verdicts.includes(w.verification.success))
          wrong.push(
            `acknowledged verification of ${w.version} (${w.verification.success}) is not in the matrix: ${matrix.status} ${JSON.stringify(verdicts)}`,
          );
      } else if (verdicts.length > 0 && !verdicts.includes(w.verification.success))
        wrong.push(
          `verification of ${w.version} in the matrix says ${verdicts} but ${w.verification.success} was sent`,
        );
    }
    if (w.tag === 'acked') {
      acked++;
      const tag = await request(url, {
        path: `/pacticipants/${enc(w.consumer)}/versions/${enc(w.version)}/tags/prod`,
        headers: { accept: 'application/hal+json' },
      });
      if (tag.status !== 200) wrong.push(`acknowledged tag of ${w.version} is gone (${tag.status})`);
    }
  }
  return { wrong, acked };
}

/** `kills` rounds of: clients writing, a SIGKILL after a random delay, checks, restart. */
export async function crashConsistency({ kind, kills, seed = Date.now() % 2 ** 31, log = () => {} }) {
  const database = await createTestDatabase(kind);
  const delays = fc.sample(fc.integer({ min: 150, max: 1_500 }), { seed, numRuns: kills });
  const failures = [];
  let acked = 0;
  let writes = 0;
  let broker = spawnBroker({ database: database.location });
  try {
    const url = { current: await broker.ready };
    const ledger = { writes: [], round: 0 };
    for (let round = 0; round < kills; round++) {
      ledger.round = round;
      let stop = false;
      const clients = Array.from({ length: CLIENTS }, (_, i) => client(i, url, ledger, () => stop));
      await sleep(delays[round]);
      await broker.kill('SIGKILL');
      stop = true;
      await Promise.all(clients);
      failures.push(
        ...(await integrity(kind, database.location)).map((f) => `after kill ${round + 1}: ${f}`),
      );
      broker = spawnBroker({ database: database.location });
      url.current = await broker.ready;
    }
    const result = await audit(url.current, ledger.writes);
    failures.push(...result.wrong);
    acked = result.acked;
    writes = ledger.writes.length;
    const heartbeat = await request(url.current, { path: '/diagnostic/status/heartbeat' });
    if (heartbeat.status !== 200) failures.push(`heartbeat ${heartbeat.status} after the last restart`);
    for (const f of failures.slice(0, 10)) log(`  ${f}`);
    return {
      case: `crash consistency, ${kills} × SIGKILL (${kind})`,
      ok: failures.length === 0,
      figure: `seed ${seed}: ${writes} pacts sent, ${acked} writes acknowledged, ${failures.length} lost, partial or failing integrity`,
      seed,
      failures,
    };
  } finally {
    await broker.kill();
    await database.drop();
  }
}
