import { brokerHarness, databaseKinds, fakeClock, pactFixture } from '@covenant/test-support';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { deleteBranches, deletePactVersions, deleteVersionsStillNotKept } from './db/clean-repo.js';
import { openDatabase } from './db/connect.js';
import { type CleanOptions, parseKeepSelectors, runClean } from './domain/clean.js';
import { parseCron } from './domain/cron.js';
import { startBroker } from './server.js';

const broker = brokerHarness((database) => startBroker({ port: 0, database }));
const { call } = broker;

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

const publish = (consumer: string, version: string, interactions: string[] = ['a request']) =>
  call(
    'PUT',
    `/pacts/provider/Orders/consumer/${consumer}/version/${version}`,
    pactFixture({ consumer, provider: 'Orders', interactions }),
  );

/** PATCH: merges interactions into the version's pact, a new revision of it. */
const merge = (consumer: string, version: string, interactions: string[]) =>
  call(
    'PATCH',
    `/pacts/provider/Orders/consumer/${consumer}/version/${version}`,
    pactFixture({ consumer, provider: 'Orders', interactions }),
  );

const clean = (overrides: Partial<CleanOptions>): CleanOptions => ({
  keepVersionSelectors: [{ maxAgeDays: 90 }],
  deletionLimit: 500,
  overwrittenDataMaxAgeDays: 7,
  dryRun: false,
  ...overrides,
});

describe.each(databaseKinds())('database clean (%s)', (kind) => {
  broker.runOn(kind);

  it('removes overwritten pact revisions, verification results and webhook deliveries older than the max age', async () => {
    const { db } = broker.running.database;
    // two revisions of v1's pact (an interaction merged into it), to be made old
    expect((await publish('Web', 'v1', ['a'])).status).toBe(201);
    expect((await merge('Web', 'v1', ['b'])).status).toBe(200);
    expect((await publish('Web', 'v2', ['b'])).status).toBe(201);
    const pact = (await call('GET', '/pacts/provider/Orders/consumer/Web/version/v1')).json;
    const results = new URL(pact._links['pb:publish-verification-results'].href).pathname;
    for (const providerVersion of ['9', '9', '10'])
      expect(
        (await call('POST', results, { success: true, providerApplicationVersion: providerVersion })).status,
      ).toBe(201);
    // deliveries of one webhook for the integration: finished, pending (a retry due next year) and the newest
    const at = daysAgo(30);
    await db
      .insertInto('webhooks')
      .values({
        uuid: 'clean-hook',
        description: null,
        consumer_name: null,
        provider_name: null,
        consumer_label: null,
        provider_label: null,
        events: '["contract_published"]',
        // disabled, and aimed at the blocked loopback: the test's publishes trigger no delivery
        request: '{"method":"POST","url":"https://127.0.0.2/hook"}',
        enabled: 0,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const hook = await db
      .selectFrom('webhooks')
      .select('id')
      .where('uuid', '=', 'clean-hook')
      .executeTakeFirstOrThrow();
    const ids = await db
      .selectFrom('pacticipants')
      .select(['id', 'name'])
      .where('name', 'in', ['Web', 'Orders'])
      .execute();
    const idOf = (name: string) => ids.find((p) => p.name === name)!.id;
    for (const [index, status] of ['success', 'retrying', 'failure', 'success'].entries())
      await db
        .insertInto('triggered_webhooks')
        .values({
          uuid: `delivery-${index}`,
          webhook_id: hook.id,
          event_name: 'contract_published',
          data: '{}',
          consumer_id: idOf('Web'),
          provider_id: idOf('Orders'),
          pact_version_id: null,
          consumer_version_id: null,
          verification_id: null,
          status,
          attempts: 1,
          next_attempt_at: daysAgo(-365),
          lease_owner: null,
          lease_until: null,
          created_at: index === 3 ? daysAgo(0) : at,
          updated_at: at,
        })
        .execute();
    // everything so far is 30 days old; then v3 gets two revisions today
    for (const table of ['pact_publications', 'verifications'] as const)
      await db.updateTable(table).set({ created_at: at }).execute();
    expect((await publish('Web', 'v3', ['c'])).status).toBe(201);
    expect((await merge('Web', 'v3', ['d'])).status).toBe(200);

    const dryRun = await runClean(broker.running.database, clean({ dryRun: true }));
    expect(dryRun.overwritten).toEqual({ pactPublications: 1, verifications: 1, triggeredWebhooks: 2 });
    const report = await runClean(broker.running.database, clean({}));
    expect(report.overwritten).toEqual({ pactPublications: 1, verifications: 1, triggeredWebhooks: 2 });
    expect(report.versions.deleted).toBe(0);

    const publications = await db
      .selectFrom('pact_publications as pp')
      .innerJoin('versions as v', 'v.id', 'pp.consumer_version_id')
      .select(['v.number', 'pp.revision'])
      .orderBy('pp.id')
      .execute();
    // v1's old first revision went; v3's first is overwritten too, but younger than 7 days
    expect(publications).toEqual([
      { number: 'v1', revision: 2 },
      { number: 'v2', revision: 1 },
      { number: 'v3', revision: 1 },
      { number: 'v3', revision: 2 },
    ]);
    const verifications = await db
      .selectFrom('verifications as ve')
      .innerJoin('versions as v', 'v.id', 've.provider_version_id')
      .select('v.number')
      .orderBy('ve.id')
      .execute();
    expect(verifications.map((v) => v.number)).toEqual(['9', '10']);
    const deliveries = await db.selectFrom('triggered_webhooks').select('uuid').orderBy('id').execute();
    expect(deliveries.map((d) => d.uuid)).toEqual(['delivery-1', 'delivery-3']);
    // what a client reads is unchanged
    expect((await call('GET', '/pacts/provider/Orders/consumer/Web/version/v1')).status).toBe(200);
    const matrix = await call('GET', '/matrix?q[][pacticipant]=Web&q[][version]=v1');
    expect(matrix.status).toBe(200);
    expect(
      matrix.json.matrix
        .map((row: { provider: { version: { number: string } } }) => row.provider.version.number)
        .sort(),
    ).toEqual(['10', '9']);
  });

  it('deletes versions, and the pact contents only they used, but keeps contents a verification still refers to', async () => {
    const { db } = broker.running.database;
    const shaOf = async (version: string): Promise<string> => {
      const pact = await call('GET', `/pacts/provider/Orders/consumer/Web/version/${version}`);
      return pact.json._links['pb:pact-version'].href.split('/').pop();
    };
    const [v1, v2, v3] = [await shaOf('v1'), await shaOf('v2'), await shaOf('v3')];
    await db
      .updateTable('versions')
      .set({ created_at: daysAgo(200) })
      .execute();
    // Web keeps v3 (its latest) and Orders keeps 10; v1's content stays, verified by the kept 10
    const report = await runClean(
      broker.running.database,
      clean({ keepVersionSelectors: parseKeepSelectors('[{"latest": true}]') }),
    );
    expect(report.deletedVersions.map((v) => `${v.pacticipant} ${v.number}`).sort()).toEqual([
      'Orders 9',
      'Web v1',
      'Web v2',
    ]);
    // v2's content went with v2; v1's is still the subject of Orders 10's verification
    expect(report.orphanPactContents).toBe(1);
    const contents = (await db.selectFrom('pact_versions').select('sha').execute()).map((c) => c.sha);
    // v3's two revisions have two contents
    expect(contents).toHaveLength(3);
    expect(contents).toEqual(expect.arrayContaining([v1, v3]));
    expect(contents).not.toContain(v2);
    expect((await call('GET', '/pacts/provider/Orders/consumer/Web/latest')).json.consumer.name).toBe('Web');
  });

  it('cleans while pacts are published and read, with no error and nothing kept lost', async () => {
    const { db } = broker.running.database;
    expect((await publish('Old', 'seed', ['old'])).status).toBe(201);
    const seed = await db
      .selectFrom('pact_publications as pp')
      .innerJoin('versions as v', 'v.id', 'pp.consumer_version_id')
      .select(['pp.consumer_id', 'pp.provider_id', 'pp.pact_version_id', 'v.pacticipant_id'])
      .where('v.number', '=', 'seed')
      .executeTakeFirstOrThrow();
    const old = daysAgo(200);
    const seeded = 240;
    for (let i = 0; i < seeded; i++) {
      const version = await db
        .insertInto('versions')
        .values({ pacticipant_id: seed.pacticipant_id, number: `old-${i}`, build_url: null, created_at: old })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('pact_publications')
        .values({
          consumer_id: seed.consumer_id,
          provider_id: seed.provider_id,
          consumer_version_id: version.id,
          pact_version_id: seed.pact_version_id,
          revision: 1,
          created_at: old,
        })
        .execute();
    }
    await db.updateTable('versions').set({ created_at: old }).where('number', '=', 'seed').execute();
    expect((await publish('Old', 'current', ['old'])).status).toBe(201);

    let cleaning = true;
    const failures: string[] = [];
    let duringClean = 0;
    const published: string[] = [];
    const traffic = (async () => {
      for (let n = 0; cleaning || n < 5; n++) {
        const version = `live-${n}`;
        const answers = await Promise.all([
          publish('Live', version, [`live ${n}`]),
          call('GET', '/pacts/provider/Orders/consumer/Old/latest'),
          call('GET', '/pacts/provider/Orders/consumer/Old/version/current'),
          call('GET', '/pacticipants/Old/latest-version'),
          published.length > 0
            ? call('GET', `/pacts/provider/Orders/consumer/Live/version/${published[published.length - 1]}`)
            : call('GET', '/'),
        ]);
        for (const answer of answers)
          if (answer.status >= 300) failures.push(`${answer.status} ${JSON.stringify(answer.json)}`);
        if (answers[3]?.json?.number !== 'current')
          failures.push(`latest version ${answers[3]?.json?.number}`);
        published.push(version);
        if (cleaning) duringClean += 1;
      }
    })();
    const report = await runClean(
      broker.running.database,
      clean({
        keepVersionSelectors: parseKeepSelectors('[{"latest": true}, {"max_age": 90}]'),
        deletionLimit: 1000,
      }),
      { batchSize: 10 },
    ).finally(() => {
      cleaning = false;
    });
    await traffic;
    expect(failures).toEqual([]);
    // the traffic really ran alongside the clean's transactions
    expect(duringClean).toBeGreaterThan(1);
    expect(report.transactions).toBeGreaterThanOrEqual(seeded / 10);
    expect(report.versions.deleted).toBe(seeded + 1);
    const left = await db
      .selectFrom('versions as v')
      .innerJoin('pacticipants as p', 'p.id', 'v.pacticipant_id')
      .select('v.number')
      .where('p.name', 'in', ['Old', 'Live'])
      .orderBy('v.id')
      .execute();
    expect(left.map((v) => v.number)).toEqual(['current', ...published]);
    for (const version of published)
      expect((await call('GET', `/pacts/provider/Orders/consumer/Live/version/${version}`)).status).toBe(200);
  }, 60_000);
});

describe.each(databaseKinds())('two cleans at once (%s)', (kind) => {
  broker.runOn(kind);

  it('two brokers cleaning one database delete each version once, with no error', async () => {
    expect((await publish('Web', 'first', ['x'])).status).toBe(201);
    const { db } = broker.running.database;
    const web = await db
      .selectFrom('pacticipants')
      .select('id')
      .where('name', '=', 'Web')
      .executeTakeFirstOrThrow();
    const old = daysAgo(200);
    const seeded = 120;
    await db
      .insertInto('versions')
      .values(
        Array.from({ length: seeded }, (_, i) => ({
          pacticipant_id: web.id,
          number: `old-${i}`,
          build_url: null,
          created_at: old,
        })),
      )
      .execute();
    expect((await publish('Web', 'kept', ['x'])).status).toBe(201);
    // a second connection (pool) to the same database, as a second broker has
    const other = await openDatabase(broker.testDatabase.location);
    try {
      const options = clean({ keepVersionSelectors: parseKeepSelectors('[{"latest": true}]') });
      const [first, second] = await Promise.all([
        runClean(broker.running.database, options, { batchSize: 5 }),
        runClean(other, options, { batchSize: 5 }),
      ]);
      const deleted = [...first.deletedVersions, ...second.deletedVersions].map((v) => v.number);
      // the old versions and 'first', each reported by one of the two
      expect(deleted).toHaveLength(seeded + 1);
      expect(new Set(deleted).size).toBe(seeded + 1);
      const left = await db.selectFrom('versions').select('number').execute();
      expect(left.map((v) => v.number)).toEqual(['kept']);
    } finally {
      await other.close();
    }
  });
});

describe.each(databaseKinds())('the clean on a schedule (%s)', (kind) => {
  const time = fakeClock('2026-12-07T18:00:00Z');
  const scheduled = brokerHarness((database) =>
    startBroker({
      port: 0,
      database,
      clean: {
        enabled: true,
        schedule: parseCron('15 2 * * *'),
        clock: time.clock,
        ...clean({ keepVersionSelectors: [{ latest: true }] }),
      },
    }),
  );
  scheduled.runOn(kind);

  it('runs at the scheduled time, not before', async () => {
    for (const version of ['1', '2', '3'])
      expect(
        (
          await scheduled.call(
            'PUT',
            `/pacts/provider/Orders/consumer/Web/version/${version}`,
            pactFixture({ consumer: 'Web', provider: 'Orders' }),
          )
        ).status,
      ).toBeLessThan(300);
    const versions = async () =>
      (
        await scheduled.running.database.db.selectFrom('versions').select('number').orderBy('id').execute()
      ).map((v) => v.number);
    await time.advance(8 * 3_600_000);
    expect(await versions()).toEqual(['1', '2', '3']);
    await time.advance(15 * 60_000);
    await vi.waitFor(async () => expect(await versions()).toEqual(['3']), { timeout: 10_000 });
    expect((await scheduled.call('GET', '/pacts/provider/Orders/consumer/Web/latest')).status).toBe(200);
  });
});

/**
 * Holds a transaction open on a connection of its own, having run `statement`, until `release`
 * rolls it back: a barrier that stops a broker's write at a chosen statement (PostgreSQL).
 */
async function barrier(location: string, statement: string, values: unknown[]) {
  const [holder, watcher] = [new pg.Client(location), new pg.Client(location)];
  await Promise.all([holder.connect(), watcher.connect()]);
  await holder.query('BEGIN');
  await holder.query(statement, values);
  return {
    /** Resolves once `count` sessions of the database wait for a lock. */
    waiters: (count: number) =>
      vi.waitFor(
        async () => {
          const { rows } = await watcher.query(
            "SELECT COUNT(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
          );
          expect(rows[0].waiting).toBeGreaterThanOrEqual(count);
        },
        { timeout: 10_000, interval: 20 },
      ),
    release: async () => {
      await holder.query('ROLLBACK');
      await Promise.all([holder.end(), watcher.end()]);
    },
  };
}

// The race the clean must not lose: a write has looked up an existing version (or pact content)
// and not yet inserted the row referring to it when a clean deletes it. A barrier transaction
// stops the write at that point, deterministically, while the clean runs.
describe.runIf(databaseKinds().includes('postgres'))('writes racing a clean (postgres)', () => {
  broker.runOn('postgres');
  const keepLatest = clean({ keepVersionSelectors: parseKeepSelectors('[{"latest": true}]') });
  const idOf = async (name: string) =>
    (
      await broker.running.database.db
        .selectFrom('pacticipants')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirstOrThrow()
    ).id;
  const oldVersion = async (pacticipant: string, number: string) =>
    broker.running.database.db
      .insertInto('versions')
      .values({ pacticipant_id: await idOf(pacticipant), number, build_url: null, created_at: daysAgo(200) })
      .execute();
  const versionNumbers = async (pacticipant: string) =>
    (
      await broker.running.database.db
        .selectFrom('versions')
        .select('number')
        .where('pacticipant_id', '=', await idOf(pacticipant))
        .orderBy('id')
        .execute()
    ).map((v) => v.number);

  it('a publish to a version the clean would delete succeeds, and the clean leaves that version', async () => {
    const { db } = broker.running.database;
    // the sha the publish below computes: its content, published once and deleted again
    expect((await publish('Web', 'probe', ['b'])).status).toBe(201);
    const probe = await db
      .selectFrom('pact_versions')
      .select(['sha', 'consumer_id', 'provider_id'])
      .executeTakeFirstOrThrow();
    await db.deleteFrom('versions').execute();
    await db.deleteFrom('pact_versions').execute();
    await oldVersion('Web', 'old');
    expect((await publish('Web', 'kept', ['k'])).status).toBe(201);
    // an uncommitted copy of that content: the publish waits on it after it has looked 'old' up
    const gate = await barrier(
      broker.testDatabase.location,
      'INSERT INTO pact_versions (consumer_id, provider_id, sha, content, created_at) VALUES ($1, $2, $3, $4, $5)',
      [probe.consumer_id, probe.provider_id, probe.sha, '{}', daysAgo(0)],
    );
    const publishing = publish('Web', 'old', ['b']);
    await gate.waiters(1);
    const report = await runClean(broker.running.database, keepLatest);
    await gate.release();
    const answer = await publishing;
    expect(answer.status, JSON.stringify(answer.json)).toBe(201);
    // the version the publish was adding a pact to was skipped, and is left for the next run
    expect(report.deletedVersions.map((v) => v.number)).toEqual([]);
    expect(await versionNumbers('Web')).toEqual(['old', 'kept']);
    expect((await call('GET', '/pacts/provider/Orders/consumer/Web/version/old')).status).toBe(200);
  });

  it('a verification by a provider version the clean deletes succeeds, creating that version again', async () => {
    const { db } = broker.running.database;
    expect((await publish('Mobile', '1', ['m'])).status).toBe(201);
    await oldVersion('Orders', 'p-old');
    await db
      .insertInto('versions')
      .values({
        pacticipant_id: await idOf('Orders'),
        number: 'p-new',
        build_url: null,
        created_at: daysAgo(0),
      })
      .execute();
    const pact = (await call('GET', '/pacts/provider/Orders/consumer/Mobile/version/1')).json;
    const results = new URL(pact._links['pb:publish-verification-results'].href).pathname;
    const pactVersionId = (
      await db
        .selectFrom('pact_publications as pp')
        .innerJoin('versions as v', 'v.id', 'pp.consumer_version_id')
        .select('pp.pact_version_id')
        .where('v.number', '=', '1')
        .executeTakeFirstOrThrow()
    ).pact_version_id;
    // the verification waits on its pact's content, locked by the barrier, while the clean runs
    const gate = await barrier(
      broker.testDatabase.location,
      'SELECT id FROM pact_versions WHERE id = $1 FOR UPDATE',
      [pactVersionId],
    );
    const verifying = call('POST', results, { success: true, providerApplicationVersion: 'p-old' });
    await gate.waiters(1);
    const report = await runClean(broker.running.database, keepLatest);
    await gate.release();
    const answer = await verifying;
    expect(answer.status, JSON.stringify(answer.json)).toBe(201);
    expect(report.deletedVersions.map((v) => v.number)).toContain('p-old');
    // deleted by the clean before the verification took it: the verification made it anew
    expect(await versionNumbers('Orders')).toEqual(['p-new', 'p-old']);
    const matrix = await call('GET', '/matrix?q[][pacticipant]=Mobile&q[][version]=1&latestby=cvp');
    expect(
      matrix.json.matrix.map(
        (row: { provider: { version: { number: string } } }) => row.provider.version.number,
      ),
    ).toEqual(['p-old']);
  });
});

describe.each(databaseKinds())('a write that loses a race (%s)', (kind) => {
  broker.runOn(kind);

  it('is the catalog 503 asking for the request again, not a 500, when a row it refers to is gone', async () => {
    const { database } = broker.running;
    const missingVersion = database.write((trx) =>
      trx
        .insertInto('tags')
        .values({ version_id: 987_654, pacticipant_id: 987_654, name: 'x', created_at: daysAgo(0) })
        .execute(),
    );
    await expect(missingVersion).rejects.toMatchObject({
      code: 'COV_BROKER_WRITE_RACED',
      status: 503,
      hint: expect.stringContaining('Send the same request again'),
    });
  });
});

describe.each(databaseKinds())('writes to versions a clean is deleting (%s)', (kind) => {
  broker.runOn(kind);

  it('publishes, tags, branches and verifications on them all succeed, round after round', async () => {
    const { db } = broker.running.database;
    expect((await publish('Mobile', '1', ['m'])).status).toBe(201);
    const ids = await db.selectFrom('pacticipants').select(['id', 'name']).execute();
    const idOf = (name: string) => ids.find((p) => p.name === name)!.id;
    const rounds = 40;
    const old = daysAgo(200);
    // Web's versions, each alone on a branch of its own, and Orders' versions: all old, none kept
    for (let i = 0; i < rounds; i++) {
      const web = await db
        .insertInto('versions')
        .values({ pacticipant_id: idOf('Mobile'), number: `old-${i}`, build_url: null, created_at: old })
        .returning('id')
        .executeTakeFirstOrThrow();
      const branch = await db
        .insertInto('branches')
        .values({ pacticipant_id: idOf('Mobile'), name: `feat-${i}`, created_at: old })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('branch_versions')
        .values({ branch_id: branch.id, version_id: web.id, pacticipant_id: idOf('Mobile'), created_at: old })
        .execute();
      await db
        .insertInto('versions')
        .values({ pacticipant_id: idOf('Orders'), number: `p-${i}`, build_url: null, created_at: old })
        .execute();
    }
    // the pact verified below stays: its consumer's only version, so its latest
    expect((await publish('Kept', '1', ['k'])).status).toBe(201);
    const pact = (await call('GET', '/pacts/provider/Orders/consumer/Kept/version/1')).json;
    const results = new URL(pact._links['pb:publish-verification-results'].href).pathname;
    let writing = true;
    const cleans = (async () => {
      let runs = 0;
      while (writing || runs === 0) {
        await runClean(broker.running.database, clean({ keepVersionSelectors: [{ latest: true }] }), {
          batchSize: 3,
        });
        runs += 1;
      }
      return runs;
    })();
    const failures: string[] = [];
    for (let i = 0; i < rounds; i++) {
      const answers = await Promise.all([
        publish('Mobile', `old-${i}`, [`round ${i}`]),
        call('PUT', `/pacticipants/Mobile/versions/old-${i}/tags/t${i}`),
        call('PUT', `/pacticipants/Mobile/branches/feat-${i}/versions/old-${i}`),
        call('POST', results, { success: true, providerApplicationVersion: `p-${i}` }),
      ]);
      for (const answer of answers)
        if (answer.status >= 300)
          failures.push(`round ${i}: ${answer.status} ${JSON.stringify(answer.json)}`);
    }
    writing = false;
    expect(await cleans).toBeGreaterThan(1);
    expect(failures).toEqual([]);
  }, 60_000);
});

describe.each(databaseKinds())("the clean's deletes recheck their candidates (%s)", (kind) => {
  broker.runOn(kind);

  it('leave a version, branch or pact content that a write committed since they were chosen made kept', async () => {
    const { db } = broker.running.database;
    expect((await publish('Web', 'old', ['a'])).status).toBe(201);
    const web = await db
      .selectFrom('pacticipants')
      .select(['id'])
      .where('name', '=', 'Web')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('versions')
      .values({ pacticipant_id: web.id, number: 'gone', build_url: null, created_at: daysAgo(0) })
      .execute();
    expect((await publish('Web', 'latest', ['b'])).status).toBe(201);
    await db
      .updateTable('versions')
      .set({ created_at: daysAgo(200) })
      .execute();
    const selectors = parseKeepSelectors('[{"latest": true}, {"tag": "prod"}]');
    const cutoff = () => daysAgo(0);
    const idsOf = async (table: 'versions' | 'branches' | 'pact_versions') =>
      (await db.selectFrom(table).select('id').orderBy('id').execute()).map((r) => r.id);
    const [oldId, goneId, latestId] = (await idsOf('versions')) as [number, number, number];
    // chosen as candidates (as on a snapshot taken before this write): then 'old' got the kept tag
    expect((await call('PUT', '/pacticipants/Web/versions/old/tags/prod')).status).toBe(201);
    const deleted = await broker.running.database.write((trx) =>
      deleteVersionsStillNotKept(trx, [oldId, goneId, latestId], selectors, cutoff),
    );
    expect(deleted).toEqual([goneId]);
    expect(await idsOf('versions')).toEqual([oldId, latestId]);
    // an empty branch, and one that got a version since
    await db
      .insertInto('branches')
      .values({ pacticipant_id: web.id, name: 'empty', created_at: daysAgo(0) })
      .execute();
    expect((await call('PUT', '/pacticipants/Web/branches/feat/versions/old')).status).toBe(200);
    const branches = await idsOf('branches');
    expect(await broker.running.database.write((trx) => deleteBranches(trx, branches))).toBe(1);
    expect((await db.selectFrom('branches').select('name').execute()).map((b) => b.name)).toEqual(['feat']);
    // the contents of the two pacts, referred to, and one nothing refers to
    const referred = await idsOf('pact_versions');
    const provider = await db
      .selectFrom('pacticipants')
      .select(['id'])
      .where('name', '=', 'Orders')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('pact_versions')
      .values({
        consumer_id: web.id,
        provider_id: provider.id,
        sha: 'orphan',
        content: '{}',
        created_at: daysAgo(0),
      })
      .execute();
    const contents = await idsOf('pact_versions');
    expect(await broker.running.database.write((trx) => deletePactVersions(trx, contents))).toBe(1);
    expect(await idsOf('pact_versions')).toEqual(referred);
  });
});
