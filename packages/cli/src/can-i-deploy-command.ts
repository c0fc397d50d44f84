import type {
  BrokerClient,
  CanIDeployQuery,
  CanIDeployResult,
  IgnoreSelector,
  MatrixSelector,
} from '@covenant/broker-client';
import { CovenantError } from '@covenant/core';
import { Command, InvalidArgumentError } from 'commander';
import { type BrokerConnection, brokerClient, outputOption, withBrokerOptions } from './broker-options.js';
import { cliError } from './errors.js';
import { colourEnabled, colourNotice, type Paint, paint, printJson, table } from './output.js';
import { count } from './parsers.js';

interface CanIDeployOptions extends BrokerConnection {
  toEnvironment?: string;
  to?: string;
  retryWhileUnknown: number;
  retryInterval: number;
  dryRun?: boolean;
  output: string;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('give a number of seconds, 0 or more');
  return n;
}

/** The official CLI's text report: a verdict, the matrix table, the verification URLs, the reasons. */
function report(result: CanIDeployResult, colours: Paint): string {
  const lines: string[] = [];
  lines.push(
    result.deployable === true
      ? colours.green('Computer says yes \\o/')
      : colours.red('Computer says no ¯\\_(ツ)_/¯'),
    '',
  );
  const verified = result.rows.filter((r) => r.verification?.url);
  if (result.rows.length > 0) {
    const rows = result.rows.map((r) => {
      const index = r.verification ? verified.indexOf(r) + 1 : 0;
      return [
        r.consumer.name,
        r.consumer.version ?? '???',
        r.provider.name,
        r.provider.version ?? '???',
        r.verification ? `${r.verification.success}${r.verification.pending ? ' (pending)' : ''}` : '???',
        `${index > 0 ? String(index) : ''}${r.ignored ? ' [ignored]' : ''}`.trim(),
      ];
    });
    lines.push(table(['CONSUMER', 'C.VERSION', 'PROVIDER', 'P.VERSION', 'SUCCESS?', 'RESULT#'], rows), '');
  }
  if (verified.length > 0) {
    lines.push('VERIFICATION RESULTS', '--------------------');
    verified.forEach((r, i) => {
      const outcome = r.verification?.success
        ? 'success'
        : r.verification?.pending
          ? 'failure, pending'
          : 'failure';
      lines.push(`${i + 1}. ${r.verification?.url} (${outcome})`);
    });
    lines.push('');
  }
  if (result.notices.length > 0) {
    for (const n of result.notices) lines.push(colourNotice(n.type, n.text, colours));
  } else if (result.reason) lines.push(result.reason);
  return `${lines.join('\n')}\n`;
}

/**
 * The broker refuses a matrix query naming an environment it lacks with a generic 400; when that
 * is why, the error says so and how to create it (or lists the ones there are).
 */
async function withMissingEnvironment(
  error: unknown,
  client: BrokerClient,
  environment: string | undefined,
): Promise<unknown> {
  if (!(error instanceof CovenantError) || error.code !== 'COV_BROKER_CLIENT_REQUEST_FAILED' || !environment)
    return error;
  const names = await client.environments().then(
    (list) => list.map((e) => e.name),
    () => undefined,
  );
  if (names === undefined || names.includes(environment)) return error;
  return cliError(
    'COV_CLI_ENVIRONMENT_NOT_FOUND',
    `the broker has no environment '${environment}' (it has: ${names.join(', ') || 'none'})`,
    { environment },
    error,
  );
}

/**
 * `covenant can-i-deploy`: asks the broker whether versions can be deployed; exit status 0 only
 * when they can (or with --dry-run).
 */
export function canIDeployCommand(env: Record<string, string | undefined> = process.env): Command {
  // --version, --latest, --branch and --main-branch belong to the --pacticipant (or --ignore) before them
  const selectors: MatrixSelector[] = [];
  const ignore: IgnoreSelector[] = [];
  let last: 'selector' | 'ignore' = 'selector';
  const current = (flag: string): MatrixSelector => {
    const selector = selectors.at(-1);
    // a coded error, not commander's: thrown from an option event it would reach main() unprinted
    if (!selector)
      throw cliError('COV_CLI_OPTIONS_INVALID', `${flag} must come after the --pacticipant it is about`);
    return selector;
  };
  // the selectors given --no-main-branch or --skip-main-branch, and which of the two
  const withoutMainBranch = new Map<MatrixSelector, string>();
  const refuseMainBranchWithout = (selector: MatrixSelector) => {
    const flag = withoutMainBranch.get(selector);
    if (flag !== undefined)
      throw cliError(
        'COV_CLI_OPTIONS_INVALID',
        `--main-branch and ${flag} contradict each other for --pacticipant ${selector.pacticipant}; give one`,
      );
  };
  const notMainBranch = (flag: string) => (value: string) => {
    const selector = selectors.at(-1);
    if (selector) {
      withoutMainBranch.set(selector, flag);
      if (selector.mainBranch) refuseMainBranchWithout(selector);
    }
    return value;
  };
  for (const name of (env.PACT_BROKER_CAN_I_DEPLOY_IGNORE ?? '').split(',').map((n) => n.trim()))
    if (name) ignore.push({ pacticipant: name });

  const command = new Command('can-i-deploy')
    .summary('ask the broker whether a version can be deployed')
    .description(
      'Check with the Pact Broker that an application version has successful verification results with ' +
        'every version of the applications it integrates with that are in the target environment (or have ' +
        'the target tag). Exit status 0 only when it can be deployed.',
    )
    .option('-a, --pacticipant <name>', 'an application to check (repeatable)', (value: string) => {
      selectors.push({ pacticipant: value });
      last = 'selector';
      return value;
    })
    .option(
      '-e, --version <version>',
      'the version of the --pacticipant (or --ignore) before it',
      (value: string) => {
        if (last === 'ignore' && ignore.length > 0) ignore[ignore.length - 1]!.version = value;
        else current('--version').version = value;
        return value;
      },
    )
    .option(
      '-l, --latest [tag]',
      'the latest version of the --pacticipant (with this tag; for a branch, use --branch)',
    )
    // an event, not a parser: commander calls no parser when the optional tag is left out
    .on('option:latest', (value: string | null) => {
      const selector = current('--latest');
      selector.latest = true;
      if (typeof value === 'string') selector.tag = value;
    })
    .option(
      '--tag <tag>',
      'the versions of the --pacticipant with this tag (--latest TAG: only the latest of them)',
      (value: string) => {
        current('--tag').tag = value;
        return value;
      },
    )
    .option(
      '--branch <branch>',
      'the latest version of the --pacticipant on this branch',
      (value: string) => {
        current('--branch').branch = value;
        return value;
      },
    )
    .option('--main-branch', "the latest version of the --pacticipant's main branch")
    .on('option:main-branch', () => {
      const selector = current('--main-branch');
      refuseMainBranchWithout(selector);
      selector.mainBranch = true;
    })
    // the official CLI's: they take a value (any; it is not read), change no query, and only
    // contradict --main-branch on the same --pacticipant, so a script that passes them still runs
    .option(
      '--no-main-branch <value>',
      'do not use the main branch for the --pacticipant before it (the value, e.g. true, is not read)',
      notMainBranch('--no-main-branch'),
    )
    .option(
      '--skip-main-branch <value>',
      'the same as --no-main-branch (the value is not read)',
      notMainBranch('--skip-main-branch'),
    )
    .option('--to-environment <environment>', 'the environment to deploy to')
    .option(
      '--to <tag>',
      'deploy alongside the latest versions with this tag (the older, tag-based workflow)',
    )
    .option(
      '--ignore <pacticipant>',
      'ignore missing or failed results with this application (repeatable; or PACT_BROKER_CAN_I_DEPLOY_IGNORE)',
      (value: string) => {
        ignore.push({ pacticipant: value });
        last = 'ignore';
        return value;
      },
    )
    .option('--retry-while-unknown <times>', 'ask again this many times while results are missing', count, 0)
    .option('--retry-interval <seconds>', 'seconds between the retries', seconds, 10)
    // not commander's .env(): on a flag it would turn dry run on for any value, `false` included
    .option('--dry-run', 'print the answer but always exit 0 (or PACT_BROKER_CAN_I_DEPLOY_DRY_RUN=true)')
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
Examples:
  $ covenant can-i-deploy --pacticipant Web --version 4c1b2a7 --to-environment production
  $ covenant can-i-deploy -a Web -e 4c1b2a7 -a UserService --branch main    # with main's latest
  $ covenant can-i-deploy -a Web -e 4c1b2a7 -a UserService --latest prod    # with the latest tagged prod
  $ covenant can-i-deploy -a Web --branch main --to-environment test --retry-while-unknown 12 --retry-interval 10
  $ covenant can-i-deploy -a Web -e 4c1b2a7 --to-environment production --output json`,
    );
  return withBrokerOptions(command).action(async (opts: CanIDeployOptions) => {
    if (selectors.length === 0) {
      throw cliError(
        'COV_CLI_OPTIONS_INVALID',
        'can-i-deploy needs --pacticipant NAME followed by --version VERSION',
      );
    }
    for (const s of selectors) {
      if (
        s.version === undefined &&
        !s.latest &&
        s.tag === undefined &&
        s.branch === undefined &&
        !s.mainBranch
      ) {
        throw cliError(
          'COV_CLI_OPTIONS_INVALID',
          `which version of ${s.pacticipant}? Follow --pacticipant ${s.pacticipant} with --version, --latest [TAG], --tag, --branch or --main-branch`,
        );
      }
    }
    if (opts.toEnvironment !== undefined && opts.to !== undefined) {
      throw cliError('COV_CLI_OPTIONS_INVALID', 'give --to-environment or --to, not both');
    }
    const query: CanIDeployQuery = {
      selectors,
      ...(opts.toEnvironment !== undefined ? { toEnvironment: opts.toEnvironment } : {}),
      ...(opts.to !== undefined ? { toTag: opts.to } : {}),
      ...(ignore.length > 0 ? { ignore } : {}),
    };
    await answer(query, opts, env);
  });
}

/**
 * Asks the broker the matrix question (again while results are unknown, as asked), prints the
 * answer and sets the exit status: 0 only for a yes, or with --dry-run. can-i-deploy and
 * can-i-merge differ only in the question.
 */
async function answer(
  query: CanIDeployQuery,
  opts: CanIDeployOptions,
  env: Record<string, string | undefined>,
): Promise<void> {
  const retries = opts.retryWhileUnknown;
  const client = brokerClient(opts);
  const result = await client
    .canIDeploy(query, {
      retryWhileUnknown: retries,
      retryIntervalMs: opts.retryInterval * 1000,
      onRetry: (attempt) =>
        process.stderr.write(
          `Waiting for verification results to be published (retry ${attempt} of ${retries}, every ${opts.retryInterval} s)\n`,
        ),
    })
    .catch(async (error: unknown) => {
      throw await withMissingEnvironment(error, client, opts.toEnvironment);
    });
  // json: the broker's matrix response itself, every field kept, as the official CLI prints it
  if (opts.output === 'json') printJson(result.body);
  else process.stdout.write(report(result, paint(colourEnabled())));
  const dryRun =
    opts.dryRun === true || /^(true|1)$/i.test(env.PACT_BROKER_CAN_I_DEPLOY_DRY_RUN?.trim() ?? '');
  if (result.deployable !== true) {
    if (dryRun)
      (opts.output === 'json' ? process.stderr : process.stdout).write(
        'Dry run: exiting 0 although the answer is no\n',
      );
    else process.exitCode = 1;
  }
}

/**
 * `covenant can-i-merge`: asks the broker whether versions are compatible with the latest versions
 * of the main branches of the applications they integrate with (the matrix with `mainBranch=true`
 * as the target), so a feature branch can be merged. Exit status 0 only when they are.
 */
export function canIMergeCommand(env: Record<string, string | undefined> = process.env): Command {
  // --version belongs to the --pacticipant before it
  const selectors: MatrixSelector[] = [];
  const command = new Command('can-i-merge')
    .summary('ask the broker whether a version can be merged into the main branch')
    .description(
      'Check with the Pact Broker that an application version has successful verification results with ' +
        'the latest version of the main branch of every application it integrates with. Exit status 0 ' +
        'only when it can be merged.',
    )
    .option('-a, --pacticipant <name>', 'an application to check (repeatable)', (value: string) => {
      selectors.push({ pacticipant: value });
      return value;
    })
    .option('-e, --version <version>', 'the version of the --pacticipant before it', (value: string) => {
      const selector = selectors.at(-1);
      if (!selector)
        throw cliError('COV_CLI_OPTIONS_INVALID', '--version must come after the --pacticipant it is about');
      selector.version = value;
      return value;
    })
    .option('--retry-while-unknown <times>', 'ask again this many times while results are missing', count, 0)
    .option('--retry-interval <seconds>', 'seconds between the retries', seconds, 10)
    .option('--dry-run', 'print the answer but always exit 0 (or PACT_BROKER_CAN_I_DEPLOY_DRY_RUN=true)')
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
Examples:
  $ covenant can-i-merge --pacticipant Web --version 4c1b2a7
  $ covenant can-i-merge -a Web -e 4c1b2a7 --retry-while-unknown 12 --retry-interval 10 --output json`,
    );
  return withBrokerOptions(command).action(async (opts: CanIDeployOptions) => {
    if (selectors.length === 0) {
      throw cliError(
        'COV_CLI_OPTIONS_INVALID',
        'can-i-merge needs --pacticipant NAME followed by --version VERSION',
      );
    }
    const unversioned = selectors.find((s) => s.version === undefined);
    if (unversioned) {
      throw cliError(
        'COV_CLI_OPTIONS_INVALID',
        `which version of ${unversioned.pacticipant}? Follow --pacticipant ${unversioned.pacticipant} with --version`,
      );
    }
    await answer({ selectors, toMainBranch: true }, opts, env);
  });
}
