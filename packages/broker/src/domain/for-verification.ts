// the wire types, defined once in broker-client for the client that sends them and the broker
import type {
  PactsForVerificationRequest as ForVerificationRequest,
  ConsumerVersionSelector as Selector,
} from '@covenant/broker-client';
import {
  branchPactsSince,
  inEnvironment,
  isPending,
  latestOfEachConsumer,
  MAIN_BRANCH,
  onBranch,
  type ProviderPact as Row,
  withTag,
} from '../db/for-verification-repo.js';
import type { Db, Pacticipant } from '../db/pacticipants-repo.js';
import { requestError } from '../errors.js';
import { requirePacticipant } from './pacticipants.js';

export type { ForVerificationRequest };

interface Selected {
  pactVersionId: number;
  sha: string;
  consumerName: string;
  consumerVersion: string;
  consumerVersionId: number;
  /** Every consumer version a selector chose with this content (absent: only `consumerVersion`). */
  selectedVersions?: string[];
  reasons: string[];
  wip: boolean;
}

const KEYS = [
  'mainBranch',
  'branch',
  'matchingBranch',
  'tag',
  'latest',
  'deployed',
  'released',
  'deployedOrReleased',
  'environment',
  'consumer',
];

const TEXT_FIELDS = ['branch', 'fallbackBranch', 'tag', 'fallbackTag', 'consumer', 'environment'] as const;
const FLAG_FIELDS = [
  'mainBranch',
  'matchingBranch',
  'latest',
  'deployed',
  'released',
  'deployedOrReleased',
] as const;

const isBlankOrText = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() !== '');
const isFlag = (v: unknown) => v === undefined || v === null || typeof v === 'boolean';

/**
 * Validates the request with the reference broker's rules, and the type of every field it reads
 * (a value of the wrong type is an error, not ignored); throws 400 with every problem.
 */
export function validateSelectors(request: ForVerificationRequest): void {
  const errors: Record<string, string[]> = {};
  const fail = (field: string, message: string) => {
    (errors[field] ??= []).push(message);
  };
  const selectors: unknown = request.consumerVersionSelectors ?? [];
  if (!Array.isArray(selectors))
    throw requestError('COV_BROKER_REQUEST_INVALID', 'consumerVersionSelectors must be a list', {
      errors: {
        consumerVersionSelectors: ['must be a list'],
      },
    });
  (selectors as Selector[]).forEach((s, i) => {
    const at = `consumerVersionSelectors[${i}]`;
    const selectorError = (message: string) => fail('consumerVersionSelectors', message);
    if (!s || typeof s !== 'object' || Array.isArray(s)) {
      selectorError(`${at} must be an object`);
      return;
    }
    for (const key of TEXT_FIELDS)
      if (!isBlankOrText(s[key])) selectorError(`${at}.${key} must be a non-blank string`);
    for (const key of FLAG_FIELDS) if (!isFlag(s[key])) selectorError(`${at}.${key} must be true or false`);
    if (!KEYS.some((k) => s[k as keyof Selector] !== undefined && s[k as keyof Selector] !== null))
      selectorError(`${at} needs one of ${KEYS.join(', ')}`);
    if (s.tag && s.branch) selectorError(`${at} cannot have both a tag and a branch`);
    if (s.matchingBranch && !request.providerVersionBranch)
      selectorError(`${at}: matchingBranch needs providerVersionBranch`);
    if (s.fallbackTag && !(s.tag && s.latest))
      selectorError(`${at}: fallbackTag needs a tag with latest: true`);
    if ((s.branch || s.mainBranch || s.fallbackBranch) && s.latest === false)
      selectorError(`${at}: branch selectors always select the latest version; remove latest: false`);
    if ([s.deployed, s.released, s.deployedOrReleased].filter(Boolean).length > 1)
      selectorError(`${at}: deployed, released and deployedOrReleased are exclusive`);
  });
  if (!isBlankOrText(request.providerVersionBranch))
    fail('providerVersionBranch', 'providerVersionBranch must be a non-blank string');
  const tags: unknown = request.providerVersionTags;
  if (
    tags !== undefined &&
    tags !== null &&
    !(Array.isArray(tags) && tags.every((t) => isBlankOrText(t) && t !== null))
  )
    fail('providerVersionTags', 'providerVersionTags must be a list of non-blank tag names');
  if (!isFlag(request.includePendingStatus))
    fail('includePendingStatus', 'includePendingStatus must be true or false');
  const since: unknown = request.includeWipPactsSince;
  if (since !== undefined && since !== null && (typeof since !== 'string' || Number.isNaN(Date.parse(since))))
    fail('includeWipPactsSince', 'includeWipPactsSince must be a date, e.g. 2024-01-01');
  const messages = Object.values(errors).flat();
  if (messages.length > 0) throw requestError('COV_BROKER_REQUEST_INVALID', messages.join('; '), { errors });
}

function describeSelector(s: Selector, r: Row, request: ForVerificationRequest): string {
  const of = `of ${r.consumer_name}`;
  if (s.mainBranch) return `latest version ${of} from the main branch (${r.consumer_version})`;
  if (s.matchingBranch)
    return `latest version ${of} from branch '${request.providerVersionBranch}' (${r.consumer_version})`;
  if (s.branch) return `latest version ${of} from branch '${s.branch}' (${r.consumer_version})`;
  if (s.tag)
    return s.latest
      ? `latest version ${of} tagged '${s.tag}' (${r.consumer_version})`
      : `one of the versions ${of} tagged '${s.tag}' (${r.consumer_version})`;
  if (s.deployed || s.released || s.deployedOrReleased || s.environment) {
    return `a version ${of} ${s.released ? 'released' : 'deployed'}${s.environment ? ` to ${s.environment}` : ''} (${r.consumer_version})`;
  }
  return `latest version ${of} (${r.consumer_version})`;
}

async function rowsFor(
  db: Db,
  provider: Pacticipant,
  s: Selector,
  request: ForVerificationRequest,
): Promise<Row[]> {
  const consumer = s.consumer;
  if (s.mainBranch) return onBranch(db, provider, MAIN_BRANCH, consumer);
  if (s.matchingBranch || s.branch) {
    const rows = await onBranch(
      db,
      provider,
      (s.matchingBranch ? request.providerVersionBranch : s.branch)!,
      consumer,
    );
    if (rows.length === 0 && s.fallbackBranch) return onBranch(db, provider, s.fallbackBranch, consumer);
    return rows;
  }
  if (s.tag) {
    const rows = await withTag(db, provider, s.tag, s.latest === true, consumer);
    if (rows.length === 0 && s.fallbackTag) return withTag(db, provider, s.fallbackTag, true, consumer);
    return rows;
  }
  if (s.deployed || s.released || s.deployedOrReleased || s.environment) {
    return inEnvironment(
      db,
      provider,
      s.deployed ? 'deployed' : s.released ? 'released' : 'either',
      s.environment,
      consumer,
    );
  }
  return latestOfEachConsumer(db, provider, consumer);
}

/** Which provider versions' successful verifications end a pact's pending status. */
const provenBy = (request: ForVerificationRequest) => ({
  ...(request.providerVersionBranch ? { branch: request.providerVersionBranch } : {}),
  ...(request.providerVersionTags?.length ? { tags: request.providerVersionTags } : {}),
});

export interface VerifiablePactOut {
  sha: string;
  consumerName: string;
  consumerVersion: string;
  /** The numbers of the consumer versions the selectors chose with this content: the verification's fan-out. */
  selectedConsumerVersions: string[];
  shortDescription: string;
  pending: boolean;
  wip: boolean;
  notices: Array<{ when: string; text: string }>;
}

/**
 * The pacts a provider should verify for these selectors, squashed by content (one entry per pact
 * version, carrying every reason it was selected), with pending status and WIP pacts as asked.
 */
export async function pactsForVerification(
  db: Db,
  providerName: string,
  request: ForVerificationRequest,
): Promise<VerifiablePactOut[]> {
  validateSelectors(request);
  const provider = await requirePacticipant(db, providerName);
  const selectors = request.consumerVersionSelectors?.length
    ? request.consumerVersionSelectors
    : [{ mainBranch: true }, { deployedOrReleased: true }, { latest: true }];
  const bySha = new Map<number, Selected>();
  for (const s of request.consumerVersionSelectors?.length ? selectors : selectors.slice(0, 2)) {
    for (const r of await rowsFor(db, provider, s, request)) {
      const entry = bySha.get(r.pact_version_id) ?? {
        pactVersionId: r.pact_version_id,
        sha: r.sha,
        consumerName: r.consumer_name,
        consumerVersion: r.consumer_version,
        consumerVersionId: r.consumer_version_id,
        reasons: [],
        wip: false,
      };
      entry.reasons.push(describeSelector(s, r, request));
      entry.selectedVersions ??= [];
      if (!entry.selectedVersions.includes(r.consumer_version))
        entry.selectedVersions.push(r.consumer_version);
      bySha.set(r.pact_version_id, entry);
    }
  }
  if (!request.consumerVersionSelectors?.length && bySha.size === 0) {
    // no main branch and nothing deployed: fall back to each consumer's latest pact
    for (const r of await rowsFor(db, provider, { latest: true }, request)) {
      bySha.set(r.pact_version_id, {
        pactVersionId: r.pact_version_id,
        sha: r.sha,
        consumerName: r.consumer_name,
        consumerVersion: r.consumer_version,
        consumerVersionId: r.consumer_version_id,
        reasons: [describeSelector({ latest: true }, r, request)],
        wip: false,
      });
    }
  }
  if (
    request.includeWipPactsSince &&
    (request.providerVersionBranch || request.providerVersionTags?.length)
  ) {
    const since = new Date(request.includeWipPactsSince).toISOString();
    const candidates = await branchPactsSince(db, provider, since);
    const heads = new Map<number, Row>();
    for (const c of candidates) {
      const current = heads.get(c.branch_id);
      if (!current || c.consumer_version_id > current.consumer_version_id) heads.set(c.branch_id, c);
    }
    for (const r of heads.values()) {
      if (bySha.has(r.pact_version_id)) continue;
      if (!(await isPending(db, provider, r.pact_version_id, provenBy(request)))) continue;
      bySha.set(r.pact_version_id, {
        pactVersionId: r.pact_version_id,
        sha: r.sha,
        consumerName: r.consumer_name,
        consumerVersion: r.consumer_version,
        consumerVersionId: r.consumer_version_id,
        reasons: [`a work in progress pact of ${r.consumer_name} (${r.consumer_version})`],
        wip: true,
      });
    }
  }
  const out: VerifiablePactOut[] = [];
  for (const entry of bySha.values()) {
    const pending =
      entry.wip ||
      (request.includePendingStatus !== false &&
        (await isPending(db, provider, entry.pactVersionId, provenBy(request))));
    const because = `The pact at this URL is being verified because the pact content belongs to the consumer version matching the following criterion: ${entry.reasons.join(', ')}`;
    const notices = [
      {
        when: 'before_verification',
        text: entry.wip
          ? `${because}. It is a work in progress pact: failures will not fail the build.`
          : `${because}.`,
      },
      ...(request.includePendingStatus !== false
        ? [
            {
              when: 'before_verification',
              text: pending
                ? `This pact is in pending state for this version of ${providerName} because a successful verification result for ${request.providerVersionBranch ? `a version of ${providerName} from branch '${request.providerVersionBranch}'` : providerName} has not yet been published. If this verification fails, it will not cause the overall build to fail.`
                : `This pact has previously been successfully verified by ${providerName}. If this verification fails, it will fail the build.`,
            },
          ]
        : []),
      {
        when: 'after_verification:success_true_published_false',
        text: 'Still awaiting the first successful verification; publish the results to record it.',
      },
    ];
    out.push({
      sha: entry.sha,
      consumerName: entry.consumerName,
      consumerVersion: entry.consumerVersion,
      selectedConsumerVersions: entry.selectedVersions ?? [entry.consumerVersion],
      shortDescription: entry.reasons.join(', '),
      pending,
      wip: entry.wip,
      notices,
    });
  }
  return out;
}
