import {
  type BrokerClientOptions,
  MAX_TIMEOUT_MS,
  type PactsForVerificationRequest,
} from '@covenant/broker-client';
import { isHttpUrl } from '@covenant/core';
import { verifierError } from '../errors.js';
import { isLogLevel, type LogLevel } from '../log.js';
import { type MessageProviders, validateMessageProviders } from '../messages.js';
import type { InteractionHook, PublishOptions, VerifierOptions } from '../options.js';
import { consoleReporter, type Reporter } from '../reporters.js';
import type { UrlAuth } from '../sources.js';
import { type StateOptions, validateStateHandlers } from '../states.js';
import { type ResolvedTls, resolveTls } from '../tls.js';
import type { RequestShaping } from '../transport.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Which consumers, interactions and states a run verifies (options, else PACT_* variables). */
export interface Filters {
  readonly consumers: readonly string[] | undefined;
  readonly description: RegExp | undefined;
  readonly state: RegExp | undefined;
  readonly noState: boolean;
  /** The narrowing filters as given, for messages. */
  readonly given: readonly string[];
}

/**
 * One run's settings, checked and resolved once (options over PACT_* variables, defaults
 * filled in) and frozen: the stages read it and none changes it.
 */
export interface VerifierConfig {
  readonly provider: string;
  readonly providerBaseUrl: string | undefined;
  readonly timeoutMs: number;
  /** Towards the provider: PEM contents, files read. */
  readonly tls: Readonly<ResolvedTls>;
  readonly hooks: Readonly<{
    beforeEach: InteractionHook | undefined;
    afterEach: InteractionHook | undefined;
  }>;
  readonly log: Readonly<{ level: LogLevel; file: string | undefined }>;
  readonly sources: Readonly<{
    pactUrls: readonly string[];
    /** Credentials given for pact URLs. */
    pactUrlAuth: UrlAuth | undefined;
    /** TLS for pact URLs and their results: `pactUrlTls`, else the broker's. */
    pactUrlTls: Readonly<ResolvedTls>;
    /** The PACT_BROKER_* credentials, for pact URLs (and their results) without others. */
    envAuth: UrlAuth;
    /** Where to ask for pacts (`pb:provider-pacts-for-verification`) and what to ask. */
    broker: Readonly<{ client: BrokerClientOptions; request: PactsForVerificationRequest }> | undefined;
  }>;
  readonly filters: Filters;
  readonly failIfNoPactsFound: boolean;
  readonly states: Readonly<StateOptions>;
  readonly requests: Readonly<RequestShaping>;
  readonly messages: Readonly<{ providers: MessageProviders | undefined; url: string | undefined }>;
  readonly publish: Readonly<PublishOptions> | undefined;
  readonly reporters: readonly Reporter[];
}

/**
 * The configuration stage: checks the options (every mistake a coded error before anything runs)
 * and reads the PACT_* variables of `env`.
 *
 * @example
 * const config = resolveConfig({ provider: 'Orders', pactUrls: ['pacts/'], providerBaseUrl: 'http://localhost:8080' },
 *   { PACT_CONSUMER: 'Web' });
 * config.filters.consumers; // ['Web']
 */
export function resolveConfig(options: VerifierOptions, env: Env): VerifierConfig {
  if (!options?.provider) throw verifierError('COV_VERIFIER_OPTIONS_INVALID', 'the provider name is missing');
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
  checkPactSources(options);
  for (const hook of ['beforeEach', 'afterEach'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') {
      throw verifierError(
        'COV_VERIFIER_OPTIONS_INVALID',
        `${hook} is a function (async or not), not ${typeof options[hook]}`,
      );
    }
  }
  const filters = filtersOf(options, env);
  const timeoutMs = options.timeoutMs ?? 30_000;
  // above 2^31 - 1 Node's timers fire after 1 ms instead, and every request would time out
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) {
    throw verifierError(
      'COV_VERIFIER_OPTIONS_INVALID',
      `timeoutMs ${String(timeoutMs)} is not a number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (about 24 days)`,
    );
  }
  return Object.freeze({
    provider: options.provider,
    providerBaseUrl: options.providerBaseUrl,
    timeoutMs,
    tls: providerTls(options),
    hooks: Object.freeze({ beforeEach: options.beforeEach, afterEach: options.afterEach }),
    log: logOf(options, env),
    sources: Object.freeze({
      pactUrls: Object.freeze([...(options.pactUrls ?? [])]),
      pactUrlAuth: options.pactUrlAuth,
      pactUrlTls:
        options.pactUrlTls !== undefined
          ? resolveTls(options.pactUrlTls, 'pactUrlTls')
          : resolveTls(options.broker?.tls, 'broker.tls'),
      envAuth: Object.freeze({
        ...(env.PACT_BROKER_USERNAME ? { username: env.PACT_BROKER_USERNAME } : {}),
        ...(env.PACT_BROKER_PASSWORD ? { password: env.PACT_BROKER_PASSWORD } : {}),
        ...(env.PACT_BROKER_TOKEN ? { token: env.PACT_BROKER_TOKEN } : {}),
      }),
      broker: brokerSource(options, timeoutMs, env),
    }),
    filters,
    failIfNoPactsFound: options.failIfNoPactsFound !== false,
    states: Object.freeze({
      ...(options.stateHandlers ? { handlers: options.stateHandlers } : {}),
      ...(options.stateChangeUrl ? { url: options.stateChangeUrl } : {}),
      teardown: options.stateChangeTeardown ?? true,
      asQuery: options.stateChangeAsQuery === true,
    }),
    requests: Object.freeze({
      customHeaders: Object.freeze({ ...options.customHeaders }),
      filter: options.requestFilter,
      followRedirects: options.followRedirects === true,
    }),
    messages: Object.freeze({ providers: options.messageProviders, url: messageUrl }),
    publish: options.publish ? Object.freeze({ ...options.publish }) : undefined,
    reporters: Object.freeze([...(options.reporters ?? [consoleReporter()])]),
  });
}

/** The broker client's options and the for-verification request, pending/WIP defaults filled in. */
function brokerSource(options: VerifierOptions, timeoutMs: number, env: Env) {
  if (!options.broker) return undefined;
  const {
    consumerVersionSelectors,
    includePendingStatus,
    enablePending,
    includeWipPactsSince,
    providerVersionBranch,
    providerVersionTags,
    tls,
    ...client
  } = options.broker;
  const pending = pendingOf([
    ['broker.includePendingStatus', includePendingStatus],
    ['broker.enablePending', enablePending],
    ['enablePending', options.enablePending],
  ]);
  const providerBranch = providerVersionBranch ?? options.publish?.providerBranch;
  const providerTags = providerVersionTags ?? options.publish?.providerTags;
  return Object.freeze({
    // the run's timeout unless the broker's own is given: a broker that hangs must not outwait it
    client: Object.freeze({
      timeoutMs,
      ...client,
      ...(tls !== undefined ? { tls: resolveTls(tls, 'broker.tls') } : {}),
      env,
    }),
    request: Object.freeze({
      ...(consumerVersionSelectors ? { consumerVersionSelectors } : {}),
      // true unless asked otherwise, unlike pact-js: decision 0015
      includePendingStatus: pending ?? true,
      ...(includeWipPactsSince ? { includeWipPactsSince } : {}),
      ...(providerBranch ? { providerVersionBranch: providerBranch } : {}),
      ...(providerTags ? { providerVersionTags: providerTags } : {}),
    }),
  });
}

function checkPactSources(options: VerifierOptions): void {
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
}

function filtersOf(options: VerifierOptions, env: Env): Filters {
  const consumer = options.filter?.consumer ?? env.PACT_CONSUMER;
  const description = options.filter?.description ?? env.PACT_DESCRIPTION;
  const state = options.filter?.state ?? env.PACT_PROVIDER_STATE;
  const descriptionFilter = toRegex(
    description,
    options.filter?.description === undefined ? 'PACT_DESCRIPTION' : 'filter.description',
  );
  const stateFilter = toRegex(
    state,
    options.filter?.state === undefined ? 'PACT_PROVIDER_STATE' : 'filter.state',
  );
  const noState = options.filter?.noState ?? env.PACT_PROVIDER_NO_STATE === 'true';
  if (stateFilter && noState) {
    throw verifierError(
      'COV_VERIFIER_OPTIONS_INVALID',
      'the state filter (filter.state, PACT_PROVIDER_STATE) and noState (PACT_PROVIDER_NO_STATE) contradict each other: together they select no interaction',
    );
  }
  const given = [
    ...(descriptionFilter ? [`description '${String(description)}'`] : []),
    ...(stateFilter ? [`state '${String(state)}'`] : []),
    ...(noState ? ['no provider state'] : []),
  ];
  return Object.freeze({
    consumers:
      consumer === undefined
        ? undefined
        : Object.freeze(Array.isArray(consumer) ? [...consumer] : [consumer]),
    description: descriptionFilter,
    state: stateFilter,
    noState,
    given: Object.freeze(given),
  });
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

/** The provider's TLS options, given as `tls` or (the client certificate) as pact-js's `tlsClientOptions`. */
function providerTls(options: VerifierOptions) {
  const { tls, tlsClientOptions } = options;
  if (tlsClientOptions === undefined) return resolveTls(tls, 'tls');
  if (tls?.cert !== undefined || tls?.key !== undefined || tls?.passphrase !== undefined) {
    throw verifierError(
      'COV_VERIFIER_OPTIONS_INVALID',
      "the client certificate is given twice, in tls and in tlsClientOptions (pact-js's name): give it in one",
    );
  }
  return resolveTls({ ...tls, ...tlsClientOptions }, tls === undefined ? 'tlsClientOptions' : 'tls');
}

/** The pending choice under whichever of its names was given; names that disagree are refused. */
function pendingOf(given: Array<[string, boolean | undefined]>): boolean | undefined {
  const set = given.filter(([, value]) => value !== undefined);
  if (new Set(set.map(([, value]) => value)).size > 1) {
    throw verifierError(
      'COV_VERIFIER_OPTIONS_INVALID',
      `${set.map(([name, value]) => `${name}: ${value}`).join(' and ')} contradict each other: they are one setting (pact-js calls it enablePending); give one`,
    );
  }
  return set[0]?.[1];
}

/** The log's level and file: logLevel, else LOG_LEVEL, else info with a file and off without. */
function logOf(options: VerifierOptions, env: Env): VerifierConfig['log'] {
  if (options.logLevel !== undefined && !isLogLevel(options.logLevel)) {
    throw verifierError(
      'COV_VERIFIER_OPTIONS_INVALID',
      `logLevel '${String(options.logLevel)}' is not one of trace, debug, info, warn, error, off`,
    );
  }
  // LOG_LEVEL is shared with other tools: a value that is not one of ours is theirs, not a mistake
  const fromEnv = env.LOG_LEVEL?.toLowerCase();
  const given = options.logLevel ?? (isLogLevel(fromEnv) ? fromEnv : undefined);
  if (options.logFile !== undefined && (typeof options.logFile !== 'string' || options.logFile === '')) {
    throw verifierError(
      'COV_VERIFIER_OPTIONS_INVALID',
      'logFile is the path of a file, e.g. logs/verifier.log',
    );
  }
  return Object.freeze({ level: given ?? (options.logFile ? 'info' : 'off'), file: options.logFile });
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
