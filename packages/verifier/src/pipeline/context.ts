import { HttpClient } from '../http-client.js';
import { createLog, type VerifierLog } from '../log.js';
import type { MessageSource } from '../messages.js';
import type { Reporter } from '../reporters.js';
import { ProviderStates } from '../states.js';
import { ProviderTransport, type Transport } from '../transport.js';
import type { VerifierConfig } from './config.js';
import type { ResultPublisher } from './publish.js';

/**
 * Everything verifying a pact needs, built once per run: the configuration, the provider states,
 * the way to the provider, the message producers, the reporters and the publisher. Each is a
 * field so a test can replace one, and a new concern (hooks around each interaction, a logger)
 * is one more field.
 */
export interface VerificationContext {
  readonly config: VerifierConfig;
  readonly states: Pick<ProviderStates, 'setup' | 'teardown'>;
  readonly transport: Transport;
  readonly messages: MessageSource;
  readonly reporters: readonly Reporter[];
  readonly publish: ResultPublisher;
  /** Run around each interaction (pact-js's beforeEach/afterEach). */
  readonly hooks: VerifierConfig['hooks'];
  readonly log: VerifierLog;
  /** Ends the run's connections to the provider. */
  close(): void;
}

/**
 * Builds a run's context: one keep-alive HTTP client to the provider, shared by the replayed
 * requests, the state change URL and the message endpoint.
 */
export function createContext(config: VerifierConfig, publish: ResultPublisher): VerificationContext {
  const log = createLog(config.log.level, config.log.file);
  // a log file that cannot be written fails here, before any state is set up
  log.log(
    'info',
    `verifying provider ${config.provider}${config.providerBaseUrl ? ` at ${config.providerBaseUrl}` : ''}`,
  );
  const http = new HttpClient({ timeoutMs: config.timeoutMs, ...config.tls });
  const transport = new ProviderTransport(http, config.requests, log);
  return {
    config,
    states: new ProviderStates(config.states, http),
    transport,
    messages: {
      ...config.messages,
      timeoutMs: config.timeoutMs,
      post: (url, body) =>
        transport.send({ method: 'POST', url, headers: { 'Content-Type': ['application/json'] }, body }),
    },
    reporters: config.reporters,
    publish,
    hooks: config.hooks,
    log,
    close: () => http.close(),
  };
}
