// the wire types, defined once in broker-client for the client that sends them and the broker
import type {
  PactsForVerificationRequest as ForVerificationRequest,
  ConsumerVersionSelector as Selector,
} from '@covenant/broker-client';
import {
  deployedOrReleasedPactVersions,
  type HeadPact,
  headPactsSince,
  inEnvironment,
  latestOfEachConsumer,
  MAIN_BRANCH,
  onBranch,
  type ProviderPact as Row,
  type SettledBy,
  settledPactVersions,
  withTag,
} from '../db/for-verification-repo.js';
import type { Db, Pacticipant } from '../db/pacticipants-repo.js';
import { requestError } from '../errors.js';
import { requirePacticipant } from './pacticipants.js';

export type { ForVerificationRequest };

/** Why a selector chose a consumer version: what the reference broker calls a resolved selector. */
type Reason =
  | { kind: 'latest'; consumer?: string; version: string }
  | { kind: 'branch'; name: string; latest: true; fallbackFrom?: string; consumer?: string; version: string }
  | { kind: 'tag'; name: string; latest: boolean; fallbackFrom?: string; consumer?: string; version: string }
  | {
      kind: 'deployed' | 'released' | 'environment';
      environment: string;
      consumer?: string;
      version: string;
    };

interface Selected {
  pactVersionId: number;
  sha: string;
  consumerName: string;
  consumerVersion: string;
  /** Every consumer version a selector chose with this content. */
  selectedVersions: string[];
  reasons: Reason[];
  /** A WIP pact: its reasons are the consumer branch and tag heads it is the pact of. */
  wip?: true;
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

/**
 * Checks the reference broker's rules a schema cannot state: each selector names what it selects,
 * with keys that go together, and `includeWipPactsSince` is a date that parses; throws 400 with
 * every problem. The type of each field is Fastify's to check, from the ForVerificationRequest
 * schema (routes/schemas/verifications.ts), before this runs.
 */
export function validateSelectors(request: ForVerificationRequest): void {
  const errors: Record<string, string[]> = {};
  const fail = (field: string, message: string) => {
    (errors[field] ??= []).push(message);
  };
  (request.consumerVersionSelectors ?? []).forEach((s, i) => {
    const at = `consumerVersionSelectors[${i}]`;
    const selectorError = (message: string) => fail('consumerVersionSelectors', message);
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
  const since = request.includeWipPactsSince;
  if (typeof since === 'string' && Number.isNaN(Date.parse(since)))
    fail('includeWipPactsSince', 'includeWipPactsSince must be a date, e.g. 2024-01-01');
  const messages = Object.values(errors).flat();
  if (messages.length > 0) throw requestError('COV_BROKER_REQUEST_INVALID', messages.join('; '), { errors });
}

/** A consumer version a selector chose, and why. */
interface Chosen {
  row: Row;
  reason: Reason;
}

/** The consumer versions one selector chooses (its fallback's when it finds none), each with its reason. */
async function choose(
  db: Db,
  provider: Pacticipant,
  s: Selector,
  request: ForVerificationRequest,
): Promise<Chosen[]> {
  const consumer = s.consumer;
  const of = consumer ? { consumer } : {};
  const onBranchOrFallback = async (branch: string | typeof MAIN_BRANCH, fallback?: string) => {
    const rows = await onBranch(db, provider, branch, consumer);
    if (rows.length > 0 || !fallback) return rows.map((r) => ({ r, fallbackFrom: undefined }));
    const fallbackRows = await onBranch(db, provider, fallback, consumer);
    return fallbackRows.map((r) => ({ r, fallbackFrom: branch as string }));
  };
  if (s.mainBranch || s.matchingBranch || s.branch) {
    const branch = s.mainBranch
      ? MAIN_BRANCH
      : (s.matchingBranch ? request.providerVersionBranch : s.branch)!;
    return (await onBranchOrFallback(branch, s.fallbackBranch)).map(({ r, fallbackFrom }) => ({
      row: r,
      reason: {
        kind: 'branch',
        name: r.branch_name,
        latest: true,
        ...(fallbackFrom ? { fallbackFrom } : {}),
        ...of,
        version: r.consumer_version,
      },
    }));
  }
  if (s.tag) {
    const latest = s.latest === true;
    const rows = await withTag(db, provider, s.tag, latest, consumer);
    const fallback = rows.length === 0 && s.fallbackTag;
    const chosen = fallback ? await withTag(db, provider, s.fallbackTag!, true, consumer) : rows;
    return chosen.map((r) => ({
      row: r,
      reason: {
        kind: 'tag',
        name: fallback ? s.fallbackTag! : s.tag!,
        latest,
        ...(fallback ? { fallbackFrom: s.tag } : {}),
        ...of,
        version: r.consumer_version,
      },
    }));
  }
  if (s.deployed || s.released || s.deployedOrReleased || s.environment) {
    const kind = s.deployed ? 'deployed' : s.released ? 'released' : 'either';
    const rows = await inEnvironment(db, provider, kind, s.environment, consumer);
    // an environment alone chooses what is deployed or released there, as one kind of reason
    const environmentOnly = !(s.deployed || s.released || s.deployedOrReleased);
    return rows.map((r) => ({
      row: r,
      reason: {
        kind: environmentOnly ? 'environment' : r.kind,
        environment: r.environment_name,
        ...of,
        version: r.consumer_version,
      },
    }));
  }
  return (await latestOfEachConsumer(db, provider, consumer)).map((r) => ({
    row: r,
    reason: { kind: 'latest', ...of, version: r.consumer_version },
  }));
}

/** `a`, `a and b`, `a, b and c`, as the reference broker joins lists in its notices. */
function joinList(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

const quoted = (names: string[]) => joinList(names.map((n) => `'${n}'`));

/** One reason in the reference broker's words (`selector_description`). */
function describeReason(reason: Reason, providerName: string): string {
  const versionOf = reason.consumer ? `version of ${reason.consumer}` : 'version';
  let text: string;
  if (reason.kind === 'latest') {
    text = `latest version of ${reason.consumer ?? 'a consumer'} that has a pact with ${providerName}`;
  } else if (reason.kind === 'branch') {
    text = reason.fallbackFrom
      ? `latest ${versionOf} from branch '${reason.name}' (fallback branch used as no pact was found from branch '${reason.fallbackFrom}')`
      : `latest ${versionOf} from branch '${reason.name}'`;
  } else if (reason.kind === 'tag') {
    if (!reason.latest)
      text = `all ${reason.consumer ? `${reason.consumer} versions` : 'consumer versions'} tagged '${reason.name}'`;
    else
      text = reason.fallbackFrom
        ? `latest ${versionOf} tagged '${reason.name}' (fallback tag used as no pact was found with tag '${reason.fallbackFrom}')`
        : `latest ${versionOf} tagged '${reason.name}'`;
  } else {
    text = `${reason.consumer ?? 'a consumer'} version in environment ${reason.environment}`;
  }
  return `${text} (${reason.version})`;
}

/**
 * The reasons as the reference's bullet list: deployed and released versions grouped per consumer
 * ("consumer version(s) currently deployed to test (1), production (2)"), the others one a line.
 */
function describeReasons(reasons: Reason[], providerName: string): string[] {
  const lines: string[] = [];
  const grouped = new Map<string, string[]>();
  for (const reason of reasons) {
    if (reason.kind !== 'deployed' && reason.kind !== 'released') {
      lines.push(describeReason(reason, providerName));
      continue;
    }
    const who = reason.consumer ? `version(s) of ${reason.consumer}` : 'consumer version(s)';
    const key = `${who} ${reason.kind === 'deployed' ? 'currently deployed to' : 'released and supported in'}`;
    if (!grouped.has(key)) lines.push(key);
    grouped.set(key, [...(grouped.get(key) ?? []), `${reason.environment} (${reason.version})`]);
  }
  return lines.map((line) => (grouped.has(line) ? `${line} ${joinList(grouped.get(line)!)}` : line));
}

/** One reason as the reference's short description (pact-go names its tests with it). */
function shortReason(reason: Reason): string {
  if (reason.kind === 'latest') return 'latest';
  if (reason.kind === 'branch') return `latest from branch ${reason.name}`;
  if (reason.kind === 'tag')
    return reason.latest
      ? `latest with tag ${reason.name}`
      : `one of ${reason.consumer ? `${reason.consumer} ` : ''}${reason.name}`;
  if (reason.kind === 'deployed') return `deployed to ${reason.environment}`;
  if (reason.kind === 'released') return `released in ${reason.environment}`;
  return `in environment ${reason.environment}`;
}

/**
 * The consumers WIP pacts may come from: those the selectors name when every selector names one
 * (pact_broker#508: a provider verifying one consumer's pacts gets that consumer's WIP pacts only),
 * else any.
 */
function wipConsumers(request: ForVerificationRequest): string[] | undefined {
  const selectors = request.consumerVersionSelectors ?? [];
  if (selectors.length === 0 || !selectors.every((s) => s.consumer)) return undefined;
  return [...new Set(selectors.map((s) => s.consumer!))];
}

/** What the pending rule found for one pact. */
interface PendingStatus {
  pending: boolean;
  /** With provider tags (and no branch): those for which the pact is pending, and the others. */
  pendingTags: string[];
  settledTags: string[];
  /** Not pending only because a consumer version with this content is deployed or released (#515). */
  deployedVersions?: string[];
}

/**
 * The reference broker's pending rule, for many pacts at once. With `providerVersionBranch` B, a
 * pact is pending until a provider version on B verifies it successfully, or one on another branch
 * did before B was created. With only `providerVersionTags`, the same per tag, and pending while
 * pending for any tag. With neither, pending until any provider version verifies it. Beyond the
 * reference: never pending while a consumer version with its content is deployed or released.
 */
async function pendingStatuses(
  db: Db,
  provider: Pacticipant,
  pactVersionIds: number[],
  request: ForVerificationRequest,
): Promise<Map<number, PendingStatus>> {
  const branch = request.providerVersionBranch;
  const tags = branch ? [] : [...new Set(request.providerVersionTags ?? [])];
  const rules: SettledBy[] = branch
    ? [{ branch }]
    : tags.length > 0
      ? tags.map((tag) => ({ tag }))
      : ['anyone'];
  const settled = await Promise.all(
    rules.map((rule) => settledPactVersions(db, provider, pactVersionIds, rule, false)),
  );
  const deployed = await deployedOrReleasedPactVersions(db, provider, pactVersionIds);
  const out = new Map<number, PendingStatus>();
  for (const id of pactVersionIds) {
    const pendingTags = tags.filter((_, i) => !settled[i]!.has(id));
    const settledTags = tags.filter((_, i) => settled[i]!.has(id));
    const unsettled = tags.length > 0 ? pendingTags.length > 0 : !settled[0]!.has(id);
    const deployedVersions = deployed.get(id);
    out.set(id, {
      pending: unsettled && !deployedVersions,
      pendingTags,
      settledTags,
      ...(unsettled && deployedVersions ? { deployedVersions } : {}),
    });
  }
  return out;
}

/**
 * The WIP pacts (the reference's `find_wip`): the pacts of consumer branch and tag heads published
 * since `includeWipPactsSince`, less those selected explicitly, those the provider branch (each
 * provider tag) has settled by non-WIP verifications, and (beyond the reference) those of a
 * deployed or released consumer version, which are never pending. Only with a provider branch or
 * tags; with tags, a pact is WIP for the tags that have not settled it.
 */
async function wipPacts(
  db: Db,
  provider: Pacticipant,
  request: ForVerificationRequest,
  selected: ReadonlyMap<number, Selected>,
): Promise<Array<Selected & { pendingTags: string[] }>> {
  const branch = request.providerVersionBranch;
  const tags = branch ? [] : [...new Set(request.providerVersionTags ?? [])];
  if (!request.includeWipPactsSince || (!branch && tags.length === 0)) return [];
  const since = new Date(request.includeWipPactsSince).toISOString();
  const heads = (await headPactsSince(db, provider, since, wipConsumers(request))).filter(
    (h) => !selected.has(h.pact_version_id),
  );
  const byPact = new Map<number, HeadPact[]>();
  for (const h of heads) byPact.set(h.pact_version_id, [...(byPact.get(h.pact_version_id) ?? []), h]);
  const ids = [...byPact.keys()];
  const rules: SettledBy[] = branch ? [{ branch }] : tags.map((tag) => ({ tag }));
  const settled = await Promise.all(rules.map((rule) => settledPactVersions(db, provider, ids, rule, true)));
  const deployed = await deployedOrReleasedPactVersions(db, provider, ids);
  const out: Array<Selected & { pendingTags: string[]; order: number }> = [];
  for (const [id, headsOfPact] of byPact) {
    const pendingTags = tags.filter((_, i) => !settled[i]!.has(id));
    const unsettled = branch ? !settled[0]!.has(id) : pendingTags.length > 0;
    if (!unsettled || deployed.has(id)) continue;
    // the newest consumer version with this content stands for the pact
    const newest = headsOfPact.reduce((a, b) => (b.consumer_version_id > a.consumer_version_id ? b : a));
    out.push({
      pactVersionId: id,
      sha: newest.sha,
      consumerName: newest.consumer_name,
      consumerVersion: newest.consumer_version,
      selectedVersions: [...new Set(headsOfPact.map((h) => h.consumer_version))],
      reasons: headsOfPact.map((h) => ({
        kind: h.head_kind,
        name: h.head_name,
        latest: true as const,
        version: h.consumer_version,
      })),
      wip: true,
      pendingTags,
      order: newest.consumer_version_id,
    });
  }
  // as the reference sorts them: by consumer, then oldest consumer version first
  return out.sort((a, b) => a.consumerName.localeCompare(b.consumerName) || a.order - b.order);
}

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

const READ_MORE_PENDING = 'Read more at https://docs.pact.io/go/pending';
const READ_MORE_WIP = 'Read more at https://docs.pact.io/go/wip';

/** The notices of one pact, in the reference broker's words (`verifiable_pact_messages.rb`). */
function noticesFor(
  entry: Selected,
  status: PendingStatus,
  pactUrl: string,
  providerName: string,
  request: ForVerificationRequest,
): Array<{ when: string; text: string }> {
  let inclusion: string;
  if (entry.wip) {
    const heads = entry.reasons.flatMap((r) => (r.kind === 'branch' || r.kind === 'tag' ? [r] : []));
    const branches = heads.filter((h) => h.kind === 'branch').map((h) => h.name);
    const tags = heads.filter((h) => h.kind === 'tag').map((h) => h.name);
    const parts = [
      ...(branches.length
        ? [`from ${branches.length === 1 ? 'branch' : 'branches'} ${quoted(branches)}`]
        : []),
      ...(tags.length ? [`tagged with ${quoted(tags)}`] : []),
    ];
    const same =
      heads.length === 2
        ? ' (both have the same content)'
        : heads.length > 2
          ? ' (all have the same content)'
          : '';
    const versions = tags.length === 1 || branches.length === 1 ? 'version' : 'versions';
    inclusion = `The pact at ${pactUrl} is being verified because it is a 'work in progress' pact (ie. it is the pact for the latest ${versions} of ${entry.consumerName} ${parts.join(' and ')}${same} and is still in pending state). ${READ_MORE_WIP}`;
  } else {
    const many = entry.reasons.length > 1;
    const lines = describeReasons(entry.reasons, providerName).map((line) => `    * ${line}`);
    inclusion = `The pact at ${pactUrl} is being verified because the pact content belongs to ${many ? 'the consumer versions' : 'the consumer version'} matching the following ${many ? 'criteria' : 'criterion'}:\n${lines.join('\n')}`;
  }
  const notices = [{ when: 'before_verification', text: inclusion }];
  if (request.includePendingStatus === false) return notices;

  const branch = request.providerVersionBranch;
  // the reference's words, "a versions of … with tag 'a' and 'b'" included
  const of = (anyOrA: 'any' | 'a', tags: string[], versions: 'version' | 'versions') =>
    branch
      ? `${anyOrA} version of ${providerName} from branch '${branch}'`
      : tags.length === 0
        ? providerName
        : tags.length === 1
          ? `${anyOrA} version of ${providerName} with tag '${tags[0]}'`
          : `${anyOrA} ${versions} of ${providerName} with tag ${quoted(tags)}`;
  if (!status.pending) {
    notices.push({
      when: 'before_verification',
      text: status.deployedVersions
        ? `This pact is not in pending state for ${providerName} because its content belongs to a version of ${entry.consumerName} that is currently deployed or released (${joinList(status.deployedVersions)}). If this verification fails, it will fail the build. ${READ_MORE_PENDING}`
        : `This pact has previously been successfully verified by ${of('a', status.settledTags, 'version')}. If this verification fails, it will fail the build. ${READ_MORE_PENDING}`,
    });
    return notices;
  }
  const pendingFor = of('any', status.pendingTags, 'versions');
  const withTags =
    status.pendingTags.length === 0
      ? ''
      : status.pendingTags.length === 1
        ? 'with this tag '
        : 'with these tags ';
  const stillPending = `This pact is still in pending state for ${pendingFor} as a successful verification result ${withTags}has not yet been published`;
  notices.push(
    {
      when: 'before_verification',
      text: `This pact is in pending state for this version of ${providerName} because a successful verification result for ${of('a', status.pendingTags, 'versions')} has not yet been published. If this verification fails, it will not cause the overall build to fail. ${READ_MORE_PENDING}`,
    },
    {
      when: 'after_verification:success_true_published_false',
      text: `This pact is still in pending state for ${pendingFor} as the successful verification results ${withTags}have not yet been published.`,
    },
    { when: 'after_verification:success_false_published_false', text: stillPending },
    {
      when: 'after_verification:success_true_published_true',
      text: `This pact is no longer in pending state for ${pendingFor}, as a successful verification result ${withTags}has been published. If a verification for a version of ${providerName} ${withTags}fails in the future, it will fail the build. ${READ_MORE_PENDING}`,
    },
    { when: 'after_verification:success_false_published_true', text: stillPending },
  );
  return notices;
}

/**
 * The pacts a provider should verify for these selectors, squashed by content (one entry per pact
 * version, carrying every reason it was selected), with pending status and WIP pacts as asked,
 * and the reference broker's notices. `pactUrlOf` gives the URL the notices name for a pact.
 *
 * @example await pactsForVerification(db, 'Orders', { consumerVersionSelectors: [{ mainBranch: true }], providerVersionBranch: 'main' }, (c, sha) => `${base}/pacts/provider/Orders/consumer/${c}/pact-version/${sha}`)
 */
export async function pactsForVerification(
  db: Db,
  providerName: string,
  request: ForVerificationRequest,
  pactUrlOf: (consumerName: string, sha: string) => string,
): Promise<VerifiablePactOut[]> {
  validateSelectors(request);
  const provider = await requirePacticipant(db, providerName);
  const given = request.consumerVersionSelectors ?? [];
  // no selectors: each consumer's main branch and what is deployed or released, else the latest
  const selectors: Selector[] =
    given.length > 0 ? given : [{ mainBranch: true }, { deployedOrReleased: true }];
  const bySha = new Map<number, Selected>();
  const add = ({ row, reason }: Chosen) => {
    const entry = bySha.get(row.pact_version_id) ?? {
      pactVersionId: row.pact_version_id,
      sha: row.sha,
      consumerName: row.consumer_name,
      consumerVersion: row.consumer_version,
      selectedVersions: [],
      reasons: [],
    };
    entry.reasons.push(reason);
    if (!entry.selectedVersions.includes(row.consumer_version))
      entry.selectedVersions.push(row.consumer_version);
    bySha.set(row.pact_version_id, entry);
  };
  for (const s of selectors) for (const chosen of await choose(db, provider, s, request)) add(chosen);
  if (given.length === 0 && bySha.size === 0)
    for (const chosen of await choose(db, provider, { latest: true }, request)) add(chosen);

  const wip = await wipPacts(db, provider, request, bySha);
  const statuses =
    request.includePendingStatus === false
      ? new Map<number, PendingStatus>()
      : await pendingStatuses(db, provider, [...bySha.keys()], request);
  const notAsked: PendingStatus = { pending: false, pendingTags: [], settledTags: [] };
  const entries: Array<{ entry: Selected; status: PendingStatus }> = [
    ...[...bySha.values()].map((entry) => ({ entry, status: statuses.get(entry.pactVersionId) ?? notAsked })),
    // every WIP pact is pending: that is what makes it WIP
    ...wip.map((entry) => ({
      entry,
      status: { pending: true, pendingTags: entry.pendingTags, settledTags: [] },
    })),
  ];
  return entries.map(({ entry, status }) => ({
    sha: entry.sha,
    consumerName: entry.consumerName,
    consumerVersion: entry.consumerVersion,
    selectedConsumerVersions: entry.selectedVersions,
    shortDescription: entry.reasons.map(shortReason).join(', '),
    pending: entry.wip === true || status.pending,
    wip: entry.wip === true,
    notices: noticesFor(entry, status, pactUrlOf(entry.consumerName, entry.sha), providerName, request),
  }));
}
