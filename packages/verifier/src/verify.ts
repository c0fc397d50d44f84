import { X509Certificate } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  BrokerClient,
  type BrokerClientOptions,
  type ConsumerVersionSelector,
  linkOf,
  MAX_TIMEOUT_MS,
  type VerificationResultBody,
} from '@covenant/broker-client';
import {
  type Body,
  bodyBytes,
  CovenantError,
  contentTypeHeader,
  formatQueryString,
  generateRequest,
  type Interaction,
  isHttpUrl,
  matchResponse,
  type ProviderState,
  type SynchronousHttpInteraction,
} from '@covenant/core';
import { type VerifierErrorCode, verifierError } from './errors.js';
import { HttpClient, type OutgoingRequest } from './http-client.js';
import {
  isMessageInteraction,
  type MessageProviders,
  type MessageSource,
  validateMessageProviders,
  verifyMessage,
} from './messages.js';
import { consoleReporter, type Reporter } from './reporters.js';
import { type InteractionResult, type PactResult, summarise, type VerificationResult } from './result.js';
import { loadBrokerPacts, loadPactSources, type PactToVerify, type UrlAuth } from './sources.js';
import { ProviderStates, StateChangeError, type StateHandler, validateStateHandlers } from './states.js';

/** A request about to be sent to the provider; a filter may change it (auth headers and the like). */
export interface ProviderRequest {
  method: string;
  url: string;
  headers: Record<string, string[]>;
  body: Buffer | undefined;
}

export interface BrokerSourceOptions extends BrokerClientOptions {
  consumerVersionSelectors?: ConsumerVersionSelector[];
  /** Ask the broker which pacts are pending. Default true. */
  includePendingStatus?: boolean;
  /** Include work-in-progress pacts published since this date (ISO). */
  includeWipPactsSince?: string;
  /**
   * The provider version's branch, which pending and WIP status depend on. Default: the branch
   * given under `publish`.
   */
  providerVersionBranch?: string;
  /** The provider version's tags (older pending/WIP model). Default: the tags under `publish`. */
  providerVersionTags?: string[];
}

export interface VerifierOptions {
  /** The provider's name, as the pacts call it. */
  provider: string;
  /**
   * Where the running provider listens, e.g. `http://localhost:8080` (a base path is kept).
   * Needed for HTTP interactions; a message-only run can do without it.
   */
  providerBaseUrl?: string;
  /**
   * In-process message producers by interaction description (as pact-js's `messageProviders`),
   * for asynchronous and synchronous message interactions. Provider states are set up first.
   */
  messageProviders?: MessageProviders;
  /**
   * A message endpoint for providers that make their messages in another process or language:
   * it is sent `POST {description, providerStates}` and answers with the contents as the body and
   * the metadata in a `Pact-Message-Metadata` header (base64 JSON), as for the official verifiers.
   * An absolute URL, or a path (`/_pact/message`) on providerBaseUrl. Used for descriptions
   * without an in-process producer.
   */
  messageUrl?: string;
  /** Pact files, directories of pact files, and pact URLs. */
  pactUrls?: string[];
  /** Credentials for pact URLs. Default: the PACT_BROKER_* variables. */
  pactUrlAuth?: UrlAuth;
  /** Fetch pacts from a broker (`pb:provider-pacts-for-verification`). */
  broker?: BrokerSourceOptions;
  /** In-process provider state handlers, by state name. */
  stateHandlers?: Record<string, StateHandler>;
  /**
   * URL called with `POST {state, params, action}` for states without an in-process handler; for an
   * interaction without provider states, once with the empty state `''` (as the official verifiers do).
   */
  stateChangeUrl?: string;
  /** Also call the state change URL to tear states down. Default true. */
  stateChangeTeardown?: boolean;
  /** Changes each request before it is sent (e.g. adds an Authorization header). */
  requestFilter?: (
    request: ProviderRequest,
    // biome-ignore lint/suspicious/noConfusingVoidType: a filter written as `(r) => { r.headers.x = ['1'] }` changes the request in place
  ) => ProviderRequest | void | Promise<ProviderRequest | void>;
  /** Headers added to every request (replacing those of the same name). */
  customHeaders?: Record<string, string>;
  /** Per-request (and per message producer) timeout. Default 30 s. */
  timeoutMs?: number;
  /** For HTTPS providers: a CA to trust, or accept any certificate. */
  tls?: { ca?: string | Buffer; insecure?: boolean };
  /** Verify only some consumers, interactions (description) or states. Also PACT_CONSUMER, PACT_DESCRIPTION, PACT_PROVIDER_STATE, PACT_PROVIDER_NO_STATE. */
  filter?: {
    consumer?: string | string[];
    description?: string | RegExp;
    state?: string | RegExp;
    noState?: boolean;
  };
  /** Publish results to the broker the pacts came from. */
  publish?: { providerVersion: string; providerBranch?: string; providerTags?: string[]; buildUrl?: string };
  /** Reporters; default: the console reporter. */
  reporters?: Reporter[];
  /** Fail when no pacts are found. Default true. */
  failIfNoPactsFound?: boolean;
  /** Environment for the PACT_* variables. Default process.env. */
  env?: Record<string, string | undefined>;
}

function toRegex(value: string | RegExp | undefined, name: string): RegExp | undefined {
  if (value === undefined || value === '') return undefined;
  if (value instanceof RegExp) return value;
  try {
    return new RegExp(`^(?:${value})$`);
  } catch (error) {
    throw verifierError(
      'COV_VERIFIER_OPTIONS_INVALID',
      `${name} '${value}' is not a regular expression: ${(error as Error).message}`,
      { [name]: value },
      error,
    );
  }
}

interface Filters {
  consumers: string[] | undefined;
  description: RegExp | undefined;
  state: RegExp | undefined;
  noState: boolean;
  /** The narrowing filters as given, for messages. */
  given: string[];
}

function filtersOf(options: VerifierOptions, env: Record<string, string | undefined>): Filters {
  const consumer = options.filter?.consumer ?? env.PACT_CONSUMER;
  const description = options.filter?.description ?? env.PACT_DESCRIPTION;
  const state = options.filter?.state ?? env.PACT_PROVIDER_STATE;
  const filters: Filters = {
    consumers: consumer === undefined ? undefined : Array.isArray(consumer) ? consumer : [consumer],
    description: toRegex(
      description,
      options.filter?.description === undefined ? 'PACT_DESCRIPTION' : 'filter.description',
    ),
    state: toRegex(state, options.filter?.state === undefined ? 'PACT_PROVIDER_STATE' : 'filter.state'),
    noState: options.filter?.noState ?? env.PACT_PROVIDER_NO_STATE === 'true',
    given: [],
  };
  if (filters.description) filters.given.push(`description '${String(description)}'`);
  if (filters.state) filters.given.push(`state '${String(state)}'`);
  if (filters.noState) filters.given.push('no provider state');
  if (filters.state && filters.noState) {
    throw verifierError(
      'COV_VERIFIER_OPTIONS_INVALID',
      'the state filter (filter.state, PACT_PROVIDER_STATE) and noState (PACT_PROVIDER_NO_STATE) contradict each other: together they select no interaction',
    );
  }
  return filters;
}

function selected(i: Interaction, filters: Filters): boolean {
  if (filters.description && !filters.description.test(i.description)) return false;
  if (filters.noState && i.providerStates.length > 0) return false;
  if (filters.state && !i.providerStates.some((s) => filters.state!.test(s.name))) return false;
  return true;
}

function interactionId(i: Interaction): string | undefined {
  const id = i.extra?._id;
  return typeof id === 'string' ? id : i.key;
}

/**
 * Verifies a provider against its pacts: for each interaction, sets up the provider states,
 * replays the request (generators applied, filter hook run), compares the response with the core
 * engine, tears the states down, and reports. Optionally publishes the results to the broker.
 *
 * @example
 * const result = await verifyProvider({
 *   provider: 'UserService',
 *   providerBaseUrl: 'http://localhost:5001',
 *   pactUrls: ['pacts/userserviceclient-userservice.json'],
 *   stateChangeUrl: 'http://localhost:5001/_pact/provider_states',
 * });
 * if (!result.success) process.exitCode = 1;
 */
export async function verifyProvider(options: VerifierOptions): Promise<VerificationResult> {
  const started = performance.now();
  if (!options?.provider) throw verifierError('COV_VERIFIER_OPTIONS_INVALID', 'the provider name is missing');
  const env = options.env ?? process.env;
  if (options.providerBaseUrl === undefined && !options.messageProviders && !options.messageUrl) {
    throw verifierError(
      'COV_VERIFIER_OPTIONS_INVALID',
      'nothing to verify against: give providerBaseUrl (HTTP), messageProviders or messageUrl (messages)',
    );
  }
  if (options.providerBaseUrl !== undefined) checkHttpUrl('providerBaseUrl', options.providerBaseUrl);
  if (options.stateChangeUrl !== undefined) checkHttpUrl('stateChangeUrl', options.stateChangeUrl);
  if (options.messageProviders !== undefined) validateMessageProviders(options.messageProviders);
  if (options.stateHandlers !== undefined) validateStateHandlers(options.stateHandlers);
  const messageUrl = resolveMessageUrl(options);
  if (
    options.pactUrls !== undefined &&
    !(Array.isArray(options.pactUrls) && options.pactUrls.every((u) => typeof u === 'string' && u !== ''))
  ) {
    throw verifierError(
      'COV_VERIFIER_OPTIONS_INVALID',
      `pactUrls is a list of files, directories and URLs, e.g. ['pacts/'], not ${JSON.stringify(options.pactUrls)}`,
    );
  }
  if (!options.pactUrls?.length && !options.broker) {
    throw verifierError(
      'COV_VERIFIER_OPTIONS_INVALID',
      'no pacts to verify: give pactUrls (files, directories, URLs) or a broker',
    );
  }
  if (options.tls?.ca !== undefined) checkCa(options.tls.ca);
  const filters = filtersOf(options, env);
  const timeoutMs = options.timeoutMs ?? 30_000;
  // above 2^31 - 1 Node's timers fire after 1 ms instead, and every request would time out
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) {
    throw verifierError(
      'COV_VERIFIER_OPTIONS_INVALID',
      `timeoutMs ${String(timeoutMs)} is not a number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (about 24 days)`,
    );
  }
  const http = new HttpClient({
    timeoutMs,
    ...(options.tls?.ca ? { ca: options.tls.ca } : {}),
    ...(options.tls?.insecure ? { insecure: true } : {}),
  });
  const reporters = options.reporters ?? [consoleReporter()];
  try {
    const sources: PactToVerify[] = [];
    const envAuth: UrlAuth = {
      ...(env.PACT_BROKER_USERNAME ? { username: env.PACT_BROKER_USERNAME } : {}),
      ...(env.PACT_BROKER_PASSWORD ? { password: env.PACT_BROKER_PASSWORD } : {}),
      ...(env.PACT_BROKER_TOKEN ? { token: env.PACT_BROKER_TOKEN } : {}),
    };
    const { providerVersionBranch, providerVersionTags, ...clientOptions } = options.broker ?? {};
    // made first: a broker URL it refuses (not http(s)) fails the run before anything is fetched;
    // the run's timeout unless the broker's own is given: a broker that hangs must not outwait it
    let broker = options.broker ? new BrokerClient({ timeoutMs, ...clientOptions, env }) : undefined;
    if (options.pactUrls?.length)
      sources.push(...(await loadPactSources(options.pactUrls, options.pactUrlAuth, timeoutMs, envAuth)));
    if (options.broker && broker) {
      const providerBranch = providerVersionBranch ?? options.publish?.providerBranch;
      const providerTags = providerVersionTags ?? options.publish?.providerTags;
      sources.push(
        ...(await loadBrokerPacts(broker, options.provider, {
          ...(options.broker.consumerVersionSelectors
            ? { consumerVersionSelectors: options.broker.consumerVersionSelectors }
            : {}),
          includePendingStatus: options.broker.includePendingStatus ?? true,
          ...(options.broker.includeWipPactsSince
            ? { includeWipPactsSince: options.broker.includeWipPactsSince }
            : {}),
          ...(providerBranch ? { providerVersionBranch: providerBranch } : {}),
          ...(providerTags ? { providerVersionTags: providerTags } : {}),
        })),
      );
    }
    // A pact fetched by URL from a broker carries its own publish link: results go back there,
    // with the credentials the pact was fetched with, when no broker was configured.
    const byUrl = sources.find(
      (source) => source.hal && linkOf(source.hal, 'pb:publish-verification-results'),
    );
    const publishLink = byUrl?.hal && linkOf(byUrl.hal, 'pb:publish-verification-results');
    if (!broker && options.publish && byUrl && publishLink) {
      broker = new BrokerClient({
        baseUrl: new URL(publishLink.href).origin,
        timeoutMs,
        ...(byUrl.auth ?? envAuth),
        env: {},
      });
    }
    const toVerify = sources.filter(
      (s) => !filters.consumers || filters.consumers.includes(s.pact.consumer.name),
    );
    if (filters.consumers && sources.length > 0 && toVerify.length === 0) {
      // pacts were found, and the consumer filter given leaves none: a misspelt name, not a new provider
      const found = [...new Set(sources.map((s) => s.pact.consumer.name))];
      throw verifierError(
        'COV_VERIFIER_NO_PACTS',
        `the consumer filter (${filters.consumers.join(', ')}) selects none of the ${sources.length} pact${sources.length === 1 ? '' : 's'} for ${options.provider}, whose consumers are ${found.join(', ')}`,
      );
    }
    if (toVerify.length === 0 && options.failIfNoPactsFound !== false) {
      throw verifierError(
        'COV_VERIFIER_NO_PACTS',
        `no pacts found for ${options.provider}${filters.consumers ? ` from ${filters.consumers.join(', ')}` : ''}`,
      );
    }
    if (
      filters.given.length > 0 &&
      toVerify.length > 0 &&
      !toVerify.some((s) => s.pact.interactions.some((i) => selected(i, filters)))
    ) {
      // a misspelt filter must not pass the run by verifying nothing; failIfNoPactsFound: false
      // (set for a provider no consumer has a pact with yet) is about pacts, not about filters
      const count = toVerify.reduce((n, s) => n + s.pact.interactions.length, 0);
      throw verifierError(
        'COV_VERIFIER_NO_PACTS',
        `the filters (${filters.given.join(', ')}) select none of the ${count} interaction${count === 1 ? '' : 's'} in ${toVerify.length} pact${toVerify.length === 1 ? '' : 's'} for ${options.provider}`,
      );
    }
    if (options.providerBaseUrl === undefined) {
      const withHttp = toVerify.find((s) =>
        s.pact.interactions.some((i) => i.type === 'Synchronous/HTTP' && selected(i, filters)),
      );
      if (withHttp) {
        throw verifierError(
          'COV_VERIFIER_OPTIONS_INVALID',
          `${withHttp.source} has HTTP interactions, but no providerBaseUrl was given to send their requests to`,
        );
      }
    }
    const messages: MessageSource = {
      providers: options.messageProviders,
      url: messageUrl,
      timeoutMs,
      post: (url, body) =>
        send({ method: 'POST', url, headers: { 'Content-Type': ['application/json'] }, body }, options, http),
    };
    const states = new ProviderStates(
      {
        ...(options.stateHandlers ? { handlers: options.stateHandlers } : {}),
        ...(options.stateChangeUrl ? { url: options.stateChangeUrl } : {}),
        teardown: options.stateChangeTeardown ?? true,
      },
      http,
    );
    const pacts: PactResult[] = [];
    for (const source of toVerify) {
      pacts.push(await verifyPact(source, options, states, http, messages, filters, reporters, broker));
    }
    const result: VerificationResult = {
      success: pacts.every((p) => p.success),
      provider: options.provider,
      pacts,
      summary: summarise(pacts),
      durationMs: performance.now() - started,
    };
    for (const reporter of reporters) await reporter.finished?.(result);
    return result;
  } finally {
    http.close();
  }
}

async function verifyPact(
  source: PactToVerify,
  options: VerifierOptions,
  states: ProviderStates,
  http: HttpClient,
  messages: MessageSource,
  filters: Filters,
  reporters: Reporter[],
  broker: BrokerClient | undefined,
): Promise<PactResult> {
  const result: PactResult = {
    consumer: source.pact.consumer.name,
    provider: source.pact.provider.name,
    source: source.source,
    pending: source.pending,
    wip: source.wip,
    notices: source.notices,
    interactions: [],
    success: true,
    published: false,
  };
  for (const reporter of reporters) reporter.pactStarted?.(result);
  for (const interaction of source.pact.interactions) {
    if (!selected(interaction, filters)) continue;
    const outcome = await verifyInteraction(interaction, source.pending, options, states, http, messages);
    result.interactions.push(outcome);
    for (const reporter of reporters) reporter.interactionFinished?.(result, outcome);
  }
  result.success = result.interactions.every((i) => i.status !== 'failed');
  if (options.publish && source.hal && filters.given.length > 0) {
    // as the Pact reference verifier does: a partial run must not record a result for the whole pact
    result.interactions[0]?.warnings.push(
      `results for ${source.source} were not published: the filters (${filters.given.join(', ')}) verified only part of the pact`,
    );
  } else if (options.publish && source.hal && broker) {
    await publish(broker, source, result, options.publish);
    result.published = true;
  } else if (options.publish && !source.hal) {
    result.interactions[0]?.warnings.push(
      `results for ${source.source} were not published: only pacts fetched from a broker can be`,
    );
  }
  for (const reporter of reporters) reporter.pactFinished?.(result);
  return result;
}

async function publish(
  broker: BrokerClient,
  source: PactToVerify,
  result: PactResult,
  publish: NonNullable<VerifierOptions['publish']>,
): Promise<void> {
  const body: VerificationResultBody = {
    // the real outcome: a pending pact's failure doesn't fail the build, but the broker must know it failed
    success: result.interactions.every((i) => i.status === 'passed' || i.status === 'skipped'),
    providerApplicationVersion: publish.providerVersion,
    ...(publish.buildUrl ? { buildUrl: publish.buildUrl } : {}),
    testResults: result.interactions.map((i) => ({
      ...(i.id ? { interactionId: i.id } : {}),
      interactionDescription: i.description,
      success: i.status === 'passed',
      ...(i.mismatches.length > 0
        ? {
            mismatches: i.mismatches.map((m) => ({
              attribute: m.category,
              identifier: m.path,
              description: m.message,
            })),
          }
        : {}),
    })),
    verifiedBy: { implementation: 'Covenant', version: '0.1.0' },
  };
  try {
    await broker.publishVerificationResult(source.hal!, body, {
      ...(publish.providerBranch ? { branch: publish.providerBranch } : {}),
      ...(publish.providerTags ? { tags: publish.providerTags } : {}),
    });
  } catch (error) {
    if (error instanceof CovenantError && error.code.startsWith('COV_BROKER_CLIENT_')) {
      throw verifierError(
        'COV_VERIFIER_PUBLISH_FAILED',
        `publishing the result for ${source.source} failed: ${error.message}`,
        {},
        error,
      );
    }
    throw error;
  }
}

function bodyOf(body: Buffer, headers: Record<string, string[]>): Body {
  if (body.length === 0) return { kind: 'missing' };
  return {
    kind: 'present',
    contentType: contentTypeHeader(headers),
    content: { type: 'binary', bytes: new Uint8Array(body.buffer, body.byteOffset, body.length) },
  };
}

async function verifyInteraction(
  interaction: Interaction,
  pactPending: boolean,
  options: VerifierOptions,
  states: ProviderStates,
  http: HttpClient,
  messages: MessageSource,
): Promise<InteractionResult> {
  const started = performance.now();
  const comments = interaction.comments;
  const result: InteractionResult = {
    description: interaction.description,
    providerStates: interaction.providerStates.map((s) => s.name),
    id: interactionId(interaction),
    status: 'passed',
    pending: pactPending || interaction.pending,
    mismatches: [],
    error: undefined,
    warnings: [],
    comments: Array.isArray(comments?.text) ? comments.text.map(String) : [],
    testName: typeof comments?.testname === 'string' ? comments.testname : undefined,
    durationMs: 0,
  };
  const fail = () => {
    result.status = result.pending ? 'pending-failed' : 'failed';
  };
  const setUp: ProviderState[] = [];
  try {
    const outcome = await states.setup(interaction.providerStates, setUp);
    result.warnings.push(...outcome.warnings);
    if (isMessageInteraction(interaction)) {
      result.mismatches = await verifyMessage(interaction, outcome.values, messages);
    } else {
      const response = await replay(interaction, outcome.values, options, http);
      result.mismatches = matchResponse(interaction.response, {
        status: response.status,
        headers: response.headers,
        body: bodyOf(response.body, response.headers),
      }).mismatches;
    }
    if (result.mismatches.length > 0) fail();
  } catch (error) {
    fail();
    if (error instanceof StateChangeError) result.error = `State change request failed: ${error.message}`;
    else if (error instanceof CovenantError && error.code.startsWith('COV_VERIFIER_')) {
      result.error = error.message;
      result.errorCode = error.code as VerifierErrorCode;
    } else
      result.error = `Request to the provider failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    // Exactly the states that were set up are torn down, also when a later one failed; a state whose
    // setup failed is not (as the official verifiers do).
    if (setUp.length > 0) result.warnings.push(...(await states.teardown(setUp)));
  }
  result.durationMs = performance.now() - started;
  return result;
}

async function replay(
  interaction: SynchronousHttpInteraction,
  stateValues: Record<string, import('@covenant/core').JsonValue>,
  options: VerifierOptions,
  http: HttpClient,
) {
  const request = generateRequest(interaction.request, 'provider', { providerState: stateValues });
  const base = options.providerBaseUrl!.replace(/\/+$/, '');
  const query =
    request.query && Object.keys(request.query).length > 0 ? `?${formatQueryString(request.query)}` : '';
  const headers: Record<string, string[]> = { ...(request.headers ?? {}) };
  let body: Buffer | undefined;
  if (request.body.kind === 'present') {
    body = Buffer.from(bodyBytes(request.body.content));
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type') && request.body.contentType) {
      headers['Content-Type'] = [request.body.contentType];
    }
  }
  return send(
    { method: request.method, url: `${base}${encodePath(request.path)}${query}`, headers, body },
    options,
    http,
  );
}

/** Sends a request to the provider after the custom headers and the request filter have had their say. */
async function send(request: ProviderRequest, options: VerifierOptions, http: HttpClient) {
  const headers = { ...request.headers };
  for (const [name, value] of Object.entries(options.customHeaders ?? {})) {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
    headers[name] = [value];
  }
  let outgoing: ProviderRequest = { ...request, headers };
  if (options.requestFilter) {
    const filtered: unknown = await options.requestFilter(outgoing);
    // nothing returned: the filter changed the request in place
    if (filtered !== undefined) {
      const r = filtered as Partial<ProviderRequest> | null;
      if (
        typeof r !== 'object' ||
        r === null ||
        typeof r.url !== 'string' ||
        typeof r.method !== 'string' ||
        typeof r.headers !== 'object' ||
        r.headers === null
      ) {
        throw verifierError(
          'COV_VERIFIER_OPTIONS_INVALID',
          `requestFilter returned ${JSON.stringify(filtered) ?? String(filtered)}, not a request: return the request it was given (changed as needed), or nothing after changing it in place`,
        );
      }
      outgoing = r as ProviderRequest;
    }
  }
  const sent: OutgoingRequest = { method: outgoing.method, headers: outgoing.headers, body: outgoing.body };
  return http.send(outgoing.url, sent);
}

/** Throws unless `ca` holds PEM certificates: Node ignores one that does not, and the provider's is then untrusted. */
function checkCa(ca: string | Buffer): void {
  const text = Buffer.isBuffer(ca) ? ca.toString('utf8') : String(ca);
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  try {
    if (blocks.length === 0) throw new Error('no -----BEGIN CERTIFICATE----- block');
    for (const block of blocks) new X509Certificate(block);
  } catch (error) {
    throw verifierError(
      'COV_VERIFIER_OPTIONS_INVALID',
      `tls.ca is not a PEM certificate (the text of the CA's .pem file): ${(error as Error).message}`,
      {},
      error,
    );
  }
}

/** Throws unless `value` is an http(s) URL: `localhost:8080` parses as a URL of scheme `localhost:`. */
function checkHttpUrl(name: string, value: unknown): void {
  if (typeof value === 'string' && isHttpUrl(value)) return;
  throw verifierError(
    'COV_VERIFIER_OPTIONS_INVALID',
    `${name} '${String(value)}' is not an http:// or https:// URL${
      URL.canParse(String(value))
        ? ''
        : ` (e.g. http://localhost:8080${name === 'providerBaseUrl' ? '' : '/_pact/state'})`
    }`,
    { [name]: value },
  );
}

function resolveMessageUrl(options: VerifierOptions): string | undefined {
  const { messageUrl, providerBaseUrl } = options;
  if (messageUrl === undefined) return undefined;
  if (messageUrl.startsWith('/')) {
    if (providerBaseUrl === undefined) {
      throw verifierError(
        'COV_VERIFIER_OPTIONS_INVALID',
        `messageUrl '${messageUrl}' is a path, but there is no providerBaseUrl to put it on`,
      );
    }
    return `${providerBaseUrl.replace(/\/+$/, '')}${messageUrl}`;
  }
  if (!URL.canParse(messageUrl)) {
    throw verifierError(
      'COV_VERIFIER_OPTIONS_INVALID',
      `messageUrl '${messageUrl}' is neither a URL nor a path on providerBaseUrl`,
    );
  }
  checkHttpUrl('messageUrl', messageUrl);
  return messageUrl;
}

/** Percent-encodes what a pact path may hold but a request line can't (spaces, non-ASCII). */
function encodePath(path: string): string {
  return path.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/g, (c) => encodeURIComponent(c));
}
