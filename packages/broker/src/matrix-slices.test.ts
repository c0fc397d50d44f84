import { createTestDatabase, databaseKinds, type TestDatabase } from '@covenant/test-support';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerDatabase, openDatabase } from './db/connect.js';
import { type MatrixQuery, runMatrix } from './domain/matrix.js';

// The matrix reads its rows in slices of consumer versions, newest first (2 publications, then as
// many as the rows seen suggest). With 40 consumer versions, two providers and revisions, a query
// crosses several slices: its rows must be those of one pass over everything, cut at the limit.

const WEB_VERSIONS = 40;
type Row = [
  consumerVersion: string,
  provider: string,
  providerVersion: string | null,
  success: boolean | null,
];

/** What the matrix should say, worked out from the data below by hand-written rules. */
function expectedRows(providers: string[]): Row[] {
  const rows: Row[] = [];
  for (let i = WEB_VERSIONS; i >= 1; i--) {
    for (const provider of providers) {
      if (provider === 'Other' && i % 2 === 1) continue; // odd versions have no pact with Other
      // the latest verification by each provider version, newest provider version first
      const verified: Row[] = [];
      if (provider === 'Api') {
        if (i % 3 === 0) verified.push([`w${i}`, 'Api', 'a2', i % 6 !== 0]);
        if (i % 2 === 0) verified.push([`w${i}`, 'Api', 'a1', i % 4 !== 0]);
      }
      rows.push(...(verified.length ? verified : [[`w${i}`, provider, null, null] as Row]));
    }
  }
  return rows;
}

describe.each(databaseKinds())('matrix rows read in slices (%s)', (kind) => {
  let database: TestDatabase;
  let broker: BrokerDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    broker = await openDatabase(database.location);
    const db = broker.db;
    await sql`INSERT INTO pacticipants (name, created_at, updated_at)
      VALUES ('Web', 'now', 'now'), ('Api', 'now', 'now'), ('Other', 'now', 'now')`.execute(db);
    // ids: a1 1, a2 2, o1 3, then w1..w40 are 4..43
    await sql`INSERT INTO versions (pacticipant_id, number, created_at)
      VALUES (2, 'a1', 'now'), (2, 'a2', 'now'), (3, 'o1', 'now')`.execute(db);
    let pactVersion = 0;
    for (let i = 1; i <= WEB_VERSIONS; i++) {
      await sql`INSERT INTO versions (pacticipant_id, number, created_at) VALUES (1, ${`w${i}`}, 'now')`.execute(
        db,
      );
      const versionId = i + 3;
      const publish = async (providerId: number, revision: number) => {
        pactVersion++;
        await sql`INSERT INTO pact_versions (consumer_id, provider_id, sha, content, created_at)
          VALUES (1, ${providerId}, ${`sha-${pactVersion}`}, '{}', 'now')`.execute(db);
        await sql`INSERT INTO pact_publications (consumer_id, provider_id, consumer_version_id, pact_version_id, revision, created_at)
          VALUES (1, ${providerId}, ${versionId}, ${pactVersion}, ${revision}, 'now')`.execute(db);
        return pactVersion;
      };
      // every 5th version republished its pact with Api: the first revision's verifications don't count
      if (i % 5 === 0) {
        const superseded = await publish(2, 1);
        await sql`INSERT INTO verifications (pact_version_id, consumer_id, provider_id, provider_version_id, success, created_at)
          VALUES (${superseded}, 1, 2, 1, 0, 'now')`.execute(db);
      }
      const withApi = await publish(2, i % 5 === 0 ? 2 : 1);
      if (i % 2 === 0) await publish(3, 1);
      const verify = (providerVersionId: number, success: boolean) =>
        sql`INSERT INTO verifications (pact_version_id, consumer_id, provider_id, provider_version_id, success, created_at)
          VALUES (${withApi}, 1, 2, ${providerVersionId}, ${success ? 1 : 0}, 'now')`.execute(db);
      // a1 verified even versions; for every 4th it verified again and failed (the later one counts)
      if (i % 2 === 0) await verify(1, true);
      if (i % 4 === 0) await verify(1, false);
      if (i % 3 === 0) await verify(2, i % 6 !== 0);
    }
  });
  afterAll(async () => {
    await broker?.close();
    await database?.drop();
  });

  const rowsOf = async (query: MatrixQuery): Promise<Row[]> =>
    (await runMatrix(broker.db, query, broker.dialect)).rows.map((r) => [
      r.consumerVersion.number,
      r.providerName,
      r.providerVersion?.number ?? null,
      r.verification?.success ?? null,
    ]);

  it("answers an integration's matrix at every limit as one pass over all of it would", async () => {
    const all = expectedRows(['Api']);
    expect(all.length).toBeGreaterThan(40);
    for (const limit of [1, 7, 8, 9, 30, 45, all.length, 500]) {
      const rows = await rowsOf({
        selectors: [{ pacticipant: 'Web' }, { pacticipant: 'Api' }],
        options: { limit },
      });
      expect(rows, `limit ${limit}`).toEqual(all.slice(0, limit));
    }
  });

  it('keeps latestby and success filters across slices', async () => {
    const selectors = [{ pacticipant: 'Web' }, { pacticipant: 'Api' }];
    const newestPerVersion = expectedRows(['Api']).filter(
      (row, i, all) => i === 0 || all[i - 1]![0] !== row[0],
    );
    expect(await rowsOf({ selectors, options: { limit: 25, latestby: 'cvp' } })).toEqual(
      newestPerVersion.slice(0, 25),
    );
    expect(await rowsOf({ selectors, options: { limit: 3, latestby: 'cp' } })).toEqual([newestPerVersion[0]]);
    const failed = expectedRows(['Api']).filter((r) => r[3] === false);
    expect(await rowsOf({ selectors, options: { limit: 500, success: [false] } })).toEqual(failed);
    const unverified = expectedRows(['Api']).filter((r) => r[3] === null);
    expect(await rowsOf({ selectors, options: { limit: 12, success: [null] } })).toEqual(
      unverified.slice(0, 12),
    );
  });

  it("keeps, with latestby=cp, each integration's first row of the whole matrix", async () => {
    const queries: MatrixQuery['selectors'][] = [
      [{ pacticipant: 'Web' }],
      [{ pacticipant: 'Api' }],
      [{ pacticipant: 'Web' }, { pacticipant: 'Api' }],
      [{ pacticipant: 'Web', version: 'w33' }],
      [
        { pacticipant: 'Web', version: 'w30' },
        { pacticipant: 'Api', version: 'a1' },
      ],
    ];
    for (const selectors of queries) {
      const whole = await rowsOf({ selectors, options: { limit: 500 } });
      const firstPerIntegration = whole.filter((row, i) => whole.findIndex((r) => r[1] === row[1]) === i);
      expect(firstPerIntegration.length, JSON.stringify(selectors)).toBeGreaterThan(0);
      const successFilters: (Array<boolean | null> | undefined)[] = [undefined, [true], [false], [null]];
      for (const success of successFilters) {
        const expected = firstPerIntegration.filter((r) => !success || success.includes(r[3]));
        const options = { latestby: 'cp' as const, ...(success ? { success } : {}) };
        expect(
          await rowsOf({ selectors, options: { ...options, limit: 500 } }),
          JSON.stringify([selectors, success]),
        ).toEqual(expected);
        expect(await rowsOf({ selectors, options: { ...options, limit: 1 } })).toEqual(expected.slice(0, 1));
      }
    }
  });

  it("answers one pacticipant's matrix, both of its providers, across slices", async () => {
    const all = expectedRows(['Api', 'Other']);
    for (const limit of [10, 60, 500])
      expect(await rowsOf({ selectors: [{ pacticipant: 'Web' }], options: { limit } })).toEqual(
        all.slice(0, limit),
      );
  });
});
