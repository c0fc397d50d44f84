/**
 * Which webhook events a publication fires, which webhooks they trigger, and with what data: the
 * reference broker's semantics as pure functions over data the caller has read (in the same
 * transaction as the write, so the triggered webhooks it stores describe exactly that write).
 */
import type { TemplateData, TemplateVersion } from './template.js';

/** The events a webhook may subscribe to, as the reference broker names them. */
export const WEBHOOK_EVENTS = [
  'contract_published',
  'contract_content_changed',
  'contract_requiring_verification_published',
  'provider_verification_published',
  'provider_verification_succeeded',
  'provider_verification_failed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A consumer or provider, with its labels (webhooks may select by label). */
export interface Party {
  name: string;
  labels?: string[];
}

/** What a webhook subscribes to: events, and the consumer and provider it applies to (absent: any). */
export interface WebhookSubscription {
  uuid: string;
  enabled: boolean;
  events: readonly string[];
  consumer?: { name: string } | { label: string };
  provider?: { name: string } | { label: string };
}

/** One event with the data its deliveries carry: a webhook it triggers gets one delivery. */
export interface WebhookTrigger {
  eventName: WebhookEvent;
  data: TemplateData;
}

/** A triggered webhook to store (in the outbox) and deliver. */
export interface PlannedDelivery {
  webhookUuid: string;
  eventName: WebhookEvent;
  data: TemplateData;
}

const scopeMatches = (scope: WebhookSubscription['consumer'], party: Party) =>
  scope === undefined ||
  ('name' in scope ? scope.name === party.name : (party.labels ?? []).includes(scope.label));

/**
 * Whether a webhook fires for this event between these parties: enabled, subscribed to the event,
 * and its consumer and provider each absent, the party's name, or one of the party's labels.
 *
 * @example webhookApplies(hook, 'contract_published', { name: 'Web' }, { name: 'Orders', labels: ['team-a'] })
 */
export function webhookApplies(
  webhook: WebhookSubscription,
  eventName: WebhookEvent,
  consumer: Party,
  provider: Party,
): boolean {
  return (
    webhook.enabled &&
    webhook.events.includes(eventName) &&
    scopeMatches(webhook.consumer, consumer) &&
    scopeMatches(webhook.provider, provider)
  );
}

/**
 * One delivery per webhook that applies to each trigger, in the order given (triggers first).
 *
 * @example planDeliveries(await webhooks.all(), contractPublishedTriggers(publication))
 */
export function planDeliveries(
  webhooks: readonly WebhookSubscription[],
  triggers: readonly WebhookTrigger[],
): PlannedDelivery[] {
  return triggers.flatMap((trigger) =>
    webhooks
      .filter((webhook) =>
        webhookApplies(webhook, trigger.eventName, trigger.data.consumer, trigger.data.provider),
      )
      .map((webhook) => ({ webhookUuid: webhook.uuid, eventName: trigger.eventName, data: trigger.data })),
  );
}

/** A provider version the new pact content must be verified by. */
export interface VersionRequiringVerification {
  providerVersion: TemplateVersion;
  /** Why, e.g. `latest version from main branch`, `currently deployed version (production)`. */
  descriptions: string[];
}

/** The provider versions that could need to verify a newly published pact. */
export interface ProviderVersionsInPlay {
  /** The latest version on the provider's main branch, if it has one. */
  latestMainBranchVersion?: TemplateVersion;
  /** Versions currently deployed, with the environment each is deployed to. */
  deployed?: Array<{ version: TemplateVersion; environment: string }>;
  /** Versions released and still supported, with the environment. */
  releasedAndSupported?: Array<{ version: TemplateVersion; environment: string }>;
  /** Provider version numbers that already have a verification of this pact's content. */
  alreadyVerified?: Iterable<string>;
}

/**
 * The provider versions that must verify new pact content, as the reference broker picks them: the
 * latest main-branch version, the deployed versions and the released-and-supported ones, each once
 * (its reasons merged), leaving out any that already verified this content.
 *
 * @example versionsRequiringVerification({ latestMainBranchVersion: { number: 'p2', branch: 'main' }, alreadyVerified: [] })
 * // → [{ providerVersion: { number: 'p2', branch: 'main' }, descriptions: ['latest version from main branch'] }]
 */
export function versionsRequiringVerification(input: ProviderVersionsInPlay): VersionRequiringVerification[] {
  const verified = new Set(input.alreadyVerified ?? []);
  const byNumber = new Map<string, VersionRequiringVerification>();
  const add = (version: TemplateVersion, description: string) => {
    if (verified.has(version.number)) return;
    const existing = byNumber.get(version.number);
    if (!existing) byNumber.set(version.number, { providerVersion: version, descriptions: [description] });
    else if (!existing.descriptions.includes(description)) existing.descriptions.push(description);
  };
  if (input.latestMainBranchVersion) add(input.latestMainBranchVersion, 'latest version from main branch');
  for (const { version, environment } of input.deployed ?? [])
    add(version, `currently deployed version (${environment})`);
  for (const { version, environment } of input.releasedAndSupported ?? [])
    add(version, `currently released and supported version (${environment})`);
  return [...byNumber.values()];
}

/** A pact just published (or republished under the same consumer version). */
export interface PactPublication {
  consumer: Party;
  provider: Party;
  consumerVersion: TemplateVersion;
  /** The pact version's URL with metadata, for `${pactbroker.pactUrl}`. */
  pactUrl: string;
  pactVersionSha: string;
  /**
   * For each line the pact belongs to (the integration's latest, each of the consumer version's tags,
   * its branch), the content sha of the pact before this one on that line; undefined where this is the
   * first. Republishing under the same version: the sha of the pact it replaces.
   */
  previousShas: ReadonlyArray<string | undefined>;
  /** The provider versions in play for contract_requiring_verification_published. */
  providerVersions?: ProviderVersionsInPlay;
}

/**
 * The triggers of a pact publication: contract_published always; contract_content_changed when the
 * content is new on any of its lines (no earlier pact there, or a different one); and one
 * contract_requiring_verification_published per provider version that must verify the content.
 */
export function contractPublishedTriggers(publication: PactPublication): WebhookTrigger[] {
  const base = {
    consumer: publication.consumer,
    provider: publication.provider,
    pactUrl: publication.pactUrl,
    consumerVersion: publication.consumerVersion,
  };
  const triggers: WebhookTrigger[] = [
    { eventName: 'contract_published', data: { ...base, eventName: 'contract_published' } },
  ];
  const changed =
    publication.previousShas.length === 0 ||
    publication.previousShas.some((sha) => sha === undefined || sha !== publication.pactVersionSha);
  if (changed)
    triggers.push({
      eventName: 'contract_content_changed',
      data: { ...base, eventName: 'contract_content_changed' },
    });
  for (const required of versionsRequiringVerification(publication.providerVersions ?? {}))
    triggers.push({
      eventName: 'contract_requiring_verification_published',
      data: {
        ...base,
        eventName: 'contract_requiring_verification_published',
        providerVersion: required.providerVersion,
        providerVersionDescriptions: required.descriptions,
      },
    });
  return triggers;
}

/** A verification result just published. */
export interface VerificationPublication {
  consumer: Party;
  provider: Party;
  /** The verified pact's consumer version. */
  consumerVersion: TemplateVersion;
  /**
   * The consumer versions the verification's metadata URL selected (a verification of pacts
   * fetched for several consumer versions with the same content); absent or empty: the pact's own.
   */
  selectedConsumerVersions?: TemplateVersion[];
  providerVersion: TemplateVersion;
  pactUrl: string;
  verification: { success: boolean; url: string; buildUrl?: string };
}

/**
 * The triggers of a verification: provider_verification_published and _succeeded or _failed, each
 * once per selected consumer version, so every consumer commit gets its status.
 */
export function verificationPublishedTriggers(publication: VerificationPublication): WebhookTrigger[] {
  const outcome: WebhookEvent = publication.verification.success
    ? 'provider_verification_succeeded'
    : 'provider_verification_failed';
  const selected = publication.selectedConsumerVersions ?? [];
  const consumerVersions = (selected.length > 0 ? selected : [publication.consumerVersion]).filter(
    (version, index, all) => all.findIndex((other) => other.number === version.number) === index,
  );
  return (['provider_verification_published', outcome] as const).flatMap((eventName) =>
    consumerVersions.map((consumerVersion) => ({
      eventName,
      data: {
        eventName,
        consumer: publication.consumer,
        provider: publication.provider,
        pactUrl: publication.pactUrl,
        consumerVersion,
        providerVersion: publication.providerVersion,
        verification: publication.verification,
      },
    })),
  );
}
