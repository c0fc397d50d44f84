import {
  cleanEnv,
  createTestDatabase,
  postgresAdminUrl,
  runCli,
  startCli,
  tempDirEachTest,
} from '@covenant/test-support';
import { describe, expect, it } from 'vitest';

// each test's working directory: where `covenant broker` puts its SQLite file
let cwd: string;
tempDirEachTest('covenant-cli-', (path) => {
  cwd = path;
});

describe('covenant broker', () => {
  it('starts on SQLite in the working directory with no set-up, says where, and stops on SIGTERM', async () => {
    const broker = await startCli(['broker', '--port', '0', '--database', 'pact_broker.sqlite'], { cwd });
    expect(broker.output()).toMatch(
      /Covenant Pact Broker listening on http:\/\/127\.0\.0\.1:\d+ \(database: SQLite pact_broker\.sqlite\)/,
    );
    expect((await fetch(`${broker.url}/diagnostic/status/heartbeat`)).status).toBe(200);
    expect(await broker.stop()).toBe(0);
  }, 20_000);

  it('stops on SIGINT with status 130, as the stub does', async () => {
    const broker = await startCli(['broker', '--port', '0', '--database', 'b.sqlite', '--no-seed'], { cwd });
    broker.child.kill('SIGINT');
    expect(await broker.exited).toBe(130);
    expect(broker.output()).toContain('SIGINT: stopping the broker');
  }, 20_000);

  it.skipIf(!postgresAdminUrl)(
    'starts on PostgreSQL given a URL, with bearer tokens',
    async () => {
      const database = await createTestDatabase('postgres');
      try {
        const broker = await startCli(
          ['broker', '--port', '0', '--database', database.location, '--token', 'secret'],
          { cwd },
        );
        expect(broker.output()).toContain('(database: PostgreSQL postgres://postgres:***@');
        expect((await fetch(`${broker.url}/pacticipants`)).status).toBe(401);
        expect(
          (await fetch(`${broker.url}/pacticipants`, { headers: { Authorization: 'Bearer secret' } })).status,
        ).toBe(200);
        expect(await broker.stop()).toBe(0);
      } finally {
        await database.drop();
      }
    },
    20_000,
  );

  it('seeds the example data on a new database by default, and not with --no-seed', async () => {
    for (const [args, expected] of [
      [[], ['Example API', 'Example App']],
      [['--no-seed'], []],
    ] as const) {
      const broker = await startCli(
        ['broker', '--port', '0', '--database', `db${args.length}.sqlite`, ...args],
        {
          cwd,
        },
      );
      const list = (await (
        await fetch(`${broker.url}/pacticipants`, { headers: { Accept: 'application/hal+json' } })
      ).json()) as {
        _embedded: { pacticipants: Array<{ name: string }> };
      };
      expect(list._embedded.pacticipants.map((p) => p.name)).toEqual(expected);
      await broker.stop();
    }
  }, 30_000);

  it('reports a bad option and a port in use as one readable line with exit status 1', async () => {
    const bad = await runCli(['broker', '--port', 'seventy'], { cwd });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('a port is a whole number from 0 to 65535');
    const blocker = await startCli(['broker', '--port', '0'], { cwd });
    const port = new URL(blocker.url).port;
    const clash = await runCli(['broker', '--port', port, '--database', 'other.sqlite'], { cwd });
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(
      `COV_BROKER_LISTEN_FAILED: cannot listen on 127.0.0.1:${port}: the port is in use`,
    );
    expect(clash.stderr).not.toContain('    at ');
    await blocker.stop();
  }, 30_000);

  it('takes the webhook allowlists as flags, over the PACT_BROKER_WEBHOOK_* variables', async () => {
    // the flag wins over the variable: ftp is refused, naming the variable the flag stands for
    const bad = await runCli(['broker', '--port', '0', '--webhook-scheme-whitelist', 'ftp'], {
      cwd,
      env: cleanEnv({ PACT_BROKER_WEBHOOK_SCHEME_WHITELIST: 'http https' }),
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('PACT_BROKER_WEBHOOK_SCHEME_WHITELIST');
    expect(bad.stderr).toContain("'ftp' is not http or https");
    const retry = await runCli(['broker', '--port', '0', '--webhook-retry-schedule', 'soon'], { cwd });
    expect(retry.code).toBe(1);
    expect(retry.stderr).toContain("'soon' is not a whole number of seconds");
  }, 30_000);

  it('takes the body limit, request timeout and contract modification as flags or PACT_BROKER_* variables', async () => {
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
    const base = ['broker', '--port', '0', '--no-seed'];
    for (const [args, env] of [
      [['--database', 'flags.sqlite', '--body-limit', '400', '--allow-contract-modification'], {}],
      [
        ['--database', 'env.sqlite'],
        { PACT_BROKER_BODY_LIMIT: '400', PACT_BROKER_ALLOW_CONTRACT_MODIFICATION: 'true' },
      ],
    ] as const) {
      const broker = await startCli([...base, ...args], { cwd, env: cleanEnv(env) });
      const url = broker.url;
      expect((await publish(url, 'first')).status, args.join(' ')).toBe(201);
      // different content for the same consumer version: allowed
      expect((await publish(url, 'second')).status, args.join(' ')).toBe(200);
      const large = await publish(url, 'x'.repeat(400));
      expect(large.status, args.join(' ')).toBe(413);
      expect(((await large.json()) as { error: string }).error).toContain('400 bytes');
      await broker.stop();
    }
    const refused: Array<[string[], Record<string, string>, string]> = [
      [['--request-timeout', '0'], {}, 'COV_CLI_OPTIONS_INVALID: --request-timeout 0 is not'],
      [['--body-limit', 'lots'], {}, 'give a whole number'],
      [[], { PACT_BROKER_REQUEST_TIMEOUT: 'soon' }, "PACT_BROKER_REQUEST_TIMEOUT 'soon' is not"],
      [[], { PACT_BROKER_REQUEST_TIMEOUT: '4294967296' }, '--request-timeout 4294967296 is not'],
    ];
    for (const [args, env, message] of refused) {
      const bad = await runCli([...base, '--database', 'bad.sqlite', ...args], { cwd, env: cleanEnv(env) });
      expect(bad.code, message).toBe(1);
      expect(bad.stderr).toContain(message);
      expect(bad.stderr).not.toContain('    at ');
    }
  }, 30_000);
});
