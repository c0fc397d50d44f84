import {
  anyObject,
  boolean,
  component,
  deleted,
  described,
  hal,
  JSON_TYPE,
  links,
  list,
  named,
  nullable,
  nullableText,
  object,
  ok,
  operation,
  query,
  queryValue,
  ref,
  ruled,
  string,
  timestamp,
  upserted,
} from './shared.js';

/** The reference's paging and search parameters. */
export const pagingQuery = query({
  page: queryValue('The page, from 1'),
  size: queryValue('Items a page (default 100, at most 1000)'),
  pageNumber: queryValue('The older name of `page`'),
  pageSize: queryValue('The older name of `size`'),
  q: queryValue('Only names (or version numbers) containing this, in any case'),
});

const embeddedName = hal(['self'], { name: string });

component('Heartbeat', object({ ok: boolean, _links: links(['self']) }));
component(
  'Index',
  object({
    _links: links([
      'self',
      'pb:publish-pact',
      'pb:publish-contracts',
      'pb:latest-pact-versions',
      'pb:pacticipants',
      'pb:pacticipant',
      'pb:latest-version',
      'pb:pacticipant-version',
      'pb:provider-pacts-for-verification',
      'pb:environments',
      'pb:environment',
      'pb:webhooks',
      'pb:webhook',
      'pb:integrations',
      'curies',
    ]),
  }),
);
component(
  'OpenApiDocument',
  object({
    openapi: string,
    info: object({ title: string, version: string }),
    paths: anyObject,
  }),
);
component('PacticipantRef', object({ name: string, _links: links(['self']) }));
component('VersionRef', object({ number: string, _links: links(['self']) }));
component(
  'PacticipantSummary',
  hal(
    ['self'],
    { name: string },
    { displayName: string, _embedded: object({}, { 'latest-version': ref('VersionRef') }) },
  ),
);
component(
  'PacticipantList',
  object({
    pacticipants: described("The reference broker's older top-level list", list(ref('PacticipantSummary'))),
    _embedded: object({ pacticipants: list(ref('PacticipantSummary')) }),
    _links: links(['self'], ['pb:pacticipants', 'pacticipants']),
  }),
);
component(
  'Pacticipant',
  hal(
    ['self', 'pb:versions', 'pb:version', 'pb:version-tag', 'pb:latest-version', 'pb:label'],
    {
      name: string,
      displayName: string,
      createdAt: timestamp,
      updatedAt: timestamp,
      _embedded: object(
        { labels: list(embeddedName) },
        {
          latestVersion: ref('VersionRef'),
          'latest-version': described('Deprecated name of latestVersion', ref('VersionRef')),
        },
      ),
    },
    { repositoryUrl: string, mainBranch: string },
  ),
);
/** A pacticipant's own fields: each a string, or null to clear it. */
const pacticipantFields = {
  displayName: nullableText('must be a string (or null to clear)'),
  repositoryUrl: nullableText('must be a string (or null to clear)'),
  mainBranch: nullableText('must be a string (or null to clear)'),
};
component(
  'PacticipantInput',
  ruled(
    'must be a JSON object',
    described(
      'PUT replaces these fields (absent ones are cleared); PATCH changes only those given.',
      object({}, pacticipantFields),
    ),
  ),
);
component(
  'PacticipantCreate',
  ruled(
    'must be a JSON object with a name',
    object({ name: ruled('is required (a string)', string) }, pacticipantFields),
  ),
);
component(
  'Version',
  hal(
    ['self', 'pb:pacticipant', 'pb:tag', 'pb:latest-verification-results-where-pacticipant-is-consumer'],
    {
      number: string,
      createdAt: timestamp,
      _embedded: object({ branchVersions: list(embeddedName), tags: list(embeddedName) }),
    },
    { buildUrl: string },
    ['pb:record-deployment', 'pb:record-release'],
  ),
);
component(
  'VersionList',
  object({
    _embedded: object({ versions: list(hal(['self'], { number: string, createdAt: timestamp })) }),
    _links: links(['self', 'pb:pacticipant']),
  }),
);
component(
  'VersionInput',
  described(
    'PUT replaces the tags given; PATCH adds them.',
    ruled(
      'must be a JSON object',
      object(
        {},
        {
          buildUrl: nullableText('must be a URL string'),
          tags: ruled(
            'must be a list of tag names (or of {"name": …} objects)',
            nullable(list({ anyOf: [string, named] })),
          ),
        },
      ),
    ),
  ),
);
component('Branch', hal(['self', 'pb:pacticipant'], { name: string, createdAt: timestamp }));
component('BranchVersion', hal(['self', 'pb:version', 'pb:branch'], { name: string }));
component('Tag', hal(['self', 'pb:version', 'pb:pacticipant'], { name: string }));

export const coreSchemas = {
  getDiagnosticStatusHeartbeat: operation({
    method: 'GET',
    path: '/diagnostic/status/heartbeat',
    tag: 'Index',
    summary: 'Heartbeat',
    description: 'Answers without credentials, for load balancers and health checks.',
    ok: ok('Heartbeat'),
    public: true,
  }),
  getOpenapiJson: operation({
    method: 'GET',
    path: '/openapi.json',
    tag: 'Index',
    summary: 'This OpenAPI document',
    ok: { 200: { description: 'OK', schema: 'OpenApiDocument', media: JSON_TYPE } },
  }),
  getIndex: operation({
    method: 'GET',
    path: '/',
    tag: 'Index',
    summary: 'The API index: HAL relations to every resource',
    ok: ok('Index'),
  }),
  getPacticipants: operation({
    method: 'GET',
    path: '/pacticipants',
    tag: 'Pacticipants',
    summary: 'All pacticipants, by name; paged when `page` or `size` is given',
    query: pagingQuery,
    ok: ok('PacticipantList'),
  }),
  postPacticipants: operation({
    method: 'POST',
    path: '/pacticipants',
    tag: 'Pacticipants',
    summary: 'Create a pacticipant (or update the one with the name)',
    body: 'PacticipantCreate',
    ok: upserted('Pacticipant', 'Pacticipant'),
  }),
  getPacticipantsByPacticipant: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant',
    tag: 'Pacticipants',
    summary: 'A pacticipant, with its labels and latest version',
    ok: ok('Pacticipant'),
    errors: [404],
  }),
  putPacticipantsByPacticipant: operation({
    method: 'PUT',
    path: '/pacticipants/:pacticipant',
    tag: 'Pacticipants',
    summary: 'Create or replace a pacticipant',
    body: 'PacticipantInput',
    bodyOptional: true,
    ok: upserted('Pacticipant', 'Pacticipant'),
  }),
  patchPacticipantsByPacticipant: operation({
    method: 'PATCH',
    path: '/pacticipants/:pacticipant',
    tag: 'Pacticipants',
    summary: 'Create or update some fields of a pacticipant',
    body: 'PacticipantInput',
    bodyOptional: true,
    ok: upserted('Pacticipant', 'Pacticipant'),
  }),
  deletePacticipantsByPacticipant: operation({
    method: 'DELETE',
    path: '/pacticipants/:pacticipant',
    tag: 'Pacticipants',
    summary: 'Delete a pacticipant with its versions, pacts, verifications and webhooks',
    ok: deleted,
    errors: [404],
  }),
  getPacticipantsByPacticipantVersions: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/versions',
    tag: 'Versions',
    summary: "A pacticipant's versions, newest first, 100 a page unless `size` says otherwise",
    query: pagingQuery,
    ok: ok('VersionList'),
    errors: [404],
  }),
  getPacticipantsByPacticipantVersionsByVersion: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/versions/:version',
    tag: 'Versions',
    summary: 'A pacticipant version, with its branches and tags',
    ok: ok('Version'),
    errors: [404],
  }),
  putPacticipantsByPacticipantVersionsByVersion: operation({
    method: 'PUT',
    path: '/pacticipants/:pacticipant/versions/:version',
    tag: 'Versions',
    summary: 'Create a version, or replace its tags',
    body: 'VersionInput',
    bodyOptional: true,
    ok: upserted('Version', 'Version'),
  }),
  patchPacticipantsByPacticipantVersionsByVersion: operation({
    method: 'PATCH',
    path: '/pacticipants/:pacticipant/versions/:version',
    tag: 'Versions',
    summary: 'Create a version, or add tags to it',
    body: 'VersionInput',
    bodyOptional: true,
    ok: upserted('Version', 'Version'),
  }),
  getPacticipantsByPacticipantLatestVersion: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/latest-version',
    tag: 'Versions',
    summary: "A pacticipant's latest version",
    ok: ok('Version'),
    errors: [404],
  }),
  getPacticipantsByPacticipantLatestVersionByTag: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/latest-version/:tag',
    tag: 'Versions',
    summary: "A pacticipant's latest version with a tag",
    ok: ok('Version'),
    errors: [404],
  }),
  getPacticipantsByPacticipantBranchesByBranch: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/branches/:branch',
    tag: 'Branches',
    summary: 'A branch',
    ok: ok('Branch'),
    errors: [404],
  }),
  putPacticipantsByPacticipantBranchesByBranchVersionsByVersion: operation({
    method: 'PUT',
    path: '/pacticipants/:pacticipant/branches/:branch/versions/:version',
    tag: 'Branches',
    summary: 'Add a version to a branch (pacticipant, branch and version created if missing)',
    ok: ok('BranchVersion'),
  }),
  getPacticipantsByPacticipantBranchesByBranchVersionsByVersion: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/branches/:branch/versions/:version',
    tag: 'Branches',
    summary: 'A version on a branch (the branch name URL-encoded, so it may hold a slash)',
    ok: ok('BranchVersion'),
    errors: [404],
  }),
  getPacticipantsByPacticipantVersionsByVersionTagsByTag: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/versions/:version/tags/:tag',
    tag: 'Tags',
    summary: 'A tag of a version',
    ok: ok('Tag'),
    errors: [404],
  }),
  putPacticipantsByPacticipantVersionsByVersionTagsByTag: operation({
    method: 'PUT',
    path: '/pacticipants/:pacticipant/versions/:version/tags/:tag',
    tag: 'Tags',
    summary: 'Tag a version (pacticipant and version created if missing)',
    ok: upserted('Tag', 'Tag'),
  }),
  deletePacticipantsByPacticipantVersionsByVersionTagsByTag: operation({
    method: 'DELETE',
    path: '/pacticipants/:pacticipant/versions/:version/tags/:tag',
    tag: 'Tags',
    summary: 'Remove a tag from a version',
    ok: deleted,
    errors: [404],
  }),
};
