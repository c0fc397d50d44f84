/** A provider state as the provider-states resource lists it: with the consumers whose pacts use it. */
export interface AggregatedProviderState {
  name: string;
  params?: Record<string, unknown>;
  consumers: string[];
}

type Json = Record<string, unknown>;

/** The states one interaction or message names: V3/V4 `providerStates`, or V1/V2 `providerState`. */
function statesOf(interaction: Json): Array<{ name: string; params?: Json }> {
  if (Array.isArray(interaction.providerStates))
    return interaction.providerStates.flatMap((state: unknown) => {
      const { name, params } = (state ?? {}) as Json;
      if (typeof name !== 'string') return [];
      return params && typeof params === 'object' && Object.keys(params).length > 0
        ? [{ name, params: params as Json }]
        : [{ name }];
    });
  return typeof interaction.providerState === 'string' && interaction.providerState !== ''
    ? [{ name: interaction.providerState }]
    : [];
}

/**
 * Every provider state the pacts name, once per name and parameters, with the consumers that use
 * it (sorted), ordered by name: what a provider team needs to implement.
 *
 * @example
 * aggregateProviderStates([{ consumer: 'Web', content: '{"interactions":[{"providerState":"an order"}]}' }]);
 * // [{ name: 'an order', consumers: ['Web'] }]
 */
export function aggregateProviderStates(
  pacts: Array<{ consumer: string; content: string }>,
): AggregatedProviderState[] {
  const byKey = new Map<string, { name: string; params?: Json; consumers: Set<string> }>();
  for (const { consumer, content } of pacts) {
    const pact = JSON.parse(content) as Json;
    const items = [
      ...(Array.isArray(pact.interactions) ? pact.interactions : []),
      ...(Array.isArray(pact.messages) ? pact.messages : []),
    ] as Json[];
    for (const state of items.flatMap(statesOf)) {
      const key = JSON.stringify([state.name, state.params ?? null]);
      const entry = byKey.get(key) ?? { ...state, consumers: new Set<string>() };
      entry.consumers.add(consumer);
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()]
    .map(({ consumers, ...state }) => ({ ...state, consumers: [...consumers].sort() }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
