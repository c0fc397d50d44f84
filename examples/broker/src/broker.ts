// The examples' broker: where it is, its credentials, and a way for a test run to use a broker that
// is already answering or to start one for the run (`--run-broker` / RUN_BROKER=1).

import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the examples' broker is and how to write to it. */
export interface BrokerSettings {
  /** The broker's base URL: PACT_BROKER_BASE_URL, default http://localhost:9292. */
  url: string;
  /** The read-write user: PACT_BROKER_USERNAME, default `pactbroker` (the seed's). */
  username: string;
  /** PACT_BROKER_PASSWORD, default `pactbroker`. */
  password: string;
  /** Where a broker this module starts keeps its data: PACT_BROKER_DATABASE_URL (a SQLite file or a postgres:// URL), default examples/broker/pact_broker.sqlite. */
  database: string;
}

/** A broker the examples use: started by us (and stopped by `stop`) or found running (and left alone). */
export interface ExampleBroker {
  url: string;
  /** True when this process started it. */
  started: boolean;
  /** Stops the broker when this process started it; otherwise does nothing. */
  stop(): Promise<void>;
}

const brokerFolder = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The broker settings from the environment, with the seed's defaults.
 *
 * @example const { url, username, password } = brokerSettings();
 */
export function brokerSettings(env: Record<string, string | undefined> = process.env): BrokerSettings {
  return {
    url: (env.PACT_BROKER_BASE_URL ?? 'http://localhost:9292').replace(/\/+$/, ''),
    username: env.PACT_BROKER_USERNAME ?? 'pactbroker',
    password: env.PACT_BROKER_PASSWORD ?? 'pactbroker',
    database: env.PACT_BROKER_DATABASE_URL ?? join(brokerFolder, 'pact_broker.sqlite'),
  };
}

/**
 * True when a broker answers its heartbeat at `url` within `timeoutMs`.
 *
 * @example if (!(await brokerAnswers('http://localhost:9292'))) console.log('no broker');
 */
export async function brokerAnswers(url: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    const response = await fetch(`${url}/diagnostic/status/heartbeat`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** The `covenant` command's launcher, found through the @covenant/cli package this example depends on. */
export function covenantBin(): string {
  const entry = createRequire(import.meta.url).resolve('@covenant/cli');
  return join(dirname(entry), '..', 'bin', 'covenant.js');
}

function portOf(url: URL): string {
  if (url.port) return url.port;
  return url.protocol === 'https:' ? '443' : '80';
}

async function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
}

/**
 * Uses the broker answering its heartbeat at `settings.url`, or starts one there (`covenant broker`
 * in a child process, with the settings' credentials, public reads and database) and waits until it
 * answers. Call `stop()` when done: it stops only a broker this call started.
 *
 * @example
 * const broker = await ensureBroker();
 * try { await publish(broker.url); } finally { await broker.stop(); }
 */
export async function ensureBroker(
  settings: BrokerSettings = brokerSettings(),
  options: { startTimeoutMs?: number; log?: (line: string) => void } = {},
): Promise<ExampleBroker> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (await brokerAnswers(settings.url)) {
    log(`Using the broker already running at ${settings.url}`);
    return { url: settings.url, started: false, stop: async () => {} };
  }
  const url = new URL(settings.url);
  if (url.protocol !== 'http:' || !['localhost', '127.0.0.1'].includes(url.hostname)) {
    throw new Error(
      `No broker answers at ${settings.url}, and one can only be started on this machine (http://localhost:<port>): start it there or fix PACT_BROKER_BASE_URL.`,
    );
  }
  const args = [
    covenantBin(),
    'broker',
    '--port',
    portOf(url),
    '--host',
    '127.0.0.1',
    '--database',
    settings.database,
    '--username',
    settings.username,
    '--password',
    settings.password,
    '--public-read',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (!(await brokerAnswers(settings.url, 500))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM');
      await waitForExit(child);
      throw new Error(`The broker did not start at ${settings.url}:\n${output.trim() || '(no output)'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  log(`Started a broker at ${settings.url} (database: ${settings.database})`);
  return {
    url: settings.url,
    started: true,
    stop: async () => {
      child.kill('SIGTERM');
      await waitForExit(child);
    },
  };
}
