import { type ErrorCatalog, errorFactory } from '@covenant/core';

/** The errors `@covenant/verifier` raises. */
export const verifierErrors = {
  COV_VERIFIER_OPTIONS_INVALID: {
    title: 'The verifier options are incomplete or invalid',
    hint: 'Give the provider name, its base URL, and at least one pact source (pactUrls or a broker).',
  },
  COV_VERIFIER_PROVIDER_UNREACHABLE: {
    title: 'The provider did not answer',
    hint: 'Start the provider before verifying, and check providerBaseUrl (host, port, http or https); a provider that is up but slow needs a longer timeoutMs (--timeout).',
  },
  COV_VERIFIER_PACT_SOURCE_FAILED: {
    title: 'A pact source could not be read',
    hint: 'Check the file path, directory or URL (and its credentials); the message says which one failed.',
  },
  COV_VERIFIER_NO_PACTS: {
    title: 'No pacts, or no interactions in them, were found to verify',
    hint: 'Check the pact sources, the filters (consumer, description, state) and the consumer version selectors. failIfNoPactsFound: false (--no-fail-if-no-pacts-found) lets a provider with no pacts pass; a filter that selects nothing always fails.',
  },
  COV_VERIFIER_PUBLISH_FAILED: {
    title: 'Verification results could not be published',
    hint: 'Publishing needs pacts fetched from a broker, a providerVersion, and broker credentials allowed to write.',
  },
  COV_VERIFIER_MESSAGE_PRODUCER_MISSING: {
    title: 'No message producer for an interaction',
    hint: 'Register a producer under the exact description in messageProviders (or for one of its states in byState), or give a messageUrl for a provider that makes its messages in another process.',
  },
  COV_VERIFIER_MESSAGE_PRODUCER_FAILED: {
    title: 'A message producer threw or did not finish',
    hint: 'Fix the producer (its error is shown) or make it finish within timeoutMs; check the provider state handlers set up what it needs.',
  },
  COV_VERIFIER_MESSAGE_NOT_SERIALISABLE: {
    title: 'A produced message is not serialisable',
    hint: 'Return JSON data (plain objects, arrays, strings, finite numbers, booleans, null) as contents and metadata, the serialised text as a string, or binary content as a Buffer.',
  },
  COV_VERIFIER_MESSAGE_INVALID: {
    title: 'A produced message has the wrong shape',
    hint: 'A producer returns { contents, metadata? } (a list only for a synchronous message with several responses); a message endpoint sends metadata in a Pact-Message-Metadata header as base64-encoded JSON.',
  },
  COV_VERIFIER_MESSAGE_ENDPOINT_FAILED: {
    title: 'The message endpoint did not return a message',
    hint: 'Start the provider that serves the message endpoint and check messageUrl (host, port, path); it must answer POST {description, providerStates} with 2xx, the contents as the body and the metadata in the Pact-Message-Metadata header. Its answer, or why it could not be reached, is shown.',
  },
  COV_VERIFIER_REPORT_WRITE_FAILED: {
    title: 'A report file could not be written',
    hint: 'Give a report path in a directory you can write to (the file itself must not be a directory); the verification ran, only its report is missing.',
  },
  COV_VERIFIER_HOOK_FAILED: {
    title: 'A beforeEach or afterEach hook threw',
    hint: 'Fix the hook (its error is shown): the interaction it ran around is failed, and afterEach still runs after a failed beforeEach so the two stay paired.',
  },
  COV_VERIFIER_TLS_INVALID: {
    title: 'A TLS certificate, key or CA could not be used',
    hint: 'Give PEM text or the path of a PEM file for tls.cert, tls.key and tls.ca (or broker.tls, pactUrlTls); a client certificate needs its key, and the key its passphrase if it is encrypted.',
  },
  COV_VERIFIER_LOG_FAILED: {
    title: 'The log file could not be written',
    hint: 'Give logFile (--log-file) the path of a file in a directory you can write to (missing directories are made); the path must not be a directory.',
  },
} as const satisfies ErrorCatalog;

export type VerifierErrorCode = keyof typeof verifierErrors;

export const verifierError = errorFactory(verifierErrors);
