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
function latestPerConsumer(rows: ProviderPact[]): ProviderPact[] {
  const seen = new Map<number, ProviderPact>();
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
): Promise<ProviderPact[]> {
  const branchCondition =
    branch === MAIN_BRANCH
      ? sql`((c.main_branch IS NOT NULL AND b.name = c.main_branch) OR (c.main_branch IS NULL AND b.name IN ('main', 'master')))`
      : sql`b.name = ${branch}`;
  // The heads are found first, materialised, then joined: joined directly, PostgreSQL estimated the
  // head look-up badly for some providers and hashed every version (~170 ms instead of ~5 ms).
  const { rows } = await sql<ProviderPact>`
    WITH heads AS MATERIALIZED (
      SELECT b.pacticipant_id AS consumer_id, (
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
      cv.number AS consumer_version, cv.id AS consumer_version_id, pp.created_at
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

export async function inEnvironment(
  db: Db,
  provider: Pacticipant,
  kind: 'deployed' | 'released' | 'either',
  environment?: string,
  consumer?: string,
): Promise<ProviderPact[]> {
  let q = pactsOf(db, provider);
  if (consumer) q = q.where('c.name', '=', consumer);
  const envFilter = environment ? sql`AND e.name = ${environment}` : sql``;
  // start from the (few) current deployments and releases, not from every publication
  const deployed = sql`SELECT d.version_id FROM deployed_versions d JOIN environments e ON e.id = d.environment_id WHERE d.undeployed_at IS NULL ${envFilter}`;
  const released = sql`SELECT r.version_id FROM released_versions r JOIN environments e ON e.id = r.environment_id WHERE r.support_ended_at IS NULL ${envFilter}`;
  const versions =
    kind === 'deployed' ? deployed : kind === 'released' ? released : sql`${deployed} UNION ${released}`;
  const condition = sql`pp.consumer_version_id IN (${versions})`;
  return q.where(condition as never).execute();
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

/** The pacts of consumer versions on any branch published since a time, with the branch. */
export async function branchPactsSince(db: Db, provider: Pacticipant, since: string) {
  return pactsOf(db, provider)
    .innerJoin('branch_versions as bv', 'bv.version_id', 'cv.id')
    .select('bv.branch_id')
    .where('pp.created_at', '>=', since)
    .execute();
}

/** Whether no provider version on the branch (or with the tags, or at all) has verified this pact successfully. */
export async function isPending(
  db: Db,
  provider: Pacticipant,
  pactVersionId: number,
  provenBy: { branch?: string; tags?: string[] },
): Promise<boolean> {
  let q = db
    .selectFrom('verifications as v')
    .select('v.id')
    .where('v.pact_version_id', '=', pactVersionId)
    .where('v.provider_id', '=', provider.id)
    .where('v.success', '=', 1)
    .where('v.wip', '=', 0)
    // a comparison with the provider's contract proves nothing about its verifier's run
    .where('v.provider_contract_id', 'is', null);
  if (provenBy.branch) {
    const branch = provenBy.branch;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('branch_versions as bv')
          .innerJoin('branches as b', 'b.id', 'bv.branch_id')
          .select('bv.id')
          .whereRef('bv.version_id', '=', 'v.provider_version_id')
          .where('b.name', '=', branch),
      ),
    );
  } else if (provenBy.tags?.length) {
    const tags = provenBy.tags;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('tags as t')
          .select('t.id')
          .whereRef('t.version_id', '=', 'v.provider_version_id')
          .where('t.name', 'in', tags),
      ),
    );
  }
  // one successful verification settles it: stop at the first
  return (await q.limit(1).executeTakeFirst()) === undefined;
}
