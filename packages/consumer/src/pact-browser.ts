import {
  createPactMswAdapter,
  type MswEvents,
  type PactMswAdapter,
  type PactMswAdapterOptions,
} from './msw-adapter.js';
import { PactCore, type PactOptions } from './pact.js';
import { browserPlatform } from './platform-browser.js';

/**
 * A consumer's pact with one provider, in a browser: each test's requests to its mock's URL are
 * answered in the page (fetch and XMLHttpRequest are intercepted), so `transport` must be
 * `'intercept'`; the pact file is written by the test runner's Node side (see `setPactWriter`).
 *
 * @example
 * const pact = new Pact({ consumer: 'WebApp', provider: 'UserService', transport: 'intercept' });
 * await pact
 *   .addInteraction()
 *   .uponReceiving('a request for UserA')
 *   .withRequest('GET', '/users/UserA')
 *   .willRespondWith(200, (res) => res.jsonBody(like({ name: 'UserA' })))
 *   .executeTest(async (mock) => {
 *     expect((await new UserClient(mock.url).getUser('UserA')).name).toBe('UserA');
 *   });
 */
export class Pact extends PactCore {
  constructor(options: PactOptions) {
    super(options, browserPlatform);
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
  return createPactMswAdapter(setup, browserPlatform);
}
