// `npm run bench -- reliability`: the reliability cases at full size on SQLite and PostgreSQL
// (when BENCH_POSTGRES_URL or COVENANT_TEST_POSTGRES_URL names a server). Rows: case, ok, figure.
// The cases live in test/reliability/ (the CI suite runs them there at small sizes).
if (!process.env.COVENANT_TEST_POSTGRES_URL && process.env.BENCH_POSTGRES_URL)
  process.env.COVENANT_TEST_POSTGRES_URL = process.env.BENCH_POSTGRES_URL;

const FULL = { fuzzRequests: 100_000, bodyMb: 100, slowClients: 1_000 };

export async function run({ log }) {
  const { kinds } = await import('../../test/reliability/lib.mjs');
  const { fuzz } = await import('../../test/reliability/fuzz.mjs');
  const { oversizedBody, slowClients } = await import('../../test/reliability/oversized.mjs');
  const rows = [];
  const add = (row) => {
    log(`${row.ok ? 'ok    ' : 'FAILED'} ${row.case}: ${row.figure}`);
    rows.push(row);
  };
  for (const kind of kinds()) {
    add(await fuzz({ kind, count: FULL.fuzzRequests, log }));
    for (const mb of [20, FULL.bodyMb]) add(await oversizedBody({ kind, mb, log }));
    add(await slowClients({ kind, slow: FULL.slowClients, seconds: 10, log }));
  }
  return rows;
}
