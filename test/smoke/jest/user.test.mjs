// Covenant inside Jest (ESM, run by test/smoke/frameworks.test.ts with PACT_DIR set).

import { like, Pact, uuid } from '@covenant/consumer';
import { expect, test } from '@jest/globals';
import { UserServiceClient } from '../user-client.mjs';

const pact = new Pact({
  consumer: 'JestClient',
  provider: 'UserService',
  dir: process.env.PACT_DIR,
  logLevel: 'off',
});

test('gets UserA', async () => {
  await pact
    .addInteraction()
    .given('UserA exists')
    .uponReceiving('a request for UserA')
    .withRequest('GET', '/users/UserA')
    .willRespondWith(200, (res) =>
      res.jsonBody(like({ name: 'UserA', id: uuid('fc763eba-0905-41c5-a27f-3934ab26786c') })),
    )
    .executeTest(async (server) => {
      const user = await new UserServiceClient(server.url).getUser('UserA');
      expect(user.name).toBe('UserA');
    });
});
