// The broker harness: a broker on a fresh database of each kind for one suite, started in
// `beforeAll` and closed (its database dropped) in `afterAll`. The test passes the function that
// starts it, so a package's own tests run its source and this package imports no broker.
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';
import { type Call, type CallerOptions, caller, type Injectable, injectCaller } from './http.js';

/**
 * What the harness needs of a started broker: the broker's `RunningBroker` (a real socket), or a
 * Fastify app with the URL its links are made with, for API tests where the socket is not the point
 * (its `call()` then goes through `inject`).
 */
export interface StartedBroker {
  url: string;
  close(): Promise<void>;
  inject?: Injectable['inject'];
}

export interface BrokerHarness<Broker extends StartedBroker> {
  /**
   * Runs the broker for the enclosing suite on a fresh database of `kind`: call it inside
   * `describe` (once a suite), before the suite's own hooks, which then see it running.
   */
  runOn(kind: DatabaseKind): void;
  /** The running broker, as `start` returned it (inside tests and hooks). */
  readonly running: Broker;
  /** Its base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The database it runs on. */
  readonly testDatabase: TestDatabase;
  /** A `call()` to it (over its socket, or through `inject`), with the harness's standing headers. */
  readonly call: Call;
}

/**
 * A harness for brokers started with `start(location)`. Made once at the top of a test file (so
 * the file's helpers can use its `call`), run per suite with `runOn(kind)`.
 *
 * @example
 * const broker = brokerHarness((database) => startBroker({ port: 0, database }));
 * describe.each(databaseKinds())('labels (%s)', (kind) => {
 *   broker.runOn(kind);
 *   it('…', async () => expect((await broker.call('GET', '/')).status).toBe(200));
 * });
 */
export function brokerHarness<Broker extends StartedBroker>(
  start: (location: string) => Promise<Broker>,
  options: CallerOptions = {},
): BrokerHarness<Broker> {
  let database: TestDatabase | undefined;
  let broker: Broker | undefined;
  const running = (): Broker => {
    if (!broker)
      throw new Error('the broker runs only inside tests and hooks of a suite that ran runOn(kind)');
    return broker;
  };
  const viaSocket = caller(() => running().url, options);
  const viaInject = injectCaller(() => running() as Injectable, options);
  return {
    runOn(kind) {
      beforeAll(async () => {
        database = await createTestDatabase(kind);
        broker = await start(database.location);
      });
      afterAll(async () => {
        await broker?.close();
        await database?.drop();
        broker = undefined;
        database = undefined;
      });
    },
    get running() {
      return running();
    },
    get url() {
      return running().url;
    },
    get testDatabase() {
      if (!database) throw new Error('the database exists only inside tests and hooks of a running suite');
      return database;
    },
    call: (...args) => {
      const broker = running();
      return broker.inject ? viaInject(...args) : viaSocket(...args);
    },
  };
}

/**
 * A started broker that is a Fastify app built by the test itself (to give it options
 * `startBroker` does not take), answered through `inject` with no socket and closed together with
 * the database it runs on.
 *
 * @example
 * const broker = brokerHarness(async (location) => {
 *   const database = await openDatabase(location);
 *   return injectedBroker(createApp({ database, baseUrl: 'http://broker.test' }), database);
 * });
 */
export function injectedBroker(
  app: Injectable & { close(): PromiseLike<unknown> },
  database: { close(): Promise<void> },
  url = 'http://broker.test',
): StartedBroker {
  return {
    url,
    inject: (request) => app.inject(request),
    async close() {
      await app.close();
      await database.close();
    },
  };
}
