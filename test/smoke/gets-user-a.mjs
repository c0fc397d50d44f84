// The consumer test each framework runs: Covenant's mock server inside that framework's test, the
// framework's own assertion checking what the client read.
import { like, Pact, uuid } from '@covenant/consumer';
import { UserServiceClient } from './user-client.mjs';

/**
 * Writes `<consumer>-UserService.json` into PACT_DIR: UserA exists, and the client reads it.
 *
 * @param {string} consumer
 * @param {(user: { name: string }) => void} check the framework's assertion on the user read
 */
export function getsUserA(consumer, check) {
  const pact = new Pact({ consumer, provider: 'UserService', dir: process.env.PACT_DIR, logLevel: 'off' });
  return pact
    .addInteraction()
    .given('UserA exists')
    .uponReceiving('a request for UserA')
    .withRequest('GET', '/users/UserA')
    .willRespondWith(200, (res) =>
      res.jsonBody(like({ name: 'UserA', id: uuid('fc763eba-0905-41c5-a27f-3934ab26786c') })),
    )
    .executeTest(async (server) => check(await new UserServiceClient(server.url).getUser('UserA')));
}
