/** Runs the built `covenant` binary and a real broker process, for the end-to-end tests. */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { tempDir } from './folders.js';
import { pactFixture } from './pacts.js';

// the CLI package's build, beside this package's (packages/test-support/dist → packages/cli/dist)
const cliDist = join(import.meta.dirname, '..', '..', 'cli', 'dist');
export const bin = join(cliDist, 'bin.js');
export const pactBrokerBin = join(cliDist, 'pact-broker.js');
/** The official `pact-broker` CLI that `npm ci --prefix test/interop` installs, to compare with. */
export const officialPactBrokerBin = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'test',
  'interop',
  'node_modules',
  '.bin',
  'pact-broker',
);

// CI and broker variables of the machine running the tests must not leak into the commands
const leaky =
  /^(PACT_|GITHUB_|GITLAB|CI$|CI_|BUILDKITE|CIRCLE|TRAVIS|JENKINS|BUILD_|GIT_|BRANCH_NAME|CHANGE_BRANCH|TF_BUILD|BITBUCKET_|SYSTEM_)/;

/** process.env without CI, git or Pact variables, with NO_COLOR and PACT_DO_NOT_TRACK set. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (!leaky.test(key) && value !== undefined) env[key] = value;
  return { ...env, NO_COLOR: '1', PACT_DO_NOT_TRACK: 'true', ...extra };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the binary to its end (`stdout: 'unwritable'`: on a descriptor opened only for reading). */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; binary?: string; stdout?: 'unwritable' } = {},
): Promise<CliRun> {
  const readOnly = options.stdout === 'unwritable' ? openSync(process.execPath, 'r') : undefined;
  const child = spawn(process.execPath, [options.binary ?? bin, ...args], {
    cwd: options.cwd ?? tmpdir(),
    env: options.env ?? cleanEnv(),
    stdio: ['ignore', readOnly ?? 'pipe', 'pipe'],
  });
  if (readOnly !== undefined) closeSync(readOnly);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c) => {
    stdout += c;
  });
  child.stderr?.on('data', (c) => {
    stderr += c;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/**
 * A long-running command (broker, stub): resolves once its output says where it listens; rejects
 * (the process killed) when it exits first or says nothing within `timeoutMs`.
 */
export async function startCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<{
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
}> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? tmpdir(),
    env: options.env ?? cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => {
    output += c;
  });
  child.stderr.on('data', (c) => {
    output += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // a command that never says where it listens must not outlive the test
      child.kill('SIGKILL');
      reject(
        Object.assign(new Error(`no 'listening on' within ${timeoutMs} ms: ${output}`), { pid: child.pid }),
      );
    }, timeoutMs);
    const check = () => {
      const found = /listening on (\S+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve(found[1]!);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening: ${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    exited,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * A broker on a fresh SQLite file in a temporary directory (under `root`), started with
 * `covenant broker`; the directory is removed when it stops, or when it fails to start.
 */
export async function startTestBroker(extraArgs: string[] = [], root = tmpdir()) {
  const dir = tempDir('covenant-cli-broker-', root);
  let broker: Awaited<ReturnType<typeof startCli>>;
  try {
    broker = await startCli(
      ['broker', '--port', '0', '--database', join(dir.path, 'broker.sqlite'), '--no-seed', ...extraArgs],
      { cwd: dir.path },
    );
  } catch (error) {
    dir.remove();
    throw error;
  }
  return {
    url: broker.url,
    async stop() {
      await broker.stop();
      dir.remove();
    },
  };
}

/** A small V3 pact between `consumer` and `provider` with a GET of each path, answered with `{ path }`. */
export function pactJson(consumer: string, provider: string, paths: string[] = ['/things/1']) {
  const interactions = paths.map((path) => ({ description: `a request for ${path}`, path, body: { path } }));
  return pactFixture({ consumer, provider, spec: 3, interactions });
}

/** Whether util-linux `script` is here to run a command on a pseudo-terminal. */
export const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Runs the binary on a pseudo-terminal (stdout and stderr both the TTY), returning what it wrote. */
export function runOnTty(
  args: string[],
  options: { env: Record<string, string>; cwd: string },
): Promise<string> {
  const quoted = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // asynchronous: a provider served by the test process must keep answering meanwhile
  return new Promise((resolve) => {
    execFile('script', ['-qec', quoted, '/dev/null'], { ...options, encoding: 'utf8' }, (_error, stdout) =>
      resolve(stdout),
    );
  });
}

/**
 * Runs independent failing command lines at once and checks each ends with status 1 and its
 * message on stderr, never a stack trace. A case is `[args, message]`.
 */
export async function expectReadableFailures(
  cases: ReadonlyArray<readonly [string[], RegExp, ...unknown[]]>,
  run: (args: string[]) => Promise<CliRun>,
): Promise<void> {
  const runs = await Promise.all(cases.map(([args]) => run(args)));
  for (const [index, [args, message]] of cases.entries()) {
    const result = runs[index]!;
    expect(result.code, args.join(' ')).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('    at ');
  }
}
