// The reliability suite's short version (CI): each case of `npm run bench -- reliability` at small
// sizes, on SQLite and (when COVENANT_TEST_POSTGRES_URL names a server) PostgreSQL. The cases live
// in this folder's .mjs modules, shared with the bench; each returns a row whose `ok` is the verdict.
import { describe, expect, it } from 'vitest';
import { crashConsistency } from './crash.mjs';
import { fuzz } from './fuzz.mjs';
import { kinds } from './lib.mjs';
import { migrationKill } from './migration-kill.mjs';
import { oversizedBody, slowClients } from './oversized.mjs';
import { pactWriterKill } from './pact-writer-kill.mjs';
import { throwawayPostgresUnavailable } from './postgres-instance.mjs';
import { postgresRestart } from './postgres-restart.mjs';
import { secrets } from './secrets.mjs';
import { soak } from './soak.mjs';

const log = (line: string) => console.log(line);
const verdict = (row: { ok: boolean; figure: string; failures?: string[] }) => {
  log(`${row.ok ? 'ok' : 'FAILED'} ${(row as { case?: string }).case}: ${row.figure}`);
  expect(row.failures ?? [], row.figure).toEqual([]);
  expect(row.ok, row.figure).toBe(true);
};

describe.each(kinds())('reliability (%s)', (kind) => {
  it('fuzzing from /openapi.json: 2,000 requests, no 5xx, every answer per the document', async () => {
    verdict(await fuzz({ kind, count: 2_000, log }));
  }, 180_000);

  it('crash consistency: 3 × SIGKILL under 8 writing clients loses no acknowledged write', async () => {
    verdict(await crashConsistency({ kind, kills: 3, log }));
  }, 120_000);

  it('SIGKILL during a migration: 3 kills, each leaves no step half applied; the next start completes it', async () => {
    verdict(await migrationKill({ kind, kills: 3, verifications: 50_000, log }));
  }, 120_000);

  it('soak: 50 clients, mixed reads and writes, 20 s, 0 errors, heap after GC grows < 10 % (RSS reported)', async () => {
    verdict(await soak({ kind, clients: 50, seconds: 20, log }));
  }, 90_000);

  it('no secret (passwords, tokens, webhook credentials) in any log line, answer or page', async () => {
    verdict(await secrets({ kind, log }));
  }, 60_000);

  it('a 20 MB body over the limit is answered 413 at the client (fetch and curl); the limit is advertised', async () => {
    verdict(await oversizedBody({ kind, mb: 20, log }));
  }, 60_000);

  it('100 slow clients do not stop normal requests (p99 < 100 ms)', async () => {
    verdict(await slowClients({ kind, slow: 100, seconds: 3, log }));
  }, 60_000);
});

describe('reliability (consumer)', () => {
  it('pact writer: 6 × SIGKILL among 4 writing test workers leave a valid pact holding every passed test', async () => {
    verdict(await pactWriterKill({ workers: 4, kills: 6, log }));
  }, 90_000);
});

// on a throwaway PostgreSQL of its own (never the shared server), so only where one can be made
describe.skipIf(!kinds().includes('postgres') || throwawayPostgresUnavailable() !== undefined)(
  'reliability (PostgreSQL restarted)',
  () => {
    it('PostgreSQL stopped and started under 8 clients: 503 while away, back without a broker restart', async () => {
      verdict(await postgresRestart({ restarts: 1, downSeconds: 2, log }));
    }, 90_000);
  },
);
