// The seed's examples, end to end on real sockets: every fenced shell command of the examples'
// READMEs, in order (consumers before providers), against a broker on SQLite that this test
// starts; long-running commands (`npm run broker`, `npm start`) are started, checked to answer,
// and stopped with Ctrl-C (SIGINT). Then the whole `npm start` flow on PostgreSQL.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningBroker, startBroker } from '@covenant/broker';
import { BrokerClient } from '@covenant/broker-client';
import { createTestDatabase, freePort, postgresAdminUrl, type TestDatabase } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const credentials = { username: 'pactbroker', password: 'pactbroker' };
/** The READMEs in the order a person runs them: the overview, the broker, consumers, then providers. */
const readmes = [
  'broker',
  'consumer',
  'express-provider',
  'fastify-provider',
  'message',
  'openapi-provider',
  '.',
].map((folder) => join(root, 'examples', folder, 'README.md'));
/** The files each README says its commands produce. */
const outputs: Record<string, string[]> = {
  'consumer/README.md': ['pacts/userserviceclient-userservice.json', 'pact-mock-service.log'],
  'message/README.md': ['pacts/detectcontentlambda-contentprovider.json'],
  'openapi-provider/README.md': [
    'pacts/productweb-productservice.json',
    'openapi.json',
    'self-verification.txt',
  ],
};
if (!postgresAdminUrl && process.env.CI)
  throw new Error(
    'CI=true but COVENANT_TEST_POSTGRES_URL is not set: the examples must run on PostgreSQL in CI',
  );

const dir = mkdtempSync(join(tmpdir(), 'covenant-examples-'));
const children = new Set<ChildProcess>();
const databases: TestDatabase[] = [];

afterAll(async () => {
  // each command runs in its own process group: end the whole group (npm and what it started)
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const database of databases) await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** A new, empty PostgreSQL database on the test server, dropped when the suite ends. */
async function postgresDatabase(): Promise<string> {
  const database = await createTestDatabase('postgres');
  databases.push(database);
  return database.location;
}

/** The shell commands of a README's ```bash blocks (indented ones in list items too). */
function fencedCommands(file: string): string[] {
  const commands: string[] = [];
  let inBlock = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const trimmed = line.trim();
    if (!inBlock && /^```(bash|sh|shell)$/.test(trimmed)) inBlock = true;
    else if (inBlock && trimmed === '```') inBlock = false;
    else if (inBlock && trimmed && !trimmed.startsWith('#')) commands.push(trimmed);
  }
  return commands;
}

/** This process's environment without what the running Vitest sets for its own workers. */
function baseEnvironment(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('VITEST') || key === 'NODE_ENV' || key === 'TEST') continue;
    if (['PUBLISH_PACT', 'PUBLISH_RESULTS', 'RUN_BROKER', 'START_EXIT'].includes(key)) continue;
    env[key] = value;
  }
  return { ...env, PACT_DO_NOT_TRACK: 'true', FORCE_COLOR: '0', ...extra };
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(command: string, cwd: string, env: Record<string, string>): Started {
  // its own process group, so Ctrl-C reaches npm and the node process it runs
  const child = spawn('sh', ['-c', command], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, output: () => output, exited };
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  started: Started,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (started.child.exitCode !== null) throw new Error(`exited before ${what}:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/diagnostic/status/heartbeat`, {
      signal: AbortSignal.timeout(1_000),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** Ctrl-C to the command's process group; it must stop within 15 s. */
async function interrupt(started: Started): Promise<void> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return;
  process.kill(-started.child.pid!, 'SIGINT');
  const stopped = await Promise.race([
    started.exited.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000)),
  ]);
  expect(stopped, `did not stop on Ctrl-C:\n${started.output()}`).toBe(true);
}

/** npm start's can-i-deploy answers and recorded deployments, as it printed them. */
function expectDeployments(output: string): void {
  expect(output.match(/Computer says yes/g), output).toHaveLength(7);
  for (const application of [
    'UserService',
    'ContentProvider',
    'ProductService',
    'UserServiceClient',
    'DetectContentLambda',
    'ProductWeb',
  ])
    expect(output).toMatch(new RegExp(`Recorded deployment of ${application} version \\S+ to production`));
}

/** What the broker holds for the examples: each consumer's pact, verified by its providers (or compared). */
async function expectExamplesIn(brokerUrl: string): Promise<void> {
  // reads are public: no credentials
  const client = new BrokerClient({ baseUrl: brokerUrl, env: {} });
  const pacticipants = await client.request<{ _embedded: { pacticipants: Array<{ name: string }> } }>(
    'GET',
    '/pacticipants',
  );
  expect(pacticipants._embedded.pacticipants.map((p) => p.name)).toEqual(
    expect.arrayContaining([
      'Example App',
      'Example API',
      'UserServiceClient',
      'UserService',
      'DetectContentLambda',
      'ContentProvider',
    ]),
  );
  for (const [consumer, provider] of [
    ['UserServiceClient', 'UserService'],
    ['DetectContentLambda', 'ContentProvider'],
    // verified by the broker's comparison with ProductService's OpenAPI document
    ['ProductWeb', 'ProductService'],
  ]) {
    const pact = await client.request('GET', `/pacts/provider/${provider}/consumer/${consumer}/latest`);
    const verification = await client.request('GET', client.relation(pact, 'pb:latest-verification-results'));
    expect(verification.success, `${consumer} → ${provider} verified`).toBe(true);
  }
  const anonymousWrite = await fetch(`${brokerUrl}/pacticipants`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Anonymous' }),
  });
  expect([401, 403]).toContain(anonymousWrite.status);
}

describe("the examples' READMEs, every command in order, against a broker on SQLite", () => {
  let broker: RunningBroker;
  beforeAll(async () => {
    broker = await startBroker({
      port: 0,
      database: join(dir, 'readme-broker.sqlite'),
      auth: { readWrite: credentials, publicRead: true },
      seedExampleData: true,
    });
  });
  afterAll(async () => {
    await broker?.close();
  });

  for (const readme of readmes) {
    const name = readme.slice(join(root, 'examples').length + 1);
    // each example's README speaks from its folder; the overview from the repository root
    const folder = name === 'README.md' ? root : join(readme, '..');
    it(`runs ${name}'s commands`, { timeout: 300_000 }, async (context) => {
      const startedAt = Date.now();
      const commands = fencedCommands(readme);
      expect(commands.length, `${name} has no fenced commands`).toBeGreaterThan(0);
      for (const written of commands) {
        let command = written;
        if (/postgres:\/\//.test(command)) {
          if (!postgresAdminUrl) {
            context.annotate(`skipped without COVENANT_TEST_POSTGRES_URL: ${written}`);
            continue;
          }
          command = command.replace(/postgres:\/\/\S+/, await postgresDatabase());
        }
        const port = await freePort();
        const env = baseEnvironment({
          PACT_BROKER_BASE_URL: broker.url,
          PACT_BROKER_PORT: String(port),
          PACT_BROKER_DATABASE_URL: join(dir, `started-${port}.sqlite`),
        });
        const started = run(command, folder, env);
        if (/\bnpm run broker\b/.test(command)) {
          const url = `http://127.0.0.1:${port}`;
          try {
            await until(`${written} to answer its heartbeat`, () => answers(url), started);
            const index = await fetch(`${url}/pacticipants`, { headers: { Accept: 'application/hal+json' } });
            expect(index.status, 'reads are public').toBe(200);
          } finally {
            await interrupt(started);
          }
          expect(await answers(url)).toBe(false);
        } else if (/\bnpm start\b/.test(command)) {
          try {
            await until(
              `${written} to finish the flow`,
              () => started.output().includes('The Pact Broker is running at'),
              started,
              180_000,
            );
            expectDeployments(started.output());
            await expectExamplesIn(`http://127.0.0.1:${port}`);
          } finally {
            await interrupt(started);
          }
          expect(started.output()).toContain('stopping the broker');
          expect(await answers(`http://127.0.0.1:${port}`)).toBe(false);
        } else {
          const code = await started.exited;
          expect(code, `\`${written}\` in ${folder} failed:\n${started.output()}`).toBe(0);
        }
      }
      for (const output of outputs[name] ?? []) {
        const written = statSync(join(folder, output), { throwIfNoEntry: false });
        expect(written?.mtimeMs, `${output} written by ${name}'s commands`).toBeGreaterThanOrEqual(
          startedAt - 1_000,
        );
      }
    });
  }

  it('left the pacts and verification results the commands published in the broker', async () => {
    await expectExamplesIn(broker.url);
  });
});

describe.skipIf(!postgresAdminUrl)('npm start on PostgreSQL (START_EXIT=1)', () => {
  it('publishes, verifies, answers can-i-deploy and records deployments, then exits', {
    timeout: 180_000,
  }, async () => {
    const database = await postgresDatabase();
    const started = run(
      `node scripts/start.mjs --port 0 --database '${database}'`,
      root,
      baseEnvironment({ START_EXIT: '1' }),
    );
    const code = await started.exited;
    expect(code, started.output()).toBe(0);
    expectDeployments(started.output());
    // the webhook npm start registers called its local receiver for each new pact
    expect(started.output()).toMatch(
      /webhook fired: contract_content_changed for UserServiceClient \S+ → UserService/,
    );
    // the data is in PostgreSQL: a broker started on it afterwards sees all of it
    const broker = await startBroker({
      port: 0,
      database,
      auth: { readWrite: credentials, publicRead: true },
    });
    try {
      await expectExamplesIn(broker.url);
      const client = new BrokerClient({ baseUrl: broker.url, env: {} });
      const environments = await client.request<{ _embedded: { environments: Array<{ name: string }> } }>(
        'GET',
        '/environments',
      );
      expect(environments._embedded.environments.map((e) => e.name)).toContain('production');
    } finally {
      await broker.close();
    }
  });
});
