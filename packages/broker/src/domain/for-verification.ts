import { sql } from 'kysely';
import { requestError } from '../errors.js';
import { type Db, type Pacticipant, requirePacticipant } from './pacticipants.js';

export interface Selector {
  mainBranch?: boolean;
  branch?: string;
  matchingBranch?: boolean;
  fallbackBranch?: string;
  tag?: string;
  fallbackTag?: string;
  latest?: boolean;
  consumer?: string;
  deployed?: boolean;
  released?: boolean;
  deployedOrReleased?: boolean;
  environment?: string;
}

export interface ForVerificationRequest {
  consumerVersionSelectors?: Selector[];
  providerVersionBranch?: string;
  providerVersionTags?: string[];
  includePendingStatus?: boolean;
  includeWipPactsSince?: string;
}

interface Selected {
  pactVersionId: number;
  sha: string;
  consumerName: string;
  consumerVersion: string;
  consumerVersionId: number;
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

/** Consumer versions with a pact for this provider, newest first, optionally narrowed. */
function pactsOf(db: Db, provider: Pacticipant) {
  return (
    db
      .selectFrom('pact_publications as pp')
      .innerJoin('pact_versions as pv', 'pv.id', 'pp.pact_version_id')
      .innerJoin('versions as cv', 'cv.id', 'pp.consumer_version_id')
      .innerJoin('pacticipants as c', 'c.id', 'pp.consumer_id')
      .select([
        'pv.id as pact_version_id',
        'pv.sha',
        'c.name as consumer_name',
        'c.id as consumer_id',
        'c.main_branch',
        'cv.number as consumer_version',
        'cv.id as consumer_version_id',
        'pp.created_at',
      ])
      .where('pp.provider_id', '=', provider.id)
      // only the latest revision of each consumer version's pact
      .where('pp.revision', '=', (eb) =>
        eb
          .selectFrom('pact_publications as p2')
          .select((sb) => sb.fn.max('p2.revision').as('r'))
          .whereRef('p2.consumer_version_id', '=', 'pp.consumer_version_id')
          .whereRef('p2.provider_id', '=', 'pp.provider_id'),
      )
  );
}

type Row = Awaited<ReturnType<ReturnType<typeof pactsOf>['execute']>>[number];

const MAIN_BRANCH = Symbol('main branch');

/** Keeps the newest row per consumer. */
function latestPerConsumer(rows: Row[]): Row[] {
  const seen = new Map<number, Row>();
  for (const r of rows) {
    const current = seen.get(r.consumer_id);
    if (!current || r.consumer_version_id > current.consumer_version_id) seen.set(r.consumer_id, r);
  }
  return [...seen.values()];
}

/**
 * The head of a branch per consumer: on each matching branch, the newest version that has a pact with
 * this provider, found by walking the branch's versions newest first in the index and stopping at
 * the first with a pact (a consumer with 10,000 versions costs a few index steps, not a scan).
 * `branch` is a name, or `MAIN_BRANCH` for each consumer's own main branch (main/master when unset).
 */
async function onBranch(
  db: Db,
  provider: Pacticipant,
  branch: string | typeof MAIN_BRANCH,
  consumer?: string,
): Promise<Row[]> {
  const branchCondition =
    branch === MAIN_BRANCH
      ? sql`((c.main_branch IS NOT NULL AND b.name = c.main_branch) OR (c.main_branch IS NULL AND b.name IN ('main', 'master')))`
      : sql`b.name = ${branch}`;
  // The heads are found first, materialised, then joined: joined directly, PostgreSQL estimated the
  // head look-up badly for some providers and hashed every version (~170 ms instead of ~5 ms).
  const { rows } = await sql<Row>`
    WITH heads AS MATERIALIZED (
      SELECT b.pacticipant_id AS consumer_id, (
          SELECT bv.version_id FROM branch_versions bv
          WHERE bv.branch_id = b.id AND EXISTS (
            SELECT 1 FROM pact_publications x WHERE x.consumer_version_id = bv.version_id AND x.provider_id = ${provider.id})
          ORDER BY bv.version_id DESC LIMIT 1) AS version_id
      FROM branches b
      JOIN pacticipants c ON c.id = b.pacticipant_id
      WHERE EXISTS (SELECT 1 FROM pact_publications y WHERE y.provider_id = ${provider.id} AND y.consumer_id = b.pacticipant_id)
        AND ${branchCondition}
        ${consumer ? sql`AND c.name = ${consumer}` : sql``})
    SELECT pv.id AS pact_version_id, pv.sha, c.name AS consumer_name, c.id AS consumer_id, c.main_branch,
      cv.number AS consumer_version, cv.id AS consumer_version_id, pp.created_at
    FROM heads h
    JOIN versions cv ON cv.id = h.version_id
    JOIN pacticipants c ON c.id = h.consumer_id
    JOIN pact_publications pp ON pp.consumer_version_id = cv.id AND pp.provider_id = ${provider.id}
      AND pp.revision = (SELECT MAX(p2.revision) FROM pact_publications p2
        WHERE p2.consumer_version_id = cv.id AND p2.provider_id = ${provider.id})
    JOIN pact_versions pv ON pv.id = pp.pact_version_id`.execute(db);
  return latestPerConsumer(rows);
}

async function withTag(
  db: Db,
  provider: Pacticipant,
  tag: string,
  latest: boolean,
  consumer?: string,
): Promise<Row[]> {
  let q = pactsOf(db, provider).where((eb) =>
    eb.exists(
      eb
        .selectFrom('tags as t')
        .select('t.id')
        .whereRef('t.version_id', '=', 'cv.id')
        .where('t.name', '=', tag),
    ),
  );
  if (consumer) q = q.where('c.name', '=', consumer);
  const rows = await q.execute();
  return latest ? latestPerConsumer(rows) : rows;
}

async function inEnvironment(
  db: Db,
  provider: Pacticipant,
  kind: 'deployed' | 'released' | 'either',
  environment?: string,
  consumer?: string,
): Promise<Row[]> {
  let q = pactsOf(db, provider);
  if (consumer) q = q.where('c.name', '=', consumer);
  const envFilter = environment ? sql`AND e.name = ${environment}` : sql``;
  // start from the (few) current deployments and releases, not from every publication
  const deployed = sql`SELECT d.version_id FROM deployed_versions d JOIN environments e ON e.id = d.environment_id WHERE d.undeployed_at IS NULL ${envFilter}`;
  const released = sql`SELECT r.version_id FROM released_versions r JOIN environments e ON e.id = r.environment_id WHERE r.support_ended_at IS NULL ${envFilter}`;
  const versions =
    kind === 'deployed' ? deployed : kind === 'released' ? released : sql`${deployed} UNION ${released}`;
  const condition = sql`pp.consumer_version_id IN (${versions})`;
  return q.where(condition as never).execute();
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
  // the latest pact of each consumer, chosen in SQL
  let q = pactsOf(db, provider).where('pp.consumer_version_id', '=', (eb) =>
    eb
      .selectFrom('pact_publications as x')
      .select((sb) => sb.fn.max('x.consumer_version_id').as('v'))
      .whereRef('x.provider_id', '=', 'pp.provider_id')
      .whereRef('x.consumer_id', '=', 'pp.consumer_id'),
  );
  if (consumer) q = q.where('c.name', '=', consumer);
  return latestPerConsumer(await q.execute());
}

/** Whether no provider version on the branch (or with the tags, or at all) has verified this pact successfully. */
async function isPending(
  db: Db,
  provider: Pacticipant,
  pactVersionId: number,
  request: ForVerificationRequest,
): Promise<boolean> {
  let q = db
    .selectFrom('verifications as v')
    .select('v.id')
    .where('v.pact_version_id', '=', pactVersionId)
    .where('v.provider_id', '=', provider.id)
    .where('v.success', '=', 1)
    .where('v.wip', '=', 0);
  if (request.providerVersionBranch) {
    const branch = request.providerVersionBranch;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('branch_versions as bv')
          .innerJoin('branches as b', 'b.id', 'bv.branch_id')
          .select('bv.id')
          .whereRef('bv.version_id', '=', 'v.provider_version_id')
          .where('b.name', '=', branch),
      ),
    );
  } else if (request.providerVersionTags?.length) {
    const tags = request.providerVersionTags;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('tags as t')
          .select('t.id')
          .whereRef('t.version_id', '=', 'v.provider_version_id')
          .where('t.name', 'in', tags),
      ),
    );
  }
  // one successful verification settles it: stop at the first
  return (await q.limit(1).executeTakeFirst()) === undefined;
}

export interface VerifiablePactOut {
  sha: string;
  consumerName: string;
  consumerVersion: string;
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
    const candidates = await pactsOf(db, provider)
      .innerJoin('branch_versions as bv', 'bv.version_id', 'cv.id')
      .select('bv.branch_id')
      .where('pp.created_at', '>=', since)
      .execute();
    const heads = new Map<number, Row>();
    for (const c of candidates) {
      const current = heads.get(c.branch_id);
      if (!current || c.consumer_version_id > current.consumer_version_id) heads.set(c.branch_id, c);
    }
    for (const r of heads.values()) {
      if (bySha.has(r.pact_version_id)) continue;
      if (!(await isPending(db, provider, r.pact_version_id, request))) continue;
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
        (await isPending(db, provider, entry.pactVersionId, request)));
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
      shortDescription: entry.reasons.join(', '),
      pending,
      wip: entry.wip,
      notices,
    });
  }
  return out;
}
