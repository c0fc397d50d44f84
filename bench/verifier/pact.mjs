// Writes a V3 pact of N interactions, each with a provider state and matching rules.
import { writeFileSync } from 'node:fs';

export function writePact(file, n) {
  const interactions = Array.from({ length: n }, (_, i) => ({
    description: `a request for item ${i}`,
    providerStates: [{ name: 'an item exists', params: { id: i } }],
    request: { method: 'GET', path: `/items/${i}`, headers: { Accept: 'application/json' } },
    response: {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: { id: i, name: `item ${i}`, tags: ['a'], price: 1.5 },
      matchingRules: {
        body: {
          '$.id': { combine: 'AND', matchers: [{ match: 'integer' }] },
          '$.name': { combine: 'AND', matchers: [{ match: 'regex', regex: 'item \\d+' }] },
          '$.tags': { combine: 'AND', matchers: [{ match: 'type', min: 1 }] },
          '$.price': { combine: 'AND', matchers: [{ match: 'decimal' }] },
        },
      },
    },
  }));
  writeFileSync(
    file,
    JSON.stringify({
      consumer: { name: 'BenchConsumer' },
      provider: { name: 'BenchProvider' },
      interactions,
      metadata: { pactSpecification: { version: '3.0.0' } },
    }),
  );
}
