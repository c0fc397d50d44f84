import { Type } from '@sinclair/typebox';
import { deleted, ok, operation, query } from './shared.js';

const PACT = '/pacts/provider/:provider/consumer/:consumer';

export const deletionsSchemas = {
  patchPactsProviderByProviderConsumerByConsumerVersionByVersion: operation({
    method: 'PATCH',
    path: `${PACT}/version/:version`,
    tag: 'Pacts',
    summary:
      "Merge interactions into a consumer version's pact (same description and provider states: replaced)",
    body: 'PactContent',
    ok: {
      200: { description: 'Merged into the published pact', schema: 'Pact' },
      201: { description: 'Published (there was no pact to merge into)', schema: 'Pact' },
    },
  }),
  deletePactsProviderByProviderConsumerByConsumerVersionByVersion: operation({
    method: 'DELETE',
    path: `${PACT}/version/:version`,
    tag: 'Pacts',
    summary: "Delete a consumer version's pact with a provider (the version stays)",
    ok: deleted,
    errors: [404],
  }),
  deletePactsProviderByProviderConsumerByConsumerVersions: operation({
    method: 'DELETE',
    path: `${PACT}/versions`,
    tag: 'Pacts',
    summary: 'Delete every pact between a consumer and a provider, with their verification results',
    ok: deleted,
    errors: [404],
  }),
  deletePactsProviderByProviderConsumerByConsumerBranchByBranch: operation({
    method: 'DELETE',
    path: `${PACT}/branch/:branch`,
    tag: 'Pacts',
    summary:
      "Delete the pacts with a provider of a consumer branch's versions (never of a version recorded as deployed or released)",
    ok: deleted,
    errors: [404],
  }),
  deleteIntegrationsProviderByProviderConsumerByConsumer: operation({
    method: 'DELETE',
    path: '/integrations/provider/:provider/consumer/:consumer',
    tag: 'Pacts',
    summary: 'Delete an integration: every pact between the two, with their verification results',
    ok: deleted,
    errors: [404],
  }),
  deleteIntegrations: operation({
    method: 'DELETE',
    path: '/integrations',
    tag: 'Pacts',
    summary: 'Delete every integration: all pacts and verification results (pacticipants and versions stay)',
    ok: deleted,
  }),
  deletePacticipantsByPacticipantVersionsByVersion: operation({
    method: 'DELETE',
    path: '/pacticipants/:pacticipant/versions/:version',
    tag: 'Versions',
    summary: 'Delete a version, with its tags, branch membership, pacts, verifications and deployments',
    ok: deleted,
    errors: [404],
  }),
  deletePactsProviderByProviderConsumerByConsumerPactVersionByShaVerificationResultsById: operation({
    method: 'DELETE',
    path: `${PACT}/pact-version/:sha/verification-results/:id`,
    tag: 'Verification',
    summary: 'Delete a verification result',
    ok: deleted,
    errors: [404],
  }),
  getPacticipantsByPacticipantBranchesByBranchVersions: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/branches/:branch/versions',
    tag: 'Branches',
    summary: "A branch's versions, newest first",
    ok: ok('VersionList'),
    errors: [404],
  }),
  getPacticipantsByPacticipantBranchesByBranchLatestVersion: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/branches/:branch/latest-version',
    tag: 'Branches',
    summary: 'The newest version on a branch',
    ok: ok('Version'),
    errors: [404],
  }),
};

/** `?deleteVersions=true` on DELETE /pacticipants/{p}/branches/{b}. */
export const deleteBranchQuery = query({
  deleteVersions: Type.Optional(
    Type.String({
      description:
        "`true`: also delete the branch's versions (with their pacts and verifications) that are on no other branch and were never recorded as deployed or released",
    }),
  ),
});
