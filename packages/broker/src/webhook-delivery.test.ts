import { createServer, type IncomingHttpHeaders } from 'node:http';
import { brokerHarness, close, databaseKinds, listen, pactFixture } from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker } from './server.js';
import { webhookPolicyFromEnv } from './webhooks/policy.js';

// Webhooks end to end: a real broker on a real socket and database, a real receiver on loopback.

interface Hit {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** An HTTP receiver on 127.0.0.1 that records every request and answers `status()`. */
async function receiver() {
  const hits: Hit[] = [];
  let status = 200;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      hits.push({ url: req.url ?? '', headers: req.headers, body, at: Date.now() });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`received ${hits.length}`);
    });
  });
  const url = await listen(server);
  return {
    url,
    hits,
    answer(code: number) {
      status = code;
    },
    close: () => close(server),
  };
}

async function until<T>(what: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = what();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const ALL_PARAMETERS = [
  'pactUrl',
  'verificationResultUrl',
  'eventName',
  'consumerName',
  'providerName',
  'consumerVersionNumber',
  'consumerVersionTags',
  'consumerVersionBranch',
  'consumerLabels',
  'providerVersionNumber',
  'providerVersionBranch',
  'providerVersionDescriptions',
  'providerLabels',
  'githubVerificationStatus',
  'buildUrl',
];

const SECRET = 'sekrit-token-4711';

describe.each(databaseKinds())('webhook delivery (%s)', (kind) => {
  // a short schedule: two retries, 200 ms apart
  const policy = {
    ...webhookPolicyFromEnv({
      PACT_BROKER_WEBHOOK_HOST_WHITELIST: '127.0.0.1',
      PACT_BROKER_WEBHOOK_SCHEME_WHITELIST: 'http https',
    }),
    retrySchedule: [0.2, 0.2],
  };
  const broker = brokerHarness((database) => startBroker({ port: 0, database, webhookPolicy: policy }));
  const { call } = broker;
  broker.runOn(kind);
  let target: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    target = await receiver();
  });
  afterAll(() => target.close());

  const webhook = (event: string, extra: Record<string, unknown> = {}) =>
    call('POST', '/webhooks', {
      events: [{ name: event }],
      request: {
        method: 'POST',
        url: `${target.url}/${event}?c=\${pactbroker.consumerName}`,
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SECRET}` },
        body: Object.fromEntries(ALL_PARAMETERS.map((p) => [p, `\${pactbroker.${p}}`])),
      },
      ...extra,
    });

  it('delivers every event with its template parameters filled', async () => {
    for (const event of [
      'contract_published',
      'contract_content_changed',
      'contract_requiring_verification_published',
      'provider_verification_published',
      'provider_verification_succeeded',
      'provider_verification_failed',
    ])
      expect((await webhook(event)).status).toBe(201);
    // the provider's main branch head must verify the new pact
    expect((await call('PATCH', '/pacticipants/Api', { mainBranch: 'main' })).status).toBeLessThan(300);
    expect((await call('PUT', '/pacticipants/Api/branches/main/versions/p1', {})).status).toBeLessThan(300);
    await call('PUT', '/pacticipants/Web/labels/frontend', {});
    const published = await call('POST', '/contracts/publish', {
      pacticipantName: 'Web',
      pacticipantVersionNumber: 'c1',
      branch: 'feat-x',
      tags: ['dev'],
      buildUrl: 'https://ci.example/build/1',
      contracts: [
        {
          consumerName: 'Web',
          providerName: 'Api',
          specification: 'pact',
          contentType: 'application/json',
          content: Buffer.from(JSON.stringify(pactFixture())).toString('base64'),
        },
      ],
    });
    expect(published.status).toBe(200);
    const notices = published.json.notices.map((n: { text: string }) => n.text).join('\n');
    expect(notices).toContain(
      'Events detected: contract_published, contract_content_changed, contract_requiring_verification_published',
    );
    expect(notices).toMatch(/See logs at http:\/\/127\.0\.0\.1:\d+\/triggered-webhooks\/[0-9a-f-]{36}\/logs/);
    const byEvent = (event: string) => target.hits.find((h) => h.url.startsWith(`/${event}?`));
    const changed = await until(() => byEvent('contract_content_changed'));
    const body = JSON.parse(changed.body);
    expect(changed.url).toBe('/contract_content_changed?c=Web');
    expect(body).toMatchObject({
      eventName: 'contract_content_changed',
      consumerName: 'Web',
      providerName: 'Api',
      consumerVersionNumber: 'c1',
      consumerVersionBranch: 'feat-x',
      consumerVersionTags: 'dev',
      consumerLabels: 'frontend',
      buildUrl: 'https://ci.example/build/1',
      githubVerificationStatus: 'pending',
    });
    expect(body.pactUrl).toMatch(/\/pacts\/provider\/Api\/consumer\/Web\/pact-version\/[0-9a-f]{40}$/);
    expect(changed.headers['x-pact-broker-webhook-delivery-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(changed.headers.authorization).toBe(`Bearer ${SECRET}`);
    const required = JSON.parse(
      (await until(() => byEvent('contract_requiring_verification_published'))).body,
    );
    expect(required).toMatchObject({
      providerVersionNumber: 'p1',
      providerVersionBranch: 'main',
      providerVersionDescriptions: 'latest version from main branch',
    });
    await until(() => byEvent('contract_published'));

    // a verification: published and failed, with the verification's URL and build
    const verified = await call('POST', `${body.pactUrl}/verification-results`, {
      success: false,
      providerApplicationVersion: 'p1',
      buildUrl: 'https://ci.example/verify/9',
    });
    expect(verified.status).toBe(201);
    const failed = JSON.parse((await until(() => byEvent('provider_verification_failed'))).body);
    expect(failed).toMatchObject({
      eventName: 'provider_verification_failed',
      providerVersionNumber: 'p1',
      githubVerificationStatus: 'failure',
      buildUrl: 'https://ci.example/verify/9',
      verificationResultUrl: verified.json._links.self.href,
    });
    await until(() => byEvent('provider_verification_published'));
    // p1 has now verified this content: publishing it again requires no verification
    const before = target.hits.length;
    expect(
      (await call('PUT', '/pacts/provider/Api/consumer/Web/version/c2', pactFixture())).status,
    ).toBeLessThan(300);
    await until(() => (target.hits.length >= before + 1 ? true : undefined));
    await new Promise((r) => setTimeout(r, 200));
    const later = target.hits.slice(before).map((h) => h.url.split('?')[0]);
    expect(later).toEqual(['/contract_published']);
    expect(target.hits.some((h) => h.url.startsWith('/provider_verification_succeeded'))).toBe(false);
  });

  it('retries a failing target on the schedule, then records success; logs are redacted', async () => {
    target.hits.length = 0;
    target.answer(500);
    await call(
      'PUT',
      '/pacts/provider/Api/consumer/Web/version/c3',
      pactFixture({ interactions: ['retry'] }),
    );
    await until(() =>
      target.hits.filter((h) => h.url.startsWith('/contract_content_changed')).length >= 2 ? true : undefined,
    );
    target.answer(200);
    await until(() =>
      target.hits.filter((h) => h.url.startsWith('/contract_content_changed')).length >= 3 ? true : undefined,
    );
    const hits = target.hits.filter((h) => h.url.startsWith('/contract_content_changed'));
    // the same delivery id on every attempt
    expect(new Set(hits.map((h) => h.headers['x-pact-broker-webhook-delivery-id'])).size).toBe(1);
    const uuid = hits[0]!.headers['x-pact-broker-webhook-delivery-id'] as string;
    const text = await (async () => {
      for (let i = 0; i < 100; i++) {
        const answer = await call('GET', `/triggered-webhooks/${uuid}/logs`);
        if (answer.status === 200 && answer.text.includes('Succeeded')) return answer;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('no successful attempt logged');
    })();
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text.text).toContain('Attempt 1');
    expect(text.text).toContain('Attempt 3');
    expect(text.text).not.toContain(SECRET);
    const status = await call('GET', '/pacts/provider/Api/consumer/Web/webhooks/status');
    expect(status.status).toBe(200);
    expect(JSON.stringify(status.json)).not.toContain(SECRET);
    // the UI: the index's webhook column, and the pact's triggered webhooks with their logs
    const index = await call('GET', '/', undefined, { Accept: 'text/html' });
    expect(index.text).toContain('<th scope="col">Webhook status</th>');
    expect(index.text).toMatch(/data-webhook-status="(success|retrying)"/);
    const page = await call('GET', '/pacts/provider/Api/consumer/Web/webhooks/status', undefined, {
      Accept: 'text/html',
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`id="${uuid}"`);
    expect(page.text).toContain('Attempt 3: succeeded (200)');
    expect(page.text).not.toContain(SECRET);
  });
});
