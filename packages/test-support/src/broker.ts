// The broker harness: a broker on a fresh database of each kind for one suite, started in
// `beforeAll` and closed (its database dropped) in `afterAll`. The test passes the function that
// starts it, so a package's own tests run its source and this package imports no broker.
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';
import { type CallerOptions, caller } from './http.js';

/** What the harness needs of a started broker (the broker's `RunningBroker` fits). */
export interface StartedBroker {
  url: string;
  close(): Promise<void>;
}

export interface BrokerHarness<Broker extends StartedBroker> {
  /** The running broker (only inside tests and hooks). */
  readonly broker: Broker;
  /** Its base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Its database. */
  readonly database: TestDatabase;
  /** A `call()` to it over a real socket, with the harness's standing headers. */
  readonly call: ReturnType<typeof caller>;
}

/**
 * Starts a broker for the enclosing suite with `start(location)` on a fresh database of `kind`.
 *
 * @example
 * describe.each(databaseKinds())('labels (%s)', (kind) => {
 *   const broker = useBroker(kind, (database) => startBroker({ port: 0, database }));
 *   it('…', async () => expect((await broker.call('GET', '/')).status).toBe(200));
 * });
 */
export function useBroker<Broker extends StartedBroker>(
  kind: DatabaseKind,
  start: (location: string) => Promise<Broker>,
  options: CallerOptions = {},
): BrokerHarness<Broker> {
  let database: TestDatabase | undefined;
  let broker: Broker | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    broker = await start(database.location);
  });
  afterAll(async () => {
    await broker?.close();
    await database?.drop();
  });
  const running = (): Broker => {
    if (!broker) throw new Error('the broker runs only inside tests and hooks (it starts in beforeAll)');
    return broker;
  };
  return {
    get broker() {
      return running();
    },
    get url() {
      return running().url;
    },
    get database() {
      if (!database) throw new Error('the database exists only inside tests and hooks');
      return database;
    },
    call: caller(() => running().url, options),
  };
}
