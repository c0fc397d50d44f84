// The Node side of writing pacts from a browser: the page sends the interactions as pact text
// through the test runner's bridge (Vitest browser mode's commands), and this writes them with
// the same lock and merge rules as a Node test.
import { isAbsolute, resolve } from 'node:path';
import { readPact } from '@covenant/core';
import { consumerError } from './errors.js';
import { type PactFileOptions, writeInteractions } from './pact-writer.js';

/** What the browser sends: where the pact goes, and a V4 pact text holding the interactions to add. */
export interface PactWriteRequest {
  options: PactFileOptions;
  pact: string;
}

/**
 * Writes a browser test's interactions to its pact file, a relative `dir` taken from `root`.
 * Returns the pact file's path. `pactCommands` calls it for Vitest; another runner's Node side
 * calls it with what its page sent.
 *
 * @example
 * // the Node side of a runner's page-to-Node channel
 * const pactFile = await writePactRequest(message as PactWriteRequest, process.cwd());
 */
export async function writePactRequest(request: PactWriteRequest, root: string): Promise<string> {
  if (typeof request?.pact !== 'string' || typeof request.options?.consumer !== 'string') {
    throw consumerError(
      'COV_CONSUMER_PACT_WRITE_FAILED',
      'the browser sent no pact to write: call the writer given to setPactWriter() with what Covenant passes it',
    );
  }
  const dir = request.options.dir ?? 'pacts';
  const options = { ...request.options, dir: isAbsolute(dir) ? dir : resolve(root, dir) };
  const pact = readPact(request.pact, 'the pact sent by the browser');
  return writeInteractions(options, pact.interactions);
}

/**
 * Vitest browser-mode commands that write pact files for tests running in the page. Register them
 * in the Vitest config and hand the command to the browser entry's `setPactWriter` in a setup file.
 *
 * @example
 * // vitest.config.ts
 * test: { browser: { enabled: true, commands: pactCommands, ... } }
 * // setup file, in the browser
 * import { commands } from 'vitest/browser';
 * setPactWriter((request) => commands.covenantWritePact(request));
 */
export const pactCommands = {
  covenantWritePact: (context: { project: { config: { root: string } } }, request: PactWriteRequest) =>
    writePactRequest(request, context.project.config.root),
};
