import { type Kysely, PostgresAdapter, type Selectable, sql, type Transaction } from 'kysely';
import { requestError } from '../errors.js';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';

// Pacticipants, their versions, branches, tags and labels: every query on those tables. Each read of
// a list is one query per table (never one per row); writes run inside the caller's transaction.

/** The database, or the transaction a write runs in. */
export type Db = Kysely<Database> | Transaction<Database>;
export type Pacticipant = Selectable<Database['pacticipants']>;
export type Version = Selectable<Database['versions']>;
export type Branch = Selectable<Database['branches']>;
export type Label = Selectable<Database['labels']>;

/** The timestamp the broker stores: ISO 8601, UTC. */
export const now = () => new Date().toISOString();

/**
 * Whether a write must lock the rows it refers to (PostgreSQL). SQLite runs one write transaction
 * at a time, so a row read inside one cannot be deleted before it commits.
 */
export const locksRows = (db: Db): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/** How many times a write inserts a row again after a concurrent clean deleted it under it. */
const RACE_ATTEMPTS = 3;

/**
 * The catalog's 503 for a write whose row a concurrent deletion (the database clean, a DELETE)
 * removed each time it was looked up again: sending the same request again finds it created anew.
 */
export const writeRaced = (what: string) =>
  requestError(
    'COV_BROKER_WRITE_RACED',
    `${what} was deleted by a concurrent change (a database clean or a DELETE) while this write referred to it; send the request again`,
  );

/**
 * A row for a write to refer to: inserted by `insert` (ON CONFLICT DO NOTHING: undefined when the
 * row exists), or the existing one, found and locked by `hold`. The insert takes no lock on the row
 * it conflicts with, so a clean may delete that row before `hold` locks it: `hold` then finds
 * nothing and the row is inserted again, as if the write had come after the clean.
 *
 * @example const { row, created } = await insertOrHold(() => insertVersion(trx, id, '1.0.0', undefined), () => findVersionForWrite(trx, id, '1.0.0'), 'version 1.0.0');
 */
export async function insertOrHold<Row>(
  insert: () => Promise<Row | undefined>,
  hold: () => Promise<Row | undefined>,
  what: string,
): Promise<{ row: Row; created: boolean }> {
  for (let attempt = 1; attempt <= RACE_ATTEMPTS; attempt++) {
    const created = await insert();
    if (created) return { row: created, created: true };
    const found = await hold();
    if (found) return { row: found, created: false };
  }
  throw writeRaced(what);
}

/**
 * Whether a row is still there, locked on PostgreSQL (FOR KEY SHARE) until the transaction ends:
 * for a write that read the row before its transaction began and is about to insert a row
 * referring to it. A clean or DELETE then skips or waits for it; other writes share the lock.
 */
export async function holdRow(db: Db, table: 'versions' | 'pact_versions', id: number): Promise<boolean> {
  const row = await db
    .selectFrom(table)
    .select('id')
    .where('id', '=', id)
    .$if(locksRows(db), (q) => q.forKeyShare())
    .executeTakeFirst();
  return row !== undefined;
}

export async function findPacticipant(db: Db, name: string): Promise<Pacticipant | undefined> {
  return db.selectFrom('pacticipants').selectAll().where('name', '=', name).executeTakeFirst();
}

/**
 * A pacticipant a write is about to refer to (with a label, a version, a tag), locked on PostgreSQL
 * as {@link holdRow} locks, so that a concurrent DELETE of it waits for the write to commit.
 */
export async function findPacticipantForWrite(db: Db, name: string): Promise<Pacticipant | undefined> {
  return db
    .selectFrom('pacticipants')
    .selectAll()
    .where('name', '=', name)
    .$if(locksRows(db), (q) => q.forKeyShare())
    .executeTakeFirst();
}

/** A pacticipant a publish names, and whether it has published a provider contract to compare pacts with. */
export interface Publisher {
  pacticipant: Pacticipant;
  hasContracts: boolean;
}

/**
 * The pacticipants with these names, each saying whether it has provider contracts: a publish learns
 * whether its pact needs comparing in the query that finds its consumer and provider, not in one more.
 * Locked as {@link findPacticipantForWrite} locks: the publish refers to both.
 */
export async function findPublishers(db: Db, names: string[]): Promise<Publisher[]> {
  const rows = await db
    .selectFrom('pacticipants as p')
    .selectAll('p')
    .select((eb) =>
      eb
        .exists(
          eb.selectFrom('provider_contracts as pc').select('pc.id').whereRef('pc.provider_id', '=', 'p.id'),
        )
        .as('has_contracts'),
    )
    .where('p.name', 'in', names)
    .$if(locksRows(db), (q) => q.forKeyShare())
    .execute();
  // SQLite answers EXISTS with 0 or 1, PostgreSQL with a boolean
  return rows.map(({ has_contracts, ...pacticipant }) => ({
    pacticipant,
    hasContracts: Boolean(has_contracts),
  }));
}

export async function listPacticipants(db: Db): Promise<Pacticipant[]> {
  return db.selectFrom('pacticipants').selectAll().orderBy('name').execute();
}

/** Inserts a pacticipant unless one has the name; undefined when it existed (or was created concurrently). */
export async function insertPacticipant(db: Db, name: string): Promise<Pacticipant | undefined> {
  const at = now();
  return db
    .insertInto('pacticipants')
    .values({
      name,
      display_name: null,
      repository_url: null,
      main_branch: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export type PacticipantFields = Partial<
  Pick<Pacticipant, 'display_name' | 'repository_url' | 'main_branch' | 'updated_at'>
>;

export async function updatePacticipant(db: Db, id: number, fields: PacticipantFields): Promise<void> {
  await db.updateTable('pacticipants').set(fields).where('id', '=', id).execute();
}

export async function setMainBranch(db: Db, ids: number[], branch: string): Promise<void> {
  await db.updateTable('pacticipants').set({ main_branch: branch }).where('id', 'in', ids).execute();
}

/** Deletes a pacticipant with what belongs to it, and the webhooks that name it. */
export async function deletePacticipant(db: Db, pacticipant: Pacticipant): Promise<void> {
  // webhooks name their pacticipants (they may also be scoped by label), so they go explicitly
  await db
    .deleteFrom('webhooks')
    .where((eb) =>
      eb.or([eb('consumer_name', '=', pacticipant.name), eb('provider_name', '=', pacticipant.name)]),
    )
    .execute();
  await db.deleteFrom('pacticipants').where('id', '=', pacticipant.id).execute();
}

export async function findVersion(
  db: Db,
  pacticipantId: number,
  number: string,
): Promise<Version | undefined> {
  return db
    .selectFrom('versions')
    .selectAll()
    .where('pacticipant_id', '=', pacticipantId)
    .where('number', '=', number)
    .executeTakeFirst();
}

/**
 * A version a write is about to refer to (with a pact, a tag, a verification), locked on
 * PostgreSQL as {@link holdRow} locks, so that the database clean cannot delete it before the
 * write commits; undefined when there is none.
 *
 * @example const version = await findVersionForWrite(trx, consumer.id, '1.0.0');
 */
export async function findVersionForWrite(
  db: Db,
  pacticipantId: number,
  number: string,
): Promise<Version | undefined> {
  return db
    .selectFrom('versions')
    .selectAll()
    .where('pacticipant_id', '=', pacticipantId)
    .where('number', '=', number)
    .$if(locksRows(db), (q) => q.forKeyShare())
    .executeTakeFirst();
}

/** A version for a write to refer to, inserted or found and locked ({@link insertOrHold}). */
export async function insertOrHoldVersion(
  db: Db,
  pacticipantId: number,
  number: string,
  buildUrl: string | undefined,
): Promise<{ version: Version; created: boolean }> {
  const { row, created } = await insertOrHold(
    () => insertVersion(db, pacticipantId, number, buildUrl),
    () => findVersionForWrite(db, pacticipantId, number),
    `version ${number}`,
  );
  return { version: row, created };
}

/** Inserts a version unless the pacticipant has it; undefined when it existed. */
export async function insertVersion(
  db: Db,
  pacticipantId: number,
  number: string,
  buildUrl: string | undefined,
): Promise<Version | undefined> {
  return db
    .insertInto('versions')
    .values({ pacticipant_id: pacticipantId, number, build_url: buildUrl ?? null, created_at: now() })
    .onConflict((oc) => oc.columns(['pacticipant_id', 'number']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function setBuildUrl(db: Db, versionId: number, buildUrl: string): Promise<void> {
  await db.updateTable('versions').set({ build_url: buildUrl }).where('id', '=', versionId).execute();
}

/** A pacticipant's newest version, optionally the newest with a tag. */
export async function latestVersion(
  db: Db,
  pacticipantId: number,
  tag?: string,
): Promise<Version | undefined> {
  let query = db.selectFrom('versions as v').selectAll('v').where('v.pacticipant_id', '=', pacticipantId);
  if (tag)
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('tags as t')
          .select('t.id')
          .whereRef('t.version_id', '=', 'v.id')
          .where('t.name', '=', tag),
      ),
    );
  return query.orderBy('v.id', 'desc').limit(1).executeTakeFirst();
}

/** Each pacticipant's latest version number, in one query. */
export async function latestVersionNumbers(db: Db): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('versions')
    .select(['pacticipant_id', 'number'])
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('versions as v2')
        .select((sb) => sb.fn.max('v2.id').as('id'))
        .groupBy('v2.pacticipant_id'),
    )
    .execute();
  return new Map(rows.map((v) => [v.pacticipant_id, v.number]));
}

export async function findBranch(db: Db, pacticipantId: number, name: string): Promise<Branch | undefined> {
  return db
    .selectFrom('branches')
    .selectAll()
    .where('pacticipant_id', '=', pacticipantId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function listBranches(db: Db, pacticipantId: number): Promise<Branch[]> {
  return db
    .selectFrom('branches')
    .selectAll()
    .where('pacticipant_id', '=', pacticipantId)
    .orderBy('name')
    .execute();
}

/** Deletes a branch and its membership; its versions stay. */
export async function deleteBranch(db: Db, branchId: number): Promise<void> {
  await db.deleteFrom('branches').where('id', '=', branchId).execute();
}

/**
 * Puts a version on a branch, creating the branch if missing. An existing branch is locked on
 * PostgreSQL (FOR KEY SHARE) until the write commits: the clean deletes branches left with no
 * version, and this one is about to get one.
 */
export async function addBranchVersion(
  db: Db,
  pacticipant: Pacticipant,
  branch: string,
  version: Version,
): Promise<void> {
  const { row } = await insertOrHold(
    () =>
      db
        .insertInto('branches')
        .values({ pacticipant_id: pacticipant.id, name: branch, created_at: now() })
        .onConflict((oc) => oc.columns(['pacticipant_id', 'name']).doNothing())
        .returning('id')
        .executeTakeFirst(),
    () =>
      db
        .selectFrom('branches')
        .select('id')
        .where('pacticipant_id', '=', pacticipant.id)
        .where('name', '=', branch)
        .$if(locksRows(db), (q) => q.forKeyShare())
        .executeTakeFirst(),
    `branch ${branch}`,
  );
  await db
    .insertInto('branch_versions')
    .values({
      branch_id: row.id,
      version_id: version.id,
      pacticipant_id: pacticipant.id,
      created_at: now(),
    })
    .onConflict((oc) => oc.columns(['branch_id', 'version_id']).doNothing())
    .execute();
}

/** Whether a pacticipant's version `number` is on `branch`. */
export async function isOnBranch(
  db: Db,
  pacticipantId: number,
  branch: string,
  number: string,
): Promise<boolean> {
  const found = await db
    .selectFrom('branch_versions as bv')
    .innerJoin('branches as br', 'br.id', 'bv.branch_id')
    .innerJoin('versions as v', 'v.id', 'bv.version_id')
    .select('bv.version_id')
    .where('br.pacticipant_id', '=', pacticipantId)
    .where('br.name', '=', branch)
    .where('v.number', '=', number)
    .executeTakeFirst();
  return found !== undefined;
}

/** The branches of each version, in one query. */
export async function branchesOf(db: Db, versionIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (versionIds.length === 0) return out;
  const rows = await db
    .selectFrom('branch_versions')
    .innerJoin('branches', 'branches.id', 'branch_versions.branch_id')
    .select(['branch_versions.version_id', 'branches.name'])
    .where('branch_versions.version_id', 'in', versionIds)
    .execute();
  for (const r of rows) out.set(r.version_id, [...(out.get(r.version_id) ?? []), r.name]);
  return out;
}

/** The tags of each version, in one query. */
export async function tagsOf(db: Db, versionIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (versionIds.length === 0) return out;
  const rows = await db
    .selectFrom('tags')
    .select(['version_id', 'name'])
    .where('version_id', 'in', versionIds)
    .execute();
  for (const r of rows) out.set(r.version_id, [...(out.get(r.version_id) ?? []), r.name]);
  return out;
}

/** A version's tag, if it has it. */
export async function hasTag(db: Db, versionId: number, tag: string): Promise<boolean> {
  const found = await db
    .selectFrom('tags')
    .select('id')
    .where('version_id', '=', versionId)
    .where('name', '=', tag)
    .executeTakeFirst();
  return found !== undefined;
}

export async function addTag(db: Db, pacticipant: Pacticipant, version: Version, tag: string): Promise<void> {
  await db
    .insertInto('tags')
    .values({ version_id: version.id, pacticipant_id: pacticipant.id, name: tag, created_at: now() })
    .onConflict((oc) => oc.columns(['version_id', 'name']).doNothing())
    .execute();
}

/** Removes one tag of a version, or (without `tag`) all of them. */
export async function deleteTags(db: Db, versionId: number, tag?: string): Promise<void> {
  let query = db.deleteFrom('tags').where('version_id', '=', versionId);
  if (tag !== undefined) query = query.where('name', '=', tag);
  await query.execute();
}

export async function findLabel(db: Db, pacticipantId: number, label: string): Promise<Label | undefined> {
  return db
    .selectFrom('labels')
    .selectAll()
    .where('pacticipant_id', '=', pacticipantId)
    .where('name', '=', label)
    .executeTakeFirst();
}

/** A pacticipant's label names, sorted. */
export async function labelNames(db: Db, pacticipantId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('labels')
    .select('name')
    .where('pacticipant_id', '=', pacticipantId)
    .orderBy('name')
    .execute();
  return rows.map((l) => l.name);
}

/** Every label name in use, sorted. */
export async function allLabelNames(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('labels').select('name').distinct().orderBy('name').execute();
  return rows.map((l) => l.name);
}

/** The pacticipants with a label, by name. */
export async function pacticipantsLabelled(db: Db, label: string) {
  return db
    .selectFrom('labels as l')
    .innerJoin('pacticipants as p', 'p.id', 'l.pacticipant_id')
    .select(['p.name', 'p.display_name'])
    .where('l.name', '=', label)
    .orderBy('p.name')
    .execute();
}

/** Labels a pacticipant; false when it had the label already. */
export async function addLabel(db: Db, pacticipantId: number, label: string): Promise<boolean> {
  const inserted = await db
    .insertInto('labels')
    .values({ pacticipant_id: pacticipantId, name: label, created_at: now() })
    .onConflict((oc) => oc.columns(['pacticipant_id', 'name']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Removes a label; false when the pacticipant did not have it. */
export async function deleteLabel(db: Db, pacticipantId: number, label: string): Promise<boolean> {
  const result = await db
    .deleteFrom('labels')
    .where('pacticipant_id', '=', pacticipantId)
    .where('name', '=', label)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Runs `work` in one transaction when the database has no pacticipant yet (true), else does nothing
 * (false). Brokers starting together on one database take turns, and the second finds data:
 * PostgreSQL by an advisory lock, SQLite by taking the write lock first (a write that changes
 * nothing), as a read first would make the later write fail instead of wait.
 */
export async function inTransactionIfEmpty(
  db: Kysely<Database>,
  dialect: Dialect,
  work: (trx: Db) => Promise<void>,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(7460912)`.execute(trx);
    else await sql`UPDATE pacticipants SET name = name WHERE 1 = 0`.execute(trx);
    const any = await trx.selectFrom('pacticipants').select('id').limit(1).executeTakeFirst();
    if (any) return false;
    await work(trx);
    return true;
  });
}

/** Which of a pacticipant's versions a list holds: those with a tag, or those ever deployed or released to an environment. */
export type VersionListFilter = { tag: string } | { environmentId: number };

/** A page of a pacticipant's versions that `filter` picks, newest first; and how many it picks in all. */
export async function filteredVersionsPage(
  db: Db,
  pacticipantId: number,
  filter: VersionListFilter,
  page: { offset: number; limit: number },
) {
  const query = db
    .selectFrom('versions as v')
    .where('v.pacticipant_id', '=', pacticipantId)
    .where((eb) => {
      if ('tag' in filter)
        return eb.exists(
          eb
            .selectFrom('tags as t')
            .select('t.id')
            .whereRef('t.version_id', '=', 'v.id')
            .where('t.name', '=', filter.tag),
        );
      // the reference lists every deployment and release, current or ended
      const { environmentId } = filter;
      return eb.or([
        eb.exists(
          eb
            .selectFrom('deployed_versions as d')
            .select('d.id')
            .whereRef('d.version_id', '=', 'v.id')
            .where('d.environment_id', '=', environmentId),
        ),
        eb.exists(
          eb
            .selectFrom('released_versions as r')
            .select('r.id')
            .whereRef('r.version_id', '=', 'v.id')
            .where('r.environment_id', '=', environmentId),
        ),
      ]);
    });
  const [rows, total] = await Promise.all([
    query.selectAll('v').orderBy('v.id', 'desc').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.count) };
}

/** Takes a version off a branch (the version and the branch stay); whether it was on it. */
export async function deleteBranchVersion(db: Db, branchId: number, versionId: number): Promise<boolean> {
  const result = await db
    .deleteFrom('branch_versions')
    .where('branch_id', '=', branchId)
    .where('version_id', '=', versionId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
