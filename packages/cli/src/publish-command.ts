import { type BuildInfo, detectBuildInfo, type PublishResult } from '@covenant/broker-client';
import { Command } from 'commander';
import { type BrokerConnection, brokerClient, outputOption, withBrokerOptions } from './broker-options.js';
import { cliError } from './errors.js';
import { colourEnabled, paint, printJson, printNotices, progress } from './output.js';
import { type PactFile, pactFilesIn, readPactFile } from './pact-files.js';
import { pactFindings } from './pact-validation.js';
import { commaList } from './parsers.js';

interface PublishOptions extends BrokerConnection {
  consumerAppVersion?: string;
  branch?: string;
  tag: string[];
  tagWithGitBranch?: boolean;
  buildUrl?: string;
  autoDetectVersionProperties?: boolean;
  merge?: boolean;
  validate?: boolean;
  strict?: boolean;
  output: string;
}

/**
 * `--validate`: the findings of every file as warnings on stderr (stdout stays the report, or
 * JSON); with `--strict` they are an error instead, before anything is published.
 */
function validatePactFiles(pacts: PactFile[], strict: boolean): void {
  const findings = pacts.flatMap(({ file, text }) =>
    pactFindings(text).map((finding) => `${file} ${finding.path || '/'}: ${finding.message}`),
  );
  if (findings.length === 0) return;
  if (strict)
    throw cliError(
      'COV_CLI_PACT_FILE_INVALID',
      `nothing was published; --strict refuses what --validate found:\n  ${findings.join('\n  ')}`,
      { findings },
    );
  const colours = paint(colourEnabled(process.stderr));
  for (const finding of findings) process.stderr.write(`${colours.yellow(`warning: ${finding}`)}\n`);
}

/**
 * Splits files into publications: one per consumer, and another (merged into the first) for each
 * repeat of a consumer-provider pair, since one publication holds one pact per provider.
 */
function publications(files: PactFile[]): Array<{ consumer: string; merge: boolean; files: PactFile[] }> {
  const rounds: Array<Map<string, PactFile[]>> = [];
  for (const file of files) {
    const consumer = file.pact.consumer.name;
    let round = 0;
    while (rounds[round]?.get(consumer)?.some((f) => f.pact.provider.name === file.pact.provider.name))
      round++;
    const byConsumer = rounds[round] ?? new Map<string, PactFile[]>();
    rounds[round] = byConsumer;
    byConsumer.set(consumer, [...(byConsumer.get(consumer) ?? []), file]);
  }
  return rounds.flatMap((round, index) =>
    [...round].map(([consumer, group]) => ({ consumer, merge: index > 0, files: group })),
  );
}

/** `covenant publish`: publishes pact files to the broker under a consumer version, branch and tags. */
export function publishCommand(): Command {
  const command = new Command('publish')
    .summary('publish pact files to the Pact Broker')
    .description(
      'Publish pact files (or the *.json files of directories, or the files a quoted pattern such as ' +
        "'pacts/*.json' matches) to the Pact Broker, under a consumer version with its branch, tags and build " +
        'URL. With -r, what is not given of the version, branch and build URL is detected from the CI ' +
        '(GitHub Actions, GitLab, Buildkite, CircleCI, Travis, Azure, Bitbucket, Jenkins) or git, as the ' +
        "official CLI does. Prints the broker's notices.",
    )
    .argument('<pact-files-or-dirs...>', "pact files, directories of them, or patterns ('pacts/*.json')")
    .option('-a, --consumer-app-version <version>', 'the consumer version (with -r: default the commit SHA)')
    .option('--branch <branch>', 'the consumer version branch (with -r: default detected)')
    .option('-t, --tag <tag>', 'tag the consumer version (repeatable, or comma-separated)', commaList, [])
    .option('-g, --tag-with-git-branch', 'also tag the version with its branch')
    .option('--build-url <url>', 'the CI build that published the pacts (with -r: default detected)')
    .option(
      '-r, --auto-detect-version-properties',
      'detect the version, branch and build URL not given from CI variables and git',
    )
    .option(
      '--no-auto-detect-version-properties',
      'use only the version, branch and build URL given (the default)',
    )
    .option('--merge', 'merge the interactions into a pact already published for this version and provider')
    .option(
      '--validate',
      'before publishing, warn of fields the Pact specification does not define and of pacts without interactions',
    )
    .option('--strict', 'with --validate (which it implies): refuse to publish, instead of warning')
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
Examples:
  $ covenant publish ./pacts --consumer-app-version $(git rev-parse HEAD) --branch main
  $ covenant publish 'pacts/web-*.json' -a 1.4.0 -t dev -t prod
  $ PACT_BROKER_BASE_URL=https://broker.example.com covenant publish ./pacts -r   # version, branch, build URL from CI/git`,
    );
  return withBrokerOptions(command).action(async (paths: string[], opts: PublishOptions) => {
    // detected at most once, and only for what is not given (it may run git)
    let detected: BuildInfo | undefined;
    const detect = () => {
      detected ??= detectBuildInfo();
      return detected;
    };
    const auto = opts.autoDetectVersionProperties === true;
    const version = opts.consumerAppVersion ?? (auto ? detect().commit : undefined);
    if (!version) {
      throw cliError(
        'COV_CLI_VERSION_UNKNOWN',
        auto
          ? 'no consumer version: pass --consumer-app-version (this is not a git checkout or a known CI job)'
          : 'no consumer version: pass --consumer-app-version, or -r (--auto-detect-version-properties) to take the commit from the CI or git',
      );
    }
    const branch = opts.branch ?? (auto ? detect().branch : undefined);
    const buildUrl = opts.buildUrl ?? (auto ? detect().buildUrl : undefined);
    const tags = [...opts.tag];
    if (opts.tagWithGitBranch) {
      const gitBranch = branch ?? detect().branch;
      if (!gitBranch)
        throw cliError('COV_CLI_OPTIONS_INVALID', '--tag-with-git-branch: the git branch is unknown here');
      if (!tags.includes(gitBranch)) tags.push(gitBranch);
    }
    const broker = brokerClient(opts);
    const files = await pactFilesIn(paths);
    const reading = progress(files.length, 'Reading pact files');
    const pacts: PactFile[] = [];
    for (const file of files) {
      pacts.push(await readPactFile(file));
      reading.tick(file);
    }
    reading.end();
    if (opts.validate || opts.strict) validatePactFiles(pacts, opts.strict === true);
    const colours = paint(colourEnabled());
    const json = opts.output === 'json';
    const results: Array<{ consumer: string; files: string[] } & PublishResult> = [];
    const groups = publications(pacts).map((group) => ({
      ...group,
      publication: {
        consumer: group.consumer,
        version,
        branch,
        tags,
        buildUrl,
        merge: opts.merge === true || group.merge,
        pacts: group.files.map((f) => f.text),
      },
    }));
    // every publication within the broker's body limit before the first is sent: none half published
    for (const group of groups) await broker.checkPublicationSize(group.publication);
    const sending = progress(groups.length, 'Publishing');
    for (const group of groups) {
      const result = await broker.publishPacts(group.publication);
      sending.tick(group.consumer);
      results.push({ consumer: group.consumer, files: group.files.map((f) => f.file), ...result });
      if (!json) printNotices(result.notices, colours, opts.verbose === true);
    }
    sending.end();
    if (json) {
      printJson({
        version,
        ...(branch ? { branch } : {}),
        tags,
        ...(buildUrl ? { buildUrl } : {}),
        publications: results.map((r) => ({
          consumer: r.consumer,
          files: r.files,
          notices: r.notices.map((n) => ({ type: n.when, text: n.text })),
          contracts: r.contracts,
        })),
      });
    } else if (results.every((r) => r.notices.length === 0)) {
      process.stdout.write(
        colours.green(
          `Published ${files.length} pact file${files.length === 1 ? '' : 's'} as version ${version}${branch ? ` (branch ${branch})` : ''}\n`,
        ),
      );
    }
  });
}
