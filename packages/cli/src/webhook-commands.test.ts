import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import {
  caller,
  cleanEnv,
  close,
  listen,
  pactBrokerBin,
  runCli,
  startTestBroker,
  tempDir,
} from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The webhook commands through the built binaries, against a real broker. */
let broker: Awaited<ReturnType<typeof startTestBroker>>;
let env: Record<string, string>;
const dir = tempDir();
const call = caller(() => broker.url);

beforeAll(async () => {
  // webhooks may reach receivers on 127.0.0.1 over http, and nothing else
  broker = await startTestBroker([
    '--webhook-host-whitelist',
    '127.0.0.1',
    '--webhook-scheme-whitelist',
    'http https',
  ]);
  env = cleanEnv({ PACT_BROKER_BASE_URL: broker.url });
  for (const name of ['Web', 'Orders'])
    expect((await runCli(['create-or-update-pacticipant', '--name', name], { env })).code).toBe(0);
}, 30_000);
afterAll(async () => {
  await broker.stop();
  dir.remove();
});

const cli = (...args: string[]) => runCli(args, { env, cwd: dir.path });

async function webhookNamed(description: string) {
  const list = await call('GET', '/webhooks');
  // each link's name is the webhook's description
  const link = (list.json._links['pb:webhooks'] as Array<{ name: string; href: string }>).find(
    (l) => l.name === description,
  );
  expect(link, `a webhook titled ${description}`).toBeDefined();
  return (await call('GET', link!.href)).json;
}

describe('create-webhook', { timeout: 60_000 }, () => {
  it('creates a webhook with the official flags: events, headers, JSON body, credentials, scope', async () => {
    const run = await cli(
      'create-webhook',
      'https://ci.example.com/build?pact=${pactbroker.pactUrl}',
      '-X',
      'post',
      '-H',
      'Content-Type: application/json',
      'Authorization: token s3cret-token',
      '-d',
      '{"state":"${pactbroker.githubVerificationStatus}"}',
      '--user',
      'ci:pass:word',
      '--consumer',
      'Web',
      '--provider-label',
      'team-b',
      '--description',
      'status for Web',
      '--provider-verification-published',
      '--contract-requiring-verification-published',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Webhook "status for Web" created');
    const webhook = await webhookNamed('status for Web');
    expect(webhook.consumer).toEqual({ name: 'Web' });
    expect(webhook.provider).toEqual({ label: 'team-b' });
    expect(webhook.events).toEqual([
      { name: 'provider_verification_published' },
      { name: 'contract_requiring_verification_published' },
    ]);
    expect(webhook.request).toMatchObject({
      method: 'POST',
      url: 'https://ci.example.com/build?pact=${pactbroker.pactUrl}',
      body: { state: '${pactbroker.githubVerificationStatus}' },
      username: 'ci',
      headers: { 'Content-Type': 'application/json' },
    });
    // the broker never shows the secrets back
    expect(JSON.stringify(webhook)).not.toContain('s3cret-token');
    expect(JSON.stringify(webhook)).not.toContain('pass:word');
  });

  it('reads the body from a file with -d @file, keeping text that is not JSON as text', async () => {
    writeFileSync(join(dir.path, 'body.txt'), 'consumer=${pactbroker.consumerName}');
    const run = await cli(
      'create-webhook',
      'https://ci.example.com/text',
      '-d',
      '@body.txt',
      '--description',
      'text body',
      '--contract-published',
    );
    expect(run.code).toBe(0);
    expect((await webhookNamed('text body')).request.body).toBe('consumer=${pactbroker.consumerName}');
  });

  it('runs as pact-broker too', async () => {
    const run = await runCli(
      [
        'create-webhook',
        'https://ci.example.com/alias',
        '--description',
        'from the alias',
        '--contract-content-changed',
      ],
      { env, binary: pactBrokerBin },
    );
    expect(run.code).toBe(0);
    expect((await webhookNamed('from the alias')).events).toEqual([{ name: 'contract_content_changed' }]);
  });

  it.each([
    [['https://ci.example.com/x'], 'give at least one event'],
    [
      ['https://ci.example.com/x', '--contract-published', '--consumer', 'Web', '--consumer-label', 'a'],
      '--consumer or --consumer-label',
    ],
    [['https://ci.example.com/x', '--contract-published', '-d', '@missing.json'], 'missing.json'],
    [['https://ci.example.com/x', '--contract-published', '-H', 'no colon'], "'Name: value'"],
  ])('refuses %j with COV_CLI_OPTIONS_INVALID', async (args, fact) => {
    const run = await cli('create-webhook', ...args);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('COV_CLI_OPTIONS_INVALID');
    expect(run.stderr).toContain(fact);
  });

  it("reports the broker's refusal of a templated host, without a stack trace", async () => {
    const run = await cli(
      'create-webhook',
      'https://${pactbroker.consumerName}.example.com/',
      '--contract-published',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('COV_BROKER_CLIENT_REQUEST_FAILED');
    expect(run.stderr).toContain('400');
    expect(run.stderr).toMatch(/host/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('create-or-update-webhook, delete-webhook, generate-uuid', { timeout: 60_000 }, () => {
  it('creates a webhook under a generated uuid, updates it, then deletes it', async () => {
    const first = await cli('generate-uuid');
    const second = await cli('generate-uuid');
    const uuid = first.stdout.trim();
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second.stdout.trim()).not.toBe(uuid);

    const base = [
      'create-or-update-webhook',
      'https://ci.example.com/build',
      '--uuid',
      uuid,
      '--provider',
      'Orders',
    ];
    const created = await cli(...base, '--description', 'build Orders', '--contract-content-changed');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Webhook "build Orders" created');
    const updated = await cli(...base, '--description', 'build Orders v2', '--contract-published');
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain('Webhook "build Orders v2" updated');
    const stored = await call('GET', `/webhooks/${uuid}`);
    expect(stored.json).toMatchObject({
      description: 'build Orders v2',
      events: [{ name: 'contract_published' }],
    });

    const deleted = await cli('delete-webhook', '--uuid', uuid);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain(`Webhook ${uuid} deleted`);
    expect((await call('GET', `/webhooks/${uuid}`)).status).toBe(404);
    const again = await cli('delete-webhook', '--uuid', uuid);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('404');
  });
});

describe('test-webhook', { timeout: 60_000 }, () => {
  it('runs the webhook now, prints the log and fails when the target does', async () => {
    let status = 200;
    const bodies: string[] = [];
    const target = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        bodies.push(body);
        response.writeHead(status).end('build queued');
      });
    });
    const url = await listen(target);
    try {
      const uuid = 'test-webhook-uuid-0001';
      const created = await cli(
        'create-or-update-webhook',
        `${url}/build`,
        '--uuid',
        uuid,
        '--request',
        'POST',
        '--data',
        '{"who":"${pactbroker.consumerName}"}',
        '--user',
        'ci:s3cret-pass',
        '--contract-published',
        '--consumer',
        'Web',
      );
      expect(created.code, created.stderr).toBe(0);
      const run = await cli('test-webhook', '--uuid', uuid);
      expect(run.code, run.stderr).toBe(0);
      expect(bodies).toEqual(['{"who":"Web"}']);
      expect(run.stdout).toContain(`POST ${url}/build`);
      expect(run.stdout).toContain('Response: 200');
      expect(run.stdout).toContain('build queued'); // a host allowlist is set: the body is shown
      expect(run.stdout).not.toContain('s3cret-pass');
      status = 503;
      const failing = await cli('test-webhook', '--uuid', uuid);
      expect(failing.code).toBe(1);
      expect(failing.stdout).toContain('Response: 503');
      const missing = await cli('test-webhook', '--uuid', 'no-such-webhook-0000');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('404');
    } finally {
      await close(target);
    }
  });
});
