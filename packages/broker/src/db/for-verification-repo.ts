import { sql } from 'kysely';
import type { Db, Pacticipant } from './pacticipants-repo.js';

// The queries behind pacts for verification: the pacts a provider's selectors stand for, and whether
// a pact is still pending. Each is one query (or one per selector), never one per row.

/** Consumer versions with a pact for this provider, newest first, optionally narrowed. */
function pactsOf(db: Db, provider: Pacticipant) {
  return (
    db
      .selectFrom('pact_publications as pp')
      .innerJoin('pact_versions as pv', 'pv.id', 'pp.pact_version_id')
      .innerJoin('versions as cv', 'cv.id', 'pp.consumer_version_id')
      .innerJoin('pacticipants as c', 'c.id', 'pp.consumer_id')
      .select([
        'pv.id as pact_version_id',
        'pv.sha',
        'c.name as consumer_name',
        'c.id as consumer_id',
        'c.main_branch',
        'cv.number as consumer_version',
        'cv.id as consumer_version_id',
        'pp.created_at',
      ])
      .where('pp.provider_id', '=', provider.id)
      // only the latest revision of each consumer version's pact
      .where('pp.revision', '=', (eb) =>
        eb
          .selectFrom('pact_publications as p2')
          .select((sb) => sb.fn.max('p2.revision').as('r'))
          .whereRef('p2.consumer_version_id', '=', 'pp.consumer_version_id')
          .whereRef('p2.provider_id', '=', 'pp.provider_id'),
      )
  );
}

export type ProviderPact = Awaited<ReturnType<ReturnType<typeof pactsOf>['execute']>>[number];

export const MAIN_BRANCH = Symbol('main branch');

/** Keeps the newest row per consumer. */
function latestPerConsumer<Row extends ProviderPact>(rows: Row[]): Row[] {
  const seen = new Map<number, Row>();
  for (const r of rows) {
    const current = seen.get(r.consumer_id);
    if (!current || r.consumer_version_id > current.consumer_version_id) seen.set(r.consumer_id, r);
  }
  return [...seen.values()];
}

/**
 * The head of a branch per consumer: on each matching branch, the newest version that has a pact with
 * this provider, found by walking the branch's versions newest first in the index and stopping at
 * the first with a pact (a consumer with 10,000 versions costs a few index steps, not a scan).
 * `branch` is a name, or `MAIN_BRANCH` for each consumer's own main branch (main/master when unset).
 */
export async function onBranch(
  db: Db,
  provider: Pacticipant,
  branch: string | typeof MAIN_BRANCH,
  consumer?: string,
): Promise<Array<ProviderPact & { branch_name: string }>> {
  const branchCondition =
    branch === MAIN_BRANCH
      ? sql`((c.main_branch IS NOT NULL AND b.name = c.main_branch) OR (c.main_branch IS NULL AND b.name IN ('main', 'master')))`
      : sql`b.name = ${branch}`;
  // The heads are found first, materialised, then joined: joined directly, PostgreSQL estimated the
  // head look-up badly for some providers and hashed every version (~170 ms instead of ~5 ms).
  const { rows } = await sql<ProviderPact & { branch_name: string }>`
    WITH heads AS MATERIALIZED (
      SELECT b.pacticipant_id AS consumer_id, b.name AS branch_name, (
          SELECT bv.version_id FROM branch_versions bv
          WHERE bv.branch_id = b.id AND EXISTS (
            SELECT 1 FROM pact_publications x WHERE x.consumer_version_id = bv.version_id AND x.provider_id = ${provider.id})
          ORDER BY bv.version_id DESC LIMIT 1) AS version_id
      FROM branches b
      JOIN pacticipants c ON c.id = b.pacticipant_id
      WHERE EXISTS (SELECT 1 FROM pact_publications y WHERE y.provider_id = ${provider.id} AND y.consumer_id = b.pacticipant_id)
        AND ${branchCondition}
        ${consumer ? sql`AND c.name = ${consumer}` : sql``})
    SELECT pv.id AS pact_version_id, pv.sha, c.name AS consumer_name, c.id AS consumer_id, c.main_branch,
      cv.number AS consumer_version, cv.id AS consumer_version_id, pp.created_at, h.branch_name
    FROM heads h
    JOIN versions cv ON cv.id = h.version_id
    JOIN pacticipants c ON c.id = h.consumer_id
    JOIN pact_publications pp ON pp.consumer_version_id = cv.id AND pp.provider_id = ${provider.id}
      AND pp.revision = (SELECT MAX(p2.revision) FROM pact_publications p2
        WHERE p2.consumer_version_id = cv.id AND p2.provider_id = ${provider.id})
    JOIN pact_versions pv ON pv.id = pp.pact_version_id`.execute(db);
  return latestPerConsumer(rows);
}

export async function withTag(
  db: Db,
  provider: Pacticipant,
  tag: string,
  latest: boolean,
  consumer?: string,
): Promise<ProviderPact[]> {
  let q = pactsOf(db, provider).where((eb) =>
    eb.exists(
      eb
        .selectFrom('tags as t')
        .select('t.id')
        .whereRef('t.version_id', '=', 'cv.id')
        .where('t.name', '=', tag),
    ),
  );
  if (consumer) q = q.where('c.name', '=', consumer);
  const rows = await q.execute();
  return latest ? latestPerConsumer(rows) : rows;
}

/** A pact of a consumer version currently deployed or released, with where and how. */
export type EnvironmentPact = ProviderPact & { environment_name: string; kind: 'deployed' | 'released' };

/**
 * The pacts of consumer versions currently deployed (not undeployed) or released (still
 * supported), in one environment or any: one row per version and environment, in one query.
 * The order sets the order of the reasons and notices, and is the one these answers have had (as
 * SQLite gave it without statistics, which a broker never gathers): deployments or releases as
 * recorded, in one environment by consumer first; either kind (a version in an environment
 * listed once) by version, environment name, then kind.
 */
export async function inEnvironment(
  db: Db,
  provider: Pacticipant,
  kind: 'deployed' | 'released' | 'either',
  environment?: string,
  consumer?: string,
): Promise<EnvironmentPact[]> {
  const envFilter = environment ? sql`AND e.name = ${environment}` : sql``;
  const deployed = sql`SELECT d.version_id, e.name AS environment_name, 'deployed' AS kind`;
  const fromDeployed = sql`FROM deployed_versions d JOIN environments e ON e.id = d.environment_id WHERE d.undeployed_at IS NULL ${envFilter}`;
  const released = sql`SELECT r.version_id, e.name AS environment_name, 'released' AS kind`;
  const fromReleased = sql`FROM released_versions r JOIN environments e ON e.id = r.environment_id WHERE r.support_ended_at IS NULL ${envFilter}`;
  const asRecorded = environment ? sql`cur.pacticipant_id, cur.id` : sql`cur.id`;
  const [current, order] =
    kind === 'deployed'
      ? [sql`${deployed}, d.pacticipant_id, d.id ${fromDeployed}`, asRecorded]
      : kind === 'released'
        ? [sql`${released}, r.pacticipant_id, r.id ${fromReleased}`, asRecorded]
        : [
            sql`${deployed} ${fromDeployed} UNION ${released} ${fromReleased}`,
            sql`cur.version_id, cur.environment_name, cur.kind`,
          ];
  // Start from the (few) current deployments and releases, not from every publication: materialised
  // first, as merged into the join SQLite walked every publication of the provider for releases.
  const { rows } = await sql<EnvironmentPact>`
    WITH cur AS MATERIALIZED (${current})
    SELECT pv.id AS pact_version_id, pv.sha, c.name AS consumer_name, c.id AS consumer_id, c.main_branch,
      cv.number AS consumer_version, cv.id AS consumer_version_id, pp.created_at,
      cur.environment_name, cur.kind
    FROM cur
    JOIN pact_publications pp ON pp.consumer_version_id = cur.version_id AND pp.provider_id = ${provider.id}
      AND pp.revision = (SELECT MAX(p2.revision) FROM pact_publications p2
        WHERE p2.consumer_version_id = pp.consumer_version_id AND p2.provider_id = pp.provider_id)
    JOIN pact_versions pv ON pv.id = pp.pact_version_id
    JOIN versions cv ON cv.id = pp.consumer_version_id
    JOIN pacticipants c ON c.id = pp.consumer_id
    ${consumer ? sql`WHERE c.name = ${consumer}` : sql``}
    ORDER BY ${order}`.execute(db);
  return rows;
}

/** The latest pact of each consumer (optionally one consumer), chosen in SQL. */
export async function latestOfEachConsumer(
  db: Db,
  provider: Pacticipant,
  consumer?: string,
): Promise<ProviderPact[]> {
  let q = pactsOf(db, provider).where('pp.consumer_version_id', '=', (eb) =>
    eb
      .selectFrom('pact_publications as x')
      .select((sb) => sb.fn.max('x.consumer_version_id').as('v'))
      .whereRef('x.provider_id', '=', 'pp.provider_id')
      .whereRef('x.consumer_id', '=', 'pp.consumer_id'),
  );
  if (consumer) q = q.where('c.name', '=', consumer);
  return latestPerConsumer(await q.execute());
}

/** A WIP candidate: the pact of the head of a consumer branch or tag, and which head. */
export type HeadPact = ProviderPact & { head_kind: 'branch' | 'tag'; head_name: string };

/**
 * The pacts of the heads of every consumer branch and every consumer tag (the newest version on
 * the branch or with the tag, whatever its pacts: a head that dropped this provider offers none),
 * published since `since`, optionally of some consumers only. The candidates for WIP pacts.
 */
export async function headPactsSince(
  db: Db,
  provider: Pacticipant,
  since: string,
  consumers?: string[],
): Promise<HeadPact[]> {
  const ofConsumers = consumers ? sql`AND c.name IN (${sql.join(consumers)})` : sql``;
  const pactOfHead = sql`
    JOIN versions cv ON cv.id = h.version_id
    JOIN pacticipants c ON c.id = h.consumer_id
    JOIN pact_publications pp ON pp.consumer_version_id = cv.id AND pp.provider_id = ${provider.id}
      AND pp.revision = (SELECT MAX(p2.revision) FROM pact_publications p2
        WHERE p2.consumer_version_id = cv.id AND p2.provider_id = ${provider.id})
    JOIN pact_versions pv ON pv.id = pp.pact_version_id
    WHERE pp.created_at >= ${since} ${ofConsumers}`;
  const columns = sql`pv.id AS pact_version_id, pv.sha, c.name AS consumer_name, c.id AS consumer_id,
    c.main_branch, cv.number AS consumer_version, cv.id AS consumer_version_id, pp.created_at, h.head_name`;
  const consumersOfProvider = sql`SELECT DISTINCT y.consumer_id FROM pact_publications y WHERE y.provider_id = ${provider.id}`;
  const { rows: branchHeads } = await sql<HeadPact>`
    SELECT ${columns}, 'branch' AS head_kind FROM (
      SELECT b.pacticipant_id AS consumer_id, b.name AS head_name,
        (SELECT MAX(bv.version_id) FROM branch_versions bv WHERE bv.branch_id = b.id) AS version_id
      FROM branches b WHERE b.pacticipant_id IN (${consumersOfProvider})) h
    ${pactOfHead}`.execute(db);
  const { rows: tagHeads } = await sql<HeadPact>`
    SELECT ${columns}, 'tag' AS head_kind FROM (
      SELECT t.pacticipant_id AS consumer_id, t.name AS head_name, MAX(t.version_id) AS version_id
      FROM tags t WHERE t.pacticipant_id IN (${consumersOfProvider})
      GROUP BY t.pacticipant_id, t.name) h
    ${pactOfHead}`.execute(db);
  return [...branchHeads, ...tagHeads];
}

/**
 * Runs `query` over the ids a thousand at a time and joins the rows: a provider with thousands of
 * selected pacts must not exceed a database's limit on bound parameters.
 */
async function inBatches<T>(ids: number[], query: (batch: number[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let at = 0; at < ids.length; at += 1000) rows.push(...(await query(ids.slice(at, at + 1000))));
  return rows;
}

/** Whose successful verifications settle a pact: a provider branch's, a provider tag's, or anyone's. */
export type SettledBy = { branch: string } | { tag: string } | 'anyone';

/**
 * Of these pact versions, those successfully verified for the provider branch (or tag): by a
 * provider version on it, or by one on another branch (with another tag) before this branch (tag)
 * was first created, so a new branch inherits what its parent proved. With 'anyone', by any
 * provider version. `nonWipOnly` counts only verifications of pacts that were not WIP (the WIP
 * rule); pending status counts them all, as the reference broker does. One query per call.
 */
export async function settledPactVersions(
  db: Db,
  provider: Pacticipant,
  pactVersionIds: number[],
  by: SettledBy,
  nonWipOnly: boolean,
): Promise<Set<number>> {
  let settledBy = sql``;
  if (by !== 'anyone' && 'branch' in by) {
    const onBranch = (op: string) =>
      sql`EXISTS (SELECT 1 FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id
        WHERE bv.version_id = v.provider_version_id AND b.name ${sql.raw(op)} ${by.branch})`;
    settledBy = sql`AND (${onBranch('=')} OR (${onBranch('<>')} AND NOT EXISTS (
      SELECT 1 FROM branches nb WHERE nb.pacticipant_id = ${provider.id} AND nb.name = ${by.branch}
        AND nb.created_at <= v.created_at)))`;
  } else if (by !== 'anyone') {
    const withTag = (op: string) =>
      sql`EXISTS (SELECT 1 FROM tags t WHERE t.version_id = v.provider_version_id AND t.name ${sql.raw(op)} ${by.tag})`;
    settledBy = sql`AND (${withTag('=')} OR (${withTag('<>')} AND NOT EXISTS (
      SELECT 1 FROM tags nt WHERE nt.pacticipant_id = ${provider.id} AND nt.name = ${by.tag}
        AND nt.created_at <= v.created_at)))`;
  }
  // EXISTS per pact version stops at its first settling verification; a DISTINCT over all of them
  // read every verification of the pacts (hundreds each) and PostgreSQL hashed every version on
  // the branch (all of branch_versions) to test them: ~10x slower at the bench's size
  const rows = await inBatches(pactVersionIds, async (batch) => {
    const { rows } = await sql<{ pact_version_id: number }>`
      SELECT pv.id AS pact_version_id FROM pact_versions pv
      WHERE pv.id IN (${sql.join(batch)}) AND EXISTS (SELECT 1 FROM verifications v
        WHERE v.pact_version_id = pv.id AND v.provider_id = ${provider.id} AND v.success = 1
          -- a comparison with the provider's contract proves nothing about its verifier's run
          AND v.provider_contract_id IS NULL
          ${nonWipOnly ? sql`AND v.wip = 0` : sql``}
          ${settledBy})`.execute(db);
    return rows;
  });
  return new Set(rows.map((r) => Number(r.pact_version_id)));
}

/**
 * Of these pact versions, those whose content belongs to a consumer version currently deployed or
 * released (still supported), with those versions' numbers: such a pact is never pending
 * (pact_broker#515), since the consumer already relies on it.
 */
export async function deployedOrReleasedPactVersions(
  db: Db,
  provider: Pacticipant,
  pactVersionIds: number[],
): Promise<Map<number, string[]>> {
  const rows = await inBatches(pactVersionIds, async (batch) => {
    const { rows } = await sql<{ pact_version_id: number; number: string }>`
      SELECT DISTINCT pp.pact_version_id, cv.number FROM pact_publications pp
      JOIN versions cv ON cv.id = pp.consumer_version_id
      WHERE pp.provider_id = ${provider.id} AND pp.pact_version_id IN (${sql.join(batch)})
        AND pp.revision = (SELECT MAX(p2.revision) FROM pact_publications p2
          WHERE p2.consumer_version_id = pp.consumer_version_id AND p2.provider_id = pp.provider_id)
        AND pp.consumer_version_id IN (
          SELECT d.version_id FROM deployed_versions d WHERE d.undeployed_at IS NULL
          UNION SELECT r.version_id FROM released_versions r WHERE r.support_ended_at IS NULL)
      ORDER BY cv.number`.execute(db);
    return rows;
  });
  const out = new Map<number, string[]>();
  for (const r of rows) {
    const id = Number(r.pact_version_id);
    out.set(id, [...(out.get(id) ?? []), r.number]);
  }
  return out;
}

/**
 * Of these verification results, those that failed while their pact was pending (published through
 * a for-verification URL that said so): can-i-deploy names them, as the provider's build passed.
 */
export async function failedWhilePending(db: Db, verificationIds: number[]): Promise<Set<number>> {
  const rows = await inBatches(verificationIds, (batch) =>
    db
      .selectFrom('verifications')
      .select('id')
      .where('id', 'in', batch)
      .where('success', '=', 0)
      .where('pact_pending', '=', 1)
      .execute(),
  );
  return new Set(rows.map((r) => Number(r.id)));
}
