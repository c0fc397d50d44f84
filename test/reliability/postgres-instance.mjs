// A throwaway PostgreSQL server of its own, for the cases that stop and start the database: the
// shared server (COVENANT_TEST_POSTGRES_URL) is used by others and is never restarted. initdb into
// a temporary folder, as the `postgres` user, listening on a free loopback port only.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.COVENANT_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * Why a throwaway server cannot be made here (no PostgreSQL binaries, or not root to run them as
 * `postgres`), or undefined when it can.
 */
export function throwawayPostgresUnavailable() {
  if (!existsSync(join(BIN, 'initdb'))) return `no initdb in ${BIN} (set COVENANT_POSTGRES_BIN)`;
  if (process.getuid?.() !== 0)
    return 'initdb must run as the postgres user: the case needs root to switch to it';
  return undefined;
}

const run = (command, args) =>
  new Promise((resolve, reject) =>
    execFile('runuser', ['-u', 'postgres', '--', join(BIN, command), ...args], (error, stdout, stderr) =>
      error ? reject(new Error(`${command} failed: ${stderr || stdout || error.message}`)) : resolve(stdout),
    ),
  );

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/**
 * Creates and starts a server; `url` connects as the `postgres` superuser (trust auth, loopback
 * only). `stop()` shuts it down the way an administrator's restart does (fast: open sessions are
 * terminated), `start()` brings it back on the same port, `remove()` stops it and deletes its files.
 *
 * @example
 * const server = await throwawayPostgres();
 * await server.stop(); await server.start(); await server.remove();
 */
export async function throwawayPostgres() {
  const dir = mkdtempSync(join(tmpdir(), 'covenant-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  await new Promise((resolve, reject) =>
    execFile('chown', ['postgres:postgres', dir], (error) => (error ? reject(error) : resolve())),
  );
  await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`;
  const start = () =>
    run('pg_ctl', ['start', '-D', data, '-w', '-t', '30', '-l', join(dir, 'log'), '-o', options]);
  const stop = () => run('pg_ctl', ['stop', '-D', data, '-w', '-t', '30', '-m', 'fast']);
  await start();
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async remove() {
      if (running) await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
