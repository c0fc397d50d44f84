import { brokerClientError } from './errors.js';
import { expandTemplate, type HalLink, type HalResource, linkOf } from './hal.js';

export interface BrokerClientOptions {
  /** The broker's base URL. Default: PACT_BROKER_BASE_URL. */
  baseUrl?: string;
  /** Basic auth. Default: PACT_BROKER_USERNAME / PACT_BROKER_PASSWORD. */
  username?: string;
  password?: string;
  /** Bearer token. Default: PACT_BROKER_TOKEN. */
  token?: string;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  /** Environment to read defaults from. Default: process.env. */
  env?: Record<string, string | undefined>;
}

/** A consumer version selector, as `pb:provider-pacts-for-verification` takes them. */
export interface ConsumerVersionSelector {
  mainBranch?: boolean;
  branch?: string;
  matchingBranch?: boolean;
  fallbackBranch?: string;
  tag?: string;
  fallbackTag?: string;
  latest?: boolean;
  consumer?: string;
  deployed?: boolean;
  released?: boolean;
  deployedOrReleased?: boolean;
  environment?: string;
}

export interface PactsForVerificationRequest {
  consumerVersionSelectors?: ConsumerVersionSelector[];
  providerVersionBranch?: string;
  providerVersionTags?: string[];
  includePendingStatus?: boolean;
  includeWipPactsSince?: string;
}

export interface BrokerNotice {
  when: string;
  text: string;
}

/** One pact the broker asks the provider to verify. */
export interface VerifiablePact {
  url: string;
  name: string | undefined;
  shortDescription: string | undefined;
  pending: boolean;
  wip: boolean;
  notices: BrokerNotice[];
}

/** The result of verifying one pact, in the body the broker expects. */
export interface VerificationResultBody {
  success: boolean;
  providerApplicationVersion: string;
  buildUrl?: string;
  testResults?: Array<{
    interactionId?: string;
    interactionDescription?: string;
    success: boolean;
    mismatches?: unknown[];
  }>;
  verifiedBy?: { implementation: string; version: string };
}

/**
 * A typed client for the Pact Broker's HAL API: it starts at the index and follows relations,
 * as the official clients do, so it works with any compatible broker.
 *
 * @example
 * const broker = new BrokerClient({ baseUrl: 'http://localhost:9292' });
 * const pacts = await broker.pactsForVerification('UserService', { consumerVersionSelectors: [{ mainBranch: true }] });
 */
export class BrokerClient {
  readonly baseUrl: string;
  private readonly authorization: string | undefined;
  private readonly timeoutMs: number;
  private indexResource: HalResource | undefined;

  constructor(options: BrokerClientOptions = {}) {
    const env = options.env ?? process.env;
    const baseUrl = options.baseUrl ?? env.PACT_BROKER_BASE_URL;
    if (!baseUrl) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_CONFIG_INVALID',
        'no broker URL: pass baseUrl or set PACT_BROKER_BASE_URL',
      );
    }
    try {
      new URL(baseUrl);
    } catch {
      throw brokerClientError('COV_BROKER_CLIENT_CONFIG_INVALID', `'${baseUrl}' is not a URL`);
    }
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    const token = options.token ?? env.PACT_BROKER_TOKEN;
    const username = options.username ?? env.PACT_BROKER_USERNAME;
    const password = options.password ?? env.PACT_BROKER_PASSWORD;
    if (token) this.authorization = `Bearer ${token}`;
    else if (username !== undefined && username !== '') {
      this.authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
    }
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Sends a request and returns the parsed JSON body (or undefined for an empty one). */
  async request<T = HalResource>(method: string, url: string, body?: unknown): Promise<T> {
    const target = url.startsWith('http') ? url : `${this.baseUrl}${url.startsWith('/') ? '' : '/'}${url}`;
    const headers: Record<string, string> = { Accept: 'application/hal+json, application/json' };
    if (this.authorization) headers.Authorization = this.authorization;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(target, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw brokerClientError(
        'COV_BROKER_CLIENT_UNREACHABLE',
        `${method} ${target} failed: ${cause === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : cause}`,
        { url: target },
        error,
      );
    }
    const text = await response.text();
    if (response.status === 401 || response.status === 403) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_UNAUTHORIZED',
        `${method} ${target} was refused (${response.status})`,
        {
          url: target,
          status: response.status,
        },
      );
    }
    if (!response.ok) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_REQUEST_FAILED',
        `${method} ${target} answered ${response.status}: ${text.slice(0, 500)}`,
        { url: target, status: response.status, body: text.slice(0, 2000) },
      );
    }
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw brokerClientError(
        'COV_BROKER_CLIENT_REQUEST_FAILED',
        `${method} ${target} answered with a body that is not JSON`,
        {
          url: target,
        },
      );
    }
  }

  /** The broker's index resource (fetched once). */
  async index(): Promise<HalResource> {
    if (!this.indexResource)
      this.indexResource = (await this.request<HalResource | undefined>('GET', '/')) ?? {};
    return this.indexResource;
  }

  /** The href of a relation on a resource, templated values filled in. */
  relation(resource: HalResource, rel: string, values: Record<string, string> = {}): string {
    const link: HalLink | undefined = linkOf(resource, rel);
    if (!link) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_RELATION_MISSING',
        `the broker offers no '${rel}' relation here`,
        { rel },
      );
    }
    return expandTemplate(link.href, values);
  }

  /** Asks the broker which pacts a provider should verify (`pb:provider-pacts-for-verification`). */
  async pactsForVerification(
    provider: string,
    body: PactsForVerificationRequest,
  ): Promise<{ pacts: VerifiablePact[] }> {
    const href = this.relation(await this.index(), 'pb:provider-pacts-for-verification', { provider });
    const response = await this.request('POST', href, body);
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

  /**
   * Publishes pacts for one consumer version (`pb:publish-contracts`), with branch, tags and build
   * URL; returns the broker's notices.
   *
   * @example await broker.publishPacts({ consumer: 'Web', version: '1.2.0', branch: 'main', pacts: [pactJson] })
   */
  async publishPacts(input: {
    consumer: string;
    version: string;
    branch?: string;
    tags?: string[];
    buildUrl?: string;
    pacts: Array<{ provider: { name: string } } & Record<string, unknown>>;
  }): Promise<{ notices: BrokerNotice[] }> {
    const href = this.relation(await this.index(), 'pb:publish-contracts');
    const body = {
      pacticipantName: input.consumer,
      pacticipantVersionNumber: input.version,
      ...(input.branch ? { branch: input.branch } : {}),
      ...(input.tags?.length ? { tags: input.tags } : {}),
      ...(input.buildUrl ? { buildUrl: input.buildUrl } : {}),
      contracts: input.pacts.map((pact) => ({
        consumerName: input.consumer,
        providerName: pact.provider.name,
        specification: 'pact',
        contentType: 'application/json',
        content: Buffer.from(JSON.stringify(pact)).toString('base64'),
      })),
    };
    const response = await this.request('POST', href, body);
    return {
      notices: ((response?.notices ?? []) as Array<{ type?: string; text: string }>).map((n) => ({
        when: n.type ?? 'info',
        text: n.text,
      })),
    };
  }

  /**
   * Publishes a verification result for a pact fetched from this broker: records the provider
   * version's branch and tags first (through the pact's `pb:provider` resource, as the official
   * verifiers do), then posts to the pact's `pb:publish-verification-results`.
   */
  async publishVerificationResult(
    pact: HalResource,
    result: VerificationResultBody,
    provider: { branch?: string; tags?: string[] },
  ): Promise<HalResource> {
    if (provider.branch || (provider.tags && provider.tags.length > 0)) {
      const pacticipant = await this.request('GET', this.relation(pact, 'pb:provider'));
      const version = result.providerApplicationVersion;
      if (provider.branch) {
        await this.request(
          'PUT',
          this.relation(pacticipant, 'pb:branch-version', { branch: provider.branch, version }),
          {},
        );
      }
      for (const tag of provider.tags ?? []) {
        await this.request('PUT', this.relation(pacticipant, 'pb:version-tag', { tag, version }), {});
      }
    }
    return this.request('POST', this.relation(pact, 'pb:publish-verification-results'), result);
  }
}
