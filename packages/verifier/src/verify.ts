import type { VerifierOptions } from './options.js';
import { resolveConfig } from './pipeline/config.js';
import { createContext } from './pipeline/context.js';
import { loadSources } from './pipeline/load.js';
import { resultPublisher } from './pipeline/publish.js';
import { verifyPact } from './pipeline/run.js';
import { selectPacts } from './pipeline/select.js';
import { type PactResult, summarise, type VerificationResult } from './result.js';

export type { VerifierOptions } from './options.js';

/** The stages of a verification run, in order; a test may replace any of them. */
export interface VerifierStages {
  resolveConfig: typeof resolveConfig;
  loadSources: typeof loadSources;
  resultPublisher: typeof resultPublisher;
  selectPacts: typeof selectPacts;
  createContext: typeof createContext;
  verifyPact: typeof verifyPact;
}

export const defaultStages: VerifierStages = Object.freeze({
  resolveConfig,
  loadSources,
  resultPublisher,
  selectPacts,
  createContext,
  verifyPact,
});

/** A verifier made of the given stages (prism's `createInstance` style); `verifyProvider` uses the defaults. */
export function createVerifier(stages: VerifierStages = defaultStages) {
  return async function verifyProvider(options: VerifierOptions): Promise<VerificationResult> {
    const started = performance.now();
    const config = stages.resolveConfig(options, options?.env ?? process.env);
    const loaded = await stages.loadSources(config);
    const publish = stages.resultPublisher(config, loaded);
    const toVerify = stages.selectPacts(config, loaded.pacts);
    const context = stages.createContext(config, publish);
    try {
      const pacts: PactResult[] = [];
      for (const source of toVerify) pacts.push(await stages.verifyPact(context, source));
      const result: VerificationResult = {
        success: pacts.every((p) => p.success),
        provider: config.provider,
        pacts,
        summary: summarise(pacts),
        durationMs: performance.now() - started,
      };
      for (const reporter of context.reporters) await reporter.finished?.(result);
      return result;
    } finally {
      context.close();
    }
  };
}

/**
 * Verifies a provider against its pacts: for each interaction, sets up the provider states,
 * replays the request (generators applied, filter hook run) or produces the message, compares
 * with the core engine, tears the states down, and reports. Optionally publishes the results to
 * the broker. The stages are in `pipeline/`: resolveConfig → loadSources → selectPacts →
 * verifyPact (per pact, with one context) → publish.
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
export const verifyProvider: (options: VerifierOptions) => Promise<VerificationResult> = createVerifier();
