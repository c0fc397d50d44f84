// What the reliability cases share: a broker in a child process (so it can be killed), fresh
// databases of each kind, a raw HTTP client over loopback, and figures (percentiles, RSS).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, postgresAdminUrl } from '@covenant/test-support';
import Database from 'better-sqlite3';
import { sqliteOpenOptions } from '../../packages/broker/dist/db/connect.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The database kinds every case runs on: SQLite always, PostgreSQL when a server is named. */
/**
 * A SQLite file opened as the broker opens it: with the native part built for this Node.js when
 * COVENANT_SQLITE_NATIVE_BINDING names one (CI's Node 24 run), so a check reads the file the
 * broker wrote without loading an addon built for another Node.
 */
export const openSqlite = (location, options = {}) =>
  new Database(location, { ...sqliteOpenOptions(), ...options });

export const kinds = () => (postgresAdminUrl ? ['sqlite', 'postgres'] : ['sqlite']);

export { createTestDatabase };

/**
 * Starts `broker-child.mjs` with `options` (and `nodeArgs` for node) and resolves once it listens.
 * `logs` collects every line it writes (stdout and stderr), for the secrets scan; `exited` says
 * whether it died.
 */
export function spawnBroker(options, { env = {}, nodeArgs = [] } = {}) {
  const child = spawn(
    process.execPath,
    [...nodeArgs, join(here, 'broker-child.mjs'), JSON.stringify(options)],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs = [];
  const state = { exit: undefined };
  const collect = (stream) => {
    let rest = '';
    stream.on('data', (chunk) => {
      rest += chunk;
      const lines = rest.split('\n');
      rest = lines.pop();
      logs.push(...lines);
    });
  };
  collect(child.stdout);
  collect(child.stderr);
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the broker did not start: ${logs.join('\n')}`)), 30_000);
    child.stderr.on('data', () => {
      const line = logs.find((l) => l.startsWith('READY '));
      if (line) {
        clearTimeout(timer);
        resolve(line.slice(6).trim());
      }
    });
    child.on('exit', (code, signal) => {
      state.exit = { code, signal };
      clearTimeout(timer);
      reject(new Error(`the broker exited (${code ?? signal}) before it listened: ${logs.join('\n')}`));
    });
  });
  ready.catch(() => {});
  return {
    child,
    logs,
    ready,
    get exit() {
      return state.exit;
    },
    /** Resident memory of the broker process in MB (Linux /proc). */
    rssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    /**
     * The broker's heap in use, its memory outside the heap (buffers) and RSS in MB right after a
     * full garbage collection (started with
     * `nodeArgs: ['--expose-gc']`; without it, no collection runs first).
     */
    async heapAfterGc() {
      const seen = logs.length;
      child.kill('SIGUSR2');
      for (let i = 0; i < 500; i++) {
        const line = logs.slice(seen).find((l) => l.startsWith('HEAP '));
        if (line) {
          const [heapUsed, external, rss] = line.slice(5).split(' ').map(Number);
          return { heapMb: heapUsed / 2 ** 20, externalMb: external / 2 ** 20, rssMb: rss / 2 ** 20 };
        }
        await sleep(10);
      }
      throw new Error('the broker did not report its heap within 5 s');
    },
    kill(signal = 'SIGKILL') {
      return new Promise((resolve) => {
        if (state.exit) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One request over loopback with node:http (any method, raw bytes); resolves with status, headers
 * and body text, or with `{ status: 0, error }` when the connection failed.
 *
 * A kept-alive connection can be closed by the server just as the next request goes out on it (the
 * race Node's docs describe under `request.reusedSocket`); such a request is sent once more on a new
 * connection, as HTTP clients do, and the answer says so in `retried`.
 */
export async function request(base, options = {}) {
  const first = await requestOnce(base, options, agent);
  if (first.status !== 0 || !first.reusedSocket) return first;
  return { ...(await requestOnce(base, options, false)), retried: first.error };
}

function requestOnce(base, { method = 'GET', path = '/', headers = {}, body, timeout = 30_000 } = {}, agent) {
  const url = new URL(base);
  return new Promise((resolve) => {
    const started = performance.now();
    let req;
    try {
      req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: body === undefined ? headers : { 'content-length': Buffer.byteLength(body), ...headers },
          agent,
          timeout,
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
              ms: performance.now() - started,
            }),
          );
          res.on('error', (error) => resolve({ status: 0, error, ms: performance.now() - started }));
        },
      );
    } catch (error) {
      return resolve({ status: -1, error, ms: 0 }); // node refused to send it (not the broker's doing)
    }
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) =>
      resolve({ status: 0, error, ms: performance.now() - started, reusedSocket: req.reusedSocket }),
    );
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

export const json = (value) => ({
  headers: { 'content-type': 'application/json', accept: 'application/hal+json' },
  body: JSON.stringify(value),
});

/** Runs `tasks` (functions returning promises) with at most `width` at a time. */
export async function pool(tasks, width) {
  let next = 0;
  const results = new Array(tasks.length);
  await Promise.all(
    Array.from({ length: Math.min(width, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

export function percentile(values, p) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A minimal pact for consumer → provider with one interaction named `description`. */
export function pact(consumer, provider, description = 'a request') {
  return {
    consumer: { name: consumer },
    provider: { name: provider },
    interactions: [
      {
        description,
        request: { method: 'GET', path: '/thing' },
        response: { status: 200, body: { ok: true } },
      },
    ],
    metadata: { pactSpecification: { version: '3.0.0' } },
  };
}

/** Percent-encodes a path segment byte by byte (a lone surrogate becomes U+FFFD, as UTF-8 does). */
export const enc = (text) =>
  [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
