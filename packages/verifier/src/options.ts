import type { BrokerClientOptions, ConsumerVersionSelector } from '@covenant/broker-client';
import type { MessageProviders } from './messages.js';
import type { Reporter } from './reporters.js';
import type { UrlAuth } from './sources.js';
import type { StateHandler } from './states.js';
import type { RequestFilter } from './transport.js';

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

/** Where to publish verification results, and as which provider version. */
export interface PublishOptions {
  providerVersion: string;
  providerBranch?: string;
  providerTags?: string[];
  buildUrl?: string;
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
  requestFilter?: RequestFilter;
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
  publish?: PublishOptions;
  /** Reporters; default: the console reporter. */
  reporters?: Reporter[];
  /** Fail when no pacts are found. Default true. */
  failIfNoPactsFound?: boolean;
  /** Environment for the PACT_* variables. Default process.env. */
  env?: Record<string, string | undefined>;
}
