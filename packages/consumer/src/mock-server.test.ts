import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { SynchronousHttpInteraction } from '@covenant/core';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestBuilder, ResponseBuilder } from './http-builders.js';
import { type Matcher, regex } from './matchers.js';
import { MockServer } from './mock-server.js';

function interaction(
  description: string,
  path: string | Matcher<string>,
  status = 200,
  headers: Record<string, string> = {},
): SynchronousHttpInteraction {
  const request = new RequestBuilder();
  if (Object.keys(headers).length > 0) request.headers(headers);
  return {
    type: 'Synchronous/HTTP',
    description,
    providerStates: [],
    pending: false,
    request: request.build('GET', path),
    response: new ResponseBuilder().build(status),
  };
}

/** A GET over node:http; with an agent, `reused` says whether it rode an existing connection. */
function get(
  url: string,
  options: { agent?: http.Agent; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: options.agent ?? false, headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          reused: req.reusedSocket,
        }),
      );
    });
    req.on('error', reject);
  });
}

const started: MockServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function lease(interactions: SynchronousHttpInteraction[], options = {}) {
  const server = await MockServer.lease(interactions, options);
  started.push(server);
  return server;
}

describe('MockServer pool (executeTest servers)', () => {
  it('gives each concurrent test a server of its own, and a later test an idle one again', async () => {
    const [a, b] = await Promise.all([lease([interaction('a', '/a')]), lease([interaction('b', '/b')])]);
    expect(a.info.port).not.toBe(b.info.port);
    expect((await get(`${a.info.url}/a`)).status).toBe(200);
    expect((await get(`${b.info.url}/a`)).status).toBe(500);
    await a.stop();
    await b.stop();

    const next = await lease([interaction('c', '/c')]);
    expect([a.info.port, b.info.port]).toContain(next.info.port);
    expect(next.info.id).not.toBe(a.info.id);
    expect((await get(`${next.info.url}/c`)).status).toBe(200);
    expect(next.problems()).toEqual([]);
  });

  it("keeps a keep-alive client's connection for the next test on the same server", async () => {
    const agent = new http.Agent({ keepAlive: true });
    try {
      const first = await lease([interaction('first', '/first')]);
      expect((await get(`${first.info.url}/first`, { agent })).reused).toBe(false);
      await first.stop();
      const second = await lease([interaction('second', '/second')]);
      expect(second.info.port).toBe(first.info.port);
      const answer = await get(`${second.info.url}/second`, { agent });
      expect(answer).toMatchObject({ status: 200, reused: true });
      expect(first.problems()).toEqual([]);
      expect(second.problems()).toEqual([]);
    } finally {
      agent.destroy();
    }
  });

  it('answers a request sent after its test ended with a 500, and does not count it against any test', async () => {
    const ended = await lease([interaction('ended', '/ended')]);
    await get(`${ended.info.url}/ended`);
    await ended.stop();
    const late = await get(`${ended.info.url}/ended`);
    expect(late.status).toBe(500);
    expect(JSON.parse(late.body).error).toMatch(/no test was using this mock server/);
    expect(ended.problems()).toEqual([]);
    expect(ended.history().filter((e) => e.kind === 'request')).toHaveLength(1);
  });

  it('closes, rather than pools, a server whose request was still arriving when its test ended', async () => {
    const server = await lease([interaction('upload', '/upload')]);
    const req = http.request(`${server.info.url}/upload`, { method: 'POST', agent: false });
    const closed = new Promise<string>((resolve) => {
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      req.on('response', () => resolve('answered'));
    });
    req.write('the first half of a body');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.stop();
    expect(await closed).toBe('ECONNRESET');
    await expect(get(`${server.info.url}/upload`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('hands a listener prepared ahead of time to the first lease', async () => {
    MockServer.prepare({ host: '127.0.0.1' });
    const first = await lease([interaction('first', '/first')]);
    expect((await get(`${first.info.url}/first`)).status).toBe(200);
    expect(first.problems()).toEqual([]);
  });

  it('leaves a failed prepared listen to the lease, which reports it', async () => {
    // a documentation address (TEST-NET-3): never one of this machine's interfaces
    MockServer.prepare({ host: '203.0.113.1' });
    await expect(lease([], { host: '203.0.113.1' })).rejects.toMatchObject({
      code: 'COV_CONSUMER_MOCK_START_FAILED',
    });
  });

  it("lets a process that made a Pact and ran no test exit at once (the prepared listener is unref'd)", () => {
    const started = Date.now();
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { Pact } from '@covenant/consumer'; new Pact({ consumer: 'c', provider: 'p', logLevel: 'off' });",
      ],
      { cwd: import.meta.dirname, encoding: 'utf8', timeout: 10_000 },
    );
    expect(child.status, child.stderr).toBe(0);
    // well before the idle listener would close by itself
    expect(Date.now() - started).toBeLessThan(1900);
  });

  it('starts a server of its own for a fixed port, and closes it on stop', async () => {
    const probe = await MockServer.start([]);
    const port = probe.info.port;
    await probe.stop();
    const fixed = await lease([interaction('fixed', '/fixed')], { port });
    expect(fixed.info.port).toBe(port);
    await fixed.stop();
    await expect(get(`${fixed.info.url}/fixed`)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('MockServer matching', () => {
  it('matches in registration order among literal and matcher paths, with many interactions registered', async () => {
    const many = Array.from({ length: 500 }, (_, i) => interaction(`item ${i}`, `/items/${i}`, 200));
    const server = await lease([
      interaction('by pattern, with a header', regex(/\/items\/\d+/, '/items/1'), 201, {
        'X-Kind': 'pattern',
      }),
      ...many,
      interaction('literal, with a header', '/items/7', 202, { 'X-Kind': 'literal' }),
    ]);
    expect((await get(`${server.info.url}/items/7`, { headers: { 'X-Kind': 'pattern' } })).status).toBe(201);
    expect((await get(`${server.info.url}/items/7`)).status).toBe(200);
    expect((await get(`${server.info.url}/items/499`)).status).toBe(200);
    const unmatched = await get(`${server.info.url}/items/1000`);
    expect(unmatched.status).toBe(500);
    expect(JSON.parse(unmatched.body).error).toMatch(/does not match interaction/);
  });
});
