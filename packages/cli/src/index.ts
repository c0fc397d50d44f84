/** @covenant/cli — the `covenant` command. */

export { brokerCommand } from './broker-command.js';
export type { CliErrorCode } from './errors.js';
export { cliError, cliErrors } from './errors.js';
export { main, program } from './program.js';
