import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { requestError } from '../errors.js';

export type Db = Kysely<Database> | Transaction<Database>;
export type Pacticipant = Selectable<Database['pacticipants']>;
export type Version = Selectable<Database['versions']>;

export const now = () => new Date().toISOString();

/** The longest name, version number, branch, tag or label: the longest path segment the router takes. */
export const MAX_NAME_LENGTH = 1000;

/**
 * What is wrong with a name, version number, branch, tag or label given as `value`, or undefined
 * when it is fine: it must be a non-blank single line that fits in a URL path segment.
 *
 * @example nameError(body.branch, 'branch') // 'branch must be a non-blank single line'
 */
export function nameError(value: unknown, what: string): string | undefined {
  if (typeof value !== 'string' || value.trim() === '' || /[\r\n]/.test(value))
    return `${what} must be a non-blank single line`;
  // names travel in URL paths, where the router takes segments of up to MAX_NAME_LENGTH (app.ts)
  if (value.length > MAX_NAME_LENGTH)
    return `${what} must be at most ${MAX_NAME_LENGTH} characters (got ${value.length})`;
  return undefined;
}

export function checkName(name: string, what = 'pacticipant name'): string {
  const message = nameError(name, what);
  if (message)
    throw requestError('COV_BROKER_REQUEST_INVALID', `the ${message}`, {
      errors: {
        [what.replace(/ /g, '')]: [message],
      },
    });
  return name;
}

export async function findPacticipant(db: Db, name: string): Promise<Pacticipant | undefined> {
  return db.selectFrom('pacticipants').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function requirePacticipant(db: Db, name: string): Promise<Pacticipant> {
  const found = await findPacticipant(db, name);
  if (!found) throw requestError('COV_BROKER_NOT_FOUND', `no pacticipant named '${name}'`);
  return found;
}

/** Finds or creates a pacticipant; safe against a concurrent create of the same name. */
export async function ensurePacticipant(db: Db, name: string): Promise<Pacticipant> {
  checkName(name);
  const found = await findPacticipant(db, name);
  if (found) return found;
  const at = now();
  const created = await db
    .insertInto('pacticipants')
    .values({
      name,
      display_name: null,
      repository_url: null,
      main_branch: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .returningAll()
    .executeTakeFirst();
  // nothing returned: created concurrently by another request
  return created ?? (await findPacticipant(db, name))!;
}

/**
 * Finds or creates several pacticipants, in order: one query when they all exist (a publish names
 * two that almost always do).
 *
 * @example const [consumer, provider] = await ensurePacticipants(trx, ['Web', 'API']);
 */
export async function ensurePacticipants(db: Db, names: string[]): Promise<Pacticipant[]> {
  for (const name of names) checkName(name);
  const found = await db.selectFrom('pacticipants').selectAll().where('name', 'in', names).execute();
  const out: Pacticipant[] = [];
  for (const name of names)
    out.push(found.find((p) => p.name === name) ?? (await ensurePacticipant(db, name)));
  return out;
}

export async function findVersion(
  db: Db,
  pacticipantId: number,
  number: string,
): Promise<Version | undefined> {
  return db
    .selectFrom('versions')
    .selectAll()
    .where('pacticipant_id', '=', pacticipantId)
    .where('number', '=', number)
    .executeTakeFirst();
}

export async function ensureVersion(
  db: Db,
  pacticipant: Pacticipant,
  number: string,
  buildUrl?: string,
): Promise<Version> {
  return (await findOrCreateVersion(db, pacticipant, number, buildUrl)).version;
}

/**
 * A version, created if missing, saying whether this call created it (a version created just now
 * has no pacts, tags or verifications yet, which saves a publish its look-ups).
 */
export async function findOrCreateVersion(
  db: Db,
  pacticipant: Pacticipant,
  number: string,
  buildUrl?: string,
): Promise<{ version: Version; created: boolean }> {
  checkName(number, 'version number');
  // inserted first: a publish usually brings a new version, so this is then its only query
  const created = await db
    .insertInto('versions')
    .values({ pacticipant_id: pacticipant.id, number, build_url: buildUrl ?? null, created_at: now() })
    .onConflict((oc) => oc.columns(['pacticipant_id', 'number']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (created) return { version: created, created: true };
  const found = (await findVersion(db, pacticipant.id, number))!;
  if (buildUrl && found.build_url !== buildUrl) {
    await db.updateTable('versions').set({ build_url: buildUrl }).where('id', '=', found.id).execute();
    return { version: { ...found, build_url: buildUrl }, created: false };
  }
  return { version: found, created: false };
}

export async function ensureBranchVersion(
  db: Db,
  pacticipant: Pacticipant,
  branch: string,
  version: Version,
): Promise<void> {
  checkName(branch, 'branch name');
  await db
    .insertInto('branches')
    .values({ pacticipant_id: pacticipant.id, name: branch, created_at: now() })
    .onConflict((oc) => oc.columns(['pacticipant_id', 'name']).doNothing())
    .execute();
  const row = await db
    .selectFrom('branches')
    .select('id')
    .where('pacticipant_id', '=', pacticipant.id)
    .where('name', '=', branch)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('branch_versions')
    .values({ branch_id: row.id, version_id: version.id, pacticipant_id: pacticipant.id, created_at: now() })
    .onConflict((oc) => oc.columns(['branch_id', 'version_id']).doNothing())
    .execute();
}

export async function ensureTag(
  db: Db,
  pacticipant: Pacticipant,
  version: Version,
  tag: string,
): Promise<void> {
  checkName(tag, 'tag name');
  await db
    .insertInto('tags')
    .values({ version_id: version.id, pacticipant_id: pacticipant.id, name: tag, created_at: now() })
    .onConflict((oc) => oc.columns(['version_id', 'name']).doNothing())
    .execute();
}

export async function branchesOf(db: Db, versionIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (versionIds.length === 0) return out;
  const rows = await db
    .selectFrom('branch_versions')
    .innerJoin('branches', 'branches.id', 'branch_versions.branch_id')
    .select(['branch_versions.version_id', 'branches.name'])
    .where('branch_versions.version_id', 'in', versionIds)
    .execute();
  for (const r of rows) out.set(r.version_id, [...(out.get(r.version_id) ?? []), r.name]);
  return out;
}

export async function tagsOf(db: Db, versionIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (versionIds.length === 0) return out;
  const rows = await db
    .selectFrom('tags')
    .select(['version_id', 'name'])
    .where('version_id', 'in', versionIds)
    .execute();
  for (const r of rows) out.set(r.version_id, [...(out.get(r.version_id) ?? []), r.name]);
  return out;
}
