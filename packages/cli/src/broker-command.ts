import { Command } from 'commander';
import { cliError } from './errors.js';
import { port } from './parsers.js';
import { stopOnSignals } from './signals.js';

/** `covenant broker`: starts the Pact Broker until SIGINT/SIGTERM. */
export function brokerCommand(env: Record<string, string | undefined> = process.env): Command {
  return new Command('broker')
    .description('start the Pact Broker (SQLite in the working directory by default, or PostgreSQL)')
    .option('-p, --port <port>', 'port to listen on', port, Number(env.PACT_BROKER_PORT || 9292))
    .option('-H, --host <host>', 'interface to listen on', env.PACT_BROKER_HOST || '127.0.0.1')
    .option(
      '-d, --database <location>',
      'SQLite file path or postgres:// URL (or PACT_BROKER_DATABASE_URL)',
      env.PACT_BROKER_DATABASE_URL || 'pact_broker.sqlite',
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
      'the public URL of the broker (links use it)',
      env.PACT_BROKER_BASE_URL_FOR_LINKS,
    )
    .option(
      '--seed',
      'give an empty database example data, Example App and Example API (or PACT_BROKER_SEED_EXAMPLE_DATA=false)',
      env.PACT_BROKER_SEED_EXAMPLE_DATA?.toLowerCase() !== 'false',
    )
    .option('--no-seed', 'start with an empty database')
    .addHelpText(
      'after',
      `
Examples:
  $ covenant broker                                    # SQLite pact_broker.sqlite here, port 9292
  $ covenant broker --port 0 --database /tmp/broker.sqlite --no-seed
  $ covenant broker --database postgres://user:secret@db:5432/pact_broker --username ci --password s3cret --public-read`,
    )
    .action(
      async (opts: {
        port: number;
        host: string;
        database: string;
        username?: string;
        password?: string;
        readOnlyUsername?: string;
        readOnlyPassword?: string;
        publicRead?: boolean;
        baseUrl?: string;
        token?: string[];
        readOnlyToken?: string[];
        seed: boolean;
      }) => {
        checkBrokerOptions(opts, env);
        const auth = {
          ...(opts.username ? { readWrite: { username: opts.username, password: opts.password ?? '' } } : {}),
          ...(opts.readOnlyUsername
            ? { readOnly: { username: opts.readOnlyUsername, password: opts.readOnlyPassword ?? '' } }
            : {}),
          ...(opts.publicRead ? { publicRead: true } : {}),
          ...(opts.token?.length || opts.readOnlyToken?.length
            ? {
                tokens: {
                  ...(opts.token?.length ? { readWrite: opts.token } : {}),
                  ...(opts.readOnlyToken?.length ? { readOnly: opts.readOnlyToken } : {}),
                },
              }
            : {}),
        };
        // loaded here: the other commands need not pay for the broker's start-up
        const { startBroker } = await import('@covenant/broker');
        const broker = await startBroker({
          port: opts.port,
          host: opts.host,
          database: opts.database,
          auth,
          ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
          seedExampleData: opts.seed,
        });
        process.stdout.write(
          `Covenant Pact Broker listening on ${broker.url} (database: ${broker.database.description})\n`,
        );
        stopOnSignals('broker', () => broker.close());
      },
    );
}

/**
 * The mistakes `covenant broker` would otherwise start with anyway: a broker without the auth its
 * user asked for, links to a base URL that is not one, a database lost at the stop.
 */
function checkBrokerOptions(
  opts: {
    port: number;
    database: string;
    username?: string;
    password?: string;
    readOnlyUsername?: string;
    readOnlyPassword?: string;
    baseUrl?: string;
  },
  env: Record<string, string | undefined>,
): void {
  const invalid = (message: string) => cliError('COV_CLI_OPTIONS_INVALID', message);
  // --port is checked as it is parsed; its default from the environment is not
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)
    throw invalid(`PACT_BROKER_PORT '${env.PACT_BROKER_PORT}' is not a port: a whole number from 0 to 65535`);
  for (const [user, password, names] of [
    [opts.username, opts.password, '--username and --password (PACT_BROKER_BASIC_AUTH_USERNAME/_PASSWORD)'],
    [
      opts.readOnlyUsername,
      opts.readOnlyPassword,
      '--read-only-username and --read-only-password (PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME/_PASSWORD)',
    ],
  ] as const) {
    // an explicitly empty password is the user's choice; a missing one is not
    if (!user !== (password === undefined))
      throw invalid(
        `basic auth needs both ${names}; only the ${user ? 'username' : 'password'} is given, and the broker would ${user ? 'take an empty password' : 'not ask for a password at all'}`,
      );
  }
  if (opts.baseUrl !== undefined) {
    const protocol = URL.canParse(opts.baseUrl) ? new URL(opts.baseUrl).protocol : undefined;
    if (protocol !== 'http:' && protocol !== 'https:')
      throw invalid(
        `--base-url '${opts.baseUrl}' (or PACT_BROKER_BASE_URL_FOR_LINKS) is not an http:// or https:// URL, e.g. https://broker.example.com`,
      );
  }
  if (opts.database.trim() === '')
    throw invalid(
      '--database is empty (SQLite would keep the data in a temporary file, lost at the stop): give a file path or a postgres:// URL',
    );
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(opts.database)?.[1];
  if (scheme && !/^postgres(ql)?$/i.test(scheme))
    throw invalid(
      `--database ${opts.database.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}: ${scheme}:// is not a database Covenant can use; give a SQLite file path or a postgres:// URL`,
    );
}
