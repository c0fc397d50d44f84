import { type Db, findVersion, holdRow, now, type Pacticipant } from '../db/pacticipants-repo.js';
import { pactsOfConsumerVersion } from '../db/pacts-repo.js';
import { insertVerification, latestVerificationFor } from '../db/verifications-repo.js';
import { requestError } from '../errors.js';
import { ensurePacticipant, ensureVersion } from './pacticipants.js';

/** A verification result, as Fastify validated it against VerificationResultInput (routes/schemas). */
export interface VerificationInput {
  success: boolean;
  /** Not blank. */
  providerApplicationVersion: string;
  buildUrl?: string | null;
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
  // the pact was looked up before this transaction: a clean or DELETE may have removed it since
  if (!(await holdRow(db, 'pact_versions', pactVersionId)))
    throw requestError('COV_BROKER_NOT_FOUND', 'the pact these results are for was deleted meanwhile');
  const provider = await ensurePacticipant(db, providerName);
  const version = await ensureVersion(db, provider, input.providerApplicationVersion);
  const id = await insertVerification(db, {
    pact_version_id: pactVersionId,
    consumer_id: consumer.id,
    provider_id: provider.id,
    provider_version_id: version.id,
    success: input.success ? 1 : 0,
    build_url: input.buildUrl ?? null,
    test_results: input.testResults === undefined ? null : JSON.stringify(input.testResults),
    verified_by: input.verifiedBy === undefined ? null : JSON.stringify(input.verifiedBy),
    wip: flags.wip ? 1 : 0,
    pact_pending: flags.pending ? 1 : 0,
    created_at: now(),
  });
  return {
    id,
    provider,
    version,
    success: input.success,
    ...(input.buildUrl != null ? { buildUrl: input.buildUrl } : {}),
  };
}

/**
 * The latest verification of each pact of a consumer version, and the reference's summary of them:
 * the providers whose latest verification succeeded, failed, or that never verified the pact;
 * `success` when there is at least one pact and every one's latest verification succeeded.
 *
 * @example const { success, unknown } = await latestVerificationsOfConsumerVersion(db, web, '1.0.0');
 */
export async function latestVerificationsOfConsumerVersion(
  db: Db,
  consumer: Pacticipant,
  versionNumber: string,
) {
  if (!(await findVersion(db, consumer.id, versionNumber)))
    throw requestError('COV_BROKER_NOT_FOUND', `'${consumer.name}' has no version '${versionNumber}'`);
  const pacts = await pactsOfConsumerVersion(db, consumer.id, versionNumber);
  const latest = await Promise.all(pacts.map((pact) => latestVerificationFor(db, pact.pact_version_id)));
  const successful: string[] = [];
  const failed: string[] = [];
  const unknown: string[] = [];
  pacts.forEach((pact, i) => {
    const verification = latest[i];
    (verification === undefined ? unknown : verification.success === 1 ? successful : failed).push(
      pact.provider,
    );
  });
  return {
    success: pacts.length > 0 && successful.length === pacts.length,
    providerSummary: { successful, failed, unknown },
    verifications: latest.filter((v) => v !== undefined),
  };
}
