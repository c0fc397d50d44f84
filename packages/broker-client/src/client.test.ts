import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CovenantError } from '@covenant/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerClient, MAX_TIMEOUT_MS } from './client.js';
import { expandTemplate } from './hal.js';

/** A small HAL server standing in for a broker: just the relations the client follows. */
let base: string;
const seen: Array<{ method: string; url: string; auth: string | undefined; body: string }> = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
    res.setHeader('Content-Type', 'application/hal+json');
    if (req.headers.authorization === 'Bearer bad') {
      res.statusCode = 401;
      res.end('{"error":"no"}');
      return;
    }
    if (req.url === '/') {
      res.end(
        JSON.stringify({
          _links: {
            'pb:provider-pacts-for-verification': {
              href: `${base}/pacts/provider/{provider}/for-verification`,
              templated: true,
            },
          },
        }),
      );
    } else if (req.url === '/pacts/provider/User%20Service/for-verification') {
      res.end(
        JSON.stringify({
          _embedded: {
            pacts: [
              {
                shortDescription: 'latest from main',
                verificationProperties: {
                  pending: true,
                  notices: [{ when: 'before_verification', text: 'The pact is being verified because…' }],
                },
                _links: { self: { href: `${base}/pacts/1`, name: 'Pact between Web and User Service' } },
              },
            ],
          },
        }),
      );
    } else if (req.url === '/pacticipants/User%20Service') {
      res.end(
        JSON.stringify({
          _links: {
            'pb:branch-version': {
              href: `${base}/pacticipants/User%20Service/branches/{branch}/versions/{version}`,
              templated: true,
            },
            'pb:version-tag': {
              href: `${base}/pacticipants/User%20Service/versions/{version}/tags/{tag}`,
              templated: true,
            },
          },
        }),
      );
    } else if (req.method === 'PUT') {
      res.end('{}');
    } else if (req.url === '/pacts/1/verification-results') {
      res.statusCode = 201;
      res.end('{"success":true}');
    } else {
      res.statusCode = 404;
      res.end('{"error":"not found"}');
    }
  });
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe('BrokerClient', () => {
  it('follows the index to the pacts for verification, with pending status and notices', async () => {
    const client = new BrokerClient({ baseUrl: base, username: 'pactbroker', password: 'pactbroker' });
    const { pacts } = await client.pactsForVerification('User Service', {
      consumerVersionSelectors: [{ mainBranch: true }],
    });
    expect(pacts).toEqual([
      {
        url: `${base}/pacts/1`,
        name: 'Pact between Web and User Service',
        shortDescription: 'latest from main',
        pending: true,
        wip: false,
        notices: [{ when: 'before_verification', text: 'The pact is being verified because…' }],
      },
    ]);
    const post = seen.find((s) => s.method === 'POST');
    expect(post?.auth).toBe(`Basic ${Buffer.from('pactbroker:pactbroker').toString('base64')}`);
    expect(JSON.parse(post!.body)).toEqual({ consumerVersionSelectors: [{ mainBranch: true }] });
  });

  it('sets the provider branch and tags before publishing a result', async () => {
    seen.length = 0;
    const client = new BrokerClient({ baseUrl: base, token: 't' });
    const pact = {
      _links: {
        'pb:provider': { href: `${base}/pacticipants/User%20Service` },
        'pb:publish-verification-results': { href: `${base}/pacts/1/verification-results` },
      },
    };
    await client.publishVerificationResult(
      pact,
      { success: true, providerApplicationVersion: '1.2.3' },
      { branch: 'main', tags: ['prod'] },
    );
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /pacticipants/User%20Service',
      'PUT /pacticipants/User%20Service/branches/main/versions/1.2.3',
      'PUT /pacticipants/User%20Service/versions/1.2.3/tags/prod',
      'POST /pacts/1/verification-results',
    ]);
    expect(seen[0]!.auth).toBe('Bearer t');
  });

  it('gives coded errors: unreachable, refused, failing, missing relation, bad config', async () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: unknown) => (e instanceof CovenantError ? e.code : String(e)),
      );
    expect(await code(new BrokerClient({ baseUrl: 'http://127.0.0.1:1' }).index())).toBe(
      'COV_BROKER_CLIENT_UNREACHABLE',
    );
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(new BrokerClient({ baseUrl: `http://127.0.0.1:${closedPort}` }).index()).rejects.toThrow(
      `GET http://127.0.0.1:${closedPort}/ failed: connection refused`,
    );
    expect(await code(new BrokerClient({ baseUrl: base, token: 'bad' }).index())).toBe(
      'COV_BROKER_CLIENT_UNAUTHORIZED',
    );
    expect(await code(new BrokerClient({ baseUrl: base }).request('GET', '/nope'))).toBe(
      'COV_BROKER_CLIENT_REQUEST_FAILED',
    );
    const client = new BrokerClient({ baseUrl: base });
    expect(() => client.relation({ _links: {} }, 'pb:latest-version')).toThrow(
      /COV_BROKER_CLIENT_RELATION_MISSING: the broker offers no 'pb:latest-version' relation/,
    );
    expect(() => new BrokerClient({ env: {} })).toThrow(/COV_BROKER_CLIENT_CONFIG_INVALID/);
    // these parse as URLs of scheme localhost: and ftp:, and failed later as an unreachable broker
    for (const baseUrl of ['localhost:9292', 'ftp://broker', 'broker.example']) {
      expect(() => new BrokerClient({ baseUrl, env: {} }), baseUrl).toThrow(
        `COV_BROKER_CLIENT_CONFIG_INVALID: the broker URL '${baseUrl}' is not an http:// or https:// URL`,
      );
    }
    expect(new BrokerClient({ env: { PACT_BROKER_BASE_URL: `${base}/` } }).baseUrl).toBe(base);
  });

  it('sends credentials written in the base URL as basic auth, and never shows the password', async () => {
    const withCredentials = base.replace('http://', 'http://ci:s%40cret@');
    const client = new BrokerClient({ baseUrl: withCredentials, env: { PACT_BROKER_TOKEN: 'from-env' } });
    expect(client.baseUrl).toBe(base);
    seen.length = 0;
    await client.index();
    expect(seen[0]!.auth).toBe(`Basic ${Buffer.from('ci:s@cret').toString('base64')}`);
    // credentials given as options win over those in the URL
    seen.length = 0;
    await new BrokerClient({ baseUrl: withCredentials, token: 'opt', env: {} }).index();
    expect(seen[0]!.auth).toBe('Bearer opt');
    const error = await new BrokerClient({ baseUrl: 'http://ci:hunter2@127.0.0.1:1', env: {} })
      .index()
      .catch((e: CovenantError) => e);
    expect(error).toMatchObject({ code: 'COV_BROKER_CLIENT_UNREACHABLE' });
    expect((error as Error).message).toContain('GET http://127.0.0.1:1/ failed');
    expect((error as Error).message).not.toContain('hunter2');
    expect(() => new BrokerClient({ baseUrl: 'http://ci:hunter2@[::zz]', env: {} })).toThrow(
      /^(?!.*hunter2).*COV_BROKER_CLIENT_CONFIG_INVALID/s,
    );
  });

  it('refuses a timeout timers cannot keep, and names the timeout when a broker stops half-way through a body', async () => {
    for (const timeoutMs of [0, -5, 3_000_000_000, Number.NaN]) {
      expect(() => new BrokerClient({ baseUrl: base, timeoutMs, env: {} }), String(timeoutMs)).toThrow(
        `COV_BROKER_CLIENT_CONFIG_INVALID: timeoutMs ${timeoutMs} is not a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`,
      );
    }
    // headers and the start of the body, then nothing: the body read timed out as an uncoded DOMException
    const stalls = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/hal+json', 'Content-Length': '100' });
      res.write('{"_links":');
    });
    await new Promise<void>((r) => stalls.listen(0, '127.0.0.1', () => r()));
    const stallsUrl = `http://127.0.0.1:${(stalls.address() as AddressInfo).port}`;
    try {
      const error = await new BrokerClient({ baseUrl: stallsUrl, timeoutMs: 200, env: {} })
        .index()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CovenantError);
      expect(error).toMatchObject({ code: 'COV_BROKER_CLIENT_UNREACHABLE' });
      expect((error as Error).message).toContain(
        `GET ${stallsUrl}/ failed: no complete answer within 200 ms`,
      );
    } finally {
      stalls.closeAllConnections();
      await new Promise((r) => stalls.close(r));
    }
  });

  it('expands templates with encoded values', () => {
    expect(expandTemplate('/pacticipants/{p}/versions/{v}', { p: 'User Service', v: '1.0/rc' })).toBe(
      '/pacticipants/User%20Service/versions/1.0%2Frc',
    );
  });
});

describe('custom headers and retries', () => {
  /** A server that answers 503 (or 429 with Retry-After 0) `failures` times, then 200, recording the headers. */
  async function flaky(failures: number, status = 503) {
    const headers: http.IncomingHttpHeaders[] = [];
    const flakyServer = http.createServer((req, res) => {
      headers.push(req.headers);
      res.setHeader('Content-Type', 'application/json');
      if (headers.length <= failures) {
        res.statusCode = status;
        if (status === 429) res.setHeader('Retry-After', '0');
        res.end('{"error":"busy"}');
      } else res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => flakyServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(flakyServer.address() as AddressInfo).port}`;
    return { url, headers, close: () => new Promise((resolve) => flakyServer.close(resolve)) };
  }

  it('sends the custom headers with every request', async () => {
    const target = await flaky(0);
    try {
      const client = new BrokerClient({ baseUrl: target.url, env: {}, headers: { 'X-Api-Key': 'k1' } });
      expect(await client.request('GET', '/')).toEqual({ ok: true });
      expect(target.headers[0]?.['x-api-key']).toBe('k1');
    } finally {
      await target.close();
    }
  });

  it('retries 5xx and 429 answers as often as asked, and no more', async () => {
    const target = await flaky(1);
    try {
      const client = new BrokerClient({ baseUrl: target.url, env: { PACT_BROKER_HTTP_RETRIES: '1' } });
      expect(await client.request('GET', '/')).toEqual({ ok: true });
      expect(target.headers).toHaveLength(2);
    } finally {
      await target.close();
    }
    const limited = await flaky(2, 429);
    try {
      const client = new BrokerClient({ baseUrl: limited.url, env: {}, retries: 1 });
      await expect(client.request('GET', '/')).rejects.toThrow(/COV_BROKER_CLIENT_REQUEST_FAILED: .*429/);
      expect(limited.headers).toHaveLength(2);
    } finally {
      await limited.close();
    }
    const never = await flaky(1);
    try {
      await expect(new BrokerClient({ baseUrl: never.url, env: {} }).request('GET', '/')).rejects.toThrow(
        /503/,
      );
      expect(never.headers).toHaveLength(1);
    } finally {
      await never.close();
    }
  });
});

describe('describeVersion', () => {
  it('asks every environment at once, and the environment list while the version is fetched', async () => {
    let inFlight = 0;
    let most = 0;
    let url = '';
    const environment = (name: string) => ({
      name,
      _links: {
        'pb:currently-deployed-deployed-versions': { href: `${url}/environments/${name}/deployed` },
        'pb:currently-supported-released-versions': { href: `${url}/environments/${name}/released` },
      },
    });
    const version = (number: string) => ({ _embedded: { version: { number } } });
    const bodies: Record<string, unknown> = {
      '/environments': { _embedded: { environments: [environment('test'), environment('production')] } },
      '/pacticipants/Web/versions/1': { number: '1', _embedded: { branchVersions: [{ name: 'main' }] } },
      '/environments/test/deployed?pacticipant=Web': { _embedded: { deployedVersions: [version('1')] } },
      '/environments/test/released?pacticipant=Web': { _embedded: { releasedVersions: [] } },
      '/environments/production/deployed?pacticipant=Web': {
        _embedded: { deployedVersions: [version('0')] },
      },
      '/environments/production/released?pacticipant=Web': {
        _embedded: { releasedVersions: [version('1')] },
      },
    };
    const slow = http.createServer((req, res) => {
      if (req.url === '/') {
        res.end(
          JSON.stringify({
            _links: {
              'pb:environments': { href: `${url}/environments` },
              'pb:pacticipant-version': {
                href: `${url}/pacticipants/{pacticipant}/versions/{version}`,
                templated: true,
              },
            },
          }),
        );
        return;
      }
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        const body = bodies[req.url ?? ''];
        res.statusCode = body === undefined ? 404 : 200;
        res.end(JSON.stringify(body ?? {}));
      }, 50);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    try {
      const described = await new BrokerClient({ baseUrl: url, env: {} }).describeVersion('Web', '1');
      expect(described).toMatchObject({
        number: '1',
        branches: ['main'],
        deployedTo: ['test'],
        releasedTo: ['production'],
      });
      expect(most).toBeGreaterThanOrEqual(4);
    } finally {
      await new Promise((resolve) => slow.close(resolve));
    }
  });
});

describe('versionsWithTag', () => {
  it('follows the list’s next links to the last page', async () => {
    let url = '';
    const page = (numbers: string[], next?: string) => ({
      _embedded: { versions: numbers.map((number) => ({ number })) },
      _links: next ? { next: { href: `${url}${next}` } } : {},
    });
    // filled in once the server's port, which the hrefs name, is known
    const bodies: Record<string, unknown> = {};
    const pages = http.createServer((req, res) => {
      const body = bodies[req.url ?? ''];
      res.statusCode = body === undefined ? 404 : 200;
      res.end(JSON.stringify(body ?? {}));
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    bodies['/'] = {
      _links: { 'pb:pacticipant': { href: `${url}/pacticipants/{pacticipant}`, templated: true } },
    };
    bodies['/pacticipants/Web/tags/prod/versions'] = page(['3', '2'], '/p2');
    bodies['/p2'] = page(['1']);
    try {
      expect(await new BrokerClient({ baseUrl: url, env: {} }).versionsWithTag('Web', 'prod')).toEqual([
        '3',
        '2',
        '1',
      ]);
    } finally {
      await new Promise((resolve) => pages.close(resolve));
    }
  });
});

describe('publishPacts and the body limit', () => {
  /** A broker standing in for one that advertises `limit` (or, undefined, none, as the reference broker). */
  async function publishingBroker(limit: number | undefined) {
    const posts: number[] = [];
    const broker = http.createServer((req, res) => {
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
      });
      req.on('end', () => {
        if (limit !== undefined) res.setHeader('X-Covenant-Body-Limit', String(limit));
        res.setHeader('Content-Type', 'application/hal+json');
        if (req.method === 'POST') posts.push(size);
        res.end(JSON.stringify({ _links: { 'pb:publish-contracts': { href: '/contracts/publish' } } }));
      });
    });
    await new Promise<void>((r) => broker.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(broker.address() as AddressInfo).port}`;
    return { url, posts, close: () => new Promise((r) => broker.close(r)) };
  }
  const publication = (bytes: number) => ({
    consumer: 'Web',
    version: '1',
    pacts: [{ provider: { name: 'Api' }, filler: 'x'.repeat(bytes) }],
  });

  it('refuses a publication over the advertised limit without sending it, and sends one under it', async () => {
    const broker = await publishingBroker(4000);
    try {
      const client = new BrokerClient({ baseUrl: broker.url });
      const refused = await client.publishPacts(publication(4000)).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'COV_BROKER_CLIENT_BODY_TOO_LARGE', details: { limit: 4000 } });
      expect(broker.posts).toEqual([]);
      await client.publishPacts(publication(1000));
      expect(broker.posts).toHaveLength(1);
    } finally {
      await broker.close();
    }
  });

  it('publishes to a broker that advertises no limit without checking', async () => {
    const broker = await publishingBroker(undefined);
    try {
      await new BrokerClient({ baseUrl: broker.url }).publishPacts(publication(50_000));
      expect(broker.posts[0]).toBeGreaterThan(50_000);
    } finally {
      await broker.close();
    }
  });
});
