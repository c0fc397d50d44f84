/**
 * @covenant/broker-client — a typed HAL client for the Pact Broker API, shared by the verifier,
 * the CLI and the broker's own tests.
 */

export type { BuildInfo } from './build-info.js';
export { detectBuildInfo } from './build-info.js';
export { BrokerClient } from './client.js';
export type { BrokerClientErrorCode } from './errors.js';
export { brokerClientError, brokerClientErrors } from './errors.js';
export type { HalLink, HalResource } from './hal.js';
export { expandTemplate, linkOf } from './hal.js';
export type { CanIDeployQuery, CanIDeployResult, MatrixRow } from './matrix.js';
export { matrixQueryString, readMatrix } from './matrix.js';
export type { RecordedDeployment } from './resources/deployments.js';
export type { Environment, EnvironmentInput } from './resources/environments.js';
export type { Pacticipant } from './resources/pacticipants.js';
export type { Publication, PublishResult, VerifiablePact } from './resources/pacts.js';
export type { PacticipantVersion } from './resources/versions.js';
export type { BrokerClientOptions, BrokerTls } from './transport.js';
export { failureReason, fetchWith, MAX_TIMEOUT_MS } from './transport.js';
export type {
  BrokerNotice,
  ConsumerVersionSelector,
  IgnoreSelector,
  MatrixSelector,
  PactsForVerificationRequest,
  VerificationResultBody,
} from './wire.js';
