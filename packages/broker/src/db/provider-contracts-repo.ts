import { type Insertable, sql } from 'kysely';
import type { Db } from './pacticipants-repo.js';
import type { Database } from './schema.js';

// Provider contracts and their comparisons with pacts: every query on provider_contracts and
// contract_comparisons, and on the verification rows comparisons are recorded as.

/** Stores a provider version's contract, replacing one published before for that version; its id. */
export async function upsertProviderContract(
  db: Db,
  row: Insertable<Database['provider_contracts']>,
): Promise<number> {
  const { provider_version_id, provider_id, created_at, ...contract } = row;
  const stored = await db
    .insertInto('provider_contracts')
    .values(row)
    .onConflict((oc) => oc.column('provider_version_id').doUpdateSet({ ...contract, created_at }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return stored.id;
}

/** A contract with its provider's name and its version's number. */
export function providerContractById(db: Db, id: number) {
  return db
    .selectFrom('provider_contracts as pc')
    .innerJoin('pacticipants as p', 'p.id', 'pc.provider_id')
    .innerJoin('versions as v', 'v.id', 'pc.provider_version_id')
    .selectAll('pc')
    .select(['p.name as provider_name', 'v.number as provider_version'])
    .where('pc.id', '=', id)
    .executeTakeFirst();
}

export type ProviderContractRow = NonNullable<Awaited<ReturnType<typeof providerContractById>>>;

/** The contract of a provider version, if it published one. */
export async function providerContractOfVersion(db: Db, providerVersionId: number) {
  const row = await db
    .selectFrom('provider_contracts')
    .select('id')
    .where('provider_version_id', '=', providerVersionId)
    .executeTakeFirst();
  return row ? providerContractById(db, row.id) : undefined;
}

/**
 * The ids of the contracts a new pact for this provider is compared with: the newest contract on
 * the provider's main branch and those of its versions currently deployed or released.
 */
export async function relevantContractIds(db: Db, providerId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    SELECT pc.id FROM provider_contracts pc WHERE pc.provider_id = ${providerId} AND (
      pc.provider_version_id = (SELECT MAX(c2.provider_version_id) FROM provider_contracts c2
        JOIN branch_versions bv ON bv.version_id = c2.provider_version_id
        JOIN branches b ON b.id = bv.branch_id
        JOIN pacticipants mp ON mp.id = b.pacticipant_id AND mp.main_branch = b.name
        WHERE c2.provider_id = ${providerId})
      OR pc.provider_version_id IN (SELECT d.version_id FROM deployed_versions d
        WHERE d.pacticipant_id = ${providerId} AND d.undeployed_at IS NULL)
      OR pc.provider_version_id IN (SELECT r.version_id FROM released_versions r
        WHERE r.pacticipant_id = ${providerId} AND r.support_ended_at IS NULL))
    ORDER BY pc.id`.execute(db);
  return rows.map((r) => r.id);
}

/** A pact version to compare: its id, sha, consumer and content. */
export interface PactToCompare {
  id: number;
  sha: string;
  consumer_id: number;
  content: string;
}

/** A pact version by id, for comparison. */
export function pactToCompare(db: Db, pactVersionId: number): Promise<PactToCompare | undefined> {
  return db
    .selectFrom('pact_versions')
    .select(['id', 'sha', 'consumer_id', 'content'])
    .where('id', '=', pactVersionId)
    .executeTakeFirst();
}

/** The provider of a pact version. */
export async function providerOfPactVersion(db: Db, pactVersionId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('pact_versions')
    .select('provider_id')
    .where('id', '=', pactVersionId)
    .executeTakeFirst();
  return row?.provider_id;
}

/** The newest pact versions published for a provider (by any consumer), newest first. */
export function recentPactsForProvider(db: Db, providerId: number, limit: number): Promise<PactToCompare[]> {
  return db
    .selectFrom('pact_versions')
    .select(['id', 'sha', 'consumer_id', 'content'])
    .where('provider_id', '=', providerId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** A cached comparison of a pact with a contract, by their shas. */
export function findComparison(db: Db, pactSha: string, contractSha: string) {
  return db
    .selectFrom('contract_comparisons')
    .selectAll()
    .where('pact_sha', '=', pactSha)
    .where('contract_sha', '=', contractSha)
    .executeTakeFirst();
}

/** Caches a comparison (a concurrent one with the same shas wins, with the same answer). */
export async function insertComparison(
  db: Db,
  row: Insertable<Database['contract_comparisons']>,
): Promise<void> {
  await db
    .insertInto('contract_comparisons')
    .values(row)
    .onConflict((oc) => oc.columns(['pact_sha', 'contract_sha']).doNothing())
    .execute();
}

/**
 * Whether a pact version already has a result by this provider version that a comparison with
 * `contractId` must not add to: any verifier's run (it outranks a comparison), or a comparison
 * with this contract.
 */
export async function hasResultFor(
  db: Db,
  pactVersionId: number,
  providerVersionId: number,
  contractId: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('verifications')
    .select('id')
    .where('pact_version_id', '=', pactVersionId)
    .where('provider_version_id', '=', providerVersionId)
    .where((eb) =>
      eb.or([eb('provider_contract_id', 'is', null), eb('provider_contract_id', '=', contractId)]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets the results recorded from a contract (it was replaced by new content). */
export async function deleteComparisonResults(db: Db, contractId: number): Promise<void> {
  await db.deleteFrom('verifications').where('provider_contract_id', '=', contractId).execute();
}

/** The comparisons recorded for a pact version (by consumer, provider and sha), newest first. */
export function comparisonsOfPactSha(db: Db, consumer: string, provider: string, sha: string) {
  return db
    .selectFrom('verifications as v')
    .innerJoin('pact_versions as pv', 'pv.id', 'v.pact_version_id')
    .innerJoin('pacticipants as c', 'c.id', 'pv.consumer_id')
    .innerJoin('pacticipants as p', 'p.id', 'pv.provider_id')
    .innerJoin('versions as prv', 'prv.id', 'v.provider_version_id')
    .select(['v.id', 'v.success', 'v.created_at', 'prv.number as provider_version'])
    .where('c.name', '=', consumer)
    .where('p.name', '=', provider)
    .where('pv.sha', '=', sha)
    .where('v.provider_contract_id', 'is not', null)
    .orderBy('v.id', 'desc')
    .execute();
}

/** The comparisons recorded from a contract, newest first, with the pacts' consumers and shas. */
export function comparisonsOfContract(db: Db, contractId: number) {
  return db
    .selectFrom('verifications as v')
    .innerJoin('pact_versions as pv', 'pv.id', 'v.pact_version_id')
    .innerJoin('pacticipants as c', 'c.id', 'pv.consumer_id')
    .select(['v.id', 'v.success', 'v.created_at', 'pv.sha', 'c.name as consumer_name'])
    .where('v.provider_contract_id', '=', contractId)
    .orderBy('v.id', 'desc')
    .execute();
}
