import type { Db } from './pacticipants-repo.js';

/** An integration as the network views see it: who consumes whom, by id and name. */
export interface IntegrationPair {
  consumerId: number;
  consumer: string;
  providerId: number;
  provider: string;
}

/**
 * Every consumer–provider pair with a pact, by consumer then provider name, in one query.
 *
 * @example const pairs = await integrationPairs(db); // [{ consumerId: 1, consumer: 'Web', providerId: 2, provider: 'Api' }]
 */
export async function integrationPairs(db: Db): Promise<IntegrationPair[]> {
  const rows = await db
    .selectFrom((eb) =>
      eb.selectFrom('pact_publications').select(['consumer_id', 'provider_id']).distinct().as('i'),
    )
    .innerJoin('pacticipants as c', 'c.id', 'i.consumer_id')
    .innerJoin('pacticipants as p', 'p.id', 'i.provider_id')
    .select(['c.id as consumerId', 'c.name as consumer', 'p.id as providerId', 'p.name as provider'])
    .orderBy('c.name')
    .orderBy('p.name')
    .execute();
  return rows.map((r) => ({ ...r, consumerId: Number(r.consumerId), providerId: Number(r.providerId) }));
}
