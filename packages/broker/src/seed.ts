import type { BrokerDatabase } from './db/connect.js';
import type { Dialect } from './db/migrations.js';
import { findVersion, inTransactionIfEmpty, setMainBranch } from './db/pacticipants-repo.js';
import { ensureBranchVersion, ensureTag } from './domain/pacticipants.js';
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
  db: BrokerDatabase['db'],
  options: { dialect?: Dialect } = {},
): Promise<boolean> {
  return inTransactionIfEmpty(db, options.dialect ?? 'sqlite', async (trx) => {
    const published = await publishPact(
      trx,
      EXAMPLE_CONSUMER,
      EXAMPLE_PROVIDER,
      EXAMPLE_CONSUMER_VERSION,
      examplePact,
    );
    const { consumer, provider, version } = published;
    await setMainBranch(trx, [consumer.id, provider.id], 'main');
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
  });
}
