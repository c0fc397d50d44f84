import { describe, expect, it } from 'vitest';
import {
  renderRequest,
  TEMPLATE_PARAMETERS,
  type TemplateData,
  templateParameters,
  webhookUrlProblem,
} from './template.js';

const data: TemplateData = {
  eventName: 'provider_verification_published',
  consumer: { name: 'Web App', labels: ['team-a', 'frontend'] },
  provider: { name: 'Orders', labels: ['team-b'] },
  pactUrl: 'http://broker/pacts/provider/Orders/consumer/Web%20App/pact-version/abc/metadata/xyz',
  consumerVersion: { number: 'c0ffee', branch: 'feat/x', tags: ['dev', 'feat-x'], buildUrl: 'http://ci/c/1' },
  providerVersion: { number: 'beef01', branch: 'main', tags: ['prod'] },
  providerVersionDescriptions: ['latest version from main branch', 'deployed to production'],
  verification: { success: true, url: 'http://broker/verification-results/7', buildUrl: 'http://ci/p/9' },
  currentlyDeployedProviderVersionNumber: 'beef00',
};

describe('templateParameters', () => {
  it('gives every parameter of the reference broker a value from the data', () => {
    const parameters = templateParameters(data);
    expect(Object.keys(parameters).sort()).toEqual([...TEMPLATE_PARAMETERS].sort());
    expect(parameters).toEqual({
      pactUrl: data.pactUrl,
      verificationResultUrl: 'http://broker/verification-results/7',
      eventName: 'provider_verification_published',
      consumerName: 'Web App',
      providerName: 'Orders',
      consumerVersionNumber: 'c0ffee',
      consumerVersionTags: 'dev, feat-x',
      consumerVersionBranch: 'feat/x',
      consumerLabels: 'team-a, frontend',
      providerVersionNumber: 'beef01',
      providerVersionTags: 'prod',
      providerVersionBranch: 'main',
      providerVersionDescriptions: 'latest version from main branch, deployed to production',
      providerLabels: 'team-b',
      githubVerificationStatus: 'success',
      gitlabVerificationStatus: 'success',
      bitbucketVerificationStatus: 'SUCCESSFUL',
      azureDevOpsVerificationStatus: 'succeeded',
      buildUrl: 'http://ci/p/9',
      currentlyDeployedProviderVersionNumber: 'beef00',
    });
  });

  it('names the CI statuses of a failed verification and of none yet', () => {
    const failed = templateParameters({ ...data, verification: { success: false, url: 'u' } });
    expect([
      failed.githubVerificationStatus,
      failed.gitlabVerificationStatus,
      failed.bitbucketVerificationStatus,
      failed.azureDevOpsVerificationStatus,
    ]).toEqual(['failure', 'failed', 'FAILED', 'failed']);
    const { verification: _none, ...published } = data;
    const pending = templateParameters({ ...published, eventName: 'contract_published' });
    expect([
      pending.githubVerificationStatus,
      pending.gitlabVerificationStatus,
      pending.bitbucketVerificationStatus,
      pending.azureDevOpsVerificationStatus,
    ]).toEqual(['pending', 'pending', 'INPROGRESS', 'pending']);
    // no verification: the build is the consumer's
    expect(pending.buildUrl).toBe('http://ci/c/1');
    expect(pending.verificationResultUrl).toBe('');
  });

  it('gives empty strings for data a webhook run without a pact lacks', () => {
    const bare = templateParameters({
      eventName: 'contract_published',
      consumer: { name: 'A' },
      provider: { name: 'B' },
    });
    expect(bare.pactUrl).toBe('');
    expect(bare.consumerVersionTags).toBe('');
    expect(bare.providerVersionNumber).toBe('');
  });
});

describe('renderRequest', () => {
  it('fills every parameter in the URL (encoded), the headers and a JSON body', () => {
    const all = Object.fromEntries(TEMPLATE_PARAMETERS.map((p) => [p, `\${pactbroker.${p}}`]));
    const request = renderRequest(
      {
        method: 'POST',
        url: 'https://ci.example.com/build?consumer=${pactbroker.consumerName}&pact=${pactbroker.pactUrl}',
        headers: {
          'X-Consumer': '${pactbroker.consumerName}',
          'X-Status': '${pactbroker.githubVerificationStatus}',
        },
        body: { all, nested: ['${pactbroker.providerName} at ${pactbroker.providerVersionNumber}'], n: 1 },
        username: 'ci',
        password: 'secret',
      },
      data,
    );
    expect(request.url).toBe(
      `https://ci.example.com/build?consumer=Web%20App&pact=${encodeURIComponent(data.pactUrl!)}`,
    );
    expect(request.headers).toEqual({ 'X-Consumer': 'Web App', 'X-Status': 'success' });
    const body = JSON.parse(request.body!);
    expect(body.all).toEqual(templateParameters(data));
    expect(body.nested).toEqual(['Orders at beef01']);
    expect(body.n).toBe(1);
    expect(request).toMatchObject({ username: 'ci', password: 'secret' });
  });

  it('keeps a JSON body valid whatever the values hold, and fills a string body as text', () => {
    const tricky = { ...data, consumer: { name: 'a "quoted"\n\\ name' } };
    const json = renderRequest(
      { method: 'POST', url: 'https://x/', body: { name: '${pactbroker.consumerName}' } },
      tricky,
    );
    expect(JSON.parse(json.body!).name).toBe('a "quoted"\n\\ name');
    const text = renderRequest(
      { method: 'POST', url: 'https://x/', body: 'consumer=${pactbroker.consumerName}' },
      data,
    );
    expect(text.body).toBe('consumer=Web App');
  });

  it('keeps a header on one line and leaves unknown placeholders as written', () => {
    const request = renderRequest(
      { method: 'POST', url: 'https://x/${pactbroker.nope}', headers: { X: '${pactbroker.consumerName}' } },
      { ...data, consumer: { name: 'evil\r\nInjected: yes' } },
    );
    expect(request.headers!.X).toBe('evil Injected: yes');
    expect(request.url).toBe('https://x/${pactbroker.nope}');
  });
});

describe('webhookUrlProblem', () => {
  it.each([
    'https://ci.example.com/build?pact=${pactbroker.pactUrl}',
    'https://ci.example.com:8443/${pactbroker.consumerName}/build',
    'http://${pactbroker.consumerName}@ci.example.com/',
  ])('accepts %s', (url) => {
    expect(webhookUrlProblem(url)).toBeUndefined();
  });

  it.each([
    ['https://${pactbroker.consumerName}.example.com/', 'host'],
    ['https://ci.example.${pactbroker.providerName}/', 'host'],
    ['https://${pactbroker.pactUrl}', 'host'],
    ['ftp://ci.example.com/', 'http or https'],
    ['not a url', 'Invalid URL'],
    ['https://ci.example.com/\tx', 'Invalid URL'],
  ])('refuses %s', (url, fact) => {
    expect(webhookUrlProblem(url)).toContain(fact);
  });
});
