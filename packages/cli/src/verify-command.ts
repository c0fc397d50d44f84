import type { ConsumerVersionSelector } from '@covenant/broker-client';
import { mismatchesToJson } from '@covenant/core';
import type { Reporter, VerificationResult, VerifierOptions } from '@covenant/verifier';
import { Command, InvalidArgumentError, Option } from 'commander';
import { outputOption } from './broker-options.js';
import { cliError } from './errors.js';
import { colourEnabled, printJson, progress } from './output.js';
import { expandPatterns, pactFilesIn, readPactFile } from './pact-files.js';
import { header, commaList as list, milliseconds } from './parsers.js';

interface VerifyOptions {
  provider?: string;
  providerBaseUrl?: string;
  messageUrl?: string;
  stateChangeUrl?: string;
  stateChangeTeardown: boolean;
  brokerBaseUrl?: string;
  brokerUsername?: string;
  brokerPassword?: string;
  brokerToken?: string;
  consumerVersionSelectors: ConsumerVersionSelector[];
  consumerVersionTags: string[];
  enablePending?: boolean;
  includeWipPactsSince?: string;
  publish?: boolean;
  providerVersion?: string;
  providerBranch?: string;
  providerVersionTags: string[];
  buildUrl?: string;
  reporter: string[];
  output: string;
  filterConsumer: string[];
  filterDescription?: string;
  filterState?: string;
  filterNoState?: boolean;
  customHeader: Record<string, string>;
  timeout?: number;
  insecure?: boolean;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  logLevel?: string;
  logFile?: string;
  failIfNoPactsFound: boolean;
}

function selectorsJson(value: string, previous: ConsumerVersionSelector[]): ConsumerVersionSelector[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError(
      `not JSON: ${value} (e.g. '[{"mainBranch":true},{"deployedOrReleased":true}]')`,
    );
  }
  const selectors = Array.isArray(parsed) ? parsed : [parsed];
  if (!selectors.every((s) => typeof s === 'object' && s !== null && !Array.isArray(s)))
    throw new InvalidArgumentError('give a JSON object or an array of objects, e.g. [{"mainBranch":true}]');
  return [...previous, ...(selectors as ConsumerVersionSelector[])];
}

type Verifier = typeof import('@covenant/verifier');

function reporterOf(spec: string, verifier: Verifier, json: boolean): Reporter {
  const colon = spec.indexOf(':');
  const name = colon < 0 ? spec : spec.slice(0, colon);
  const file = colon < 0 ? '' : spec.slice(colon + 1);
  if (spec === 'console') {
    // with -o json, stdout is the JSON alone: the console report goes to stderr
    return json
      ? verifier.consoleReporter({
          color: colourEnabled(process.stderr),
          write: (text) => process.stderr.write(text),
        })
      : verifier.consoleReporter({ color: colourEnabled() });
  }
  if ((name === 'json' || name === 'junit') && file)
    return name === 'json' ? verifier.jsonReporter(file) : verifier.junitReporter(file);
  throw cliError(
    'COV_CLI_OPTIONS_INVALID',
    `unknown reporter '${spec}': use console, json:FILE or junit:FILE (e.g. --reporter junit:reports/pact.xml)`,
  );
}

/** The providers the local pact files name, sorted (the pacts given as URLs are not read here). */
async function providersOfFiles(paths: string[]): Promise<string[]> {
  const local = paths.filter((p) => !/^https?:\/\//.test(p));
  if (local.length === 0) return [];
  const names = new Set<string>();
  for (const file of await pactFilesIn(local)) names.add((await readPactFile(file)).pact.provider.name);
  return [...names].sort();
}

function resultJson(result: VerificationResult) {
  return {
    ...result,
    pacts: result.pacts.map((p) => ({
      ...p,
      interactions: p.interactions.map((i) => ({ ...i, mismatches: mismatchesToJson(i.mismatches) })),
    })),
  };
}

/** The line saying pending failures passed: a green run must not hide them (decision 0015). */
function pendingLine(result: VerificationResult): string {
  const pacts = result.pacts
    .filter((p) => p.interactions.some((i) => i.status === 'pending-failed'))
    .map((p) => `${p.consumer} (${p.source})`);
  const n = result.summary.pending;
  return `${n} pending interaction failure${n === 1 ? '' : 's'} did not fail the run (pending pacts: ${pacts.join(', ')})\n`;
}

/** The line saying where the results went: `--publish` would otherwise pass in silence. */
function publishedLine(result: VerificationResult, providerVersion: string): string {
  const published = result.pacts.filter((pact) => pact.published);
  const unpublished = result.pacts.filter((pact) => !pact.published).map((pact) => pact.consumer);
  return (
    `Published the verification results of ${published.length} of ${result.pacts.length} pacts to the broker as provider version ${providerVersion}` +
    (unpublished.length ? ` (not published: ${unpublished.join(', ')}, as the notices above say)` : '') +
    '\n'
  );
}

/** `covenant verify`: verifies a running provider against pact files, URLs or the broker's pacts. */
export function verifyCommand(env: Record<string, string | undefined> = process.env): Command {
  return new Command('verify')
    .summary('verify a running provider against its pacts')
    .description(
      'Replay the pacts against a running provider and compare its responses (and messages) with them. ' +
        'The pacts come from files, directories and URLs, or from the Pact Broker (--broker-base-url with ' +
        'selectors); with --publish the results go back to the broker. Exit status 0 only when they pass.',
    )
    .argument('[pacts...]', 'pact files, directories of pact files, and pact URLs')
    .option(
      '--provider <name>',
      'the provider name (default: the ones the pact files name; a broker or --publish needs one)',
    )
    .option('--provider-base-url <url>', 'where the provider listens, e.g. http://localhost:8080')
    .option(
      '--message-url <url>',
      'the provider endpoint that makes messages (a URL, or a path on the base URL)',
    )
    .option('--state-change-url <url>', 'called with POST {state, params, action} to set up provider states')
    .option('--no-state-change-teardown', 'do not call the state change URL to tear states down')
    .option(
      '-b, --broker-base-url <url>',
      'fetch the pacts from this broker (default: PACT_BROKER_BASE_URL when no pacts are given)',
    )
    .addOption(new Option('--broker-url <url>').hideHelp())
    .addOption(new Option('-u, --broker-username <name>', 'basic auth username').env('PACT_BROKER_USERNAME'))
    .addOption(
      new Option('-p, --broker-password <password>', 'basic auth password').env('PACT_BROKER_PASSWORD'),
    )
    .addOption(new Option('-k, --broker-token <token>', 'bearer token').env('PACT_BROKER_TOKEN'))
    .option(
      '--consumer-version-selectors <json>',
      'which pacts the broker sends, as JSON (repeatable)',
      selectorsJson,
      [],
    )
    .option(
      '--consumer-version-tags <tags>',
      'shorthand for selectors of the latest with these tags',
      list,
      [],
    )
    .option('--enable-pending', 'a pact not yet verified successfully by this provider does not fail the run')
    .option(
      '--include-wip-pacts-since <date>',
      'also verify work-in-progress pacts published since this date',
    )
    .option('--publish', 'publish the results to the broker (needs --provider-version)')
    .addOption(new Option('--publish-verification-results').hideHelp())
    .addOption(
      new Option('--provider-version <version>', 'the provider version the results are for').env(
        'PACT_PROVIDER_VERSION',
      ),
    )
    .addOption(new Option('--provider-app-version <version>').hideHelp())
    .option('--provider-branch <branch>', 'the provider version branch')
    .option(
      '--provider-version-tags <tags>',
      'tags for the provider version (repeatable, comma-separated)',
      list,
      [],
    )
    .option('--build-url <url>', 'the CI build, recorded with the results')
    .option(
      '--reporter <reporter>',
      'console, json:FILE or junit:FILE (repeatable; default console)',
      list,
      [],
    )
    .addOption(outputOption(['text', 'json'], 'text, or json: the result as JSON on stdout'))
    .option('--filter-consumer <name>', 'only the pacts of this consumer (repeatable)', list, [])
    .option('--filter-description <regex>', 'only interactions whose description matches')
    .option('--filter-state <regex>', 'only interactions with a provider state that matches')
    .option('--filter-no-state', 'only interactions without provider states')
    .option('--custom-header <header>', "add 'Name: value' to every request (repeatable)", header, {})
    .option('--timeout <ms>', 'per-request timeout in milliseconds (default 30000)', milliseconds)
    .option('--insecure', "accept the provider's TLS certificate without checking it")
    .option('--tls-ca <file>', "a CA certificate (PEM) to trust for the provider's TLS certificate")
    .option('--tls-cert <file>', 'a client certificate (PEM) for a provider that requires one (mTLS)')
    .option('--tls-key <file>', "the client certificate's private key (PEM)")
    .addOption(
      new Option(
        '--log-level <level>',
        'log trace, debug, info, warn or error lines (to stderr or --log-file)',
      ).choices(['trace', 'debug', 'info', 'warn', 'error', 'off']),
    )
    .option('--log-file <file>', 'append the log to this file (at info unless --log-level)')
    .option('--no-fail-if-no-pacts-found', 'pass when there are no pacts to verify')
    .addHelpText(
      'after',
      `
Examples:
  $ covenant verify pacts/ --provider-base-url http://localhost:8080 --state-change-url http://localhost:8080/_pact/state
  $ covenant verify --provider UserService --provider-base-url http://localhost:8080 \\
      --broker-base-url https://broker.example.com --consumer-version-selectors '[{"mainBranch":true},{"deployedOrReleased":true}]' \\
      --enable-pending --include-wip-pacts-since 2026-01-01 \\
      --publish --provider-version $(git rev-parse HEAD) --provider-branch main
  $ covenant verify pacts/web-orders.json --provider Orders --message-url http://localhost:8080/_pact/message --reporter junit:reports/pact.xml`,
    )
    .action(
      async (
        given: string[],
        opts: VerifyOptions & {
          brokerUrl?: string;
          publishVerificationResults?: boolean;
          providerAppVersion?: string;
        },
      ) => {
        // quoted patterns are expanded as for publish and stub; the verifier reads files, directories and URLs
        const pacts = await expandPatterns(given);
        const brokerUrl =
          opts.brokerBaseUrl ?? opts.brokerUrl ?? (pacts.length === 0 ? env.PACT_BROKER_BASE_URL : undefined);
        if (pacts.length === 0 && !brokerUrl) {
          throw cliError(
            'COV_CLI_OPTIONS_INVALID',
            'no pacts to verify: give pact files, directories or URLs, or --broker-base-url (or PACT_BROKER_BASE_URL) with --provider',
          );
        }
        // a broker URL that is not http(s) is refused by the verifier's BrokerClient, before any request
        if (!brokerUrl) {
          // they choose among a broker's pacts: without one they would be ignored, and the run not what was asked
          const brokerOnly = [
            opts.consumerVersionSelectors.length ? '--consumer-version-selectors' : '',
            opts.consumerVersionTags.length ? '--consumer-version-tags' : '',
            opts.enablePending ? '--enable-pending' : '',
            opts.includeWipPactsSince ? '--include-wip-pacts-since' : '',
          ].filter(Boolean);
          if (brokerOnly.length)
            throw cliError(
              'COV_CLI_OPTIONS_INVALID',
              `${brokerOnly.join(', ')} choose${brokerOnly.length === 1 ? 's' : ''} among a broker's pacts: give --broker-base-url (the pacts given as files and URLs are all verified)`,
            );
        }
        if (!opts.providerBaseUrl && !opts.messageUrl) {
          throw cliError(
            'COV_CLI_OPTIONS_INVALID',
            'where is the provider? Pass --provider-base-url (or --message-url for messages)',
          );
        }
        const providerVersion = opts.providerVersion ?? opts.providerAppVersion;
        const publish = opts.publish === true || opts.publishVerificationResults === true;
        const named = opts.provider ? [opts.provider] : await providersOfFiles(pacts);
        // the broker's pacts and published results are a single provider's; files are verified as
        // the official verifier does, each against the provider it names
        if (named.length !== 1 && (brokerUrl || publish)) {
          const why = brokerUrl ? "the broker's pacts are fetched for" : 'results are published for';
          throw cliError(
            'COV_CLI_OPTIONS_INVALID',
            named.length === 0
              ? `which provider? Pass --provider NAME (${why} one provider)`
              : `which provider? The pacts name ${named.join(', ')}, and ${why} one provider: pass --provider NAME, or verify each provider's pacts on its own`,
          );
        }
        const provider = named.length ? named.join(', ') : "each pact's provider";
        if (publish && !providerVersion) {
          throw cliError(
            'COV_CLI_OPTIONS_INVALID',
            '--publish needs --provider-version (a git SHA is the usual choice)',
          );
        }
        const json = opts.output === 'json';
        // loaded here: the other commands need not pay for the verifier's start-up
        const verifier = await import('@covenant/verifier');
        const reporters = (opts.reporter.length ? opts.reporter : json ? [] : ['console']).map((spec) =>
          reporterOf(spec, verifier, json),
        );
        // the console report is itself the progress; otherwise count interactions on a TTY's stderr
        if (!reporters.length || !process.stdout.isTTY) {
          const counter = progress(undefined, 'Verified interactions:');
          reporters.push({
            interactionFinished: (p) => counter.tick(p.consumer),
            finished: () => counter.end(),
          });
        }
        const selectors = [
          ...opts.consumerVersionSelectors,
          ...opts.consumerVersionTags.map((tag) => ({ tag, latest: true })),
        ];
        const auth = {
          ...(opts.brokerUsername !== undefined ? { username: opts.brokerUsername } : {}),
          ...(opts.brokerPassword !== undefined ? { password: opts.brokerPassword } : {}),
          ...(opts.brokerToken !== undefined ? { token: opts.brokerToken } : {}),
        };
        const options: VerifierOptions = {
          provider,
          ...(opts.providerBaseUrl ? { providerBaseUrl: opts.providerBaseUrl } : {}),
          ...(opts.messageUrl ? { messageUrl: opts.messageUrl } : {}),
          ...(pacts.length ? { pactUrls: pacts, pactUrlAuth: auth } : {}),
          ...(brokerUrl
            ? {
                broker: {
                  baseUrl: brokerUrl,
                  env: {},
                  ...auth,
                  ...(selectors.length ? { consumerVersionSelectors: selectors } : {}),
                  includePendingStatus: opts.enablePending === true,
                  ...(opts.includeWipPactsSince ? { includeWipPactsSince: opts.includeWipPactsSince } : {}),
                  ...(opts.providerBranch ? { providerVersionBranch: opts.providerBranch } : {}),
                  ...(opts.providerVersionTags.length
                    ? { providerVersionTags: opts.providerVersionTags }
                    : {}),
                },
              }
            : {}),
          ...(opts.stateChangeUrl ? { stateChangeUrl: opts.stateChangeUrl } : {}),
          stateChangeTeardown: opts.stateChangeTeardown,
          ...(Object.keys(opts.customHeader).length ? { customHeaders: opts.customHeader } : {}),
          ...(opts.timeout ? { timeoutMs: opts.timeout } : {}),
          ...(opts.insecure || opts.tlsCa || opts.tlsCert || opts.tlsKey
            ? {
                tls: {
                  ...(opts.insecure ? { insecure: true } : {}),
                  ...(opts.tlsCa ? { ca: opts.tlsCa } : {}),
                  ...(opts.tlsCert ? { cert: opts.tlsCert } : {}),
                  ...(opts.tlsKey ? { key: opts.tlsKey } : {}),
                },
              }
            : {}),
          ...(opts.logLevel ? { logLevel: opts.logLevel as NonNullable<VerifierOptions['logLevel']> } : {}),
          ...(opts.logFile ? { logFile: opts.logFile } : {}),
          filter: {
            ...(opts.filterConsumer.length ? { consumer: opts.filterConsumer } : {}),
            ...(opts.filterDescription ? { description: opts.filterDescription } : {}),
            ...(opts.filterState ? { state: opts.filterState } : {}),
            ...(opts.filterNoState ? { noState: true } : {}),
          },
          ...(publish && providerVersion
            ? {
                publish: {
                  providerVersion,
                  ...(opts.providerBranch ? { providerBranch: opts.providerBranch } : {}),
                  ...(opts.providerVersionTags.length ? { providerTags: opts.providerVersionTags } : {}),
                  ...(opts.buildUrl ? { buildUrl: opts.buildUrl } : {}),
                },
              }
            : {}),
          reporters,
          failIfNoPactsFound: opts.failIfNoPactsFound,
          env,
        };
        const result = await verifier.verifyProvider(options);
        if (json) printJson(resultJson(result));
        if (options.publish)
          (json ? process.stderr : process.stdout).write(
            publishedLine(result, options.publish.providerVersion),
          );
        if (result.summary.pending > 0) (json ? process.stderr : process.stdout).write(pendingLine(result));
        if (!result.success) process.exitCode = 1;
      },
    );
}
