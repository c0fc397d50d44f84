// `npm run bench -- reliability`: the reliability cases at full size on SQLite and PostgreSQL
// (when BENCH_POSTGRES_URL or COVENANT_TEST_POSTGRES_URL names a server). Rows: case, ok, figure.
// The cases live in test/reliability/ (the CI suite runs them there at small sizes).
if (!process.env.COVENANT_TEST_POSTGRES_URL && process.env.BENCH_POSTGRES_URL)
  process.env.COVENANT_TEST_POSTGRES_URL = process.env.BENCH_POSTGRES_URL;

// BENCH_RELIABILITY_QUICK=1 runs the CI's sizes (to try the area out in a few minutes)
const FULL = process.env.BENCH_RELIABILITY_QUICK
  ? {
      fuzzRequests: 2_000,
      kills: 3,
      bodyMb: 20,
      slowClients: 100,
      soakSeconds: 20,
      pgRestarts: 1,
      migrationKills: 3,
      migrationRows: 50_000,
      writerKills: 6,
    }
  : {
      fuzzRequests: 100_000,
      kills: 20,
      bodyMb: 100,
      slowClients: 1_000,
      soakSeconds: 600,
      pgRestarts: 5,
      migrationKills: 20,
      migrationRows: 500_000,
      writerKills: 50,
    };

// BENCH_RELIABILITY_CASES=fuzz,crash runs only those cases (the names below: fuzz, oversized,
// crash, migration, auth, secrets, slow, soak, writer, pg-restart, suites); BENCH_RELIABILITY_DATABASES
// =sqlite or =postgres only that database's rows
const only = (variable) => process.env[variable]?.split(',').map((name) => name.trim());
const CASES = only('BENCH_RELIABILITY_CASES');
const DATABASES = only('BENCH_RELIABILITY_DATABASES');
const wanted = (name) => !CASES || CASES.includes(name);

/**
 * Cases the webhook suites prove, run as they are and shown as rows (CI runs these suites in the
 * broker project, so the short version needs nothing more).
 */
const SUITES = [
  {
    name: 'SSRF: webhooks to blocked addresses (names, IPv6 and IPv4-mapped, decimal and octal, redirects, changing DNS answers) refused before any connection',
    project: 'broker',
    files: ['src/webhooks/deliver.test.ts', 'src/webhooks/execute.test.ts'],
  },
  {
    name: 'webhook deliveries across kill -9 (and two brokers on one PostgreSQL): none lost, none twice',
    project: 'broker',
    files: ['src/webhook-durability.test.ts'],
  },
];

export async function run({ log }) {
  const { kinds } = await import('../../test/reliability/lib.mjs');
  const { fuzz } = await import('../../test/reliability/fuzz.mjs');
  const { oversizedBody, slowClients } = await import('../../test/reliability/oversized.mjs');
  const { crashConsistency } = await import('../../test/reliability/crash.mjs');
  const { soak } = await import('../../test/reliability/soak.mjs');
  const { secrets } = await import('../../test/reliability/secrets.mjs');
  const { authTable } = await import('../../test/reliability/auth-table.mjs');
  const { postgresRestart } = await import('../../test/reliability/postgres-restart.mjs');
  const { migrationKill } = await import('../../test/reliability/migration-kill.mjs');
  const { pactWriterKill } = await import('../../test/reliability/pact-writer-kill.mjs');
  const { suiteRow } = await import('../../test/reliability/suite-row.mjs');
  const rows = [];
  const add = (row) => {
    log(`${row.ok ? 'ok    ' : 'FAILED'} ${row.case}: ${row.figure}`);
    rows.push(row);
  };
  for (const kind of kinds().filter((k) => !DATABASES || DATABASES.includes(k))) {
    if (wanted('fuzz')) add(await fuzz({ kind, count: FULL.fuzzRequests, log }));
    if (wanted('oversized'))
      for (const mb of new Set([20, FULL.bodyMb])) add(await oversizedBody({ kind, mb, log }));
    if (wanted('crash')) add(await crashConsistency({ kind, kills: FULL.kills, log }));
    if (wanted('migration'))
      add(await migrationKill({ kind, kills: FULL.migrationKills, verifications: FULL.migrationRows, log }));
    if (wanted('auth')) add(await authTable({ kind, log }));
    if (wanted('secrets')) add(await secrets({ kind, log }));
    if (wanted('slow')) add(await slowClients({ kind, slow: FULL.slowClients, seconds: 10, log }));
    if (wanted('soak'))
      add(await soak({ kind, clients: 50, seconds: FULL.soakSeconds, maxGrowthPercent: 10, log }));
  }
  if (wanted('writer')) add(await pactWriterKill({ workers: 4, kills: FULL.writerKills, log }));
  // a throwaway server of its own is stopped and started, never the shared one
  if (wanted('pg-restart') && kinds().includes('postgres'))
    add(await postgresRestart({ restarts: FULL.pgRestarts, downSeconds: 5, log }));
  if (wanted('suites')) for (const suite of SUITES) add(await suiteRow({ ...suite, log }));
  return rows;
}
