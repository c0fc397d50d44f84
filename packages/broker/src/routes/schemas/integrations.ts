import { pagingQuery } from './core.js';
import { deleteBranchQuery } from './deletions.js';
import {
  anyObject,
  component,
  deleted,
  hal,
  links,
  list,
  object,
  ok,
  operation,
  ref,
  string,
  timestamp,
} from './shared.js';

component(
  'BranchList',
  object({
    _embedded: object({ branches: list(hal(['self'], { name: string, createdAt: timestamp })) }),
    _links: links(['self', 'pb:pacticipant']),
  }),
);
component(
  'PactVersions',
  object({
    _embedded: object({
      pacts: list(
        object({
          createdAt: timestamp,
          _embedded: object({ consumerVersion: object({ number: string }) }),
          _links: links(['self', 'pb:pact-version']),
        }),
      ),
    }),
    _links: links(['self']),
  }),
);
component(
  'PactDiff',
  object({
    added: list(anyObject),
    removed: list(anyObject),
    changed: list(object({ before: anyObject, after: anyObject })),
    _links: links(['self']),
  }),
);
component(
  'LatestPacts',
  object({
    pacts: list(
      object({
        createdAt: timestamp,
        _embedded: object({
          consumer: object({
            name: string,
            _links: links(['self']),
            _embedded: object({ version: object({ number: string }) }),
          }),
          provider: ref('PacticipantRef'),
        }),
        _links: links(['self']),
      }),
    ),
    _links: links(['self']),
  }),
);
component(
  'Integrations',
  object({
    _embedded: object({
      integrations: list(
        object({
          consumer: ref('PacticipantRef'),
          provider: ref('PacticipantRef'),
          latestPactPublishedAt: timestamp,
        }),
      ),
    }),
    _links: links(['self']),
  }),
);

const getIntegrations = operation({
  method: 'GET',
  path: '/integrations',
  tag: 'Pacts',
  summary: 'Every consumer–provider pair with a pact (HAL), or as a Graphviz digraph',
  description: 'Accept `text/vnd.graphviz` for the digraph, consumer → provider.',
  ok: { 200: { description: 'OK', schema: 'Integrations', alternatives: { 'text/vnd.graphviz': 'Text' } } },
});

export const integrationsSchemas = {
  getPacticipantsByPacticipantBranches: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/branches',
    tag: 'Branches',
    summary: "A pacticipant's branches, by name; paged when `page` or `size` is given",
    query: pagingQuery,
    ok: ok('BranchList'),
    errors: [404],
  }),
  deletePacticipantsByPacticipantBranchesByBranch: operation({
    method: 'DELETE',
    path: '/pacticipants/:pacticipant/branches/:branch',
    tag: 'Branches',
    summary: 'Delete a branch (its versions stay, unless `deleteVersions=true`)',
    query: deleteBranchQuery,
    ok: deleted,
    errors: [404],
  }),
  getPactsProviderByProviderConsumerByConsumerVersions: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/consumer/:consumer/versions',
    tag: 'Pacts',
    summary: 'Every consumer version with a pact between a consumer and a provider',
    ok: ok('PactVersions'),
    errors: [404],
  }),
  getPactsProviderByProviderConsumerByConsumerPactVersionByShaDiffPactVersionByOther: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/diff/pact-version/:other',
    tag: 'Pacts',
    summary: 'The interactions added, removed and changed from pact version {other} to {sha}',
    ok: ok('PactDiff'),
    errors: [404],
  }),
  getPactsLatest: operation({
    method: 'GET',
    path: '/pacts/latest',
    tag: 'Pacts',
    summary: 'The latest pact of every integration',
    ok: ok('LatestPacts'),
  }),
  getIntegrations,
  getRelationships: operation({
    method: 'GET',
    path: '/relationships',
    tag: 'Pacts',
    summary: 'Every pacticipant and the providers it consumes, as CSV',
    description:
      "The reference broker's relationships CSV: one line per pacticipant, `id,name,1,1,0,order`, then the ids of the providers it consumes, padded with 0.",
    ok: { 200: { description: 'The relationships', schema: 'Text', media: 'text/csv' } },
  }),
  getGroupsByPacticipant: operation({
    method: 'GET',
    path: '/groups/:pacticipant',
    tag: 'Pacts',
    summary: 'The relationships CSV of the part of the network a pacticipant belongs to',
    ok: { 200: { description: 'The group', schema: 'Text', media: 'text/csv' } },
    errors: [404],
  }),
};
