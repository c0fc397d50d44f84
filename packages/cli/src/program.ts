import { CovenantError } from '@covenant/core';
import { Command } from 'commander';
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
import { canIDeployCommand } from './can-i-deploy-command.js';
import { pactCommand } from './pact-command.js';
import { publishCommand } from './publish-command.js';
import { stubCommand } from './stub-command.js';
import { verifyCommand } from './verify-command.js';

/**
 * The `covenant` program (also run as `pact-broker`, for CI scripts written for the official CLI).
 *
 * @example await program().parseAsync(['node', 'covenant', 'list-environments', '-b', 'http://localhost:9292'])
 */
export function program(name = 'covenant'): Command {
  return (
    new Command(name)
      .description(
        'Covenant: Pact contract testing — the broker, publishing, can-i-deploy, verification and stubs',
      )
      .version('0.1.0')
      // a subcommand's own --version (a pacticipant version) must not print the program's version
      .enablePositionalOptions()
      .showHelpAfterError('(run the command with --help for its options and examples)')
      .addCommand(brokerCommand())
      .addCommand(publishCommand())
      .addCommand(canIDeployCommand())
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
      .addCommand(verifyCommand())
      .addCommand(stubCommand())
      .addCommand(pactCommand())
  );
}

/** Runs the CLI; errors become one readable message and exit status 1, never a stack trace. */
export async function main(argv: string[], name = 'covenant'): Promise<void> {
  try {
    await program(name).parseAsync(argv);
  } catch (error) {
    if (error instanceof CovenantError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
