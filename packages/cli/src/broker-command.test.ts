import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, postgresAdminUrl } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');

function run(args: string[], cwd: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, PACT_BROKER_DATABASE_URL: '', ...env },
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
      const database = await createTestDatabase('postgres');
      const cwd = mkdtempSync(join(tmpdir(), 'covenant-cli-'));
      try {
        const broker = run(
          ['broker', '--port', '0', '--database', database.location, '--token', 'secret'],
          cwd,
        );
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
        await database.drop();
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

  it('takes the webhook allowlists as flags, over the PACT_BROKER_WEBHOOK_* variables', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'covenant-cli-'));
    try {
      // the flag wins over the variable: ftp is refused, naming the variable the flag stands for
      const bad = run(['broker', '--port', '0', '--webhook-scheme-whitelist', 'ftp'], cwd, {
        PACT_BROKER_WEBHOOK_SCHEME_WHITELIST: 'http https',
      });
      expect(await bad.exited).toBe(1);
      expect(bad.err()).toContain('PACT_BROKER_WEBHOOK_SCHEME_WHITELIST');
      expect(bad.err()).toContain("'ftp' is not http or https");
      const retry = run(['broker', '--port', '0', '--webhook-retry-schedule', 'soon'], cwd);
      expect(await retry.exited).toBe(1);
      expect(retry.err()).toContain("'soon' is not a whole number of seconds");
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 30_000);

  it('takes the body limit, request timeout and contract modification as flags or PACT_BROKER_* variables', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'covenant-cli-'));
    const started = async (broker: ReturnType<typeof run>) => {
      const since = Date.now();
      while (!broker.out().includes('listening on') && Date.now() - since < 15_000)
        await new Promise((r) => setTimeout(r, 50));
      return /listening on (\S+)/.exec(broker.out())![1]!;
    };
    const publish = (url: string, description: string) =>
      fetch(`${url}/pacts/provider/P/consumer/C/version/1`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          consumer: { name: 'C' },
          provider: { name: 'P' },
          interactions: [{ description, request: { method: 'GET', path: '/' }, response: { status: 200 } }],
        }),
      });
    try {
      const base = ['broker', '--port', '0', '--no-seed'];
      for (const [args, env] of [
        [['--database', 'flags.sqlite', '--body-limit', '400', '--allow-contract-modification'], {}],
        [
          ['--database', 'env.sqlite'],
          { PACT_BROKER_BODY_LIMIT: '400', PACT_BROKER_ALLOW_CONTRACT_MODIFICATION: 'true' },
        ],
      ] as const) {
        const broker = run([...base, ...args], cwd, env);
        const url = await started(broker);
        expect((await publish(url, 'first')).status, args.join(' ')).toBe(201);
        // different content for the same consumer version: allowed
        expect((await publish(url, 'second')).status, args.join(' ')).toBe(200);
        const large = await publish(url, 'x'.repeat(400));
        expect(large.status, args.join(' ')).toBe(413);
        expect(((await large.json()) as { error: string }).error).toContain('400 bytes');
        broker.child.kill('SIGTERM');
        await broker.exited;
      }
      const refused: Array<[string[], Record<string, string>, string]> = [
        [['--request-timeout', '0'], {}, 'COV_CLI_OPTIONS_INVALID: --request-timeout 0 is not'],
        [['--body-limit', 'lots'], {}, 'give a whole number'],
        [[], { PACT_BROKER_REQUEST_TIMEOUT: 'soon' }, "PACT_BROKER_REQUEST_TIMEOUT 'soon' is not"],
        [[], { PACT_BROKER_REQUEST_TIMEOUT: '4294967296' }, '--request-timeout 4294967296 is not'],
      ];
      for (const [args, env, message] of refused) {
        const bad = run([...base, '--database', 'bad.sqlite', ...args], cwd, env);
        expect(await bad.exited, message).toBe(1);
        expect(bad.err()).toContain(message);
        expect(bad.err()).not.toContain('    at ');
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 30_000);
});
