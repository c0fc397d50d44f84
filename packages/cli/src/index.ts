/** @covenant/cli — the `covenant` command. */

export { brokerCommand } from './broker-command.js';
export { main, program } from './program.js';
