import { describe, expect, it } from 'vitest';
import type { VerifierOptions } from '../options.js';
import { resolveConfig } from './config.js';

const base: VerifierOptions = {
  provider: 'Orders',
  providerBaseUrl: 'http://127.0.0.1:8080',
  pactUrls: ['pacts/'],
  reporters: [],
};

describe('resolveConfig', () => {
  it('reads the PACT_* variables of the env it is given, not process.env', () => {
    const config = resolveConfig(base, {
      PACT_CONSUMER: 'Web',
      PACT_DESCRIPTION: 'a request for .*',
      PACT_PROVIDER_NO_STATE: 'true',
      PACT_BROKER_TOKEN: 'secret',
    });
    expect(config.filters.consumers).toEqual(['Web']);
    expect(config.filters.description?.test('a request for an order')).toBe(true);
    expect(config.filters.description?.test('not a request for an order')).toBe(false);
    expect(config.filters.noState).toBe(true);
    expect(config.filters.given).toEqual(["description 'a request for .*'", 'no provider state']);
    expect(config.sources.envAuth).toEqual({ token: 'secret' });
  });

  it('lets the options win over the variables', () => {
    const config = resolveConfig(
      { ...base, filter: { consumer: ['Mobile', 'Web'], noState: false } },
      {
        PACT_CONSUMER: 'Other',
        PACT_PROVIDER_NO_STATE: 'true',
      },
    );
    expect(config.filters.consumers).toEqual(['Mobile', 'Web']);
    expect(config.filters.noState).toBe(false);
    expect(config.filters.given).toEqual([]);
  });

  it('fills in the defaults and freezes what it returns', () => {
    const config = resolveConfig(base, {});
    expect(config.timeoutMs).toBe(30_000);
    expect(config.failIfNoPactsFound).toBe(true);
    expect(config.states.teardown).toBe(true);
    expect(config.sources.broker).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.filters)).toBe(true);
    expect(Object.isFrozen(config.sources.pactUrls)).toBe(true);
    expect(() => {
      (config as { timeoutMs: number }).timeoutMs = 1;
    }).toThrow(TypeError);
  });

  it('asks the broker for pending pacts by default, for the branch and tags being published', () => {
    const config = resolveConfig(
      {
        ...base,
        pactUrls: [],
        broker: { baseUrl: 'http://127.0.0.1:9292', consumerVersionSelectors: [{ mainBranch: true }] },
        publish: { providerVersion: '1.2.3', providerBranch: 'main', providerTags: ['prod'] },
      },
      {},
    );
    expect(config.sources.broker?.request).toEqual({
      consumerVersionSelectors: [{ mainBranch: true }],
      includePendingStatus: true,
      providerVersionBranch: 'main',
      providerVersionTags: ['prod'],
    });
    // the run's timeout unless the broker's own is given
    expect(config.sources.broker?.client).toMatchObject({
      baseUrl: 'http://127.0.0.1:9292',
      timeoutMs: 30_000,
    });
  });

  it('puts a messageUrl path on providerBaseUrl', () => {
    const config = resolveConfig(
      { ...base, providerBaseUrl: 'http://127.0.0.1:8080/api/', messageUrl: '/_pact/message' },
      {},
    );
    expect(config.messages.url).toBe('http://127.0.0.1:8080/api/_pact/message');
  });

  it.each([
    [{ provider: '' }, /the provider name is missing/],
    [{ providerBaseUrl: undefined }, /nothing to verify against/],
    [{ providerBaseUrl: 'localhost:8080' }, /providerBaseUrl 'localhost:8080' is not an http/],
    [{ pactUrls: [] }, /no pacts to verify/],
    [{ timeoutMs: 0 }, /timeoutMs 0 is not a number of milliseconds/],
    [{ filter: { state: 'a', noState: true } }, /contradict each other/],
    [{ filter: { description: '(' } }, /filter.description '\(' is not a regular expression/],
  ] as Array<[Partial<VerifierOptions>, RegExp]>)('refuses %j with a coded error', (change, message) => {
    expect(() => resolveConfig({ ...base, ...change }, {})).toThrow(
      expect.objectContaining({
        code: 'COV_VERIFIER_OPTIONS_INVALID',
        detail: expect.stringMatching(message),
      }),
    );
  });

  it('refuses TLS material that is no certificate with its own code', () => {
    expect(() => resolveConfig({ ...base, tls: { ca: '-----BEGIN nothing' } }, {})).toThrow(
      expect.objectContaining({
        code: 'COV_VERIFIER_TLS_INVALID',
        detail: expect.stringMatching(/tls.ca is not a PEM certificate/),
      }),
    );
  });

  it('names the variable when a PACT_* filter is not a regular expression', () => {
    expect(() => resolveConfig(base, { PACT_PROVIDER_STATE: '[' })).toThrow(/PACT_PROVIDER_STATE '\['/);
  });
});
