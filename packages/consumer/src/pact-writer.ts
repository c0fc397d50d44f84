import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  CovenantError,
  type Interaction,
  type JsonValue,
  type Pact,
  type WritableVersion,
  pactToJson,
  pactToText,
  readPact,
  stringifyJson,
} from '@covenant/core';
import { consumerError } from './errors.js';
import { ensureDir } from './fs-util.js';

/** `merge` (default) adds to what the file holds; `overwrite` replaces the file the first time this process writes it. */
export type WriteMode = 'merge' | 'overwrite';

export interface PactFileOptions {
  consumer: string;
  provider: string;
  /** Directory for pact files. Default `./pacts`. */
  dir?: string;
  /** Specification version written. Default V4. */
  spec?: WritableVersion;
  mode?: WriteMode;
  /** `as-given` (default, `Web App-User API.json`) or `lowercase` (`web app-user api.json`, as the seed's files). */
  fileNameStyle?: 'as-given' | 'lowercase';
  /** How long to wait for another process holding the file's lock. Default 30 s. */
  lockTimeoutMs?: number;
}

/** The pact file's path for these options. */
export function pactFilePath(options: PactFileOptions): string {
  const name = `${options.consumer}-${options.provider}`;
  const fileName = options.fileNameStyle === 'lowercase' ? name.toLowerCase() : name;
  return join(options.dir ?? 'pacts', `${fileName.replace(/[/\\]/g, '_')}.json`);
}

function identity(i: Interaction): string {
  return stringifyJson({ d: i.description, s: i.providerStates as unknown as JsonValue, t: i.type });
}

function sortKey(i: Interaction): string {
  return `${i.description}\u0000${stringifyJson(i.providerStates as unknown as JsonValue)}`;
}

function content(i: Interaction, version: WritableVersion): string {
  const single: Pact = { consumer: { name: '' }, provider: { name: '' }, interactions: [i], metadata: {}, specification: 'V4' };
  return stringifyJson((pactToJson(single, version).interactions as JsonValue[])[0]!);
}

// Files this process has written in overwrite mode: only the first write replaces the file.
const overwritten = new Set<string>();

const LOCK_STALE_MS = 60_000;

async function acquireLock(lockPath: string, timeoutMs: number): Promise<() => Promise<void>> {
  const started = Date.now();
  let delay = 2;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    await breakStaleLock(lockPath);
    if (Date.now() - started > timeoutMs) {
      throw consumerError(
        'COV_CONSUMER_PACT_LOCK_TIMEOUT',
        `waited ${timeoutMs} ms for ${lockPath}, held by another process`,
        { lockPath },
      );
    }
    await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
    delay = Math.min(delay * 2, 50);
  }
}

/** A lock whose owner died, or that is older than any real write, is removed. */
async function breakStaleLock(lockPath: string): Promise<void> {
  try {
    const [info, text] = await Promise.all([stat(lockPath), readFile(lockPath, 'utf8')]);
    const pid = Number.parseInt(text, 10);
    let ownerAlive = true;
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 0);
      } catch (error) {
        ownerAlive = (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    }
    if (!ownerAlive || Date.now() - info.mtimeMs > LOCK_STALE_MS) await rm(lockPath, { force: true });
  } catch {
    // the lock vanished meanwhile, or is being written: try again
  }
}

/**
 * Adds interactions to a pact file, safely across processes: an exclusive lock file beside the
 * pact serialises writers, the current file is read and merged, and the result replaces it
 * atomically (written to a temporary file, then renamed). An interaction with the same
 * description and provider states but different content is a conflict (COV_CONSUMER_PACT_CONFLICT).
 *
 * @example await writeInteractions({ consumer: 'web', provider: 'api' }, [interaction])
 */
export async function writeInteractions(options: PactFileOptions, interactions: readonly Interaction[]): Promise<string> {
  const file = pactFilePath(options);
  const version = options.spec ?? 'V4';
  try {
    await ensureDir(dirname(file));
  } catch (error) {
    throw consumerError('COV_CONSUMER_PACT_WRITE_FAILED', `cannot create the pact directory ${dirname(file)}: ${(error as Error).message}`, { file }, error);
  }
  let release: (() => Promise<void>) | undefined;
  try {
    release = await acquireLock(`${file}.lock`, options.lockTimeoutMs ?? 30_000);
    const replace = options.mode === 'overwrite' && !overwritten.has(file);
    const existing = replace ? undefined : await readExisting(file);
    const merged = merge(existing?.interactions ?? [], interactions, version, file);
    const pact: Pact = {
      consumer: { name: options.consumer },
      provider: { name: options.provider },
      interactions: merged.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0)),
      metadata: { ...(existing?.metadata ?? {}), covenant: { version: '0.1.0' } },
      specification: version,
    };
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temp, pactToText(pact, version));
    await rename(temp, file);
    if (options.mode === 'overwrite') overwritten.add(file);
    return file;
  } catch (error) {
    if (error instanceof CovenantError) throw error;
    throw consumerError('COV_CONSUMER_PACT_WRITE_FAILED', `cannot write ${file}: ${(error as Error).message}`, { file }, error);
  } finally {
    await release?.();
  }
}

async function readExisting(file: string): Promise<Pact | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return readPact(text, file);
}

function merge(existing: Interaction[], added: readonly Interaction[], version: WritableVersion, file: string): Interaction[] {
  const byIdentity = new Map<string, Interaction>();
  for (const i of existing) byIdentity.set(identity(i), i);
  for (const i of added) {
    const key = identity(i);
    const previous = byIdentity.get(key);
    if (previous && content(previous, version) !== content(i, version)) {
      throw consumerError(
        'COV_CONSUMER_PACT_CONFLICT',
        `${file} already has an interaction '${i.description}'${i.providerStates.length ? ` given ${i.providerStates.map((s) => `'${s.name}'`).join(' and ')}` : ''} with different content:\n  in the file: ${content(previous, version)}\n  new:         ${content(i, version)}`,
        { file, description: i.description },
      );
    }
    byIdentity.set(key, i);
  }
  return [...byIdentity.values()];
}
