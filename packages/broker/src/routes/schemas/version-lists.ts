import { component, list, object, ok, operation, query, queryValue, string } from './shared.js';

component('Notices', object({ notices: list(object({ type: string, text: string })) }));

/** A version list is always paged (100 a page unless `size` says otherwise); `q` does not apply. */
const versionPagingQuery = query({
  page: queryValue('The page, from 1'),
  size: queryValue('Items a page (default 100, at most 1000)'),
  pageNumber: queryValue('The older name of `page`'),
  pageSize: queryValue('The older name of `size`'),
});

/** A pacticipant's versions by tag or environment, and the removal of branches and branch versions. */
export const versionListsSchemas = {
  getTagVersions: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/tags/:tag/versions',
    tag: 'Tags',
    summary: "A pacticipant's versions with a tag, newest first, paged",
    ok: ok('VersionList'),
    query: versionPagingQuery,
    errors: [404],
  }),
  getEnvironmentVersions: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/environments/:uuid/versions',
    tag: 'Deployments',
    summary: "A pacticipant's versions ever deployed or released to an environment, newest first, paged",
    ok: ok('VersionList'),
    query: versionPagingQuery,
    errors: [404],
  }),
  deleteBranches: operation({
    method: 'DELETE',
    path: '/pacticipants/:pacticipant/branches',
    tag: 'Branches',
    summary: "Delete a pacticipant's branches, but its main branch and those excluded (their versions stay)",
    description:
      'As the reference: `exclude[]=name` (repeatable) keeps a branch; the main branch is always kept. Answers 202 with notices naming what was deleted and kept.',
    query: query({
      'exclude[]': queryValue('A branch to keep (repeatable)'),
      exclude: queryValue('A branch to keep'),
    }),
    ok: { 202: { description: 'The branches were deleted', schema: 'Notices' } },
    errors: [404],
  }),
  deleteBranchVersion: operation({
    method: 'DELETE',
    path: '/pacticipants/:pacticipant/branches/:branch/versions/:version',
    tag: 'Branches',
    summary: 'Take a version off a branch (the version and the branch stay)',
    ok: { 204: { description: 'Deleted' } },
    errors: [404],
  }),
};
