import { BrokerClient } from '@covenant/broker-client';
import { loadBrokerPacts, loadPactSources, type PactToVerify } from '../sources.js';
import type { VerifierConfig } from './config.js';

/** The pacts a run found, and the broker client it asked (results are published with it). */
export interface LoadedSources {
  pacts: PactToVerify[];
  broker: BrokerClient | undefined;
}

/**
 * The loading stage: reads the pact files and URLs, then asks the broker for the provider's pacts.
 *
 * @example const { pacts } = await loadSources(resolveConfig({ provider: 'Orders', pactUrls: ['pacts/'], providerBaseUrl }, {}));
 */
export async function loadSources(config: VerifierConfig): Promise<LoadedSources> {
  const { pactUrls, pactUrlAuth, pactUrlTls, envAuth, broker: brokerSource } = config.sources;
  // made first: a broker URL it refuses (not http(s)) fails the run before anything is fetched
  const broker = brokerSource ? new BrokerClient(brokerSource.client) : undefined;
  const pacts: PactToVerify[] = [];
  if (pactUrls.length > 0)
    pacts.push(...(await loadPactSources(pactUrls, pactUrlAuth, config.timeoutMs, envAuth, pactUrlTls)));
  if (broker && brokerSource)
    pacts.push(...(await loadBrokerPacts(broker, config.provider, brokerSource.request)));
  return { pacts, broker };
}
