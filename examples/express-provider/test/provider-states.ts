// Test-only: the route the verifier calls to put UserService into each provider state the pact
// names. It is added to the app by the contract tests, never by the production app.

import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
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
 * Adds `POST /_pact/provider_states` to the app: `{ state, action }` with action `setup` (the
 * default) or `teardown`. An unknown state is a 400 naming the states it knows.
 */
export function addProviderStatesRoute(app: Express, users: UserStore): void {
  const states = providerStates(users);
  app.post('/_pact/provider_states', express.json(), (request, response) => {
    const { state, action = 'setup' } = (request.body ?? {}) as { state?: unknown; action?: unknown };
    const setUp = typeof state === 'string' ? states[state] : undefined;
    if (!setUp) {
      response
        .status(400)
        .json({ error: `unknown provider state ${JSON.stringify(state)}`, known: Object.keys(states) });
      return;
    }
    if (action === 'setup') setUp();
    response.json({});
  });
}
