#!/usr/bin/env node
// `npm test` in an example: runs its Vitest tests with the seed's options as flags. Vitest rejects
// flags it doesn't know, so this wrapper turns them into the environment variables the tests read.
//
//   --publish-pact <version>     publish the consumer's pact with this consumer version (PUBLISH_PACT)
//   --publish-results <version>  verify from the broker and publish results as this provider version (PUBLISH_RESULTS)
//   --run-broker                 use the broker answering at PACT_BROKER_BASE_URL, or start one (RUN_BROKER=1)
//   other arguments              Vitest file filters
import { parseArgs } from 'node:util';
import { startVitest } from 'vitest/node';

const usage =
  'usage: npm test -- [--publish-pact <consumer version>] [--publish-results <provider version>] [--run-broker] [file filter...]';

let parsed;
try {
  parsed = parseArgs({
    options: {
      'publish-pact': { type: 'string' },
      'publish-results': { type: 'string' },
      'run-broker': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
for (const flag of ['publish-pact', 'publish-results']) {
  if (values[flag] !== undefined && values[flag].trim() === '') {
    process.stderr.write(`--${flag} needs a version, e.g. --${flag} 2\n${usage}\n`);
    process.exit(2);
  }
}
if (values['publish-pact'] !== undefined) process.env.PUBLISH_PACT = values['publish-pact'];
if (values['publish-results'] !== undefined) process.env.PUBLISH_RESULTS = values['publish-results'];
if (values['run-broker']) process.env.RUN_BROKER = '1';
process.env.PACT_DO_NOT_TRACK ??= 'true';

const vitest = await startVitest('test', positionals, { run: true, watch: false, root: process.cwd() });
await vitest?.close();
// Vitest sets process.exitCode when something failed; no Vitest at all is a failure too
if (!vitest) process.exitCode = 1;
