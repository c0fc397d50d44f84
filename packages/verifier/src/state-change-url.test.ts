import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyProvider } from './verify.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real provider whose state-change endpoint answers `stateStatus` and records every call. */
async function provider(stateStatus: number) {
  const stateCalls: Array<{ state: string; action: string }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/states') {
        stateCalls.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.statusCode = stateStatus;
        res.end('{}');
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stateCalls };
}

function pactWithState(states: Array<{ name: string }> = [{ name: 'state one' }]): string {
  const dir = mkdtempSync(join(tmpdir(), 'covenant-teardown-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'c-p.json');
  writeFileSync(
    file,
    JSON.stringify({
      consumer: { name: 'c' },
      provider: { name: 'p' },
      interactions: [
        {
          description: 'a request',
          providerStates: states,
          request: { method: 'GET', path: '/thing' },
          response: { status: 200, body: { ok: true } },
        },
      ],
      metadata: { pactSpecification: { version: '3.0.0' } },
    }),
  );
  return file;
}

/** Verifies a pact with the given states against `url`, its state changes sent to `url`/states. */
function verifyWithStateChangeUrl(url: string, states?: Array<{ name: string }>) {
  return verifyProvider({
    provider: 'p',
    providerBaseUrl: url,
    pactUrls: [pactWithState(states)],
    stateChangeUrl: `${url}/states`,
    reporters: [],
  });
}

describe('provider state calls to the state-change URL', () => {
  it('tears down a state whose setup succeeded', async () => {
    const { url, stateCalls } = await provider(200);
    const result = await verifyWithStateChangeUrl(url);
    expect(result.success).toBe(true);
    expect(stateCalls.map((c) => c.action)).toEqual(['setup', 'teardown']);
  });

  it('does not tear down a state whose setup failed, and reports the failed setup', async () => {
    const { url, stateCalls } = await provider(500);
    const result = await verifyWithStateChangeUrl(url);
    expect(result.success).toBe(false);
    expect(result.pacts[0]?.interactions[0]?.error).toMatch(/^State change request failed/);
    expect(stateCalls.map((c) => c.action)).toEqual(['setup']);
  });

  it('calls the URL with the empty state for an interaction without provider states', async () => {
    const { url, stateCalls } = await provider(200);
    const result = await verifyWithStateChangeUrl(url, []);
    expect(result.success).toBe(true);
    expect(stateCalls).toEqual([
      { state: '', params: {}, action: 'setup' },
      { state: '', params: {}, action: 'teardown' },
    ]);
    expect(result.pacts[0]?.interactions[0]?.warnings).toEqual([]);
  });

  it('makes no state call and no warning for an interaction without states when no URL is set', async () => {
    const { url, stateCalls } = await provider(200);
    const result = await verifyProvider({
      provider: 'p',
      providerBaseUrl: url,
      pactUrls: [pactWithState([])],
      reporters: [],
    });
    expect(result.success).toBe(true);
    expect(stateCalls).toEqual([]);
    expect(result.pacts[0]?.interactions[0]?.warnings).toEqual([]);
  });
});

describe('tearing down after a later state failed to set up', () => {
  it('tears down exactly the in-process states that were set up, in reverse order', async () => {
    const { url } = await provider(200);
    const log: string[] = [];
    const logged = (name: string, fails = false) => ({
      setup: () => {
        log.push(`setup ${name}`);
        if (fails) throw new Error(`${name} is broken`);
      },
      teardown: () => {
        log.push(`teardown ${name}`);
      },
    });
    const result = await verifyProvider({
      provider: 'p',
      providerBaseUrl: url,
      pactUrls: [pactWithState([{ name: 'A' }, { name: 'B' }, { name: 'C' }])],
      stateHandlers: { A: logged('A'), B: logged('B'), C: logged('C', true) },
      reporters: [],
    });
    expect(result.success).toBe(false);
    expect(result.pacts[0]?.interactions[0]?.error).toBe(
      "State change request failed: the state handler for 'C' failed: C is broken",
    );
    expect(log).toEqual(['setup A', 'setup B', 'setup C', 'teardown B', 'teardown A']);
  });

  it('tears down an in-process state when the state-change URL fails the next one', async () => {
    const { url, stateCalls } = await provider(500);
    const log: string[] = [];
    const result = await verifyProvider({
      provider: 'p',
      providerBaseUrl: url,
      pactUrls: [pactWithState([{ name: 'A' }, { name: 'B' }])],
      stateHandlers: {
        A: { setup: () => void log.push('setup A'), teardown: () => void log.push('teardown A') },
      },
      stateChangeUrl: `${url}/states`,
      reporters: [],
    });
    expect(result.success).toBe(false);
    expect(log).toEqual(['setup A', 'teardown A']);
    // B's setup failed at the URL, so the URL gets no teardown for it
    expect(stateCalls).toEqual([{ state: 'B', params: {}, action: 'setup' }]);
  });
});
