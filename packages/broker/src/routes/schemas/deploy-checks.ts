import { canIDeployBadgeQuery } from './labels-badges.js';
import { ok, operation, SVG } from './shared.js';

/** The reference's fixed can-i-deploy questions as resources, and the can-i-merge badge. */
export const deployChecksSchemas = {
  getCanIDeployTagToTag: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/latest-version/:tag/can-i-deploy/to/:to',
    tag: 'Matrix',
    summary: 'Whether the latest version with a tag can be deployed with the latest versions tagged `to`',
    description: '404 when the pacticipant has no version with the tag.',
    ok: ok('Matrix'),
    errors: [404],
  }),
  getCanIDeployBranchToEnvironment: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/branches/:branch/latest-version/can-i-deploy/to-environment/:environment',
    tag: 'Matrix',
    summary: "Whether a branch's latest version can be deployed to an environment",
    description: '404 when the branch has no version; 400 when the environment does not exist.',
    ok: ok('Matrix'),
    errors: [400, 404],
  }),
  getCanIMergeBadge: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/main-branch/can-i-merge/badge',
    tag: 'Badges',
    summary: "An SVG badge saying whether the latest version of a pacticipant's main branch can merge",
    description:
      'yes, no or unknown against the latest main-branch versions of the others; "not found" when the pacticipant or a main-branch version is missing.',
    ok: { 200: { description: 'The badge', media: SVG } },
    query: canIDeployBadgeQuery,
  }),
};
