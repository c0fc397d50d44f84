import { Type } from '@sinclair/typebox';
import {
  anyObject,
  component,
  described,
  JSON_TYPE,
  links,
  list,
  named,
  nameText,
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

component(
  'PactContent',
  described(
    'A pact file (Pact specification 1 to 4); consumer and provider names, when given, must match the URL.',
    object(
      {},
      {
        consumer: named,
        provider: named,
        interactions: list(anyObject),
        messages: list(anyObject),
        metadata: anyObject,
      },
    ),
  ),
);
component(
  'Pact',
  described(
    'The pact content as published (interactions carry `_id`s), with `createdAt` and HAL links.',
    object(
      {
        consumer: named,
        provider: named,
        createdAt: timestamp,
        _links: links([
          'self',
          'pb:consumer',
          'pb:consumer-version',
          'pb:provider',
          'pb:pact-version',
          'pb:latest-pact-version',
          'pb:all-pact-versions',
          'pb:latest-untagged-pact-version',
          'pb:latest-tagged-pact-version',
          'pb:previous-distinct',
          'pb:diff-previous-distinct',
          'pb:diff',
          'pb:publish-verification-results',
          'pb:latest-verification-results',
          'pb:tag-version',
        ]),
      },
      { interactions: list(anyObject), messages: list(anyObject), metadata: anyObject },
    ),
  ),
);
component('ProviderPacts', object({ _links: links(['self', 'provider'], ['pb:pacts', 'pacts']) }));
component(
  'PublishContractsRequest',
  ruled(
    'must be a JSON object with pacticipantName, pacticipantVersionNumber and contracts',
    object(
      {
        pacticipantName: nameText,
        pacticipantVersionNumber: nameText,
        contracts: ruled(
          'must be a non-empty list',
          Type.Array(
            ruled(
              'must be an object',
              object(
                {
                  consumerName: ruled('must be the pacticipantName', string),
                  providerName: nameText,
                  specification: ruled("must be 'pact'", { const: 'pact' }),
                  contentType: ruled(`must be '${JSON_TYPE}'`, { const: JSON_TYPE }),
                  content: ruled('must be base64-encoded pact JSON', {
                    type: 'string',
                    contentEncoding: 'base64',
                  }),
                },
                {
                  onConflict: ruled(
                    "must be 'overwrite' or 'merge'",
                    nullable({ enum: ['overwrite', 'merge'] }),
                  ),
                },
              ),
            ),
            { minItems: 1 },
          ),
        ),
      },
      {
        branch: nullable(nameText),
        tags: ruled('must be a list of non-blank names', nullable(list(nameText))),
        buildUrl: nullableText('must be a URL string'),
      },
    ),
  ),
);
component(
  'PublishContractsResult',
  object({
    notices: list(object({ type: string, text: string })),
    logs: list(object({ level: string, message: string }, { deprecationWarning: string })),
    _embedded: object({ pacticipant: ref('PacticipantRef'), version: ref('VersionRef') }),
    _links: links(
      ['pb:pacticipant', 'pb:pacticipant-version'],
      ['pb:pacticipant-version-tags', 'pb:contracts'],
    ),
  }),
);

export const pactsSchemas = {
  putPactsProviderByProviderConsumerByConsumerVersionByVersion: operation({
    method: 'PUT',
    path: '/pacts/provider/:provider/consumer/:consumer/version/:version',
    tag: 'Pacts',
    summary: 'Publish a pact for a consumer version',
    body: 'PactContent',
    ok: {
      200: { description: 'The same content was published before', schema: 'Pact' },
      201: { description: 'Published', schema: 'Pact' },
    },
    errors: [409],
  }),
  getPactsProviderByProviderConsumerByConsumerVersionByVersion: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/consumer/:consumer/version/:version',
    tag: 'Pacts',
    summary: 'The pact for a consumer version',
    ok: ok('Pact'),
    errors: [404],
  }),
  getPactsProviderByProviderConsumerByConsumerLatest: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/consumer/:consumer/latest',
    tag: 'Pacts',
    summary: 'The latest pact between a consumer and a provider',
    ok: ok('Pact'),
    errors: [404],
  }),
  getPactsProviderByProviderConsumerByConsumerLatestByTag: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/consumer/:consumer/latest/:tag',
    tag: 'Pacts',
    summary: 'The latest pact whose consumer version has a tag',
    ok: ok('Pact'),
    errors: [404],
  }),
  getPactsProviderByProviderConsumerByConsumerBranchByBranchLatest: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/consumer/:consumer/branch/:branch/latest',
    tag: 'Pacts',
    summary: 'The latest pact from a consumer branch',
    ok: ok('Pact'),
    errors: [404],
  }),
  getPactsProviderByProviderConsumerByConsumerPactVersionBySha: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha',
    tag: 'Pacts',
    summary: 'A pact by its content SHA (permalink)',
    ok: ok('Pact'),
    errors: [404],
  }),
  getPactsProviderByProviderConsumerByConsumerPactVersionByShaMetadataByMetadata: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/metadata/:metadata',
    tag: 'Pacts',
    summary: 'A pact by its content SHA, as linked from for-verification',
    ok: ok('Pact'),
    errors: [404],
  }),
  getPactsProviderByProviderLatest: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/latest',
    tag: 'Pacts',
    summary: 'Links to the latest pact of each consumer of a provider',
    ok: ok('ProviderPacts'),
    errors: [404],
  }),
  getPactsProviderByProviderLatestByTag: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/latest/:tag',
    tag: 'Pacts',
    summary: 'Links to the latest pact with a consumer version tag of each consumer of a provider',
    ok: ok('ProviderPacts'),
    errors: [404],
  }),
  postContractsPublish: operation({
    method: 'POST',
    path: '/contracts/publish',
    tag: 'Pacts',
    summary: 'Publish pacts for a consumer version, with its branch and tags, in one transaction',
    body: 'PublishContractsRequest',
    ok: ok('PublishContractsResult'),
    errors: [409],
  }),
  getPactsProviderByProviderConsumerByConsumerPactVersionByShaVerificationResultsLatest: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results/latest',
    tag: 'Verification',
    summary: 'The latest verification result of a pact version',
    ok: ok('VerificationResult'),
    errors: [404],
  }),
};
