import http from 'node:http';
import https from 'node:https';
import { close, listen, pactFixture, selfSignedCertificate, tempDir } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type VerifierOptions, verifyProvider } from './verify.js';

/** Pact URLs over HTTPS from a server that requires a client certificate (a broker behind mTLS). */
const dir = tempDir('covenant-verifier-pact-url-tls-');
const server = selfSignedCertificate(dir.path, 'server');
const client = selfSignedCertificate(dir.path, 'client');
const stranger = selfSignedCertificate(dir.path, 'stranger');
const published: unknown[] = [];
let pactServer: https.Server;
let provider: http.Server;
let brokerUrl: string;
let pactUrl: string;
let providerBaseUrl: string;

beforeAll(async () => {
  // trusts exactly the client's certificate, and requires one; serves the pact and takes its results
  pactServer = https.createServer(
    { key: server.key, cert: server.cert, ca: client.cert, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const origin = `https://127.0.0.1:${(pactServer.address() as { port: number }).port}`;
      res.setHeader('Content-Type', 'application/hal+json');
      // a broker's index and an empty for-verification answer, for the broker-certificate case
      if (req.url === '/') {
        res.end(
          JSON.stringify({
            _links: {
              'pb:provider-pacts-for-verification': {
                href: `${origin}/for-verification/{provider}`,
                templated: true,
              },
            },
          }),
        );
        return;
      }
      if (req.url?.startsWith('/for-verification/')) {
        req.resume();
        req.on('end', () => res.end(JSON.stringify({ _embedded: { pacts: [] } })));
        return;
      }
      if (req.method === 'POST') {
        let body = '';
        req.on('data', (chunk: Buffer) => {
          body += chunk;
        });
        req.on('end', () => {
          published.push(JSON.parse(body));
          res.statusCode = 201;
          res.end('{}');
        });
        return;
      }
      res.end(
        JSON.stringify({
          ...pactFixture({
            provider: 'Orders',
            spec: 3,
            interactions: [{ description: 'a request for order 1', path: '/orders/1', body: { id: 1 } }],
          }),
          _links: {
            'pb:publish-verification-results': { href: `${origin}/pacts/web-orders/verification-results` },
          },
        }),
      );
    },
  );
  brokerUrl = await listen(pactServer, 'https');
  pactUrl = `${brokerUrl}/pacts/web-orders`;
  provider = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end('{"id":1}');
  });
  providerBaseUrl = await listen(provider);
});

afterAll(async () => {
  await close(pactServer);
  await close(provider);
  dir.remove();
});

const verify = (more: Partial<VerifierOptions>) =>
  verifyProvider({ provider: 'Orders', providerBaseUrl, pactUrls: [pactUrl], reporters: [], ...more });

describe('pact URLs over mTLS', () => {
  it('fetch the pact and publish its results with pactUrlTls', async () => {
    published.length = 0;
    const result = await verify({
      pactUrlTls: { ca: server.certFile, cert: client.certFile, key: client.keyFile },
      publish: { providerVersion: '1.0.0' },
    });
    expect(result.success).toBe(true);
    expect(published).toEqual([
      expect.objectContaining({ success: true, providerApplicationVersion: '1.0.0' }),
    ]);
  });

  it("use the broker's certificate when no pactUrlTls is given", async () => {
    const result = await verify({
      broker: { baseUrl: brokerUrl, tls: { ca: server.cert, cert: client.cert, key: client.key } },
    });
    expect(result.success).toBe(true);
    expect(result.pacts.map((p) => p.source)).toEqual([pactUrl]);
  });

  it('fail as a pact source, not a hang, without a certificate the server trusts', async () => {
    for (const pactUrlTls of [
      { ca: server.cert },
      { ca: server.cert, cert: stranger.cert, key: stranger.key },
    ])
      await expect(verify({ pactUrlTls })).rejects.toMatchObject({
        code: 'COV_VERIFIER_PACT_SOURCE_FAILED',
        detail: expect.stringContaining(`cannot fetch the pact at ${pactUrl}`),
      });
    await expect(verify({ pactUrlTls: { cert: client.cert } })).rejects.toMatchObject({
      code: 'COV_VERIFIER_TLS_INVALID',
      detail: expect.stringContaining('pactUrlTls.cert was given without pactUrlTls.key'),
    });
  });
});
