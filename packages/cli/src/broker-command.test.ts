import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPostgresDatabase, postgresAdminUrl } from './test-support/cli.js';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');

function run(args: string[], cwd: string) {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, PACT_BROKER_DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    stdout += c;
  });
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('covenant broker', () => {
  it('starts on SQLite in the working directory with no set-up, says where, and stops on SIGTERM', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'covenant-cli-'));
    try {
      const broker = run(['broker', '--port', '0', '--database', 'pact_broker.sqlite'], cwd);
      const started = Date.now();
      while (!broker.out().includes('listening on') && Date.now() - started < 15_000)
        await new Promise((r) => setTimeout(r, 50));
      const line = broker.out();
      expect(line).toMatch(
        /Covenant Pact Broker listening on http:\/\/127\.0\.0\.1:\d+ \(database: SQLite pact_broker\.sqlite\)/,
      );
      const url = /listening on (\S+)/.exec(line)![1]!;
      expect((await fetch(`${url}/diagnostic/status/heartbeat`)).status).toBe(200);
      broker.child.kill('SIGTERM');
      expect(await broker.exited).toBe(0);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 20_000);

  it('stops on SIGINT with status 130, as the stub does', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'covenant-cli-'));
    try {
      const broker = run(['broker', '--port', '0', '--database', 'b.sqlite', '--no-seed'], cwd);
      const started = Date.now();
      while (!broker.out().includes('listening on') && Date.now() - started < 15_000)
        await new Promise((r) => setTimeout(r, 50));
      broker.child.kill('SIGINT');
      expect(await broker.exited).toBe(130);
      expect(broker.out()).toContain('SIGINT: stopping the broker');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 20_000);

  it.skipIf(!postgresAdminUrl)(
    'starts on PostgreSQL given a URL, with bearer tokens',
    async () => {
      const database = createPostgresDatabase();
      const cwd = mkdtempSync(join(tmpdir(), 'covenant-cli-'));
      try {
        const broker = run(['broker', '--port', '0', '--database', database.url, '--token', 'secret'], cwd);
        const started = Date.now();
        while (!broker.out().includes('listening on') && Date.now() - started < 15_000)
          await new Promise((r) => setTimeout(r, 50));
        expect(broker.out()).toContain('(database: PostgreSQL postgres://postgres:***@');
        const url = /listening on (\S+)/.exec(broker.out())![1]!;
        expect((await fetch(`${url}/pacticipants`)).status).toBe(401);
        expect(
          (await fetch(`${url}/pacticipants`, { headers: { Authorization: 'Bearer secret' } })).status,
        ).toBe(200);
        broker.child.kill('SIGTERM');
        expect(await broker.exited).toBe(0);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
        database.drop();
      }
    },
    20_000,
  );

  it('seeds the example data on a new database by default, and not with --no-seed', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'covenant-cli-'));
    try {
      for (const [args, expected] of [
        [[], ['Example API', 'Example App']],
        [['--no-seed'], []],
      ] as const) {
        const broker = run(['broker', '--port', '0', '--database', `db${args.length}.sqlite`, ...args], cwd);
        const started = Date.now();
        while (!broker.out().includes('listening on') && Date.now() - started < 15_000)
          await new Promise((r) => setTimeout(r, 50));
        const url = /listening on (\S+)/.exec(broker.out())![1]!;
        const list = (await (
          await fetch(`${url}/pacticipants`, { headers: { Accept: 'application/hal+json' } })
        ).json()) as {
          _embedded: { pacticipants: Array<{ name: string }> };
        };
        expect(list._embedded.pacticipants.map((p) => p.name)).toEqual(expected);
        broker.child.kill('SIGTERM');
        await broker.exited;
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 30_000);

  it('reports a bad option and a port in use as one readable line with exit status 1', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'covenant-cli-'));
    try {
      const bad = run(['broker', '--port', 'seventy'], cwd);
      expect(await bad.exited).not.toBe(0);
      expect(bad.err()).toContain('a port is a whole number from 0 to 65535');
      const blocker = run(['broker', '--port', '0'], cwd);
      const started = Date.now();
      while (!blocker.out().includes('listening on') && Date.now() - started < 15_000)
        await new Promise((r) => setTimeout(r, 50));
      const port = /:(\d+) /.exec(blocker.out())![1]!;
      const clash = run(['broker', '--port', port, '--database', 'other.sqlite'], cwd);
      expect(await clash.exited).toBe(1);
      expect(clash.err()).toContain(
        `COV_BROKER_LISTEN_FAILED: cannot listen on 127.0.0.1:${port}: the port is in use`,
      );
      expect(clash.err()).not.toContain('    at ');
      blocker.child.kill('SIGTERM');
      await blocker.exited;
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 30_000);
});
