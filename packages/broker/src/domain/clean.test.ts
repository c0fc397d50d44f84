import { createTestDatabase, databaseKinds, type TestDatabase } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerDatabase, openDatabase } from '../db/connect.js';
import {
  ALWAYS_KEPT,
  cleanConfigFromEnv,
  DEFAULT_KEEP_VERSION_SELECTORS_JSON,
  type KeepSelector,
  parseKeepSelectors,
  runClean,
} from './clean.js';

const NOW = new Date('2026-06-01T00:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

/**
 * The fixture: two pacticipants' versions, with their age in days, tags, branches and deployments.
 * Web's main branch is `main`; Api has none. Versions are created in this order (ids rise with it).
 */
const FIXTURE: Array<{
  pacticipant: 'Web' | 'Api';
  number: string;
  age: number;
  tags?: string[];
  branches?: string[];
  deployed?: { environment: string; undeployed?: true };
  released?: { environment: string; supportEnded?: true };
}> = [
  { pacticipant: 'Web', number: 'w1', age: 200, tags: ['prod'], branches: ['main'] },
  { pacticipant: 'Web', number: 'w2', age: 150, tags: ['prod'], branches: ['main'] },
  { pacticipant: 'Web', number: 'w3', age: 120, branches: ['feat-a'] },
  { pacticipant: 'Web', number: 'w4', age: 101, deployed: { environment: 'test' } },
  { pacticipant: 'Web', number: 'w5', age: 95, deployed: { environment: 'production', undeployed: true } },
  { pacticipant: 'Web', number: 'w6', age: 93, released: { environment: 'production', supportEnded: true } },
  { pacticipant: 'Web', number: 'w7', age: 92, released: { environment: 'production' } },
  { pacticipant: 'Web', number: 'w8', age: 60, tags: ['test'], branches: ['main'] },
  { pacticipant: 'Web', number: 'w9', age: 10, branches: ['main'] },
  { pacticipant: 'Api', number: 'a1', age: 300, tags: ['prod'] },
  { pacticipant: 'Api', number: 'a2', age: 200 },
  { pacticipant: 'Api', number: 'a3', age: 99, branches: ['main'] },
];

/** Writes the fixture straight into the tables, with the ages it gives. */
async function seed(database: BrokerDatabase): Promise<void> {
  const { db } = database;
  const at = daysAgo(400);
  const ids = new Map<string, number>();
  for (const [name, mainBranch] of [
    ['Web', 'main'],
    ['Api', null],
  ] as const) {
    const row = await db
      .insertInto('pacticipants')
      .values({
        name,
        main_branch: mainBranch,
        created_at: at,
        updated_at: at,
        display_name: null,
        repository_url: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.set(name, row.id);
  }
  const environments = new Map<string, number>();
  for (const [index, name] of ['test', 'production'].entries()) {
    const row = await db
      .insertInto('environments')
      .values({
        uuid: `env-${index}`,
        name,
        production: index,
        created_at: at,
        updated_at: at,
        display_name: null,
        contacts: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    environments.set(name, row.id);
  }
  const branches = new Map<string, number>();
  for (const [index, v] of FIXTURE.entries()) {
    const pacticipantId = ids.get(v.pacticipant)!;
    const created = daysAgo(v.age);
    const { id } = await db
      .insertInto('versions')
      .values({ pacticipant_id: pacticipantId, number: v.number, build_url: null, created_at: created })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const tag of v.tags ?? [])
      await db
        .insertInto('tags')
        .values({ version_id: id, pacticipant_id: pacticipantId, name: tag, created_at: created })
        .execute();
    for (const branch of v.branches ?? []) {
      const key = `${v.pacticipant}/${branch}`;
      if (!branches.has(key)) {
        const row = await db
          .insertInto('branches')
          .values({ pacticipant_id: pacticipantId, name: branch, created_at: created })
          .returning('id')
          .executeTakeFirstOrThrow();
        branches.set(key, row.id);
      }
      await db
        .insertInto('branch_versions')
        .values({
          branch_id: branches.get(key)!,
          version_id: id,
          pacticipant_id: pacticipantId,
          created_at: created,
        })
        .execute();
    }
    if (v.deployed)
      await db
        .insertInto('deployed_versions')
        .values({
          uuid: `d-${index}`,
          version_id: id,
          pacticipant_id: pacticipantId,
          environment_id: environments.get(v.deployed.environment)!,
          application_instance: null,
          undeployed_at: v.deployed.undeployed ? created : null,
          created_at: created,
        })
        .execute();
    if (v.released)
      await db
        .insertInto('released_versions')
        .values({
          uuid: `r-${index}`,
          version_id: id,
          pacticipant_id: pacticipantId,
          environment_id: environments.get(v.released.environment)!,
          support_ended_at: v.released.supportEnded ? created : null,
          created_at: created,
        })
        .execute();
  }
}

async function versionNumbers(database: BrokerDatabase): Promise<string[]> {
  const rows = await database.db.selectFrom('versions').select('number').orderBy('id').execute();
  return rows.map((r) => r.number);
}

const ALL = FIXTURE.map((v) => v.number);
const options = (
  keepVersionSelectors: KeepSelector[],
  extra: { deletionLimit?: number; dryRun?: boolean } = {},
) => ({
  keepVersionSelectors,
  deletionLimit: extra.deletionLimit ?? 1000,
  overwrittenDataMaxAgeDays: 7,
  dryRun: extra.dryRun ?? true,
});

describe('keep selectors', () => {
  it('reads the reference JSON, snake_case or camelCase, into selectors', () => {
    expect(parseKeepSelectors(DEFAULT_KEEP_VERSION_SELECTORS_JSON)).toEqual([
      { latest: true, tag: true },
      { latest: true, branch: true },
      { latest: true },
      { deployed: true },
      { released: true },
      { maxAgeDays: 90 },
    ]);
    expect(
      parseKeepSelectors(
        '[{"pacticipant_name": "Web", "main_branch": true, "latest": true}, {"environmentName": "prod", "maxAge": 5, "deployed": false}]',
      ),
    ).toEqual([
      { pacticipant: 'Web', mainBranch: true, latest: true },
      { environment: 'prod', maxAgeDays: 5 },
    ]);
  });

  it.each([
    ['not JSON', '[{latest: true}]', /is not JSON/],
    ['not an array', '{"latest": true}', /non-empty JSON array/],
    ['an empty array', '[]', /non-empty JSON array/],
    ['a selector that is not an object', '[true]', /selector 1 that is not an object/],
    [
      'an unknown key',
      '[{"latest": true}, {"maxage": 90}]',
      /key 'maxage' in selector 2 that selects nothing/,
    ],
    [
      'a max age that is not whole days',
      '[{"max_age": "90"}]',
      /max_age "90" in selector 1: give a whole number of days/,
    ],
    ['a tag that is a number', '[{"tag": 3}]', /tag 3 in selector 1: give true or a name/],
    ['latest as a string', '[{"latest": "yes"}]', /latest "yes" in selector 1: give true or false/],
    ['an empty selector', '[{}]', /names nothing, and would keep every version/],
  ])('refuses %s with COV_BROKER_CLEAN_CONFIG_INVALID', (_, json, message) => {
    expect(() => parseKeepSelectors(json)).toThrow(
      expect.objectContaining({
        code: 'COV_BROKER_CLEAN_CONFIG_INVALID',
        message: expect.stringMatching(message),
      }),
    );
  });

  it("takes the reference image's variables and defaults", () => {
    const defaults = cleanConfigFromEnv({});
    expect(defaults).toMatchObject({
      enabled: false,
      deletionLimit: 500,
      overwrittenDataMaxAgeDays: 7,
      dryRun: false,
    });
    expect(defaults.schedule.expression).toBe('15 2 * * *');
    expect(defaults.keepVersionSelectors).toEqual(parseKeepSelectors(DEFAULT_KEEP_VERSION_SELECTORS_JSON));
    const set = cleanConfigFromEnv({
      PACT_BROKER_DATABASE_CLEAN_ENABLED: 'true',
      PACT_BROKER_DATABASE_CLEAN_CRON_SCHEDULE: '*/5 * * * *',
      PACT_BROKER_DATABASE_CLEAN_DELETION_LIMIT: '20',
      PACT_BROKER_DATABASE_CLEAN_OVERWRITTEN_DATA_MAX_AGE: '0',
      PACT_BROKER_DATABASE_CLEAN_DRY_RUN: 'TRUE',
      PACT_BROKER_DATABASE_CLEAN_KEEP_VERSION_SELECTORS: '[{"max_age": 30}]',
    });
    expect(set).toMatchObject({
      enabled: true,
      deletionLimit: 20,
      overwrittenDataMaxAgeDays: 0,
      dryRun: true,
      keepVersionSelectors: [{ maxAgeDays: 30 }],
    });
    expect(set.schedule.expression).toBe('*/5 * * * *');
  });

  it.each([
    ['PACT_BROKER_DATABASE_CLEAN_ENABLED', 'yes', /'yes' is not true or false/],
    ['PACT_BROKER_DATABASE_CLEAN_DELETION_LIMIT', '0', /'0' is not a whole number of 1 or more/],
    ['PACT_BROKER_DATABASE_CLEAN_OVERWRITTEN_DATA_MAX_AGE', '7d', /'7d' is not a whole number/],
    ['PACT_BROKER_DATABASE_CLEAN_CRON_SCHEDULE', '15 2 * *', /has 4 fields; give five/],
    ['PACT_BROKER_DATABASE_CLEAN_KEEP_VERSION_SELECTORS', '[{"latest": true}', /is not JSON/],
  ])('refuses %s=%s, naming the variable', (variable, value, message) => {
    expect(() => cleanConfigFromEnv({ [variable]: value })).toThrow(
      expect.objectContaining({
        code: 'COV_BROKER_CLEAN_CONFIG_INVALID',
        message: expect.stringMatching(new RegExp(`${variable}[^]*${message.source}`)),
        details: expect.objectContaining({ variable }),
      }),
    );
  });
});

describe.each(databaseKinds())('which versions each selector keeps (%s)', (kind) => {
  let testDatabase: TestDatabase;
  let database: BrokerDatabase;
  beforeAll(async () => {
    testDatabase = await createTestDatabase(kind);
    database = await openDatabase(testDatabase.location);
    await seed(database);
  });
  afterAll(async () => {
    await database.close();
    await testDatabase.drop();
  });

  /** The versions a dry run with only this selector (and the always-kept ones) would keep. */
  const keptBy = async (selector: KeepSelector) => {
    const report = await runClean(database, options([selector]), { now: () => NOW });
    const deleted = new Set(report.deletedVersions.map((v) => v.number));
    return ALL.filter((n) => !deleted.has(n));
  };
  const always = ['w4', 'w7'];
  const sorted = (numbers: string[]) => [...new Set([...numbers, ...always])].sort();

  it.each<[string, KeepSelector, string[]]>([
    ['the latest version of each tag', { tag: true, latest: true }, ['w2', 'w8', 'a1']],
    ['the latest version of each branch', { branch: true, latest: true }, ['w9', 'w3', 'a3']],
    ["each pacticipant's latest version", { latest: true }, ['w9', 'a3']],
    ['the versions currently deployed (only these: w5 was undeployed)', { deployed: true }, []],
    ['the versions currently released (w6 is no longer supported)', { released: true }, []],
    ['the versions younger than 90 days', { maxAgeDays: 90 }, ['w8', 'w9']],
    ['the versions younger than 100 days', { maxAgeDays: 100 }, ['w5', 'w6', 'w7', 'w8', 'w9', 'a3']],
    ['every version with the tag prod', { tag: 'prod' }, ['w1', 'w2', 'a1']],
    ['the latest version with the tag prod, per pacticipant', { tag: 'prod', latest: true }, ['w2', 'a1']],
    ['every version on a branch main', { branch: 'main' }, ['w1', 'w2', 'w8', 'w9', 'a3']],
    [
      'the latest version on the main branch (Api has none declared)',
      { mainBranch: true, latest: true },
      ['w9'],
    ],
    ["one pacticipant's latest version", { pacticipant: 'Api', latest: true }, ['a3']],
    ['every version of one pacticipant with a tag', { pacticipant: 'Web', tag: true }, ['w1', 'w2', 'w8']],
    ['the versions in an environment', { environment: 'production' }, ['w7']],
    ['branch versions younger than 150 days', { branch: true, maxAgeDays: 150 }, ['w3', 'w8', 'w9', 'a3']],
  ])('%s', async (_, selector, kept) => {
    expect((await keptBy(selector)).sort()).toEqual(sorted(kept));
  });

  it('keeps what any selector keeps, and counts what each keeps', async () => {
    const report = await runClean(
      database,
      options(parseKeepSelectors(DEFAULT_KEEP_VERSION_SELECTORS_JSON)),
      {
        now: () => NOW,
      },
    );
    expect(report.deletedVersions.map((v) => v.number)).toEqual(['w1', 'w5', 'w6', 'a2']);
    expect(report.deletedVersions[0]).toEqual({ pacticipant: 'Web', number: 'w1', createdAt: daysAgo(200) });
    expect(report.versions).toMatchObject({ total: 12, kept: 8, notKept: 4, deleted: 4 });
    expect(report.versions.keptBySelector).toEqual([
      { selector: { latest: true, tag: true }, count: 3 },
      { selector: { latest: true, branch: true }, count: 3 },
      { selector: { latest: true }, count: 2 },
      { selector: { deployed: true }, count: 1 },
      { selector: { released: true }, count: 1 },
      { selector: { max_age: 90 }, count: 2 },
      { selector: { deployed: true }, count: 1, always: true },
      { selector: { released: true }, count: 1, always: true },
    ]);
    // a dry run deletes nothing
    expect(await versionNumbers(database)).toEqual(ALL);
  });

  it('a dry run lists at most the deletion limit, oldest first', async () => {
    const report = await runClean(database, options([{ latest: true }], { deletionLimit: 3 }), {
      now: () => NOW,
    });
    expect(report.deletedVersions.map((v) => v.number)).toEqual(['w1', 'w2', 'w3']);
    expect(report.versions).toMatchObject({ notKept: 8, deleted: 3 });
  });

  it('deletes in transactions of the batch size up to the limit, and always keeps deployed and released versions', async () => {
    expect(ALWAYS_KEPT).toEqual([{ deployed: true }, { released: true }]);
    const first = await runClean(
      database,
      options([{ maxAgeDays: 90 }], { dryRun: false, deletionLimit: 5 }),
      {
        now: () => NOW,
        batchSize: 2,
      },
    );
    expect(first.deletedVersions.map((v) => v.number)).toEqual(['w1', 'w2', 'w3', 'w5', 'w6']);
    expect(first.transactions).toBeGreaterThanOrEqual(3);
    expect(await versionNumbers(database)).toEqual(['w4', 'w7', 'w8', 'w9', 'a1', 'a2', 'a3']);
    // feat-a lost its only version, w3
    expect(first.emptyBranches).toBe(1);
    const second = await runClean(
      database,
      options([{ maxAgeDays: 90 }], { dryRun: false, deletionLimit: 5 }),
      {
        now: () => NOW,
        batchSize: 2,
      },
    );
    expect(second.deletedVersions.map((v) => v.number)).toEqual(['a1', 'a2', 'a3']);
    // deployed w4 and released w7 stay though the only selector is max_age 90
    expect(await versionNumbers(database)).toEqual(['w4', 'w7', 'w8', 'w9']);
    // their tags and branch memberships went with them, and Api's main branch, left empty
    const tags = await database.db.selectFrom('tags').select('name').execute();
    expect(tags.map((t) => t.name)).toEqual(['test']);
    expect(second.emptyBranches).toBe(1);
    const branches = await database.db
      .selectFrom('branches as b')
      .innerJoin('pacticipants as p', 'p.id', 'b.pacticipant_id')
      .select(['p.name as pacticipant', 'b.name'])
      .execute();
    expect(branches).toEqual([{ pacticipant: 'Web', name: 'main' }]);
  });
});
