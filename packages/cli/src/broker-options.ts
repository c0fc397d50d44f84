import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { BrokerClient, type BrokerTls } from '@covenant/broker-client';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { cliError } from './errors.js';
import { count, header, milliseconds } from './parsers.js';

/**
 * The official CLI's default for --retries: a broker that answers 5xx for a moment (a restart, a
 * proxy's 502) is waited for, up to about two minutes (0.5 s doubling). Refused connections and
 * 4xx answers are not retried, so a wrong URL still fails at once.
 */
export const DEFAULT_RETRIES = 8;

/** The connection options every broker command takes, named as the official `pact-broker` CLI names them. */
export interface BrokerConnection {
  verbose?: boolean;
  brokerBaseUrl?: string;
  brokerUsername?: string;
  brokerPassword?: string;
  brokerToken?: string;
  customHeader?: Record<string, string>;
  retries?: number;
  timeout?: number;
  sslCertificate?: string;
  skipSslVerification?: boolean;
  sslTrustStore?: boolean;
}

/** `--ssl-trust-store true|false`, as the official CLI spells it. */
function trueOrFalse(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidArgumentError('give true or false');
}

/** Adds -b/-u/-p/-k (with their PACT_BROKER_* variables) to a command. */
export function withBrokerOptions(command: Command): Command {
  return (
    command
      .addOption(
        new Option('-b, --broker-base-url <url>', 'the base URL of the Pact Broker').env(
          'PACT_BROKER_BASE_URL',
        ),
      )
      .addOption(
        new Option('-u, --broker-username <name>', 'basic auth username').env('PACT_BROKER_USERNAME'),
      )
      .addOption(
        new Option('-p, --broker-password <password>', 'basic auth password').env('PACT_BROKER_PASSWORD'),
      )
      .addOption(new Option('-k, --broker-token <token>', 'bearer token').env('PACT_BROKER_TOKEN'))
      .addOption(
        new Option(
          '--custom-header <header>',
          "send 'Name: value' with every request to the broker (repeatable)",
        ).argParser(header),
      )
      .addOption(
        new Option(
          '--retries <times>',
          'retry a request the broker answers 5xx, 408 or 429 this many times (0.5 s, 1 s, 2 s... apart, as the official CLI does)',
        )
          .env('PACT_BROKER_HTTP_RETRIES')
          .argParser(count)
          .default(DEFAULT_RETRIES),
      )
      .addOption(
        new Option(
          '--timeout <ms>',
          'give up on a broker request that has no complete answer after this long (default 30000)',
        ).argParser(milliseconds),
      )
      .addOption(
        new Option(
          '-c, --ssl-certificate <file>',
          "a CA certificate (PEM, one or a bundle) to trust for an https broker's certificate",
        ).env('SSL_CERT_FILE'),
      )
      .addOption(
        new Option(
          '--skip-ssl-verification',
          "do not check an https broker's certificate (or SSL_SKIP_VERIFICATION=true)",
        ),
      )
      .addOption(
        new Option(
          '--ssl-trust-store <true|false>',
          'also trust the usual root certificate authorities (default true); false: only --ssl-certificate',
        )
          .env('SSL_TRUST_STORE')
          .argParser(trueOrFalse),
      )
      // accepted so that scripts written for the official CLIs run unchanged
      .addOption(new Option('-v, --verbose', "also print the broker's debug notices").hideHelp())
      .addOption(new Option('--log-level <level>').hideHelp())
  );
}

/** A client for the broker the options name. */
export function brokerClient(options: BrokerConnection): BrokerClient {
  if (!options.brokerBaseUrl) {
    throw cliError(
      'COV_CLI_OPTIONS_INVALID',
      'no broker URL: pass --broker-base-url (-b) or set PACT_BROKER_BASE_URL',
    );
  }
  return new BrokerClient({
    // BrokerClient refuses a URL that is not http(s) (COV_BROKER_CLIENT_CONFIG_INVALID)
    baseUrl: options.brokerBaseUrl,
    // the options already fell back to the PACT_BROKER_* variables; don't read them twice
    env: {},
    ...(options.brokerUsername !== undefined ? { username: options.brokerUsername } : {}),
    ...(options.brokerPassword !== undefined ? { password: options.brokerPassword } : {}),
    ...(options.brokerToken !== undefined ? { token: options.brokerToken } : {}),
    ...(options.customHeader !== undefined ? { headers: options.customHeader } : {}),
    retries: options.retries ?? DEFAULT_RETRIES,
    ...(options.timeout !== undefined ? { timeoutMs: options.timeout } : {}),
    ...brokerTls(options),
  });
}

/**
 * The TLS the official CLI's -c/--ssl-certificate, --skip-ssl-verification and --ssl-trust-store
 * (and SSL_CERT_FILE, SSL_SKIP_VERIFICATION, SSL_TRUST_STORE) ask for; none when they change nothing.
 */
function brokerTls(options: BrokerConnection, env = process.env): { tls?: BrokerTls } {
  // not commander's .env(): on a flag it would turn checking off for any value, `false` included
  const insecure =
    options.skipSslVerification === true || /^(true|1)$/i.test(env.SSL_SKIP_VERIFICATION ?? '');
  const withRoots = options.sslTrustStore !== false;
  let certificate: string | undefined;
  if (options.sslCertificate) {
    try {
      certificate = readFileSync(options.sslCertificate, 'utf8');
    } catch (error) {
      throw cliError(
        'COV_CLI_OPTIONS_INVALID',
        `cannot read the certificate of --ssl-certificate (or SSL_CERT_FILE) ${options.sslCertificate}: ${(error as Error).message}`,
        { file: options.sslCertificate },
        error,
      );
    }
  } else if (!withRoots && !insecure) {
    throw cliError(
      'COV_CLI_OPTIONS_INVALID',
      '--ssl-trust-store false trusts only the certificate of --ssl-certificate: give one (-c FILE)',
    );
  }
  if (certificate === undefined && !insecure) return {};
  // Node's `ca` replaces its root certificates: they are added back unless the trust store is off
  const ca =
    certificate === undefined
      ? undefined
      : withRoots
        ? `${rootCertificates.join('\n')}\n${certificate}`
        : certificate;
  return { tls: { ...(ca !== undefined ? { ca } : {}), ...(insecure ? { insecure: true } : {}) } };
}

/**
 * `-o, --output`: text (the default, also called table), json, or the command's other formats.
 * `pretty`, the official CLI's indented JSON, is accepted everywhere and read as `json`, which
 * Covenant always indents.
 *
 * @example command.addOption(outputOption(['text', 'json', 'id']))
 */
export function outputOption(choices = ['text', 'table', 'json'], description = 'output format'): Option {
  const accepted = [...choices, 'pretty'];
  return (
    new Option('-o, --output <format>', description)
      .choices(accepted)
      // after .choices(), which would keep 'pretty' as it is; the same message as commander's
      .argParser((value: string) => {
        if (!accepted.includes(value))
          throw new InvalidArgumentError(`Allowed choices are ${accepted.join(', ')}.`);
        return value === 'pretty' ? 'json' : value;
      })
      .default('text')
  );
}
