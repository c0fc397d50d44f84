import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh temporary folder (under `root`, the system's by default), removed by `remove`.
 *
 * @example const dir = tempDir('covenant-seed-'); afterAll(dir.remove);
 */
export function tempDir(prefix = 'covenant-test-', root = tmpdir()): { path: string; remove: () => void } {
  const path = mkdtempSync(join(root, prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
