import { describe, expect, it } from 'vitest';
import { aggregateProviderStates } from './provider-states.js';

const pact = (interactions: unknown[], messages: unknown[] = []) =>
  JSON.stringify({ interactions, messages });

describe('aggregateProviderStates', () => {
  it('lists each state once per name and parameters, with the consumers using it, by name', () => {
    const states = aggregateProviderStates([
      {
        consumer: 'Web',
        content: pact([
          { providerStates: [{ name: 'an order', params: { id: 1 } }, { name: 'a user' }] },
          { providerState: 'an order' },
        ]),
      },
      {
        consumer: 'App',
        content: pact(
          [{ providerStates: [{ name: 'an order', params: { id: 1 } }] }],
          [{ providerStates: [{ name: 'a queue', params: {} }] }],
        ),
      },
    ]);
    expect(states).toEqual([
      { name: 'a queue', consumers: ['App'] },
      { name: 'a user', consumers: ['Web'] },
      { name: 'an order', params: { id: 1 }, consumers: ['App', 'Web'] },
      { name: 'an order', consumers: ['Web'] },
    ]);
  });

  it('skips interactions without a state and states without a name', () => {
    expect(
      aggregateProviderStates([
        {
          consumer: 'Web',
          content: pact([{}, { providerState: '' }, { providerStates: [{ params: {} }, null] }]),
        },
      ]),
    ).toEqual([]);
  });
});
