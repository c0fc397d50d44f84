// The faults the reliability suite found, one test each, named after the fault.
import net from 'node:net';
import { brokerErrors, createApp, openDatabase, startBroker } from '@covenant/broker';
import { createTestDatabase, databaseKinds, postgresAdminUrl } from '@covenant/test-support';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openSqlite } from './lib.mjs';
import { atFirstMigration, migrationNames, schemaState, schemasByStep } from './migration-kill.mjs';
import { throwawayPostgres, throwawayPostgresUnavailable } from './postgres-instance.mjs';

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

describe('faults found by the reliability suite at the transport', () => {
  it('fault: EPIPE: a client still sending lost the answer to a request the HTTP parser refused', async () => {
    const broker = await startBroker({ database: ':memory:', port: 0 });
    try {
      const socket = net.connect(broker.port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      // the client sends, without reading yet: a URL over the 16 KB the broker reads (a 431),
      // then, after the broker has answered, the rest of its headers in two writes (a reset
      // connection fails the second)
      socket.pause();
      socket.write(`GET /pacticipants?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: broker\r\n`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const outcome = new Promise<{ answer: string; error?: Error }>((resolve) => {
        let answer = '';
        socket.on('data', (chunk) => {
          answer += chunk;
        });
        socket.on('error', (error) => resolve({ answer, error }));
        socket.on('end', () => resolve({ answer }));
      });
      for (const line of ['X-More', 'X-Last'])
        await new Promise((resolve) => {
          socket.write(`${line}: ${'y'.repeat(20_000)}\r\n`);
          setTimeout(resolve, 200);
        });
      socket.resume();
      const { answer, error } = await outcome;
      socket.destroy();
      expect(error?.message).toBeUndefined();
      expect(answer).toMatch(/^HTTP\/1\.1 431 /);
      expect(answer).toContain('COV_BROKER_REQUEST_MALFORMED');
    } finally {
      await broker.close();
    }
  });
});

describe('faults found by the reliability suite in concurrent writes', () => {
  it('fault: a pacticipant created while a DELETE of it ran was answered 404', async () => {
    const statuses = await withApp({}, async (app) => {
      const seen = new Set<number>();
      // the DELETE sent a little later each round, so that it lands in every gap of the POST
      for (let round = 0; round < 200; round++) {
        const [created] = await Promise.all([
          app.inject({ method: 'POST', url: '/pacticipants', payload: { name: 'raced' } }),
          (async () => {
            for (let turn = 0; turn < round % 40; turn++)
              await new Promise((resolve) => setImmediate(resolve));
            return app.inject({ method: 'DELETE', url: '/pacticipants/raced' });
          })(),
        ]);
        seen.add(created.statusCode);
      }
      return [...seen].sort();
    });
    // created, or updated when the DELETE came first and found nothing: never "no such pacticipant"
    expect(statuses.filter((status) => status !== 200 && status !== 201)).toEqual([]);
  });
});

describe.each(databaseKinds())('faults found by the reliability suite in concurrent writes (%s)', (kind) => {
  it('fault: a label written while a DELETE of its pacticipant ran was answered 500', async () => {
    const testDatabase = await createTestDatabase(kind);
    const database = await openDatabase(testDatabase.location);
    const app = createApp({ database });
    try {
      const answers = new Set<string>();
      // the DELETE sent a little later each round, so that it lands in every gap of the PUT
      for (let round = 0; round < 100; round++) {
        await app.inject({ method: 'PUT', url: '/pacticipants/raced', payload: {} });
        const [labelled] = await Promise.all([
          app.inject({ method: 'PUT', url: '/pacticipants/raced/labels/l1' }),
          (async () => {
            for (let turn = 0; turn < round % 20; turn++)
              await new Promise((resolve) => setImmediate(resolve));
            return app.inject({ method: 'DELETE', url: '/pacticipants/raced' });
          })(),
        ]);
        answers.add(labelled.statusCode < 500 ? 'stored' : `${labelled.statusCode} ${labelled.json().code}`);
      }
      // a write that lost the race may ask to be sent again (503); it never fails
      expect(
        [...answers].filter((answer) => answer !== 'stored' && answer !== '503 COV_BROKER_WRITE_RACED'),
      ).toEqual([]);
    } finally {
      await app.close();
      await database.close();
      await testDatabase.drop();
    }
  }, 60_000);

  it('fault: a label written while a DELETE of its pacticipant ran was answered 503 WRITE_RACED', async () => {
    const testDatabase = await createTestDatabase(kind);
    const database = await openDatabase(testDatabase.location);
    const app = createApp({ database });
    try {
      const outcomes = new Set<string>();
      // the DELETE sent a little later each round, so that it lands in every gap of the PUT
      for (let round = 0; round < 200; round++) {
        await app.inject({ method: 'PUT', url: '/pacticipants/raced', payload: {} });
        const [labelled, deleted] = await Promise.all([
          app.inject({ method: 'PUT', url: '/pacticipants/raced/labels/l1' }),
          (async () => {
            for (let turn = 0; turn < round % 20; turn++)
              await new Promise((resolve) => setImmediate(resolve));
            return app.inject({ method: 'DELETE', url: '/pacticipants/raced' });
          })(),
        ]);
        // either the DELETE came last and took the label with it, or the PUT came last and labelled anew
        const after = await app.inject({ url: '/pacticipants/raced/labels/l1' });
        const pacticipant = await app.inject({ url: '/pacticipants/raced' });
        const answer = (reply: typeof labelled) =>
          reply.statusCode < 300 ? '2xx' : `${reply.statusCode} ${reply.json().code}`;
        outcomes.add(
          `PUT ${answer(labelled)}, DELETE ${answer(deleted)}, ` +
            `after: pacticipant ${pacticipant.statusCode}, label ${after.statusCode}`,
        );
      }
      const expected = /^PUT 2xx, DELETE 2xx, after: pacticipant (404, label 404|200, label 200)$/;
      expect([...outcomes].filter((outcome) => !expected.test(outcome))).toEqual([]);
    } finally {
      await app.close();
      await database.close();
      await testDatabase.drop();
    }
  }, 120_000);

  it('fault: a version written while a DELETE of its pacticipant ran was answered 404', async () => {
    const testDatabase = await createTestDatabase(kind);
    const database = await openDatabase(testDatabase.location);
    const app = createApp({ database });
    try {
      const answers = new Set<string>();
      // the DELETE sent a little later each round, so that it lands in every gap of the PUT
      for (let round = 0; round < 100; round++) {
        await app.inject({ method: 'PUT', url: '/pacticipants/raced', payload: {} });
        const [written] = await Promise.all([
          app.inject({ method: 'PUT', url: '/pacticipants/raced/versions/1.0.0', payload: {} }),
          (async () => {
            for (let turn = 0; turn < round % 20; turn++)
              await new Promise((resolve) => setImmediate(resolve));
            return app.inject({ method: 'DELETE', url: '/pacticipants/raced' });
          })(),
        ]);
        answers.add(written.statusCode < 300 ? 'stored' : `${written.statusCode} ${written.json().code}`);
      }
      expect([...answers]).toEqual(['stored']);
    } finally {
      await app.close();
      await database.close();
      await testDatabase.drop();
    }
  }, 60_000);

  it('fault: a pact published while a DELETE of its provider ran was answered 503 WRITE_RACED', async () => {
    const testDatabase = await createTestDatabase(kind);
    const database = await openDatabase(testDatabase.location);
    const app = createApp({ database });
    const pact = {
      consumer: { name: 'Web' },
      provider: { name: 'raced' },
      interactions: [
        { description: 'a request', request: { method: 'GET', path: '/' }, response: { status: 200 } },
      ],
      metadata: { pactSpecification: { version: '2.0.0' } },
    };
    try {
      const answers = new Set<string>();
      // the DELETE sent a little later each round, so that it lands in every gap of the publish
      for (let round = 0; round < 200; round++) {
        await app.inject({ method: 'PUT', url: '/pacticipants/raced', payload: {} });
        const [published] = await Promise.all([
          app.inject({
            method: 'PUT',
            url: `/pacts/provider/raced/consumer/Web/version/${round}`,
            payload: pact,
          }),
          (async () => {
            for (let turn = 0; turn < round % 20; turn++)
              await new Promise((resolve) => setImmediate(resolve));
            return app.inject({ method: 'DELETE', url: '/pacticipants/raced' });
          })(),
        ]);
        answers.add(
          published.statusCode < 300 ? 'stored' : `${published.statusCode} ${published.json().code}`,
        );
      }
      expect([...answers]).toEqual(['stored']);
    } finally {
      await app.close();
      await database.close();
      await testDatabase.drop();
    }
  }, 120_000);

  it.each(['deployed', 'released'])(
    'fault: a version %s while a DELETE of its environment ran was answered 503 WRITE_RACED',
    async (record) => {
      const testDatabase = await createTestDatabase(kind);
      const database = await openDatabase(testDatabase.location);
      const app = createApp({ database });
      try {
        await app.inject({ method: 'PUT', url: '/pacticipants/Web/versions/1.0.0', payload: {} });
        const answers = new Set<string>();
        // the DELETE sent a little later each round, so that it lands in every gap of the POST
        for (let round = 0; round < 200; round++) {
          const created = await app.inject({
            method: 'POST',
            url: '/environments',
            payload: { name: `raced-${round}`, production: false },
          });
          const { uuid } = created.json();
          const [recorded] = await Promise.all([
            app.inject({
              method: 'POST',
              url: `/pacticipants/Web/versions/1.0.0/${record}-versions/environment/${uuid}`,
              payload: {},
            }),
            (async () => {
              for (let turn = 0; turn < round % 20; turn++)
                await new Promise((resolve) => setImmediate(resolve));
              return app.inject({ method: 'DELETE', url: `/environments/${uuid}` });
            })(),
          ]);
          answers.add(
            recorded.statusCode < 300 ? 'stored' : `${recorded.statusCode} ${recorded.json().code}`,
          );
        }
        // the DELETE waits for the record, or has gone first and the record finds no environment
        expect(
          [...answers].filter((answer) => answer !== 'stored' && answer !== '404 COV_BROKER_NOT_FOUND'),
        ).toEqual([]);
      } finally {
        await app.close();
        await database.close();
        await testDatabase.drop();
      }
    },
    120_000,
  );
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

/** A loopback TCP relay to `target`, that can be taken away (its connections cut, its port closed) and put back. */
async function relay(target: URL) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const end of [socket, upstream]) {
      sockets.add(end);
      end.on('error', () => end.destroy());
      end.on('close', () => sockets.delete(end));
    }
    socket.pipe(upstream).pipe(socket);
    upstream.on('close', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  });
  const listen = (port: number) =>
    new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  await listen(0);
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    async takeAway() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    putBack: () => listen(port),
  };
}

describe('faults found by the reliability suite when PostgreSQL goes away', () => {
  it('fault: a 503 did not say when to retry (no Retry-After)', () => {
    const unavailable = Object.entries(brokerErrors).filter(
      ([, entry]) => (entry as { status?: number }).status === 503,
    );
    expect(unavailable.map(([code]) => code)).toEqual([
      'COV_BROKER_DATABASE_UNREACHABLE',
      'COV_BROKER_WRITE_RACED',
    ]);
    for (const [code, entry] of unavailable)
      expect((entry as { retryAfter?: number }).retryAfter, code).toBeGreaterThan(0);
  });

  it('fault: /openapi.json did not list the 503 every operation can answer, nor its Retry-After', async () => {
    const doc = await withApp({}, async (app) => (await app.inject({ url: '/openapi.json' })).json());
    const operations = Object.entries(
      doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>,
    ).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
    const unlisted = operations
      .filter(({ op }) => !('503' in op.responses))
      .map(({ method, path }) => `${method} ${path}`);
    expect(unlisted).toEqual([]);
    expect(doc.components.responses.ServiceUnavailable.headers).toHaveProperty('Retry-After');
    // the dependencies' own 503 (a report, not a problem) keeps its schema
    expect(doc.paths['/diagnostic/status/dependencies'].get.responses['503']).toMatchObject({
      content: { 'application/hal+json': { schema: { $ref: '#/components/schemas/Dependencies' } } },
    });
  });

  it.skipIf(!postgresAdminUrl)(
    'fault: a 503 did not say when to retry: a broker whose PostgreSQL is away answers with Retry-After',
    async () => {
      const testDatabase = await createTestDatabase('postgres');
      const target = new URL(testDatabase.location);
      const relayed = await relay(target);
      const through = new URL(testDatabase.location);
      through.hostname = '127.0.0.1';
      through.port = String(relayed.port);
      const broker = await startBroker({ database: through.href, port: 0, host: '127.0.0.1' });
      try {
        const read = (accept: string) => fetch(`${broker.url}/pacticipants`, { headers: { accept } });
        expect((await read('application/hal+json')).status).toBe(200);
        await relayed.takeAway();
        for (const accept of ['application/hal+json', 'application/problem+json', 'text/html']) {
          const away = await read(accept);
          expect(away.status, accept).toBe(503);
          expect(away.headers.get('retry-after'), accept).toBe(
            String(brokerErrors.COV_BROKER_DATABASE_UNREACHABLE.retryAfter),
          );
          if (accept !== 'text/html')
            expect(await away.json()).toMatchObject({ code: 'COV_BROKER_DATABASE_UNREACHABLE' });
        }
        await relayed.putBack();
        const back = await read('application/hal+json');
        expect(back.status).toBe(200);
        expect(back.headers.get('retry-after')).toBeNull();
      } finally {
        await broker.close();
        await relayed.takeAway();
        await testDatabase.drop();
      }
    },
    30_000,
  );

  it.skipIf(!postgresAdminUrl)(
    'fault: a session ended by PostgreSQL between two statements crashed the broker process',
    async () => {
      const testDatabase = await createTestDatabase('postgres');
      const database = await openDatabase(testDatabase.location);
      const admin = new pg.Client({ connectionString: postgresAdminUrl });
      await admin.connect();
      try {
        const name = new URL(testDatabase.location).pathname.slice(1);
        // the connection is checked out, idle between two statements, when the server ends it:
        // node-postgres emits 'error' on its client, which had no listener (an uncaught exception)
        const write = database.write(async (trx) => {
          await sql`SELECT 1`.execute(trx);
          await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
            name,
          ]);
          await new Promise((resolve) => setTimeout(resolve, 200));
          await sql`SELECT 1`.execute(trx);
        });
        await expect(write).rejects.toMatchObject({ code: 'COV_BROKER_DATABASE_UNREACHABLE', status: 503 });
        // the pool dropped the dead connection: the next statement gets a fresh one
        const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(database.db);
        expect(rows).toEqual([{ one: 1 }]);
      } finally {
        await admin.end();
        await database.close();
        await testDatabase.drop();
      }
    },
    30_000,
  );

  it.skipIf(throwawayPostgresUnavailable() !== undefined)(
    'fault: requests answered 500 while PostgreSQL was down, instead of a 503 the client can retry',
    async () => {
      const server = await throwawayPostgres();
      try {
        const database = await openDatabase(server.url);
        const app = createApp({ database });
        try {
          const read = () =>
            app.inject({ url: '/pacticipants', headers: { accept: 'application/hal+json' } });
          expect((await read()).statusCode).toBe(200);
          await server.stop();
          const away = await read();
          expect(away.statusCode).toBe(503);
          expect(away.json()).toMatchObject({ code: 'COV_BROKER_DATABASE_UNREACHABLE' });
          const problem = await app.inject({
            url: '/pacticipants',
            headers: { accept: 'application/problem+json' },
          });
          expect(problem.json()).toMatchObject({ status: 503, title: 'Database unreachable' });
          await server.start();
          // the same app, never restarted, reconnects
          expect((await read()).statusCode).toBe(200);
        } finally {
          await app.close();
          await database.close();
        }
      } finally {
        await server.remove();
      }
    },
    60_000,
  );
});

describe.each(databaseKinds())('faults found by the reliability suite in migrations (%s)', (kind) => {
  it('fault: a start stopped inside a migration left it half applied, and every later start failed', async () => {
    const testDatabase = await createTestDatabase(kind);
    try {
      await atFirstMigration(kind, testDatabase.location, { verifications: 10 });
      // something by the name of 0003's last index: that start fails after 0003 made its tables,
      // as one killed at that moment would stop
      const raw = async (statement: string) => {
        if (kind === 'postgres') {
          const client = new pg.Client({ connectionString: testDatabase.location });
          await client.connect();
          await client.query(statement).finally(() => client.end());
        } else {
          const db = openSqlite(testDatabase.location);
          db.exec(statement);
          db.close();
        }
      };
      await raw('CREATE TABLE webhook_executions_triggered (id integer)');
      await expect(openDatabase(testDatabase.location)).rejects.toThrow(/webhook_executions_triggered/);
      await raw('DROP TABLE webhook_executions_triggered');
      // nothing of the failed start is left: the schema is 0001's, as its records say
      const schemas = await schemasByStep(kind);
      expect(await schemaState(kind, testDatabase.location, schemas)).toEqual({
        done: ['0001-initial'],
        halfApplied: [],
      });
      // the next start redoes the interrupted steps and completes the schema
      const database = await openDatabase(testDatabase.location);
      await database.close();
      expect(await schemaState(kind, testDatabase.location, schemas)).toEqual({
        done: await migrationNames(kind),
        halfApplied: [],
      });
    } finally {
      await testDatabase.drop();
    }
  }, 60_000);
});
