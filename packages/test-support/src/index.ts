/**
 * @covenant/test-support — what Covenant's own tests share (private: never published): a broker
 * harness on SQLite or PostgreSQL, an HTTP `call()` over a socket or Fastify's `inject`, pact
 * fixtures, certificates, temporary folders, and runners for the built `covenant` binary.
 */

export type { BrokerHarness, StartedBroker } from './broker.js';
export { useBroker } from './broker.js';
export { selfSignedCertificate } from './certificates.js';
export type { CliRun } from './cli.js';
export {
  bin,
  cleanEnv,
  expectReadableFailures,
  hasScript,
  pactBrokerBin,
  pactJson,
  runCli,
  runOnTty,
  startCli,
  startTestBroker,
} from './cli.js';
export type { DatabaseKind, TestDatabase } from './databases.js';
export { createTestDatabase, databaseKinds, postgresAdminUrl } from './databases.js';
export { tempDir } from './folders.js';
export type { Call, CallerOptions, CallResult, Injectable } from './http.js';
export { caller, injectCaller, parseJson } from './http.js';
export type { InteractionFixture, PactFixtureOptions } from './pacts.js';
export { pactFixture } from './pacts.js';
