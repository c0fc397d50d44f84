/**
 * Listing and reading pact files, shared by the verifier and the `covenant` CLI (through the
 * package's index, as everything else). Failures are plain Errors whose message says why; each
 * caller wraps them in its own coded error.
 */
import { constants } from 'node:buffer';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The pact files of a directory: its `*.json` entries, sorted, without directories named like a
 * pact (`backup.json/`). Throws Node's error when the directory cannot be listed.
 *
 * @example await pactFilesInDirectory('pacts') // → ['pacts/web-orders.json', 'pacts/web-users.json']
 */
export async function pactFilesInDirectory(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.name.endsWith('.json') && !e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => join(dir, name));
}

/**
 * A pact file's text. A file larger than the longest string Node makes is refused by its size,
 * before it is read (reading it failed with 'Invalid string length'); other failures are Node's.
 *
 * @example const text = await readPactText('pacts/web-orders.json');
 */
export async function readPactText(file: string): Promise<string> {
  const { size } = await stat(file);
  if (size > constants.MAX_STRING_LENGTH) {
    throw new Error(
      `it is ${Math.round(size / 2 ** 20)} MB, more than the ${Math.floor(constants.MAX_STRING_LENGTH / 2 ** 20)} MB a file can be read as text`,
    );
  }
  return readFile(file, 'utf8');
}
