import { randomUUID } from 'node:crypto';
import type { Db, Pacticipant } from '../db/pacticipants-repo.js';
import {
  consumerVersionOfPact,
  consumerVersionsOfPact,
  insertTriggeredWebhooks,
  labelsById,
  latestPactAnywhere,
  latestPactOf,
  latestVerificationOfPactVersion,
  newestPublicationId,
  previousPactShas,
  providerVersionsInPlay,
  templateVersion,
} from '../db/triggered-webhooks-repo.js';
import {
  contractPublishedTriggers,
  planDeliveries,
  verificationPublishedTriggers,
  WEBHOOK_EVENTS,
  type WebhookTrigger,
  webhookApplies,
} from '../webhooks/events.js';
import type { TemplateData } from '../webhooks/template.js';
import type { PublishedPact } from './pacts.js';
import { listWebhooks, type Webhook } from './webhooks.js';

// Which webhooks an event triggers: computed and stored (the outbox) in the event's own transaction,
// so a triggered webhook exists exactly when its event was committed.

const enc = encodeURIComponent;

/** The addresses the templates carry, under the broker's base URL. */
export const pactVersionHref = (base: string, provider: string, consumer: string, sha: string) =>
  `${base}/pacts/provider/${enc(provider)}/consumer/${enc(consumer)}/pact-version/${sha}`;
export const triggeredWebhookLogsHref = (base: string, uuid: string) =>
  `${base}/triggered-webhooks/${enc(uuid)}/logs`;

/** What an event did: its names, and the webhooks it triggered. */
export interface TriggeredEvents {
  events: string[];
  triggered: Array<{ uuid: string; webhookUuid: string; eventName: string }>;
}

const withConsumerVersion = (consumerVersionId: number | undefined) =>
  consumerVersionId !== undefined ? { consumerVersionId } : {};

interface Scope {
  consumer: Pacticipant;
  provider: Pacticipant;
  pactVersionId?: number;
  consumerVersionId?: number;
  verificationId?: number;
}

async function store(
  db: Db,
  scope: Scope,
  webhooks: Webhook[],
  triggers: WebhookTrigger[],
  /** A delivery's own consumer version, where one event fans out to several. */
  consumerVersionIdOf: (data: TemplateData) => number | undefined = () => scope.consumerVersionId,
): Promise<TriggeredEvents> {
  const events = [...new Set(triggers.map((t) => t.eventName))];
  const planned = planDeliveries(webhooks, triggers).map((p) => ({ ...p, uuid: randomUUID() }));
  await insertTriggeredWebhooks(
    db,
    planned.map((p) => ({
      uuid: p.uuid,
      webhookUuid: p.webhookUuid,
      eventName: p.eventName,
      data: p.data,
      consumerId: scope.consumer.id,
      providerId: scope.provider.id,
      ...(scope.pactVersionId !== undefined ? { pactVersionId: scope.pactVersionId } : {}),
      ...withConsumerVersion(consumerVersionIdOf(p.data)),
      ...(scope.verificationId !== undefined ? { verificationId: scope.verificationId } : {}),
    })),
  );
  return {
    events,
    triggered: planned.map((p) => ({ uuid: p.uuid, webhookUuid: p.webhookUuid, eventName: p.eventName })),
  };
}

/**
 * The events the webhooks that apply to the pair subscribe to, and the pair as the templates see
 * it (with labels). A publish no webhook listens to reads nothing more: it runs inside SQLite's
 * single writer, where every query counts.
 */
async function listeners(db: Db, consumer: Pacticipant, provider: Pacticipant) {
  const webhooks = (await listWebhooks(db)).filter((w) => w.enabled);
  const labels =
    webhooks.length === 0 ? new Map<number, string[]>() : await labelsById(db, [consumer.id, provider.id]);
  const parties = {
    consumer: { name: consumer.name, labels: labels.get(consumer.id) ?? [] },
    provider: { name: provider.name, labels: labels.get(provider.id) ?? [] },
  };
  const wanted = new Set(
    WEBHOOK_EVENTS.filter((event) =>
      webhooks.some((w) => webhookApplies(w, event, parties.consumer, parties.provider)),
    ),
  );
  return { webhooks, parties, wanted };
}

/**
 * Stores the webhooks a pact publication triggers (contract_published, contract_content_changed,
 * contract_requiring_verification_published), in the publication's transaction.
 *
 * @example const { events } = await triggerPactPublished(trx, await publishPact(trx, …), baseUrl);
 */
export async function triggerPactPublished(
  db: Db,
  published: PublishedPact,
  baseUrl: string,
): Promise<TriggeredEvents> {
  const { consumer, provider, version } = published;
  const { webhooks, parties, wanted } = await listeners(db, consumer, provider);
  const changedHere = published.created || published.changed;
  if (wanted.size === 0)
    // nothing listens: the events as far as this publish alone tells them
    return {
      events: ['contract_published', ...(changedHere ? ['contract_content_changed'] : [])],
      triggered: [],
    };
  const previousShas = !changedHere
    ? [published.sha] // the same content again: nothing changed
    : wanted.has('contract_content_changed')
      ? await previousPactShas(
          db,
          consumer.id,
          provider.id,
          (await newestPublicationId(db, version.id, provider.id)) ?? 0,
          version.id,
        )
      : [undefined];
  const triggers = contractPublishedTriggers({
    ...parties,
    consumerVersion: (await templateVersion(db, version.id))!,
    pactUrl: pactVersionHref(baseUrl, provider.name, consumer.name, published.sha),
    pactVersionSha: published.sha,
    previousShas,
    ...(wanted.has('contract_requiring_verification_published')
      ? { providerVersions: await providerVersionsInPlay(db, provider.id, published.pactVersionId) }
      : {}),
  });
  return store(
    db,
    { consumer, provider, pactVersionId: published.pactVersionId, consumerVersionId: version.id },
    webhooks,
    triggers,
  );
}

/** A verification just stored. */
export interface RecordedVerification {
  consumer: Pacticipant;
  provider: Pacticipant;
  pactVersionId: number;
  sha: string;
  verificationId: number;
  providerVersionId: number;
  success: boolean;
  buildUrl?: string;
  /**
   * The consumer version numbers the for-verification metadata URL selected. The verification fans
   * out to those that published this pact version; none: to the pact's newest consumer version.
   */
  selectedConsumerVersions?: readonly string[];
}

/**
 * Stores the webhooks a verification triggers (provider_verification_published and _succeeded or
 * _failed), in the verification's transaction.
 */
export async function triggerVerificationPublished(
  db: Db,
  v: RecordedVerification,
  baseUrl: string,
): Promise<TriggeredEvents> {
  const { webhooks, parties, wanted } = await listeners(db, v.consumer, v.provider);
  const outcome = v.success ? 'provider_verification_succeeded' : 'provider_verification_failed';
  if (!wanted.has('provider_verification_published') && !wanted.has(outcome))
    return { events: ['provider_verification_published', outcome], triggered: [] };
  const consumerVersionId = await consumerVersionOfPact(db, v.pactVersionId);
  const selectedIds = await consumerVersionsOfPact(db, v.pactVersionId, v.selectedConsumerVersions ?? []);
  const selected = await Promise.all(
    selectedIds.map(async (id) => ({ id, version: (await templateVersion(db, id))! })),
  );
  const pactUrl = pactVersionHref(baseUrl, v.provider.name, v.consumer.name, v.sha);
  const triggers = verificationPublishedTriggers({
    ...parties,
    consumerVersion:
      consumerVersionId !== undefined ? (await templateVersion(db, consumerVersionId))! : { number: '' },
    selectedConsumerVersions: selected.map((s) => s.version),
    providerVersion: (await templateVersion(db, v.providerVersionId))!,
    pactUrl,
    verification: {
      success: v.success,
      url: `${pactUrl}/verification-results/${v.verificationId}`,
      ...(v.buildUrl ? { buildUrl: v.buildUrl } : {}),
    },
  });
  return store(
    db,
    {
      consumer: v.consumer,
      provider: v.provider,
      pactVersionId: v.pactVersionId,
      verificationId: v.verificationId,
      ...(consumerVersionId !== undefined ? { consumerVersionId } : {}),
    },
    webhooks,
    triggers,
    (data) =>
      selected.find((s) => s.version.number === data.consumerVersion?.number)?.id ?? consumerVersionId,
  );
}

/**
 * The template data an execute runs a webhook with: the latest pact matching the webhook's consumer
 * and provider (by name), with its latest verification, as in the reference broker. Without any pact,
 * the names the webhook has (or placeholders).
 */
export async function executionData(
  db: Db,
  webhook: Pick<Webhook, 'consumer' | 'provider' | 'events'>,
  baseUrl: string,
  find: (name: string) => Promise<Pacticipant | undefined>,
): Promise<TemplateData> {
  const eventName = webhook.events[0] ?? 'contract_content_changed';
  const named = async (scope: Webhook['consumer']) =>
    scope && 'name' in scope ? find(scope.name) : undefined;
  const [consumer, provider] = await Promise.all([named(webhook.consumer), named(webhook.provider)]);
  const latest =
    consumer && provider
      ? await latestPactOf(db, consumer.id, provider.id).then((p) =>
          p ? { ...p, consumer_name: consumer.name, provider_name: provider.name } : undefined,
        )
      : await latestPactAnywhere(db);
  if (!latest)
    return {
      eventName,
      consumer: { name: consumer?.name ?? 'Consumer' },
      provider: { name: provider?.name ?? 'Provider' },
    };
  const pactUrl = pactVersionHref(baseUrl, latest.provider_name, latest.consumer_name, latest.sha);
  const verification = await latestVerificationOfPactVersion(db, latest.pact_version_id);
  const consumerVersion = await templateVersion(db, latest.consumer_version_id);
  const providerVersion = verification
    ? await templateVersion(db, verification.provider_version_id)
    : undefined;
  return {
    eventName,
    consumer: { name: latest.consumer_name },
    provider: { name: latest.provider_name },
    pactUrl,
    ...(consumerVersion ? { consumerVersion } : {}),
    ...(providerVersion ? { providerVersion } : {}),
    ...(verification
      ? {
          verification: {
            success: verification.success === 1,
            url: `${pactUrl}/verification-results/${verification.id}`,
            ...(verification.build_url ? { buildUrl: verification.build_url } : {}),
          },
        }
      : {}),
  };
}
