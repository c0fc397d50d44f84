// The consumer's contract tests, as in the seed: each test runs UserServiceClient against a mock
// UserService; the interactions become pacts/userserviceclient-userservice.json. With PUBLISH_PACT
// (`npm test -- --publish-pact 2`) the pact is then published to the broker, and with RUN_BROKER
// (`--run-broker`) a broker is started for the run when none answers.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrokerClient } from '@covenant/broker-client';
import { ipAddress, like, Pact, regex, uuid } from '@covenant/consumer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerSettings, type ExampleBroker, ensureBroker } from '../../broker/src/broker.js';
import { type User, UserServiceClient } from './user-service-client.js';

const exampleFolder = join(import.meta.dirname, '..');
const pactFile = join(exampleFolder, 'pacts', 'userserviceclient-userservice.json');
const consumerVersion = process.env.PUBLISH_PACT;

const pact = new Pact({
  consumer: 'UserServiceClient',
  provider: 'UserService',
  dir: join(exampleFolder, 'pacts'),
  fileNameStyle: 'lowercase',
  mode: 'overwrite',
  logFile: join(exampleFolder, 'pact-mock-service.log'),
});

let broker: ExampleBroker | undefined;
beforeAll(async () => {
  if (process.env.RUN_BROKER) broker = await ensureBroker();
});
afterAll(async () => {
  await broker?.stop();
});

describe('UserServiceClient', () => {
  it('gets UserA when UserA exists and is not an administrator', async () => {
    await pact
      .addInteraction()
      .given('UserA exists and is not an administrator')
      .uponReceiving('a request for UserA')
      .withRequest('GET', '/users/UserA', (req) => req.headers({ Accept: 'application/json' }))
      .willRespondWith(200, (res) =>
        res.jsonBody(
          like<User>({
            name: 'UserA',
            id: uuid('fc763eba-0905-41c5-a27f-3934ab26786c'),
            created_on: regex(/\d+-\d+-\d+T\d+:\d+:\d+/, '2016-12-15T20:16:01'),
            ip_address: ipAddress('127.0.0.1'),
            admin: false,
          }),
        ),
      )
      .executeTest(async (mockServer) => {
        const user = await new UserServiceClient(mockServer.url).getUser('UserA');
        expect(user).toEqual({
          name: 'UserA',
          id: 'fc763eba-0905-41c5-a27f-3934ab26786c',
          created_on: '2016-12-15T20:16:01',
          ip_address: '127.0.0.1',
          admin: false,
        });
      });
  });

  it('gets nothing when UserA does not exist', async () => {
    await pact
      .addInteraction()
      .given('UserA does not exist')
      .uponReceiving('a request for UserA')
      .withRequest('GET', '/users/UserA', (req) => req.headers({ Accept: 'application/json' }))
      .willRespondWith(404)
      .executeTest(async (mockServer) => {
        expect(await new UserServiceClient(mockServer.url).getUser('UserA')).toBeUndefined();
      });
  });

  it.runIf(consumerVersion)(`publishes the pact to the broker as version ${consumerVersion}`, async () => {
    const settings = brokerSettings();
    const client = new BrokerClient({
      baseUrl: settings.url,
      username: settings.username,
      password: settings.password,
    });
    const { notices } = await client.publishPacts({
      consumer: 'UserServiceClient',
      version: consumerVersion!,
      branch: process.env.PACT_BRANCH ?? 'main',
      pacts: [JSON.parse(readFileSync(pactFile, 'utf8'))],
    });
    for (const notice of notices) console.log(notice.text);
    expect(notices.map((n) => n.text).join('\n')).toContain(`UserServiceClient version ${consumerVersion}`);
  });
});
