import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach } from 'vitest';

/**
 * A fresh temporary folder (under `root`, the system's by default), removed by `remove`.
 *
 * @example const dir = tempDir('covenant-seed-'); afterAll(dir.remove);
 */
export function tempDir(prefix = 'covenant-test-', root = tmpdir()): { path: string; remove: () => void } {
  const path = mkdtempSync(join(root, prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A fresh temporary folder for each test of the file: made before the test, its path handed to
 * `use`, and removed after it (the function a `beforeEach` returns runs as its `afterEach`).
 *
 * @example
 * let dir: string;
 * tempDirEachTest('covenant-stub-', (path) => {
 *   dir = path;
 * });
 */
export function tempDirEachTest(prefix: string, use: (path: string) => void): void {
  beforeEach(() => {
    const dir = tempDir(prefix);
    use(dir.path);
    return dir.remove;
  });
}
