import {
  type CleanCandidate,
  type Cutoff,
  countKeptBy,
  deleteBranches,
  deleteOverwritten,
  deletePactVersions,
  deleteVersionsStillNotKept,
  emptyBranchIds,
  type KeepSelector,
  type OverwrittenKind,
  orphanPactVersionIds,
  overwrittenIds,
  versionCounts,
  versionsNotKept,
} from '../db/clean-repo.js';
import type { BrokerDatabase } from '../db/connect.js';
import { deleteVersions } from '../db/deletions-repo.js';
import { brokerError } from '../errors.js';
import { type CronSchedule, parseCron } from './cron.js';

// The database clean (the reference's `pact_broker:db:clean`, CleanIncremental and
// DeleteOverwrittenData): which versions the keep selectors keep, and the run that deletes the
// others in small transactions while the broker serves traffic.

export type { KeepSelector } from '../db/clean-repo.js';

/** How a clean runs: the reference image's PACT_BROKER_DATABASE_CLEAN_* variables, read. */
export interface CleanOptions {
  /** Versions no selector keeps are deleted, oldest first; deployed and released ones are always kept. */
  keepVersionSelectors: KeepSelector[];
  /** At most this many versions (and this many rows of each overwritten kind) deleted per run. */
  deletionLimit: number;
  /** Overwritten pact revisions, verification results and webhook deliveries older than this many days go. */
  overwrittenDataMaxAgeDays: number;
  /** Report what would be deleted; delete nothing. */
  dryRun: boolean;
}

/** The clean the broker runs on a schedule. */
export interface CleanConfig extends CleanOptions {
  /** Whether `covenant broker` runs the clean on the schedule (PACT_BROKER_DATABASE_CLEAN_ENABLED). */
  enabled: boolean;
  schedule: CronSchedule;
}

/** The reference image's default keep selectors, in its JSON. */
export const DEFAULT_KEEP_VERSION_SELECTORS_JSON =
  '[{"latest": true, "tag": true}, {"latest": true, "branch": true}, {"latest": true}, {"deployed": true}, {"released": true}, {"max_age": 90}]';

/**
 * Kept whatever the selectors say (unlike the reference, which deletes a deployed or released
 * version once its selectors leave these out): what runs in an environment stays answerable.
 */
export const ALWAYS_KEPT: KeepSelector[] = [{ deployed: true }, { released: true }];

const invalid = (variable: string, value: string, why: string) =>
  brokerError('COV_BROKER_CLEAN_CONFIG_INVALID', `${variable} '${value}' ${why}`, { variable, value });

const SELECTORS = 'PACT_BROKER_DATABASE_CLEAN_KEEP_VERSION_SELECTORS';

/** The keys a selector may have, as the reference spells them (snake_case) and in camelCase. */
const KEYS: Record<string, keyof KeepSelector> = {
  pacticipant: 'pacticipant',
  pacticipant_name: 'pacticipant',
  pacticipantName: 'pacticipant',
  tag: 'tag',
  branch: 'branch',
  main_branch: 'mainBranch',
  mainBranch: 'mainBranch',
  environment: 'environment',
  environment_name: 'environment',
  environmentName: 'environment',
  deployed: 'deployed',
  released: 'released',
  max_age: 'maxAgeDays',
  maxAge: 'maxAgeDays',
  latest: 'latest',
};

/**
 * Reads the keep selectors from the reference's JSON: an array of objects whose keys are
 * pacticipant (or pacticipant_name), tag and branch (true or a name), main_branch, environment,
 * deployed, released, max_age (days) and latest. Throws COV_BROKER_CLEAN_CONFIG_INVALID naming the
 * selector and key at fault.
 *
 * @example parseKeepSelectors('[{"branch": true, "latest": true}, {"max_age": 90}]')
 * // [{ branch: true, latest: true }, { maxAgeDays: 90 }]
 */
export function parseKeepSelectors(json: string, variable = SELECTORS): KeepSelector[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw invalid(
      variable,
      json,
      `is not JSON (${(error as Error).message}): give an array of selectors, e.g. ${DEFAULT_KEEP_VERSION_SELECTORS_JSON}`,
    );
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw invalid(
      variable,
      json,
      `is not a non-empty JSON array of selectors, e.g. ${DEFAULT_KEEP_VERSION_SELECTORS_JSON}`,
    );
  return parsed.map((entry: unknown, index) => {
    const at = `selector ${index + 1}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw invalid(variable, json, `has a ${at} that is not an object`);
    const selector: KeepSelector = {};
    for (const [key, value] of Object.entries(entry)) {
      const field = KEYS[key];
      if (field === undefined)
        throw invalid(
          variable,
          json,
          `has a key '${key}' in ${at} that selects nothing; the keys are pacticipant, tag, branch, main_branch, environment, deployed, released, max_age and latest`,
        );
      const bad = (what: string) =>
        invalid(variable, json, `has ${key} ${JSON.stringify(value)} in ${at}: give ${what}`);
      switch (field) {
        case 'tag':
        case 'branch':
          if (value === true || (typeof value === 'string' && value.trim() !== '')) selector[field] = value;
          else if (value !== false) throw bad('true or a name');
          break;
        case 'pacticipant':
        case 'environment':
          if (typeof value !== 'string' || value.trim() === '') throw bad('a name');
          selector[field] = value;
          break;
        case 'maxAgeDays':
          if (!Number.isInteger(value) || (value as number) < 0) throw bad('a whole number of days');
          selector.maxAgeDays = value as number;
          break;
        default:
          if (typeof value !== 'boolean') throw bad('true or false');
          if (value) selector[field] = true;
      }
    }
    if (Object.keys(selector).length === 0)
      throw invalid(variable, json, `has a ${at} that names nothing, and would keep every version`);
    return selector;
  });
}

/**
 * The clean configuration the reference image's variables give, with its defaults: off,
 * "15 2 * * *", 500 versions a run, overwritten data kept 7 days, no dry run, and the default
 * selectors. Throws COV_BROKER_CLEAN_CONFIG_INVALID naming the variable at fault.
 *
 * @example cleanConfigFromEnv({ PACT_BROKER_DATABASE_CLEAN_ENABLED: 'true', PACT_BROKER_DATABASE_CLEAN_CRON_SCHEDULE: '0 * * * *' })
 */
export function cleanConfigFromEnv(env: Record<string, string | undefined>): CleanConfig {
  const read = (suffix: string) => {
    const value = env[`PACT_BROKER_DATABASE_CLEAN_${suffix}`]?.trim();
    return value === '' ? undefined : value;
  };
  const flag = (suffix: string): boolean => {
    const value = read(suffix);
    if (value === undefined) return false;
    if (/^true$/i.test(value)) return true;
    if (/^false$/i.test(value)) return false;
    throw invalid(`PACT_BROKER_DATABASE_CLEAN_${suffix}`, value, 'is not true or false');
  };
  const whole = (suffix: string, fallback: number, min: number) => {
    const value = read(suffix);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min)
      throw invalid(`PACT_BROKER_DATABASE_CLEAN_${suffix}`, value, `is not a whole number of ${min} or more`);
    return Number(value);
  };
  return {
    enabled: flag('ENABLED'),
    schedule: parseCron(read('CRON_SCHEDULE') ?? '15 2 * * *'),
    deletionLimit: whole('DELETION_LIMIT', 500, 1),
    overwrittenDataMaxAgeDays: whole('OVERWRITTEN_DATA_MAX_AGE', 7, 0),
    dryRun: flag('DRY_RUN'),
    keepVersionSelectors: parseKeepSelectors(
      read('KEEP_VERSION_SELECTORS') ?? DEFAULT_KEEP_VERSION_SELECTORS_JSON,
    ),
  };
}

/** A selector in the reference's JSON spelling, for reports. */
function selectorJson(selector: KeepSelector): Record<string, unknown> {
  const { maxAgeDays, mainBranch, ...rest } = selector;
  return {
    ...rest,
    ...(mainBranch ? { main_branch: true } : {}),
    ...(maxAgeDays !== undefined ? { max_age: maxAgeDays } : {}),
  };
}

/** What a clean deleted, or (dry run) would delete. */
export interface CleanReport {
  dryRun: boolean;
  versions: {
    /** Versions in the database before the run. */
    total: number;
    /** Versions the selectors (and the always-kept deployed and released ones) keep. */
    kept: number;
    /** Versions no selector keeps (the run deletes at most the deletion limit of them). */
    notKept: number;
    /** Versions deleted (or that would be), at most the deletion limit. */
    deleted: number;
    /** How many versions each selector keeps; `always` marks the ones Covenant adds. */
    keptBySelector: Array<{ selector: Record<string, unknown>; count: number; always?: true }>;
  };
  /** The versions deleted (or that would be), oldest first. */
  deletedVersions: Array<Omit<CleanCandidate, 'id'>>;
  /** Overwritten rows older than the max age, deleted (or that would be). */
  overwritten: Record<OverwrittenKind, number>;
  /** Pact contents nothing refers to any more, deleted (dry run: those that already are). */
  orphanPactContents: number;
  /** Branches left with no version, deleted (dry run: those that already are). */
  emptyBranches: number;
  /** Transactions the run committed. */
  transactions: number;
}

/** Rows per transaction: small, so that a publish waits at most one short batch. */
const DEFAULT_BATCH_SIZE = 50;

/**
 * Runs a clean: deletes the oldest versions no keep selector keeps (deployed and released ones are
 * always kept), then overwritten data older than the max age, then the pact contents left
 * unreferenced and the branches left with no version, each in transactions of `batchSize` rows and at most `deletionLimit` per kind. Each
 * transaction decides afresh what to delete, so data published meanwhile is judged as it stands.
 * With `dryRun`, reports the same and deletes nothing.
 *
 * @example
 * const report = await runClean(database, { ...cleanConfigFromEnv(process.env), dryRun: true });
 * console.log(`${report.versions.deleted} versions would go`);
 */
export async function runClean(
  database: BrokerDatabase,
  options: CleanOptions,
  context: { now?: () => Date; batchSize?: number } = {},
): Promise<CleanReport> {
  const now = (context.now ?? (() => new Date()))();
  const cutoff: Cutoff = (days) => new Date(now.getTime() - days * 86_400_000).toISOString();
  const selectors = [...options.keepVersionSelectors, ...ALWAYS_KEPT];
  const batchSize = context.batchSize ?? DEFAULT_BATCH_SIZE;
  const lock = database.dialect === 'postgres';
  const { db } = database;
  const counts = await versionCounts(db, selectors, cutoff);
  const keptBySelector = await Promise.all(
    selectors.map(async (selector, index) => ({
      selector: selectorJson(selector),
      count: await countKeptBy(db, selector, cutoff),
      ...(index >= options.keepVersionSelectors.length ? { always: true as const } : {}),
    })),
  );
  const report: CleanReport = {
    dryRun: options.dryRun,
    versions: {
      total: counts.total,
      kept: counts.kept,
      notKept: counts.total - counts.kept,
      deleted: 0,
      keptBySelector,
    },
    deletedVersions: [],
    overwritten: { pactPublications: 0, verifications: 0, triggeredWebhooks: 0 },
    orphanPactContents: 0,
    emptyBranches: 0,
    transactions: 0,
  };
  const before = cutoff(options.overwrittenDataMaxAgeDays);
  const kinds: OverwrittenKind[] = ['pactPublications', 'verifications', 'triggeredWebhooks'];
  if (options.dryRun) {
    const versions = await versionsNotKept(db, selectors, cutoff, options.deletionLimit);
    report.deletedVersions = versions.map(({ id: _, ...version }) => version);
    report.versions.deleted = versions.length;
    for (const kind of kinds)
      report.overwritten[kind] = (await overwrittenIds(db, kind, before, options.deletionLimit)).length;
    report.orphanPactContents = (await orphanPactVersionIds(db, options.deletionLimit)).length;
    report.emptyBranches = (await emptyBranchIds(db, options.deletionLimit)).length;
    return report;
  }
  /** Runs `step` in transactions of up to batchSize rows until it finds fewer, or `limit` are done. */
  const inBatches = async (
    limit: number,
    step: (trx: BrokerDatabase['db'], size: number) => Promise<number>,
  ) => {
    let done = 0;
    while (done < limit) {
      const size = Math.min(batchSize, limit - done);
      const deleted = await database.write((trx) => step(trx, size));
      report.transactions += 1;
      done += deleted;
      if (deleted < size) break;
    }
    return done;
  };
  await inBatches(options.deletionLimit, async (trx, size) => {
    const candidates = await versionsNotKept(trx, selectors, cutoff, size, lock);
    const ids = candidates.map((v) => v.id);
    let versions = candidates;
    if (lock) {
      // chosen before they were locked: a write committed in between may have made some kept
      const deleted = new Set(await deleteVersionsStillNotKept(trx, ids, selectors, cutoff));
      versions = candidates.filter((v) => deleted.has(v.id));
    } else await deleteVersions(trx, ids);
    for (const { id: _, ...version } of versions) report.deletedVersions.push(version);
    // a batch is full when it found `size` candidates, even if some were kept on the recheck
    return candidates.length;
  });
  report.versions.deleted = report.deletedVersions.length;
  for (const kind of kinds)
    report.overwritten[kind] = await inBatches(options.deletionLimit, async (trx, size) =>
      deleteOverwritten(trx, kind, await overwrittenIds(trx, kind, before, size, lock)),
    );
  // pact contents and branches the deletions above left unreferenced: all of them, still in small transactions
  report.orphanPactContents = await inBatches(Number.POSITIVE_INFINITY, async (trx, size) =>
    deletePactVersions(trx, await orphanPactVersionIds(trx, size, lock)),
  );
  // a branch is made with its first version: one with none left is what deletions left behind
  report.emptyBranches = await inBatches(Number.POSITIVE_INFINITY, async (trx, size) =>
    deleteBranches(trx, await emptyBranchIds(trx, size, lock)),
  );
  return report;
}
