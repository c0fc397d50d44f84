import { latestVersionOnBranch, latestVersionWithTag } from '../db/matrix-repo.js';
import { type Db, findPacticipant } from '../db/pacticipants-repo.js';
import { requestError } from '../errors.js';
import type { MatrixQuery } from './matrix.js';

// The reference's fixed can-i-deploy and can-i-merge questions, each asked through a URL (and its
// badge): the matrix query each stands for, and the version it is asked about.

/**
 * Can the latest version of `pacticipant` with `tag` go where the latest versions tagged `to` are?
 *
 * @example runMatrix(db, canIDeployTagToTag('Web', 'main', 'prod'))
 */
export const canIDeployTagToTag = (pacticipant: string, tag: string, to: string): MatrixQuery => ({
  selectors: [{ pacticipant, tag, latest: true }],
  options: { latest: true, tag: to, latestby: 'cvp' },
});

/**
 * Can the latest version of `pacticipant` on `branch` be deployed to `environment`? By provider
 * version (`cvpv`), as `/can-i-deploy` asks of an environment, so that two provider versions in the
 * environment are each judged.
 *
 * @example runMatrix(db, canIDeployBranchToEnvironment('Web', 'main', 'production'))
 */
export const canIDeployBranchToEnvironment = (
  pacticipant: string,
  branch: string,
  environment: string,
): MatrixQuery => ({
  selectors: [{ pacticipant, branch, latest: true }],
  options: { environment, latestby: 'cvpv' },
});

/**
 * Can the latest version of `pacticipant`'s main branch merge: is it compatible with the latest
 * main-branch versions of the others?
 *
 * @example runMatrix(db, canIMerge('Web'))
 */
export const canIMerge = (pacticipant: string): MatrixQuery => ({
  selectors: [{ pacticipant, mainBranch: true, latest: true }],
  options: { mainBranch: true, latest: true, latestby: 'cvp' },
});

/** Which version a fixed question is asked about: the latest with a tag, on a branch, or on the main branch. */
export type AskedVersion = { tag: string } | { branch: string } | { mainBranch: true };

/** The version a fixed question is asked about, or what is missing and why. */
export type AskedVersionLookup = { number: string } | { missing: 'pacticipant' | 'version'; detail: string };

/** Finds the version a fixed question is asked about (the reference answers 404 rather than a matrix about nothing). */
export async function findAskedVersion(
  db: Db,
  pacticipantName: string,
  asked: AskedVersion,
): Promise<AskedVersionLookup> {
  const pacticipant = await findPacticipant(db, pacticipantName);
  if (!pacticipant) return { missing: 'pacticipant', detail: `no pacticipant named '${pacticipantName}'` };
  const branch =
    'branch' in asked ? asked.branch : 'mainBranch' in asked ? pacticipant.main_branch : undefined;
  const [version] =
    'tag' in asked
      ? await latestVersionWithTag(db, pacticipant.id, asked.tag)
      : branch
        ? await latestVersionOnBranch(db, pacticipant.id, branch)
        : [];
  if (version) return { number: version.number };
  return {
    missing: 'version',
    detail:
      'tag' in asked
        ? `'${pacticipant.name}' has no version tagged '${asked.tag}'`
        : 'branch' in asked
          ? `'${pacticipant.name}' has no version on branch '${asked.branch}'`
          : pacticipant.main_branch
            ? `'${pacticipant.name}' has no version on its main branch '${pacticipant.main_branch}'`
            : `'${pacticipant.name}' has no main branch: set mainBranch on the pacticipant`,
  };
}

/** The number of the version a fixed question is asked about, or a not-found error naming what is missing. */
export async function requireAskedVersion(
  db: Db,
  pacticipantName: string,
  asked: AskedVersion,
): Promise<string> {
  const found = await findAskedVersion(db, pacticipantName, asked);
  if ('missing' in found) throw requestError('COV_BROKER_NOT_FOUND', found.detail);
  return found.number;
}
