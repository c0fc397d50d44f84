import { type BrokerDatabase, openDatabase } from './db/connect.js';
import { deliveryOutbox } from './db/triggered-webhooks-repo.js';
import { type CleanConfig, type CleanReport, runClean } from './domain/clean.js';
import { CronRunner, type SchedulerClock } from './domain/clean-schedule.js';
import { brokerError } from './errors.js';
import { createApp } from './http/app.js';
import type { AuthOptions } from './http/auth.js';
import { seedExampleData } from './seed.js';
import { DeliveryWorker } from './webhooks/outbox.js';
import { DEFAULT_WEBHOOK_POLICY, type WebhookPolicy, webhookPolicyFromEnv } from './webhooks/policy.js';

export interface BrokerOptions {
  /** A SQLite file path (default `pact_broker.sqlite`), `:memory:`, or a `postgres://` URL. */
  database?: string;
  port?: number;
  host?: string;
  auth?: AuthOptions;
  baseUrl?: string;
  /** Largest request body accepted, in bytes (a whole number, 1 or more). Default 10 MB. */
  bodyLimit?: number;
  /**
   * Longest time (ms) a client may take to send a whole request before it is answered 408: a whole
   * number from 1 to 2147483647 (Node's largest timer). Default 120000.
   */
  requestTimeout?: number;
  allowContractModification?: boolean;
  logger?: boolean;
  /**
   * On an empty database (no pacticipants), add the example pacticipants, pact and verification
   * the reference broker shows on its first start. Default false here; `covenant broker` turns it on.
   */
  seedExampleData?: boolean;
  /**
   * What webhooks may reach and how they retry. Default: read from the reference broker's
   * PACT_BROKER_WEBHOOK_* variables (see webhooks/policy.ts).
   */
  webhookPolicy?: WebhookPolicy;
  /** Longest idle wait (ms) before looking for deliveries other brokers stored. Default 2000. */
  webhookPollIntervalMs?: number;
  /**
   * The database clean (domain/clean.ts), run on its schedule while the broker runs when `enabled`;
   * see `cleanConfigFromEnv` for the reference's PACT_BROKER_DATABASE_CLEAN_* variables. Each run's
   * report goes to `onReport`, a failed run's error to `onFailure` (both to the log too); `clock`
   * replaces time and timers (tests). Default: no clean.
   */
  clean?: CleanConfig & {
    clock?: SchedulerClock;
    onReport?: (report: CleanReport) => void;
    onFailure?: (error: unknown) => void;
  };
}

export interface RunningBroker {
  url: string;
  port: number;
  database: BrokerDatabase;
  close(): Promise<void>;
}

/**
 * Opens (and migrates) the database and starts the broker.
 *
 * @example
 * const broker = await startBroker({ port: 9292 });
 * console.log(`broker at ${broker.url}, data in ${broker.database.description}`);
 */
export async function startBroker(options: BrokerOptions = {}): Promise<RunningBroker> {
  checkBrokerOptions(options);
  const database = await openDatabase(options.database ?? 'pact_broker.sqlite');
  // --- example data (seed.ts) ---
  if (options.seedExampleData) {
    try {
      await seedExampleData(database.db, { dialect: database.dialect });
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  // --- end example data ---
  let policy: WebhookPolicy;
  try {
    policy = options.webhookPolicy ?? webhookPolicyFromEnv(process.env, DEFAULT_WEBHOOK_POLICY);
  } catch (error) {
    await database.close();
    throw error;
  }
  // durable delivery: rows left pending by an earlier run (or another broker) are picked up at start
  let log: ((error: unknown) => void) | undefined;
  const worker = new DeliveryWorker({
    outbox: deliveryOutbox(database),
    policy,
    // a database error in the outbox: the worker waits a poll interval and tries again
    onError: (error) => log?.(error),
    ...(options.webhookPollIntervalMs !== undefined ? { pollIntervalMs: options.webhookPollIntervalMs } : {}),
  });
  const app = createApp({ ...options, database, webhooks: { policy, notify: () => worker.notify() } });
  log = (error) => app.log.error({ err: error }, 'webhook outbox: the database failed; retrying');
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ port: options.port ?? 9292, host });
  } catch (error) {
    await database.close();
    throw brokerError(
      'COV_BROKER_LISTEN_FAILED',
      `cannot listen on ${host}:${options.port ?? 9292}: ${(error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'the port is in use' : (error as Error).message}`,
      {},
      error,
    );
  }
  worker.start();
  const cleanRunner = options.clean?.enabled ? scheduledClean(database, options.clean, app.log) : undefined;
  cleanRunner?.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 9292);
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    database,
    async close() {
      await cleanRunner?.stop();
      await app.close();
      await worker.stop();
      await database.close();
    },
  };
}

/** The clean on its schedule; each run's report (or failure) goes to the broker's log. */
function scheduledClean(
  database: BrokerDatabase,
  clean: NonNullable<BrokerOptions['clean']>,
  log: ReturnType<typeof createApp>['log'],
): CronRunner {
  const { clock } = clean;
  const run = async () => {
    const report = await runClean(database, clean, clock ? { now: () => clock.now() } : {});
    log.info(
      { clean: { ...report, deletedVersions: report.deletedVersions.length } },
      `database clean${report.dryRun ? ' (dry run)' : ''}: ${report.versions.deleted} versions ${report.dryRun ? 'would be ' : ''}deleted`,
    );
    clean.onReport?.(report);
  };
  return new CronRunner(clean.schedule, run, {
    ...(clock ? { clock } : {}),
    // a failed run is logged; the next one comes at its time
    onError: (error) => {
      log.error({ err: error }, 'database clean failed');
      clean.onFailure?.(error);
    },
  });
}

/** Node's timers take at most this many milliseconds (a larger timeout fires at once). */
const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * Refuses a configuration the broker would otherwise start with anyway, not as asked: basic auth
 * without a password (or without a user), links to a base URL that is not one, a timeout or body
 * limit Node would not apply as given. Each error's details name the `option` and the `subject` the
 * message names it by (so that `covenant broker` can name its flag instead).
 */
function checkBrokerOptions(options: BrokerOptions): void {
  const invalid = (option: string, subject: string, message: string) =>
    brokerError('COV_BROKER_CONFIG_INVALID', message, { option, subject });
  for (const kind of ['readWrite', 'readOnly'] as const) {
    const user = options.auth?.[kind];
    if (!user) continue;
    const hasName = typeof user.username === 'string' && user.username !== '';
    // an explicitly empty password is the caller's choice; a missing one is not
    const hasPassword = typeof user.password === 'string';
    if (hasName && hasPassword) continue;
    const subject = `auth.${kind}.username and auth.${kind}.password`;
    throw invalid(
      `auth.${kind}`,
      subject,
      hasName || hasPassword
        ? `basic auth needs both ${subject}; only the ${hasName ? 'username' : 'password'} is given, and the broker would ${hasName ? 'take an empty password' : 'not ask for a password at all'}`
        : `basic auth needs both ${subject}; neither is given`,
    );
  }
  if (options.baseUrl !== undefined) {
    const protocol = URL.canParse(options.baseUrl) ? new URL(options.baseUrl).protocol : undefined;
    if (protocol !== 'http:' && protocol !== 'https:')
      throw invalid(
        'baseUrl',
        'baseUrl',
        `baseUrl '${options.baseUrl}' is not an http:// or https:// URL, e.g. https://broker.example.com`,
      );
  }
  const whole = (option: 'bodyLimit' | 'requestTimeout', max: number, unit: string) => {
    const value = options[option];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1 && value <= max))
      throw invalid(option, option, `${option} ${value} is not a whole number of ${unit} from 1 to ${max}`);
  };
  whole('bodyLimit', Number.MAX_SAFE_INTEGER, 'bytes');
  whole('requestTimeout', MAX_TIMEOUT, 'milliseconds');
}
