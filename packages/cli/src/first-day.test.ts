// What a new user meets on the first day (issue 22): one meaning for -p, help examples that do what
// they say, the official `version` command, a hint that names the missing environment, and
// `verify --publish` saying where the results went. Through the built binary, against a real broker.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningBroker, startBroker } from '@covenant/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFromEnv } from './broker-command.js';
import { program } from './program.js';

const dist = join(import.meta.dirname, '..', 'dist');
const cliPackage = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as {
  version: string;
};

function run(args: string[], options: { bin?: string; cwd?: string; env?: Record<string, string> } = {}) {
  const child = spawn(process.execPath, [join(dist, options.bin ?? 'bin.js'), ...args], {
    cwd: options.cwd ?? tmpdir(),
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', PACT_DO_NOT_TRACK: 'true', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

describe('-p', () => {
  it('means --broker-password on every command that has it, and broker has only --port', () => {
    const commands = program().commands;
    const withShortP = commands.filter((c) => c.options.some((o) => o.short === '-p'));
    expect(withShortP.length).toBeGreaterThan(5);
    for (const command of withShortP)
      expect(command.options.find((o) => o.short === '-p')?.long, command.name()).toBe('--broker-password');
    const broker = commands.find((c) => c.name() === 'broker')!;
    expect(broker.options.find((o) => o.long === '--port')?.short).toBeUndefined();
  });

  it('is refused by covenant broker, with the way to the port', async () => {
    const result = await run(['broker', '-p', '9292']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("COV_CLI_OPTIONS_INVALID: unknown option '-p'");
  });
});

describe('help and version', () => {
  it("can-i-deploy's examples take a branch with --branch, and --latest only with a tag", () => {
    const canIDeploy = program().commands.find((c) => c.name() === 'can-i-deploy')!;
    expect(canIDeploy.options.find((o) => o.long === '--latest')?.description).toBe(
      'the latest version of the --pacticipant (with this tag; for a branch, use --branch)',
    );
    let text = '';
    canIDeploy.configureOutput({ writeOut: (s) => (text += s) }).outputHelp();
    expect(text).toContain('-a UserService --branch main');
    expect(text).not.toMatch(/--latest main/);
  });

  it('pact-broker version prints the version of the package, as the official CLI does', async () => {
    const result = await run(['version'], { bin: 'pact-broker.js' });
    expect(result).toMatchObject({ code: 0, stdout: `${cliPackage.version}\n` });
    expect((await run(['--version'])).stdout).toBe(`${cliPackage.version}\n`);
  });

  it('--seed says what it does and how to turn it off', () => {
    const seed = program()
      .commands.find((c) => c.name() === 'broker')!
      .options.find((o) => o.long === '--seed')!;
    expect(seed.description).toBe(
      'on a new, empty database, add example data (Example App and Example API); on unless --no-seed or PACT_BROKER_SEED_EXAMPLE_DATA=false',
    );
  });
});

describe('the reference image variables for the database', () => {
  it('builds a PostgreSQL URL from its parts, and prefers PACT_BROKER_DATABASE_URL', () => {
    expect(
      databaseFromEnv({
        PACT_BROKER_DATABASE_HOST: 'db',
        PACT_BROKER_DATABASE_PORT: '5433',
        PACT_BROKER_DATABASE_NAME: 'pact_broker',
        PACT_BROKER_DATABASE_USERNAME: 'pact',
        PACT_BROKER_DATABASE_PASSWORD: 'p@ss/word',
      }),
    ).toBe('postgres://pact:p%40ss%2Fword@db:5433/pact_broker');
    expect(databaseFromEnv({ PACT_BROKER_DATABASE_URL: 'x.sqlite', PACT_BROKER_DATABASE_HOST: 'db' })).toBe(
      'x.sqlite',
    );
    expect(
      databaseFromEnv({ PACT_BROKER_DATABASE_ADAPTER: 'sqlite', PACT_BROKER_DATABASE_NAME: 'b.sqlite' }),
    ).toBe('b.sqlite');
    expect(databaseFromEnv({})).toBeUndefined();
  });
});

describe('against a broker', () => {
  let broker: RunningBroker;
  let provider: Server;
  let providerUrl: string;
  const dir = mkdtempSync(join(tmpdir(), 'covenant-first-day-'));
  const env = () => ({ PACT_BROKER_BASE_URL: broker.url });

  beforeAll(async () => {
    broker = await startBroker({ port: 0, database: ':memory:' });
    provider = createServer((_request, response) => {
      response.setHeader('Content-Type', 'application/json');
      response.end('{"id":1}');
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    const pact = {
      consumer: { name: 'Web' },
      provider: { name: 'Orders' },
      interactions: [
        {
          description: 'an order',
          request: { method: 'GET', path: '/orders/1' },
          response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: { id: 1 } },
        },
      ],
      metadata: { pactSpecification: { version: '2.0.0' } },
    };
    writeFileSync(join(dir, 'web-orders.json'), JSON.stringify(pact));
  }, 20_000);
  afterAll(async () => {
    await new Promise((resolve) => provider.close(resolve));
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('can-i-deploy to an environment that does not exist says so, and how to create it', async () => {
    const result = await run(['can-i-deploy', '-a', 'Web', '-e', '1', '--to-environment', 'production'], {
      env: env(),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "COV_CLI_ENVIRONMENT_NOT_FOUND: the broker has no environment 'production' (it has: none)",
    );
    expect(result.stderr).toContain('covenant create-environment --name NAME');
    expect(result.stderr).toMatch(/https:\/\/\S+\/blob\/main\/docs\/cli\.md#environments/);
  });

  it('verify --publish says the results were published', async () => {
    const publish = await run(['publish', 'web-orders.json', '-a', '1', '--branch', 'main'], {
      cwd: dir,
      env: env(),
    });
    expect(publish.code, publish.stderr).toBe(0);
    const result = await run(
      [
        'verify',
        '--provider',
        'Orders',
        '--provider-base-url',
        providerUrl,
        '--publish',
        '--provider-version',
        '7',
      ],
      { cwd: dir, env: env() },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'Published the verification results of 1 of 1 pacts to the broker as provider version 7',
    );
  }, 30_000);
});
