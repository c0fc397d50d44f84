import { type ErrorCatalog, errorFactory } from '@covenant/core';

/** The errors `@covenant/verifier` raises. */
export const verifierErrors = {
  COV_VERIFIER_OPTIONS_INVALID: {
    title: 'The verifier options are incomplete or invalid',
    hint: 'Give the provider name, its base URL, and at least one pact source (pactUrls or a broker).',
  },
  COV_VERIFIER_PROVIDER_UNREACHABLE: {
    title: 'The provider did not answer',
    hint: 'Start the provider before verifying, and check providerBaseUrl (host, port, http or https).',
  },
  COV_VERIFIER_PACT_SOURCE_FAILED: {
    title: 'A pact source could not be read',
    hint: 'Check the file path, directory or URL (and its credentials); the message says which one failed.',
  },
  COV_VERIFIER_NO_PACTS: {
    title: 'No pacts were found to verify',
    hint: 'Check the pact sources, the consumer filter and the consumer version selectors; set failIfNoPactsFound: false if none is fine.',
  },
  COV_VERIFIER_PUBLISH_FAILED: {
    title: 'Verification results could not be published',
    hint: 'Publishing needs pacts fetched from a broker, a providerVersion, and broker credentials allowed to write.',
  },
} as const satisfies ErrorCatalog;

export type VerifierErrorCode = keyof typeof verifierErrors;

export const verifierError = errorFactory(verifierErrors);
