// Case 3: the auth table, as a bench row. The routes come from the app as it registers them (a new
// route cannot skip the table); the table itself is @covenant/test-support's, shared with
// packages/broker/src/access.test.ts.
import { createApp, openDatabase } from '@covenant/broker';
import { accessTableAuth, checkAccessTable } from '@covenant/test-support';
import { createTestDatabase } from './lib.mjs';

export async function authTable({ kind, log = () => {} }) {
  const failures = [];
  let calls = 0;
  let routeCount = 0;
  for (const publicRead of [false, true]) {
    const testDatabase = await createTestDatabase(kind);
    const database = await openDatabase(testDatabase.location);
    const routes = [];
    const app = createApp({
      database,
      auth: { ...accessTableAuth, publicRead },
      onRoute: (route) => {
        for (const method of [route.method].flat())
          routes.push({ method, url: route.url, access: route.config?.access });
      },
    });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const result = await checkAccessTable(
        `http://127.0.0.1:${app.server.address().port}`,
        routes,
        publicRead,
      );
      failures.push(...result.wrong.map((w) => `public read ${publicRead}: ${w}`));
      calls += result.calls;
      routeCount = routes.length;
    } finally {
      await app.close();
      await database.close();
      await testDatabase.drop();
    }
  }
  for (const f of failures.slice(0, 10)) log(`  ${f}`);
  return {
    case: `auth table (${kind})`,
    ok: failures.length === 0 && routeCount > 80,
    figure: `${routeCount} routes × 7 callers × public read on/off = ${calls} calls, ${failures.length} wrong`,
    failures,
  };
}
