// Who may call what, route by route, on a real broker over a socket: every registered route × every
// kind of caller × basic and bearer × public read on and off. The routes are the ones the app
// registers (read from it, not listed here), so a new route is covered the day it is added.
import {
  accessTableAuth,
  checkAccessTable,
  type RegisteredRoute,
  type RouteAccess,
} from '@covenant/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerDatabase, openDatabase } from './db/connect.js';
import { createApp } from './http/app.js';
import { type AuthOptions, ROUTE_ACCESS_LEVELS } from './http/auth.js';

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
    broker = await brokerWith({ ...accessTableAuth, publicRead });
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
    expect((await checkAccessTable(broker.url, broker.routes, publicRead)).wrong).toEqual([]);
  }, 120_000);
});

describe('a route without an access level', () => {
  it('fails at registration, naming the route and the levels', async () => {
    const database = await openDatabase(':memory:');
    const app = createApp({ database });
    try {
      expect(() => app.get('/undeclared', async () => ({}))).toThrow(
        'GET /undeclared declares no access level: give it config.access, one of public, badge, read, write',
      );
    } finally {
      await app.close();
      await database.close();
    }
  });
});
