import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokerAnswers, brokerSettings, ensureBroker } from './broker.js';

const dir = mkdtempSync(join(tmpdir(), 'covenant-examples-broker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the examples broker', () => {
  it("has the seed's defaults and takes the PACT_BROKER_* variables", () => {
    expect(brokerSettings({})).toMatchObject({
      url: 'http://localhost:9292',
      username: 'pactbroker',
      password: 'pactbroker',
    });
    expect(brokerSettings({}).database).toMatch(/examples[/\\]broker[/\\]pact_broker\.sqlite$/);
    expect(
      brokerSettings({
        PACT_BROKER_BASE_URL: 'http://localhost:1234/',
        PACT_BROKER_DATABASE_URL: 'x.sqlite',
      }),
    ).toMatchObject({ url: 'http://localhost:1234', database: 'x.sqlite' });
  });

  it('starts a broker when none answers, reuses it when one does, and stops only its own', async () => {
    const settings = {
      ...brokerSettings({}),
      url: `http://localhost:${await freePort()}`,
      database: join(dir, 'broker.sqlite'),
    };
    expect(await brokerAnswers(settings.url)).toBe(false);
    const started = await ensureBroker(settings, { log: () => {} });
    try {
      expect(started.started).toBe(true);
      expect(await brokerAnswers(settings.url)).toBe(true);
      // writes need the seed's credentials; reads are public; the example data is there
      const anonymousWrite = await fetch(`${settings.url}/pacticipants`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Anonymous' }),
      });
      expect([401, 403]).toContain(anonymousWrite.status);
      const write = await fetch(`${settings.url}/pacticipants`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Basic ${Buffer.from('pactbroker:pactbroker').toString('base64')}`,
        },
        body: JSON.stringify({ name: 'Written' }),
      });
      expect(write.status).toBe(201);
      const index = await fetch(`${settings.url}/pacticipants`, {
        headers: { Accept: 'application/hal+json' },
      });
      const names = (
        (await index.json()) as { _embedded: { pacticipants: Array<{ name: string }> } }
      )._embedded.pacticipants.map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['Example App', 'Example API', 'Written']));

      const reused = await ensureBroker(settings, { log: () => {} });
      expect(reused.started).toBe(false);
      await reused.stop();
      expect(await brokerAnswers(settings.url)).toBe(true);
    } finally {
      await started.stop();
    }
    expect(await brokerAnswers(settings.url)).toBe(false);
  });

  it('refuses to start a broker somewhere other than this machine', async () => {
    await expect(
      ensureBroker({ ...brokerSettings({}), url: 'http://broker.invalid:9292' }, { log: () => {} }),
    ).rejects.toThrow(/can only be started on this machine/);
  });
});
