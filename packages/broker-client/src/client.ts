import { isHttpUrl, redactUrl, urlCredentials } from '@covenant/core';
import { brokerClientError } from './errors.js';
import { expandTemplate, type HalLink, type HalResource, linkOf } from './hal.js';
import { type CanIDeployQuery, type CanIDeployResult, matrixQueryString, readMatrix } from './matrix.js';

/**
 * The longest timeout, in milliseconds, JavaScript timers take (2^31 - 1, about 24 days): above it
 * Node fires them after 1 ms, and every request would time out at once.
 *
 * @example if (timeoutMs > MAX_TIMEOUT_MS) throw new Error('timeout too long');
 */
export const MAX_TIMEOUT_MS = 2_147_483_647;

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
  /** Headers sent with every request (e.g. a gateway's key). */
  headers?: Record<string, string>;
  /**
   * How many times to retry a request the broker answers 5xx, 408 or 429, waiting 0.5 s, 1 s, 2 s...
   * (a 429's Retry-After seconds when given). Default: PACT_BROKER_HTTP_RETRIES, else 0.
   */
  retries?: number;
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

/** What the broker said about a publication: notices to print and the URLs of the contracts. */
export interface PublishResult {
  notices: BrokerNotice[];
  contracts: Array<{ name: string | undefined; href: string }>;
}

/** An environment (`pb:environments`). */
export interface Environment {
  uuid: string;
  name: string;
  displayName: string | undefined;
  production: boolean;
  contacts: Array<{ name: string; details?: Record<string, unknown> }>;
  createdAt: string | undefined;
}

export interface EnvironmentInput {
  name: string;
  displayName?: string;
  production?: boolean;
  contacts?: Array<{ name: string; details?: Record<string, unknown> }>;
}

/** A pacticipant version as `describe-version` shows it. */
export interface PacticipantVersion {
  pacticipant: string;
  number: string;
  branches: string[];
  tags: string[];
  buildUrl: string | undefined;
  createdAt: string | undefined;
  /** The environments it is deployed or released to. */
  deployedTo: string[];
  releasedTo: string[];
}

/** A deployment or release the broker recorded. */
export interface RecordedDeployment {
  pacticipant: string;
  version: string;
  environment: string;
  applicationInstance: string | undefined;
  url: string | undefined;
}

export interface Pacticipant {
  name: string;
  displayName: string | undefined;
  mainBranch: string | undefined;
  repositoryUrl: string | undefined;
}

const asObject = (value: unknown): HalResource =>
  typeof value === 'object' && value !== null ? (value as HalResource) : {};
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const links = (resource: HalResource, rel: string): HalLink[] => {
  const link = resource._links?.[rel];
  return link === undefined ? [] : Array.isArray(link) ? link : [link];
};
const embedded = (resource: HalResource | undefined, key: string): HalResource[] => {
  const value = resource?._embedded?.[key];
  return Array.isArray(value) ? (value as HalResource[]) : [];
};

/**
 * The broker's own words from an error body — `{error}`, `{errors: [...]}` or `{errors: {field: [...]}}`
 * (the reference broker's shapes) or problem+json's `detail` — else the body's start.
 */
function brokerMessage(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body.slice(0, 500);
  }
  const error = asObject(parsed);
  const errors = error.errors;
  const messages = Array.isArray(errors)
    ? errors.map(String)
    : typeof errors === 'object' && errors !== null
      ? Object.values(errors).flatMap((v) => (Array.isArray(v) ? v.map(String) : [String(v)]))
      : [];
  if (messages.length > 0) return messages.join('; ');
  return text(error.error) ?? text(error.detail) ?? text(error.title) ?? body.slice(0, 500);
}

function readEnvironment(resource: HalResource): Environment {
  return {
    uuid: text(resource.uuid) ?? '',
    name: text(resource.name) ?? '',
    displayName: text(resource.displayName),
    production: resource.production === true,
    contacts: Array.isArray(resource.contacts) ? (resource.contacts as Environment['contacts']) : [],
    createdAt: text(resource.createdAt),
  };
}

function readPacticipant(resource: HalResource): Pacticipant {
  return {
    name: text(resource.name) ?? '',
    displayName: text(resource.displayName),
    mainBranch: text(resource.mainBranch),
    repositoryUrl: text(resource.repositoryUrl),
  };
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
  private readonly headers: Record<string, string>;
  private readonly retries: number;
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
    // fetch refuses a URL with credentials (https://user:secret@broker): they become basic auth,
    // and the password never shows in a message
    const inUrl = urlCredentials(baseUrl);
    // `localhost:9292` parses as a URL of scheme `localhost:`, and would fail later as an unreachable broker
    if (!isHttpUrl(inUrl.url)) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_CONFIG_INVALID',
        `the broker URL '${redactUrl(baseUrl)}' is not an http:// or https:// URL, e.g. http://localhost:9292`,
        { url: redactUrl(baseUrl) },
      );
    }
    this.baseUrl = inUrl.url.replace(/\/+$/, '');
    // credentials given as options win over those in the URL, which win over the environment's
    const fromUrl =
      !!inUrl.username &&
      options.token === undefined &&
      options.username === undefined &&
      options.password === undefined;
    const token = fromUrl ? undefined : (options.token ?? env.PACT_BROKER_TOKEN);
    const username = fromUrl ? inUrl.username : (options.username ?? env.PACT_BROKER_USERNAME);
    const password = fromUrl ? inUrl.password : (options.password ?? env.PACT_BROKER_PASSWORD);
    if (token) this.authorization = `Bearer ${token}`;
    else if (username !== undefined && username !== '') {
      this.authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
    }
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (
      !(
        typeof timeoutMs === 'number' &&
        Number.isFinite(timeoutMs) &&
        timeoutMs > 0 &&
        timeoutMs <= MAX_TIMEOUT_MS
      )
    ) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_CONFIG_INVALID',
        `timeoutMs ${String(timeoutMs)} is not a number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (about 24 days)`,
        { timeoutMs },
      );
    }
    this.timeoutMs = timeoutMs;
    this.headers = options.headers ?? {};
    const retries = options.retries ?? Number(env.PACT_BROKER_HTTP_RETRIES ?? 0);
    if (!Number.isInteger(retries) || retries < 0) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_CONFIG_INVALID',
        `retries must be a whole number, 0 or more (got ${retries})`,
      );
    }
    this.retries = retries;
  }

  /** Sends a request and returns the parsed JSON body (or undefined for an empty one). */
  async request<T = HalResource>(method: string, url: string, body?: unknown): Promise<T> {
    const target = url.startsWith('http') ? url : `${this.baseUrl}${url.startsWith('/') ? '' : '/'}${url}`;
    const headers: Record<string, string> = {
      Accept: 'application/hal+json, application/json',
      ...this.headers,
    };
    if (this.authorization) headers.Authorization = this.authorization;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    for (let attempt = 0; ; attempt++) {
      try {
        response = await fetch(target, {
          method,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (error) {
        throw this.unreachable(method, target, error, 'no answer');
      }
      const status = response.status;
      if (attempt >= this.retries || !(status >= 500 || status === 408 || status === 429)) break;
      await response.body?.cancel();
      const retryAfter = response.headers.get('retry-after');
      const delayMs =
        status === 429 && retryAfter !== null && /^\d+$/.test(retryAfter.trim())
          ? Number(retryAfter) * 1000
          : 500 * 2 ** attempt;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    let text: string;
    try {
      // the timeout covers the body too: a broker that stops half-way is a failed request, not a hang
      text = await response.text();
    } catch (error) {
      throw this.unreachable(method, target, error, 'no complete answer');
    }
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
        `${method} ${target} answered ${response.status}: ${brokerMessage(text)}`,
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

  /** The error for a request that got no (complete) answer: refused, unresolvable, timed out, cut off. */
  private unreachable(method: string, target: string, error: unknown, what: string) {
    return brokerClientError(
      'COV_BROKER_CLIENT_UNREACHABLE',
      `${method} ${redactUrl(target)} failed: ${failureReason(error, this.timeoutMs, what)}`,
      { url: redactUrl(target) },
      error,
    );
  }

  /**
   * GETs a resource, or undefined when the broker answers 404.
   *
   * @example const pacticipant = await broker.find('/pacticipants/Web'); // undefined if there is none
   */
  async find(url: string): Promise<HalResource | undefined> {
    try {
      return (await this.request<HalResource | undefined>('GET', url)) ?? {};
    } catch (error) {
      if ((error as { details?: { status?: number } }).details?.status === 404) return undefined;
      throw error;
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
   * URL; `merge` merges them into pacts already published for that version (for parallel test
   * runs). A pact is its JSON, or its file text (published byte for byte).
   * Returns the broker's notices and the pacts' URLs.
   *
   * @example await broker.publishPacts({ consumer: 'Web', version: '1.2.0', branch: 'main', pacts: [pactJson] })
   */
  async publishPacts(input: {
    consumer: string;
    version: string;
    branch?: string | undefined;
    tags?: string[] | undefined;
    buildUrl?: string | undefined;
    merge?: boolean | undefined;
    pacts: Array<({ provider: { name: string } } & Record<string, unknown>) | string>;
  }): Promise<PublishResult> {
    const href = this.relation(await this.index(), 'pb:publish-contracts');
    const body = {
      pacticipantName: input.consumer,
      pacticipantVersionNumber: input.version,
      ...(input.branch ? { branch: input.branch } : {}),
      ...(input.tags?.length ? { tags: input.tags } : {}),
      ...(input.buildUrl ? { buildUrl: input.buildUrl } : {}),
      contracts: input.pacts.map((pact) => {
        const content = typeof pact === 'string' ? pact : JSON.stringify(pact);
        const provider =
          typeof pact === 'string' ? asObject(asObject(JSON.parse(pact)).provider) : pact.provider;
        return {
          consumerName: input.consumer,
          providerName: text(provider.name) ?? '',
          specification: 'pact',
          contentType: 'application/json',
          content: Buffer.from(content).toString('base64'),
          ...(input.merge ? { onConflict: 'merge' } : {}),
        };
      }),
    };
    const response = (await this.request('POST', href, body)) ?? {};
    return {
      notices: ((response.notices ?? []) as Array<{ type?: string; text: string }>).map((n) => ({
        when: n.type ?? 'info',
        text: n.text,
      })),
      contracts: links(response, 'pb:contracts').map((l) => ({ name: l.name, href: l.href })),
    };
  }

  /**
   * Asks the broker whether the selected versions can be deployed (`/matrix`, as the official
   * CLI does). While the answer is unknown (verifications missing), asks again up to
   * `retryWhileUnknown` times, `retryIntervalMs` apart.
   *
   * @example
   * const answer = await broker.canIDeploy({ selectors: [{ pacticipant: 'Web', version: sha }], toEnvironment: 'production' });
   * if (answer.deployable !== true) process.exitCode = 1;
   */
  async canIDeploy(
    query: CanIDeployQuery,
    retry: { retryWhileUnknown?: number; retryIntervalMs?: number; onRetry?: (attempt: number) => void } = {},
  ): Promise<CanIDeployResult> {
    if (query.selectors.length === 0) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_CONFIG_INVALID',
        'can-i-deploy needs at least one pacticipant',
      );
    }
    for (let attempt = 0; ; attempt++) {
      const result = readMatrix(await this.request('GET', `/matrix?${matrixQueryString(query)}`));
      if (result.deployable !== undefined || attempt >= (retry.retryWhileUnknown ?? 0)) return result;
      retry.onRetry?.(attempt + 1);
      await new Promise((resolve) => setTimeout(resolve, retry.retryIntervalMs ?? 10_000));
    }
  }

  /**
   * Every environment the broker knows.
   *
   * @example (await broker.environments()).map((e) => e.name) // ['production', 'test']
   */
  async environments(): Promise<Environment[]> {
    const list = await this.request('GET', this.relation(await this.index(), 'pb:environments'));
    return embedded(list, 'environments').map(readEnvironment);
  }

  /** The environment of this name, or a NOT_FOUND error naming the ones that exist. */
  async environment(name: string): Promise<Environment & { resource: HalResource }> {
    const list = await this.request('GET', this.relation(await this.index(), 'pb:environments'));
    const found = embedded(list, 'environments').find((e) => e.name === name);
    if (!found) {
      const names = embedded(list, 'environments').map((e) => text(e.name));
      throw brokerClientError(
        'COV_BROKER_CLIENT_NOT_FOUND',
        `the broker has no environment '${name}' (it has: ${names.join(', ') || 'none'}); create it with create-environment`,
        { environment: name },
      );
    }
    return { ...readEnvironment(found), resource: found };
  }

  /**
   * Creates an environment.
   *
   * @example const { uuid } = await broker.createEnvironment({ name: 'uat', displayName: 'UAT', production: false });
   */
  async createEnvironment(input: EnvironmentInput): Promise<Environment> {
    const created = await this.request('POST', this.relation(await this.index(), 'pb:environments'), {
      name: input.name,
      ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
      production: input.production ?? false,
      ...(input.contacts?.length ? { contacts: input.contacts } : {}),
    });
    return readEnvironment(created ?? {});
  }

  /**
   * Changes an environment, found by its uuid; fields not given keep their values.
   *
   * @example await broker.updateEnvironment(uuid, { displayName: 'Staging (EU)' });
   */
  async updateEnvironment(uuid: string, changes: Partial<EnvironmentInput>): Promise<Environment> {
    const list = await this.request('GET', this.relation(await this.index(), 'pb:environments'));
    const current = embedded(list, 'environments').find((e) => e.uuid === uuid);
    if (!current) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_NOT_FOUND',
        `the broker has no environment with uuid ${uuid}; list-environments shows them`,
        { uuid },
      );
    }
    const was = readEnvironment(current);
    const updated = await this.request('PUT', this.relation(current, 'self'), {
      name: changes.name ?? was.name,
      ...((changes.displayName ?? was.displayName) !== undefined
        ? { displayName: changes.displayName ?? was.displayName }
        : {}),
      production: changes.production ?? was.production,
      contacts: changes.contacts ?? was.contacts,
    });
    return readEnvironment(updated ?? {});
  }

  private async versionResource(pacticipant: string, version: string | { latest: true; tag?: string }) {
    const index = await this.index();
    const href =
      typeof version === 'string'
        ? this.relation(index, 'pb:pacticipant-version', { pacticipant, version })
        : version.tag !== undefined
          ? this.relation(index, 'pb:latest-tagged-version', { pacticipant, tag: version.tag })
          : this.relation(index, 'pb:latest-version', { pacticipant });
    const resource = await this.find(href);
    if (!resource) {
      const what =
        typeof version === 'string'
          ? `version ${version} of ${pacticipant}`
          : `version of ${pacticipant}${version.tag !== undefined ? ` tagged '${version.tag}'` : ''}`;
      throw brokerClientError(
        'COV_BROKER_CLIENT_NOT_FOUND',
        `the broker has no ${what}; check the name and version, or publish it first`,
        { pacticipant, ...(typeof version === 'string' ? { version } : {}) },
      );
    }
    return resource;
  }

  /**
   * A pacticipant version with its branches, tags and environments; the latest (of a tag) when
   * `version` is `{ latest: true }`.
   *
   * @example const v = await broker.describeVersion('Web', { latest: true, tag: 'prod' });
   */
  async describeVersion(
    pacticipant: string,
    version: string | { latest: true; tag?: string },
  ): Promise<PacticipantVersion> {
    // the environments are listed while the version is fetched; each is then asked at once
    const [resource, environments] = await Promise.all([
      this.versionResource(pacticipant, version),
      this.index().then((index) => this.request('GET', this.relation(index, 'pb:environments'))),
    ]);
    const names = (items: HalResource[], key = 'name') =>
      items.map((item) => text(item[key])).filter((v): v is string => v !== undefined);
    const number = text(resource.number) ?? (typeof version === 'string' ? version : '');
    const branchVersions = embedded(resource, 'branchVersions');
    return {
      pacticipant,
      number,
      branches: branchVersions.length ? names(branchVersions) : names(embedded(resource, 'branches')),
      tags: names(embedded(resource, 'tags')),
      buildUrl: text(resource.buildUrl),
      createdAt: text(resource.createdAt),
      ...(await this.environmentsOf(embedded(environments, 'environments'), pacticipant, number)),
    };
  }

  /**
   * The environments (of the broker's list) a version is currently deployed or released to, asked
   * of every environment at once.
   */
  private async environmentsOf(environments: HalResource[], pacticipant: string, number: string) {
    const query = `?pacticipant=${encodeURIComponent(pacticipant)}`;
    const holds = async (link: HalLink | undefined, key: string) =>
      link !== undefined &&
      embedded(await this.request('GET', link.href + query), key).some(
        (item) => text(asObject(item._embedded?.version).number) === number,
      );
    const answers = await Promise.all(
      environments.map(async (environment) => {
        const [deployed, released] = await Promise.all([
          holds(linkOf(environment, 'pb:currently-deployed-deployed-versions'), 'deployedVersions'),
          holds(linkOf(environment, 'pb:currently-supported-released-versions'), 'releasedVersions'),
        ]);
        return { name: text(environment.name) ?? '', deployed, released };
      }),
    );
    return {
      deployedTo: answers.filter((a) => a.deployed).map((a) => a.name),
      releasedTo: answers.filter((a) => a.released).map((a) => a.name),
    };
  }

  private async record(
    kind: 'pb:record-deployment' | 'pb:record-release',
    input: {
      pacticipant: string;
      version: string;
      environment: string;
      applicationInstance?: string | undefined;
    },
  ): Promise<RecordedDeployment> {
    const version = await this.versionResource(input.pacticipant, input.version);
    const link = links(version, kind).find((l) => l.name === input.environment);
    if (!link) {
      // an unknown environment is the usual cause: this throws the error that lists the known ones
      await this.environment(input.environment);
      throw brokerClientError(
        'COV_BROKER_CLIENT_RELATION_MISSING',
        `the broker offers no '${kind}' relation for ${input.environment} on version ${input.version} of ${input.pacticipant}`,
        { rel: kind },
      );
    }
    const body =
      input.applicationInstance !== undefined ? { applicationInstance: input.applicationInstance } : {};
    const recorded = (await this.request('POST', link.href, body)) ?? {};
    return {
      pacticipant: input.pacticipant,
      version: input.version,
      environment: input.environment,
      applicationInstance: text(recorded.applicationInstance) ?? input.applicationInstance,
      url: linkOf(recorded, 'self')?.href,
    };
  }

  /**
   * Records that a version was deployed to an environment (the previous deployment of the same
   * application instance there is marked undeployed by the broker).
   *
   * @example await broker.recordDeployment({ pacticipant: 'Web', version: sha, environment: 'production' })
   */
  recordDeployment(input: {
    pacticipant: string;
    version: string;
    environment: string;
    applicationInstance?: string | undefined;
  }): Promise<RecordedDeployment> {
    return this.record('pb:record-deployment', input);
  }

  /**
   * Records that a version was released to an environment (several releases can be supported at once).
   *
   * @example await broker.recordRelease({ pacticipant: 'Mobile', version: '2.3.0', environment: 'production' })
   */
  recordRelease(input: {
    pacticipant: string;
    version: string;
    environment: string;
  }): Promise<RecordedDeployment> {
    return this.record('pb:record-release', input);
  }

  /**
   * Records that a pacticipant is no longer deployed to an environment: the deployment of the given
   * application instance, or (none named) the deployment without an instance, as the official CLI
   * does; returns the deployments ended.
   *
   * @example await broker.recordUndeployment({ pacticipant: 'Web', environment: 'test' })
   */
  async recordUndeployment(input: {
    pacticipant: string;
    environment: string;
    applicationInstance?: string | undefined;
  }): Promise<RecordedDeployment[]> {
    const environment = await this.environment(input.environment);
    const href = this.relation(environment.resource, 'pb:currently-deployed-deployed-versions');
    const list = await this.request('GET', `${href}?pacticipant=${encodeURIComponent(input.pacticipant)}`);
    const instanceOf = (d: HalResource) => text(d.applicationInstance) ?? text(d.target);
    const deployments = embedded(list, 'deployedVersions');
    // as the official CLI: no instance named ends only the deployment that has no instance
    const current = deployments.filter((d) => instanceOf(d) === input.applicationInstance);
    if (current.length === 0) {
      const others = [
        ...new Set(deployments.map((d) => instanceOf(d) ?? '(none: leave --application-instance out)')),
      ];
      throw brokerClientError(
        'COV_BROKER_CLIENT_NOT_FOUND',
        `${input.pacticipant} is not currently deployed to ${input.environment}${
          input.applicationInstance !== undefined
            ? ` (application instance ${input.applicationInstance})`
            : ' without an application instance'
        }; nothing to undeploy${
          others.length > 0 ? `; the application instances deployed there are: ${others.join(', ')}` : ''
        }`,
        { pacticipant: input.pacticipant, environment: input.environment },
      );
    }
    const ended: RecordedDeployment[] = [];
    for (const deployed of current) {
      await this.request('PATCH', this.relation(deployed, 'self'), { currentlyDeployed: false });
      ended.push({
        pacticipant: input.pacticipant,
        version: text(asObject(deployed._embedded?.version).number) ?? '',
        environment: input.environment,
        applicationInstance: text(deployed.applicationInstance),
        url: linkOf(deployed, 'self')?.href,
      });
    }
    return ended;
  }

  /**
   * Records that a released version is no longer supported in an environment.
   *
   * @example await broker.recordSupportEnded({ pacticipant: 'Mobile', version: '2.1.0', environment: 'production' })
   */
  async recordSupportEnded(input: {
    pacticipant: string;
    version: string;
    environment: string;
  }): Promise<RecordedDeployment[]> {
    const environment = await this.environment(input.environment);
    const href = this.relation(environment.resource, 'pb:currently-supported-released-versions');
    const list = await this.request(
      'GET',
      `${href}?pacticipant=${encodeURIComponent(input.pacticipant)}&version=${encodeURIComponent(input.version)}`,
    );
    const current = embedded(list, 'releasedVersions').filter(
      (r) => (text(asObject(r._embedded?.version).number) ?? input.version) === input.version,
    );
    if (current.length === 0) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_NOT_FOUND',
        `version ${input.version} of ${input.pacticipant} is not a currently supported release in ${input.environment}`,
        { pacticipant: input.pacticipant, environment: input.environment },
      );
    }
    for (const released of current) {
      await this.request('PATCH', this.relation(released, 'self'), { currentlySupported: false });
    }
    return current.map((r) => ({
      pacticipant: input.pacticipant,
      version: input.version,
      environment: input.environment,
      applicationInstance: undefined,
      url: linkOf(r, 'self')?.href,
    }));
  }

  /**
   * Tags a pacticipant version. Unless `autoCreateVersion`, the version must exist.
   *
   * @example await broker.createVersionTags({ pacticipant: 'Web', version: sha, tags: ['prod'] })
   */
  async createVersionTags(input: {
    pacticipant: string;
    version: string;
    tags: string[];
    autoCreateVersion?: boolean;
  }): Promise<void> {
    if (!input.autoCreateVersion) await this.versionResource(input.pacticipant, input.version);
    const index = await this.index();
    for (const tag of input.tags) {
      await this.request(
        'PUT',
        this.relation(index, 'pb:pacticipant-version-tag', {
          pacticipant: input.pacticipant,
          version: input.version,
          tag,
        }),
        {},
      );
    }
  }

  /**
   * Creates a pacticipant, or updates the fields given of an existing one.
   *
   * @example await broker.createOrUpdatePacticipant({ name: 'Web', mainBranch: 'main' })
   */
  async createOrUpdatePacticipant(input: {
    name: string;
    displayName?: string | undefined;
    mainBranch?: string | undefined;
    repositoryUrl?: string | undefined;
  }): Promise<{ created: boolean; pacticipant: Pacticipant }> {
    const index = await this.index();
    const href = this.relation(index, 'pb:pacticipant', { pacticipant: input.name });
    const fields = {
      ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
      ...(input.mainBranch !== undefined ? { mainBranch: input.mainBranch } : {}),
      ...(input.repositoryUrl !== undefined ? { repositoryUrl: input.repositoryUrl } : {}),
    };
    const existing = await this.find(href);
    const saved = existing
      ? await this.request('PATCH', href, fields)
      : await this.request('POST', this.relation(index, 'pb:pacticipants'), { name: input.name, ...fields });
    return { created: !existing, pacticipant: readPacticipant(saved ?? { name: input.name }) };
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

/**
 * Why a `fetch` failed, as a person reads it: fetch wraps the socket error (`ECONNREFUSED`...) in a
 * TypeError, and a timeout is an AbortSignal's `TimeoutError`. The one wording for the broker
 * client and for the verifier's pact URLs.
 *
 * @param timeoutMs the timeout the request had, named when it ran out
 * @param waitingFor what did not come in time: `no answer` (the default) or `no complete answer` for a body
 * @example
 * try { await fetch(url, { signal: AbortSignal.timeout(5000) }); }
 * catch (error) { throw new Error(`GET ${url} failed: ${failureReason(error, 5000)}`); }
 */
export function failureReason(error: unknown, timeoutMs?: number, waitingFor = 'no answer'): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause as
    | { code?: string; message?: string; errors?: Array<{ code?: string; message?: string }> }
    | undefined;
  const code = cause?.code ?? cause?.errors?.find((e) => e.code)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'the host name does not resolve';
  if (code) return code;
  if ((error as Error | undefined)?.name === 'TimeoutError')
    return timeoutMs === undefined ? `${waitingFor} in time` : `${waitingFor} within ${timeoutMs} ms`;
  return cause?.message ?? (error as Error | undefined)?.message ?? String(error);
}
