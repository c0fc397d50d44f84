// Who may call what, route by route, on a real broker over a socket: every registered route × every
// kind of caller × basic and bearer × public read on and off. The routes are the ones the app
// registers (read from it, not listed here), so a new route is covered the day it is added.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerDatabase, openDatabase } from './db/connect.js';
import { createApp } from './http/app.js';
import { type AuthOptions, ROUTE_ACCESS_LEVELS, type RouteAccess } from './http/auth.js';

interface RegisteredRoute {
  method: string;
  url: string;
  access: RouteAccess;
}

const readWrite = { username: 'writer', password: 'writer-secret' };
const readOnly = { username: 'reader', password: 'reader-secret' };
const tokens = { readWrite: ['rw-token'], readOnly: ['ro-token'] };

type Caller = 'anonymous' | 'wrong credentials' | 'read-only' | 'read-write';
type Scheme = 'basic' | 'bearer';

const basic = ({ username, password }: { username: string; password: string }) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

function authorization(caller: Caller, scheme: Scheme): string | undefined {
  if (caller === 'anonymous') return undefined;
  if (scheme === 'basic')
    return caller === 'read-write'
      ? basic(readWrite)
      : caller === 'read-only'
        ? basic(readOnly)
        : basic({ username: readOnly.username, password: 'not-the-password' });
  return `Bearer ${caller === 'read-write' ? tokens.readWrite[0] : caller === 'read-only' ? tokens.readOnly[0] : 'not-a-token'}`;
}

/**
 * What the broker must answer: let the call through, or refuse it with 401 or 403. With public read
 * on, an anonymous caller reads as read-only credentials do (and is refused a write with 403).
 */
function expected(access: RouteAccess, caller: Caller, publicRead: boolean): 'allowed' | 401 | 403 {
  if (access === 'public' || caller === 'read-write') return 'allowed';
  if (caller === 'wrong credentials' || (caller === 'anonymous' && !publicRead)) return 401;
  return access === 'read' ? 'allowed' : 403;
}

/** A concrete URL for a route pattern: each parameter gets a plain name. */
const concrete = (url: string) => url.replace(/:(\w+)/g, (_m, name: string) => `sample-${name}`);

async function brokerWith(auth: AuthOptions) {
  const database: BrokerDatabase = await openDatabase(':memory:');
  const routes: RegisteredRoute[] = [];
  const app: FastifyInstance = createApp({
    database,
    auth,
    onRoute: (route) => {
      for (const method of [route.method].flat())
        routes.push({ method, url: route.url, access: route.config?.access as RouteAccess });
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    routes,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

describe.each([false, true])('route access with public read %s', (publicRead) => {
  let broker: Awaited<ReturnType<typeof brokerWith>>;
  beforeAll(async () => {
    broker = await brokerWith({ readWrite, readOnly, tokens, publicRead });
  });
  afterAll(() => broker.close());

  it('every route declares an access level, and the reading POST is read', () => {
    expect(broker.routes.length).toBeGreaterThan(80);
    for (const route of broker.routes) expect(ROUTE_ACCESS_LEVELS, route.url).toContain(route.access);
    const levelOf = (method: string, url: string) =>
      broker.routes.find((r) => r.method === method && r.url === url)?.access;
    expect(levelOf('POST', '/pacts/provider/:provider/for-verification')).toBe('read');
    expect(levelOf('GET', '/diagnostic/status/heartbeat')).toBe('public');
    expect(levelOf('PUT', '/pacts/provider/:provider/consumer/:consumer/version/:version')).toBe('write');
  });

  it('answers every route × caller × scheme with 401, 403 or lets it through', async () => {
    const wrong: string[] = [];
    for (const route of broker.routes)
      for (const caller of ['anonymous', 'wrong credentials', 'read-only', 'read-write'] as const)
        for (const scheme of ['basic', 'bearer'] as const) {
          if (caller === 'anonymous' && scheme === 'bearer') continue; // no credentials, no scheme
          const header = authorization(caller, scheme);
          const hasBody = route.method !== 'GET' && route.method !== 'HEAD' && route.method !== 'DELETE';
          const response = await fetch(`${broker.url}${concrete(route.url)}`, {
            method: route.method,
            headers: {
              accept: 'application/hal+json',
              ...(header ? { authorization: header } : {}),
              ...(hasBody ? { 'content-type': 'application/json' } : {}),
            },
            ...(hasBody ? { body: '{}' } : {}),
          });
          await response.arrayBuffer();
          const want = expected(route.access, caller, publicRead);
          const got = response.status === 401 || response.status === 403 ? response.status : 'allowed';
          if (got !== want)
            wrong.push(
              `${route.method} ${route.url} (${route.access}) as ${caller}/${scheme}: ${got}, not ${want}`,
            );
        }
    expect(wrong).toEqual([]);
  }, 120_000);
});

describe('a route without an access level', () => {
  it('fails at registration, naming the route and the levels', async () => {
    const database = await openDatabase(':memory:');
    const app = createApp({ database });
    try {
      expect(() => app.get('/undeclared', async () => ({}))).toThrow(
        'GET /undeclared declares no access level: give it config.access, one of public, read, write',
      );
    } finally {
      await app.close();
      await database.close();
    }
  });
});
