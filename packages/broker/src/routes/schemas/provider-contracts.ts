import {
  anything,
  boolean,
  component,
  hal,
  list,
  object,
  ok,
  operation,
  string,
  timestamp,
} from './shared.js';

component(
  'ProviderContractInput',
  object(
    {
      pacticipantVersionNumber: string,
      contract: object(
        { content: string },
        {
          contentType: string,
          specification: string,
          selfVerificationResults: object(
            { success: boolean },
            {
              content: string,
              contentType: string,
              format: string,
              verifier: string,
              verifierVersion: string,
            },
          ),
        },
      ),
    },
    { branch: string, tags: list(string), buildUrl: string },
  ),
);
component(
  'ProviderContractPublished',
  hal(
    ['pb:pacticipant', 'pb:pacticipant-version', 'pf:provider-contract'],
    {
      notices: list(object({ type: string, text: string })),
      _embedded: object({ pacticipant: object({ name: string }), version: object({ number: string }) }),
    },
    {},
    ['pb:pacticipant-version-tags'],
  ),
);
component(
  'ProviderContract',
  hal(
    ['self', 'pb:pacticipant', 'pb:pacticipant-version'],
    { providerName: string, providerVersionNumber: string, specification: string, contentType: string },
    { content: string, selfVerificationResults: anything, createdAt: timestamp },
  ),
);

export const providerContractsSchemas = {
  postProviderContractsProviderByProviderPublish: operation({
    method: 'POST',
    path: '/provider-contracts/provider/:provider/publish',
    tag: 'Provider contracts',
    summary: "Publish a provider version's OpenAPI or AsyncAPI document and its self-verification",
    description:
      "As PactFlow's `pactflow publish-provider-contract` sends it: the document base64-encoded, with the " +
      "version's branch and tags. The broker compares it with the provider's newest pacts and records " +
      'each comparison as a verification result of the provider version.',
    body: 'ProviderContractInput',
    ok: ok('ProviderContractPublished'),
  }),
  getProviderContractsProviderByProviderVersionByVersion: operation({
    method: 'GET',
    path: '/provider-contracts/provider/:provider/version/:version',
    tag: 'Provider contracts',
    summary: 'The provider contract published for a provider version',
    ok: ok('ProviderContract'),
    errors: [404],
  }),
};
