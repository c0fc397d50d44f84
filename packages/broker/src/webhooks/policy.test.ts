import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockedRangeOf, parseIp, parseRange } from './address.js';
import { DEFAULT_WEBHOOK_POLICY, hostRefusal, hostRule, webhookPolicyFromEnv } from './policy.js';

describe('webhookPolicyFromEnv', () => {
  it("keeps the reference broker's defaults when nothing is set", () => {
    const policy = webhookPolicyFromEnv({});
    expect(policy.methods).toEqual(['POST']);
    expect(policy.schemes).toEqual(['https']);
    expect(policy.hosts).toEqual([]);
    expect(policy.retrySchedule).toEqual([10, 60, 120, 300, 600, 1200]);
    expect(policy.successCodes).toEqual([200, 201, 202, 203, 204, 205, 206]);
    expect(webhookPolicyFromEnv({ PACT_BROKER_WEBHOOK_RETRY_SCHEDULE: '  ' })).toEqual(policy);
  });

  it('reads every variable, lists space-separated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'covenant-policy-'));
    const pem = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    writeFileSync(join(dir, 'ca.pem'), pem);
    const policy = webhookPolicyFromEnv({
      PACT_BROKER_WEBHOOK_HTTP_METHOD_WHITELIST: 'post put',
      PACT_BROKER_WEBHOOK_SCHEME_WHITELIST: 'http https',
      PACT_BROKER_WEBHOOK_HOST_WHITELIST:
        'ci.example.com *.example.org /^build-\\d+$/ 10.1.2.3 10.0.0.0/8 fd00::/8',
      PACT_BROKER_WEBHOOK_RETRY_SCHEDULE: '1 2 3',
      PACT_BROKER_WEBHOOK_HTTP_CODE_SUCCESS: '200 204',
      PACT_BROKER_WEBHOOK_CERTIFICATES: join(dir, 'ca.pem'),
      PACT_BROKER_DISABLE_SSL_VERIFICATION: 'true',
      PACT_BROKER_USER_AGENT: 'My Broker',
    });
    expect(policy.methods).toEqual(['POST', 'PUT']);
    expect(policy.schemes).toEqual(['http', 'https']);
    expect(policy.hosts.map((h) => h.kind)).toEqual(['name', 'wildcard', 'regex', 'range', 'range', 'range']);
    expect(policy.retrySchedule).toEqual([1, 2, 3]);
    expect(policy.successCodes).toEqual([200, 204]);
    expect(policy.certificates).toEqual([pem]);
    expect(policy.disableSslVerification).toBe(true);
    expect(policy.userAgent).toBe('My Broker');
  });

  it.each([
    ['PACT_BROKER_WEBHOOK_RETRY_SCHEDULE', '10 soon'],
    ['PACT_BROKER_WEBHOOK_HTTP_CODE_SUCCESS', '200 2xx'],
    ['PACT_BROKER_WEBHOOK_SCHEME_WHITELIST', 'ftp'],
    ['PACT_BROKER_WEBHOOK_HOST_WHITELIST', '10.0.0.0/33'],
    ['PACT_BROKER_WEBHOOK_HOST_WHITELIST', '/[unclosed/'],
    ['PACT_BROKER_WEBHOOK_HOST_WHITELIST', 'bad_host!'],
    ['PACT_BROKER_DISABLE_SSL_VERIFICATION', 'maybe'],
    ['PACT_BROKER_WEBHOOK_CERTIFICATES', '/nonexistent/ca.pem'],
  ])('refuses %s=%s with COV_BROKER_CONFIG_INVALID naming the variable', (variable, value) => {
    expect(() => webhookPolicyFromEnv({ [variable]: value })).toThrow(
      expect.objectContaining({
        code: 'COV_BROKER_CONFIG_INVALID',
        message: expect.stringContaining(variable),
      }),
    );
  });
});

describe('addresses', () => {
  it('parses IPv4, IPv6, bracketed and zoned forms, and nothing else', () => {
    expect(parseIp('127.0.0.1')).toEqual({ version: 4, value: 0x7f000001n });
    expect(parseIp('[::1]')).toEqual({ version: 6, value: 1n });
    expect(parseIp('fe80::1%eth0')?.value).toBe((0xfe80n << 112n) | 1n);
    expect(parseIp('::ffff:1.2.3.4')?.value).toBe(0xffff01020304n);
    expect(parseIp('1:2:3:4:5:6:7:8')?.value).toBe(0x00010002000300040005000600070008n);
    expect(parseIp('example.com')).toBeUndefined();
    expect(parseIp('2130706433')).toBeUndefined();
  });

  it('blocks private and special ranges and lets public addresses through', () => {
    for (const blocked of ['127.0.0.1', '10.0.0.1', '169.254.169.254', '::', '::ffff:192.168.1.1', 'ff02::1'])
      expect(blockedRangeOf(parseIp(blocked)!), blocked).toBeDefined();
    for (const open of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '100.128.0.1', '172.32.0.1'])
      expect(blockedRangeOf(parseIp(open)!), open).toBeUndefined();
  });

  it('normalises a CIDR base and refuses malformed ranges', () => {
    expect(parseRange('10.1.2.3/8')?.base).toBe(0x0a000000n);
    expect(parseRange('10.0.0.0/8/1')).toBeUndefined();
    expect(parseRange('::/129')).toBeUndefined();
  });
});

describe('hostRefusal', () => {
  const policy = (...entries: string[]) => ({
    ...DEFAULT_WEBHOOK_POLICY,
    hosts: entries.map((e) => hostRule(e)),
  });

  it('matches *.domain on subdomains only, and names case-insensitively', () => {
    expect(hostRefusal(policy('*.example.com'), 'ci.example.com', '93.184.216.34')).toBeUndefined();
    expect(hostRefusal(policy('*.example.com'), 'example.com', '93.184.216.34')?.rule).toBe('host');
    expect(hostRefusal(policy('*.example.com'), 'evil-example.com', '93.184.216.34')?.rule).toBe('host');
    expect(hostRefusal(policy('CI.Example.com'), 'ci.example.com', '93.184.216.34')).toBeUndefined();
  });

  it('lets an IPv4 entry cover the IPv4-mapped form of its address', () => {
    expect(hostRefusal(policy('127.0.0.1'), '::ffff:127.0.0.1', '::ffff:127.0.0.1')).toBeUndefined();
  });
});
