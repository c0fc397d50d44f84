import { brokerHarness, databaseKinds } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { startBroker } from './server.js';

const broker = brokerHarness((database) => startBroker({ port: 0, database }));
const { call } = broker;

const openapi = (idType: string) =>
  JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Orders', version: '1' },
    paths: {
      '/orders/{id}': {
        get: {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'an order',
              content: {
                'application/json': { schema: { type: 'object', properties: { id: { type: idType } } } },
              },
            },
          },
        },
      },
    },
  });

const base64 = (text: string) => Buffer.from(text).toString('base64');

function publishContract(
  version: string,
  spec: string,
  options: { branch?: string; selfVerified?: boolean } = {},
) {
  return call('POST', '/provider-contracts/provider/Orders/publish', {
    pacticipantVersionNumber: version,
    ...(options.branch ? { branch: options.branch } : {}),
    tags: ['dev'],
    contract: {
      content: base64(spec),
      contentType: 'application/json',
      specification: 'oas',
      selfVerificationResults: {
        success: options.selfVerified ?? true,
        content: base64('ok'),
        verifier: 'dredd',
      },
    },
  });
}

function publishPact(version: string, id: unknown) {
  return call('PUT', `/pacts/provider/Orders/consumer/Web/version/${version}`, {
    consumer: { name: 'Web' },
    provider: { name: 'Orders' },
    interactions: [
      {
        description: `get order ${version}`,
        request: { method: 'GET', path: '/orders/1' },
        response: { status: 200, headers: { 'Content-Type': 'application/json' }, body: { id } },
      },
    ],
    metadata: { pactSpecification: { version: '2.0.0' } },
  });
}

const canIDeploy = async (web: string, orders: string) =>
  (
    await call(
      'GET',
      `/matrix?q[][pacticipant]=Web&q[][version]=${web}&q[][pacticipant]=Orders&q[][version]=${orders}&latestby=cvpv`,
    )
  ).json.summary as { deployable: boolean | null; success: number; failed: number };

describe.each(databaseKinds())('provider contracts (%s)', (kind) => {
  broker.runOn(kind);

  it('offers the publish relation in the index, templated as the official CLI expects', async () => {
    const index = await call('GET', '/');
    expect(index.json._links['pf:publish-provider-contract']).toMatchObject({
      href: expect.stringMatching(/\/provider-contracts\/provider\/\{provider\}\/publish$/),
      templated: true,
    });
  });

  it('stores the contract with the version, branch and tags, and answers with the links the CLI reads', async () => {
    const published = await publishContract('1.0.0', openapi('integer'), { branch: 'main' });
    expect(published.status).toBe(200);
    expect(published.json._embedded).toMatchObject({
      pacticipant: { name: 'Orders' },
      version: { number: '1.0.0' },
    });
    expect(Object.keys(published.json._links)).toEqual(
      expect.arrayContaining([
        'pb:pacticipant',
        'pb:pacticipant-version',
        'pb:pacticipant-version-tags',
        'pf:provider-contract',
      ]),
    );
    expect(published.json._links['pb:pacticipant-version-tags']).toEqual([
      expect.objectContaining({ name: 'dev' }),
    ]);
    const version = await call('GET', '/pacticipants/Orders/versions/1.0.0');
    expect(version.json._embedded.branchVersions?.map((b: { name: string }) => b.name) ?? []).toContain(
      'main',
    );
    const contract = await call('GET', published.json._links['pf:provider-contract'].href);
    expect(contract.status).toBe(200);
    expect(contract.json).toMatchObject({ providerVersionNumber: '1.0.0', specification: 'oas' });
    expect(JSON.parse(contract.json.content)).toMatchObject({ openapi: '3.0.3' });
  });

  it('refuses a contract that is not OpenAPI or AsyncAPI, with a coded error naming the field', async () => {
    const refused = await call('POST', '/provider-contracts/provider/Orders/publish', {
      pacticipantVersionNumber: '9',
      contract: { content: base64('{"hello": "world"}'), specification: 'oas' },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain('COV_BROKER_REQUEST_INVALID');
    expect(JSON.stringify(refused.json)).toContain('contract.content');
  });

  it('compares pacts with the contract whichever is published first, and can-i-deploy counts it', async () => {
    expect((await publishPact('1', 7)).status).toBe(201);
    expect((await publishContract('1.0.0', openapi('integer'))).status).toBe(200);
    expect(await canIDeploy('1', '1.0.0')).toMatchObject({ deployable: true, success: 1 });
    // a pact published after the contract: compared with the main branch's newest contract
    await call('PATCH', '/pacticipants/Orders', { mainBranch: 'main' });
    await publishContract('1.1.0', openapi('integer'), { branch: 'main' });
    expect((await publishPact('2', 'seven')).status).toBe(201);
    expect(await canIDeploy('2', '1.1.0')).toMatchObject({ deployable: false, failed: 1 });
    const matrix = await call(
      'GET',
      '/matrix?q[][pacticipant]=Web&q[][version]=2&q[][pacticipant]=Orders&q[][version]=1.1.0',
    );
    const verification = await call('GET', matrix.json.matrix[0].verificationResult._links.self.href);
    expect(verification.json.testResults.comparison.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'response.body.incompatible', type: 'error' }),
      ]),
    );
  });

  it('compares the contract of a provider version a can-i-deploy query names, on main or not', async () => {
    await publishContract('5.0.0', openapi('integer'), { branch: 'feature' });
    await publishPact('5', 5);
    const before = await call('GET', '/pacticipants/Orders/versions/5.0.0');
    expect(before.status).toBe(200);
    expect(await canIDeploy('5', '5.0.0')).toMatchObject({ deployable: true, success: 1 });
  });

  it('shows the contract, and the pact page links each comparison to its results by interaction', async () => {
    const page = async (path: string) => {
      const response = await fetch(path.startsWith('http') ? path : `${broker.url}${path}`, {
        headers: { Accept: 'text/html' },
      });
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      return { status: response.status, text: await response.text() };
    };
    const contract = await page('/provider-contracts/provider/Orders/version/1.1.0');
    expect(contract.status).toBe(200);
    expect(contract.text).toContain('Provider contract of Orders 1.1.0');
    expect(contract.text).toContain('Not compatible');
    expect(contract.text).toContain('&quot;openapi&quot;:&quot;3.0.3&quot;');
    const pact = await page('/pacts/provider/Orders/consumer/Web/version/2');
    expect(pact.text).toContain('Compared with provider contracts');
    const link = /href="([^"]+\/verification-results\/\d+)">results</.exec(pact.text)?.[1];
    expect(link).toBeDefined();
    const results = await page(link!.replaceAll('&amp;', '&'));
    expect(results.status).toBe(200);
    expect(results.text).toContain('get order 2');
    expect(results.text).toContain('response.body.incompatible');
    expect((await page('/provider-contracts/provider/Orders/version/none')).status).toBe(404);
  });

  it("leaves a pact pending for the provider's verifier although a comparison passed", async () => {
    // pact 1 was compared successfully with the main branch's contract 1.0.0 above
    expect(await canIDeploy('1', '1.0.0')).toMatchObject({ deployable: true });
    const forVerification = await call('POST', '/pacts/provider/Orders/for-verification', {
      consumerVersionSelectors: [{ consumer: 'Web', latest: true }, { branch: 'main' }],
      providerVersionBranch: 'main',
      includePendingStatus: true,
    });
    const pacts = forVerification.json._embedded.pacts as Array<{
      verificationProperties: { pending: boolean };
    }>;
    expect(pacts.length).toBeGreaterThan(0);
    expect(pacts.every((p) => p.verificationProperties.pending)).toBe(true);
  });

  it('fails a compatible pact when the self-verification did not pass', async () => {
    await publishPact('3', 7);
    await publishContract('3.0.0', openapi('integer'), { selfVerified: false });
    expect(await canIDeploy('3', '3.0.0')).toMatchObject({ deployable: false, failed: 1 });
  });

  it("judges a provider that also ran the verifier on the verifier's result", async () => {
    const pact = await publishPact('4', 'seven');
    await publishContract('4.0.0', openapi('integer'));
    expect(await canIDeploy('4', '4.0.0')).toMatchObject({ deployable: false });
    const verified = await call('POST', `${pact.json._links['pb:publish-verification-results'].href}`, {
      success: true,
      providerApplicationVersion: '4.0.0',
    });
    expect(verified.status).toBe(201);
    expect(await canIDeploy('4', '4.0.0')).toMatchObject({ deployable: true });
    // a contract republished later does not outrank the verifier's run
    await publishContract('4.0.0', openapi('string'));
    expect(await canIDeploy('4', '4.0.0')).toMatchObject({ deployable: true, success: 1, failed: 0 });
  });
});
