import { badgeQuery } from './labels-badges.js';
import { boolean, component, hal, list, object, ok, operation, ref, SVG, string } from './shared.js';

component(
  'LatestVerificationsForConsumerVersion',
  hal(['self'], {
    success: boolean,
    providerSummary: object({ successful: list(string), failed: list(string), unknown: list(string) }),
    _embedded: object({ verificationResults: list(ref('VerificationResult')) }),
  }),
);

const PACT = '/pacts/provider/:provider/consumer/:consumer';

/** The reference's pact and verification look-ups beyond a pact's own address. */
export const pactLookupsSchemas = {
  getPreviousDistinct: operation({
    method: 'GET',
    path: `${PACT}/version/:version/previous-distinct`,
    tag: 'Pacts',
    summary: 'The pact before this consumer version’s whose content differs',
    description:
      'The latest pact of an earlier consumer version of the same integration with another pact version (the one `diff/previous-distinct` compares with). 404 when the version has no pact or no earlier pact differs.',
    ok: ok('Pact'),
    errors: [404],
  }),
  getVersionLatestVerification: operation({
    method: 'GET',
    path: `${PACT}/version/:version/verification-results/latest`,
    tag: 'Verification',
    summary: 'The latest verification result of the pact of a consumer version',
    ok: ok('VerificationResult'),
    errors: [404],
  }),
  getLatestPactLatestVerification: operation({
    method: 'GET',
    path: `${PACT}/latest/verification-results/latest`,
    tag: 'Verification',
    summary: 'The latest verification result of the latest pact',
    ok: ok('VerificationResult'),
    errors: [404],
  }),
  getLatestTaggedPactLatestVerification: operation({
    method: 'GET',
    path: `${PACT}/latest/:tag/verification-results/latest`,
    tag: 'Verification',
    summary: 'The latest verification result of the latest pact whose consumer version has a tag',
    ok: ok('VerificationResult'),
    errors: [404],
  }),
  getConsumerVersionLatestVerifications: operation({
    method: 'GET',
    path: '/verification-results/consumer/:consumer/version/:version/latest',
    tag: 'Verification',
    summary: 'The latest verification result of each pact of a consumer version, with a summary by provider',
    description:
      '`success` is true when the version has pacts and the latest verification of every one succeeded; `providerSummary` names the providers whose latest verification succeeded, failed, or who never verified.',
    ok: ok('LatestVerificationsForConsumerVersion'),
    errors: [404],
  }),
  getLatestUntaggedBadge: operation({
    method: 'GET',
    path: `${PACT}/latest-untagged/badge`,
    tag: 'Badges',
    summary: 'An SVG badge with the verification status of the latest pact from an untagged consumer version',
    description: 'Unknown pacticipants give an "unknown" badge rather than a 404.',
    ok: { 200: { description: 'The badge', media: SVG } },
    query: badgeQuery,
  }),
};
