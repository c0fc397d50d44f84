// The faults the reliability suite found, one test each, named after the fault.
import { createApp, openDatabase } from '@covenant/broker';
import { describe, expect, it } from 'vitest';

async function withApp<T>(
  options: { bodyLimit?: number },
  use: (app: ReturnType<typeof createApp>) => Promise<T>,
) {
  const database = await openDatabase(':memory:');
  const app = createApp({ database, ...options });
  try {
    return await use(app);
  } finally {
    await app.close();
    await database.close();
  }
}

describe('faults found by the reliability suite', () => {
  it('fault: reading operations answered 400 (bad percent-encoding, NUL) without documenting it', async () => {
    const doc = await withApp({}, async (app) => (await app.inject({ url: '/openapi.json' })).json());
    const undocumented = Object.entries(doc.paths as Record<string, Record<string, { responses: object }>>)
      .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })))
      .filter(({ op }) => !('400' in op.responses))
      .map(({ method, path }) => `${method} ${path}`);
    expect(undocumented).toEqual([]);
    const answer = await withApp({}, (app) => app.inject({ url: '/pacticipants/a%00b' }));
    expect(answer.statusCode).toBe(400);
  });

  it('fault: the broker did not advertise its body limit, so a client learnt it only from a 413', async () => {
    const answer = await withApp({ bodyLimit: 12345 }, (app) =>
      app.inject({ url: '/', headers: { accept: 'application/hal+json' } }),
    );
    expect(answer.headers['x-covenant-body-limit']).toBe('12345');
  });
});

describe('faults found by the reliability suite in pages', () => {
  it('fault: the integration matrix page answered 500 to a page number given twice', async () => {
    const answer = await withApp({}, (app) =>
      app.inject({ url: '/matrix/provider/a/consumer/b?page=x&page=y', headers: { accept: 'text/html' } }),
    );
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('page is given more than once');
  });
});
