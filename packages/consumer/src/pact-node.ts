import {
  createPactMswAdapter,
  type MswEvents,
  type PactMswAdapter,
  type PactMswAdapterOptions,
} from './msw-adapter.js';
import { PactCore, type PactOptions } from './pact.js';
import { nodePlatform } from './platform-node.js';

/**
 * A consumer's pact with one provider. Each `addInteraction()` chain describes one interaction and
 * ends in `executeTest`, which runs the test against a mock of its own. By default that is a mock
 * server on a socket: a free port taken from a pool of idle servers this process keeps (unref'd),
 * or a new server when a fixed `port` or `tls` is asked for. Making a Pact starts one pooled server
 * listening, so the first test need not wait for it; unused, it closes after a couple of seconds
 * and never keeps the process alive. With `transport: 'intercept'` no socket is opened: requests
 * to the mock's URL are answered inside this process.
 * The steps can only be called in order: the types don't offer the next step before its turn.
 *
 * @example
 * const pact = new Pact({ consumer: 'UserServiceClient', provider: 'UserService' });
 * await pact
 *   .addInteraction()
 *   .given('UserA exists and is not an administrator')
 *   .uponReceiving('a request for UserA')
 *   .withRequest('GET', '/users/UserA')
 *   .willRespondWith(200, (res) => res.jsonBody(like({ name: 'UserA', id: uuid() })))
 *   .executeTest(async (server) => {
 *     const user = await new UserServiceClient(server.url).getUser('UserA');
 *     expect(user?.name).toBe('UserA');
 *   });
 */
export class Pact extends PactCore {
  constructor(options: PactOptions) {
    super(options, nodePlatform);
  }
}

/**
 * Records the requests a test makes against msw handlers and writes them as pacts, one file per
 * provider; takes @pactflow/pact-msw-adapter's options. Handlers answering with `matchedJson()`
 * give matchers.
 *
 * @example
 * const adapter = setupPactMswAdapter({ server, options: { consumer: 'web', providers: { UserService: ['/users'] } } });
 * beforeEach(() => adapter.newTest());
 * afterEach(() => adapter.verifyTest());
 * afterAll(() => adapter.writeToFile());
 */
export function setupPactMswAdapter(setup: {
  server?: MswEvents;
  worker?: MswEvents;
  options: PactMswAdapterOptions;
}): PactMswAdapter {
  return createPactMswAdapter(setup, nodePlatform);
}
