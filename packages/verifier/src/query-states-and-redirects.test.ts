// pact-js's `providerStatesSetupBody: false` (Covenant's stateChangeAsQuery) and `followRedirects`,
// against a real provider over a socket.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { close, listen, tempDir } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redirectOf } from './transport.js';
import { verifyProvider } from './verify.js';

const dir = tempDir('covenant-verifier-query-redirects-');
/** Every request the provider got: method, URL, body and Authorization. */
const received: Array<{ method: string; url: string; body: string; authorization: string | undefined }> = [];
let provider: http.Server;
let base: string;

/** A pact whose one interaction, in a provider state with params, GETs `path` and expects 200 `{ok: true}`. */
function pactFile(name: string, path: string, method = 'GET') {
  const file = join(dir.path, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      consumer: { name: 'Web' },
      provider: { name: 'Orders' },
      interactions: [
        {
          description: `${method} ${path}`,
          providerStates: [{ name: 'an order', params: { id: 7, region: 'eu west' } }],
          request: { method, path, ...(method === 'POST' ? { body: { n: 1 } } : {}) },
          response: { status: 200, body: { ok: true } },
        },
      ],
      metadata: { pactSpecification: { version: '3.0.0' } },
    }),
  );
  return file;
}

beforeAll(async () => {
  provider = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '';
      received.push({
        method: req.method ?? '',
        url,
        body: Buffer.concat(chunks).toString('utf8'),
        authorization: req.headers.authorization,
      });
      const redirect = /^\/(\d{3})\/(.*)$/.exec(url);
      if (redirect) {
        res.writeHead(Number(redirect[1]), { Location: `/${redirect[2]}` });
        res.end();
        return;
      }
      if (url.startsWith('/loop')) {
        res.writeHead(302, { Location: '/loop' });
        res.end();
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end('{"ok":true}');
    });
  });
  base = await listen(provider);
});

afterAll(async () => {
  await close(provider);
  dir.remove();
});

const verify = (file: string, extra: Record<string, unknown> = {}) =>
  verifyProvider({ provider: 'Orders', providerBaseUrl: base, pactUrls: [file], reporters: [], ...extra });

describe('stateChangeAsQuery', () => {
  it('sends the state, action and params as query parameters of a POST without a body', async () => {
    received.length = 0;
    const result = await verify(pactFile('query', '/done'), {
      stateChangeUrl: `${base}/states?team=a`,
      stateChangeAsQuery: true,
    });
    expect(result.success).toBe(true);
    const states = received.filter((r) => r.url.startsWith('/states'));
    expect(states.map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', '/states?team=a&state=an+order&action=setup&id=7&region=eu+west', ''],
      ['POST', '/states?team=a&state=an+order&action=teardown&id=7&region=eu+west', ''],
    ]);
  });

  it('sends the JSON body by default', async () => {
    received.length = 0;
    await verify(pactFile('body', '/done'), { stateChangeUrl: `${base}/states` });
    const setup = received.find((r) => r.url === '/states')!;
    expect(JSON.parse(setup.body)).toEqual({
      state: 'an order',
      params: { id: 7, region: 'eu west' },
      action: 'setup',
    });
  });
});

describe('followRedirects', () => {
  it('compares the redirect itself unless asked to follow it', async () => {
    const result = await verify(pactFile('unfollowed', '/302/done'));
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.pacts[0]!.interactions[0]!.mismatches)).toContain('302');
  });

  it('follows redirects to the final response, turning a POST into a GET on a 303 but not on a 307', async () => {
    received.length = 0;
    expect((await verify(pactFile('followed', '/301/302/done'), { followRedirects: true })).success).toBe(
      true,
    );
    expect(received.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /301/302/done',
      'GET /302/done',
      'GET /done',
    ]);
    received.length = 0;
    expect(
      (await verify(pactFile('see-other', '/303/done', 'POST'), { followRedirects: true })).success,
    ).toBe(true);
    expect(received.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'POST /303/done {"n":1}',
      'GET /done ',
    ]);
    received.length = 0;
    await verify(pactFile('temporary', '/307/done', 'POST'), { followRedirects: true });
    expect(received.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'POST /307/done {"n":1}',
      'POST /done {"n":1}',
    ]);
  });

  it('fails the interaction after 10 redirects, naming the option', async () => {
    const result = await verify(pactFile('loop', '/loop'), { followRedirects: true });
    expect(result.success).toBe(false);
    expect(result.pacts[0]!.interactions[0]!.error).toContain('more than 10 times (followRedirects)');
  });

  it('keeps credentials on the same origin only', () => {
    const request = {
      method: 'GET',
      url: 'http://a.test/x',
      headers: { authorization: ['Bearer t'], accept: ['application/json'] },
      body: undefined,
    };
    const moved = (location: string) =>
      redirectOf(request, { status: 302, headers: { location: [location] }, body: Buffer.alloc(0) });
    expect(moved('/y')?.headers).toEqual(request.headers);
    expect(moved('http://b.test/y')?.headers).toEqual({ accept: ['application/json'] });
    expect(redirectOf(request, { status: 200, headers: { location: ['/y'] }, body: Buffer.alloc(0) })).toBe(
      undefined,
    );
  });
});
