import type { Insertable } from 'kysely';
import { type Db, insertOrHold, locksRows, type Pacticipant } from './pacticipants-repo.js';
import type { Database } from './schema.js';

// Pact contents (pact_versions) and their publications for consumer versions: every query on them.

/** The latest revision published for a consumer version and provider, with its content's sha. */
export function latestPublication(db: Db, consumerVersionId: number, providerId: number) {
  return db
    .selectFrom('pact_publications')
    .innerJoin('pact_versions', 'pact_versions.id', 'pact_publications.pact_version_id')
    .select(['pact_publications.revision', 'pact_versions.sha', 'pact_versions.id as pact_version_id'])
    .where('pact_publications.consumer_version_id', '=', consumerVersionId)
    .where('pact_publications.provider_id', '=', providerId)
    .orderBy('pact_publications.revision', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The content of a pact version. */
export async function pactContent(db: Db, pactVersionId: number): Promise<string> {
  const row = await db
    .selectFrom('pact_versions')
    .select('content')
    .where('id', '=', pactVersionId)
    .executeTakeFirstOrThrow();
  return row.content;
}

/**
 * The pact content with this sha for a publication to refer to: inserted (`inserted`), or the copy
 * the integration has already, locked on PostgreSQL (FOR KEY SHARE) until the write commits, so
 * that the clean cannot delete it as unreferenced meanwhile. A clean that deleted it between the
 * insert that found it and the look-up makes it inserted again.
 */
export async function storePactVersion(
  db: Db,
  consumerId: number,
  providerId: number,
  sha: string,
  content: string,
  createdAt: string,
): Promise<{ id: number; content: string; inserted: boolean }> {
  const { row, created } = await insertOrHold(
    async () => {
      const inserted = await db
        .insertInto('pact_versions')
        .values({ consumer_id: consumerId, provider_id: providerId, sha, content, created_at: createdAt })
        .onConflict((oc) => oc.columns(['consumer_id', 'provider_id', 'sha']).doNothing())
        .returning('id')
        .executeTakeFirst();
      // the content is not read back: it is the one just sent
      return inserted && { id: inserted.id, content };
    },
    // the same content published before for another version is stored once: that copy is served
    () =>
      db
        .selectFrom('pact_versions')
        .select(['id', 'content'])
        .where('consumer_id', '=', consumerId)
        .where('provider_id', '=', providerId)
        .where('sha', '=', sha)
        .$if(locksRows(db), (q) => q.forKeyShare())
        .executeTakeFirst(),
    `the pact content ${sha}`,
  );
  return { ...row, inserted: created };
}

/** Stores a publication; false when its revision was taken meanwhile (a concurrent publish). */
export async function insertPublication(
  db: Db,
  publication: Insertable<Database['pact_publications']>,
): Promise<boolean> {
  const row = await db
    .insertInto('pact_publications')
    .values(publication)
    .onConflict((oc) => oc.columns(['consumer_version_id', 'provider_id', 'revision']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** A publication joined with its content and consumer version. */
export interface PactRow {
  pact_version_id: number;
  sha: string;
  content: string;
  consumer_version_id: number;
  consumer_version_number: string;
  consumer_id: number;
  provider_id: number;
  created_at: string;
}

function publications(db: Db) {
  return db
    .selectFrom('pact_publications as pp')
    .innerJoin('pact_versions as pv', 'pv.id', 'pp.pact_version_id')
    .innerJoin('versions as cv', 'cv.id', 'pp.consumer_version_id')
    .select([
      'pv.id as pact_version_id',
      'pv.sha',
      'pv.content',
      'cv.id as consumer_version_id',
      'cv.number as consumer_version_number',
      'pp.consumer_id',
      'pp.provider_id',
      'pp.created_at',
    ]);
}

/** The latest revision of the pact for a consumer version. */
export async function pactForVersion(
  db: Db,
  consumer: Pacticipant,
  provider: Pacticipant,
  versionNumber: string,
): Promise<PactRow | undefined> {
  return publications(db)
    .where('pp.consumer_id', '=', consumer.id)
    .where('pp.provider_id', '=', provider.id)
    .where('cv.number', '=', versionNumber)
    .orderBy('pp.revision', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The pact of the latest consumer version (optionally with a tag or on a branch). */
export async function latestPact(
  db: Db,
  consumer: Pacticipant,
  provider: Pacticipant,
  filter: { tag?: string; branch?: string } = {},
): Promise<PactRow | undefined> {
  let query = publications(db)
    .where('pp.consumer_id', '=', consumer.id)
    .where('pp.provider_id', '=', provider.id);
  if (filter.tag) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('tags')
          .select('tags.id')
          .whereRef('tags.version_id', '=', 'cv.id')
          .where('tags.name', '=', filter.tag!),
      ),
    );
  }
  if (filter.branch) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('branch_versions as bv')
          .innerJoin('branches as b', 'b.id', 'bv.branch_id')
          .select('bv.id')
          .whereRef('bv.version_id', '=', 'cv.id')
          .where('b.name', '=', filter.branch!),
      ),
    );
  }
  // one row, in the order of the publication's own index: without the limit (executeTakeFirst adds
  // none), or ordered by the joined version's id, every publication of the integration was read with
  // its content (10,000 of ~10 KB at the bench's full size: over a second)
  return query
    .orderBy('pp.consumer_version_id', 'desc')
    .orderBy('pp.revision', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function pactBySha(
  db: Db,
  consumer: Pacticipant,
  provider: Pacticipant,
  sha: string,
): Promise<PactRow | undefined> {
  return publications(db)
    .where('pp.consumer_id', '=', consumer.id)
    .where('pp.provider_id', '=', provider.id)
    .where('pv.sha', '=', sha)
    .orderBy('pp.consumer_version_id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The latest pact of every integration, in one query. */
export async function latestPerIntegration(db: Db) {
  return db
    .selectFrom('pact_publications as pp')
    .innerJoin('pacticipants as c', 'c.id', 'pp.consumer_id')
    .innerJoin('pacticipants as p', 'p.id', 'pp.provider_id')
    .innerJoin('versions as cv', 'cv.id', 'pp.consumer_version_id')
    .innerJoin('pact_versions as pv', 'pv.id', 'pp.pact_version_id')
    .select(['c.name as consumer', 'p.name as provider', 'cv.number as version', 'pv.sha', 'pp.created_at'])
    .where('pp.id', 'in', (eb) =>
      eb
        .selectFrom('pact_publications as p2')
        .select((sb) => sb.fn.max('p2.id').as('id'))
        .groupBy(['p2.consumer_id', 'p2.provider_id']),
    )
    .orderBy('c.name')
    .orderBy('p.name')
    .execute();
}

/** Every publication of an integration, newest consumer version and revision first. */
export async function publicationsOf(db: Db, consumerId: number, providerId: number) {
  return db
    .selectFrom('pact_publications as pp')
    .innerJoin('versions as cv', 'cv.id', 'pp.consumer_version_id')
    .innerJoin('pact_versions as pv', 'pv.id', 'pp.pact_version_id')
    .select(['cv.number', 'pv.sha', 'pp.created_at'])
    .where('pp.consumer_id', '=', consumerId)
    .where('pp.provider_id', '=', providerId)
    .orderBy('cv.id', 'desc')
    .orderBy('pp.revision', 'desc')
    .execute();
}

/** The consumers with a pact with a provider, by name. */
export async function consumersOf(db: Db, providerId: number): Promise<Pacticipant[]> {
  return db
    .selectFrom('pact_publications as pp')
    .innerJoin('pacticipants as c', 'c.id', 'pp.consumer_id')
    .selectAll('c')
    .distinct()
    .where('pp.provider_id', '=', providerId)
    .orderBy('c.name')
    .execute();
}

export type BadgeStatus = 'verified' | 'failed' | 'unknown';

/**
 * The status of the latest pact between a consumer and a provider (optionally the latest whose
 * consumer version has a tag, or has none): the outcome of that pact content's latest verification,
 * or unknown when there is no such pact or it was never verified. One query, ordered as
 * `latestPact` orders.
 */
export async function pactBadgeStatus(
  db: Db,
  consumer: string,
  provider: string,
  tag?: string | { untagged: true },
): Promise<BadgeStatus> {
  let query = db
    .selectFrom('pact_publications as pp')
    .innerJoin('pacticipants as c', 'c.id', 'pp.consumer_id')
    .innerJoin('pacticipants as p', 'p.id', 'pp.provider_id')
    .where('c.name', '=', consumer)
    .where('p.name', '=', provider)
    .select((eb) =>
      eb
        .selectFrom('verifications as v')
        .select('v.success')
        .whereRef('v.pact_version_id', '=', 'pp.pact_version_id')
        .orderBy('v.id', 'desc')
        .limit(1)
        .as('success'),
    );
  if (tag !== undefined)
    query = query.where((eb) => {
      const tags = eb
        .selectFrom('tags as t')
        .select('t.id')
        .whereRef('t.version_id', '=', 'pp.consumer_version_id');
      return typeof tag === 'string' ? eb.exists(tags.where('t.name', '=', tag)) : eb.not(eb.exists(tags));
    });
  const row = await query
    .orderBy('pp.consumer_version_id', 'desc')
    .orderBy('pp.revision', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row || row.success === null || row.success === undefined) return 'unknown';
  return Number(row.success) === 1 ? 'verified' : 'failed';
}

/**
 * The pact before `current` whose content differs: the latest publication for an earlier consumer
 * version of the same integration with another pact version (what the previous-distinct diff
 * compares against).
 */
export async function previousDistinctPactRow(db: Db, current: PactRow): Promise<PactRow | undefined> {
  return publications(db)
    .where('pp.consumer_id', '=', current.consumer_id)
    .where('pp.provider_id', '=', current.provider_id)
    .where('pp.consumer_version_id', '<', current.consumer_version_id)
    .where('pp.pact_version_id', '<>', current.pact_version_id)
    .orderBy('pp.consumer_version_id', 'desc')
    .orderBy('pp.revision', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The pact (latest revision) of a consumer version with each of its providers, by provider name. */
export async function pactsOfConsumerVersion(db: Db, consumerId: number, versionNumber: string) {
  const rows = await db
    .selectFrom('pact_publications as pp')
    .innerJoin('versions as cv', 'cv.id', 'pp.consumer_version_id')
    .innerJoin('pacticipants as p', 'p.id', 'pp.provider_id')
    .select(['p.name as provider', 'pp.pact_version_id'])
    .where('cv.pacticipant_id', '=', consumerId)
    .where('cv.number', '=', versionNumber)
    .orderBy('p.name')
    .orderBy('pp.revision', 'desc')
    .execute();
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(row.provider) && seen.add(row.provider) !== undefined);
}
