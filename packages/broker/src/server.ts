import { type BrokerDatabase, openDatabase } from './db/connect.js';
import { brokerError } from './errors.js';
import { createApp } from './http/app.js';
import type { AuthOptions } from './http/auth.js';
import { seedExampleData } from './seed.js';

export interface BrokerOptions {
  /** A SQLite file path (default `pact_broker.sqlite`), `:memory:`, or a `postgres://` URL. */
  database?: string;
  port?: number;
  host?: string;
  auth?: AuthOptions;
  baseUrl?: string;
  bodyLimit?: number;
  /** Longest time (ms) a client may take to send a whole request before it is answered 408. Default 120000. */
  requestTimeout?: number;
  allowContractModification?: boolean;
  logger?: boolean;
  /**
   * On an empty database (no pacticipants), add the example pacticipants, pact and verification
   * the reference broker shows on its first start. Default false here; `covenant broker` turns it on.
   */
  seedExampleData?: boolean;
}

export interface RunningBroker {
  url: string;
  port: number;
  database: BrokerDatabase;
  close(): Promise<void>;
}

/**
 * Opens (and migrates) the database and starts the broker.
 *
 * @example
 * const broker = await startBroker({ port: 9292 });
 * console.log(`broker at ${broker.url}, data in ${broker.database.description}`);
 */
export async function startBroker(options: BrokerOptions = {}): Promise<RunningBroker> {
  if (
    options.auth?.readWrite &&
    (!options.auth.readWrite.username || options.auth.readWrite.password === undefined)
  ) {
    throw brokerError('COV_BROKER_CONFIG_INVALID', 'a read-write user needs both a username and a password');
  }
  const database = await openDatabase(options.database ?? 'pact_broker.sqlite');
  // --- example data (seed.ts) ---
  if (options.seedExampleData) {
    try {
      await seedExampleData(database.db, { dialect: database.dialect });
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  // --- end example data ---
  const app = createApp({ ...options, database });
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ port: options.port ?? 9292, host });
  } catch (error) {
    await database.close();
    throw brokerError(
      'COV_BROKER_LISTEN_FAILED',
      `cannot listen on ${host}:${options.port ?? 9292}: ${(error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'the port is in use' : (error as Error).message}`,
      {},
      error,
    );
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 9292);
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
