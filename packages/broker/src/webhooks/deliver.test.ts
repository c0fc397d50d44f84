import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCertificate } from '@covenant/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectAttempt, deliver, type Lookup, type OutgoingRequest } from './deliver.js';
import { DEFAULT_WEBHOOK_POLICY, hostRule, type WebhookPolicy } from './policy.js';

/** A receiver on a loopback address that counts the connections made to it and records requests. */
interface Receiver {
  url: string;
  port: number;
  connections: number;
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

async function receiver(
  host: string,
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.end('ok'),
  server: http.Server = http.createServer(),
): Promise<Receiver> {
  const state: Receiver = {
    url: '',
    port: 0,
    connections: 0,
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  server.on('connection', () => state.connections++);
  server.on('request', (req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      state.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `${server instanceof https.Server ? 'https' : 'http'}://${host}:${state.port}`;
  return state;
}

const policy = (changes: Partial<WebhookPolicy> = {}, hosts = ['127.0.0.1']): WebhookPolicy => ({
  ...DEFAULT_WEBHOOK_POLICY,
  schemes: ['http', 'https'],
  hosts: hosts.map((h) => hostRule(h)),
  ...changes,
});

/**
 * Records connection attempts and vetoes any that would leave loopback, so even a broken check
 * cannot make a test reach a private or public address.
 */
function recorder() {
  const attempts: ConnectAttempt[] = [];
  const onConnect = (a: ConnectAttempt) => {
    attempts.push(a);
    if (!/^127\./.test(a.address) && a.address !== '::1')
      throw new Error(`test guard: not loopback: ${a.address}`);
  };
  return { attempts, onConnect };
}

const fixedLookup =
  (address: string, family = address.includes(':') ? 6 : 4): Lookup =>
  async () => ({ address, family });

let allowed: Receiver;
let blocked: Receiver;
const extra: Receiver[] = [];

beforeAll(async () => {
  allowed = await receiver('127.0.0.1', (req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { Location: `${blocked.url}/took-redirect` }).end();
      return;
    }
    if (req.url === '/fail') {
      res.writeHead(500).end('broken');
      return;
    }
    if (req.url === '/big') {
      res.writeHead(200).end('x'.repeat(200_000));
      return;
    }
    if (req.url === '/slow') return; // never answers
    res.writeHead(201, { 'content-type': 'text/plain' }).end('built');
  });
  blocked = await receiver('127.0.0.2');
});
afterAll(async () => {
  await allowed.close();
  await blocked.close();
});
afterEach(async () => {
  for (const r of extra.splice(0)) await r.close();
});

const post = (url: string, more: Partial<OutgoingRequest> = {}): OutgoingRequest => ({
  method: 'POST',
  url,
  ...more,
});

describe('deliver', () => {
  it('sends the request to an allowed host with the delivery id, user agent and basic auth', async () => {
    const { attempts, onConnect } = recorder();
    const result = await deliver(
      post(`${allowed.url}/build?x=1`, {
        headers: { 'Content-Type': 'application/json' },
        body: '{"a":1}',
        username: 'ci',
        password: 's3cret',
      }),
      { policy: policy(), onConnect, deliveryId: 'delivery-123' },
    );
    expect(result.success).toBe(true);
    expect(result.response).toMatchObject({ status: 201, body: 'built', truncated: false });
    const seen = allowed.requests.at(-1)!;
    expect(seen).toMatchObject({ method: 'POST', url: '/build?x=1', body: '{"a":1}' });
    expect(seen.headers['x-pact-broker-webhook-delivery-id']).toBe('delivery-123');
    expect(seen.headers['user-agent']).toBe(DEFAULT_WEBHOOK_POLICY.userAgent);
    expect(seen.headers.authorization).toBe(`Basic ${Buffer.from('ci:s3cret').toString('base64')}`);
    expect(attempts).toEqual([{ host: '127.0.0.1', address: '127.0.0.1', port: allowed.port }]);
  });

  it("sets Host, framing and delivery-id headers itself, whatever the webhook's headers say", async () => {
    const result = await deliver(
      post(`${allowed.url}/h`, {
        headers: {
          host: 'internal.admin',
          'Transfer-Encoding': 'chunked',
          'x-pact-broker-webhook-delivery-id': 'forged',
          'X-Kept': 'yes',
        },
        body: 'abc',
      }),
      { policy: policy(), deliveryId: 'real-id' },
    );
    expect(result.success).toBe(true);
    const seen = allowed.requests.at(-1)!;
    expect(seen.headers.host).toBe(`127.0.0.1:${allowed.port}`);
    expect(seen.headers['transfer-encoding']).toBeUndefined();
    expect(seen.headers['content-length']).toBe('3');
    expect(seen.headers['x-pact-broker-webhook-delivery-id']).toBe('real-id');
    expect(seen.headers['x-kept']).toBe('yes');
    expect(seen.body).toBe('abc');
  });

  it('counts a status outside the success codes as a failure, and honours configured codes', async () => {
    const failed = await deliver(post(`${allowed.url}/fail`), { policy: policy() });
    expect(failed).toMatchObject({ success: false, response: { status: 500, body: 'broken' } });
    const created = await deliver(post(`${allowed.url}/ok`), { policy: policy({ successCodes: [200] }) });
    expect(created).toMatchObject({ success: false, response: { status: 201 } });
  });

  it('refuses a loopback address the allowlist does not name, before any connection', async () => {
    const { attempts, onConnect } = recorder();
    const before = blocked.connections;
    const result = await deliver(post(`${blocked.url}/x`), { policy: policy(), onConnect });
    expect(result.refusal?.rule).toBe('host');
    expect(attempts).toEqual([]);
    expect(blocked.connections).toBe(before);
  });

  it('refuses loopback by default when there is no host allowlist at all', async () => {
    const { attempts, onConnect } = recorder();
    const before = blocked.connections;
    const result = await deliver(post(`${blocked.url}/x`), { policy: policy({}, []), onConnect });
    expect(result.refusal).toMatchObject({ rule: 'blocked-address' });
    expect(result.refusal?.message).toContain('127.0.0.0/8');
    expect(attempts).toEqual([]);
    expect(blocked.connections).toBe(before);
  });

  it('reaches a blocked range when an IP or CIDR entry names it', async () => {
    const result = await deliver(post(`${blocked.url}/x`), { policy: policy({}, ['127.0.0.0/30']) });
    expect(result.success).toBe(true);
  });

  it.each([
    ['10.1.2.3', '10.0.0.0/8'],
    ['172.20.0.1', '172.16.0.0/12'],
    ['192.168.1.1', '192.168.0.0/16'],
    ['169.254.169.254', '169.254.0.0/16'],
    ['100.64.0.1', '100.64.0.0/10'],
    ['0.0.0.0', '0.0.0.0/8'],
    ['::1', '::1/128'],
    ['fd00::1', 'fc00::/7'],
    ['fe80::1', 'fe80::/10'],
    ['::ffff:10.0.0.1', '10.0.0.0/8'],
    ['::ffff:169.254.169.254', '169.254.0.0/16'],
    ['::ffff:7f00:1', '127.0.0.0/8'],
    ['64:ff9b::a00:1', '10.0.0.0/8'],
    ['2002:c0a8:101::1', '192.168.0.0/16'],
  ])('refuses a name resolving to %s (in %s) with no connection attempt', async (address, range) => {
    const { attempts, onConnect } = recorder();
    const result = await deliver(post('https://ci.example.com/build'), {
      policy: policy({}, []),
      lookup: fixedLookup(address),
      onConnect,
    });
    expect(result.refusal).toMatchObject({ rule: 'blocked-address' });
    expect(result.refusal?.message).toContain(range);
    expect(attempts).toEqual([]);
  });

  it('refuses a name resolving to a private address even when the name is allowlisted', async () => {
    const { attempts, onConnect } = recorder();
    const result = await deliver(post('https://ci.example.com/build'), {
      policy: policy({}, ['ci.example.com', '*.example.com', '/^ci\\./']),
      lookup: fixedLookup('192.168.0.10'),
      onConnect,
    });
    expect(result.refusal?.rule).toBe('blocked-address');
    expect(attempts).toEqual([]);
  });

  it.each([
    'http://2130706433:PORT/x', // decimal
    'http://0177.0.0.1:PORT/x', // octal
    'http://0x7f.0.0.1:PORT/x', // hex
    'http://127.1:PORT/x', // short
    'http://[::ffff:127.0.0.1]:PORT/x', // IPv4-mapped IPv6
    'http://[::1]:PORT/x',
    'http://localhost:PORT/x',
  ])('refuses %s with no host allowlist, before any connection', async (template) => {
    const { attempts, onConnect } = recorder();
    const before = allowed.connections;
    const result = await deliver(post(template.replace('PORT', String(allowed.port))), {
      policy: policy({}, []),
      onConnect,
    });
    expect(result.refusal?.rule).toBe('blocked-address');
    expect(attempts).toEqual([]);
    expect(allowed.connections).toBe(before);
  });

  it('connects to the address it checked, whatever a later resolution would say', async () => {
    // the name is never resolved by the system: only the injected lookup answers, once
    const calls: string[] = [];
    const lookup: Lookup = async (name) => {
      calls.push(name);
      return { address: '127.0.0.1', family: 4 };
    };
    const { attempts, onConnect } = recorder();
    const result = await deliver(post(`http://ci.invalid:${allowed.port}/build`), {
      policy: policy({}, ['127.0.0.1']),
      lookup,
      onConnect,
    });
    expect(result.success).toBe(true);
    expect(calls).toEqual(['ci.invalid']);
    expect(attempts).toEqual([{ host: 'ci.invalid', address: '127.0.0.1', port: allowed.port }]);
    expect(allowed.requests.at(-1)!.headers.host).toBe(`ci.invalid:${allowed.port}`);
  });

  it('checks an IP written in the URL itself, never a lookup of it', async () => {
    const { attempts, onConnect } = recorder();
    const before = blocked.connections;
    const result = await deliver(post(`${blocked.url}/x`), {
      policy: policy({}, ['127.0.0.1']),
      lookup: fixedLookup('127.0.0.1'),
      onConnect,
    });
    expect(result.refusal?.rule).toBe('host');
    expect(attempts).toEqual([]);
    expect(blocked.connections).toBe(before);
  });

  it('matches name entries against the URL host and IP entries against the resolved address', async () => {
    const byName = await deliver(post(`http://ci.example.com:${allowed.port}/a`), {
      policy: policy({}, ['*.example.com', '127.0.0.1']),
      lookup: fixedLookup('127.0.0.1'),
    });
    expect(byName.success).toBe(true);
    const nameOnly = await deliver(post(`http://ci.example.com:${allowed.port}/a`), {
      policy: policy({}, ['other.example.com', '127.0.0.1/32']),
      lookup: fixedLookup('127.0.0.2'),
    });
    expect(nameOnly.refusal?.rule).toBe('host');
    const notListed = await deliver(post('https://elsewhere.org/a'), {
      policy: policy({}, ['*.example.com']),
      lookup: fixedLookup('93.184.216.34'),
      onConnect: recorder().onConnect,
    });
    expect(notListed.refusal?.rule).toBe('host');
  });

  it('refuses a method or scheme outside the allowlists before resolving', async () => {
    let resolved = 0;
    const lookup: Lookup = async () => {
      resolved++;
      return { address: '127.0.0.1', family: 4 };
    };
    const method = await deliver({ method: 'DELETE', url: `${allowed.url}/x` }, { policy: policy(), lookup });
    expect(method.refusal?.rule).toBe('method');
    const scheme = await deliver(post(`${allowed.url}/x`), {
      policy: policy({ schemes: ['https'] }),
      lookup,
    });
    expect(scheme.refusal?.rule).toBe('scheme');
    expect(resolved).toBe(0);
  });

  it('does not follow a redirect', async () => {
    const before = blocked.connections;
    const result = await deliver(post(`${allowed.url}/redirect`), { policy: policy() });
    expect(result).toMatchObject({ success: false, response: { status: 302 } });
    expect(blocked.connections).toBe(before);
  });

  it('reads at most maxResponseBytes of the response', async () => {
    const result = await deliver(post(`${allowed.url}/big`), { policy: policy({ maxResponseBytes: 1000 }) });
    expect(result.success).toBe(true);
    expect(result.response?.body.length).toBe(1000);
    expect(result.response?.truncated).toBe(true);
  });

  it('gives up on a response that does not come within the response timeout', async () => {
    const result = await deliver(post(`${allowed.url}/slow`), { policy: policy({ responseTimeoutMs: 200 }) });
    expect(result.success).toBe(false);
    expect(result.error).toContain('200 ms');
  });

  it('reports a refused connection and an unresolvable name as errors, without throwing', async () => {
    const closed = await receiver('127.0.0.1');
    const url = `${closed.url}/x`;
    await closed.close();
    const refused = await deliver(post(url), { policy: policy() });
    expect(refused.error).toMatch(/ECONNREFUSED/);
    const unresolved = await deliver(post('https://ci.example.com/x'), {
      policy: policy(),
      lookup: async () => {
        throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      },
    });
    expect(unresolved.error).toBe('cannot resolve ci.example.com: ENOTFOUND');
  });

  describe('https', () => {
    const dir = mkdtempSync(join(tmpdir(), 'covenant-webhook-tls-'));
    const { key, cert } = selfSignedCertificate(dir);

    it('trusts a custom CA certificate, refuses an unknown one, and can skip verification', async () => {
      const secure = await receiver(
        '127.0.0.1',
        (_req, res) => res.end('secure'),
        https.createServer({ key, cert }),
      );
      extra.push(secure);
      const untrusted = await deliver(post(`${secure.url}/x`), { policy: policy() });
      expect(untrusted.success).toBe(false);
      expect(untrusted.error).toMatch(/self[- ]signed/i);
      const trusted = await deliver(post(`${secure.url}/x`), { policy: policy({ certificates: [cert] }) });
      expect(trusted).toMatchObject({ success: true, response: { status: 200, body: 'secure' } });
      const unverified = await deliver(post(`${secure.url}/x`), {
        policy: policy({ disableSslVerification: true, successCodes: [200] }),
      });
      expect(unverified.success).toBe(true);
    });
  });
});
