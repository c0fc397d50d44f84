import { type Pact, pactFromJson, parseJson } from '@covenant/core';
import type { BrokerDatabase } from '../db/connect.js';
import { type DiffSide, previousDistinctPact } from '../db/pact-diff-repo.js';
import { pactPageData } from '../db/pages-repo.js';
import { requestError } from '../errors.js';
import { diffPacts, type PactChange } from './pact-diff.js';

/** Which two pacts of an integration to compare. */
export type DiffRequest =
  | { kind: 'previous-distinct'; version: string }
  | { kind: 'versions'; version: string; other: string }
  | { kind: 'pact-versions'; sha: string; other: string };

export interface PactComparison {
  consumer: string;
  provider: string;
  before: Omit<DiffSide, 'content'> | undefined;
  after: Omit<DiffSide, 'content'>;
  changes: PactChange[];
}

function pactOf(side: DiffSide): Pact {
  const parsed = parseJson(side.content);
  if (!parsed.ok)
    throw requestError('COV_BROKER_REQUEST_INVALID', `the pact of ${side.consumerVersion} is not valid JSON`);
  return pactFromJson(parsed.value, `the pact of ${side.consumerVersion}`);
}

/**
 * Compares two pacts of an integration: the one asked for (`after`) with an earlier or other one
 * (`before`); no `before` (no earlier, different pact) means no changes.
 *
 * @example await comparePacts(database, 'Web', 'Orders', { kind: 'previous-distinct', version: '1.2.0' })
 */
export async function comparePacts(
  database: BrokerDatabase,
  consumer: string,
  provider: string,
  which: DiffRequest,
): Promise<PactComparison> {
  let after: DiffSide | undefined;
  let before: DiffSide | undefined;
  const missing = (what: string) =>
    requestError('COV_BROKER_NOT_FOUND', `there is no pact between ${consumer} and ${provider} for ${what}`);
  if (which.kind === 'previous-distinct') {
    const found = await previousDistinctPact(database, consumer, provider, which.version);
    if (!found) throw missing(`consumer version ${which.version}`);
    ({ after, before } = found);
  } else {
    const [a, b] = await Promise.all(
      which.kind === 'versions'
        ? [
            pactPageData(database, consumer, provider, { kind: 'version', version: which.version }),
            pactPageData(database, consumer, provider, { kind: 'version', version: which.other }),
          ]
        : [
            pactPageData(database, consumer, provider, { kind: 'sha', sha: which.sha }),
            pactPageData(database, consumer, provider, { kind: 'sha', sha: which.other }),
          ],
    );
    const label = which.kind === 'versions' ? 'consumer version' : 'pact version';
    const [x, y] = which.kind === 'versions' ? [which.version, which.other] : [which.sha, which.other];
    if (!a) throw missing(`${label} ${x}`);
    if (!b) throw missing(`${label} ${y}`);
    after = { consumerVersion: a.consumerVersion, sha: a.sha, content: a.content };
    before = { consumerVersion: b.consumerVersion, sha: b.sha, content: b.content };
  }
  const strip = ({ content: _, ...rest }: DiffSide) => rest;
  return {
    consumer,
    provider,
    after: strip(after),
    before: before && strip(before),
    changes: before ? diffPacts(pactOf(before), pactOf(after)) : [],
  };
}
