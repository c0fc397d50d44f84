import { sql } from 'kysely';
import type { Db } from './pacticipants-repo.js';

// Deleting pacts, versions, integrations and verification results: every query behind
// routes/deletions.ts. What hangs off a deleted row (publications, verifications, tags, branch
// membership) goes with it through the schema's ON DELETE CASCADE.

/** Deletes the publications of a consumer version's pact with a provider; how many went. */
export async function deletePactOfVersion(
  db: Db,
  consumerVersionId: number,
  providerId: number,
): Promise<number> {
  const result = await db
    .deleteFrom('pact_publications')
    .where('consumer_version_id', '=', consumerVersionId)
    .where('provider_id', '=', providerId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes every pact content between a consumer and a provider (with their publications and verifications). */
export async function deleteIntegrationPacts(
  db: Db,
  consumerId: number,
  providerId: number,
): Promise<number> {
  const result = await db
    .deleteFrom('pact_versions')
    .where('consumer_id', '=', consumerId)
    .where('provider_id', '=', providerId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes every pact content of every integration. */
export async function deleteAllPacts(db: Db): Promise<void> {
  await db.deleteFrom('pact_versions').execute();
}

/** Deletes a version (its tags, branch membership, pacts, verifications and deployments go too). */
export async function deleteVersion(db: Db, versionId: number): Promise<void> {
  await db.deleteFrom('versions').where('id', '=', versionId).execute();
}

/** Deletes a verification result of a pact version; whether it existed. */
export async function deleteVerification(db: Db, id: number, sha: string): Promise<boolean> {
  const result = await db
    .deleteFrom('verifications')
    .where('id', '=', id)
    .where('pact_version_id', 'in', (eb) =>
      eb.selectFrom('pact_versions').select('id').where('sha', '=', sha),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * The versions on a branch that may be deleted with it: those on no other branch and never recorded
 * as deployed or released (those are kept whatever the request says).
 */
export async function deletableBranchVersions(db: Db, branchId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('branch_versions as bv')
    .select('bv.version_id')
    .where('bv.branch_id', '=', branchId)
    .where((eb) =>
      eb.not(
        eb.or([
          eb.exists(
            eb
              .selectFrom('branch_versions as other')
              .select('other.id')
              .whereRef('other.version_id', '=', 'bv.version_id')
              .where('other.branch_id', '!=', branchId),
          ),
          eb.exists(
            eb
              .selectFrom('deployed_versions as d')
              .select('d.id')
              .whereRef('d.version_id', '=', 'bv.version_id'),
          ),
          eb.exists(
            eb
              .selectFrom('released_versions as r')
              .select('r.id')
              .whereRef('r.version_id', '=', 'bv.version_id'),
          ),
        ]),
      ),
    )
    .execute();
  return rows.map((row) => row.version_id);
}

/** Deletes these versions, in one statement. */
export async function deleteVersions(db: Db, versionIds: number[]): Promise<void> {
  if (versionIds.length > 0) await db.deleteFrom('versions').where('id', 'in', versionIds).execute();
}

/**
 * Deletes the pacts with a provider of a consumer's versions on a branch, except those of versions
 * recorded as deployed or released; how many publications went.
 */
export async function deleteBranchPacts(
  db: Db,
  consumerId: number,
  providerId: number,
  branch: string,
): Promise<number> {
  const result = await db
    .deleteFrom('pact_publications')
    .where('provider_id', '=', providerId)
    .where('consumer_id', '=', consumerId)
    .where('consumer_version_id', 'in', (eb) =>
      eb
        .selectFrom('branch_versions as bv')
        .innerJoin('branches as b', 'b.id', 'bv.branch_id')
        .select('bv.version_id')
        .where('b.pacticipant_id', '=', consumerId)
        .where('b.name', '=', branch),
    )
    .where((eb) =>
      eb.not(
        eb.or([
          eb.exists(
            eb
              .selectFrom('deployed_versions as d')
              .select('d.id')
              .whereRef('d.version_id', '=', 'pact_publications.consumer_version_id'),
          ),
          eb.exists(
            eb
              .selectFrom('released_versions as r')
              .select('r.id')
              .whereRef('r.version_id', '=', 'pact_publications.consumer_version_id'),
          ),
        ]),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The versions on a branch, newest first (at most `limit`). */
export async function versionsOnBranch(db: Db, branchId: number, limit: number) {
  return db
    .selectFrom('branch_versions as bv')
    .innerJoin('versions as v', 'v.id', 'bv.version_id')
    .selectAll('v')
    .where('bv.branch_id', '=', branchId)
    .orderBy('v.id', 'desc')
    .limit(limit)
    .execute();
}

/** A page of a pacticipant's versions, newest first, whose number contains `q`; and how many match. */
export async function versionsPage(
  db: Db,
  pacticipantId: number,
  page: { offset: number; limit: number; q?: string | undefined },
) {
  let query = db.selectFrom('versions').where('pacticipant_id', '=', pacticipantId);
  if (page.q !== undefined) {
    const pattern = `%${likeEscaped(page.q.toLowerCase())}%`;
    query = query.where(sql<boolean>`lower(number) like ${pattern} escape '\\'`);
  }
  const [rows, total] = await Promise.all([
    query.selectAll().orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.count) };
}

/** `text` for a LIKE pattern: its % and _ (and the escape) taken literally. */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
