import { createTestDatabase, databaseKinds, type TestDatabase } from '@covenant/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './db/connect.js';
import {
  EXAMPLE_CONSUMER,
  EXAMPLE_CONSUMER_VERSION,
  EXAMPLE_PROVIDER,
  EXAMPLE_PROVIDER_VERSION,
  seedExampleData,
} from './seed.js';
import { type RunningBroker, startBroker } from './server.js';

describe.each(databaseKinds())('example data (%s)', (kind) => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  const fresh = async (): Promise<TestDatabase> => {
    const database = await createTestDatabase(kind);
    cleanup.push(() => database.drop());
    return database;
  };
  const start = async (location: string, seed?: boolean): Promise<RunningBroker> => {
    const broker = await startBroker({
      port: 0,
      database: location,
      ...(seed === undefined ? {} : { seedExampleData: seed }),
    });
    cleanup.push(() => broker.close());
    return broker;
  };
  const get = async (broker: RunningBroker, path: string) => {
    const response = await fetch(`${broker.url}${path}`, { headers: { Accept: 'application/hal+json' } });
    return { status: response.status, json: JSON.parse(await response.text()) };
  };
  const counts = async (broker: RunningBroker) => {
    const db = broker.database.db;
    const count = async (table: 'pacticipants' | 'pact_publications' | 'verifications' | 'versions') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      pacticipants: await count('pacticipants'),
      versions: await count('versions'),
      publications: await count('pact_publications'),
      verifications: await count('verifications'),
    };
  };

  it('seeds an empty database with Example App, Example API, their pact on main and a successful verification', async () => {
    const database = await fresh();
    const broker = await start(database.location, true);
    expect(await counts(broker)).toEqual({ pacticipants: 2, versions: 2, publications: 1, verifications: 1 });

    const pacticipants = await get(broker, '/pacticipants');
    expect(pacticipants.json.pacticipants.map((p: { name: string }) => p.name)).toEqual([
      EXAMPLE_API_SORTED[0],
      EXAMPLE_API_SORTED[1],
    ]);
    const app = await get(broker, `/pacticipants/${encodeURIComponent(EXAMPLE_CONSUMER)}`);
    expect(app.json.mainBranch).toBe('main');

    const pact = await get(
      broker,
      `/pacts/provider/${encodeURIComponent(EXAMPLE_PROVIDER)}/consumer/${encodeURIComponent(EXAMPLE_CONSUMER)}/branch/main/latest`,
    );
    expect(pact.status).toBe(200);
    expect(pact.json._links['pb:consumer-version'].name).toBe(EXAMPLE_CONSUMER_VERSION);
    expect(pact.json.interactions.length).toBeGreaterThanOrEqual(3);
    expect(
      pact.json.interactions.some((i: { response: { matchingRules?: unknown } }) => i.response.matchingRules),
    ).toBe(true);
    const tagged = await get(
      broker,
      `/pacts/provider/${encodeURIComponent(EXAMPLE_PROVIDER)}/consumer/${encodeURIComponent(EXAMPLE_CONSUMER)}/latest/prod`,
    );
    expect(tagged.status).toBe(200);

    const verification = await get(
      broker,
      new URL(pact.json._links['pb:latest-verification-results'].href).pathname,
    );
    expect(verification.status).toBe(200);
    expect(verification.json.success).toBe(true);
    expect(verification.json.providerApplicationVersion).toBe(EXAMPLE_PROVIDER_VERSION);
  });

  it('seeds once: a restart on the seeded database, or a second call, adds nothing', async () => {
    const database = await fresh();
    const first = await start(database.location, true);
    const before = await counts(first);
    expect(await seedExampleData(first.database.db, { dialect: first.database.dialect })).toBe(false);
    await first.close();
    cleanup.pop();
    const second = await start(database.location, true);
    expect(await counts(second)).toEqual(before);
  });

  // better-sqlite3 waits for a lock synchronously, so two SQLite connections in one process would
  // block each other: the SQLite case is two processes, checked by hand
  it.skipIf(kind === 'sqlite')(
    'seeds once when two brokers start on one empty database at the same time',
    async () => {
      const location = (await fresh()).location;
      const a = await openDatabase(location);
      const b = await openDatabase(location);
      cleanup.push(
        () => a!.close(),
        () => b!.close(),
      );
      const seeded = await Promise.all([
        seedExampleData(a!.db, { dialect: a!.dialect }),
        seedExampleData(b!.db, { dialect: b!.dialect }),
      ]);
      expect(seeded.filter(Boolean)).toHaveLength(1);
      const verifications = await a!.db.selectFrom('verifications').select('id').execute();
      expect(verifications).toHaveLength(1);
    },
  );

  it('does not seed a database that already has pacticipants', async () => {
    const database = await fresh();
    const broker = await start(database.location, false);
    const put = await fetch(`${broker.url}/pacticipants/Mine`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(put.status).toBe(201);
    expect(await seedExampleData(broker.database.db, { dialect: broker.database.dialect })).toBe(false);
    expect((await counts(broker)).pacticipants).toBe(1);
  });

  it('does not seed when turned off, nor by default when started as a library', async () => {
    const off = await start((await fresh()).location, false);
    expect(await counts(off)).toEqual({ pacticipants: 0, versions: 0, publications: 0, verifications: 0 });
    const byDefault = await start((await fresh()).location);
    expect(await counts(byDefault)).toEqual({
      pacticipants: 0,
      versions: 0,
      publications: 0,
      verifications: 0,
    });
  });

  it('seeds all or nothing: a failure part-way leaves the database empty', async () => {
    const database = await openDatabase((await fresh()).location);
    cleanup.push(() => database.close());
    // a verification cannot be stored: the seed fails after publishing the pact
    await database.db.schema.alterTable('verifications').renameTo('verifications_away').execute();
    await expect(seedExampleData(database.db, { dialect: database.dialect })).rejects.toThrow();
    const left = await database.db.selectFrom('pacticipants').select('id').execute();
    expect(left).toEqual([]);
  });
});

const EXAMPLE_API_SORTED = [EXAMPLE_PROVIDER, EXAMPLE_CONSUMER].sort();
