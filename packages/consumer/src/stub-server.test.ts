import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CovenantError, readPact } from '@covenant/core';
import { selfSignedCertificate, tempDirEachTest } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { StubServer } from './stub-server.js';

let dir: string;
tempDirEachTest('covenant-stub-', (path) => {
  dir = path;
});

const pact = {
  consumer: { name: 'Web' },
  provider: { name: 'UserService' },
  interactions: [
    {
      type: 'Synchronous/HTTP',
      description: 'a request for UserA',
      request: { method: 'GET', path: '/users/UserA' },
      response: {
        status: 200,
        headers: { 'Content-Type': ['application/json'] },
        body: { content: { name: 'UserA', id: 'x' }, contentType: 'application/json', encoded: false },
        generators: { body: { '$.id': { type: 'Uuid' } } },
      },
    },
    {
      type: 'Synchronous/HTTP',
      description: 'a search',
      request: { method: 'GET', path: '/users', query: { q: ['A'] } },
      response: { status: 200, body: { content: [], contentType: 'application/json', encoded: false } },
    },
    {
      type: 'Asynchronous/Messages',
      description: 'an event',
      contents: { content: 'x', contentType: 'text/plain', encoded: false },
    },
  ],
  metadata: { pactSpecification: { version: '4.0' } },
};

describe('StubServer', () => {
  it('serves the HTTP interactions of pact files on a real socket', async () => {
    const file = join(dir, 'web-userservice.json');
    await writeFile(file, JSON.stringify(pact));
    const stub = await StubServer.start({ pactFiles: [file] });
    try {
      expect(stub.interactions).toHaveLength(2);
      const user = await fetch(`${stub.info.url}/users/UserA`);
      expect(user.status).toBe(200);
      const body = (await user.json()) as { name: string; id: string };
      expect(body.name).toBe('UserA');
      expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await (await fetch(`${stub.info.url}/users?q=A`)).json()).toEqual([]);
      const miss = await fetch(`${stub.info.url}/users?q=B`);
      expect(miss.status).toBe(500);
      const why = (await miss.json()) as { error: string; mismatches: Array<{ code: string }> };
      expect(why.error).toContain("does not match interaction 'a search'");
      expect(why.mismatches[0]?.code).toBe('QUERY_MISMATCH');
    } finally {
      await stub.stop();
    }
  });

  it('says which file it cannot read, and refuses pacts without HTTP interactions', async () => {
    await expect(StubServer.start({ pactFiles: [join(dir, 'missing.json')] })).rejects.toThrow(
      /COV_CONSUMER_STUB_START_FAILED: cannot read the pact file .*missing.json/,
    );
    const messagesOnly = join(dir, 'm.json');
    await writeFile(messagesOnly, JSON.stringify({ ...pact, interactions: [pact.interactions[2]] }));
    const error = await StubServer.start({ pactFiles: [messagesOnly] }).catch((e: unknown) => e);
    expect((error as CovenantError).code).toBe('COV_CONSUMER_STUB_START_FAILED');
  });

  it('refuses a TLS key or certificate that is not PEM, or a pair that does not belong together, before listening', async () => {
    const pair = async (name: string) => {
      const { key, cert } = selfSignedCertificate(dir, name);
      return { key, cert };
    };
    const one = await pair('one');
    const other = await pair('other');
    const failure = (tls: { key: string; cert: string }, tlsFiles?: { key: string; cert: string }) =>
      StubServer.start({
        pacts: [readPact(JSON.stringify(pact))],
        port: 0,
        tls,
        ...(tlsFiles ? { tlsFiles } : {}),
      }).then(
        async (stub) => {
          await stub.stop();
          return { code: 'started', message: '' };
        },
        (e: CovenantError) => ({ code: e.code, message: e.message }),
      );
    const cases: Array<[{ key: string; cert: string }, string]> = [
      [{ key: 'not a key', cert: one.cert }, 'tls.key is not a private key in PEM'],
      [{ key: one.key, cert: one.key }, 'tls.cert is not a certificate in PEM'],
      [{ key: one.key, cert: other.cert }, 'tls.cert is not for tls.key'],
    ];
    for (const [tls, fact] of cases) {
      const result = await failure(tls);
      expect(result.code, fact).toBe('COV_CONSUMER_STUB_TLS_INVALID');
      expect(result.message).toContain(fact);
    }
    // the files they came from are named when given
    const named = await failure({ key: one.key, cert: other.cert }, { key: 'k.pem', cert: 'c.pem' });
    expect(named.message).toContain('the TLS certificate c.pem is not for the TLS key k.pem');
    expect((await failure(one)).code).toBe('started');
  });
});
