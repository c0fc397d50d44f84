import { CovenantError } from '@covenant/core';
import { Command, CommanderError } from 'commander';
import { brokerCommand } from './broker-command.js';
import {
  createEnvironmentCommand,
  createOrUpdatePacticipantCommand,
  createVersionTagCommand,
  describeVersionCommand,
  listEnvironmentsCommand,
  recordDeploymentCommand,
  recordReleaseCommand,
  recordSupportEndedCommand,
  recordUndeploymentCommand,
  updateEnvironmentCommand,
} from './broker-commands.js';
import { brokerResourceCommands } from './broker-resource-commands.js';
import { canIDeployCommand, canIMergeCommand } from './can-i-deploy-command.js';
import { compareCommand } from './compare-command.js';
import { cliError } from './errors.js';
import { cliVersion } from './package-info.js';
import { pactCommand } from './pact-command.js';
import { publishCommand } from './publish-command.js';
import { publishProviderContractCommand } from './publish-provider-contract-command.js';
import { stubCommand } from './stub-command.js';
import { verifyCommand } from './verify-command.js';
import {
  createOrUpdateWebhookCommand,
  createWebhookCommand,
  deleteWebhookCommand,
  generateUuidCommand,
  testWebhookCommand,
} from './webhook-commands.js';

/**
 * The `covenant` program (also run as `pact-broker`, for CI scripts written for the official CLI).
 *
 * @example await program().parseAsync(['node', 'covenant', 'list-environments', '-b', 'http://localhost:9292'])
 */
export function program(name = 'covenant'): Command {
  const cli = new Command(name)
    .description(
      'Covenant: Pact contract testing — the broker, publishing, can-i-deploy, verification and stubs',
    )
    .version(cliVersion)
    // a subcommand's own --version (a pacticipant version) must not print the program's version
    .enablePositionalOptions()
    .addCommand(brokerCommand())
    .addCommand(publishCommand())
    .addCommand(canIDeployCommand())
    .addCommand(canIMergeCommand())
    .addCommand(recordDeploymentCommand())
    .addCommand(recordUndeploymentCommand())
    .addCommand(recordReleaseCommand())
    .addCommand(recordSupportEndedCommand())
    .addCommand(createEnvironmentCommand())
    .addCommand(updateEnvironmentCommand())
    .addCommand(listEnvironmentsCommand())
    .addCommand(describeVersionCommand())
    .addCommand(createVersionTagCommand())
    .addCommand(createOrUpdatePacticipantCommand())
    .addCommand(createWebhookCommand())
    .addCommand(createOrUpdateWebhookCommand())
    .addCommand(deleteWebhookCommand())
    .addCommand(testWebhookCommand())
    .addCommand(generateUuidCommand())
    .addCommand(verifyCommand())
    .addCommand(stubCommand())
    .addCommand(pactCommand())
    .addCommand(compareCommand())
    .addCommand(publishProviderContractCommand())
    // the official CLI's `pact-broker version`, for scripts that ask it
    .addCommand(
      new Command('version')
        .description('print the version of the command line')
        .addHelpText('after', '\nExamples:\n  $ covenant version')
        .action(() => {
          process.stdout.write(`${cliVersion}\n`);
        }),
    );
  for (const command of brokerResourceCommands()) cli.addCommand(command);
  return cli;
}

/**
 * Makes commander throw instead of exiting, in every (sub)command, so the CLI can run in-process;
 * its usage errors are not printed by commander but recorded, with the path of the command they
 * belong to, for `main` to print as a coded error.
 */
function throwInsteadOfExit(command: Command, path: string, failed: { path?: string }): void {
  command.exitOverride().configureOutput({
    outputError: () => {
      failed.path = path;
    },
  });
  for (const sub of command.commands) throwInsteadOfExit(sub, `${path} ${sub.name()}`, failed);
}

/**
 * Runs the CLI; errors become one readable message and exit status 1, never a stack trace. It sets
 * `process.exitCode` rather than exiting, so scripts can run commands in their own process.
 *
 * @example await main(['node', 'covenant', 'can-i-deploy', '-a', 'Web', '-e', sha, '--to-environment', 'production'])
 */
export async function main(argv: string[], name = 'covenant'): Promise<void> {
  const cli = program(name);
  const failed: { path?: string } = {};
  throwInsteadOfExit(cli, name, failed);
  try {
    await cli.parseAsync(argv);
  } catch (caught) {
    let error = caught;
    if (error instanceof CommanderError) {
      // the help or the version, printed by commander already
      if (failed.path === undefined) {
        process.exitCode = error.exitCode;
        return;
      }
      // a usage error (an unknown option, a missing argument, a bad value): coded, with the catalog's hint
      const text = error.message.startsWith('error: ')
        ? error.message.slice('error: '.length)
        : error.message;
      error = cliError('COV_CLI_OPTIONS_INVALID', `${text} (see \`${failed.path} --help\`)`, {
        command: failed.path,
      });
    }
    if (error instanceof CovenantError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

/**
 * Runs the CLI as a process's entry point: like `main`, and a reader that closes the pipe early
 * (`covenant --help | head`) ends the process quietly, as other command-line tools do. Any other
 * failure to write the output ends it with status 1 (and a line on the other stream, if it works),
 * not an uncaught exception.
 */
export async function runAsProcess(name: string): Promise<void> {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      process.exitCode = 1;
      const other = stream === process.stdout ? process.stderr : process.stdout;
      try {
        other.write(
          `${name}: cannot write to ${stream === process.stdout ? 'stdout' : 'stderr'}: ${error.message}\n`,
        );
      } catch {
        // nowhere left to say it
      }
      process.exit(1);
    });
  await main(process.argv, name);
}
