import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type Pact, readPact } from '@covenant/core';
// the file helpers alone: the verifier itself is loaded only by `covenant verify`
import { cliError } from './errors.js';

const wildcard = /[*?]/;

/** A file-name pattern as a RegExp: `*` any characters, `?` one character, the rest literal. */
function patternRegExp(pattern: string): RegExp {
  let source = '';
  for (const c of pattern)
    source += c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${source}$`, 's');
}

/**
 * The files a quoted pattern such as `'pacts/*.json'` matches (sorted), as a shell would expand it:
 * `*` and `?` in the file name, within one directory; names starting with a dot only when the
 * pattern's does.
 */
async function expandPattern(path: string): Promise<string[]> {
  const dir = dirname(path);
  const name = basename(path);
  if (wildcard.test(dir)) {
    throw cliError(
      'COV_CLI_PACT_FILES_NOT_FOUND',
      `${path}: * and ? are matched in the file name only, not in directories (give each directory, or a pattern per directory)`,
      { path },
    );
  }
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    throw cliError('COV_CLI_PACT_FILES_NOT_FOUND', `${dir} (in ${path}) does not exist`, { path });
  }
  const matches = patternRegExp(name);
  const found = entries
    .filter(
      (e) =>
        (e.isFile() || e.isSymbolicLink()) &&
        matches.test(e.name) &&
        (name.startsWith('.') || !e.name.startsWith('.')),
    )
    .map((e) => (dir === '.' && !path.startsWith('./') ? e.name : join(dir, e.name)))
    .sort();
  if (found.length === 0) throw cliError('COV_CLI_PACT_FILES_NOT_FOUND', `no files match ${path}`, { path });
  return found;
}

/**
 * The paths with each quoted pattern (`'pacts/*.json'`) that names no existing file replaced by the
 * files it matches; URLs, files and directories as given (for commands that read them themselves).
 */
export async function expandPatterns(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    if (/^https?:\/\//i.test(path) || !wildcard.test(path)) out.push(path);
    else {
      try {
        await stat(path);
        out.push(path);
      } catch {
        out.push(...(await expandPattern(path)));
      }
    }
  }
  return out;
}

/**
 * The pact files among the given paths: files as given, directories' `*.json` files, and the files
 * quoted patterns (`'pacts/*.json'`) match (sorted).
 */
export async function pactFilesIn(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of await expandPatterns(paths)) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch {
      throw cliError('COV_CLI_PACT_FILES_NOT_FOUND', `${path} does not exist`, { path });
    }
    if (!info.isDirectory()) files.push(path);
    else {
      try {
        files.push(...(await (await verifier()).pactFilesInDirectory(path)));
      } catch (error) {
        throw cliError(
          'COV_CLI_PACT_FILES_NOT_FOUND',
          `cannot list the pact directory ${path}: ${(error as Error).message}`,
          { path },
          error,
        );
      }
    }
  }
  if (files.length === 0) {
    throw cliError(
      'COV_CLI_PACT_FILES_NOT_FOUND',
      `no pact files (*.json) in ${paths.join(', ') || 'the paths given'}`,
    );
  }
  return files;
}

// The verifier reads pact files for the commands that take them; loaded when one does, so that
// commands without pact files (and --help) start without it.
const verifier = () => import('@covenant/verifier');

/** A pact file read: its text as written (to publish unchanged) and the model (to check and convert). */
export interface PactFile {
  file: string;
  text: string;
  pact: Pact;
}

/** Reads and checks one pact file; a core error (with its code) says what is wrong inside it. */
export async function readPactFile(file: string): Promise<PactFile> {
  let text: string;
  try {
    text = await (await verifier()).readPactText(file);
  } catch (error) {
    throw cliError(
      'COV_CLI_PACT_FILE_UNREADABLE',
      `cannot read ${file}: ${(error as Error).message}`,
      { file },
      error,
    );
  }
  return { file, text, pact: readPact(text, file) };
}
