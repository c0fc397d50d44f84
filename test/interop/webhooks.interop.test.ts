// The official `pact-broker` CLI's webhook commands against Covenant's broker: what they send is
// accepted and stored as they meant it, and Covenant's own commands work on the result.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker, webhookPolicyFromEnv } from '../../packages/broker/dist/index.js';

process.env.PACT_DO_NOT_TRACK = 'true';
const require = createRequire(import.meta.url);
const officialCli = join(
  dirname(require.resolve('@pact-foundation/pact-cli/package.json')),
  'bin',
  'pact-broker.js',
);
const covenantCli = join(import.meta.dirname, '..', '..', 'packages', 'cli', 'dist', 'bin.js');

const dir = mkdtempSync(join(tmpdir(), 'covenant-webhooks-interop-'));
let broker: RunningBroker;

function run(binary: string, args: string[]): Promise<{ status: number | null; out: string }> {
  const connection = args[0] === 'generate-uuid' ? [] : ['--broker-base-url', broker.url, '--retries', '0'];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binary, ...args, ...connection], {
      env: { ...process.env, PACT_DO_NOT_TRACK: 'true', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('exit', (status) => resolve({ status, out }));
  });
}
const official = (...args: string[]) => run(officialCli, args);
const covenant = (...args: string[]) => run(covenantCli, args);

const get = async (path: string) => (await fetch(`${broker.url}${path}`)).json();

beforeAll(async () => {
  // webhooks may reach 127.0.0.1 over http (the receiver of test-webhook), and nothing else
  const webhookPolicy = webhookPolicyFromEnv({
    PACT_BROKER_WEBHOOK_HOST_WHITELIST: '127.0.0.1',
    PACT_BROKER_WEBHOOK_SCHEME_WHITELIST: 'http https',
  });
  broker = await startBroker({ port: 0, database: join(dir, 'broker.sqlite'), webhookPolicy });
  const created = await fetch(`${broker.url}/pacticipants`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Web' }),
  });
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the official webhook commands against Covenant', { timeout: 60_000 }, () => {
  it('test-webhook runs a webhook Covenant stored, against a receiver on 127.0.0.1', async () => {
    const bodies: string[] = [];
    const target = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        bodies.push(body);
        response.end('queued');
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/build`;
      const uuid = 'official-test-webhook-0001';
      const created = await official(
        'create-or-update-webhook',
        url,
        '--uuid',
        uuid,
        '--request',
        'POST',
        '--data',
        '{"consumer":"${pactbroker.consumerName}"}',
        '--consumer',
        'Web',
        '--contract-published',
      );
      expect(created.status, created.out).toBe(0);
      const tested = await official('test-webhook', '--uuid', uuid);
      expect(tested.status, tested.out).toBe(0);
      expect(bodies).toEqual(['{"consumer":"Web"}']);
    } finally {
      await new Promise((resolve) => target.close(resolve));
    }
  });

  it('create-webhook stores the webhook with its headers, body, credentials, scope and events', async () => {
    const created = await official(
      'create-webhook',
      'https://ci.example.com/build?pact=${pactbroker.pactUrl}',
      '-X',
      'POST',
      '-H',
      'Content-Type: application/json',
      'Authorization: Bearer official-secret',
      '-d',
      '{"consumer":"${pactbroker.consumerName}"}',
      '--user',
      'ci:official-password',
      '--consumer',
      'Web',
      '--description',
      'made by the official CLI',
      '--contract-requiring-verification-published',
      '--provider-verification-published',
    );
    expect(created.out).not.toMatch(/❌|error/i);
    expect(created.status).toBe(0);
    const list = await get('/webhooks');
    const stored = list._embedded.webhooks.find(
      (w: { description: string }) => w.description === 'made by the official CLI',
    );
    expect(stored.events).toHaveLength(2);
    expect(stored).toMatchObject({
      consumer: { name: 'Web' },
      events: expect.arrayContaining([
        { name: 'contract_requiring_verification_published' },
        { name: 'provider_verification_published' },
      ]),
      request: {
        method: 'POST',
        url: 'https://ci.example.com/build?pact=${pactbroker.pactUrl}',
        body: { consumer: '${pactbroker.consumerName}' },
        username: 'ci',
        headers: { 'Content-Type': 'application/json' },
      },
    });
    expect(JSON.stringify(list)).not.toContain('official-secret');
    expect(JSON.stringify(list)).not.toContain('official-password');
  });

  it('create-or-update-webhook creates then replaces, and Covenant and the official CLI delete', async () => {
    const uuid = (await covenant('generate-uuid')).out.trim();
    const args = ['create-or-update-webhook', '--uuid', uuid, '-X', 'POST', '--contract-published'];
    expect((await official(...args.slice(0, 1), 'https://ci.example.com/a', ...args.slice(1))).status).toBe(
      0,
    );
    expect((await official(...args.slice(0, 1), 'https://ci.example.com/b', ...args.slice(1))).status).toBe(
      0,
    );
    expect((await get(`/webhooks/${uuid}`)).request.url).toBe('https://ci.example.com/b');
    const deleted = await official('delete-webhook', '--uuid', uuid);
    expect(deleted.status).toBe(0);
    expect((await fetch(`${broker.url}/webhooks/${uuid}`)).status).toBe(404);

    // Covenant's command on a webhook the official CLI made
    expect((await official(...args.slice(0, 1), 'https://ci.example.com/c', ...args.slice(1))).status).toBe(
      0,
    );
    const byCovenant = await covenant('delete-webhook', '--uuid', uuid);
    expect(byCovenant.out).toContain(`Webhook ${uuid} deleted`);
    expect((await fetch(`${broker.url}/webhooks/${uuid}`)).status).toBe(404);
  });
});
