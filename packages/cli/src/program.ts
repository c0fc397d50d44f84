import { CovenantError } from '@covenant/core';
import { Command } from 'commander';
import { brokerCommand } from './broker-command.js';

/** The `covenant` program. */
export function program(): Command {
  return new Command('covenant')
    .description('Covenant: Pact contract testing')
    .version('0.1.0')
    .addCommand(brokerCommand());
}

/** Runs the CLI; errors become one readable message and exit status 1, never a stack trace. */
export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (error) {
    if (error instanceof CovenantError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`covenant: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
