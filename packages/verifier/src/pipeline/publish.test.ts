import { pactFromJson } from '@covenant/core';
import { describe, expect, it } from 'vitest';
import type { PactResult } from '../result.js';
import type { PactToVerify } from '../sources.js';
import { resolveConfig } from './config.js';
import { resultPublisher, verificationResultBody } from './publish.js';

const source = (hal: PactToVerify['hal']): PactToVerify => ({
  pact: pactFromJson(
    {
      consumer: { name: 'Web' },
      provider: { name: 'Orders' },
      interactions: [],
      metadata: { pactSpecification: { version: '4.0' } },
    },
    'web-orders.json',
  ),
  source: hal
    ? 'http://127.0.0.1:9292/pacts/provider/Orders/consumer/Web/version/1'
    : 'pacts/web-orders.json',
  pending: false,
  wip: false,
  notices: [],
  hal,
});

const pactResult = (): PactResult => ({
  consumer: 'Web',
  provider: 'Orders',
  source: 'pacts/web-orders.json',
  pending: true,
  wip: false,
  notices: [],
  success: true,
  published: false,
  interactions: [
    {
      description: 'a list of orders',
      providerStates: [],
      id: 'abc',
      status: 'pending-failed',
      pending: true,
      mismatches: [
        {
          category: 'status',
          code: 'STATUS_MISMATCH',
          path: '',
          message: 'expected 200, got 500',
          expected: 200,
          actual: 500,
        },
      ],
      error: undefined,
      warnings: [],
      comments: [],
      testName: undefined,
      durationMs: 1,
    },
  ],
});

const options = {
  provider: 'Orders',
  providerBaseUrl: 'http://127.0.0.1:8080',
  pactUrls: ['pacts/'],
  reporters: [],
};
const fromBroker = {
  _links: { 'pb:publish-verification-results': { href: 'http://127.0.0.1:9292/results' } },
};

describe('resultPublisher', () => {
  it('does nothing when publishing was not asked for', async () => {
    const publish = resultPublisher(resolveConfig(options, {}), { pacts: [], broker: undefined });
    const result = pactResult();
    await publish(source(undefined), result);
    expect(result.published).toBe(false);
    expect(result.interactions[0]!.warnings).toEqual([]);
  });

  it('keeps back the result of a pact read from a file, saying why', async () => {
    const config = resolveConfig({ ...options, publish: { providerVersion: '1' } }, {});
    const result = pactResult();
    await resultPublisher(config, { pacts: [], broker: undefined })(source(undefined), result);
    expect(result.published).toBe(false);
    expect(result.interactions[0]!.warnings).toEqual([
      'results for pacts/web-orders.json were not published: only pacts fetched from a broker can be',
    ]);
  });

  it('keeps back the result of a filtered run, which verified only part of the pact', async () => {
    const config = resolveConfig(
      { ...options, publish: { providerVersion: '1' } },
      { PACT_DESCRIPTION: 'a list.*' },
    );
    const result = pactResult();
    await resultPublisher(config, { pacts: [], broker: undefined })(source(fromBroker), result);
    expect(result.published).toBe(false);
    expect(result.interactions[0]!.warnings[0]).toMatch(
      /the filters \(description 'a list\.\*'\) verified only part/,
    );
  });
});

describe('verificationResultBody', () => {
  it('reports a pending failure as a failure to the broker, with the mismatches', () => {
    expect(
      verificationResultBody(pactResult(), { providerVersion: '1.0.0', buildUrl: 'http://ci/1' }),
    ).toEqual({
      success: false,
      providerApplicationVersion: '1.0.0',
      buildUrl: 'http://ci/1',
      testResults: [
        {
          interactionId: 'abc',
          interactionDescription: 'a list of orders',
          success: false,
          mismatches: [{ attribute: 'status', identifier: '', description: 'expected 200, got 500' }],
        },
      ],
      verifiedBy: { implementation: 'Covenant', version: '0.1.0' },
    });
  });
});
