import {
  component,
  deleted,
  embeddedList,
  hal,
  links,
  list,
  object,
  ok,
  operation,
  query,
  queryValue,
  SVG,
  string,
  timestamp,
  upserted,
} from './shared.js';

component(
  'PacticipantsWithLabel',
  embeddedList('pacticipants', 'PacticipantSummary', ['self'], ['pb:pacticipants', 'pacticipants']),
);
component(
  'Label',
  hal(['self', 'pb:pacticipant', 'pb:pacticipants-with-label'], {
    name: string,
    createdAt: timestamp,
  }),
);
component(
  'LabelList',
  object({
    _embedded: object({ labels: list(object({ name: string, _links: links(['pb:pacticipants']) })) }),
    _links: links(['self']),
  }),
);

/** Badges never refuse their query: an unknown value draws the default badge. */
export const badgeQuery = query({
  label: queryValue("Show only one side: 'consumer' or 'provider'"),
  initials: queryValue("'true' shortens multi-word names to initials"),
});

export const canIDeployBadgeQuery = query({
  label: queryValue("The badge's left-hand text (default 'can-i-deploy')"),
});

export const labelsBadgesSchemas = {
  getPacticipantsLabelByLabel: operation({
    method: 'GET',
    path: '/pacticipants/label/:label',
    tag: 'Labels',
    summary: 'The pacticipants with a label',
    ok: ok('PacticipantsWithLabel'),
  }),
  getLabels: operation({
    method: 'GET',
    path: '/labels',
    tag: 'Labels',
    summary: 'All label names in use',
    ok: ok('LabelList'),
  }),
  getPacticipantsByPacticipantLabelsByLabel: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/labels/:label',
    tag: 'Labels',
    summary: "A pacticipant's label",
    ok: ok('Label'),
    errors: [404],
  }),
  putPacticipantsByPacticipantLabelsByLabel: operation({
    method: 'PUT',
    path: '/pacticipants/:pacticipant/labels/:label',
    tag: 'Labels',
    summary: 'Label a pacticipant (created if missing)',
    ok: upserted('Label', 'Label'),
  }),
  deletePacticipantsByPacticipantLabelsByLabel: operation({
    method: 'DELETE',
    path: '/pacticipants/:pacticipant/labels/:label',
    tag: 'Labels',
    summary: 'Remove a label from a pacticipant',
    ok: deleted,
    errors: [404],
  }),
  getPactsProviderByProviderConsumerByConsumerLatestBadge: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/consumer/:consumer/latest/badge',
    tag: 'Badges',
    summary: 'An SVG badge with the verification status of the latest pact',
    description: 'Unknown pacticipants give an "unknown" badge rather than a 404.',
    ok: { 200: { description: 'The badge', media: SVG } },
    query: badgeQuery,
  }),
  getPactsProviderByProviderConsumerByConsumerLatestByTagBadge: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/consumer/:consumer/latest/:tag/badge',
    tag: 'Badges',
    summary: 'An SVG badge with the verification status of the latest pact with a consumer version tag',
    ok: { 200: { description: 'The badge', media: SVG } },
    query: badgeQuery,
  }),
  getMatrixBadge: operation({
    method: 'GET',
    path: '/matrix/provider/:provider/latest/:providerTag/consumer/:consumer/latest/:consumerTag/badge',
    tag: 'Badges',
    summary:
      'An SVG badge with the verification status of the pact between the latest consumer and provider versions with these tags',
    description: 'Unknown pacticipants or tags give an "unknown" badge rather than a 404.',
    ok: { 200: { description: 'The badge', media: SVG } },
    query: badgeQuery,
  }),
  getCanIDeployToTagBadge: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/latest-version/:tag/can-i-deploy/to/:to/badge',
    tag: 'Badges',
    summary:
      'An SVG badge saying whether the latest version with a tag can be deployed with the latest versions tagged `to`',
    description: 'yes, no, or unknown (unverified pacts, or an unknown pacticipant or tag).',
    ok: { 200: { description: 'The badge', media: SVG } },
    query: canIDeployBadgeQuery,
  }),
  getCanIDeployBranchToEnvironmentBadge: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/branches/:branch/latest-version/can-i-deploy/to-environment/:environment/badge',
    tag: 'Badges',
    summary: "An SVG badge saying whether a branch's latest version can be deployed to an environment",
    description: 'yes, no, or unknown (unverified pacts, or an unknown pacticipant, branch or environment).',
    ok: { 200: { description: 'The badge', media: SVG } },
    query: canIDeployBadgeQuery,
  }),
};
