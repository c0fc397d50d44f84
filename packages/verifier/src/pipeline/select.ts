import type { Interaction } from '@covenant/core';
import { verifierError } from '../errors.js';
import type { PactToVerify } from '../sources.js';
import type { Filters, VerifierConfig } from './config.js';

/** Whether the description, state and no-state filters let an interaction through. */
export function isSelected(interaction: Interaction, filters: Filters): boolean {
  if (filters.description && !filters.description.test(interaction.description)) return false;
  if (filters.noState && interaction.providerStates.length > 0) return false;
  if (filters.state && !interaction.providerStates.some((s) => filters.state!.test(s.name))) return false;
  return true;
}

/**
 * The selection stage: keeps the pacts of the consumers filtered for, and refuses a run that would
 * verify nothing by mistake (a misspelt consumer or filter, no pacts at all unless
 * `failIfNoPactsFound: false`) or HTTP interactions with nowhere to send them.
 *
 * @example const toVerify = selectPacts(config, loaded.pacts); // throws COV_VERIFIER_NO_PACTS when none is left
 */
export function selectPacts(config: VerifierConfig, pacts: readonly PactToVerify[]): PactToVerify[] {
  const { filters, provider } = config;
  const toVerify = pacts.filter(
    (s) => !filters.consumers || filters.consumers.includes(s.pact.consumer.name),
  );
  if (filters.consumers && pacts.length > 0 && toVerify.length === 0) {
    // pacts were found, and the consumer filter given leaves none: a misspelt name, not a new provider
    const found = [...new Set(pacts.map((s) => s.pact.consumer.name))];
    throw verifierError(
      'COV_VERIFIER_NO_PACTS',
      `the consumer filter (${filters.consumers.join(', ')}) selects none of the ${pacts.length} pact${pacts.length === 1 ? '' : 's'} for ${provider}, whose consumers are ${found.join(', ')}`,
    );
  }
  if (toVerify.length === 0 && config.failIfNoPactsFound) {
    throw verifierError(
      'COV_VERIFIER_NO_PACTS',
      `no pacts found for ${provider}${filters.consumers ? ` from ${filters.consumers.join(', ')}` : ''}`,
    );
  }
  if (
    filters.given.length > 0 &&
    toVerify.length > 0 &&
    !toVerify.some((s) => s.pact.interactions.some((i) => isSelected(i, filters)))
  ) {
    // a misspelt filter must not pass the run by verifying nothing; failIfNoPactsFound: false
    // (set for a provider no consumer has a pact with yet) is about pacts, not about filters
    const count = toVerify.reduce((n, s) => n + s.pact.interactions.length, 0);
    throw verifierError(
      'COV_VERIFIER_NO_PACTS',
      `the filters (${filters.given.join(', ')}) select none of the ${count} interaction${count === 1 ? '' : 's'} in ${toVerify.length} pact${toVerify.length === 1 ? '' : 's'} for ${provider}`,
    );
  }
  if (config.providerBaseUrl === undefined) {
    const withHttp = toVerify.find((s) =>
      s.pact.interactions.some((i) => i.type === 'Synchronous/HTTP' && isSelected(i, filters)),
    );
    if (withHttp) {
      throw verifierError(
        'COV_VERIFIER_OPTIONS_INVALID',
        `${withHttp.source} has HTTP interactions, but no providerBaseUrl was given to send their requests to`,
      );
    }
  }
  return toVerify;
}
