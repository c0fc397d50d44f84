import { describe, expect, it } from 'vitest';
import { REDACTED, redactHeaders, redactRequest, redactText, redactWebhookUrl, secretsOf } from './redact.js';

describe('redactHeaders', () => {
  it('stars credential headers and keeps the others', () => {
    expect(
      redactHeaders({
        Authorization: 'Bearer abc',
        'Proxy-Authorization': 'Basic xyz',
        'X-Api-Key': 'k',
        'PRIVATE-TOKEN': 't',
        Cookie: 'session=1',
        'X-Hub-Signature': 's',
        'Content-Type': 'application/json',
        Accept: 'application/vnd.github+json',
      }),
    ).toEqual({
      Authorization: REDACTED,
      'Proxy-Authorization': REDACTED,
      'X-Api-Key': REDACTED,
      'PRIVATE-TOKEN': REDACTED,
      Cookie: REDACTED,
      'X-Hub-Signature': REDACTED,
      'Content-Type': 'application/json',
      Accept: 'application/vnd.github+json',
    });
  });
});

describe('redactWebhookUrl', () => {
  it.each([
    ['https://ci:s3cret@ci.example.com/build', `https://ci:${REDACTED}@ci.example.com/build`],
    ['https://ghp_token1234@ci.example.com/x', `https://${REDACTED}@ci.example.com/x`],
    [
      'https://ci.example.com/build?token=abc&job=a%20b&private_token=zz#frag',
      `https://ci.example.com/build?token=${REDACTED}&job=a%20b&private_token=${REDACTED}#frag`,
    ],
    ['https://ci.example.com/build?job=x', 'https://ci.example.com/build?job=x'],
    ['not a url', 'not a url'],
  ])('%s → %s', (url, shown) => {
    expect(redactWebhookUrl(url)).toBe(shown);
  });
});

describe('redactRequest and redactText', () => {
  const request = {
    method: 'POST',
    url: 'https://ci.example.com/build?token=url-secret-1',
    headers: { Authorization: 'Bearer header-secret-2', 'Content-Type': 'application/json' },
    body: '{"echo":"header-secret-2","pw":"basic-secret-3"}',
    username: 'ci',
    password: 'basic-secret-3',
  };

  it('leaves none of the secrets in what it shows', () => {
    const shown = JSON.stringify(redactRequest(request));
    for (const secret of ['url-secret-1', 'header-secret-2', 'basic-secret-3'])
      expect(shown).not.toContain(secret);
    expect(shown).toContain('application/json');
    expect(redactRequest(request)).not.toHaveProperty('password');
  });

  it('finds the secrets a response could echo, the basic-auth token included', () => {
    const secrets = secretsOf(request);
    const basic = Buffer.from('ci:basic-secret-3').toString('base64');
    const echoed = `got Basic ${basic}, Bearer header-secret-2 and ?token=url-secret-1`;
    const shown = redactText(echoed, secrets);
    for (const secret of [basic, 'header-secret-2', 'url-secret-1']) expect(shown).not.toContain(secret);
    expect(shown).toContain('got Basic');
  });
});
