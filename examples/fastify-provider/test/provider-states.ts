// Test-only: the route the verifier calls to put UserService into each provider state the pact
// names. It is registered by the contract tests, never by the production app.

import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { UserStore } from '../src/app.js';

/** What each provider state in the consumer's pact means for UserService's data. */
export function providerStates(users: UserStore): Record<string, () => void> {
  return {
    'UserA exists and is not an administrator': () =>
      users.save({
        name: 'UserA',
        id: randomUUID(),
        created_on: new Date().toISOString().slice(0, 19),
        ip_address: '198.51.100.7',
        admin: false,
      }),
    'UserA does not exist': () => users.delete('UserA'),
  };
}

/**
 * Registers `POST /_pact/provider_states`: `{ state, action }` with action `setup` (the default)
 * or `teardown`. An unknown state is a 400 naming the states it knows.
 */
export function addProviderStatesRoute(app: FastifyInstance, users: UserStore): void {
  const states = providerStates(users);
  app.post<{ Body: { state?: unknown; action?: unknown } | undefined }>(
    '/_pact/provider_states',
    async (request, reply) => {
      const { state, action = 'setup' } = request.body ?? {};
      const setUp = typeof state === 'string' ? states[state] : undefined;
      if (!setUp) {
        return reply
          .code(400)
          .send({ error: `unknown provider state ${JSON.stringify(state)}`, known: Object.keys(states) });
      }
      if (action === 'setup') setUp();
      return {};
    },
  );
}
