import { type Kysely, sql } from 'kysely';
import type { Dialect } from './db/migrations.js';
import type { Database } from './db/schema.js';
import { ensureBranchVersion, ensureTag, findVersion } from './domain/pacticipants.js';
import { publishPact } from './domain/pacts.js';
import { recordVerification } from './domain/verifications.js';

export const EXAMPLE_CONSUMER = 'Example App';
export const EXAMPLE_PROVIDER = 'Example API';
export const EXAMPLE_CONSUMER_VERSION = 'e3b0c44';
export const EXAMPLE_PROVIDER_VERSION = '48f2a9d';

const json = { 'Content-Type': 'application/json; charset=utf-8' };
const jsonRule = { matchers: [{ match: 'regex', regex: 'application/json.*' }] };

/** The example pact (Pact V3): reading, listing and creating alligators, with matchers. */
export const examplePact = {
  consumer: { name: EXAMPLE_CONSUMER },
  provider: { name: EXAMPLE_PROVIDER },
  interactions: [
    {
      description: 'a request for an alligator',
      providerStates: [{ name: 'there is an alligator named Mary', params: { name: 'Mary' } }],
      request: { method: 'GET', path: '/alligators/Mary', headers: { Accept: 'application/json' } },
      response: {
        status: 200,
        headers: json,
        body: { name: 'Mary', dateOfBirth: '2015-04-22', lengthInCm: 310 },
        matchingRules: {
          header: { 'Content-Type': jsonRule },
          body: {
            '$.name': { matchers: [{ match: 'type' }] },
            '$.dateOfBirth': { matchers: [{ match: 'date', format: 'yyyy-MM-dd' }] },
            '$.lengthInCm': { matchers: [{ match: 'integer' }] },
          },
        },
      },
    },
    {
      description: 'a request for an alligator that does not exist',
      providerStates: [{ name: 'there is no alligator named Garry', params: { name: 'Garry' } }],
      request: { method: 'GET', path: '/alligators/Garry', headers: { Accept: 'application/json' } },
      response: { status: 404 },
    },
    {
      description: 'a request to list the alligators',
      providerStates: [{ name: 'there are alligators' }],
      request: {
        method: 'GET',
        path: '/alligators',
        query: { limit: ['10'] },
        headers: { Accept: 'application/json' },
      },
      response: {
        status: 200,
        headers: json,
        body: { alligators: [{ id: 1, name: 'Mary' }] },
        matchingRules: {
          header: { 'Content-Type': jsonRule },
          body: {
            '$.alligators': { matchers: [{ match: 'type', min: 1 }] },
            '$.alligators[*].id': { matchers: [{ match: 'integer' }] },
            '$.alligators[*].name': { matchers: [{ match: 'type' }] },
          },
        },
      },
    },
    {
      description: 'a request to create an alligator',
      request: {
        method: 'POST',
        path: '/alligators',
        headers: json,
        body: { name: 'Sally', dateOfBirth: '2019-08-01' },
        matchingRules: {
          body: {
            '$.name': { matchers: [{ match: 'type' }] },
            '$.dateOfBirth': { matchers: [{ match: 'date', format: 'yyyy-MM-dd' }] },
          },
        },
      },
      response: {
        status: 201,
        headers: { ...json, Location: '/alligators/Sally' },
        body: { name: 'Sally', dateOfBirth: '2019-08-01' },
        matchingRules: {
          header: {
            'Content-Type': jsonRule,
            Location: { matchers: [{ match: 'regex', regex: '^/alligators/[^/]+$' }] },
          },
          body: { '$.name': { matchers: [{ match: 'type' }] } },
        },
      },
    },
  ],
  metadata: { pactSpecification: { version: '3.0.0' } },
};

/**
 * Puts example data in an empty broker, as the reference broker does on its first start, so a
 * person opening it sees what it shows: pacticipants "Example App" (consumer) and "Example API"
 * (provider), a pact between them published from branch `main` (tagged `prod`), and a successful
 * verification by Example API. Does nothing (and returns false) when any pacticipant exists; all
 * of it lands in one transaction or none of it does.
 *
 * @example if (await seedExampleData(database.db, { dialect: database.dialect })) console.log('seeded');
 */
export async function seedExampleData(
  db: Kysely<Database>,
  options: { dialect?: Dialect } = {},
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    // brokers starting together on one database seed one at a time, and the second finds data:
    // PostgreSQL by an advisory lock, SQLite by taking the write lock first (a write that changes
    // nothing), as a read first would make the later write fail instead of wait
    if (options.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(7460912)`.execute(trx);
    else await sql`UPDATE pacticipants SET name = name WHERE 1 = 0`.execute(trx);
    const any = await trx.selectFrom('pacticipants').select('id').limit(1).executeTakeFirst();
    if (any) return false;
    const published = await publishPact(
      trx,
      EXAMPLE_CONSUMER,
      EXAMPLE_PROVIDER,
      EXAMPLE_CONSUMER_VERSION,
      examplePact,
    );
    const { consumer, provider, version } = published;
    await trx
      .updateTable('pacticipants')
      .set({ main_branch: 'main' })
      .where('id', 'in', [consumer.id, provider.id])
      .execute();
    await ensureBranchVersion(trx, consumer, 'main', version);
    await ensureTag(trx, consumer, version, 'prod');
    const verified = await recordVerification(
      trx,
      consumer,
      EXAMPLE_PROVIDER,
      published.pactVersionId,
      {
        success: true,
        providerApplicationVersion: EXAMPLE_PROVIDER_VERSION,
        verifiedBy: { implementation: 'Covenant', version: '0.1.0' },
      },
      { wip: false, pending: false },
    );
    const providerVersion = await findVersion(trx, verified.provider.id, EXAMPLE_PROVIDER_VERSION);
    await ensureBranchVersion(trx, verified.provider, 'main', providerVersion!);
    return true;
  });
}
