import { type RawBuilder, sql } from 'kysely';
import type { Environment } from './environments-repo.js';
import type { Db, Pacticipant } from './pacticipants-repo.js';

// The queries behind the matrix and can-i-deploy: versions a selector stands for, and the matrix
// rows in one query. SQL predicates are built over a (pacticipant id, version id) pair of columns.

/** Keep the latest row per consumer version and provider version, consumer version and provider, or integration. */
export type LatestBy = 'cvpv' | 'cvp' | 'cp';

export interface VersionRef {
  id: number;
  number: string;
}

/** Which versions of one pacticipant a selector stands for. */
export type VersionFilter =
  | { kind: 'ids'; versions: VersionRef[] }
  | { kind: 'tag'; tag: string }
  | { kind: 'branch'; branch: string }
  | { kind: 'all' };

/** The versions of one pacticipant a specified selector stands for. */
export interface SelectedVersions {
  pacticipant: Pacticipant;
  filter: VersionFilter;
}

/** What the pacticipants that were not specified are compared at (`none`: every version). */
export type Target =
  | { kind: 'none' }
  | { kind: 'environment'; environment: Environment }
  | { kind: 'latest'; tag?: string; mainBranch?: boolean }
  | { kind: 'tag'; tag: string }
  | { kind: 'mainBranch' };

// ---- SQL predicates over a (pacticipant id, version id) pair of columns -----------------------

type Sql = RawBuilder<unknown>;
const TRUE = sql`1 = 1`;
const FALSE = sql`1 = 0`;
const anyOf = (parts: Sql[]) => (parts.length === 0 ? FALSE : sql`(${sql.join(parts, sql` OR `)})`);

/**
 * What "currently deployed or released to an environment" means, defined once: a deployment not yet
 * ended, or a release whose support has not ended. Two queries, one per table, selecting
 * `version_id` (and `environment_id` with `withEnvironment`), narrowed by whichever filters are
 * given, each applied to both tables so that their indexes serve (the pacticipant lets a deployment
 * look-up use all of (environment_id, pacticipant_id, undeployed_at)). Callers combine them as the
 * plan needs: two EXISTS joined by OR for one version (each stops at its first row, from an index),
 * or a UNION for a set of versions.
 */
function currentlyDeployedOrReleased(filter: {
  environment?: number;
  pacticipant?: Sql | number;
  version?: Sql;
  versionIn?: Sql;
  withEnvironment?: boolean;
}): { deployed: Sql; released: Sql } {
  const query = (table: 'deployed_versions' | 'released_versions', alias: 'd' | 'r') => {
    const column = (name: string) => sql.ref(`${alias}.${name}`);
    const parts = [alias === 'd' ? sql`d.undeployed_at IS NULL` : sql`r.support_ended_at IS NULL`];
    if (filter.environment !== undefined)
      parts.push(sql`${column('environment_id')} = ${filter.environment}`);
    if (filter.pacticipant !== undefined)
      parts.push(sql`${column('pacticipant_id')} = ${filter.pacticipant}`);
    if (filter.version !== undefined) parts.push(sql`${column('version_id')} = ${filter.version}`);
    if (filter.versionIn !== undefined) parts.push(sql`${column('version_id')} IN (${filter.versionIn})`);
    const columns = filter.withEnvironment
      ? sql`${column('version_id')}, ${column('environment_id')}`
      : column('version_id');
    return sql`SELECT ${columns} FROM ${sql.table(table)} ${sql.raw(alias)} WHERE ${sql.join(parts, sql` AND `)}`;
  };
  return { deployed: query('deployed_versions', 'd'), released: query('released_versions', 'r') };
}

const deployedOrReleasedTo = (environmentId: number, pacticipant: Sql, version: Sql) => {
  const { deployed, released } = currentlyDeployedOrReleased({
    environment: environmentId,
    pacticipant,
    version,
  });
  return sql`(EXISTS (${deployed}) OR EXISTS (${released}))`;
};

const hasTag = (tag: string, version: Sql) =>
  sql`EXISTS (SELECT 1 FROM tags t WHERE t.version_id = ${version} AND t.name = ${tag})`;

const onBranch = (branch: string, version: Sql) =>
  sql`EXISTS (SELECT 1 FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id WHERE bv.version_id = ${version} AND b.name = ${branch})`;

const onMainBranch = (version: Sql) =>
  sql`EXISTS (SELECT 1 FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id JOIN pacticipants mp ON mp.id = b.pacticipant_id AND mp.main_branch = b.name WHERE bv.version_id = ${version})`;

const latestWithTag = (tag: string, pacticipant: Sql, version: Sql) =>
  sql`${version} = (SELECT MAX(t.version_id) FROM tags t WHERE t.pacticipant_id = ${pacticipant} AND t.name = ${tag})`;

const latestOnBranch = (branch: string, pacticipant: Sql, version: Sql) =>
  sql`${version} = (SELECT MAX(bv.version_id) FROM branches b JOIN branch_versions bv ON bv.branch_id = b.id WHERE b.pacticipant_id = ${pacticipant} AND b.name = ${branch})`;

/** The target's versions of whichever pacticipant `pacticipant` holds (indexed MAX look-ups for "latest"). */
function targetPredicate(target: Target, pacticipant: Sql, version: Sql): Sql {
  switch (target.kind) {
    case 'none':
      return TRUE;
    case 'environment':
      return deployedOrReleasedTo(target.environment.id, pacticipant, version);
    case 'tag':
      return hasTag(target.tag, version);
    case 'mainBranch':
      return onMainBranch(version);
    case 'latest':
      if (target.tag) return latestWithTag(target.tag, pacticipant, version);
      if (target.mainBranch)
        return sql`${version} = (SELECT MAX(bv.version_id) FROM branches b JOIN pacticipants mp ON mp.id = b.pacticipant_id AND mp.main_branch = b.name JOIN branch_versions bv ON bv.branch_id = b.id WHERE b.pacticipant_id = ${pacticipant})`;
      return sql`${version} = (SELECT MAX(lv2.id) FROM versions lv2 WHERE lv2.pacticipant_id = ${pacticipant})`;
  }
}

function filterPredicate(filter: VersionFilter, version: Sql): Sql {
  switch (filter.kind) {
    case 'ids':
      return filter.versions.length === 0
        ? FALSE
        : sql`${version} IN (${sql.join(filter.versions.map((v) => v.id))})`;
    case 'tag':
      return hasTag(filter.tag, version);
    case 'branch':
      return onBranch(filter.branch, version);
    case 'all':
      return TRUE;
  }
}

/** Specified selectors grouped by pacticipant id. */
export function byPacticipant<T extends SelectedVersions>(resolved: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of resolved) out.set(r.pacticipant.id, [...(out.get(r.pacticipant.id) ?? []), r]);
  return out;
}

/** The versions the specified selectors stand for, per pacticipant. */
function specifiedPredicate(resolved: SelectedVersions[], pacticipant: Sql, version: Sql): Sql {
  return anyOf(
    [...byPacticipant(resolved)].map(
      ([id, rs]) =>
        sql`(${pacticipant} = ${id} AND ${anyOf(rs.map((r) => filterPredicate(r.filter, version)))})`,
    ),
  );
}

// ---- versions ----------------------------------------------------------

/** The versions of a pacticipant matching a predicate, oldest first. */
async function versionsWhere(
  db: Db,
  pacticipantId: number,
  where: (version: Sql) => Sql,
): Promise<VersionRef[]> {
  const { rows } = await sql<VersionRef>`SELECT v.id, v.number FROM versions v
    WHERE v.pacticipant_id = ${pacticipantId} AND ${where(sql`v.id`)} ORDER BY v.id`.execute(db);
  return rows;
}

/**
 * The versions of a pacticipant currently deployed or released to an environment, oldest first:
 * found from the (few) deployments and releases, not by testing each of its versions.
 */
export async function versionsInEnvironment(
  db: Db,
  pacticipantId: number,
  environmentId: number,
): Promise<VersionRef[]> {
  const current = currentlyDeployedOrReleased({ environment: environmentId, pacticipant: pacticipantId });
  const { rows } = await sql<VersionRef>`SELECT v.id, v.number FROM versions v
    WHERE v.pacticipant_id = ${pacticipantId} AND v.id IN (${current.deployed} UNION ${current.released})
    ORDER BY v.id`.execute(db);
  return rows;
}

/** The newest version of a pacticipant matching a predicate, as a list of zero or one. */
async function latestWhere(
  db: Db,
  pacticipantId: number,
  where: (version: Sql) => Sql,
): Promise<VersionRef[]> {
  const { rows } = await sql<VersionRef>`SELECT v.id, v.number FROM versions v
    WHERE v.pacticipant_id = ${pacticipantId} AND ${where(sql`v.id`)} ORDER BY v.id DESC LIMIT 1`.execute(db);
  return rows;
}

/** The newest version of a pacticipant with a tag, as a list of zero or one. */
export const latestVersionWithTag = (db: Db, pacticipantId: number, tag: string) =>
  latestWhere(db, pacticipantId, (v) => latestWithTag(tag, sql`${pacticipantId}`, v));

/** The newest version of a pacticipant on a branch, as a list of zero or one. */
export const latestVersionOnBranch = (db: Db, pacticipantId: number, branch: string) =>
  latestWhere(db, pacticipantId, (v) => latestOnBranch(branch, sql`${pacticipantId}`, v));

/** The newest version of a pacticipant, as a list of zero or one. */
export const latestVersionOf = (db: Db, pacticipantId: number) => latestWhere(db, pacticipantId, () => TRUE);

/** The versions of a pacticipant the target stands for, oldest first. */
export const versionsAtTarget = (db: Db, pacticipantId: number, target: Target) =>
  versionsWhere(db, pacticipantId, (v) => targetPredicate(target, sql`${pacticipantId}`, v));

/** A version by its number, with its provider contract's id (null without one) in the same look-up. */
export async function versionByNumber(
  db: Db,
  p: Pacticipant,
  number: string,
): Promise<Array<VersionRef & { contract_id: number | null }>> {
  return db
    .selectFrom('versions as v')
    .select((eb) => [
      'v.id',
      'v.number',
      eb
        .selectFrom('provider_contracts as pc')
        .select('pc.id')
        .whereRef('pc.provider_version_id', '=', 'v.id')
        .as('contract_id'),
    ])
    .where('v.pacticipant_id', '=', p.id)
    .where('v.number', '=', number)
    .execute();
}

// ---- the matrix rows --------------------------------------------------------------------------

export interface RawRow {
  consumer_id: number;
  consumer_name: string;
  consumer_version_id: number;
  consumer_version_number: string;
  provider_id: number;
  provider_name: string;
  pact_created_at: string;
  pact_sha: string;
  verification_id: number | null;
  success: number | null;
  verified_at: string | null;
  provider_version_id: number | null;
  provider_version_number: string | null;
}

/**
 * Publications in the first slice of a matrix. A publication can bring hundreds of rows (one per
 * verifying provider version) or one, so each later slice is sized by the rows per publication
 * seen so far, or, while none are seen, eight times the one before.
 */
const FIRST_SLICE = 2;
const SLICE_GROWTH = 8;

/**
 * The matrix rows, newest consumer version first, at most `limit` of them: the latest revision of
 * each pact from the selected consumer versions, left-joined to the latest verification per (pact
 * version, provider version) by the selected provider versions, so an unverified pact still yields
 * a row. `latestby` is a window function, applied before the success filter and the limit, as in
 * the reference broker. Names, numbers and the sha are scalar look-ups rather than joins: with four
 * fewer tables to order, PostgreSQL plans it ~4x faster (planning, not running, was most of a
 * can-i-deploy's time at scale).
 *
 * A wide query (an integration's whole history: thousands of consumer versions, each verified by
 * hundreds of provider versions) would join and sort millions of rows to keep the first hundred.
 * The rows are ordered by consumer version first, and every window partition but `cp`'s lies
 * within one consumer version, so the query runs over slices of consumer versions, newest first,
 * each a range ending at the next slice's start, until `limit` rows are found: the same rows, read
 * from the few newest consumer versions. Both ends of a range are given, so PostgreSQL reads the
 * range from an index instead of walking down from the broker's newest version. A scope of a few
 * versions (each selector's by id, the others' in an environment or the latest) needs no slices.
 * `cp`'s partition is a whole integration, of which only the newest publication in scope can give
 * rows: the query runs over those publications alone.
 */
export async function selectRows(
  db: Db,
  specified: SelectedVersions[],
  target: Target,
  options: { latestby?: LatestBy; success?: Array<boolean | null> },
  limit: number,
  dialect: 'sqlite' | 'postgres',
): Promise<RawRow[]> {
  const query = matrixQuery(specified, target, options, dialect);
  if (options.latestby === 'cp') return query.rows(db, query.integrationHeads(), limit);
  if (query.fewVersions) return query.rows(db, query.scope(null, null), limit);
  const rows: RawRow[] = [];
  let below: number | null = null;
  let publications = 0;
  let size = FIRST_SLICE;
  for (;;) {
    const slice = await query.slice(db, below, size);
    if (slice === null) return rows;
    rows.push(...(await query.rows(db, query.scope(slice.from, slice.below), limit - rows.length)));
    if (rows.length >= limit || slice.last) return rows;
    below = slice.from;
    publications += slice.publications;
    size =
      rows.length === 0
        ? size * SLICE_GROWTH
        : Math.max(FIRST_SLICE, Math.ceil(((limit - rows.length) * publications) / rows.length));
  }
}

/** The matrix query's SQL, over a range of consumer version ids [from, below) (null: unbounded). */
function matrixQuery(
  specified: SelectedVersions[],
  target: Target,
  options: { latestby?: LatestBy; success?: Array<boolean | null> },
  dialect: 'sqlite' | 'postgres',
) {
  const specifiedIds = [...new Set(specified.map((r) => r.pacticipant.id))];
  const ids = sql.join(specifiedIds);
  // Pacticipants that weren't specified take part at the target's versions; without a target, only
  // a question about a single pacticipant reaches out to every version of the others.
  const othersTakePart = target.kind !== 'none' || specifiedIds.length === 1;
  const others = (pacticipant: Sql, version: Sql) =>
    othersTakePart ? targetPredicate(target, pacticipant, version) : FALSE;
  const versionsOf = (pacticipant: Sql, version: Sql) =>
    sql`((${pacticipant} IN (${ids}) AND ${specifiedPredicate(specified, pacticipant, version)})
      OR (${pacticipant} NOT IN (${ids}) AND ${others(pacticipant, version)}))`;
  const consumerSide = (consumer: Sql, consumerVersion: Sql, provider: Sql) =>
    sql`${specifiedPredicate(specified, consumer, consumerVersion)} AND ${othersTakePart ? TRUE : sql`${provider} IN (${ids})`}`;
  const providerSide = (consumer: Sql, consumerVersion: Sql, provider: Sql) =>
    sql`${provider} IN (${ids}) AND ${consumer} NOT IN (${ids}) AND ${others(consumer, consumerVersion)}`;
  const inRange = (consumerVersion: Sql, from: number | null, below: number | null) =>
    sql.join(
      [
        ...(from === null ? [] : [sql`${consumerVersion} >= ${from}`]),
        ...(below === null ? [] : [sql`${consumerVersion} < ${below}`]),
        TRUE,
      ],
      sql` AND `,
    );
  // The publications in scope (aliased `pp`) within a range. SQLite can't use its indexes for the
  // OR of the two sides and scans every publication, so there the scope is a UNION of two
  // index-friendly halves; PostgreSQL plans the OR well (and the UNION badly).
  const scope = (from: number | null, below: number | null) => {
    if (dialect === 'postgres')
      return sql`${inRange(sql`pp.consumer_version_id`, from, below)} AND ${anyOf([
        sql`(${consumerSide(sql`pp.consumer_id`, sql`pp.consumer_version_id`, sql`pp.provider_id`)})`,
        sql`(${providerSide(sql`pp.consumer_id`, sql`pp.consumer_version_id`, sql`pp.provider_id`)})`,
      ])}`;
    const half = (alias: string, side: typeof consumerSide) => {
      const column = (name: string) => sql.ref(`${alias}.${name}`);
      return sql`SELECT ${column('id')} FROM pact_publications ${sql.raw(alias)}
        WHERE ${side(column('consumer_id'), column('consumer_version_id'), column('provider_id'))}
          AND ${inRange(column('consumer_version_id'), from, below)}`;
    };
    return sql`pp.id IN (${half('scope_c', consumerSide)} UNION ${half('scope_p', providerSide)})`;
  };
  /**
   * `cp` keeps one row per integration, from its newest consumer version in scope: the publications
   * in scope are each integration's newest one (newest revision), found by reading each
   * integration's publications backwards from an index until one is in scope, so the rows query
   * joins the verifications of these few publications instead of every one of the integration's.
   * The integrations come from the pact versions (thousands), not the publications.
   */
  const integrationHeads = () => {
    const sides = anyOf([
      sql`(${consumerSide(sql`h.consumer_id`, sql`h.consumer_version_id`, sql`h.provider_id`)})`,
      sql`(${providerSide(sql`h.consumer_id`, sql`h.consumer_version_id`, sql`h.provider_id`)})`,
    ]);
    const mayBeInScope = sql`((i.consumer_id IN (${ids}) AND ${othersTakePart ? TRUE : sql`i.provider_id IN (${ids})`})
      OR (i.provider_id IN (${ids}) AND i.consumer_id NOT IN (${ids})))`;
    return sql`pp.id IN (SELECT (SELECT h.id FROM pact_publications h
        WHERE h.provider_id = i.provider_id AND h.consumer_id = i.consumer_id AND ${sides}
        ORDER BY h.consumer_version_id DESC, h.revision DESC LIMIT 1)
      FROM (SELECT DISTINCT consumer_id, provider_id FROM pact_versions) i WHERE ${mayBeInScope})`;
  };
  const rank =
    options.latestby === 'cvp'
      ? sql`ROW_NUMBER() OVER (PARTITION BY pp.consumer_version_id, pp.provider_id ORDER BY COALESCE(lv.provider_version_id, 0) DESC)`
      : options.latestby === 'cp'
        ? sql`ROW_NUMBER() OVER (PARTITION BY pp.consumer_id, pp.provider_id ORDER BY pp.consumer_version_id DESC, COALESCE(lv.provider_version_id, 0) DESC)`
        : sql`1`;
  const success = options.success?.length
    ? anyOf(options.success.map((s) => (s === null ? sql`m.success IS NULL` : sql`m.success = ${s ? 1 : 0}`)))
    : TRUE;
  return {
    /**
     * The next slice: the consumer versions [from, below) of the (up to) `size` newest publications
     * below `below` (it takes all of its oldest version's), `last` when no more are left; null when
     * none are.
     */
    async slice(
      db: Db,
      below: number | null,
      size: number,
    ): Promise<{ from: number; below: number; publications: number; last: boolean } | null> {
      // In parts that never share a publication, each read newest first from an index and cut at
      // `size`, so that none is read or sorted whole (one OR over them was, on SQLite: an
      // integration's 10,000 publications to find two): a specified pacticipant's publications as
      // consumer, per provider when the providers are known (from the integration index), else all
      // of them (the consumer index); as provider, its consumers' at the target.
      const version = sql`s.consumer_version_id`;
      const parts: Sql[] = [];
      for (const [id, rs] of byPacticipant(specified)) {
        const selected = anyOf(rs.map((r) => filterPredicate(r.filter, version)));
        if (othersTakePart) {
          parts.push(sql`s.consumer_id = ${id} AND ${selected}`);
          parts.push(
            sql`s.provider_id = ${id} AND s.consumer_id NOT IN (${ids}) AND ${targetPredicate(target, sql`s.consumer_id`, version)}`,
          );
        } else
          for (const providerId of specifiedIds)
            parts.push(sql`s.provider_id = ${providerId} AND s.consumer_id = ${id} AND ${selected}`);
      }
      const newest = parts.map(
        (where, i) => sql`SELECT id FROM (SELECT ${version} AS id FROM pact_publications s
          WHERE ${where} AND ${inRange(version, null, below)}
          ORDER BY ${version} DESC LIMIT ${size}) ${sql.raw(`part${i}`)}`,
      );
      const { rows } = await sql<{ id: number }>`SELECT x.id FROM (${sql.join(newest, sql` UNION ALL `)}) x
        ORDER BY x.id DESC LIMIT ${size}`.execute(db);
      if (rows.length === 0) return null;
      const found = rows.map((r) => Number(r.id));
      return {
        from: found[found.length - 1]!,
        below: found[0]! + 1,
        publications: found.length,
        last: found.length < size,
      };
    },
    /**
     * Whether the scope is a few versions named by id (a can-i-deploy: one version against those in
     * an environment or the latest): one query reads them all, with no slices to find first.
     */
    fewVersions:
      specified.every((r) => r.filter.kind === 'ids') &&
      (!othersTakePart || target.kind === 'environment' || target.kind === 'latest'),
    scope,
    integrationHeads,
    /** The first `limit` rows of the publications in `scope` (over `pp`). */
    async rows(db: Db, scope: Sql, limit: number): Promise<RawRow[]> {
      // names, numbers and shas are looked up for the kept rows only, not for every row before the
      // limit (SQLite evaluates a select list's subqueries for each row it sorts)
      const { rows } = await sql<RawRow>`
    SELECT k.consumer_id, c.name AS consumer_name, k.consumer_version_id, cv.number AS consumer_version_number,
      k.provider_id, k.provider_name, k.pact_created_at, pv.sha AS pact_sha,
      k.verification_id, k.success, k.verified_at, k.provider_version_id, prv.number AS provider_version_number
    FROM (
      SELECT m.* FROM (
        SELECT pp.consumer_id, pp.consumer_version_id, pp.provider_id,
          (SELECT p.name FROM pacticipants p WHERE p.id = pp.provider_id) AS provider_name,
          pp.created_at AS pact_created_at, pp.pact_version_id,
          lv.id AS verification_id, lv.success, lv.created_at AS verified_at, lv.provider_version_id,
          ${rank} AS row_rank
        FROM pact_publications pp
        LEFT JOIN verifications lv ON lv.pact_version_id = pp.pact_version_id
          AND ${versionsOf(sql`pp.provider_id`, sql`lv.provider_version_id`)}
          AND NOT EXISTS (SELECT 1 FROM verifications nv WHERE nv.pact_version_id = lv.pact_version_id
            AND nv.provider_version_id = lv.provider_version_id AND nv.id > lv.id)
        WHERE NOT EXISTS (SELECT 1 FROM pact_publications np WHERE np.consumer_version_id = pp.consumer_version_id
            AND np.provider_id = pp.provider_id AND np.revision > pp.revision)
          AND ${scope}
      ) m
      WHERE m.row_rank = 1 AND ${success}
      ORDER BY m.consumer_version_id DESC, m.provider_name, COALESCE(m.provider_version_id, 0) DESC
      LIMIT ${limit}
    ) k
    LEFT JOIN pacticipants c ON c.id = k.consumer_id
    LEFT JOIN versions cv ON cv.id = k.consumer_version_id
    LEFT JOIN pact_versions pv ON pv.id = k.pact_version_id
    LEFT JOIN versions prv ON prv.id = k.provider_version_id
    ORDER BY k.consumer_version_id DESC, k.provider_name, COALESCE(k.provider_version_id, 0) DESC`.execute(
        db,
      );
      return rows;
    },
  };
}

/** What the matrix shows of a version besides its id and number. */
export interface VersionDetails {
  branch: string | null;
  branches: Array<{ name: string; latest: boolean }>;
  tags: Array<{ name: string; latest: boolean }>;
  environments: Environment[];
}

/** Branches, tags (each flagged if it is the latest version with it) and current environments of the versions, in three queries. */
export async function versionDetails(db: Db, ids: number[]): Promise<Map<number, VersionDetails>> {
  const out = new Map<number, VersionDetails>();
  if (ids.length === 0) return out;
  for (const id of ids) out.set(id, { branch: null, branches: [], tags: [], environments: [] });
  const list = sql.join(ids);
  const current = currentlyDeployedOrReleased({ versionIn: list, withEnvironment: true });
  // independent: asked at once (on PostgreSQL, over several connections)
  const [tags, branches, environments] = await Promise.all([
    sql<{ version_id: number; name: string; latest: number }>`
    SELECT t.version_id, t.name, CASE WHEN t.version_id = (SELECT MAX(t2.version_id) FROM tags t2
      WHERE t2.pacticipant_id = t.pacticipant_id AND t2.name = t.name) THEN 1 ELSE 0 END AS latest
    FROM tags t WHERE t.version_id IN (${list}) ORDER BY t.created_at, t.id`.execute(db),
    sql<{ version_id: number; name: string; latest: number }>`
    SELECT bv.version_id, b.name, CASE WHEN bv.version_id = (SELECT MAX(bv2.version_id) FROM branch_versions bv2
      WHERE bv2.branch_id = bv.branch_id) THEN 1 ELSE 0 END AS latest
    FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id WHERE bv.version_id IN (${list}) ORDER BY bv.id`.execute(
      db,
    ),
    sql<Environment & { version_id: number }>`
    SELECT x.version_id, e.* FROM (${current.deployed} UNION ${current.released}) x
    JOIN environments e ON e.id = x.environment_id ORDER BY e.name`.execute(db),
  ]);
  for (const t of tags.rows) out.get(t.version_id)!.tags.push({ name: t.name, latest: t.latest === 1 });
  for (const b of branches.rows) {
    const d = out.get(b.version_id)!;
    d.branches.push({ name: b.name, latest: b.latest === 1 });
    d.branch = b.name;
  }
  for (const { version_id, ...e } of environments.rows) out.get(version_id)!.environments.push(e);
  return out;
}
