import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, openDatabase } from '@covenant/broker';
import { concreteUrl, type RegisteredRoute, type RouteAccess } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
const WRITER = 'Basic ' + Buffer.from('writer:writer-secret').toString('base64');

/** Every route the broker registers, with its access level. */
async function registeredRoutes(): Promise<RegisteredRoute[]> {
  const database = await openDatabase(':memory:');
  const routes: RegisteredRoute[] = [];
  const app = createApp({
    database,
    onRoute: (route) => {
      for (const method of [route.method].flat())
        if (method !== 'HEAD')
          routes.push({ method, url: route.url, access: route.config?.access as RouteAccess });
    },
  });
  await app.ready();
  await app.close();
  await database.close();
  return routes;
}

/** `covenant broker` with basic auth, on a fresh SQLite file, until it says where it listens. */
async function startCli(cwd: string, flags: string[], env: Record<string, string> = {}) {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      bin,
      'broker',
      '--port',
      '0',
      '--no-seed',
      '--database',
      `${flags.join('') || 'plain'}${Object.keys(env).join('')}.sqlite`,
      '--username',
      'writer',
      '--password',
      'writer-secret',
      ...flags,
    ],
    {
      cwd,
      env: {
        ...process.env,
        PACT_BROKER_DATABASE_URL: '',
        PACT_BROKER_ENABLE_PUBLIC_BADGE_ACCESS: '',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const since = Date.now();
  while (!out.includes('listening on') && Date.now() - since < 20_000)
    await new Promise((r) => setTimeout(r, 50));
  const url = /listening on (\S+)/.exec(out)?.[1];
  if (!url) throw new Error(`covenant broker did not start: ${out}`);
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The routes an anonymous client is let through (anything but a 401), calling every route once. */
async function openToAnonymous(url: string, routes: RegisteredRoute[]): Promise<string[]> {
  const open: string[] = [];
  for (const route of routes) {
    const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
    const response = await fetch(`${url}${concreteUrl(route.url)}`, {
      method: route.method,
      headers: { accept: 'application/hal+json', ...(hasBody ? { 'content-type': 'application/json' } : {}) },
      ...(hasBody ? { body: '{}' } : {}),
    });
    await response.arrayBuffer();
    if (response.status !== 401) open.push(`${route.method} ${route.url}`);
  }
  return open.sort();
}

describe('covenant broker --public-badges', () => {
  let cwd: string;
  let routes: RegisteredRoute[];
  const named = (levels: RouteAccess[]) =>
    routes
      .filter((r) => levels.includes(r.access))
      .map((r) => `${r.method} ${r.url}`)
      .sort();

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'covenant-cli-badges-'));
    routes = await registeredRoutes();
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('opens exactly the badge paths to anonymous clients, by flag or PACT_BROKER_ENABLE_PUBLIC_BADGE_ACCESS', async () => {
    const badges = named(['badge']);
    expect(badges.length).toBeGreaterThanOrEqual(5);
    expect(badges).toContain('GET /pacts/provider/:provider/consumer/:consumer/latest/badge');
    expect(badges).toContain(
      'GET /matrix/provider/:provider/latest/:providerTag/consumer/:consumer/latest/:consumerTag/badge',
    );
    for (const [flags, env] of [
      [['--public-badges'], {}],
      [[], { PACT_BROKER_ENABLE_PUBLIC_BADGE_ACCESS: 'true' }],
    ] as const) {
      const broker = await startCli(cwd, [...flags], env);
      try {
        expect(await openToAnonymous(broker.url, routes), flags.join(' ') || 'the variable').toEqual(
          named(['badge', 'public']),
        );
        // a real badge, readable without credentials
        const published = await fetch(`${broker.url}/pacts/provider/Orders/consumer/Web/version/1`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: WRITER },
          body: JSON.stringify({
            consumer: { name: 'Web' },
            provider: { name: 'Orders' },
            interactions: [],
            metadata: { pactSpecification: { version: '2.0.0' } },
          }),
        });
        expect(published.status).toBe(201);
        const badge = await fetch(`${broker.url}/pacts/provider/Orders/consumer/Web/latest/badge`);
        expect(badge.status).toBe(200);
        expect(badge.headers.get('content-type')).toContain('image/svg+xml');
        expect(await badge.text()).toContain('<svg');
        expect((await fetch(`${broker.url}/pacts/provider/Orders/consumer/Web/latest`)).status).toBe(401);
      } finally {
        await broker.stop();
      }
    }
  }, 120_000);

  it('keeps the badges behind the credentials without it', async () => {
    const broker = await startCli(cwd, []);
    try {
      expect(await openToAnonymous(broker.url, routes)).toEqual(named(['public']));
    } finally {
      await broker.stop();
    }
  }, 60_000);
});
