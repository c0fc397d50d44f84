import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CovenantError } from '@covenant/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StubServer } from './stub-server.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'covenant-stub-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
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
});
