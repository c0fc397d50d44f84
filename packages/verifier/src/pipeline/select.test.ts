import { pactFromJson } from '@covenant/core';
import { describe, expect, it } from 'vitest';
import type { VerifierOptions } from '../options.js';
import type { PactToVerify } from '../sources.js';
import { resolveConfig } from './config.js';
import { isSelected, selectPacts } from './select.js';

const options: VerifierOptions = {
  provider: 'Orders',
  providerBaseUrl: 'http://127.0.0.1:8080',
  pactUrls: ['pacts/'],
  reporters: [],
};

/** A pact from `consumer` with the HTTP interactions described (given the states named). */
function pactFrom(
  consumer: string,
  interactions: Array<{ description: string; states?: string[] }>,
): PactToVerify {
  const pact = pactFromJson(
    {
      consumer: { name: consumer },
      provider: { name: 'Orders' },
      interactions: interactions.map((i) => ({
        type: 'Synchronous/HTTP',
        description: i.description,
        providerStates: (i.states ?? []).map((name) => ({ name })),
        request: { method: 'GET', path: '/orders' },
        response: { status: 200 },
      })),
      metadata: { pactSpecification: { version: '4.0' } },
    },
    `pacts/${consumer}-orders.json`,
  );
  return {
    pact,
    source: `pacts/${consumer}-orders.json`,
    pending: false,
    wip: false,
    notices: [],
    hal: undefined,
  };
}

const web = pactFrom('Web', [{ description: 'a list of orders', states: ['orders exist'] }]);
const mobile = pactFrom('Mobile', [{ description: 'an empty list' }]);

describe('selectPacts', () => {
  it('keeps the pacts of the consumers filtered for', () => {
    const config = resolveConfig({ ...options, filter: { consumer: 'Mobile' } }, {});
    expect(selectPacts(config, [web, mobile])).toEqual([mobile]);
  });

  it('refuses a consumer filter that selects none of the pacts found, naming the consumers', () => {
    const config = resolveConfig(options, { PACT_CONSUMER: 'Webb' });
    expect(() => selectPacts(config, [web, mobile])).toThrow(
      expect.objectContaining({
        code: 'COV_VERIFIER_NO_PACTS',
        detail:
          'the consumer filter (Webb) selects none of the 2 pacts for Orders, whose consumers are Web, Mobile',
      }),
    );
  });

  it('refuses no pacts at all unless failIfNoPactsFound is false', () => {
    expect(() => selectPacts(resolveConfig(options, {}), [])).toThrow(
      /COV_VERIFIER_NO_PACTS: no pacts found for Orders/,
    );
    expect(selectPacts(resolveConfig({ ...options, failIfNoPactsFound: false }, {}), [])).toEqual([]);
  });

  it('refuses filters that select no interaction, even when no pacts is allowed', () => {
    const config = resolveConfig(
      { ...options, failIfNoPactsFound: false, filter: { state: 'no orders' } },
      {},
    );
    expect(() => selectPacts(config, [web, mobile])).toThrow(
      /the filters \(state 'no orders'\) select none of the 2 interactions in 2 pacts for Orders/,
    );
  });

  it('refuses selected HTTP interactions when there is no providerBaseUrl to send them to', () => {
    const { providerBaseUrl: _none, ...withoutBaseUrl } = options;
    const config = resolveConfig({ ...withoutBaseUrl, messageProviders: {} }, {});
    expect(() => selectPacts(config, [web])).toThrow(
      /COV_VERIFIER_OPTIONS_INVALID: pacts\/Web-orders.json has HTTP interactions, but no providerBaseUrl/,
    );
  });
});

describe('isSelected', () => {
  const [withState] = web.pact.interactions;
  const [withoutState] = mobile.pact.interactions;

  it('applies the description, state and no-state filters', () => {
    const filters = (filter: NonNullable<VerifierOptions['filter']>) =>
      resolveConfig({ ...options, filter }, {}).filters;
    expect(isSelected(withState!, filters({ description: 'a list of .*' }))).toBe(true);
    expect(isSelected(withState!, filters({ description: 'a list' }))).toBe(false);
    expect(isSelected(withState!, filters({ state: 'orders exist' }))).toBe(true);
    expect(isSelected(withoutState!, filters({ state: 'orders exist' }))).toBe(false);
    expect(isSelected(withState!, filters({ noState: true }))).toBe(false);
    expect(isSelected(withoutState!, filters({ noState: true }))).toBe(true);
  });
});
