import { CovenantError } from '@covenant/core';
import { Command, InvalidArgumentError } from 'commander';
import { outputOption } from './broker-options.js';
import { cliError } from './errors.js';
import { printJson, table } from './output.js';
import { count, port } from './parsers.js';
import { stopOnSignals } from './signals.js';

/** `covenant broker`: starts the Pact Broker until SIGINT/SIGTERM. */
export function brokerCommand(env: Record<string, string | undefined> = process.env): Command {
  return (
    new Command('broker')
      .description('start the Pact Broker (SQLite in the working directory by default, or PostgreSQL)')
      .option('--port <port>', 'port to listen on (default 9292, or PACT_BROKER_PORT)', port)
      .option('-H, --host <host>', 'interface to listen on', env.PACT_BROKER_HOST || '127.0.0.1')
      .option(
        '-d, --database <location>',
        'SQLite file path or postgres:// URL (or PACT_BROKER_DATABASE_URL, or its parts: PACT_BROKER_DATABASE_HOST, _PORT, _NAME, _USERNAME, _PASSWORD)',
        databaseFromEnv(env) ?? 'pact_broker.sqlite',
      )
      .option(
        '--username <name>',
        'read-write user (basic auth); or PACT_BROKER_BASIC_AUTH_USERNAME',
        env.PACT_BROKER_BASIC_AUTH_USERNAME,
      )
      .option(
        '--password <password>',
        'read-write password; or PACT_BROKER_BASIC_AUTH_PASSWORD',
        env.PACT_BROKER_BASIC_AUTH_PASSWORD,
      )
      .option('--read-only-username <name>', 'read-only user', env.PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME)
      .option(
        '--read-only-password <password>',
        'read-only password',
        env.PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD,
      )
      .option('--public-read', 'let anonymous clients read', env.PACT_BROKER_ALLOW_PUBLIC_READ === 'true')
      .option(
        '--public-badges',
        'let anonymous clients fetch the badges (and nothing else), for README badges; or PACT_BROKER_ENABLE_PUBLIC_BADGE_ACCESS=true',
        env.PACT_BROKER_ENABLE_PUBLIC_BADGE_ACCESS === 'true',
      )
      .option(
        '--token <token...>',
        'bearer token(s) allowed to read and write; or PACT_BROKER_TOKENS (comma-separated)',
        env.PACT_BROKER_TOKENS?.split(',').filter(Boolean),
      )
      .option(
        '--read-only-token <token...>',
        'bearer token(s) allowed to read; or PACT_BROKER_READ_ONLY_TOKENS',
        env.PACT_BROKER_READ_ONLY_TOKENS?.split(',').filter(Boolean),
      )
      .option(
        '--base-url <url>',
        'the public URL of the broker (links use it); or PACT_BROKER_BASE_URL',
        // the reference image's PACT_BROKER_BASE_URL may list several URLs: links use the first
        (env.PACT_BROKER_BASE_URL_FOR_LINKS || env.PACT_BROKER_BASE_URL)?.trim().split(/\s+/)[0] || undefined,
      )
      .option(
        '--seed',
        'on a new, empty database, add example data (Example App and Example API); on unless --no-seed or PACT_BROKER_SEED_EXAMPLE_DATA=false',
        env.PACT_BROKER_SEED_EXAMPLE_DATA?.toLowerCase() !== 'false',
      )
      .option('--no-seed', 'start with an empty database')
      .option(
        '--body-limit <bytes>',
        'largest request body accepted, in bytes (default 10 MB, or PACT_BROKER_BODY_LIMIT)',
        count,
      )
      .option(
        '--request-timeout <ms>',
        'longest time a client may take to send a whole request (default 120000, or PACT_BROKER_REQUEST_TIMEOUT)',
        count,
      )
      .option(
        '--allow-contract-modification',
        'let a pact replace different content published for the same consumer version (or PACT_BROKER_ALLOW_CONTRACT_MODIFICATION=true)',
        env.PACT_BROKER_ALLOW_CONTRACT_MODIFICATION === 'true',
      )
      // webhooks: each flag stands for the reference broker's variable, which stays its default
      .option(
        '--webhook-host-whitelist <hosts>',
        'hosts webhooks may reach, space-separated: names, *.domain, /regex/, IPs, CIDRs (PACT_BROKER_WEBHOOK_HOST_WHITELIST; default: any host outside private, loopback and link-local ranges)',
      )
      .option(
        '--webhook-scheme-whitelist <schemes>',
        'schemes webhooks may use (PACT_BROKER_WEBHOOK_SCHEME_WHITELIST; default https)',
      )
      .option(
        '--webhook-http-method-whitelist <methods>',
        'methods webhooks may use (PACT_BROKER_WEBHOOK_HTTP_METHOD_WHITELIST; default POST)',
      )
      .option(
        '--webhook-retry-schedule <seconds>',
        'seconds before each retry of a failed delivery (PACT_BROKER_WEBHOOK_RETRY_SCHEDULE; default "10 60 120 300 600 1200")',
      )
      .option(
        '--webhook-http-code-success <codes>',
        'response statuses that count as delivered (PACT_BROKER_WEBHOOK_HTTP_CODE_SUCCESS; default "200 201 202 203 204 205 206")',
      )
      .option(
        '--webhook-certificates <files>',
        'PEM files of CA certificates to trust for webhook targets (PACT_BROKER_WEBHOOK_CERTIFICATES)',
      )
      .option(
        '--disable-ssl-verification',
        "do not check webhook targets' certificates (PACT_BROKER_DISABLE_SSL_VERIFICATION=true)",
      )
      .option('--user-agent <text>', 'the User-Agent of webhook requests (PACT_BROKER_USER_AGENT)')
      .addHelpText(
        'after',
        `
Examples:
  $ covenant broker                                    # SQLite pact_broker.sqlite here, port 9292
  $ covenant broker --port 0 --database /tmp/broker.sqlite --no-seed
  $ covenant broker --database postgres://user:secret@db:5432/pact_broker --username ci --password s3cret --public-read
  $ PACT_BROKER_DATABASE_CLEAN_ENABLED=true covenant broker   # and the database clean at 02:15 UTC each day

The database clean (see \`covenant broker clean --help\`) runs on a schedule when
PACT_BROKER_DATABASE_CLEAN_ENABLED=true, at PACT_BROKER_DATABASE_CLEAN_CRON_SCHEDULE (five-field
cron, UTC; default "15 2 * * *"), with the _DELETION_LIMIT, _OVERWRITTEN_DATA_MAX_AGE,
_KEEP_VERSION_SELECTORS and _DRY_RUN variables.`,
      )
      .addCommand(brokerCleanCommand(env))
      .action(
        async (opts: {
          port?: number;
          host: string;
          database: string;
          username?: string;
          password?: string;
          readOnlyUsername?: string;
          readOnlyPassword?: string;
          publicRead?: boolean;
          publicBadges?: boolean;
          baseUrl?: string;
          token?: string[];
          readOnlyToken?: string[];
          seed: boolean;
          bodyLimit?: number;
          requestTimeout?: number;
          allowContractModification: boolean;
          webhookHostWhitelist?: string;
          webhookSchemeWhitelist?: string;
          webhookHttpMethodWhitelist?: string;
          webhookRetrySchedule?: string;
          webhookHttpCodeSuccess?: string;
          webhookCertificates?: string;
          disableSslVerification?: boolean;
          userAgent?: string;
        }) => {
          const fromEnv = envNumbers(env);
          const bodyLimit = opts.bodyLimit ?? fromEnv('PACT_BROKER_BODY_LIMIT', count, 'a size in bytes');
          const requestTimeout =
            opts.requestTimeout ?? fromEnv('PACT_BROKER_REQUEST_TIMEOUT', count, 'a time in milliseconds');
          // a user without a password (or the reverse) is passed on as given: startBroker refuses it
          const basic = (username: string | undefined, password: string | undefined) =>
            username !== undefined || password !== undefined
              ? { username: username ?? '', password: password as string }
              : undefined;
          const readWrite = basic(opts.username, opts.password);
          const readOnly = basic(opts.readOnlyUsername, opts.readOnlyPassword);
          const auth = {
            ...(readWrite ? { readWrite } : {}),
            ...(readOnly ? { readOnly } : {}),
            ...(opts.publicRead ? { publicRead: true } : {}),
            ...(opts.publicBadges ? { publicBadges: true } : {}),
            ...(opts.token?.length || opts.readOnlyToken?.length
              ? {
                  tokens: {
                    ...(opts.token?.length ? { readWrite: opts.token } : {}),
                    ...(opts.readOnlyToken?.length ? { readOnly: opts.readOnlyToken } : {}),
                  },
                }
              : {}),
          };
          const logger = loggerFromEnv(env);
          const { cleanConfigFromEnv, startBroker, webhookPolicyFromEnv } = await loadBroker();
          // read (and refused if wrong) whether or not it is enabled: a mistake shows at once
          const clean = cleanConfigFromEnv(env);
          const flagged: Record<string, string | undefined> = {
            PACT_BROKER_WEBHOOK_HOST_WHITELIST: opts.webhookHostWhitelist,
            PACT_BROKER_WEBHOOK_SCHEME_WHITELIST: opts.webhookSchemeWhitelist,
            PACT_BROKER_WEBHOOK_HTTP_METHOD_WHITELIST: opts.webhookHttpMethodWhitelist,
            PACT_BROKER_WEBHOOK_RETRY_SCHEDULE: opts.webhookRetrySchedule,
            PACT_BROKER_WEBHOOK_HTTP_CODE_SUCCESS: opts.webhookHttpCodeSuccess,
            PACT_BROKER_WEBHOOK_CERTIFICATES: opts.webhookCertificates,
            PACT_BROKER_DISABLE_SSL_VERIFICATION: opts.disableSslVerification ? 'true' : undefined,
            PACT_BROKER_USER_AGENT: opts.userAgent,
          };
          const webhookPolicy = webhookPolicyFromEnv({
            ...env,
            ...Object.fromEntries(Object.entries(flagged).filter(([, value]) => value !== undefined)),
          });
          const broker = await startBroker({
            port: opts.port ?? fromEnv('PACT_BROKER_PORT', port, 'a port') ?? 9292,
            host: opts.host,
            database: opts.database,
            auth,
            ...(opts.baseUrl !== undefined ? { baseUrl: opts.baseUrl } : {}),
            ...(bodyLimit !== undefined ? { bodyLimit } : {}),
            ...(requestTimeout !== undefined ? { requestTimeout } : {}),
            allowContractModification: opts.allowContractModification,
            seedExampleData: opts.seed,
            webhookPolicy,
            ...(logger !== undefined ? { logger } : {}),
            clean: {
              ...clean,
              onReport: (report) =>
                process.stdout.write(`${new Date().toISOString()} ${cleanSummary(report)}\n`),
              onFailure: (error) =>
                process.stderr.write(
                  `${new Date().toISOString()} database clean failed: ${(error as Error).message}\n`,
                ),
            },
          }).catch((error: unknown) => {
            throw asOptionError(error);
          });
          // before the line that tells a caller it may signal: without a listener SIGINT kills at once
          stopOnSignals('broker', () => broker.close());
          process.stdout.write(
            `Covenant Pact Broker listening on ${broker.url} (database: ${broker.database.description})\n`,
          );
          if (clean.enabled)
            process.stdout.write(
              `Database clean${clean.dryRun ? ' (dry run)' : ''} scheduled at '${clean.schedule.expression}' (UTC), next at ${clean.schedule.next(new Date()).toISOString()}\n`,
            );
        },
      )
  );
}

/** A whole number, 1 or more. */
function atLeastOne(value: string): number {
  const n = count(value);
  if (n < 1) throw new InvalidArgumentError('give a whole number, 1 or more');
  return n;
}

/**
 * `covenant broker clean`: the reference broker's database clean, run once against the database
 * `covenant broker` would use (its --database, or the PACT_BROKER_DATABASE_* variables), with the
 * reference image's PACT_BROKER_DATABASE_CLEAN_* variables, which these flags override.
 */
function brokerCleanCommand(env: Record<string, string | undefined>): Command {
  return new Command('clean')
    .description(
      "delete old versions and overwritten data from the broker's database, as the reference broker's clean does; safe while the broker runs",
    )
    .option(
      '--dry-run',
      'report what would be deleted, delete nothing (or PACT_BROKER_DATABASE_CLEAN_DRY_RUN=true)',
    )
    .option(
      '--deletion-limit <count>',
      'most versions, and rows of each kind of overwritten data, deleted in this run (PACT_BROKER_DATABASE_CLEAN_DELETION_LIMIT; default 500)',
      atLeastOne,
    )
    .option(
      '--overwritten-data-max-age <days>',
      'overwritten pact revisions, verification results and webhook deliveries older than this go (PACT_BROKER_DATABASE_CLEAN_OVERWRITTEN_DATA_MAX_AGE; default 7)',
      count,
    )
    .option(
      '--keep-version-selectors <json>',
      'which versions to keep, as a JSON array (PACT_BROKER_DATABASE_CLEAN_KEEP_VERSION_SELECTORS; default: the latest of each tag and branch, the latest, the deployed, the released, and those younger than 90 days); deployed and released versions are kept whatever it says',
    )
    .addOption(outputOption(['text', 'json']))
    .addHelpText(
      'after',
      `
The database is the one covenant broker uses: give --database before \`clean\`
(covenant broker --database <location> clean), or set PACT_BROKER_DATABASE_URL.

Examples:
  $ covenant broker clean --dry-run
  $ covenant broker --database postgres://user:secret@db:5432/pact_broker clean --deletion-limit 1000
  $ covenant broker clean --keep-version-selectors '[{"branch": true, "latest": true}, {"max_age": 30}]' -o json`,
    )
    .action(
      async (
        opts: {
          dryRun?: boolean;
          deletionLimit?: number;
          overwrittenDataMaxAge?: number;
          keepVersionSelectors?: string;
          output: string;
        },
        command: Command,
      ) => {
        const { database: location } = command.optsWithGlobals<{ database: string }>();
        const { cleanConfigFromEnv, openDatabase, parseKeepSelectors, runClean } = await loadBroker();
        const config = cleanConfigFromEnv(env);
        const options = {
          keepVersionSelectors:
            opts.keepVersionSelectors === undefined
              ? config.keepVersionSelectors
              : parseKeepSelectors(opts.keepVersionSelectors, '--keep-version-selectors'),
          deletionLimit: opts.deletionLimit ?? config.deletionLimit,
          overwrittenDataMaxAgeDays: opts.overwrittenDataMaxAge ?? config.overwrittenDataMaxAgeDays,
          dryRun: opts.dryRun ?? config.dryRun,
        };
        const database = await openDatabase(location).catch((error: unknown) => {
          throw asOptionError(error);
        });
        try {
          const report = await runClean(database, options);
          if (opts.output === 'json') printJson(report);
          else
            process.stdout.write(
              `${cleanText(report, options.overwrittenDataMaxAgeDays, options.deletionLimit)}\n`,
            );
        } finally {
          await database.close();
        }
      },
    );
}

type CleanReport = Awaited<ReturnType<typeof import('@covenant/broker')['runClean']>>;

/** One line for a run of the scheduled clean. */
function cleanSummary(report: CleanReport): string {
  const { pactPublications, verifications, triggeredWebhooks } = report.overwritten;
  const would = report.dryRun ? ' would be' : '';
  return `database clean${report.dryRun ? ' (dry run)' : ''}: ${report.versions.deleted} of ${report.versions.notKept} versions not kept${would} deleted; overwritten data${would} deleted: ${pactPublications} pact revisions, ${verifications} verification results, ${triggeredWebhooks} webhook deliveries; ${report.orphanPactContents} unreferenced pact contents, ${report.emptyBranches} empty branches`;
}

/** The report of `covenant broker clean`, in words and a table of the versions. */
function cleanText(report: CleanReport, maxAgeDays: number, limit: number): string {
  const would = report.dryRun ? 'would be deleted' : 'deleted';
  const { total, kept, notKept, deleted, keptBySelector } = report.versions;
  const lines = [
    report.dryRun ? 'Dry run: nothing was deleted.' : `Deleted in ${report.transactions} transactions.`,
    `Versions: ${total} in all, ${kept} kept, ${notKept} not kept; ${deleted} ${would} (at most ${limit} a run, oldest first).`,
    '',
    'Versions each selector keeps:',
    table(
      ['selector', 'versions'],
      keptBySelector.map((s) => [
        `${JSON.stringify(s.selector)}${s.always ? ' (always kept)' : ''}`,
        String(s.count),
      ]),
    ),
    '',
    `Overwritten data older than ${maxAgeDays} days, ${would}: ${report.overwritten.pactPublications} pact revisions, ${report.overwritten.verifications} verification results, ${report.overwritten.triggeredWebhooks} webhook deliveries.`,
    `Pact contents no longer referenced, ${would}: ${report.orphanPactContents}.`,
    `Branches left with no version, ${would}: ${report.emptyBranches}.`,
  ];
  if (report.deletedVersions.length > 0)
    lines.push(
      '',
      `Versions ${would}:`,
      table(
        ['pacticipant', 'version', 'created'],
        report.deletedVersions.map((v) => [v.pacticipant, v.number, v.createdAt]),
      ),
    );
  return lines.join('\n');
}

/**
 * The broker package, an optional peer of the CLI (CI jobs that only publish and ask can-i-deploy
 * need not install it, nor compile SQLite); loaded here, so the other commands never pay for it.
 */
async function loadBroker(): Promise<typeof import('@covenant/broker')> {
  try {
    return await import('@covenant/broker');
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (code !== 'ERR_MODULE_NOT_FOUND' || !String(message).includes("'@covenant/broker'")) throw error;
    throw cliError(
      'COV_CLI_BROKER_NOT_INSTALLED',
      '`covenant broker` needs the @covenant/broker package, which is not installed beside @covenant/cli',
      {},
      error,
    );
  }
}

/**
 * The database URL the reference image's variables give: PACT_BROKER_DATABASE_URL, or one built
 * from its parts (PACT_BROKER_DATABASE_HOST, _PORT, _NAME, _USERNAME, _PASSWORD; with
 * PACT_BROKER_DATABASE_ADAPTER=sqlite, _NAME is the file).
 */
export function databaseFromEnv(env: Record<string, string | undefined>): string | undefined {
  if (env.PACT_BROKER_DATABASE_URL) return env.PACT_BROKER_DATABASE_URL;
  const { PACT_BROKER_DATABASE_HOST: host, PACT_BROKER_DATABASE_NAME: name } = env;
  if (/^sqlite/i.test(env.PACT_BROKER_DATABASE_ADAPTER ?? '')) return name || undefined;
  if (!host && !name) return undefined;
  const user = env.PACT_BROKER_DATABASE_USERNAME;
  const password = env.PACT_BROKER_DATABASE_PASSWORD;
  const credentials = user
    ? `${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ''}@`
    : '';
  const portPart = env.PACT_BROKER_DATABASE_PORT ? `:${env.PACT_BROKER_DATABASE_PORT}` : '';
  return `postgres://${credentials}${host || 'localhost'}${portPart}/${encodeURIComponent(name || 'postgres')}`;
}

/** PACT_BROKER_LOG_LEVEL: request logging on at info (or debug, trace), off at warn, error or fatal. */
function loggerFromEnv(env: Record<string, string | undefined>): boolean | undefined {
  const level = env.PACT_BROKER_LOG_LEVEL?.trim().toLowerCase();
  if (!level) return undefined;
  if (['trace', 'debug', 'info'].includes(level)) return true;
  if (['warn', 'error', 'fatal'].includes(level)) return false;
  throw cliError(
    'COV_CLI_OPTIONS_INVALID',
    `PACT_BROKER_LOG_LEVEL '${env.PACT_BROKER_LOG_LEVEL}' is not a level: give debug, info, warn or error`,
  );
}

/** Reads a number from an environment variable with the parser its flag uses; unset or empty: undefined. */
function envNumbers(env: Record<string, string | undefined>) {
  return (name: string, parse: (value: string) => number, what: string): number | undefined => {
    const value = env[name];
    if (!value) return undefined;
    try {
      return parse(value);
    } catch (error) {
      if (!(error instanceof InvalidArgumentError)) throw error;
      throw cliError('COV_CLI_OPTIONS_INVALID', `${name} '${value}' is not ${what}: ${error.message}`);
    }
  };
}

/** The flags (and environment variables) that set each startBroker option. */
const FLAGS: Record<string, string> = {
  'auth.readWrite': '--username and --password (PACT_BROKER_BASIC_AUTH_USERNAME/_PASSWORD)',
  'auth.readOnly':
    '--read-only-username and --read-only-password (PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME/_PASSWORD)',
  baseUrl: '--base-url',
  database: '--database',
  bodyLimit: '--body-limit',
  requestTimeout: '--request-timeout',
};

/**
 * startBroker's refusal of an option, told in the command's terms: the same message naming the
 * flag (and its environment variable) instead of the option.
 */
function asOptionError(error: unknown): unknown {
  if (!(error instanceof CovenantError) || error.code !== 'COV_BROKER_CONFIG_INVALID') return error;
  const { option, subject } = error.details as { option?: string; subject?: string };
  const flag = option === undefined ? undefined : FLAGS[option];
  if (flag === undefined || subject === undefined) return error;
  return cliError('COV_CLI_OPTIONS_INVALID', error.detail.replace(subject, flag), error.details, error);
}
