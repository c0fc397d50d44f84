/** Pacts: publishing them, asking which to verify, and publishing verification results. */

import { brokerClientError } from '../errors.js';
import { asResource, type HalResource, linkOf, linksOf, textOf } from '../hal.js';
import type { BrokerTransport } from '../transport.js';
import type { BrokerNotice, PactsForVerificationRequest, VerificationResultBody } from '../wire.js';

/** One pact the broker asks the provider to verify. */
export interface VerifiablePact {
  url: string;
  name: string | undefined;
  shortDescription: string | undefined;
  pending: boolean;
  wip: boolean;
  notices: BrokerNotice[];
}

/** What the broker said about a publication: notices to print and the URLs of the contracts. */
export interface PublishResult {
  notices: BrokerNotice[];
  contracts: Array<{ name: string | undefined; href: string }>;
}

/** Asks the broker which pacts a provider should verify (`pb:provider-pacts-for-verification`). */
export async function pactsForVerification(
  broker: BrokerTransport,
  provider: string,
  body: PactsForVerificationRequest,
): Promise<{ pacts: VerifiablePact[] }> {
  const href = broker.relation(await broker.index(), 'pb:provider-pacts-for-verification', { provider });
  const response = await broker.request('POST', href, body);
  const embedded = (response?._embedded?.pacts ?? []) as HalResource[];
  return {
    pacts: embedded.map((p) => {
      const self = linkOf(p, 'self');
      const properties = (p.verificationProperties ?? {}) as {
        pending?: boolean;
        wip?: boolean;
        notices?: BrokerNotice[];
      };
      return {
        url: self?.href ?? '',
        name: self?.name,
        shortDescription: typeof p.shortDescription === 'string' ? p.shortDescription : undefined,
        pending: properties.pending === true,
        wip: properties.wip === true,
        notices: properties.notices ?? [],
      };
    }),
  };
}

/** What `publishPacts` takes: one consumer version's pacts, with its branch, tags and build URL. */
export interface Publication {
  consumer: string;
  version: string;
  branch?: string | undefined;
  tags?: string[] | undefined;
  buildUrl?: string | undefined;
  merge?: boolean | undefined;
  pacts: Array<({ provider: { name: string } } & Record<string, unknown>) | string>;
}

/** The `pb:publish-contracts` body for a publication (each pact base64-encoded, as the reference's clients send it). */
function publicationBody(input: Publication) {
  return {
    pacticipantName: input.consumer,
    pacticipantVersionNumber: input.version,
    ...(input.branch ? { branch: input.branch } : {}),
    ...(input.tags?.length ? { tags: input.tags } : {}),
    ...(input.buildUrl ? { buildUrl: input.buildUrl } : {}),
    contracts: input.pacts.map((pact) => {
      const content = typeof pact === 'string' ? pact : JSON.stringify(pact);
      const provider =
        typeof pact === 'string' ? asResource(asResource(JSON.parse(pact)).provider) : pact.provider;
      return {
        consumerName: input.consumer,
        providerName: textOf(provider.name) ?? '',
        specification: 'pact',
        contentType: 'application/json',
        content: Buffer.from(content).toString('base64'),
        ...(input.merge ? { onConflict: 'merge' } : {}),
      };
    }),
  };
}

/**
 * Refuses, before anything is sent, a publication whose body would be larger than the limit the
 * broker advertises (X-Covenant-Body-Limit; read from its index): the broker would only answer 413
 * after the upload, or a proxy cut the connection. A broker that advertises no limit is not checked.
 */
export async function checkPublicationSize(broker: BrokerTransport, input: Publication): Promise<void> {
  await broker.index();
  const limit = broker.bodyLimit;
  if (limit === undefined) return;
  const size = Buffer.byteLength(JSON.stringify(publicationBody(input)));
  if (size <= limit) return;
  const providers = input.pacts.length === 1 ? 'one pact' : `${input.pacts.length} pacts`;
  throw brokerClientError(
    'COV_BROKER_CLIENT_BODY_TOO_LARGE',
    `the publication of ${providers} for ${input.consumer} ${input.version} is ${size} bytes (pacts travel base64-encoded, a third larger than the files), over the broker's limit of ${limit} bytes: nothing was sent`,
    { size, limit, consumer: input.consumer },
  );
}

/**
 * Publishes pacts for one consumer version (`pb:publish-contracts`), with branch, tags and build
 * URL; `merge` merges them into pacts already published for that version (for parallel test
 * runs). A pact is its JSON, or its file text (published byte for byte). A publication larger
 * than the broker's advertised body limit is refused before sending (COV_BROKER_CLIENT_BODY_TOO_LARGE).
 * Returns the broker's notices and the pacts' URLs.
 */
export async function publishPacts(broker: BrokerTransport, input: Publication): Promise<PublishResult> {
  const href = broker.relation(await broker.index(), 'pb:publish-contracts');
  await checkPublicationSize(broker, input);
  const response = (await broker.request('POST', href, publicationBody(input))) ?? {};
  return {
    notices: ((response.notices ?? []) as Array<{ type?: string; text: string }>).map((n) => ({
      when: n.type ?? 'info',
      text: n.text,
    })),
    contracts: linksOf(response, 'pb:contracts').map((l) => ({ name: l.name, href: l.href })),
  };
}

/**
 * Publishes a verification result for a pact fetched from this broker: records the provider
 * version's branch and tags first (through the pact's `pb:provider` resource, as the official
 * verifiers do), then posts to the pact's `pb:publish-verification-results`.
 */
export async function publishVerificationResult(
  broker: BrokerTransport,
  pact: HalResource,
  result: VerificationResultBody,
  provider: { branch?: string; tags?: string[] },
): Promise<HalResource> {
  if (provider.branch || (provider.tags && provider.tags.length > 0)) {
    const pacticipant = await broker.request('GET', broker.relation(pact, 'pb:provider'));
    const version = result.providerApplicationVersion;
    if (provider.branch) {
      await broker.request(
        'PUT',
        broker.relation(pacticipant, 'pb:branch-version', { branch: provider.branch, version }),
        {},
      );
    }
    for (const tag of provider.tags ?? []) {
      await broker.request('PUT', broker.relation(pacticipant, 'pb:version-tag', { tag, version }), {});
    }
  }
  return broker.request('POST', broker.relation(pact, 'pb:publish-verification-results'), result);
}
