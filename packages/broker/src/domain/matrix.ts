import { type RawBuilder, sql } from 'kysely';
import { requestError } from '../errors.js';
import { type Environment, environmentByName } from './environments.js';
import { type Db, findPacticipant, type Pacticipant } from './pacticipants.js';

/** One `q[]` selector: which versions of a pacticipant the query is about. */
export interface MatrixSelector {
  pacticipant: string;
  version?: string;
  latest?: boolean;
  tag?: string;
  branch?: string;
  mainBranch?: boolean;
  environment?: string;
}

/** A pacticipant (optionally one version) whose results must not block the deployment. */
export interface IgnoreSelector {
  pacticipant: string;
  version?: string;
}

/** Keep the latest row per consumer version and provider version, consumer version and provider, or integration. */
export type LatestBy = 'cvpv' | 'cvp' | 'cp';

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
  verification: { id: number; success: boolean; verifiedAt: string } | null;
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

interface VersionRef {
  id: number;
  number: string;
}

/** Which versions of one pacticipant a selector stands for. */
type VersionFilter =
  | { kind: 'ids'; versions: VersionRef[] }
  | { kind: 'tag'; tag: string }
  | { kind: 'branch'; branch: string }
  | { kind: 'all' };

interface Resolved {
  pacticipant: Pacticipant;
  selector: MatrixSelector;
  filter: VersionFilter;
  exists: boolean;
}

/** What the pacticipants that were not specified are compared at (`none`: every version). */
type Target =
  | { kind: 'none' }
  | { kind: 'environment'; environment: Environment }
  | { kind: 'latest'; tag?: string; mainBranch?: boolean }
  | { kind: 'tag'; tag: string }
  | { kind: 'mainBranch' };

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

// ---- SQL predicates over a (pacticipant id, version id) pair of columns -----------------------

type Sql = RawBuilder<unknown>;
const TRUE = sql`1 = 1`;
const FALSE = sql`1 = 0`;
const anyOf = (parts: Sql[]) => (parts.length === 0 ? FALSE : sql`(${sql.join(parts, sql` OR `)})`);

/**
 * What "currently deployed or released to an environment" means, defined once: a deployment not yet
 * ended, or a release whose support has not ended. Two queries, one per table, selecting
 * `version_id` (and `environment_id` with `withEnvironment`), narrowed by whichever filters are
 * given, each applied to both tables so that their indexes serve (the pacticipant lets a deployment
 * look-up use all of (environment_id, pacticipant_id, undeployed_at)). Callers combine them as the
 * plan needs: two EXISTS joined by OR for one version (each stops at its first row, from an index),
 * or a UNION for a set of versions.
 */
function currentlyDeployedOrReleased(filter: {
  environment?: number;
  pacticipant?: Sql | number;
  version?: Sql;
  versionIn?: Sql;
  withEnvironment?: boolean;
}): { deployed: Sql; released: Sql } {
  const query = (table: 'deployed_versions' | 'released_versions', alias: 'd' | 'r') => {
    const column = (name: string) => sql.ref(`${alias}.${name}`);
    const parts = [alias === 'd' ? sql`d.undeployed_at IS NULL` : sql`r.support_ended_at IS NULL`];
    if (filter.environment !== undefined)
      parts.push(sql`${column('environment_id')} = ${filter.environment}`);
    if (filter.pacticipant !== undefined)
      parts.push(sql`${column('pacticipant_id')} = ${filter.pacticipant}`);
    if (filter.version !== undefined) parts.push(sql`${column('version_id')} = ${filter.version}`);
    if (filter.versionIn !== undefined) parts.push(sql`${column('version_id')} IN (${filter.versionIn})`);
    const columns = filter.withEnvironment
      ? sql`${column('version_id')}, ${column('environment_id')}`
      : column('version_id');
    return sql`SELECT ${columns} FROM ${sql.table(table)} ${sql.raw(alias)} WHERE ${sql.join(parts, sql` AND `)}`;
  };
  return { deployed: query('deployed_versions', 'd'), released: query('released_versions', 'r') };
}

const deployedOrReleasedTo = (environmentId: number, pacticipant: Sql, version: Sql) => {
  const { deployed, released } = currentlyDeployedOrReleased({
    environment: environmentId,
    pacticipant,
    version,
  });
  return sql`(EXISTS (${deployed}) OR EXISTS (${released}))`;
};

const hasTag = (tag: string, version: Sql) =>
  sql`EXISTS (SELECT 1 FROM tags t WHERE t.version_id = ${version} AND t.name = ${tag})`;

const onBranch = (branch: string, version: Sql) =>
  sql`EXISTS (SELECT 1 FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id WHERE bv.version_id = ${version} AND b.name = ${branch})`;

const onMainBranch = (version: Sql) =>
  sql`EXISTS (SELECT 1 FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id JOIN pacticipants mp ON mp.id = b.pacticipant_id AND mp.main_branch = b.name WHERE bv.version_id = ${version})`;

const latestWithTag = (tag: string, pacticipant: Sql, version: Sql) =>
  sql`${version} = (SELECT MAX(t.version_id) FROM tags t WHERE t.pacticipant_id = ${pacticipant} AND t.name = ${tag})`;

const latestOnBranch = (branch: string, pacticipant: Sql, version: Sql) =>
  sql`${version} = (SELECT MAX(bv.version_id) FROM branches b JOIN branch_versions bv ON bv.branch_id = b.id WHERE b.pacticipant_id = ${pacticipant} AND b.name = ${branch})`;

/** The target's versions of whichever pacticipant `pacticipant` holds (indexed MAX look-ups for "latest"). */
function targetPredicate(target: Target, pacticipant: Sql, version: Sql): Sql {
  switch (target.kind) {
    case 'none':
      return TRUE;
    case 'environment':
      return deployedOrReleasedTo(target.environment.id, pacticipant, version);
    case 'tag':
      return hasTag(target.tag, version);
    case 'mainBranch':
      return onMainBranch(version);
    case 'latest':
      if (target.tag) return latestWithTag(target.tag, pacticipant, version);
      if (target.mainBranch)
        return sql`${version} = (SELECT MAX(bv.version_id) FROM branches b JOIN pacticipants mp ON mp.id = b.pacticipant_id AND mp.main_branch = b.name JOIN branch_versions bv ON bv.branch_id = b.id WHERE b.pacticipant_id = ${pacticipant})`;
      return sql`${version} = (SELECT MAX(lv2.id) FROM versions lv2 WHERE lv2.pacticipant_id = ${pacticipant})`;
  }
}

function filterPredicate(filter: VersionFilter, version: Sql): Sql {
  switch (filter.kind) {
    case 'ids':
      return filter.versions.length === 0
        ? FALSE
        : sql`${version} IN (${sql.join(filter.versions.map((v) => v.id))})`;
    case 'tag':
      return hasTag(filter.tag, version);
    case 'branch':
      return onBranch(filter.branch, version);
    case 'all':
      return TRUE;
  }
}

/** Specified selectors grouped by pacticipant id. */
function byPacticipant(resolved: Resolved[]): Map<number, Resolved[]> {
  const out = new Map<number, Resolved[]>();
  for (const r of resolved) out.set(r.pacticipant.id, [...(out.get(r.pacticipant.id) ?? []), r]);
  return out;
}

/** The versions the specified selectors stand for, per pacticipant. */
function specifiedPredicate(resolved: Resolved[], pacticipant: Sql, version: Sql): Sql {
  return anyOf(
    [...byPacticipant(resolved)].map(
      ([id, rs]) =>
        sql`(${pacticipant} = ${id} AND ${anyOf(rs.map((r) => filterPredicate(r.filter, version)))})`,
    ),
  );
}

// ---- resolving selectors to versions ----------------------------------------------------------

/** The versions of a pacticipant matching a predicate, oldest first. */
async function versionsWhere(
  db: Db,
  pacticipantId: number,
  where: (version: Sql) => Sql,
): Promise<VersionRef[]> {
  const { rows } = await sql<VersionRef>`SELECT v.id, v.number FROM versions v
    WHERE v.pacticipant_id = ${pacticipantId} AND ${where(sql`v.id`)} ORDER BY v.id`.execute(db);
  return rows;
}

/**
 * The versions of a pacticipant currently deployed or released to an environment, oldest first:
 * found from the (few) deployments and releases, not by testing each of its versions.
 */
async function versionsInEnvironment(
  db: Db,
  pacticipantId: number,
  environmentId: number,
): Promise<VersionRef[]> {
  const current = currentlyDeployedOrReleased({ environment: environmentId, pacticipant: pacticipantId });
  const { rows } = await sql<VersionRef>`SELECT v.id, v.number FROM versions v
    WHERE v.pacticipant_id = ${pacticipantId} AND v.id IN (${current.deployed} UNION ${current.released})
    ORDER BY v.id`.execute(db);
  return rows;
}

/** The newest version of a pacticipant matching a predicate, as a list of zero or one. */
async function latestWhere(
  db: Db,
  pacticipantId: number,
  where: (version: Sql) => Sql,
): Promise<VersionRef[]> {
  const { rows } = await sql<VersionRef>`SELECT v.id, v.number FROM versions v
    WHERE v.pacticipant_id = ${pacticipantId} AND ${where(sql`v.id`)} ORDER BY v.id DESC LIMIT 1`.execute(db);
  return rows;
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
  const pacticipant = sql`${p.id}`;
  const branch = s.mainBranch ? p.main_branch : s.branch;
  if (s.mainBranch && !branch) return ids([]);
  if (s.version) return ids(await versionByNumber(db, p, s.version));
  if (s.environment) {
    return ids(await versionsInEnvironment(db, p.id, environments.get(s.environment)!.id));
  }
  if (s.tag) {
    const latest = await latestWhere(db, p.id, (v) => latestWithTag(s.tag!, pacticipant, v));
    return s.latest ? ids(latest) : resolved({ kind: 'tag', tag: s.tag }, latest.length > 0);
  }
  if (branch) {
    const latest = await latestWhere(db, p.id, (v) => latestOnBranch(branch, pacticipant, v));
    return s.latest ? ids(latest) : resolved({ kind: 'branch', branch }, latest.length > 0);
  }
  if (s.latest) return ids(await latestWhere(db, p.id, () => TRUE));
  return resolved({ kind: 'all' }, true);
}

async function versionByNumber(db: Db, p: Pacticipant, number: string): Promise<VersionRef[]> {
  return db
    .selectFrom('versions')
    .select(['id', 'number'])
    .where('pacticipant_id', '=', p.id)
    .where('number', '=', number)
    .execute();
}

// ---- the matrix rows --------------------------------------------------------------------------

interface RawRow {
  consumer_id: number;
  consumer_name: string;
  consumer_version_id: number;
  consumer_version_number: string;
  provider_id: number;
  provider_name: string;
  pact_created_at: string;
  pact_sha: string;
  verification_id: number | null;
  success: number | null;
  verified_at: string | null;
  provider_version_id: number | null;
  provider_version_number: string | null;
}

/**
 * One query: the latest revision of each pact from the selected consumer versions, left-joined to
 * the latest verification per (pact version, provider version) by the selected provider versions,
 * so an unverified pact still yields a row. `latestby` is a window function, applied before the
 * success filter and the limit, as in the reference broker. Names, numbers and the sha are scalar
 * look-ups rather than joins: with four fewer tables to order, PostgreSQL plans it ~4x faster
 * (planning, not running, was most of a can-i-deploy's time at scale).
 */
async function selectRows(
  db: Db,
  specified: Resolved[],
  target: Target,
  options: MatrixOptions,
  limit: number,
  dialect: 'sqlite' | 'postgres',
): Promise<RawRow[]> {
  const ids = sql.join([...new Set(specified.map((r) => r.pacticipant.id))]);
  // Pacticipants that weren't specified take part at the target's versions; without a target, only
  // a question about a single pacticipant reaches out to every version of the others.
  const othersTakePart = target.kind !== 'none' || new Set(specified.map((r) => r.pacticipant.id)).size === 1;
  const others = (pacticipant: Sql, version: Sql) =>
    othersTakePart ? targetPredicate(target, pacticipant, version) : FALSE;
  const versionsOf = (pacticipant: Sql, version: Sql) =>
    sql`((${pacticipant} IN (${ids}) AND ${specifiedPredicate(specified, pacticipant, version)})
      OR (${pacticipant} NOT IN (${ids}) AND ${others(pacticipant, version)}))`;
  const consumerSide = (consumer: Sql, consumerVersion: Sql, provider: Sql) =>
    sql`${specifiedPredicate(specified, consumer, consumerVersion)} AND ${othersTakePart ? TRUE : sql`${provider} IN (${ids})`}`;
  const providerSide = (consumer: Sql, consumerVersion: Sql, provider: Sql) =>
    sql`${provider} IN (${ids}) AND ${consumer} NOT IN (${ids}) AND ${others(consumer, consumerVersion)}`;
  // SQLite can't use its indexes for the OR of the two sides and scans every publication, so there
  // the scope is a UNION of two index-friendly halves; PostgreSQL plans the OR well (and the UNION badly).
  const scope =
    dialect === 'sqlite'
      ? sql`pp.id IN (
          SELECT scope_c.id FROM pact_publications scope_c
          WHERE ${consumerSide(sql`scope_c.consumer_id`, sql`scope_c.consumer_version_id`, sql`scope_c.provider_id`)}
          UNION
          SELECT scope_p.id FROM pact_publications scope_p
          WHERE ${providerSide(sql`scope_p.consumer_id`, sql`scope_p.consumer_version_id`, sql`scope_p.provider_id`)})`
      : anyOf([
          sql`(${consumerSide(sql`pp.consumer_id`, sql`pp.consumer_version_id`, sql`pp.provider_id`)})`,
          sql`(${providerSide(sql`pp.consumer_id`, sql`pp.consumer_version_id`, sql`pp.provider_id`)})`,
        ]);
  const rank =
    options.latestby === 'cvp'
      ? sql`ROW_NUMBER() OVER (PARTITION BY pp.consumer_version_id, pp.provider_id ORDER BY COALESCE(lv.provider_version_id, 0) DESC)`
      : options.latestby === 'cp'
        ? sql`ROW_NUMBER() OVER (PARTITION BY pp.consumer_id, pp.provider_id ORDER BY pp.consumer_version_id DESC, COALESCE(lv.provider_version_id, 0) DESC)`
        : sql`1`;
  const success = options.success?.length
    ? anyOf(options.success.map((s) => (s === null ? sql`m.success IS NULL` : sql`m.success = ${s ? 1 : 0}`)))
    : TRUE;
  const { rows } = await sql<RawRow>`
    SELECT m.* FROM (
      SELECT pp.consumer_id, (SELECT c.name FROM pacticipants c WHERE c.id = pp.consumer_id) AS consumer_name,
        pp.consumer_version_id, (SELECT cv.number FROM versions cv WHERE cv.id = pp.consumer_version_id) AS consumer_version_number,
        pp.provider_id, (SELECT p.name FROM pacticipants p WHERE p.id = pp.provider_id) AS provider_name,
        pp.created_at AS pact_created_at, (SELECT pv.sha FROM pact_versions pv WHERE pv.id = pp.pact_version_id) AS pact_sha,
        lv.id AS verification_id, lv.success, lv.created_at AS verified_at, lv.provider_version_id,
        (SELECT prv.number FROM versions prv WHERE prv.id = lv.provider_version_id) AS provider_version_number,
        ${rank} AS row_rank
      FROM pact_publications pp
      LEFT JOIN verifications lv ON lv.pact_version_id = pp.pact_version_id
        AND ${versionsOf(sql`pp.provider_id`, sql`lv.provider_version_id`)}
        AND NOT EXISTS (SELECT 1 FROM verifications nv WHERE nv.pact_version_id = lv.pact_version_id
          AND nv.provider_version_id = lv.provider_version_id AND nv.id > lv.id)
      WHERE NOT EXISTS (SELECT 1 FROM pact_publications np WHERE np.consumer_version_id = pp.consumer_version_id
          AND np.provider_id = pp.provider_id AND np.revision > pp.revision)
        AND ${scope}
    ) m
    WHERE m.row_rank = 1 AND ${success}
    ORDER BY m.consumer_version_id DESC, m.provider_name, COALESCE(m.provider_version_id, 0) DESC
    LIMIT ${limit}`.execute(db);
  return rows;
}

type VersionDetails = Omit<MatrixVersion, 'id' | 'number'>;

/** Branches, tags (each flagged if it is the latest version with it) and current environments of the versions, in three queries. */
async function versionDetails(db: Db, ids: number[]): Promise<Map<number, VersionDetails>> {
  const out = new Map<number, VersionDetails>();
  if (ids.length === 0) return out;
  for (const id of ids) out.set(id, { branch: null, branches: [], tags: [], environments: [] });
  const list = sql.join(ids);
  const current = currentlyDeployedOrReleased({ versionIn: list, withEnvironment: true });
  // independent: asked at once (on PostgreSQL, over several connections)
  const [tags, branches, environments] = await Promise.all([
    sql<{ version_id: number; name: string; latest: number }>`
    SELECT t.version_id, t.name, CASE WHEN t.version_id = (SELECT MAX(t2.version_id) FROM tags t2
      WHERE t2.pacticipant_id = t.pacticipant_id AND t2.name = t.name) THEN 1 ELSE 0 END AS latest
    FROM tags t WHERE t.version_id IN (${list}) ORDER BY t.created_at, t.id`.execute(db),
    sql<{ version_id: number; name: string; latest: number }>`
    SELECT bv.version_id, b.name, CASE WHEN bv.version_id = (SELECT MAX(bv2.version_id) FROM branch_versions bv2
      WHERE bv2.branch_id = bv.branch_id) THEN 1 ELSE 0 END AS latest
    FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id WHERE bv.version_id IN (${list}) ORDER BY bv.id`.execute(
      db,
    ),
    sql<Environment & { version_id: number }>`
    SELECT x.version_id, e.* FROM (${current.deployed} UNION ${current.released}) x
    JOIN environments e ON e.id = x.environment_id ORDER BY e.name`.execute(db),
  ]);
  for (const t of tags.rows) out.get(t.version_id)!.tags.push({ name: t.name, latest: t.latest === 1 });
  for (const b of branches.rows) {
    const d = out.get(b.version_id)!;
    d.branches.push({ name: b.name, latest: b.latest === 1 });
    d.branch = b.name;
  }
  for (const { version_id, ...e } of environments.rows) out.get(version_id)!.environments.push(e);
  return out;
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
          ? await versionsWhere(db, id, (v) => targetPredicate(target, sql`${id}`, v))
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

/** Matrix rows from the query's rows, each with the reason text it would give if it blocked. */
function toRows(
  raw: RawRow[],
  details: Map<number, VersionDetails>,
  describe: Awaited<ReturnType<typeof sideDescriber>>,
  ignore: IgnoreSelector[],
): Row[] {
  return raw.map((r) => {
    const providerVersion =
      r.provider_version_id === null
        ? null
        : { id: r.provider_version_id, number: r.provider_version_number! };
    const consumerVersion = { id: r.consumer_version_id, number: r.consumer_version_number };
    const between = `${describe(r.consumer_id, r.consumer_name, consumerVersion)} and ${describe(r.provider_id, r.provider_name, providerVersion)}`;
    return {
      consumerName: r.consumer_name,
      consumerVersion: { ...consumerVersion, ...details.get(consumerVersion.id)! },
      providerName: r.provider_name,
      providerVersion: providerVersion && { ...providerVersion, ...details.get(providerVersion.id)! },
      pact: { sha: r.pact_sha, createdAt: r.pact_created_at },
      verification:
        r.verification_id === null
          ? null
          : { id: r.verification_id, success: r.success === 1, verifiedAt: r.verified_at! },
      ignored:
        ignores(ignore, r.consumer_name, r.consumer_version_number) ||
        ignores(ignore, r.provider_name, r.provider_version_number),
      text:
        r.verification_id === null
          ? `There is no verified pact between ${between}`
          : `The verification for the pact between ${between} failed`,
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
 * @example await runMatrix(db, { selectors: [{ pacticipant: 'Web', version: '1.2.0' }], options: { environment: 'production' } })
 */
export async function runMatrix(
  db: Db,
  query: MatrixQuery,
  dialect: 'sqlite' | 'postgres' = 'sqlite',
): Promise<MatrixResult> {
  const { pacticipants, environments } = await validate(db, query);
  const { selectors, options } = query;
  const specified: Resolved[] = [];
  for (const s of selectors)
    specified.push(await resolveSelector(db, pacticipants.get(s.pacticipant)!, s, environments));
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
  const rows = toRows(raw, details, describe, ignore);
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
