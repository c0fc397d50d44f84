import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Pact, readPact } from '@covenant/core';
import { cliError } from './errors.js';

/** The pact files among the given paths: files as given, directories' `*.json` files (sorted). */
export async function pactFilesIn(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch {
      throw cliError('COV_CLI_PACT_FILES_NOT_FOUND', `${path} does not exist`, { path });
    }
    if (info.isDirectory()) {
      const entries = (await readdir(path)).filter((name) => name.endsWith('.json')).sort();
      files.push(...entries.map((name) => join(path, name)));
    } else files.push(path);
  }
  if (files.length === 0) {
    throw cliError(
      'COV_CLI_PACT_FILES_NOT_FOUND',
      `no pact files (*.json) in ${paths.join(', ') || 'the paths given'}`,
    );
  }
  return files;
}

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
    text = await readFile(file, 'utf8');
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
