// Covenant inside node:test (run by test/smoke/frameworks.test.ts with PACT_DIR set).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { like, Pact, uuid } from '@covenant/consumer';
import { UserServiceClient } from '../user-client.mjs';

const pact = new Pact({
  consumer: 'NodeTestClient',
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
      assert.equal(user.name, 'UserA');
    });
});
