/**
 * @covenant/verifier — verify a provider against its pacts (files, URLs or a Pact Broker),
 * HTTP and message interactions (in-process producers or a message endpoint), with provider states,
 * readable mismatch reports, and results published to the broker.
 */

export type { VerifierErrorCode } from './errors.js';
export { verifierError, verifierErrors } from './errors.js';
export type { LogLevel } from './log.js';
export type {
  MessageDescriptor,
  MessageProvider,
  MessageProviders,
  MessageProvidersByState,
  ProducedMessage,
} from './messages.js';
export type {
  BrokerSourceOptions,
  InteractionHook,
  PublishOptions,
  TlsOptions,
  VerifierOptions,
} from './options.js';
export { pactFilesInDirectory, readPactText } from './pact-files.js';
export type { Reporter } from './reporters.js';
export { consoleReporter, jsonReporter, junitReporter } from './reporters.js';
export type {
  InteractionResult,
  InteractionStatus,
  PactResult,
  VerificationResult,
  VerificationSummary,
} from './result.js';
export type { StateHandler, StateValues } from './states.js';
export type { ProviderRequest, RequestFilter } from './transport.js';
export { verifyProvider } from './verify.js';
