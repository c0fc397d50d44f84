// The Dockerfile's steps without Docker (no base images can be pulled here): its RUN lines run in a
// fresh folder (the image's /app and /data mapped into it, the packages mapped to tarballs), then
// the broker starts as its CMD would, with its ENV and the reference image's variables, and its
// HEALTHCHECK answers without curl. What Docker itself does (the base images, COPY --from, USER,
// VOLUME) is not run; README says so.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@covenant/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlitePrebuild } from './sqlite-prebuild.js';

const root = join(import.meta.dirname, '..', '..');
const postgresUrl = process.env.COVENANT_TEST_POSTGRES_URL;

interface Dockerfile {
  args: Record<string, string>;
  runs: string[];
  env: Record<string, string>;
  workdir: string;
  healthcheck: string[];
  cmd: string[];
}

/** The instructions this test runs, read from the Dockerfile (continuation lines joined). */
function readDockerfile(text: string): Dockerfile {
  const lines = text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('#'));
  const file: Dockerfile = { args: {}, runs: [], env: {}, workdir: '/', healthcheck: [], cmd: [] };
  for (const line of lines) {
    const [, instruction, rest] = /^(\w+)\s+(.*)$/.exec(line.trim()) ?? [];
    if (instruction === 'FROM')
      file.env = {}; // each stage starts afresh; the last one runs
    else if (instruction === 'ARG') {
      const [name, value = ''] = rest!.split('=');
      file.args[name!] = value;
    } else if (instruction === 'ENV')
      for (const [, name, value] of rest!.matchAll(/(\w+)=(\S+)/g)) file.env[name!] = value!;
    else if (instruction === 'WORKDIR') file.workdir = rest!;
    else if (instruction === 'RUN') file.runs.push(rest!);
    else if (instruction === 'HEALTHCHECK')
      file.healthcheck = JSON.parse(rest!.slice(rest!.indexOf('CMD') + 3));
    else if (instruction === 'CMD') file.cmd = JSON.parse(rest!);
  }
  return file;
}

/** process.env without the npm_* variables `npm test` sets (they would steer the npm commands run here). */
function outsideNpm(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[1] !== undefined && !/^npm_/i.test(e[0]),
    ),
  );
}

function sh(command: string, cwd: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number; output: string }>((resolve) =>
    execFile(
      'sh',
      ['-c', command],
      { cwd, env: { ...outsideNpm(), ...env }, maxBuffer: 1 << 26 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    ),
  );
}

function exec(argv: string[], cwd: string, env: Record<string, string>) {
  return new Promise<number>((resolve) =>
    execFile(argv[0]!, argv.slice(1), { cwd, env: { PATH: process.env.PATH ?? '', ...env } }, (error) =>
      resolve(error ? ((error as { code?: number }).code ?? 1) : 0),
    ),
  );
}

const dockerfile = readDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const folder = mkdtempSync(join(tmpdir(), 'covenant-image-'));
/** The image's absolute paths, inside the fresh folder. */
const inFolder = (text: string) => text.replace(/(^|[\s=])\/(app|data)\b/g, `$1${folder}/$2`);
const database = `covenant_image_${process.pid}`;
let stopBroker: (() => void) | undefined;

beforeAll(async () => {
  // the packages are not on the registry yet: each @covenant/* spec is its tarball (and the CLI's
  // own @covenant dependencies beside it, which the registry would otherwise serve)
  const tarballs = join(folder, 'tarballs');
  mkdirSync(tarballs, { recursive: true });
  const names = ['core', 'broker-client', 'consumer', 'verifier', 'contracts', 'broker', 'cli'];
  const pack = await sh(
    `npm pack --silent --pack-destination ${tarballs} ${names.map((n) => `-w packages/${n}`).join(' ')}`,
    root,
  );
  expect(pack.code, pack.output).toBe(0);
  const files = pack.output
    .trim()
    .split('\n')
    .filter((line) => line.endsWith('.tgz'));
  mkdirSync(inFolder('/app'), { recursive: true });
  for (const run of dockerfile.runs) {
    let command = inFolder(run).replace(/\$\{(\w+)\}/g, (_, name: string) => dockerfile.args[name] ?? '');
    command = command.replace(
      /@covenant\/cli@\S+ @covenant\/broker@\S+/,
      files.map((f) => join(tarballs, f)).join(' '),
    );
    // chown to the image's node user: no such user here, and the test runs as whoever it is
    command = command.replace(/ && chown \S+ \S+/, '');
    const result = await sh(command, inFolder(dockerfile.workdir), sqlitePrebuild(join(folder, 'prebuilds')));
    expect(result.code, `${command}\n${result.output}`).toBe(0);
  }
  if (postgresUrl) {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`CREATE DATABASE ${database}`);
    await client.end();
  }
}, 400_000);

afterAll(async () => {
  stopBroker?.();
  await new Promise((resolve) => setTimeout(resolve, 300));
  if (postgresUrl) {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
  }
  rmSync(folder, { recursive: true, force: true });
});

describe('the Dockerfile', () => {
  it('runs as a non-root user, from an LTS Node image, with production dependencies only', () => {
    const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(text).toMatch(/^USER node$/m);
    expect([...text.matchAll(/^FROM node:(\d+)/gm)].map((m) => Number(m[1]) % 2)).toEqual([0, 0]);
    expect(dockerfile.runs.join('\n')).toContain('--omit=dev');
    expect(dockerfile.env.NODE_ENV).toBe('production');
  });

  it("starts the broker as its CMD does, with the reference image's variables, and its health check passes", async () => {
    const port = await freePort();
    const publicUrl = 'https://pact.example.test';
    const url = postgresUrl ? new URL(postgresUrl) : undefined;
    const env: Record<string, string> = {
      ...Object.fromEntries(Object.entries(dockerfile.env).map(([k, v]) => [k, inFolder(v)])),
      // loopback only in tests (the image listens on 0.0.0.0)
      PACT_BROKER_HOST: '127.0.0.1',
      PACT_BROKER_PORT: String(port),
      PACT_BROKER_BASIC_AUTH_USERNAME: 'ci',
      PACT_BROKER_BASIC_AUTH_PASSWORD: 'secret',
      PACT_BROKER_ALLOW_PUBLIC_READ: 'true',
      PACT_BROKER_LOG_LEVEL: 'info',
      PACT_BROKER_BASE_URL: publicUrl,
      ...(url
        ? {
            PACT_BROKER_DATABASE_URL: '',
            PACT_BROKER_DATABASE_HOST: url.hostname,
            PACT_BROKER_DATABASE_PORT: url.port || '5432',
            PACT_BROKER_DATABASE_USERNAME: decodeURIComponent(url.username),
            PACT_BROKER_DATABASE_PASSWORD: decodeURIComponent(url.password),
            PACT_BROKER_DATABASE_NAME: database,
          }
        : {}),
    };
    mkdirSync(inFolder('/data'), { recursive: true });
    const health = () => exec(dockerfile.healthcheck, inFolder(dockerfile.workdir), env);
    expect(await health()).toBe(1); // nothing listens yet: the check can fail

    const broker = spawn(dockerfile.cmd[0]!, dockerfile.cmd.slice(1), {
      cwd: inFolder(dockerfile.workdir),
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stopBroker = () => broker.kill('SIGTERM');
    let output = '';
    broker.stdout.on('data', (c) => (output += c));
    broker.stderr.on('data', (c) => (output += c));
    const until = Date.now() + 30_000;
    while (!output.includes('listening on') && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain(`listening on http://127.0.0.1:${port}`);
    expect(output).toContain(url ? `PostgreSQL` : 'pact_broker.sqlite');

    expect(await health()).toBe(0);
    const base = `http://127.0.0.1:${port}`;
    // public read, links from PACT_BROKER_BASE_URL
    const index = await fetch(`${base}/`, { headers: { Accept: 'application/hal+json' } });
    expect(index.status).toBe(200);
    expect(JSON.stringify(await index.json())).toContain(`${publicUrl}/pacticipants`);
    // writes need the basic-auth user (anonymous readers are refused writing: 403)
    const put = (headers: Record<string, string>) =>
      fetch(`${base}/pacticipants/Web`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: '{"name":"Web"}',
      });
    expect((await put({})).status).toBe(403);
    const authorised = await put({ Authorization: `Basic ${Buffer.from('ci:secret').toString('base64')}` });
    expect(authorised.status).toBeLessThan(300);
    // PACT_BROKER_LOG_LEVEL=info logs the requests
    expect(output).toMatch(/"url":"\/pacticipants\/Web"/);
  }, 60_000);
});
