import { type RawBuilder, sql } from 'kysely';
import type { Db } from './pacticipants-repo.js';

// The queries of the database clean (domain/clean.ts has the rules): which versions the keep
// selectors keep, which are deleted first, and the overwritten and orphaned rows. Every candidate
// query takes a limit, so each transaction of a clean touches a bounded number of rows.

type Sql = RawBuilder<unknown>;

/**
 * One keep selector, normalised (domain/clean.ts reads them from the reference's JSON): the versions
 * matching every field given; with `latest`, only the newest of them per pacticipant (and per tag
 * name, per branch, when `tag` or `branch` is given).
 */
export interface KeepSelector {
  /** Only this pacticipant's versions. */
  pacticipant?: string;
  /** `true`: versions with any tag; a name: versions with that tag. */
  tag?: true | string;
  /** `true`: versions on any branch; a name: versions on that branch. */
  branch?: true | string;
  /** Versions on their pacticipant's main branch. */
  mainBranch?: true;
  /** Versions currently deployed or released (or, with `deployed`/`released`, that one) to this environment. */
  environment?: string;
  /** Versions currently deployed (not undeployed). */
  deployed?: true;
  /** Versions currently released (support not ended). */
  released?: true;
  /** Versions created within this many days. */
  maxAgeDays?: number;
  latest?: true;
}

/** When, as stored (ISO-8601 text), a version created `days` days ago was created. */
export type Cutoff = (days: number) => string;

const inEnvironment = (environment?: string) =>
  environment === undefined
    ? sql``
    : sql` AND x.environment_id IN (SELECT id FROM environments WHERE name = ${environment})`;

const currentlyDeployed = (environment?: string) =>
  sql`EXISTS (SELECT 1 FROM deployed_versions x WHERE x.version_id = v.id AND x.undeployed_at IS NULL${inEnvironment(environment)})`;

const currentlyReleased = (environment?: string) =>
  sql`EXISTS (SELECT 1 FROM released_versions x WHERE x.version_id = v.id AND x.support_ended_at IS NULL${inEnvironment(environment)})`;

/** The ids of the versions one selector keeps (an id may come more than once). */
function selectorIds(selector: KeepSelector, cutoff: Cutoff): Sql {
  const joins: Sql[] = [];
  const conditions: Sql[] = [sql`1 = 1`];
  // "latest" is the newest per pacticipant, and per tag name and branch when those are asked for
  const groups: Sql[] = [sql`v.pacticipant_id`];
  if (selector.pacticipant !== undefined)
    conditions.push(
      sql`v.pacticipant_id IN (SELECT id FROM pacticipants WHERE name = ${selector.pacticipant})`,
    );
  if (selector.tag !== undefined) {
    joins.push(sql`JOIN tags t ON t.version_id = v.id`);
    if (selector.tag !== true) conditions.push(sql`t.name = ${selector.tag}`);
    groups.push(sql`t.name`);
  }
  if (selector.branch !== undefined || selector.mainBranch) {
    joins.push(sql`JOIN branch_versions bv ON bv.version_id = v.id JOIN branches b ON b.id = bv.branch_id`);
    if (typeof selector.branch === 'string') conditions.push(sql`b.name = ${selector.branch}`);
    if (selector.mainBranch)
      conditions.push(sql`b.name = (SELECT main_branch FROM pacticipants mp WHERE mp.id = v.pacticipant_id)`);
    groups.push(sql`bv.branch_id`);
  }
  if (selector.deployed) conditions.push(currentlyDeployed(selector.environment));
  if (selector.released) conditions.push(currentlyReleased(selector.environment));
  if (selector.environment !== undefined && !selector.deployed && !selector.released)
    conditions.push(
      sql`(${currentlyDeployed(selector.environment)} OR ${currentlyReleased(selector.environment)})`,
    );
  if (selector.maxAgeDays !== undefined) conditions.push(sql`v.created_at > ${cutoff(selector.maxAgeDays)}`);
  const from = sql`FROM versions v ${sql.join(joins, sql` `)} WHERE ${sql.join(conditions, sql` AND `)}`;
  return selector.latest
    ? sql`SELECT MAX(v.id) AS id ${from} GROUP BY ${sql.join(groups)}`
    : sql`SELECT v.id AS id ${from}`;
}

/** The ids of the versions any of the selectors keeps. */
const keptIds = (selectors: KeepSelector[], cutoff: Cutoff): Sql =>
  sql.join(
    selectors.map((selector) => selectorIds(selector, cutoff)),
    sql` UNION `,
  );

/** A version the clean deletes (or, in a dry run, would delete). */
export interface CleanCandidate {
  id: number;
  pacticipant: string;
  number: string;
  createdAt: string;
}

/**
 * The oldest versions no selector keeps, at most `limit`. With `lock` (PostgreSQL, inside the
 * deleting transaction) they are locked, skipping any a concurrent transaction holds: a version a
 * publish is adding a pact to right now is left for the next run instead of failing that publish.
 */
export async function versionsNotKept(
  db: Db,
  selectors: KeepSelector[],
  cutoff: Cutoff,
  limit: number,
  lock = false,
): Promise<CleanCandidate[]> {
  const { rows } = await sql<{ id: number; pacticipant: string; number: string; created_at: string }>`
    SELECT v.id, p.name AS pacticipant, v.number, v.created_at
    FROM versions v JOIN pacticipants p ON p.id = v.pacticipant_id
    WHERE v.id NOT IN (${keptIds(selectors, cutoff)})
    ORDER BY v.id LIMIT ${limit}${lock ? sql` FOR UPDATE OF v SKIP LOCKED` : sql``}`.execute(db);
  return rows.map((r) => ({
    id: Number(r.id),
    pacticipant: r.pacticipant,
    number: r.number,
    createdAt: r.created_at,
  }));
}

/**
 * Deletes those of the candidate versions that no selector keeps still; the ids deleted. On
 * PostgreSQL the candidates were chosen on a snapshot taken before they were locked, and a write
 * that committed in between (a tag, a branch, a deployment making a version kept) is seen only by
 * this statement's own snapshot; once locked, nothing new can refer to them until the commit.
 */
export async function deleteVersionsStillNotKept(
  db: Db,
  ids: number[],
  selectors: KeepSelector[],
  cutoff: Cutoff,
): Promise<number[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ id: number }>`
    DELETE FROM versions WHERE id IN (${sql.join(ids)}) AND id NOT IN (${keptIds(selectors, cutoff)})
    RETURNING id`.execute(db);
  return rows.map((r) => Number(r.id));
}

/** How many versions there are, and how many of them the selectors keep. */
export async function versionCounts(db: Db, selectors: KeepSelector[], cutoff: Cutoff) {
  const { rows } = await sql<{ total: number | string; kept: number | string }>`
    SELECT (SELECT COUNT(*) FROM versions) AS total,
           (SELECT COUNT(*) FROM versions WHERE id IN (${keptIds(selectors, cutoff)})) AS kept`.execute(db);
  const [row] = rows;
  return { total: Number(row?.total ?? 0), kept: Number(row?.kept ?? 0) };
}

/** How many versions one selector keeps. */
export async function countKeptBy(db: Db, selector: KeepSelector, cutoff: Cutoff): Promise<number> {
  const { rows } = await sql<{ count: number | string }>`
    SELECT COUNT(DISTINCT s.id) AS count FROM (${selectorIds(selector, cutoff)}) s`.execute(db);
  return Number(rows[0]?.count ?? 0);
}

/** The overwritten rows of each kind the clean removes once older than the max age. */
export type OverwrittenKind = 'pactPublications' | 'verifications' | 'triggeredWebhooks';

/**
 * Rows that a newer one of the same key replaced, created before `before`, oldest first:
 * - pact publications: an earlier revision of a consumer version's pact with a provider;
 * - verifications: an earlier result for the same pact content and provider version;
 * - triggered webhooks: a finished delivery of a webhook for an integration that has a newer one
 *   (the newest stays, for the webhook status the pages show).
 */
const OVERWRITTEN: Record<OverwrittenKind, { table: string; where: Sql }> = {
  pactPublications: {
    table: 'pact_publications',
    where: sql`EXISTS (SELECT 1 FROM pact_publications newer WHERE newer.consumer_version_id = o.consumer_version_id AND newer.provider_id = o.provider_id AND newer.revision > o.revision)`,
  },
  verifications: {
    table: 'verifications',
    where: sql`EXISTS (SELECT 1 FROM verifications newer WHERE newer.pact_version_id = o.pact_version_id AND newer.provider_version_id = o.provider_version_id AND newer.id > o.id)`,
  },
  triggeredWebhooks: {
    table: 'triggered_webhooks',
    where: sql`o.status IN ('success', 'failure') AND EXISTS (SELECT 1 FROM triggered_webhooks newer WHERE newer.webhook_id = o.webhook_id AND newer.consumer_id = o.consumer_id AND newer.provider_id = o.provider_id AND newer.id > o.id)`,
  },
};

/** The ids of overwritten rows of a kind created before `before`, oldest first, at most `limit` (locked as {@link versionsNotKept} locks). */
export function overwrittenIds(
  db: Db,
  kind: OverwrittenKind,
  before: string,
  limit: number,
  lock = false,
): Promise<number[]> {
  const { table, where } = OVERWRITTEN[kind];
  return idsWhere(db, table, 'o', sql`o.created_at < ${before} AND ${where}`, limit, lock);
}

/** Deletes rows of a kind by id; how many went. */
export async function deleteOverwritten(db: Db, kind: OverwrittenKind, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result =
    await sql`DELETE FROM ${sql.table(OVERWRITTEN[kind].table)} WHERE id IN (${sql.join(ids)})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Pact contents (`pv`) no publication and no verification refers to: the reference's orphans. */
const ORPHAN_PACT_VERSION = sql`NOT EXISTS (SELECT 1 FROM pact_publications pp WHERE pp.pact_version_id = pv.id)
  AND NOT EXISTS (SELECT 1 FROM verifications ve WHERE ve.pact_version_id = pv.id)`;

/** Branches (`b`) with no version left. */
const EMPTY_BRANCH = sql`NOT EXISTS (SELECT 1 FROM branch_versions bv WHERE bv.branch_id = b.id)`;

/**
 * The ids of the rows of `table`, named `alias` in `where`, that match `where`: by id, at most
 * `limit`, locked as {@link versionsNotKept} locks.
 */
async function idsWhere(db: Db, table: string, alias: string, where: Sql, limit: number, lock: boolean) {
  const id = sql.ref(`${alias}.id`);
  const { rows } = await sql<{ id: number }>`
    SELECT ${id} AS id FROM ${sql.table(table)} ${sql.raw(alias)} WHERE ${where}
    ORDER BY ${id} LIMIT ${limit}${lock ? sql` FOR UPDATE SKIP LOCKED` : sql``}`.execute(db);
  return rows.map((r) => Number(r.id));
}

/**
 * Deletes those of the rows `ids` that match `where` still, checked again by the delete itself (a
 * write committed since they were chosen is seen here, and keeps its row); how many went.
 */
async function deleteWhereStill(db: Db, table: string, alias: string, ids: number[], where: Sql) {
  if (ids.length === 0) return 0;
  const result = await sql`
    DELETE FROM ${sql.table(table)} AS ${sql.raw(alias)}
    WHERE ${sql.ref(`${alias}.id`)} IN (${sql.join(ids)}) AND ${where}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Pact contents no publication and no verification refers to any more (the reference's orphan pact
 * versions), at most `limit`, locked as {@link versionsNotKept} locks.
 */
export function orphanPactVersionIds(db: Db, limit: number, lock = false): Promise<number[]> {
  return idsWhere(db, 'pact_versions', 'pv', ORPHAN_PACT_VERSION, limit, lock);
}

/**
 * Deletes those of the pact contents that nothing refers to still (a publication committed since
 * they were chosen is seen here, and keeps its content); how many went.
 */
export function deletePactVersions(db: Db, ids: number[]): Promise<number> {
  return deleteWhereStill(db, 'pact_versions', 'pv', ids, ORPHAN_PACT_VERSION);
}

/**
 * Branches with no version left (the clean deleted them all), at most `limit`, locked as
 * {@link versionsNotKept} locks: a branch a version is being added to right now is skipped.
 */
export function emptyBranchIds(db: Db, limit: number, lock = false): Promise<number[]> {
  return idsWhere(db, 'branches', 'b', EMPTY_BRANCH, limit, lock);
}

/** Deletes those of the branches that have no version still (as {@link deletePactVersions} rechecks); how many went. */
export function deleteBranches(db: Db, ids: number[]): Promise<number> {
  return deleteWhereStill(db, 'branches', 'b', ids, EMPTY_BRANCH);
}
