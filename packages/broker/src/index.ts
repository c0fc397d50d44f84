/**
 * @covenant/broker — a Pact Broker speaking the reference broker's HAL API, on SQLite (embedded,
 * the default) or PostgreSQL.
 */

export type { BrokerDatabase } from './db/connect.js';
export { openDatabase } from './db/connect.js';
export type { CleanConfig, CleanOptions, CleanReport, KeepSelector } from './domain/clean.js';
export {
  ALWAYS_KEPT,
  cleanConfigFromEnv,
  DEFAULT_KEEP_VERSION_SELECTORS_JSON,
  parseKeepSelectors,
  runClean,
} from './domain/clean.js';
export type { SchedulerClock } from './domain/clean-schedule.js';
export type { CronSchedule } from './domain/cron.js';
export { parseCron } from './domain/cron.js';
export type { BrokerErrorCode } from './errors.js';
export { brokerError, brokerErrors } from './errors.js';
export { createApp } from './http/app.js';
export type { AuthOptions, Credentials } from './http/auth.js';
export type { AppOptions } from './http/context.js';
export type { BrokerOptions, RunningBroker } from './server.js';
export { startBroker } from './server.js';
export type { WebhookPolicy } from './webhooks/policy.js';
export { webhookPolicyFromEnv } from './webhooks/policy.js';
