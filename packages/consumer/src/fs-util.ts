import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** mkdir's EEXIST also means a file of that name: say so, as ENOTDIR, instead of going on. */
function notADirectoryUnless(isDirectory: boolean, dir: string): void {
  if (isDirectory) return;
  throw Object.assign(new Error(`${dir} exists and is not a directory`), { code: 'ENOTDIR' });
}

/**
 * Creates a directory and its parents. Node's own `mkdir({ recursive: true })` can spin forever
 * on some virtual file systems (e.g. under /proc on Node 20), so this walks up one level at a time
 * and gives up with the real error.
 */
export async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      notADirectoryUnless((await stat(dir)).isDirectory(), dir);
      return;
    }
    if (code !== 'ENOENT') throw error;
    const parent = dirname(dir);
    if (parent === dir) throw error;
    await ensureDir(parent);
    try {
      await mkdir(dir);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
    }
  }
}

/**
 * {@link ensureDir} with synchronous calls, for the pact writer: one mkdir on a local disk costs
 * far less than a round trip through the thread pool.
 */
export function ensureDirSync(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      notADirectoryUnless(statSync(dir).isDirectory(), dir);
      return;
    }
    if (code !== 'ENOENT') throw error;
    const parent = dirname(dir);
    if (parent === dir) throw error;
    ensureDirSync(parent);
    try {
      mkdirSync(dir);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
    }
  }
}
