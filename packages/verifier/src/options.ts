import type { BrokerClientOptions, ConsumerVersionSelector } from '@covenant/broker-client';
import type { LogLevel } from './log.js';
import type { MessageProviders } from './messages.js';
import type { Reporter } from './reporters.js';
import type { UrlAuth } from './sources.js';
import type { StateHandler } from './states.js';
import type { RequestFilter } from './transport.js';

export interface BrokerSourceOptions extends Omit<BrokerClientOptions, 'tls'> {
  /** For an HTTPS broker: a CA to trust, or a client certificate (mTLS); paths or PEM text. */
  tls?: TlsOptions;
  consumerVersionSelectors?: ConsumerVersionSelector[];
  /**
   * Ask the broker which pacts are pending: a pending pact's failures are reported but do not fail
   * the run. Default true (decision 0015; pact-js's `enablePending` defaults to false).
   */
  includePendingStatus?: boolean;
  /** pact-js's name for {@link includePendingStatus}; give one or the other (or the same value). */
  enablePending?: boolean;
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

/** Where to publish verification results, and as which provider version. */
export interface PublishOptions {
  providerVersion: string;
  providerBranch?: string;
  providerTags?: string[];
  buildUrl?: string;
}

/**
 * TLS towards the provider or the broker. Each of `ca`, `cert` and `key` is PEM text (string or
 * Buffer) or the path of a PEM file.
 *
 * @example { cert: 'certs/client.pem', key: 'certs/client-key.pem', ca: 'certs/ca.pem' }
 */
export interface TlsOptions {
  /** CA certificate(s) to trust besides the system's. */
  ca?: string | Buffer;
  /** A client certificate, for servers that require one (mTLS); needs `key`. */
  cert?: string | Buffer;
  /** The client certificate's private key. */
  key?: string | Buffer;
  /** The key's passphrase, when it is encrypted. */
  passphrase?: string;
  /** Accept any server certificate (self-signed test servers). */
  insecure?: boolean;
}

/** Called before or after each interaction (pact-js's `beforeEach`/`afterEach`). */
export type InteractionHook = () => unknown;

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
  /**
   * For pact URLs over HTTPS (and publishing their results): a CA to trust, a client certificate
   * (mTLS). Default: `broker.tls`, as a pact URL is usually the broker's (a webhook's
   * `${pactbroker.pactUrl}`).
   *
   * @example { pactUrls: [process.env.PACT_URL!], pactUrlTls: { cert: 'certs/ci.pem', key: 'certs/ci-key.pem' } }
   */
  pactUrlTls?: TlsOptions;
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
  /**
   * Send the state change as query parameters of a POST without a body (`?state=…&action=setup&id=7`,
   * each param a string: text as is, other values as JSON) instead of the JSON body. The official
   * verifier's `--state-change-as-query`; pact-js's `providerStatesSetupBody: false`. Default false.
   */
  stateChangeAsQuery?: boolean;
  /** Changes each request before it is sent (e.g. adds an Authorization header). */
  requestFilter?: RequestFilter;
  /**
   * Follow the provider's redirects (a 301, 302, 303, 307 or 308 with a Location, at most 10) and
   * compare the final response, as pact-js's `followRedirects` does. Default false: the redirect
   * itself is the response compared.
   */
  followRedirects?: boolean;
  /** Headers added to every request (replacing those of the same name). */
  customHeaders?: Record<string, string>;
  /** Per-request (and per message producer) timeout. Default 30 s. */
  timeoutMs?: number;
  /** For HTTPS providers: a CA to trust, a client certificate (mTLS), or accept any certificate. */
  tls?: TlsOptions;
  /** pact-js's name for the client certificate under {@link tls} (`cert`, `key`, `passphrase`); give one or the other. */
  tlsClientOptions?: Pick<TlsOptions, 'cert' | 'key' | 'passphrase'>;
  /**
   * Run before each interaction, before its provider states are set up (pact-js's `beforeEach`).
   * If it throws, the interaction fails with COV_VERIFIER_HOOK_FAILED and `afterEach` still runs.
   */
  beforeEach?: InteractionHook;
  /** Run after each interaction, after its states are torn down; if it throws, the interaction fails. */
  afterEach?: InteractionHook;
  /**
   * pact-js's name for `broker.includePendingStatus` (default true here, false in pact-js: see
   * decision 0015).
   */
  enablePending?: boolean;
  /** How much the verifier logs: trace, debug, info, warn, error or off. Default: LOG_LEVEL, else info when logFile is given, else off. */
  logLevel?: LogLevel;
  /** Append the log to this file (missing directories are made). Without it, a logLevel logs to stderr. */
  logFile?: string;
  /** Verify only some consumers, interactions (description) or states. Also PACT_CONSUMER, PACT_DESCRIPTION, PACT_PROVIDER_STATE, PACT_PROVIDER_NO_STATE. */
  filter?: {
    consumer?: string | string[];
    description?: string | RegExp;
    state?: string | RegExp;
    noState?: boolean;
  };
  /** Publish results to the broker the pacts came from. */
  publish?: PublishOptions;
  /** Reporters; default: the console reporter. */
  reporters?: Reporter[];
  /** Fail when no pacts are found. Default true. */
  failIfNoPactsFound?: boolean;
  /** Environment for the PACT_* variables. Default process.env. */
  env?: Record<string, string | undefined>;
}
