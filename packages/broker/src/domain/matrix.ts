// the `q[]` and `ignore[]` wire types, defined once in broker-client
import type { IgnoreSelector, MatrixSelector } from '@covenant/broker-client';
import { type Environment, environmentByName } from '../db/environments-repo.js';
import { failedWhilePending } from '../db/for-verification-repo.js';
import {
  byPacticipant,
  type LatestBy,
  latestVersionOf,
  latestVersionOnBranch,
  latestVersionWithTag,
  type RawRow,
  type SelectedVersions,
  selectRows,
  type Target,
  type VersionDetails,
  type VersionFilter,
  type VersionRef,
  versionByNumber,
  versionDetails,
  versionsAtTarget,
  versionsInEnvironment,
} from '../db/matrix-repo.js';
import { type Db, findPacticipant, type Pacticipant } from '../db/pacticipants-repo.js';
import { requestError } from '../errors.js';

export type { LatestBy } from '../db/matrix-repo.js';
export type { IgnoreSelector, MatrixSelector };

export interface MatrixOptions {
  /** With `tag` or `mainBranch`, or alone: compare against the other pacticipants' latest such versions. */
  latest?: boolean;
  tag?: string;
  /** Compare against the versions currently deployed or released to this environment. */
  environment?: string;
  mainBranch?: boolean;
  latestby?: LatestBy;
  /** Keep rows whose verification succeeded (true), failed (false) or is missing (null). */
  success?: Array<boolean | null>;
  ignore?: IgnoreSelector[];
  /** Most rows returned (default 100). */
  limit?: number;
}

export interface MatrixQuery {
  selectors: MatrixSelector[];
  options: MatrixOptions;
}

export interface MatrixVersion {
  id: number;
  number: string;
  branch: string | null;
  branches: Array<{ name: string; latest: boolean }>;
  tags: Array<{ name: string; latest: boolean }>;
  environments: Environment[];
}

export interface MatrixRow {
  consumerName: string;
  consumerVersion: MatrixVersion;
  providerName: string;
  providerVersion: MatrixVersion | null;
  pact: { sha: string; createdAt: string };
  /** `pending`: a failure while the pact was pending, which did not fail the provider's build. */
  verification: { id: number; success: boolean; verifiedAt: string; pending?: true } | null;
  ignored: boolean;
}

export interface MatrixNotice {
  type: 'success' | 'error' | 'warning' | 'info';
  text: string;
}

export interface MatrixResult {
  summary: {
    deployable: boolean | null;
    reason: string;
    success: number;
    failed: number;
    unknown: number;
    ignored?: number;
  };
  notices: MatrixNotice[];
  rows: MatrixRow[];
}

export const DEFAULT_LIMIT = 100;

// ---- resolving the query ----------------------------------------------------------------------

interface Resolved extends SelectedVersions {
  selector: MatrixSelector;
  exists: boolean;
  /** The provider contract of the version the selector names by number, if it has one. */
  contractId?: number;
}

const problem = (errors: Record<string, string[]>) =>
  requestError('COV_BROKER_REQUEST_INVALID', Object.values(errors).flat().join('; '), {
    errors,
    legacyErrors: 'list',
  });

/** Checks the query's shape and that its pacticipants and environments exist; 400 otherwise. */
async function validate(db: Db, query: MatrixQuery) {
  const errors: Record<string, string[]> = {};
  const add = (key: string, message: string) => {
    (errors[key] ??= []).push(message);
  };
  const { selectors, options } = query;
  if (selectors.length === 0) add('q', 'Please provide 1 or more version selectors.');
  selectors.forEach((s, i) => {
    const name = s.pacticipant || `q[${i}]`;
    if (!s.pacticipant) add('q', `q[${i}]: please specify the pacticipant name`);
    if (s.version && s.latest)
      add('q', `A version number and latest flag cannot both be specified for ${name}`);
    if ([s.tag, s.branch, s.mainBranch, s.environment].filter(Boolean).length > 1)
      add('q', `Use only one of tag, branch, mainBranch and environment for ${name}`);
    if (s.version && (s.tag || s.branch || s.mainBranch || s.environment))
      add('q', `A version number cannot be combined with a tag, branch or environment for ${name}`);
    if (s.environment && s.latest)
      add('q', `The latest flag cannot be specified with an environment for ${name}`);
  });
  if ([options.tag, options.environment, options.mainBranch].filter(Boolean).length > 1)
    add('environment', 'Use only one of tag, environment and mainBranch');
  if (options.latest && options.environment)
    add('latest', 'The latest flag cannot be specified with an environment');
  (options.ignore ?? []).forEach((s, i) => {
    if (!s.pacticipant) add('ignore', `ignore[${i}]: please specify the pacticipant name`);
  });
  if (Object.keys(errors).length > 0) throw problem(errors);

  // looked up at once (on PostgreSQL, over several connections), reported in the query's order
  const names = [...new Set(selectors.map((s) => s.pacticipant))];
  const environmentNames = [
    ...selectors.flatMap((s) => (s.environment ? [['q', s.environment] as const] : [])),
    ...(options.environment ? [['environment', options.environment] as const] : []),
  ];
  const [foundPacticipants, foundEnvironments] = await Promise.all([
    Promise.all(names.map((name) => findPacticipant(db, name))),
    Promise.all(environmentNames.map(([, name]) => environmentByName(db, name))),
  ]);
  const pacticipants = new Map<string, Pacticipant>();
  names.forEach((name, i) => {
    const found = foundPacticipants[i];
    if (found) pacticipants.set(name, found);
    else add('q', `Pacticipant ${name} not found`);
  });
  const environments = new Map<string, Environment>();
  environmentNames.forEach(([key, name], i) => {
    const found = foundEnvironments[i];
    if (found) environments.set(name, found);
    else add(key, `Environment with name '${name}' does not exist`);
  });
  if (Object.keys(errors).length > 0) throw problem(errors);
  return { pacticipants, environments };
}

function targetOf(options: MatrixOptions, environments: Map<string, Environment>): Target {
  if (options.environment)
    return { kind: 'environment', environment: environments.get(options.environment)! };
  if (options.latest)
    return {
      kind: 'latest',
      ...(options.tag ? { tag: options.tag } : {}),
      ...(options.mainBranch ? { mainBranch: true } : {}),
    };
  if (options.tag) return { kind: 'tag', tag: options.tag };
  if (options.mainBranch) return { kind: 'mainBranch' };
  return { kind: 'none' };
}

/** Resolves a specified selector to its versions (or, for all versions with a tag/on a branch, to a filter). */
async function resolveSelector(
  db: Db,
  p: Pacticipant,
  s: MatrixSelector,
  environments: Map<string, Environment>,
): Promise<Resolved> {
  const resolved = (filter: VersionFilter, exists: boolean): Resolved => ({
    pacticipant: p,
    selector: s,
    filter,
    exists,
  });
  const ids = (versions: VersionRef[]) => resolved({ kind: 'ids', versions }, versions.length > 0);
  const branch = s.mainBranch ? p.main_branch : s.branch;
  if (s.mainBranch && !branch) return ids([]);
  if (s.version) {
    const found = await versionByNumber(db, p, s.version);
    const contractId = found[0]?.contract_id;
    return { ...ids(found), ...(contractId == null ? {} : { contractId }) };
  }
  if (s.environment) {
    return ids(await versionsInEnvironment(db, p.id, environments.get(s.environment)!.id));
  }
  if (s.tag) {
    const latest = await latestVersionWithTag(db, p.id, s.tag);
    return s.latest ? ids(latest) : resolved({ kind: 'tag', tag: s.tag }, latest.length > 0);
  }
  if (branch) {
    const latest = await latestVersionOnBranch(db, p.id, branch);
    return s.latest ? ids(latest) : resolved({ kind: 'branch', branch }, latest.length > 0);
  }
  if (s.latest) return ids(await latestVersionOf(db, p.id));
  return resolved({ kind: 'all' }, true);
}

// ---- reasons and summary ----------------------------------------------------------------------

/** How the reference broker words a selector in its reasons, with the versions it stands for. */
function describeSelector(name: string, s: Partial<MatrixSelector>, numbers: string[] | null): string {
  const which =
    numbers === null ? '' : ` (${numbers.length > 0 ? numbers.join(', ') : 'no such version exists'})`;
  const branch = s.mainBranch ? 'the main branch' : `branch ${s.branch}`;
  if (s.latest && s.tag) return `the latest version of ${name} with tag ${s.tag}${which}`;
  if (s.latest && (s.branch || s.mainBranch)) return `the latest version of ${name} from ${branch}${which}`;
  if (s.latest) return `the latest version of ${name}${which}`;
  if (s.tag) return `a version of ${name} with tag ${s.tag}${which}`;
  if (s.branch || s.mainBranch) return `a version of ${name} from ${branch}${which}`;
  if (s.environment)
    return `${(numbers?.length ?? 0) > 1 ? 'one of the versions' : 'the version'} of ${name} currently deployed to ${s.environment}${which}`;
  if (s.version)
    return `version ${s.version} of ${name}${numbers?.length === 0 ? ' (no such version exists)' : ''}`;
  return numbers?.length === 1 ? `version ${numbers[0]} of ${name}` : `any version of ${name}`;
}

function targetSelector(target: Target): Partial<MatrixSelector> {
  switch (target.kind) {
    case 'environment':
      return { environment: target.environment.name };
    case 'latest':
      return {
        latest: true,
        ...(target.tag ? { tag: target.tag } : {}),
        ...(target.mainBranch ? { mainBranch: true } : {}),
      };
    case 'tag':
      return { tag: target.tag };
    case 'mainBranch':
      return { mainBranch: true };
    case 'none':
      return {};
  }
}

function missingMessage(r: Resolved): string {
  const { selector: s, pacticipant: p } = r;
  if (s.tag) return `No version with tag ${s.tag} exists for ${p.name}`;
  if (s.branch) return `No version of ${p.name} from branch ${s.branch} exists`;
  if (s.mainBranch)
    return p.main_branch
      ? `No version of ${p.name} from the main branch (${p.main_branch}) exists`
      : `${p.name} has no main branch set`;
  if (s.environment) return `No version of ${p.name} is currently deployed or released to ${s.environment}`;
  if (s.version) return `No pacts or verifications have been published for version ${s.version} of ${p.name}`;
  return `No pacts or verifications have been published for ${p.name}`;
}

/**
 * Describes either side of a row: by the specified selector that chose it, or by the target.
 * Versions the target stands for are looked up once per pacticipant, for unverified rows only.
 */
async function sideDescriber(db: Db, specified: Resolved[], target: Target, rows: RawRow[]) {
  const selectorsOf = byPacticipant(specified);
  const targetNumbers = new Map<number, string[] | null>();
  const listsVersions = target.kind === 'environment' || target.kind === 'latest';
  for (const { provider_id: id, provider_version_id } of rows) {
    if (provider_version_id !== null || selectorsOf.has(id) || targetNumbers.has(id)) continue;
    const found =
      target.kind === 'environment'
        ? await versionsInEnvironment(db, id, target.environment.id)
        : listsVersions
          ? await versionsAtTarget(db, id, target)
          : null;
    targetNumbers.set(id, found?.map((v) => v.number) ?? null);
  }
  return (pacticipantId: number, name: string, version: VersionRef | null): string => {
    const own = selectorsOf.get(pacticipantId);
    if (!own)
      return describeSelector(
        name,
        targetSelector(target),
        version ? [version.number] : (targetNumbers.get(pacticipantId) ?? null),
      );
    // the selector that chose this version, else one that matches by tag/branch/all
    const r =
      (version &&
        own.find((o) => o.filter.kind === 'ids' && o.filter.versions.some((v) => v.id === version.id))) ||
      own.find((o) => o.filter.kind !== 'ids') ||
      own[0]!;
    const numbers = version
      ? [version.number]
      : r.filter.kind === 'ids'
        ? r.filter.versions.map((v) => v.number)
        : null;
    return describeSelector(name, r.selector, numbers);
  };
}

const ALL_GOOD = 'All required verification results are published and successful';
const NO_DEPENDENCIES = 'There are no missing dependencies';
const uniq = (texts: string[]) => [...new Set(texts)];

const ignores = (ignore: IgnoreSelector[], name: string, version: string | null | undefined) =>
  ignore.some((i) => i.pacticipant === name && (!i.version || i.version === version));

/** Warnings that don't decide deployability but qualify it. */
async function warningsFor(db: Db, query: MatrixQuery, target: Target, truncatedAt: number | null) {
  const warnings: string[] = [];
  for (const i of query.options.ignore ?? []) {
    const p = await findPacticipant(db, i.pacticipant);
    if (!p) warnings.push(`WARN: Cannot ignore any version of ${i.pacticipant} (no such pacticipant exists)`);
    else if (i.version && (await versionByNumber(db, p, i.version)).length === 0)
      warnings.push(`WARN: Cannot ignore version ${i.version} of ${i.pacticipant} (no such version exists)`);
  }
  const deploying = target.kind === 'environment' || (target.kind === 'latest' && target.tag !== undefined);
  if (
    query.selectors.length === 1 &&
    (target.kind === 'none' || (target.kind === 'latest' && !deploying && !target.mainBranch))
  )
    warnings.push(
      'WARN: It is recommended to specify the environment into which you are deploying. Without the environment, this result will not be reliable.',
    );
  if (deploying)
    for (const s of query.selectors.filter(
      (s) => !s.version && (s.latest || s.tag || s.branch || s.mainBranch),
    ))
      warnings.push(
        `WARN: It is recommended to specify the version number of ${s.pacticipant} (rather than the latest) that you wish to deploy, as a newer version may have been published since this check was made.`,
      );
  if (truncatedAt !== null)
    warnings.push(
      `WARN: More than ${truncatedAt} rows match this query and only the first ${truncatedAt} were considered, so the result is not reliable. Narrow the query or raise the limit.`,
    );
  return warnings;
}

type Row = MatrixRow & { text: string };

/**
 * A version with its details, built field by field: spreading the details object cost ~15 µs a
 * row (a page of 500 rows spent more time here than in its SQL).
 */
function matrixVersion(version: VersionRef, details: Map<number, VersionDetails>): MatrixVersion {
  const { branch, branches, tags, environments } = details.get(version.id)!;
  return { id: version.id, number: version.number, branch, branches, tags, environments };
}

/** Matrix rows from the query's rows, each with the reason text it would give if it blocked. */
function toRows(
  raw: RawRow[],
  details: Map<number, VersionDetails>,
  describe: Awaited<ReturnType<typeof sideDescriber>>,
  ignore: IgnoreSelector[],
  pendingFailures: ReadonlySet<number>,
): Row[] {
  return raw.map((r) => {
    const pending = r.verification_id !== null && pendingFailures.has(r.verification_id);
    const providerVersion =
      r.provider_version_id === null
        ? null
        : { id: r.provider_version_id, number: r.provider_version_number! };
    const consumerVersion = { id: r.consumer_version_id, number: r.consumer_version_number };
    const between = `${describe(r.consumer_id, r.consumer_name, consumerVersion)} and ${describe(r.provider_id, r.provider_name, providerVersion)}`;
    return {
      consumerName: r.consumer_name,
      consumerVersion: matrixVersion(consumerVersion, details),
      providerName: r.provider_name,
      providerVersion: providerVersion && matrixVersion(providerVersion, details),
      pact: { sha: r.pact_sha, createdAt: r.pact_created_at },
      verification:
        r.verification_id === null
          ? null
          : {
              id: r.verification_id,
              success: r.success === 1,
              verifiedAt: r.verified_at!,
              ...(pending ? { pending: true as const } : {}),
            },
      ignored:
        ignores(ignore, r.consumer_name, r.consumer_version_number) ||
        ignores(ignore, r.provider_name, r.provider_version_number),
      text:
        r.verification_id === null
          ? `There is no verified pact between ${between}`
          : `The verification for the pact between ${between} failed${pending ? " while the pact was pending (the provider's build passed, but the pact is not satisfied)" : ''}`,
    };
  });
}

/** The verdict, counts and notices (the reason is the notices' texts, one per line). */
function summarise(
  rows: Row[],
  specified: Resolved[],
  ignore: IgnoreSelector[],
  warnings: string[],
  truncated: boolean,
): Omit<MatrixResult, 'rows'> {
  const considered = rows.filter((r) => !r.ignored);
  const ignoredRows = rows.filter((r) => r.ignored);
  const missing = specified.filter((r) => !r.exists);
  const missingIgnored = (r: Resolved) => ignores(ignore, r.pacticipant.name, r.selector.version);
  const missingConsidered = missing.filter((r) => !missingIgnored(r));
  const succeeded = (r: MatrixRow) => r.verification?.success === true;
  const failed = (r: MatrixRow) => r.verification?.success === false;
  const unverified = (r: MatrixRow) => r.verification === null;

  const errors =
    missingConsidered.length > 0
      ? uniq(missingConsidered.map(missingMessage))
      : uniq([...considered.filter(failed), ...considered.filter(unverified)].map((r) => r.text));
  const successes = errors.length > 0 ? [] : [considered.length > 0 ? ALL_GOOD : NO_DEPENDENCIES];
  const ignoredNotes = uniq([
    ...missing.filter(missingIgnored).map(missingMessage),
    ...ignoredRows.filter((r) => !succeeded(r)).map((r) => r.text),
  ]).map((text) => `[IGNORED] ${text}`);

  let deployable: boolean | null =
    missingConsidered.length > 0 ? false : considered.some(unverified) ? null : considered.every(succeeded);
  // a partial matrix can't vouch for the rows it left out
  if (truncated && deployable === true) deployable = null;

  const notices: MatrixNotice[] = [
    ...successes.map((text) => ({ type: 'success' as const, text })),
    ...errors.map((text) => ({ type: 'error' as const, text })),
    ...ignoredNotes.map((text) => ({ type: 'info' as const, text })),
    ...warnings.map((text) => ({ type: 'warning' as const, text })),
  ];
  return {
    summary: {
      deployable,
      reason: notices.map((n) => n.text).join('\n'),
      success: considered.filter(succeeded).length,
      failed: considered.filter(failed).length,
      unknown: considered.filter(unverified).length,
      ...(ignoredRows.length > 0 ? { ignored: ignoredRows.length } : {}),
    },
    notices,
  };
}

/**
 * The compatibility matrix for a query, with the can-i-deploy verdict: `deployable` is false when
 * a specified version doesn't exist, null (unknown) when a considered pact has no verification
 * by the versions in question, else whether every considered verification succeeded (true when
 * there is nothing to verify). Rows of ignored pacticipants are returned but not considered.
 *
 * `compareContracts`, when given, is called first with the provider contracts of the versions the
 * query names by number (bi-directional testing), so that their comparisons are among the rows;
 * they are found by the versions' own look-up, so a query naming no contract costs nothing more.
 *
 * @example await runMatrix(db, { selectors: [{ pacticipant: 'Web', version: '1.2.0' }], options: { environment: 'production' } })
 */
export async function runMatrix(
  db: Db,
  query: MatrixQuery,
  dialect: 'sqlite' | 'postgres' = 'sqlite',
  compareContracts?: (contractIds: number[]) => Promise<void>,
): Promise<MatrixResult> {
  const { pacticipants, environments } = await validate(db, query);
  const { selectors, options } = query;
  const specified: Resolved[] = [];
  for (const s of selectors)
    specified.push(await resolveSelector(db, pacticipants.get(s.pacticipant)!, s, environments));
  const contractIds = [
    ...new Set(specified.flatMap((r) => (r.contractId === undefined ? [] : [r.contractId]))),
  ];
  if (compareContracts && contractIds.length > 0) await compareContracts(contractIds);
  const target = targetOf(options, environments);
  const limit = options.limit ?? DEFAULT_LIMIT;
  // one row more than the limit tells whether the matrix was cut short
  const fetched = await selectRows(db, specified, target, options, limit + 1, dialect);
  const raw = fetched.slice(0, limit);
  const versionIds = raw.flatMap((r) =>
    r.provider_version_id === null ? [r.consumer_version_id] : [r.consumer_version_id, r.provider_version_id],
  );
  const details = await versionDetails(db, [...new Set(versionIds)]);
  const describe = await sideDescriber(db, specified, target, raw);
  const ignore = options.ignore ?? [];
  const failures = raw.flatMap((r) =>
    r.verification_id !== null && r.success !== 1 ? [r.verification_id] : [],
  );
  const rows = toRows(raw, details, describe, ignore, await failedWhilePending(db, failures));
  const truncated = fetched.length > limit;
  const warnings = await warningsFor(db, query, target, truncated ? limit : null);
  return {
    ...summarise(rows, specified, ignore, warnings, truncated),
    // as the reference broker does: the rows considered first, the ignored ones after them
    rows: [...rows.filter((r) => !r.ignored), ...rows.filter((r) => r.ignored)].map(
      ({ text, ...row }) => row,
    ),
  };
}
