// A broker behind a TLS terminator that requires client certificates (as the reference's nginx
// example, with mTLS): the verifier fetches its pacts and publishes the results through it,
// presenting broker.tls, and is turned away without it.

import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { type RunningBroker, startBroker } from '@covenant/broker';
import { BrokerClient } from '@covenant/broker-client';
import { close, listen, selfSignedCertificate, tempDir } from '@covenant/test-support';
import { verifyProvider } from '@covenant/verifier';
import { afterAll, beforeAll, expect, it } from 'vitest';

const dir = tempDir('covenant-broker-mtls-');
const server = selfSignedCertificate(dir.path, 'server');
const client = selfSignedCertificate(dir.path, 'client');
let broker: RunningBroker;
let terminator: https.Server;
let secureUrl: string;
let provider: http.Server;
let providerUrl: string;
/** A broker client that presents the client certificate (the broker's links name the secure URL). */
const brokerClient = () =>
  new BrokerClient({
    baseUrl: secureUrl,
    env: {},
    tls: { ca: server.cert, cert: client.cert, key: client.key },
  });

beforeAll(async () => {
  // forwards every request to the broker, once a client certificate it trusts was presented
  terminator = https.createServer(
    { key: server.key, cert: server.cert, ca: client.cert, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const target = new URL(req.url ?? '/', broker.url);
      const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    },
  );
  secureUrl = await listen(terminator, 'https');
  // the broker's links must name the URL its clients reach it at
  broker = await startBroker({ port: 0, database: join(dir.path, 'broker.sqlite'), baseUrl: secureUrl });
  provider = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end('{"id":1}');
  });
  providerUrl = await listen(provider);
  await brokerClient().publishPacts({
    consumer: 'Web',
    version: '1',
    branch: 'main',
    pacts: [
      {
        consumer: { name: 'Web' },
        provider: { name: 'Orders' },
        interactions: [
          {
            description: 'a request for order 1',
            request: { method: 'GET', path: '/orders/1' },
            response: { status: 200, body: { id: 1 } },
          },
        ],
        metadata: { pactSpecification: { version: '3.0.0' } },
      },
    ],
  });
});

afterAll(async () => {
  await close(provider);
  await close(terminator);
  await broker.close();
  dir.remove();
});

const verify = (tls: { ca: string; cert?: string; key?: string }) =>
  verifyProvider({
    provider: 'Orders',
    providerBaseUrl: providerUrl,
    broker: { baseUrl: secureUrl, env: {}, consumerVersionSelectors: [{ mainBranch: true }], tls },
    publish: { providerVersion: '5.0.0', providerBranch: 'main' },
    reporters: [],
  });

it('verifies and publishes through a broker that requires a client certificate', async () => {
  const result = await verify({ ca: server.certFile, cert: client.certFile, key: client.keyFile });
  expect(result.success).toBe(true);
  expect(result.pacts[0]!.published).toBe(true);
  const latest = await brokerClient().request(
    'GET',
    '/pacticipants/Web/versions/1/latest-verification-results',
  );
  expect(latest).toMatchObject({ success: true, providerApplicationVersion: '5.0.0' });

  await expect(verify({ ca: server.certFile })).rejects.toMatchObject({
    code: 'COV_BROKER_CLIENT_UNREACHABLE',
  });
});
