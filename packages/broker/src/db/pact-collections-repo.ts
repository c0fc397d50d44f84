import { sql } from 'kysely';
import type { Db } from './pacticipants-repo.js';

// Collections of pacts (a provider's, or an integration's, picked by tag or branch) and the broker's
// counts for /metrics: every query behind routes/pact-collections.ts.

/** Which consumer versions' pacts a collection holds. */
export interface PactFilter {
  consumerId?: number;
  tag?: string | undefined;
  branch?: string | undefined;
  /** On each consumer's configured main branch. */
  mainBranch?: boolean;
  /** Only consumer versions without any tag. */
  untagged?: boolean;
  /** Consumer versions currently deployed or released (and supported) in this environment. */
  environmentId?: number;
  /** Only the newest matching consumer version of each consumer. */
  latest?: boolean;
}

/** A pact in a collection: the latest revision published for a consumer version. */
export interface CollectedPact {
  consumer: string;
  consumer_version_number: string;
  consumer_version_id: number;
  pact_version_id: number;
  sha: string;
  created_at: string;
}

/**
 * The pacts with a provider whose consumer version matches `filter`, newest consumer version first,
 * in one query (the `latest` pick is made over its rows).
 */
export async function collectPacts(db: Db, providerId: number, filter: PactFilter): Promise<CollectedPact[]> {
  let query = db
    .selectFrom('pact_publications as pp')
    .innerJoin('pact_versions as pv', 'pv.id', 'pp.pact_version_id')
    .innerJoin('versions as cv', 'cv.id', 'pp.consumer_version_id')
    .innerJoin('pacticipants as c', 'c.id', 'pp.consumer_id')
    .select([
      'c.name as consumer',
      'cv.number as consumer_version_number',
      'cv.id as consumer_version_id',
      'pv.id as pact_version_id',
      'pv.sha',
      'pp.created_at',
    ])
    .where('pp.provider_id', '=', providerId)
    .where('pp.id', 'in', (eb) =>
      eb
        .selectFrom('pact_publications as p2')
        .select((sb) => sb.fn.max('p2.id').as('id'))
        .where('p2.provider_id', '=', providerId)
        .groupBy(['p2.consumer_version_id']),
    );
  if (filter.consumerId !== undefined) query = query.where('pp.consumer_id', '=', filter.consumerId);
  const { tag, branch } = filter;
  if (tag !== undefined)
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('tags as t')
          .select('t.id')
          .whereRef('t.version_id', '=', 'cv.id')
          .where('t.name', '=', tag),
      ),
    );
  if (filter.untagged)
    query = query.where((eb) =>
      eb.not(eb.exists(eb.selectFrom('tags as t').select('t.id').whereRef('t.version_id', '=', 'cv.id'))),
    );
  if (branch !== undefined || filter.mainBranch)
    query = query.where((eb) => {
      const onBranch = eb
        .selectFrom('branch_versions as bv')
        .innerJoin('branches as b', 'b.id', 'bv.branch_id')
        .select('bv.id')
        .whereRef('bv.version_id', '=', 'cv.id');
      return eb.exists(
        branch !== undefined
          ? onBranch.where('b.name', '=', branch)
          : onBranch.whereRef('b.name', '=', 'c.main_branch'),
      );
    });
  const { environmentId } = filter;
  if (environmentId !== undefined)
    query = query.where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('deployed_versions as d')
            .select('d.id')
            .whereRef('d.version_id', '=', 'cv.id')
            .where('d.environment_id', '=', environmentId)
            .where('d.undeployed_at', 'is', null),
        ),
        eb.exists(
          eb
            .selectFrom('released_versions as r')
            .select('r.id')
            .whereRef('r.version_id', '=', 'cv.id')
            .where('r.environment_id', '=', environmentId)
            .where('r.support_ended_at', 'is', null),
        ),
      ]),
    );
  const rows = await query.orderBy('cv.id', 'desc').execute();
  if (!filter.latest) return rows;
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(row.consumer) && seen.add(row.consumer) !== undefined);
}

/** The contents of these pact versions, by id, in one query. */
export async function pactContents(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('pact_versions')
    .select(['id', 'content'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.id, row.content]));
}

/** The reference broker's /metrics counts, one query. */
export async function countEverything(db: Db) {
  const count = (table: string) => sql<number>`(select count(*) from ${sql.table(table)})`;
  const row = await db
    .selectNoFrom([
      count('pacticipants').as('pacticipants'),
      sql<number>`(select count(*) from (select distinct consumer_id, provider_id from pact_publications) i)`.as(
        'integrations',
      ),
      count('pact_publications').as('pactPublications'),
      count('pact_versions').as('pactVersions'),
      count('verifications').as('verificationResults'),
      sql<number>`(select count(distinct pact_version_id) from verifications)`.as('verifiedPactVersions'),
      count('versions').as('pacticipantVersions'),
      count('webhooks').as('webhooks'),
      count('tags').as('tags'),
      count('triggered_webhooks').as('triggeredWebhooks'),
      count('webhook_executions').as('webhookExecutions'),
      count('environments').as('environments'),
      count('deployed_versions').as('deployedVersions'),
      sql<number>`(select count(*) from deployed_versions where undeployed_at is null)`.as(
        'currentlyDeployed',
      ),
      count('released_versions').as('releasedVersions'),
      sql<number>`(select count(*) from released_versions where support_ended_at is null)`.as(
        'currentlySupported',
      ),
    ])
    .executeTakeFirstOrThrow();
  // PostgreSQL's count() is a bigint, which the driver gives as a string
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)])) as Record<
    keyof typeof row,
    number
  >;
}

/** Whether the database answers a query (for /diagnostic/status/dependencies). */
export async function databaseAnswers(db: Db): Promise<boolean> {
  try {
    await db.selectNoFrom(sql<number>`1`.as('one')).execute();
    return true;
  } catch {
    return false;
  }
}
