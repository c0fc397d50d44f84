// Inside the lock the writer uses synchronous calls: a pact file is small and local, and a handful
// of sync syscalls cost far less than the thread-pool round trips of their async forms.
import {
  closeSync,
  fstatSync,
  linkSync,
  lstatSync,
  openSync,
  readdir,
  readFileSync,
  renameSync,
  rmSync,
  stat,
  statSync,
  unlink,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import {
  CovenantError,
  type Interaction,
  interactionToJson,
  type JsonValue,
  type Pact,
  pactToText,
  readPact,
  stringifyJson,
  type WritableVersion,
} from '@covenant/core';
import { consumerError } from './errors.js';
import { ensureDirSync } from './fs-util.js';
import { pactFileName } from './pact-file.js';

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
  return join(options.dir ?? 'pacts', pactFileName(options));
}

// The paths a Pact's options gave last time: a Pact passes the same options object for every test.
// Its fields are compared too, so an options object changed since still gets its own paths.
interface PactFilePaths {
  file: string;
  dir: string;
  lock: string;
}
type PathFields = [PactFileOptions['dir'], string, string, PactFileOptions['fileNameStyle']];
const pathsOf = new WeakMap<PactFileOptions, { fields: PathFields; paths: PactFilePaths }>();

function cachedPaths(options: PactFileOptions): PactFilePaths {
  const fields: PathFields = [options.dir, options.consumer, options.provider, options.fileNameStyle];
  const known = pathsOf.get(options);
  if (known?.fields.every((field, i) => field === fields[i])) return known.paths;
  const file = pactFilePath(options);
  const paths = { file, dir: dirname(file), lock: `${file}.lock` };
  pathsOf.set(options, { fields, paths });
  return paths;
}

/** What tells interactions apart in a file (`identity`) and orders them (`sortKey`); the states are serialised once for both. */
function keysOf(i: Interaction): { identity: string; sortKey: string } {
  const states = stringifyJson(i.providerStates as unknown as JsonValue);
  // the description as a JSON string ends at its closing quote, so the parts cannot run together
  return {
    identity: `${i.type}\u0000${JSON.stringify(i.description)}${states}`,
    sortKey: `${i.description}\u0000${states}`,
  };
}

/** An interaction as it appears in the file: pretty JSON indented for the interactions list. */
function interactionText(i: Interaction, version: WritableVersion): string {
  // JSON text has no raw line breaks inside strings: every '\n' starts a line
  return `    ${stringifyJson(interactionToJson(i, version), 2).replaceAll('\n', '\n    ')}`;
}

interface Entry {
  sortKey: string;
  text: string;
}

/** What this process last wrote to a file, so an unchanged file need not be read and parsed again. */
interface FileState {
  ino: number;
  size: number;
  mtimeMs: number;
  version: WritableVersion;
  entries: Map<string, Entry>;
  metadata: Pact['metadata'];
  /** Byte offset just after the last interaction, where the closing `]` and the metadata start. */
  tailOffset: number;
  /** The text from `tailOffset` to the end of the file. */
  tail: string;
  /** What a V3 file lists: HTTP `interactions` or `messages` (V3 cannot hold both). */
  v3List?: 'interactions' | 'messages';
}

const lastWritten = new Map<string, FileState>();
const knownDirs = new Set<string>();

// Files this process has written in overwrite mode: only the first write replaces the file.
const overwritten = new Set<string>();

const LOCK_STALE_MS = 60_000;
const DEAD_OWNER_LOCK_MS = 1_000;

// A lock is a hard link to an "owner file" that holds the owner's pid: link() makes the lock with
// its content in one call and, unlike creating a file, allocates no inode — on a busy ext4 that
// is ~10 µs instead of ~300 µs. Each process (thread) writes its owner file once, in the system's
// temporary directory when that is on the pact directory's file system (no litter beside the
// pacts), else in the pact directory itself; it is removed when the process exits. Where hard
// links are not supported the lock is a file created with O_EXCL holding the pid.
let linkLocks = true;
const owners = new Map<string, string>();

// One exit hook per process, however many copies of this module a test runner loads (Vitest
// evaluates it afresh for every test file): more would trip Node's listener-leak warning.
const EXIT_REGISTRY = Symbol.for('covenant.consumer.lockOwnersToRemoveOnExit');

function ownersToRemoveOnExit(): Set<string> {
  const holder = process as unknown as Record<symbol, Set<string> | undefined>;
  const existing = holder[EXIT_REGISTRY];
  if (existing) return existing;
  const registry = new Set<string>();
  holder[EXIT_REGISTRY] = registry;
  process.once('exit', () => {
    for (const path of registry) rmSync(path, { force: true });
  });
  return registry;
}
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOSYS', 'EINVAL', 'EOPNOTSUPP', 'ENOTSUP', 'EMLINK']);

// Pact directories whose owner file must sit beside the pacts (the temporary directory is another
// mount of their file system, so a hard link across them fails).
const ownerBesidePacts = new Set<string>();

function ownerFile(dir: string): string {
  const cached = owners.get(dir);
  if (cached) return cached;
  const name = `.covenant-lock-owner-${process.pid}-${threadId}`;
  const temp = tmpdir();
  const candidates =
    !ownerBesidePacts.has(dir) && statSync(temp).dev === statSync(dir).dev
      ? [join(temp, name), join(dir, name)]
      : [join(dir, name)];
  for (const owner of candidates) {
    // already made for another pact directory on the same file system, or made now
    if ([...owners.values()].includes(owner) || createOwner(owner, owner !== candidates.at(-1))) {
      owners.set(dir, owner);
      collectDeadOwners(dirname(owner));
      break;
    }
  }
  const owner = owners.get(dir);
  if (owner) ownersToRemoveOnExit().add(owner);
  if (!owner) throw new Error(`cannot create a lock owner file ${join(dir, name)}`);
  return owner;
}

/**
 * Removes, in the background, owner files of processes that are gone: a test worker killed at the
 * end of a run (as test runners do) never gets to remove its own.
 */
function collectDeadOwners(dir: string): void {
  readdir(dir, (error, names) => {
    if (error) return;
    for (const name of names) {
      const pid = /^\.covenant-lock-owner-(\d+)-\d+$/.exec(name)?.[1];
      if (pid !== undefined && !processAlive(Number(pid))) unlink(join(dir, name), () => {});
    }
  });
}

/**
 * Removes, in the background, the temporary files of full rewrites (`<pact>.<pid>.<random>.tmp`)
 * that a writer killed between writing and renaming left in a pact directory: the pact itself is
 * whole (the rename never happened), but the half-written copy would stay beside it. Only those of
 * processes that are gone, and older than any real write (a writer in another PID namespace may
 * share the directory), are removed.
 */
function collectDeadRewrites(dir: string): void {
  readdir(dir, (error, names) => {
    if (error) return;
    for (const name of names) {
      const pid = /\.json\.(\d+)\.[a-z0-9]+\.tmp$/.exec(name)?.[1];
      if (pid === undefined || processAlive(Number(pid))) continue;
      const path = join(dir, name);
      stat(path, (statError, info) => {
        if (!statError && Date.now() - info.mtimeMs > LOCK_STALE_MS) unlink(path, () => {});
      });
    }
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function forgetOwner(dir: string): void {
  const owner = owners.get(dir);
  for (const [other, path] of owners) if (path === owner) owners.delete(other);
}

/**
 * Creates the file afresh with O_EXCL, so a planted symbolic link is never followed. With
 * `mayFail`, any failure (a file of that name we cannot replace, another user's in a shared
 * temporary directory; an unwritable directory) answers false instead of throwing.
 */
function createOwner(path: string, mayFail: boolean): boolean {
  try {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // left by an earlier process with this pid
      unlinkSync(path);
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
    }
    return true;
  } catch (error) {
    if (mayFail) return false;
    throw error;
  }
}

function tryLock(lockPath: string, dir: string): boolean {
  if (linkLocks) {
    try {
      linkSync(ownerFile(dir), lockPath);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return false;
      // the owner file or the directory is gone (a test removed it): make them again on retry
      forgetOwner(dir);
      if (code === 'EXDEV' && !ownerBesidePacts.has(dir)) {
        ownerBesidePacts.add(dir);
        return tryLock(lockPath, dir);
      }
      if (!LINK_UNSUPPORTED.has(code)) throw error;
      linkLocks = false;
    }
  }
  try {
    writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Takes the lock `lockPath` in the pact directory `dir`; answers its release. */
async function acquireLock(lockPath: string, dir: string, timeoutMs: number): Promise<() => void> {
  const started = Date.now();
  let delay = 2;
  let recreatedDir = false;
  for (;;) {
    try {
      if (tryLock(lockPath, dir)) return () => unlinkLock(lockPath);
    } catch (error) {
      // the pact directory was removed since this process created it: create it again, once
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || recreatedDir) throw error;
      recreatedDir = true;
      ensureDirSync(dir);
      continue;
    }
    breakStaleLock(lockPath);
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

function unlinkLock(lockPath: string): void {
  try {
    unlinkSync(lockPath);
  } catch (error) {
    // already gone (removed by hand, or broken as stale): nothing to release
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Removes a lock left by a crashed writer: its owner process is gone and the lock is older than any
 * real write (locks are held for milliseconds), or it is simply very old. A lock that is young,
 * or that changed while we looked (another writer took it meanwhile), is left alone.
 */
function breakStaleLock(lockPath: string): void {
  try {
    const before = lstatSync(lockPath);
    // a hard link's age is its inode's change time (link() sets it; the owner file is older)
    const age = Date.now() - (before.nlink > 1 ? before.ctimeMs : before.mtimeMs);
    if (age < DEAD_OWNER_LOCK_MS) return;
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    const ownerAlive = !(Number.isInteger(pid) && pid > 0) || processAlive(pid);
    if (ownerAlive && age < LOCK_STALE_MS) return;
    const after = lstatSync(lockPath);
    if (after.ino === before.ino && after.ctimeMs === before.ctimeMs) unlinkLock(lockPath);
  } catch {
    // the lock vanished meanwhile: try again
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
export async function writeInteractions(
  options: PactFileOptions,
  interactions: readonly Interaction[],
): Promise<string> {
  const { file, dir, lock } = cachedPaths(options);
  const version = options.spec ?? 'V4';
  try {
    if (!knownDirs.has(dir)) {
      ensureDirSync(dir);
      knownDirs.add(dir);
      collectDeadRewrites(dir);
    }
  } catch (error) {
    throw consumerError(
      'COV_CONSUMER_PACT_WRITE_FAILED',
      `cannot create the pact directory ${dir}: ${(error as Error).message}`,
      { file },
      error,
    );
  }
  let release: (() => void) | undefined;
  try {
    release = await acquireLock(lock, dir, options.lockTimeoutMs ?? 30_000);
    const replace = options.mode === 'overwrite' && !overwritten.has(file);
    const state = replace ? emptyState(version) : currentState(file, version);
    const v3List = version === 'V3' ? v3ListOf(file, state, interactions) : undefined;
    if (v3List) state.v3List = v3List;
    const cachedBefore = lastWritten.get(file) === state;
    const added: Entry[] = [];
    for (const interaction of interactions) {
      const { identity, sortKey } = keysOf(interaction);
      const text = interactionText(interaction, version);
      const previous = state.entries.get(identity);
      if (previous && previous.text !== text) throw conflict(file, interaction, previous.text, text);
      if (previous) continue;
      const entry = { sortKey, text };
      state.entries.set(identity, entry);
      added.push(entry);
    }
    if (cachedBefore && added.length === 0) {
      // everything is already in the file, exactly as it would be written
    } else if (cachedBefore && state.entries.size > added.length) {
      lastWritten.set(file, appendEntries(file, state, added));
    } else {
      const header: Pact = {
        consumer: { name: options.consumer },
        provider: { name: options.provider },
        interactions: [],
        metadata: { ...state.metadata, covenant: { version: '0.1.0' } },
        specification: version,
      };
      lastWritten.set(file, rewrite(file, header, state, version));
    }
    if (options.mode === 'overwrite') overwritten.add(file);
    return file;
  } catch (error) {
    // the cached state may hold entries that never reached the file: read it afresh next time
    lastWritten.delete(file);
    closeDescriptor(file);
    if (error instanceof CovenantError) throw error;
    throw consumerError(
      'COV_CONSUMER_PACT_WRITE_FAILED',
      `cannot write ${file}: ${(error as Error).message}`,
      { file },
      error,
    );
  } finally {
    release?.();
  }
}

function emptyState(version: WritableVersion): FileState {
  return { ino: 0, size: 0, mtimeMs: 0, version, entries: new Map(), metadata: {}, tailOffset: 0, tail: '' };
}

/** The file's interactions: from this process's last write when the file is unchanged since, else read. */
function currentState(file: string, version: WritableVersion): FileState {
  const info = statSync(file, { throwIfNoEntry: false });
  if (!info) return emptyState(version);
  const cached = lastWritten.get(file);
  if (
    cached &&
    cached.version === version &&
    cached.ino === info.ino &&
    cached.size === info.size &&
    cached.mtimeMs === info.mtimeMs
  ) {
    return cached;
  }
  const pact = readPact(readFileSync(file, 'utf8'), file);
  const { pactSpecification: _ignored, ...metadata } = pact.metadata;
  const entries = new Map<string, Entry>();
  for (const i of pact.interactions) {
    const { identity, sortKey } = keysOf(i);
    entries.set(identity, { sortKey, text: interactionText(i, version) });
  }
  const first = pact.interactions[0];
  return {
    ...emptyState(version),
    entries,
    metadata,
    ...(version === 'V3' && first ? { v3List: listOf(first) } : {}),
  };
}

function listOf(interaction: Interaction): 'interactions' | 'messages' {
  return interaction.type === 'Synchronous/HTTP' ? 'interactions' : 'messages';
}

/** The list a V3 file keeps after this write; HTTP interactions and messages never share one. */
function v3ListOf(file: string, state: FileState, interactions: readonly Interaction[]): FileState['v3List'] {
  let list = state.entries.size > 0 ? state.v3List : undefined;
  for (const interaction of interactions) {
    const wanted = listOf(interaction);
    if (list && list !== wanted)
      throw consumerError(
        'COV_CONSUMER_MESSAGE_SPEC_UNSUPPORTED',
        `a V3 pact holds HTTP interactions or messages, not both: ${file} ${
          list === state.v3List && state.entries.size > 0 ? 'already holds' : 'would get'
        } ${list === 'messages' ? 'messages' : 'HTTP interactions'}, so it cannot take ${
          wanted === 'messages' ? 'the message' : 'the HTTP interaction'
        } '${interaction.description}'`,
        { file },
      );
    list = wanted;
  }
  return list;
}

/**
 * Writes the whole file atomically (temporary file, then rename): the header of an empty pact
 * with the interaction texts, sorted, spliced in.
 */
function rewrite(file: string, header: Pact, state: FileState, version: WritableVersion): FileState {
  const entries = [...state.entries.values()].sort((a, b) =>
    a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0,
  );
  const empty = pactToText(header, version);
  const marker = '"interactions": []';
  const at = empty.indexOf(marker);
  const key = state.v3List ?? 'interactions';
  const head = `${empty.slice(0, at)}"${key}": [${entries.length > 0 ? '\n' : ''}${entries.map((e) => e.text).join(',\n')}`;
  const tail = `${entries.length > 0 ? '\n  ' : ''}]${empty.slice(at + marker.length)}`;
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, head + tail);
  renameSync(temp, file);
  closeDescriptor(file);
  return {
    ...withStat(state, statSync(file)),
    metadata: header.metadata,
    tailOffset: Buffer.byteLength(head),
    tail,
  };
}

/** `state` as of the file's stat just taken: what the next write under the lock compares. */
function withStat(state: FileState, info: { ino: number; size: number; mtimeMs: number }): FileState {
  return { ...state, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs };
}

/**
 * Adds interactions to a file this process wrote last (checked under the lock) by rewriting only
 * its tail: one write call at the offset where the list closes. The cost of a test's write then
 * stays the size of its interaction instead of growing with the file, so a suite of N tests
 * writes O(N) bytes rather than O(N²). Interactions added this way keep the order tests passed in;
 * a full rewrite sorts them again.
 */
function appendEntries(file: string, state: FileState, added: Entry[]): FileState {
  const insert = added.map((e) => `,\n${e.text}`).join('');
  const text = insert + state.tail;
  const length = Buffer.byteLength(text);
  const fd = descriptorOf(file, state.ino);
  // the string is written as it is (no Buffer made for it); a short write sends the rest as bytes
  let offset = writeSync(fd, text, state.tailOffset, 'utf8');
  if (offset < length) {
    const bytes = Buffer.from(text);
    while (offset < length)
      offset += writeSync(fd, bytes, offset, length - offset, state.tailOffset + offset);
  }
  return {
    ...withStat(state, fstatSync(fd)),
    tailOffset: state.tailOffset + length - Buffer.byteLength(state.tail),
  };
}

// Descriptors of the pact files this process appends to, kept open between writes (an append is
// then a write and a stat, without an open and a close). An open descriptor keeps its inode from
// being reused, so a path whose stat shows that inode under the lock is still that file. Shared by
// every copy of this module a test runner loads (Vitest evaluates it per test file) and bounded,
// the least recently used closed first.
const OPEN_FILES = Symbol.for('covenant.consumer.openPactFiles');
const MAX_OPEN_FILES = 16;

interface OpenFile {
  fd: number;
  ino: number;
}

function openFiles(): Map<string, OpenFile> {
  const holder = process as unknown as Record<symbol, Map<string, OpenFile> | undefined>;
  holder[OPEN_FILES] ??= new Map();
  return holder[OPEN_FILES];
}

/** An open descriptor of `file`, whose inode the caller saw under the lock is `ino`. */
function descriptorOf(file: string, ino: number): number {
  const open = openFiles();
  const known = open.get(file);
  open.delete(file);
  if (known?.ino === ino) {
    open.set(file, known);
    return known.fd;
  }
  if (known) closeSync(known.fd);
  const fd = openSync(file, 'r+');
  const oldest = open.size >= MAX_OPEN_FILES ? open.keys().next().value : undefined;
  if (oldest !== undefined) closeDescriptor(oldest);
  open.set(file, { fd, ino });
  return fd;
}

/** Closes this process's descriptor of `file`: it was replaced, or a write to it failed. */
function closeDescriptor(file: string): void {
  const open = openFiles();
  const known = open.get(file);
  if (!known) return;
  open.delete(file);
  closeSync(known.fd);
}

function conflict(file: string, interaction: Interaction, before: string, after: string) {
  const compact = (text: string) => stringifyJson(JSON.parse(text) as JsonValue);
  const states = interaction.providerStates.length
    ? ` given ${interaction.providerStates.map((s) => `'${s.name}'`).join(' and ')}`
    : '';
  return consumerError(
    'COV_CONSUMER_PACT_CONFLICT',
    `${file} already has an interaction '${interaction.description}'${states} with different content:\n  in the file: ${compact(before)}\n  new:         ${compact(after)}`,
    { file, description: interaction.description },
  );
}
