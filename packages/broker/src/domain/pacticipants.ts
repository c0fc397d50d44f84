import {
  addBranchVersion,
  addTag,
  type Db,
  deleteBranch,
  deleteBranchVersion,
  findBranch,
  findPacticipant,
  findPacticipantForWrite,
  findPublishers,
  findVersion,
  insertOrHold,
  insertOrHoldVersion,
  insertPacticipant,
  listBranches,
  type Pacticipant,
  type Publisher,
  setBuildUrl,
  type Version,
} from '../db/pacticipants-repo.js';
import { requestError } from '../errors.js';

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

export async function requirePacticipant(db: Db, name: string): Promise<Pacticipant> {
  const found = await findPacticipant(db, name);
  if (!found) throw requestError('COV_BROKER_NOT_FOUND', `no pacticipant named '${name}'`);
  return found;
}

/**
 * Finds or creates a pacticipant for a write to refer to, locked on PostgreSQL until the write
 * commits: a concurrent DELETE of it then waits, or has already gone and the pacticipant is created
 * anew, instead of failing the write's insert on its foreign key. Safe against a concurrent create.
 */
export async function ensurePacticipant(db: Db, name: string): Promise<Pacticipant> {
  checkName(name);
  const found = await findPacticipantForWrite(db, name);
  if (found) return found;
  const { row } = await insertOrHold(
    () => insertPacticipant(db, name),
    () => findPacticipantForWrite(db, name),
    `pacticipant '${name}'`,
  );
  return row;
}

/**
 * Finds or creates the pacticipants a publish names, in order, each saying whether it has provider
 * contracts: one query when they all exist (a publish names two that almost always do). One created
 * here has none.
 *
 * @example const [{ pacticipant: consumer }, { hasContracts }] = await ensurePublishers(trx, ['Web', 'API']);
 */
export async function ensurePublishers(db: Db, names: string[]): Promise<Publisher[]> {
  for (const name of names) checkName(name);
  const found = await findPublishers(db, names);
  const out: Publisher[] = [];
  for (const name of names)
    out.push(
      found.find((p) => p.pacticipant.name === name) ?? {
        pacticipant: await ensurePacticipant(db, name),
        hasContracts: false,
      },
    );
  return out;
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
  const { version, created } = await insertOrHoldVersion(db, pacticipant.id, number, buildUrl);
  if (!created && buildUrl && version.build_url !== buildUrl) {
    await setBuildUrl(db, version.id, buildUrl);
    return { version: { ...version, build_url: buildUrl }, created };
  }
  return { version, created };
}

export async function ensureBranchVersion(
  db: Db,
  pacticipant: Pacticipant,
  branch: string,
  version: Version,
): Promise<void> {
  checkName(branch, 'branch name');
  await addBranchVersion(db, pacticipant, branch, version);
}

export async function ensureTag(
  db: Db,
  pacticipant: Pacticipant,
  version: Version,
  tag: string,
): Promise<void> {
  checkName(tag, 'tag name');
  await addTag(db, pacticipant, version, tag);
}

/**
 * Which branches a bulk delete of a pacticipant's branches removes: every one but its main branch
 * and those the caller excludes (the reference's `DELETE /pacticipants/{p}/branches?exclude[]=`).
 *
 * @example branchesToDelete(['main', 'feat-a', 'feat-b'], 'main', ['feat-b']) // { deleted: ['feat-a'], kept: ['feat-b', 'main'] }
 */
export function branchesToDelete(branches: string[], mainBranch: string | null, exclude: string[]) {
  const keep = new Set([...exclude, ...(mainBranch ? [mainBranch] : [])]);
  return {
    deleted: branches.filter((name) => !keep.has(name)),
    kept: branches.filter((name) => keep.has(name)),
  };
}

/** Deletes a pacticipant's branches but its main branch and `exclude` (their versions stay); what went and what stayed. */
export async function deleteBranchesExcept(db: Db, pacticipant: Pacticipant, exclude: string[]) {
  const branches = await listBranches(db, pacticipant.id);
  const outcome = branchesToDelete(
    branches.map((b) => b.name),
    pacticipant.main_branch,
    exclude,
  );
  for (const branch of branches) if (outcome.deleted.includes(branch.name)) await deleteBranch(db, branch.id);
  return outcome;
}

/** Takes a version off a branch (both stay); a not-found error naming what is missing. */
export async function removeVersionFromBranch(
  db: Db,
  pacticipant: Pacticipant,
  branchName: string,
  versionNumber: string,
): Promise<void> {
  const branch = await findBranch(db, pacticipant.id, branchName);
  if (!branch)
    throw requestError('COV_BROKER_NOT_FOUND', `'${pacticipant.name}' has no branch '${branchName}'`);
  const version = await findVersion(db, pacticipant.id, versionNumber);
  if (!version || !(await deleteBranchVersion(db, branch.id, version.id)))
    throw requestError(
      'COV_BROKER_NOT_FOUND',
      `'${pacticipant.name}' has no version '${versionNumber}' on branch '${branchName}'`,
    );
}
