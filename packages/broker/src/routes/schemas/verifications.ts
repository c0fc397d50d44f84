import { Type } from '@sinclair/typebox';
import {
  anything,
  boolean,
  component,
  created,
  described,
  hal,
  links,
  list,
  nullable,
  nullableText,
  object,
  ok,
  operation,
  ref,
  ruled,
  string,
  timestamp,
} from './shared.js';

/** A text field of the request: absent, null, or a string with something in it. */
const text = ruled('must be a non-blank string', nullable(Type.String({ pattern: '\\S' })));
/** A flag of the request: absent, null, true or false. */
const flag = ruled('must be true or false', nullable(boolean));

component(
  'ConsumerVersionSelector',
  ruled(
    'must be an object',
    object(
      {},
      {
        mainBranch: flag,
        branch: text,
        matchingBranch: flag,
        fallbackBranch: text,
        tag: text,
        fallbackTag: text,
        latest: flag,
        consumer: text,
        deployed: flag,
        released: flag,
        deployedOrReleased: flag,
        environment: text,
      },
    ),
  ),
);
component(
  'ForVerificationRequest',
  ruled(
    'must be a JSON object',
    object(
      {},
      {
        consumerVersionSelectors: ruled('must be a list', nullable(list(ref('ConsumerVersionSelector')))),
        providerVersionBranch: text,
        providerVersionTags: ruled(
          'must be a list of non-blank tag names',
          nullable(list(Type.String({ pattern: '\\S' }))),
        ),
        includePendingStatus: flag,
        includeWipPactsSince: described(
          'A date, e.g. 2024-01-01',
          ruled('must be a date, e.g. 2024-01-01', nullable(string)),
        ),
      },
    ),
  ),
);
component('ForVerificationLinks', object({ _links: links(['self', 'pb:provider']) }));
component(
  'PactsForVerification',
  object({
    _embedded: object({
      pacts: list(
        object({
          shortDescription: string,
          verificationProperties: object(
            { pending: boolean, notices: list(object({ when: string, text: string })) },
            { wip: boolean },
          ),
          _links: links(['self']),
        }),
      ),
    }),
    _links: links(['self']),
  }),
);
component(
  'VerificationResultInput',
  ruled(
    'must be a JSON object',
    object(
      {
        success: ruled('must be true or false', boolean),
        providerApplicationVersion: ruled(
          'must be a non-blank version number',
          Type.String({ pattern: '\\S' }),
        ),
      },
      { buildUrl: nullableText('must be a URL string'), testResults: anything, verifiedBy: anything },
    ),
  ),
);
component(
  'VerificationResult',
  hal(
    ['self', 'pb:pact-version', 'pb:provider-version'],
    {
      providerName: string,
      providerApplicationVersion: string,
      success: boolean,
      verificationDate: timestamp,
    },
    { buildUrl: string, testResults: anything, verifiedBy: anything },
  ),
);

export const verificationsSchemas = {
  getPactsProviderByProviderForVerification: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/for-verification',
    tag: 'Verification',
    summary: 'The relation clients POST their for-verification query to',
    ok: ok('ForVerificationLinks'),
    errors: [404],
  }),
  postPactsProviderByProviderForVerification: operation({
    method: 'POST',
    path: '/pacts/provider/:provider/for-verification',
    tag: 'Verification',
    summary: 'The pacts a provider should verify for consumer version selectors, with pending and WIP status',
    body: 'ForVerificationRequest',
    bodyOptional: true,
    ok: ok('PactsForVerification'),
    errors: [404],
  }),
  postPactsProviderByProviderConsumerByConsumerPactVersionByShaVerificationResults: operation({
    method: 'POST',
    path: '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results',
    tag: 'Verification',
    summary: 'Publish a verification result for a pact version',
    body: 'VerificationResultInput',
    ok: created('VerificationResult', 'Verification result'),
    errors: [404],
  }),
  postPactsProviderByProviderConsumerByConsumerPactVersionByShaMetadataByMetadataVerificationResults:
    operation({
      method: 'POST',
      path: '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/metadata/:metadata/verification-results',
      tag: 'Verification',
      summary: 'Publish a verification result, with the pending/WIP flags of the for-verification URL',
      body: 'VerificationResultInput',
      ok: created('VerificationResult', 'Verification result'),
      errors: [404],
    }),
  getPactsProviderByProviderConsumerByConsumerPactVersionByShaVerificationResultsById: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results/:id',
    tag: 'Verification',
    summary: 'A verification result',
    ok: ok('VerificationResult'),
    errors: [404],
  }),
  getPacticipantsByPacticipantVersionsByVersionLatestVerificationResults: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/versions/:version/latest-verification-results',
    tag: 'Verification',
    summary: "The latest verification result of a consumer version's pacts",
    ok: ok('VerificationResult'),
    errors: [404],
  }),
};
