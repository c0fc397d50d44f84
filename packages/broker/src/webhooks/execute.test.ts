import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeWebhook, integrationWebhookStatus, statusSummary } from './execute.js';
import { DEFAULT_WEBHOOK_POLICY, hostRule } from './policy.js';

let server: http.Server;
let url: string;
let hits = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () =>
      res.writeHead(200, { 'set-cookie': 'sid=cookie-secret' }).end(`seen ${req.headers.authorization}`),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const policy = { ...DEFAULT_WEBHOOK_POLICY, schemes: ['http'], hosts: [hostRule('127.0.0.1')] };
const data = { eventName: 'contract_published', consumer: { name: 'Web' }, provider: { name: 'Orders' } };
const template = () => ({
  method: 'POST',
  url: `${url}/hook?consumer=\${pactbroker.consumerName}&token=url-secret-77`,
  headers: { Authorization: 'Bearer header-secret-66' },
  body: { consumer: '${pactbroker.consumerName}' },
});

describe('executeWebhook', () => {
  it('runs the request once and answers the reference shape, secrets starred', async () => {
    const result = await executeWebhook(template(), data, { policy, showResponseBody: true });
    expect(result.success).toBe(true);
    expect(result.request).toMatchObject({ method: 'POST', body: '{"consumer":"Web"}' });
    expect(result.request.url).toContain('consumer=Web');
    expect(result.response).toMatchObject({ status: 200, body: 'seen **********' });
    expect(result.logs).toContain('Response: 200');
    const everything = JSON.stringify(result);
    for (const secret of ['url-secret-77', 'header-secret-66', 'cookie-secret'])
      expect(everything).not.toContain(secret);
  });

  it('leaves the response body out without showResponseBody, and reports a refusal', async () => {
    const hidden = await executeWebhook(template(), data, { policy, showResponseBody: false });
    expect(hidden.response).not.toHaveProperty('body');
    const before = hits;
    const refused = await executeWebhook({ ...template(), url: 'http://127.0.0.2:1/x' }, data, {
      policy,
      showResponseBody: true,
    });
    expect(refused).toMatchObject({ success: false });
    expect(refused.response).toBeUndefined();
    expect(refused.logs).toContain('Not sent: 127.0.0.2 is not in the webhook host allowlist');
    expect(hits).toBe(before);
  });
});

describe('status summaries', () => {
  it('counts triggered webhooks by state', () => {
    expect(statusSummary(['success', 'failure', 'not_run', 'retrying', 'success'])).toEqual({
      successful: 2,
      failed: 1,
      notRun: 1,
      retrying: 1,
    });
  });

  it.each([
    [false, [], 'none'],
    [true, [], 'not_run'],
    [true, ['not_run', 'not_run'], 'not_run'],
    [true, ['success', 'not_run'], 'retrying'],
    [true, ['success', 'retrying', 'failure'], 'retrying'],
    [true, ['success', 'success'], 'success'],
    [true, ['success', 'failure'], 'failure'],
  ] as const)('hasWebhooks %s, latest %j → %s', (hasWebhooks, latest, status) => {
    expect(integrationWebhookStatus(hasWebhooks, latest)).toBe(status);
  });
});
