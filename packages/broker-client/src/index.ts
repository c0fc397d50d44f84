/**
 * @covenant/broker-client — a typed HAL client for the Pact Broker API, shared by the verifier,
 * the CLI and the broker's own tests.
 */

export type { BuildInfo } from './build-info.js';
export { detectBuildInfo } from './build-info.js';
export type {
  BrokerClientOptions,
  BrokerNotice,
  ConsumerVersionSelector,
  Environment,
  EnvironmentInput,
  Pacticipant,
  PacticipantVersion,
  PactsForVerificationRequest,
  PublishResult,
  RecordedDeployment,
  VerifiablePact,
  VerificationResultBody,
} from './client.js';
export { BrokerClient, failureReason, MAX_TIMEOUT_MS } from './client.js';
export type { BrokerClientErrorCode } from './errors.js';
export { brokerClientError, brokerClientErrors } from './errors.js';
export type { HalLink, HalResource } from './hal.js';
export { expandTemplate, linkOf } from './hal.js';
export type { CanIDeployQuery, CanIDeployResult, MatrixRow, MatrixSelector } from './matrix.js';
export { matrixQueryString, readMatrix } from './matrix.js';
