import { readFile } from 'node:fs/promises';
import { type BuildInfo, detectBuildInfo } from '@covenant/broker-client';
import { readProviderContract } from '@covenant/contracts';
import { Command } from 'commander';
import { type BrokerConnection, brokerClient, outputOption, withBrokerOptions } from './broker-options.js';
import { cliError } from './errors.js';
import { colourEnabled, paint, printJson, printNotices } from './output.js';
import { commaList } from './parsers.js';

interface PublishProviderContractOptions extends BrokerConnection {
  provider: string;
  providerAppVersion?: string;
  branch?: string;
  tag: string[];
  tagWithGitBranch?: boolean;
  buildUrl?: string;
  autoDetectVersionProperties?: boolean;
  specification: string;
  contentType?: string;
  verificationSuccess?: boolean;
  verificationExitCode?: string;
  verificationResults?: string;
  verificationResultsContentType?: string;
  verificationResultsFormat?: string;
  verifier?: string;
  verifierVersion?: string;
  output: string;
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw cliError(
      'COV_CLI_SPEC_UNREADABLE',
      `cannot read ${file} (${what}): ${(error as Error).message}`,
      { file },
      error,
    );
  }
}

/** Whether the self-verification passed: the explicit flag, else the exit code 0, else not. */
function selfVerified(opts: PublishProviderContractOptions): boolean {
  if (opts.verificationSuccess !== undefined) return opts.verificationSuccess;
  if (opts.verificationExitCode !== undefined) {
    if (!/^-?\d+$/.test(opts.verificationExitCode))
      throw cliError(
        'COV_CLI_OPTIONS_INVALID',
        `--verification-exit-code must be a number (the exit status of the provider's own tests), not '${opts.verificationExitCode}'`,
      );
    return Number(opts.verificationExitCode) === 0;
  }
  return false;
}

/**
 * `covenant publish-provider-contract`: publishes a provider's OpenAPI (or AsyncAPI) document, with
 * the results of the provider's own tests of it, for bi-directional contract testing. The flags are
 * those of PactFlow's `pactflow publish-provider-contract`.
 */
export function publishProviderContractCommand(): Command {
  const command = new Command('publish-provider-contract')
    .summary('publish an OpenAPI document as the provider contract (bi-directional testing)')
    .description(
      "Publish a provider's OpenAPI (or AsyncAPI) document to the broker, with the evidence that the " +
        "provider tested it (its own tests' exit code and report). The broker compares every consumer " +
        'pact with it and can-i-deploy counts the comparisons: a pact is compatible when the document ' +
        "allows every interaction, and the provider's self-verification passed. The flags are those of " +
        "PactFlow's `pactflow publish-provider-contract`.",
    )
    .argument('<contract-file>', 'the OpenAPI (3.x or Swagger 2.0) or AsyncAPI 3 document, JSON or YAML')
    .requiredOption('--provider <name>', 'the provider name')
    .option('-a, --provider-app-version <version>', 'the provider version (with -r: default the commit SHA)')
    .option('--branch <branch>', 'the provider version branch (with -r: default detected)')
    .option('-t, --tag <tag>', 'tag the provider version (repeatable, or comma-separated)', commaList, [])
    .option('--tag-with-git-branch', 'also tag the version with its git branch')
    .option('--build-url <url>', 'the CI build that published the contract (with -r: default detected)')
    .option(
      '-r, --auto-detect-version-properties',
      'detect the version, branch and build URL not given from CI variables and git',
    )
    .option('--specification <spec>', "the contract's specification", 'oas')
    .option(
      '--content-type <type>',
      "the document's media type, e.g. application/yaml (default: from its text)",
    )
    .option('--verification-success', "the provider's own tests of the document passed")
    .option('--no-verification-success', "the provider's own tests of the document failed")
    .option('--verification-exit-code <n>', "the exit status of the provider's own tests (0: passed)")
    .option('--verification-results <file>', "the report of the provider's own tests")
    .option('--verification-results-content-type <type>', 'the media type of the report, e.g. text/plain')
    .option('--verification-results-format <format>', 'the format of the report, e.g. junit, text')
    .option('--verifier <tool>', 'the tool that tested the document, e.g. schemathesis, dredd')
    .option('--verifier-version <version>', 'the version of that tool')
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
Examples:
  $ covenant publish-provider-contract openapi.yaml --provider Orders -a $(git rev-parse HEAD) --branch main \\
      --content-type application/yaml --verification-exit-code 0 \\
      --verification-results report.txt --verification-results-content-type text/plain --verifier schemathesis`,
    );
  return withBrokerOptions(command).action(async (file: string, opts: PublishProviderContractOptions) => {
    let detected: BuildInfo | undefined;
    const detect = () => {
      detected ??= detectBuildInfo();
      return detected;
    };
    const auto = opts.autoDetectVersionProperties === true;
    const version = opts.providerAppVersion ?? (auto ? detect().commit : undefined);
    if (!version)
      throw cliError(
        'COV_CLI_VERSION_UNKNOWN',
        'no provider version: pass --provider-app-version (-a), or -r to take the commit from the CI or git',
      );
    const branch = opts.branch ?? (auto ? detect().branch : undefined);
    const buildUrl = opts.buildUrl ?? (auto ? detect().buildUrl : undefined);
    const tags = [...opts.tag];
    if (opts.tagWithGitBranch) {
      const gitBranch = branch ?? detect().branch;
      if (!gitBranch)
        throw cliError('COV_CLI_OPTIONS_INVALID', '--tag-with-git-branch: the git branch is unknown here');
      if (!tags.includes(gitBranch)) tags.push(gitBranch);
    }
    const text = await readText(file, 'the provider contract');
    // checked here, so that a wrong file is named before anything is sent
    const contract = readProviderContract(text, file);
    const contentType =
      opts.contentType ?? (text.trimStart().startsWith('{') ? 'application/json' : 'application/yaml');
    const reported =
      opts.verificationResults === undefined
        ? undefined
        : await readText(opts.verificationResults, '--verification-results');
    const selfVerification =
      opts.verificationResults !== undefined ||
      opts.verifier !== undefined ||
      opts.verifierVersion !== undefined ||
      opts.verificationSuccess !== undefined ||
      opts.verificationExitCode !== undefined
        ? {
            success: selfVerified(opts),
            ...(reported !== undefined ? { content: Buffer.from(reported).toString('base64') } : {}),
            ...(opts.verificationResultsContentType
              ? { contentType: opts.verificationResultsContentType }
              : {}),
            ...(opts.verificationResultsFormat ? { format: opts.verificationResultsFormat } : {}),
            ...(opts.verifier ? { verifier: opts.verifier } : {}),
            ...(opts.verifierVersion ? { verifierVersion: opts.verifierVersion } : {}),
          }
        : undefined;
    const broker = brokerClient(opts);
    const href = broker.relation(await broker.index(), 'pf:publish-provider-contract', {
      provider: opts.provider,
    });
    const answer = await broker.request<{ notices?: Array<{ type?: string; text?: string }> }>('POST', href, {
      pacticipantVersionNumber: version,
      ...(branch ? { branch } : {}),
      ...(tags.length > 0 ? { tags } : {}),
      ...(buildUrl ? { buildUrl } : {}),
      contract: {
        content: Buffer.from(text).toString('base64'),
        contentType,
        specification: contract.kind === 'asyncapi' ? 'asyncapi' : opts.specification,
        ...(selfVerification ? { selfVerificationResults: selfVerification } : {}),
      },
    });
    if (opts.output === 'json') {
      printJson(answer);
      return;
    }
    const notices = (answer?.notices ?? []).map((n) => ({ when: n.type ?? 'info', text: n.text ?? '' }));
    printNotices(notices, paint(colourEnabled()), opts.verbose === true);
  });
}
