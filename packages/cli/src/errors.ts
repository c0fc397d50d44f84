import { type ErrorCatalog, errorFactory } from '@covenant/core';
import { docsUrl } from './package-info.js';

/** The errors the `covenant` command raises itself (the libraries' errors pass through unchanged). */
export const cliErrors = {
  COV_CLI_OPTIONS_INVALID: {
    title: 'A command was given options that are missing, contradictory or malformed',
    hint: 'Run the command with --help for its options and examples.',
  },
  COV_CLI_PACT_FILES_NOT_FOUND: {
    title: 'No pact files were found at the paths given',
    hint: 'Pass pact files (*.json) or directories holding them; check the path your consumer tests write pacts to.',
  },
  COV_CLI_PACT_FILE_UNREADABLE: {
    title: 'A pact file could not be read or is not a pact',
    hint: 'Check the path and that the file is a pact written by a Pact library (`covenant pact validate FILE` says what is wrong).',
  },
  COV_CLI_PACT_FILE_INVALID: {
    title:
      'publish --validate --strict found fields the Pact specification does not define, or no interactions, in a pact file',
    hint: 'Fix what the message names (often a misspelt field, which Pact implementations ignore), or publish without --strict to let them pass as warnings.',
  },
  COV_CLI_SPEC_UNREADABLE: {
    title: 'An OpenAPI or AsyncAPI document given to `covenant compare` could not be read',
    hint: 'Check the path given to --openapi or --asyncapi and that the file can be read.',
  },
  COV_CLI_OUTPUT_UNWRITABLE: {
    title: 'A file or directory the command writes to cannot be written',
    hint: 'Give a path you can write to; it must not be, or lie under, an existing file.',
  },
  COV_CLI_STUB_LISTEN_FAILED: {
    title: 'The stub server cannot listen on the given host and port',
    hint: 'Pass --port 0 for a free port (the URL is printed) or another --port, or stop what is using the port; --host must be an address of this machine.',
  },
  COV_CLI_VERSION_UNKNOWN: {
    title: 'The consumer version to publish under is not given and could not be detected',
    hint: 'Pass --consumer-app-version (a git SHA is the usual choice), or -r to detect it inside a git checkout or a CI job that sets the commit variables.',
  },
  COV_CLI_BROKER_NOT_INSTALLED: {
    title: '`covenant broker` was run where the @covenant/broker package is not installed',
    hint: `Install it beside the CLI: \`npm install @covenant/broker\` (it is an optional peer, so jobs that only publish and ask can-i-deploy compile no SQLite); see ${docsUrl('cli.md#covenant-broker')}`,
  },
  COV_CLI_ENVIRONMENT_NOT_FOUND: {
    title: 'The environment named by --to-environment does not exist in the broker',
    hint: `Create it once with \`covenant create-environment --name NAME\` (add --production for production); \`covenant list-environments\` lists those there are; see ${docsUrl('cli.md#environments')}`,
  },
} as const satisfies ErrorCatalog;

export type CliErrorCode = keyof typeof cliErrors;

export const cliError = errorFactory(cliErrors);
