import { readdirSync } from 'node:fs';
import { startCli, startTestBroker, tempDir } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';

/** The helpers that start commands must leave no process or directory behind when a start fails. */
describe('test support', () => {
  it('startCli kills a command that does not say where it listens in time', async () => {
    const dir = tempDir();
    try {
      const error = await startCli(['broker', '--port', '0', '--database', 'b.sqlite', '--no-seed'], {
        cwd: dir.path,
        timeoutMs: 1,
      }).then(
        () => undefined,
        (e: Error & { pid?: number }) => e,
      );
      expect(error?.message).toMatch(/no 'listening on' within 1 ms/);
      const pid = error?.pid ?? 0;
      const started = Date.now();
      let alive = true;
      while (alive && Date.now() - started < 5000) {
        try {
          process.kill(pid, 0);
          await new Promise((r) => setTimeout(r, 50));
        } catch {
          alive = false;
        }
      }
      expect(alive).toBe(false);
    } finally {
      dir.remove();
    }
  }, 20_000);

  it('startTestBroker removes its directory when the broker does not start', async () => {
    const root = tempDir();
    try {
      await expect(startTestBroker(['--bogus'], root.path)).rejects.toThrow(/exited with 1 before listening/);
      expect(readdirSync(root.path)).toEqual([]);
    } finally {
      root.remove();
    }
  }, 20_000);
});
