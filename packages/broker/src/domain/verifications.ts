import { requestError } from '../errors.js';
import { type Db, ensurePacticipant, ensureVersion, now, type Pacticipant } from './pacticipants.js';

export interface VerificationInput {
  success?: unknown;
  providerApplicationVersion?: unknown;
  buildUrl?: unknown;
  testResults?: unknown;
  verifiedBy?: unknown;
}

/** Records a verification result for a pact version (the provider version is created if new). */
export async function recordVerification(
  db: Db,
  consumer: Pacticipant,
  providerName: string,
  pactVersionId: number,
  input: VerificationInput,
  flags: { wip: boolean; pending: boolean },
) {
  const errors: Record<string, string[]> = {};
  if (typeof input.success !== 'boolean') errors.success = ['success must be true or false'];
  if (
    typeof input.providerApplicationVersion !== 'string' ||
    input.providerApplicationVersion.trim() === ''
  ) {
    errors.providerApplicationVersion = ['providerApplicationVersion must be a non-blank version number'];
  }
  if (input.buildUrl !== undefined && input.buildUrl !== null && typeof input.buildUrl !== 'string')
    errors.buildUrl = ['buildUrl must be a URL string'];
  if (Object.keys(errors).length > 0)
    throw requestError('COV_BROKER_REQUEST_INVALID', Object.values(errors).flat().join('; '), { errors });
  const provider = await ensurePacticipant(db, providerName);
  const version = await ensureVersion(db, provider, input.providerApplicationVersion as string);
  const inserted = await db
    .insertInto('verifications')
    .values({
      pact_version_id: pactVersionId,
      consumer_id: consumer.id,
      provider_id: provider.id,
      provider_version_id: version.id,
      success: input.success ? 1 : 0,
      build_url: typeof input.buildUrl === 'string' ? input.buildUrl : null,
      test_results: input.testResults === undefined ? null : JSON.stringify(input.testResults),
      verified_by: input.verifiedBy === undefined ? null : JSON.stringify(input.verifiedBy),
      wip: flags.wip ? 1 : 0,
      pact_pending: flags.pending ? 1 : 0,
      created_at: now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: inserted.id, provider, version };
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
    .executeTakeFirst();
  return row ? verificationById(db, row.id) : undefined;
}
