import type { Insertable } from 'kysely';
import type { Db } from './pacticipants-repo.js';
import type { Database } from './schema.js';

// Verification results: every query on the verifications table.

/** Stores a verification result; its id. */
export async function insertVerification(
  db: Db,
  row: Insertable<Database['verifications']>,
): Promise<number> {
  const inserted = await db.insertInto('verifications').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function verificationById(db: Db, id: number) {
  return db
    .selectFrom('verifications as v')
    .innerJoin('versions as pv', 'pv.id', 'v.provider_version_id')
    .innerJoin('pacticipants as p', 'p.id', 'v.provider_id')
    .innerJoin('pacticipants as c', 'c.id', 'v.consumer_id')
    .innerJoin('pact_versions as pact', 'pact.id', 'v.pact_version_id')
    .select([
      'v.id',
      'v.success',
      'v.build_url',
      'v.test_results',
      'v.verified_by',
      'v.created_at',
      'pv.number as provider_version',
      'p.name as provider_name',
      'c.name as consumer_name',
      'pact.sha',
    ])
    .where('v.id', '=', id)
    .executeTakeFirst();
}

/** The latest verification of a pact version (by any provider version). */
export async function latestVerificationFor(db: Db, pactVersionId: number) {
  const row = await db
    .selectFrom('verifications')
    .select('id')
    .where('pact_version_id', '=', pactVersionId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? verificationById(db, row.id) : undefined;
}

/** The latest verification of any pact of a consumer version; its id. */
export async function latestVerificationOfConsumerVersion(db: Db, consumerId: number, versionNumber: string) {
  return db
    .selectFrom('verifications as v')
    .innerJoin('pact_publications as pp', 'pp.pact_version_id', 'v.pact_version_id')
    .innerJoin('versions as cv', 'cv.id', 'pp.consumer_version_id')
    .select('v.id')
    .where('cv.pacticipant_id', '=', consumerId)
    .where('cv.number', '=', versionNumber)
    .orderBy('v.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
