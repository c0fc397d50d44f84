import { type RawBuilder, sql } from 'kysely';
import type { BrokerDatabase } from './connect.js';
import type { Dialect } from './migrations.js';

/** Rows per page on paginated pages (as the reference broker's UI). */
export const PAGE_SIZE = 100;

/**
 * A correlated subquery giving a JSON list of `column` over `fromWhere`, as one column of the
 * outer row: so a page's lists (branches, tags, environments) come with its rows, not one query
 * per row.
 */
function names(dialect: Dialect, column: RawBuilder<unknown>, fromWhere: RawBuilder<unknown>) {
  return dialect === 'postgres'
    ? sql`(SELECT coalesce(json_agg(${column}), '[]'::json) ${fromWhere})`
    : sql`(SELECT json_group_array(${column}) ${fromWhere})`;
}

/** Reads a `names` column (SQLite returns JSON text, PostgreSQL a parsed array): distinct, sorted. */
function nameList(value: unknown): string[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (!Array.isArray(list)) return [];
  return [...new Set(list.filter((n): n is string => typeof n === 'string'))].sort((a, b) =>
    a.localeCompare(b),
  );
}

// the branch's name looked up by id: joined, PostgreSQL hashed the whole branches table once per row
const branchesOfVersion = (dialect: Dialect, versionId: RawBuilder<unknown>) =>
  names(
    dialect,
    sql`(SELECT b.name FROM branches b WHERE b.id = bv.branch_id)`,
    sql`FROM branch_versions bv WHERE bv.version_id = ${versionId}`,
  );
const tagsOfVersion = (dialect: Dialect, versionId: RawBuilder<unknown>) =>
  names(dialect, sql`t.name`, sql`FROM tags t WHERE t.version_id = ${versionId}`);

/** A LIKE pattern for names containing `search`, any case: a search for "50%" finds "50%", not everything. */
const containsPattern = (search: string) => `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const bool = (value: unknown): boolean | null =>
  value === null || value === undefined ? null : value === true || Number(value) === 1;

export interface VerificationSummary {
  success: boolean;
  verifiedAt: string;
  providerVersion: string;
}

export interface IntegrationRow {
  consumer: string;
  provider: string;
  consumerVersion: string;
  sha: string;
  publishedAt: string;
  branches: string[];
  tags: string[];
  /** The latest verification of the latest pact. */
  verification: VerificationSummary | null;
  /** When the latest pact is unverified: the integration's latest verification of an earlier pact. */
  earlierVerification: VerificationSummary | null;
  /** With `withContent`: the latest pact's content and its latest verification's `testResults` (JSON text). */
  content?: string;
  testResults?: string | null;
}

interface IntegrationSqlRow {
  consumer: string;
  provider: string;
  consumer_version: string;
  sha: string;
  published_at: string;
  branches: unknown;
  tags: unknown;
  success: unknown;
  verified_at: string | null;
  provider_version: string | null;
  earlier_success: unknown;
  earlier_verified_at: string | null;
  earlier_provider_version: string | null;
  content?: string;
  test_results?: string | null;
}

const summary = (success: unknown, at: string | null, version: string | null): VerificationSummary | null =>
  at === null ? null : { success: bool(success) === true, verifiedAt: at, providerVersion: version ?? '' };

/**
 * Every integration (or those of one pacticipant) with its latest pact — the one `…/latest`
 * serves: newest consumer version, newest revision — that pact's consumer version branches and
 * tags, and its latest verification, in one query. `limit` + 1 rows are read to tell whether
 * there is a next page. `withContent` adds the pact's content and the verification's test results.
 */
export async function integrationRows(
  database: BrokerDatabase,
  options: {
    pacticipantId?: number;
    search?: string;
    offset?: number;
    limit?: number;
    withContent?: boolean;
  } = {},
): Promise<IntegrationRow[]> {
  const { dialect } = database;
  const conditions: RawBuilder<unknown>[] = [];
  if (options.pacticipantId !== undefined)
    conditions.push(
      sql`(x.consumer_id = ${options.pacticipantId} OR x.provider_id = ${options.pacticipantId})`,
    );
  if (options.search) {
    const pattern = containsPattern(options.search);
    conditions.push(
      sql`(lower(c.name) LIKE ${pattern} ESCAPE '\\' OR lower(p.name) LIKE ${pattern} ESCAPE '\\')`,
    );
  }
  const paging =
    options.limit === undefined ? sql`` : sql`LIMIT ${options.limit} OFFSET ${options.offset ?? 0}`;
  // The page of integrations is chosen first, by name, and only its rows are looked up; the
  // look-ups are scalar subqueries rather than joins: with ten tables joined, PostgreSQL spent
  // ~40 ms planning the query, more than running it.
  const result = await sql<IntegrationSqlRow>`
    SELECT i.consumer, i.provider, (SELECT cv.number FROM versions cv WHERE cv.id = pp.consumer_version_id) AS consumer_version,
      (SELECT pv.sha FROM pact_versions pv WHERE pv.id = pp.pact_version_id) AS sha,
      pp.created_at AS published_at,
      ${branchesOfVersion(dialect, sql`pp.consumer_version_id`)} AS branches,
      ${tagsOfVersion(dialect, sql`pp.consumer_version_id`)} AS tags,
      v.success, v.created_at AS verified_at,
      (SELECT prv.number FROM versions prv WHERE prv.id = v.provider_version_id) AS provider_version,
      ev.success AS earlier_success, ev.created_at AS earlier_verified_at,
      (SELECT eprv.number FROM versions eprv WHERE eprv.id = ev.provider_version_id) AS earlier_provider_version
      ${options.withContent ? sql`, (SELECT pv.content FROM pact_versions pv WHERE pv.id = pp.pact_version_id) AS content, v.test_results` : sql``}
    FROM (
      -- the pairs from the pact versions (thousands) rather than the publications (a hundred
      -- thousand at scale), those with a publication
      SELECT x.consumer_id, x.provider_id, c.name AS consumer, p.name AS provider
      FROM (SELECT DISTINCT consumer_id, provider_id FROM pact_versions) x
      JOIN pacticipants c ON c.id = x.consumer_id
      JOIN pacticipants p ON p.id = x.provider_id
      WHERE EXISTS (SELECT 1 FROM pact_publications e
        WHERE e.provider_id = x.provider_id AND e.consumer_id = x.consumer_id)
        ${conditions.length === 0 ? sql`` : sql`AND ${sql.join(conditions, sql` AND `)}`}
      ORDER BY c.name, p.name
      ${paging}
    ) i
    JOIN pact_publications pp ON pp.id = (
      SELECT pp2.id FROM pact_publications pp2
      WHERE pp2.consumer_id = i.consumer_id AND pp2.provider_id = i.provider_id
      ORDER BY pp2.consumer_version_id DESC, pp2.revision DESC LIMIT 1)
    LEFT JOIN verifications v ON v.id = (
      SELECT MAX(v2.id) FROM verifications v2 WHERE v2.pact_version_id = pp.pact_version_id)
    -- CASE: the integration's every verification is read only when the latest pact has none
    LEFT JOIN verifications ev ON ev.id = CASE WHEN v.id IS NULL THEN (
      SELECT MAX(v3.id) FROM pact_versions pv3 JOIN verifications v3 ON v3.pact_version_id = pv3.id
      WHERE pv3.consumer_id = i.consumer_id AND pv3.provider_id = i.provider_id) END
    ORDER BY i.consumer, i.provider
  `.execute(database.db);
  return result.rows.map((r) => ({
    consumer: r.consumer,
    provider: r.provider,
    consumerVersion: r.consumer_version,
    sha: r.sha,
    publishedAt: r.published_at,
    branches: nameList(r.branches),
    tags: nameList(r.tags),
    verification: summary(r.success, r.verified_at, r.provider_version),
    earlierVerification: summary(r.earlier_success, r.earlier_verified_at, r.earlier_provider_version),
    ...(options.withContent ? { content: r.content ?? '', testResults: r.test_results ?? null } : {}),
  }));
}

/** Which pact of an integration a pact page shows. */
export type PactSelector =
  | { kind: 'latest' }
  | { kind: 'version'; version: string }
  | { kind: 'sha'; sha: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'branch'; branch: string };

export interface PactPageData {
  consumer: string;
  provider: string;
  consumerVersion: string;
  sha: string;
  content: string;
  publishedAt: string;
  branches: string[];
  tags: string[];
  verification: VerificationSummary | null;
  /** The latest verification's `testResults` as stored (JSON text), if any. */
  verificationTestResults: string | null;
}

interface PactSqlRow {
  consumer: string;
  provider: string;
  consumer_version: string;
  sha: string;
  content: string;
  published_at: string;
  branches: unknown;
  tags: unknown;
  success: unknown;
  verified_at: string | null;
  provider_version: string | null;
  test_results: string | null;
}

/** One pact with its consumer version's branches and tags and its latest verification, in one query. */
export async function pactPageData(
  database: BrokerDatabase,
  consumer: string,
  provider: string,
  selector: PactSelector,
): Promise<PactPageData | undefined> {
  const { dialect } = database;
  let which: RawBuilder<unknown>;
  switch (selector.kind) {
    case 'latest':
      which = sql``;
      break;
    case 'version':
      which = sql`AND pp2.consumer_version_id = (SELECT cv2.id FROM versions cv2
        WHERE cv2.pacticipant_id = c.id AND cv2.number = ${selector.version})`;
      break;
    case 'sha':
      which = sql`AND pp2.pact_version_id = (SELECT pv2.id FROM pact_versions pv2
        WHERE pv2.consumer_id = c.id AND pv2.provider_id = p.id AND pv2.sha = ${selector.sha})`;
      break;
    case 'tag':
      which = sql`AND EXISTS (SELECT 1 FROM tags t WHERE t.version_id = pp2.consumer_version_id AND t.name = ${selector.tag})`;
      break;
    case 'branch':
      which = sql`AND EXISTS (SELECT 1 FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id
        WHERE bv.version_id = pp2.consumer_version_id AND b.name = ${selector.branch})`;
      break;
  }
  const result = await sql<PactSqlRow>`
    SELECT c.name AS consumer, p.name AS provider, cv.number AS consumer_version, pv.sha, pv.content,
      pp.created_at AS published_at,
      ${branchesOfVersion(dialect, sql`cv.id`)} AS branches,
      ${tagsOfVersion(dialect, sql`cv.id`)} AS tags,
      v.success, v.created_at AS verified_at, prv.number AS provider_version, v.test_results
    FROM pacticipants c
    JOIN pacticipants p ON p.name = ${provider}
    -- the one publication, found newest first from an index, before anything is joined to it
    JOIN pact_publications pp ON pp.id = (
      SELECT pp2.id FROM pact_publications pp2
      WHERE pp2.consumer_id = c.id AND pp2.provider_id = p.id ${which}
      ORDER BY pp2.consumer_version_id DESC, pp2.revision DESC LIMIT 1)
    JOIN versions cv ON cv.id = pp.consumer_version_id
    JOIN pact_versions pv ON pv.id = pp.pact_version_id
    LEFT JOIN verifications v ON v.id = (
      SELECT MAX(v2.id) FROM verifications v2 WHERE v2.pact_version_id = pp.pact_version_id)
    LEFT JOIN versions prv ON prv.id = v.provider_version_id
    WHERE c.name = ${consumer}
  `.execute(database.db);
  const r = result.rows[0];
  if (!r) return undefined;
  return {
    consumer: r.consumer,
    provider: r.provider,
    consumerVersion: r.consumer_version,
    sha: r.sha,
    content: r.content,
    publishedAt: r.published_at,
    branches: nameList(r.branches),
    tags: nameList(r.tags),
    verification: summary(r.success, r.verified_at, r.provider_version),
    verificationTestResults: r.test_results,
  };
}

export interface PacticipantSummary {
  id: number;
  name: string;
  displayName: string | null;
  repositoryUrl: string | null;
  mainBranch: string | null;
  createdAt: string;
  labels: string[];
  versionCount: number;
}

/** A pacticipant with its labels and how many versions it has, in one query. */
export async function pacticipantSummary(
  database: BrokerDatabase,
  name: string,
): Promise<PacticipantSummary | undefined> {
  const result = await sql<{
    id: number;
    name: string;
    display_name: string | null;
    repository_url: string | null;
    main_branch: string | null;
    created_at: string;
    labels: unknown;
    version_count: unknown;
  }>`
    SELECT p.id, p.name, p.display_name, p.repository_url, p.main_branch, p.created_at,
      ${names(database.dialect, sql`l.name`, sql`FROM labels l WHERE l.pacticipant_id = p.id`)} AS labels,
      (SELECT COUNT(*) FROM versions v WHERE v.pacticipant_id = p.id) AS version_count
    FROM pacticipants p WHERE p.name = ${name}
  `.execute(database.db);
  const r = result.rows[0];
  if (!r) return undefined;
  return {
    id: Number(r.id),
    name: r.name,
    displayName: r.display_name,
    repositoryUrl: r.repository_url,
    mainBranch: r.main_branch,
    createdAt: r.created_at,
    labels: nameList(r.labels),
    versionCount: Number(r.version_count),
  };
}

export interface VersionRow {
  number: string;
  createdAt: string;
  buildUrl: string | null;
  branches: string[];
  tags: string[];
  /** Environments the version is currently deployed to. */
  deployedTo: string[];
  /** Environments the version is currently released (and supported) in. */
  releasedIn: string[];
}

/** A page of a pacticipant's versions, newest first, with branches, tags and environments, in one query. */
export async function versionRows(
  database: BrokerDatabase,
  pacticipantId: number,
  offset: number,
  limit: number,
): Promise<VersionRow[]> {
  const { dialect } = database;
  const result = await sql<{
    number: string;
    created_at: string;
    build_url: string | null;
    branches: unknown;
    tags: unknown;
    deployed: unknown;
    released: unknown;
  }>`
    SELECT v.number, v.created_at, v.build_url,
      ${branchesOfVersion(dialect, sql`v.id`)} AS branches,
      ${tagsOfVersion(dialect, sql`v.id`)} AS tags,
      ${names(
        dialect,
        sql`coalesce(e.display_name, e.name)`,
        sql`FROM deployed_versions d JOIN environments e ON e.id = d.environment_id
          WHERE d.version_id = v.id AND d.undeployed_at IS NULL`,
      )} AS deployed,
      ${names(
        dialect,
        sql`coalesce(e.display_name, e.name)`,
        sql`FROM released_versions r JOIN environments e ON e.id = r.environment_id
          WHERE r.version_id = v.id AND r.support_ended_at IS NULL`,
      )} AS released
    FROM versions v
    WHERE v.pacticipant_id = ${pacticipantId}
    ORDER BY v.id DESC
    LIMIT ${limit} OFFSET ${offset}
  `.execute(database.db);
  return result.rows.map((r) => ({
    number: r.number,
    createdAt: r.created_at,
    buildUrl: r.build_url,
    branches: nameList(r.branches),
    tags: nameList(r.tags),
    deployedTo: nameList(r.deployed),
    releasedIn: nameList(r.released),
  }));
}

/** A branch or a tag of a pacticipant: how many versions carry it and the latest of them. */
export interface LabelledVersionsRow {
  pacticipant: string;
  name: string;
  /** For a branch: whether it is the pacticipant's main branch. */
  main: boolean;
  versionCount: number;
  /** Null for a branch no version is on any more. */
  latestVersion: string | null;
  latestAt: string | null;
}

interface LabelledVersionsSqlRow {
  pacticipant: string;
  name: string;
  main_branch: string | null;
  version_count: unknown;
  latest_version: string | null;
  latest_at: string | null;
}

const labelledRow = (r: LabelledVersionsSqlRow): LabelledVersionsRow => ({
  pacticipant: r.pacticipant,
  name: r.name,
  main: r.main_branch === r.name,
  versionCount: Number(r.version_count),
  latestVersion: r.latest_version,
  latestAt: r.latest_at,
});

/** Keeps the rows whose pacticipant's name contains `search`. */
function pacticipantNameFilter(search: string | undefined) {
  return search ? sql`WHERE lower(p.name) LIKE ${containsPattern(search)} ESCAPE '\\'` : sql``;
}

/**
 * A page of every pacticipant's branches, by pacticipant and branch name, each with its version
 * count and latest version, in one query. `limit` + 1 rows tell whether there is a next page.
 */
export async function branchRows(
  database: BrokerDatabase,
  options: { search?: string; offset: number; limit: number },
): Promise<LabelledVersionsRow[]> {
  // the page of branches first, then each one's count and latest on the (branch, version) index
  const result = await sql<LabelledVersionsSqlRow>`
    SELECT page.pacticipant, page.name, page.main_branch,
      (SELECT COUNT(*) FROM branch_versions bv WHERE bv.branch_id = page.id) AS version_count,
      lv.number AS latest_version, lv.created_at AS latest_at
    FROM (
      SELECT b.id, p.name AS pacticipant, b.name, p.main_branch
      FROM branches b JOIN pacticipants p ON p.id = b.pacticipant_id
      ${pacticipantNameFilter(options.search)}
      ORDER BY p.name, b.name
      LIMIT ${options.limit} OFFSET ${options.offset}) page
    LEFT JOIN versions lv ON lv.id = (SELECT MAX(bv.version_id) FROM branch_versions bv WHERE bv.branch_id = page.id)
    ORDER BY page.pacticipant, page.name
  `.execute(database.db);
  return result.rows.map(labelledRow);
}

/** A page of every pacticipant's tags, as `branchRows` gives branches, in one query. */
export async function tagRows(
  database: BrokerDatabase,
  options: { search?: string; offset: number; limit: number },
): Promise<LabelledVersionsRow[]> {
  const result = await sql<LabelledVersionsSqlRow>`
    SELECT p.name AS pacticipant, t.name, NULL AS main_branch, t.version_count,
      lv.number AS latest_version, lv.created_at AS latest_at
    FROM (SELECT pacticipant_id, name, COUNT(*) AS version_count, MAX(version_id) AS latest_id
      FROM tags GROUP BY pacticipant_id, name) t
    JOIN pacticipants p ON p.id = t.pacticipant_id
    JOIN versions lv ON lv.id = t.latest_id
    ${pacticipantNameFilter(options.search)}
    ORDER BY p.name, t.name
    LIMIT ${options.limit} OFFSET ${options.offset}
  `.execute(database.db);
  return result.rows.map(labelledRow);
}

/** The stored `testResults` (JSON text, or null) of these verifications, by id, in one query. */
export async function verificationTestResults(
  database: BrokerDatabase,
  ids: number[],
): Promise<Map<number, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await database.db
    .selectFrom('verifications')
    .select(['id', 'test_results'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [Number(r.id), r.test_results as string | null]));
}
