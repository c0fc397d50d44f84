import { createHash } from 'node:crypto';
import { CovenantError, pactFromJson } from '@covenant/core';
import { type Db, now, type Pacticipant, type Publisher, type Version } from '../db/pacticipants-repo.js';
import {
  insertPublication,
  latestPublication,
  type PactRow,
  pactContent,
  pactForVersion,
  storePactVersion,
} from '../db/pacts-repo.js';
import { requestError } from '../errors.js';
import { ensurePublishers, findOrCreateVersion } from './pacticipants.js';

/** A JSON value with object keys sorted, so equal content serialises equally. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort())
      out[key] = canonical((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** JSON text with object keys sorted (V8's `JSON.stringify` of a sorted copy beats a hand-written writer). */
const canonicalJson = (value: unknown) => JSON.stringify(canonical(value));

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/** Where a pact keeps its interactions: `interactions`, or `messages` in a V3 message pact. */
function interactionsKey(pact: Record<string, unknown>): 'interactions' | 'messages' | undefined {
  if (Array.isArray(pact.interactions)) return 'interactions';
  if (Array.isArray(pact.messages)) return 'messages';
  return undefined;
}

/** Each interaction's canonical JSON without its `_id`: what both the content hash and the ids are made of. */
function canonicalInteractions(pact: Record<string, unknown>): string[] {
  const key = interactionsKey(pact);
  return ((key ? pact[key] : []) as unknown[]).map((interaction) => {
    const { _id, ...rest } = (interaction ?? {}) as Record<string, unknown>;
    return canonicalJson(rest);
  });
}

function shaOf(pact: Record<string, unknown>, interactions: string[]): string {
  const metadata = (pact.metadata ?? {}) as Record<string, { version?: string } | undefined>;
  const version = metadata.pactSpecification?.version ?? metadata['pact-specification']?.version ?? null;
  return sha1(JSON.stringify({ interactions: [...interactions].sort(), version }));
}

/**
 * The content hash of a pact: only what affects verification (interactions or messages, and the
 * specification version), with keys ordered and interactions sorted — so republishing the same
 * contract with other metadata or order is the same pact version, as in the reference broker.
 *
 * @example pactSha({ interactions: [], metadata: { pactSpecification: { version: '3.0.0' } } })
 */
export function pactSha(pact: Record<string, unknown>): string {
  return shaOf(pact, canonicalInteractions(pact));
}

/** Adds an `_id` to each interaction (a hash of its content), as clients expect in served pacts. */
function withIds(pact: Record<string, unknown>, interactions: string[]): Record<string, unknown> {
  const key = interactionsKey(pact);
  if (!key) return pact;
  return {
    ...pact,
    [key]: (pact[key] as Record<string, unknown>[]).map((i, n) => {
      const { _id, ...rest } = i;
      return { _id: sha1(interactions[n]!), ...rest };
    }),
  };
}

/** Checks a pact body: valid Pact JSON whose names agree with the URL. */
export function validatePactBody(body: unknown, consumer: string, provider: string): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw requestError('COV_BROKER_REQUEST_INVALID', 'the pact must be a JSON object', {
      errors: {
        pact: ['must be a JSON object'],
      },
    });
  const pact = body as Record<string, unknown>;
  const named = (v: unknown) => (v && typeof v === 'object' ? (v as { name?: unknown }).name : undefined);
  if (named(pact.consumer) !== undefined && named(pact.consumer) !== consumer) {
    throw requestError(
      'COV_BROKER_REQUEST_INVALID',
      `the consumer name in the pact ('${String(named(pact.consumer))}') does not match '${consumer}' in the URL`,
      { errors: { consumer: ['does not match the URL'] } },
    );
  }
  if (named(pact.provider) !== undefined && named(pact.provider) !== provider) {
    throw requestError(
      'COV_BROKER_REQUEST_INVALID',
      `the provider name in the pact ('${String(named(pact.provider))}') does not match '${provider}' in the URL`,
      { errors: { provider: ['does not match the URL'] } },
    );
  }
  try {
    pactFromJson(
      { consumer: { name: consumer }, provider: { name: provider }, ...pact } as never,
      'the pact',
    );
  } catch (error) {
    if (error instanceof CovenantError)
      throw requestError('COV_BROKER_REQUEST_INVALID', `${error.code}: ${error.detail}`, {
        errors: {
          pact: [`${error.code}: ${error.detail}`],
        },
      });
    throw error;
  }
  return pact;
}

export interface PublishedPact {
  consumer: Pacticipant;
  provider: Pacticipant;
  version: Version;
  pactVersionId: number;
  sha: string;
  /** True when the version had no pact for the provider before. */
  created: boolean;
  /** True when the content differs from what the version had before (or there was none). */
  changed: boolean;
  /** True when the provider has published contracts, to be compared with this pact after the commit. */
  providerHasContracts: boolean;
  /** The pact as now published for the version, as the pact routes serve it. */
  row: PactRow;
  /** `row.content` as an object, when this publish stored it (so the answer need not parse it again). */
  content?: Record<string, unknown>;
}

/**
 * `onConflict: merge` (parallel test runs each publishing part of a pact, as the reference broker
 * allows): the new interactions join the published ones, replacing any with the same description
 * and provider states.
 */
function mergePacts(
  published: Record<string, unknown>,
  added: Record<string, unknown>,
): Record<string, unknown> {
  const key = interactionsKey(added) ?? interactionsKey(published);
  if (!key) return added;
  const states = (i: Record<string, unknown>) => canonicalJson(i.providerStates ?? i.providerState ?? null);
  const merged = ((published[key] ?? []) as Record<string, unknown>[]).map(({ _id, ...rest }) => rest);
  for (const interaction of (added[key] ?? []) as Record<string, unknown>[]) {
    const at = merged.findIndex(
      (m) => m.description === interaction.description && states(m) === states(interaction),
    );
    if (at >= 0) merged[at] = interaction;
    else merged.push(interaction);
  }
  return { ...published, ...added, [key]: merged };
}

/**
 * Stores a pact for a consumer version. The same content again is fine (a new revision of the same
 * pact version); different content for a version that already has a pact is a 409 unless allowed.
 *
 * @example const { created } = await publishPact(trx, 'Web', 'API', '1.0.0', pactJson);
 */
export async function publishPact(
  db: Db,
  consumerName: string,
  providerName: string,
  versionNumber: string,
  body: unknown,
  options: { allowModification?: boolean; buildUrl?: string; merge?: boolean } = {},
): Promise<PublishedPact> {
  let pact = validatePactBody(body, consumerName, providerName);
  const [{ pacticipant: consumer }, { pacticipant: provider, hasContracts }] = (await ensurePublishers(db, [
    consumerName,
    providerName,
  ])) as [Publisher, Publisher];
  const { version, created: newVersion } = await findOrCreateVersion(
    db,
    consumer,
    versionNumber,
    options.buildUrl,
  );
  const latest = newVersion ? undefined : await latestPublication(db, version.id, provider.id);
  if (latest && options.merge) {
    const previous = await pactContent(db, latest.pact_version_id);
    pact = mergePacts(JSON.parse(previous) as Record<string, unknown>, pact);
  }
  const interactions = canonicalInteractions(pact);
  const sha = shaOf(pact, interactions);
  const published = {
    consumer,
    provider,
    version,
    sha,
    created: !latest,
    changed: latest?.sha !== sha,
    providerHasContracts: hasContracts,
  };
  const asPublished = async (pactVersionId: number): Promise<PublishedPact> => ({
    ...published,
    pactVersionId,
    row: (await pactForVersion(db, consumer, provider, versionNumber))!,
  });
  if (latest?.sha === sha) return asPublished(latest.pact_version_id); // the same content again
  if (latest && !options.allowModification && !options.merge) {
    throw requestError(
      'COV_BROKER_CONFLICT',
      `Cannot change the content of the pact for ${consumerName} version ${versionNumber} and provider ${providerName}, as race conditions will cause unreliable results for can-i-deploy. Each pact must be published with a unique consumer version number.`,
    );
  }
  const content = withIds(
    { consumer: { name: consumerName }, provider: { name: providerName }, ...pact },
    interactions,
  );
  const text = JSON.stringify(content);
  const createdAt = now();
  const pactVersion = await storePactVersion(db, consumer.id, provider.id, sha, text, createdAt);
  const stored = await insertPublication(db, {
    consumer_id: consumer.id,
    provider_id: provider.id,
    consumer_version_id: version.id,
    pact_version_id: pactVersion.id,
    revision: (latest?.revision ?? 0) + 1,
    created_at: createdAt,
  });
  // a concurrent publish of this version may have taken the revision
  if (!stored) {
    const winner = await latestPublication(db, version.id, provider.id);
    if (winner?.pact_version_id !== pactVersion.id && !options.allowModification) {
      throw requestError(
        'COV_BROKER_CONFLICT',
        `Another publish of ${consumerName} version ${versionNumber} for ${providerName} with different content happened at the same time; publish each change under a new consumer version number.`,
      );
    }
    return asPublished(pactVersion.id);
  }
  return {
    ...published,
    pactVersionId: pactVersion.id,
    row: {
      pact_version_id: pactVersion.id,
      sha,
      content: pactVersion.content,
      consumer_version_id: version.id,
      consumer_version_number: version.number,
      consumer_id: consumer.id,
      provider_id: provider.id,
      created_at: createdAt,
    },
    ...(pactVersion.inserted ? { content } : {}),
  };
}
