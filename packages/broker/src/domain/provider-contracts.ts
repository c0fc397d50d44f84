import { createHash } from 'node:crypto';
import type { ContractComparator, ContractResult, readProviderContract } from '@covenant/contracts';
import { CovenantError } from '@covenant/core';
import { type Db, now, type Version } from '../db/pacticipants-repo.js';
import {
  deleteComparisonResults,
  findComparison,
  hasResultFor,
  insertComparison,
  type PactToCompare,
  type ProviderContractRow,
  pactToCompare,
  providerContractById,
  providerOfPactVersion,
  recentPactsForProvider,
  relevantContractIds,
  upsertProviderContract,
} from '../db/provider-contracts-repo.js';
import { insertVerification } from '../db/verifications-repo.js';
import { requestError } from '../errors.js';
import {
  checkName,
  ensureBranchVersion,
  ensurePacticipant,
  ensureTag,
  findOrCreateVersion,
} from './pacticipants.js';
import type { PublishedPact } from './pacts.js';

/** How many of a provider's newest pact versions a newly published contract is compared with. */
const PACTS_PER_CONTRACT = 200;

/** @covenant/contracts, loaded when a contract is first read: a broker whose providers publish none never loads it. */
let contractsModule: Promise<typeof import('@covenant/contracts')> | undefined;
const contracts = () => (contractsModule ??= import('@covenant/contracts'));

/** Who recorded a comparison's result, as a verification's `verifiedBy`. */
const COMPARED_BY = { implementation: 'Covenant provider contract comparison' };

/** The body the official `pactflow publish-provider-contract` sends. */
export interface ProviderContractInput {
  pacticipantVersionNumber?: unknown;
  branch?: unknown;
  tags?: unknown;
  buildUrl?: unknown;
  contract?: {
    content?: unknown;
    contentType?: unknown;
    specification?: unknown;
    selfVerificationResults?: {
      success?: unknown;
      content?: unknown;
      contentType?: unknown;
      format?: unknown;
      verifier?: unknown;
      verifierVersion?: unknown;
    };
  };
}

/** What publishing a contract did. */
export interface PublishedContract {
  contract: ProviderContractRow;
  version: Version;
  created: boolean;
  branch?: string;
  tags: string[];
  compared: number;
  incompatible: number;
}

function fromBase64(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(value)) return undefined;
  return Buffer.from(value, 'base64').toString('utf8');
}

/**
 * Stores a provider version's contract (its OpenAPI or AsyncAPI document and the evidence that
 * the provider tested it), with the version's branch and tags, and compares it with the
 * provider's newest pacts.
 *
 * @example await publishProviderContract(trx, 'Orders', { pacticipantVersionNumber: '1.0.0', contract: {…} })
 */
export async function publishProviderContract(
  db: Db,
  providerName: string,
  input: ProviderContractInput,
): Promise<PublishedContract> {
  const errors: Record<string, string[]> = {};
  const refuse = (field: string, message: string) => {
    (errors[field] ??= []).push(message);
  };
  const number = input.pacticipantVersionNumber;
  if (typeof number !== 'string' || number.trim() === '')
    refuse('pacticipantVersionNumber', 'pacticipantVersionNumber must be a non-blank version number');
  if (input.branch !== undefined && input.branch !== null && typeof input.branch !== 'string')
    refuse('branch', 'branch must be a name');
  const tags = input.tags ?? [];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t.trim() === ''))
    refuse('tags', 'tags must be a list of non-blank names');
  if (input.buildUrl !== undefined && input.buildUrl !== null && typeof input.buildUrl !== 'string')
    refuse('buildUrl', 'buildUrl must be a URL string');
  const contract = input.contract;
  const text = fromBase64(contract?.content);
  if (text === undefined) refuse('contract.content', 'contract.content must be the base64-encoded document');
  const specification = contract?.specification ?? 'oas';
  if (specification !== 'oas' && specification !== 'asyncapi')
    refuse('contract.specification', "contract.specification must be 'oas' (or 'asyncapi')");
  const self = contract?.selfVerificationResults;
  if (self !== undefined && typeof self?.success !== 'boolean')
    refuse(
      'contract.selfVerificationResults.success',
      'selfVerificationResults.success must be true or false',
    );
  let parsed: ReturnType<typeof readProviderContract> | undefined;
  if (text !== undefined) {
    const { readProviderContract } = await contracts();
    try {
      parsed = readProviderContract(text, 'contract.content');
    } catch (error) {
      if (!(error instanceof CovenantError)) throw error;
      refuse('contract.content', error.message);
    }
  }
  if (Object.keys(errors).length > 0)
    throw requestError('COV_BROKER_REQUEST_INVALID', Object.values(errors).flat().join('; '), { errors });
  const branch = typeof input.branch === 'string' && input.branch !== '' ? input.branch : undefined;
  const provider = await ensurePacticipant(db, providerName);
  const { version, created } = await findOrCreateVersion(
    db,
    provider,
    checkName(number as string, 'version number'),
    typeof input.buildUrl === 'string' ? input.buildUrl : undefined,
  );
  if (branch) await ensureBranchVersion(db, provider, branch, version);
  for (const tag of tags as string[]) await ensureTag(db, provider, version, tag);
  const verification = self
    ? {
        success: self.success,
        ...(fromBase64(self.content) !== undefined ? { content: fromBase64(self.content) } : {}),
        ...(typeof self.contentType === 'string' ? { contentType: self.contentType } : {}),
        ...(typeof self.format === 'string' ? { format: self.format } : {}),
        ...(typeof self.verifier === 'string' ? { verifier: self.verifier } : {}),
        ...(typeof self.verifierVersion === 'string' ? { verifierVersion: self.verifierVersion } : {}),
      }
    : null;
  const id = await upsertProviderContract(db, {
    provider_id: provider.id,
    provider_version_id: version.id,
    sha: createHash('sha256')
      .update(text as string)
      .digest('hex'),
    content: text as string,
    content_type: typeof contract?.contentType === 'string' ? contract.contentType : 'application/yaml',
    specification: parsed!.kind === 'asyncapi' ? 'asyncapi' : 'oas',
    self_verified: verification?.success === true ? 1 : 0,
    self_verification: verification ? JSON.stringify(verification) : null,
    build_url: typeof input.buildUrl === 'string' ? input.buildUrl : null,
    created_at: now(),
  });
  // new content for the version: what was recorded from the old content no longer holds
  await deleteComparisonResults(db, id);
  const stored = (await providerContractById(db, id))!;
  const pacts = await recentPactsForProvider(db, provider.id, PACTS_PER_CONTRACT);
  let incompatible = 0;
  const comparator = comparatorFor(stored);
  for (const pact of pacts) {
    const outcome = await compareAndRecord(db, pact, stored, comparator);
    if (!outcome.compatible) incompatible++;
  }
  return {
    contract: stored,
    version,
    created,
    ...(branch ? { branch } : {}),
    tags: tags as string[],
    compared: pacts.length,
    incompatible,
  };
}

/**
 * Compares a newly published pact version with its provider's relevant contracts: the newest on
 * its main branch and those of versions currently deployed or released.
 */
export async function compareNewPact(db: Db, pactVersionId: number): Promise<void> {
  const providerId = await providerOfPactVersion(db, pactVersionId);
  if (providerId === undefined) return;
  const ids = await relevantContractIds(db, providerId);
  if (ids.length === 0) return;
  const pact = (await pactToCompare(db, pactVersionId))!;
  for (const id of ids) await compareAndRecord(db, pact, (await providerContractById(db, id))!);
}

/**
 * Compares each pact just published whose provider has contracts with those contracts, each in a
 * write of its own. publishPact learned whether the provider has any in the query that found it:
 * no read of its own, neither in the publish's transaction nor after it (where on SQLite it waited
 * for the next batch of writes to commit). Most providers publish no contract: their pacts cost no
 * write (a commit, and on SQLite a log sync). A contract published meanwhile compares itself with
 * the newest pacts.
 *
 * @example await compareNewPacts((work) => database.write(work), [published]);
 */
export async function compareNewPacts(
  write: (work: (trx: Db) => Promise<void>) => Promise<void>,
  published: PublishedPact[],
): Promise<void> {
  for (const pact of published)
    if (pact.providerHasContracts) await write((trx) => compareNewPact(trx, pact.pactVersionId));
}

/**
 * Compares contracts with their provider's newest pacts (a cached comparison costs one look-up):
 * a can-i-deploy query about a provider version compares that version's contract, whether or
 * not it is on the main branch or deployed.
 */
export async function compareContracts(db: Db, contractIds: number[]): Promise<void> {
  for (const id of contractIds) {
    const contract = (await providerContractById(db, id))!;
    const comparator = comparatorFor(contract);
    for (const pact of await recentPactsForProvider(db, contract.provider_id, PACTS_PER_CONTRACT))
      await compareAndRecord(db, pact, contract, comparator);
  }
}

/** A comparator for a stored contract, built lazily: a cached comparison needs none. */
function comparatorFor(contract: ProviderContractRow): () => Promise<ContractComparator> {
  let built: ContractComparator | undefined;
  return async () => {
    if (!built) {
      const { ContractComparator, readProviderContract } = await contracts();
      const { kind, document } = readProviderContract(contract.content, 'the provider contract');
      built = new ContractComparator(kind === 'openapi' ? { openapi: document } : { asyncapi: document });
    }
    return built;
  };
}

/** What a comparison's verification row carries as its test results. */
export interface ComparisonTestResults {
  comparison: {
    compatible: boolean;
    selfVerified: boolean;
    specification: string;
    contractSha: string;
    pactSha: string;
    results: ContractResult[];
  };
}

/**
 * Compares a pact with a contract (or takes the cached answer for their two shas) and records the
 * outcome as a verification by the contract's provider version: success when the pact is
 * compatible and the provider's self-verification passed. A verifier's own result for the pair
 * outranks a comparison, so none is recorded then.
 */
async function compareAndRecord(
  db: Db,
  pact: PactToCompare,
  contract: ProviderContractRow,
  comparator = comparatorFor(contract),
): Promise<{ compatible: boolean }> {
  let cached = await findComparison(db, pact.sha, contract.sha);
  if (!cached) {
    let results: ContractResult[];
    try {
      results = (await comparator()).compare(JSON.parse(pact.content), 'the pact');
    } catch (error) {
      if (!(error instanceof CovenantError)) throw error;
      results = [
        {
          code: 'request.spec.missing',
          type: 'error',
          message: error.message,
          interaction: { index: null, description: null, state: null },
          pactLocation: null,
          specLocation: '[root]',
        } as unknown as ContractResult,
      ];
    }
    const compatible = results.every((r) => r.type !== 'error');
    await insertComparison(db, {
      pact_sha: pact.sha,
      contract_sha: contract.sha,
      compatible: compatible ? 1 : 0,
      results: JSON.stringify(results),
      created_at: now(),
    });
    cached = (await findComparison(db, pact.sha, contract.sha))!;
  }
  const compatible = cached.compatible === 1;
  if (await hasResultFor(db, pact.id, contract.provider_version_id, contract.id)) return { compatible };
  const testResults: ComparisonTestResults = {
    comparison: {
      compatible,
      selfVerified: contract.self_verified === 1,
      specification: contract.specification,
      contractSha: contract.sha,
      pactSha: pact.sha,
      results: JSON.parse(cached.results) as ContractResult[],
    },
  };
  await insertVerification(db, {
    pact_version_id: pact.id,
    consumer_id: pact.consumer_id,
    provider_id: contract.provider_id,
    provider_version_id: contract.provider_version_id,
    success: compatible && contract.self_verified === 1 ? 1 : 0,
    build_url: contract.build_url,
    test_results: JSON.stringify(testResults),
    verified_by: JSON.stringify(COMPARED_BY),
    wip: 0,
    pact_pending: 0,
    provider_contract_id: contract.id,
    created_at: now(),
  });
  return { compatible };
}
