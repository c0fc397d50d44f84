import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDirEachTest } from '@covenant/test-support';
import axios from 'axios';
import got from 'got';
import ky from 'ky';
import superagent from 'superagent';
import { request as undiciRequest } from 'undici';
import { describe, expect, it } from 'vitest';
import { eachLike, integer, like, regex, uuid } from './matchers.js';
import type { PactOptions } from './pact.js';
import { Pact } from './pact-node.js';

let dir: string;
tempDirEachTest('covenant-intercept-', (path) => {
  dir = path;
});

function pact(transport: 'socket' | 'intercept', extra: Partial<PactOptions> = {}) {
  return new Pact({
    consumer: 'Web',
    provider: 'Orders',
    dir: join(dir, transport),
    logLevel: 'off',
    transport,
    ...extra,
  });
}

function getJson(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      })
      .on('error', reject);
  });
}

/** One suite, written once, run on either transport. */
async function ordersSuite(p: Pact): Promise<void> {
  await p
    .addInteraction()
    .given('order 7 exists', { id: 7 })
    .uponReceiving('a request for order 7')
    .withRequest('GET', '/orders/7', (req) =>
      req.query({ expand: 'lines' }).headers({ Accept: 'application/json' }),
    )
    .willRespondWith(200, (res) =>
      res.jsonBody(
        like({
          id: integer(7),
          ref: uuid('fc763eba-0905-41c5-a27f-3934ab26786c'),
          lines: eachLike({ sku: 'A1' }),
        }),
      ),
    )
    .executeTest(async (server) => {
      const res = await fetch(`${server.url}/orders/7?expand=lines`, {
        headers: { Accept: 'application/json' },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        id: 7,
        ref: 'fc763eba-0905-41c5-a27f-3934ab26786c',
        lines: [{ sku: 'A1' }],
      });
    });
  await p
    .addInteraction()
    .uponReceiving('a new order')
    .withRequest('POST', '/orders', (req) => req.jsonBody({ sku: like('A1'), quantity: integer(2) }))
    .willRespondWith(201, (res) =>
      res.headers({ Location: regex(/\/orders\/\d+/, '/orders/8') }).jsonBody({ id: integer(8) }),
    )
    .executeTest(async (server) => {
      const res = await axios.post(`${server.url}/orders`, { sku: 'B2', quantity: 3 });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe('/orders/8');
    });
  await p
    .addInteraction()
    .uponReceiving('a request for a missing order')
    .withRequest('GET', '/orders/404')
    .willRespondWith(404)
    .executeTest(async (server) => {
      const res = await got(`${server.url}/orders/404`, { throwHttpErrors: false, retry: { limit: 0 } });
      expect(res.statusCode).toBe(404);
    });
}

describe("transport: 'intercept'", () => {
  it('writes byte for byte the pact file that socket mode writes for the same suite', async () => {
    const viaSocket = pact('socket');
    const inProcess = pact('intercept');
    await ordersSuite(viaSocket);
    await ordersSuite(inProcess);
    const socketText = await readFile(viaSocket.pactFile, 'utf8');
    expect(JSON.parse(socketText).interactions).toHaveLength(3);
    expect(await readFile(inProcess.pactFile, 'utf8')).toBe(socketText);
  });

  it('answers fetch, node:http, axios, got, ky and superagent without a socket', async () => {
    const p = pact('intercept');
    const clients: [string, (url: string) => Promise<unknown>][] = [
      ['fetch', async (url) => (await fetch(url)).json()],
      ['node:http', async (url) => (await getJson(url)).body],
      ['axios', async (url) => (await axios.get(url)).data],
      ['got', (url) => got(url).json()],
      ['ky', (url) => ky.get(url).json()],
      ['superagent', async (url) => (await superagent.get(url)).body],
    ];
    // a server on a real socket would see these connections: the mock must not open one
    const listening = http.createServer((_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    listening.on('connection', () => {
      throw new Error('a request reached a socket');
    });
    try {
      for (const [name, call] of clients) {
        await p
          .addInteraction()
          .uponReceiving(`a request from ${name}`)
          .withRequest('GET', `/clients/${name}`)
          .willRespondWith(200, (res) => res.jsonBody({ client: like(name) }))
          .executeTest(async (server) => {
            expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
            expect(await call(`${server.url}/clients/${name}`)).toEqual({ client: name });
          });
      }
    } finally {
      listening.close();
    }
    const written = JSON.parse(await readFile(p.pactFile, 'utf8'));
    expect(written.interactions.map((i: { description: string }) => i.description).sort()).toEqual(
      clients.map(([name]) => `a request from ${name}`).sort(),
    );
  });

  it('serves every node:http call form: options, URL with options, ClientRequest, a body', async () => {
    /** Sends `request` and reads the answer as node:http clients do. */
    const answer = (request: http.ClientRequest, body?: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        request.on('response', (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString('utf8');
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        request.on('error', reject);
        request.end(body);
      });
    await pact('intercept')
      .addInteraction()
      .uponReceiving('a new note')
      .withRequest('POST', '/notes', (req) => req.query({ draft: 'yes' }).jsonBody({ text: like('hi') }))
      .willRespondWith(201, (res) => res.jsonBody({ id: integer(1) }))
      .executeTest(async (server) => {
        const { hostname, port } = new URL(server.url);
        const headers = { 'Content-Type': 'application/json' };
        const forms = [
          http.request({ method: 'POST', hostname, port, path: '/notes?draft=yes', headers }),
          // the options' path overrides the URL's, as node:http merges them
          http.request(new URL(`${server.url}/elsewhere`), {
            method: 'POST',
            path: '/notes?draft=yes',
            headers,
          }),
          new http.ClientRequest({ method: 'POST', host: hostname, port, path: '/notes?draft=yes', headers }),
        ];
        for (const request of forms)
          expect(await answer(request, '{"text":"hello"}')).toEqual({ status: 201, text: '{"id":1}' });
      });
  });

  it('serves https clients on an https mock URL when tls is given', async () => {
    await pact('intercept', { tls: { key: 'unused', cert: 'unused' } })
      .addInteraction()
      .uponReceiving('a request over https')
      .withRequest('GET', '/secure')
      .willRespondWith(200, (res) => res.jsonBody({ secure: true }))
      .executeTest(async (server) => {
        expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const body = await new Promise<string>((resolve, reject) => {
          https
            .get(`${server.url}/secure`, (res) => {
              let text = '';
              res.on('data', (c: Buffer) => {
                text += c.toString('utf8');
              });
              res.on('end', () => resolve(text));
            })
            .on('error', reject);
        });
        expect(JSON.parse(body)).toEqual({ secure: true });
      });
  });

  it('fails an unmatched request with the report socket mode gives, and writes nothing', async () => {
    const reports: string[] = [];
    for (const transport of ['socket', 'intercept'] as const) {
      const p = pact(transport);
      const error = await p
        .addInteraction()
        .uponReceiving('a request for order 1')
        .withRequest('GET', '/orders/1')
        .willRespondWith(200, (res) => res.jsonBody({ id: 1 }))
        .executeTest(async (server) => {
          const res = await fetch(`${server.url}/orders/1?page=2`);
          expect(res.status).toBe(500);
          expect(res.headers.get('x-covenant-mismatch')).toBe('request-mismatch');
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'COV_CONSUMER_MOCK_MISMATCH' });
      reports.push((error as Error).message);
      await expect(readFile(p.pactFile, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    }
    expect(reports[0]).toContain('GET /orders/1?page=2 does not match interaction');
    expect(reports[1]).toBe(reports[0]);
  });

  it("refuses requests to other hosts with otherHosts: 'fail', and lets them through by default", async () => {
    const other = http.createServer((_req, res) => res.end('real'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/elsewhere`;
    try {
      const strict = pact('intercept', { otherHosts: 'fail' });
      let secureError: unknown;
      const error = await strict
        .addInteraction()
        .uponReceiving('a request for order 1')
        .withRequest('GET', '/orders/1')
        .willRespondWith(200)
        .executeTest(async (server) => {
          await fetch(`${server.url}/orders/1`);
          await expect(fetch(otherUrl)).rejects.toThrow(/another host/);
          await expect(getJson(otherUrl)).rejects.toThrow(/another host/);
          // node:https is wrapped for a Pact that refuses other hosts, though its mock URL is http
          secureError = await new Promise((resolve, reject) =>
            https.get(otherUrl.replace('http:', 'https:'), reject).on('error', resolve),
          );
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'COV_CONSUMER_MOCK_MISMATCH' });
      expect((error as Error).message).toContain(`GET ${otherUrl} was not served`);
      expect((error as Error).message).toContain("otherHosts: 'passthrough'");
      expect(secureError).toMatchObject({ message: expect.stringMatching(/another host/) });

      await pact('intercept')
        .addInteraction()
        .uponReceiving('a request for order 1')
        .withRequest('GET', '/orders/1')
        .willRespondWith(200)
        .executeTest(async (server) => {
          await fetch(`${server.url}/orders/1`);
          expect(await (await fetch(otherUrl)).text()).toBe('real');
        });
    } finally {
      other.close();
    }
  });

  it("fails clearly when the client uses undici's own request API, which cannot be intercepted", async () => {
    const error = await pact('intercept')
      .addInteraction()
      .uponReceiving('a request for order 1')
      .withRequest('GET', '/orders/1')
      .willRespondWith(200)
      .executeTest(async (server) => {
        await undiciRequest(`${server.url}/orders/1`);
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'COV_CONSUMER_MOCK_MISMATCH' });
    expect((error as Error).message).toContain("undici's own API");
    expect((error as Error).message).toContain("transport: 'socket'");
  });

  it('puts the global fetch property back as it found it once no test needs it', async () => {
    const idle = () => new Promise((resolve) => setTimeout(resolve, 10));
    // the tests before this one left no test running
    await idle();
    const before = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
    await pact('intercept')
      .addInteraction()
      .uponReceiving('a request for order 1')
      .withRequest('GET', '/orders/1')
      .willRespondWith(200, (res) => res.jsonBody({ id: 1 }))
      .executeTest(async (server) => {
        // the descriptor, not the value: where Node's fetch is a getter, `before.value` is undefined
        expect(Object.getOwnPropertyDescriptor(globalThis, 'fetch')).not.toEqual(before);
        expect((await getJson(`${server.url}/orders/1`)).status).toBe(200);
      });
    await idle();
    expect(Object.getOwnPropertyDescriptor(globalThis, 'fetch')).toEqual(before);
  });

  it('answers a 205 with no body, as fetch does over a socket, though the pact gives it one', async () => {
    for (const transport of ['socket', 'intercept'] as const) {
      await pact(transport)
        .addInteraction()
        .uponReceiving('a form reset')
        .withRequest('POST', '/forms/reset')
        .willRespondWith(205, (res) => res.textBody('cleared'))
        .executeTest(async (s) => {
          const r = await fetch(`${s.url}/forms/reset`, { method: 'POST' });
          expect([transport, r.status, r.body]).toEqual([transport, 205, null]);
        });
    }
  });

  it('refuses an unknown transport with a coded error', () => {
    expect(() => pact('udp' as never)).toThrow(
      expect.objectContaining({ code: 'COV_CONSUMER_INTERACTION_INVALID' }),
    );
  });
});
