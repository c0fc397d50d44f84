import { type JsonValue, pactFromJson } from '@covenant/core';
import { describe, expect, it } from 'vitest';
import { diffPacts, diffText } from './pact-diff.js';

type Json = Record<string, unknown>;

/** A V2 pact of one interaction, `get an order`, its parts overridden. */
function pact(overrides: { request?: Json; response?: Json; state?: string } = {}, more: Json[] = []) {
  return pactFromJson({
    consumer: { name: 'Web' },
    provider: { name: 'Orders' },
    interactions: [
      {
        description: 'get an order',
        ...(overrides.state ? { providerState: overrides.state } : {}),
        request: { method: 'GET', path: '/orders/1', ...overrides.request },
        response: {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
          body: { id: 1, total: 9.5 },
          ...overrides.response,
        },
      },
      ...more,
    ],
    metadata: { pactSpecification: { version: '2.0.0' } },
  } as unknown as JsonValue);
}

/** The one line a pair of pacts gives: `[mark] words`. */
const lines = (before: ReturnType<typeof pact>, after: ReturnType<typeof pact>) =>
  diffPacts(before, after).map((c) => `[${c.mark}] ${c.words}`);

const other = {
  description: 'list orders',
  request: { method: 'GET', path: '/orders' },
  response: { status: 200 },
};

describe('diffPacts, one rule a pair of pacts', () => {
  it('sees no change between equal pacts', () => {
    expect(lines(pact(), pact())).toEqual([]);
    expect(diffText([])).toBe('No changes.\n');
  });

  it('marks a new interaction as possibly breaking and a removed one as relaxed', () => {
    expect(diffPacts(pact(), pact({}, [other]))).toEqual([
      { interaction: 'list orders', words: 'new interaction', mark: 'may break the provider' },
    ]);
    expect(diffPacts(pact({}, [other]), pact())).toEqual([
      { interaction: 'list orders', words: 'interaction removed', mark: 'relaxed' },
    ]);
  });

  it('marks a new provider state as possibly breaking, a dropped one as relaxed', () => {
    expect(lines(pact(), pact({ state: 'an order exists' }))).toEqual([
      '[may break the provider] provider state "an order exists" added',
    ]);
    expect(lines(pact({ state: 'an order exists' }), pact())).toEqual([
      '[relaxed] provider state "an order exists" removed',
    ]);
  });

  it('marks a new method, path or query parameter as possibly breaking', () => {
    expect(lines(pact(), pact({ request: { method: 'POST' } }))).toEqual([
      '[may break the provider] request method changed from GET to POST',
    ]);
    expect(lines(pact(), pact({ request: { path: '/v2/orders/1' } }))).toEqual([
      '[may break the provider] request path changed from /orders/1 to /v2/orders/1',
    ]);
    expect(lines(pact(), pact({ request: { query: 'expand=items' } }))).toEqual([
      '[may break the provider] request query parameter expand added (items)',
    ]);
    expect(lines(pact({ request: { query: 'expand=items' } }), pact())).toEqual([
      '[relaxed] request query parameter expand removed',
    ]);
  });

  it('marks a request field removed or retyped as possibly breaking, one added as relaxed', () => {
    const body = (b: Json) => pact({ request: { method: 'POST', body: b } });
    expect(lines(body({ id: 1, note: 'x' }), body({ id: 1 }))).toEqual([
      '[may break the provider] request body field $.note removed',
    ]);
    expect(lines(body({ id: 1 }), body({ id: '1' }))).toEqual([
      '[may break the provider] request body field $.id changed type from number to string',
    ]);
    expect(lines(body({ id: 1 }), body({ id: 1, note: 'x' }))).toEqual([
      '[relaxed] request body field $.note added',
    ]);
  });

  it('marks a response field added or retyped as possibly breaking, one removed as relaxed', () => {
    expect(lines(pact(), pact({ response: { body: { id: 1, total: 9.5, currency: 'EUR' } } }))).toEqual([
      '[may break the provider] response body field $.currency added',
    ]);
    expect(lines(pact(), pact({ response: { body: { id: 1 } } }))).toEqual([
      '[relaxed] response body field $.total removed',
    ]);
    expect(lines(pact(), pact({ response: { body: { id: 1, total: '9.50' } } }))).toEqual([
      '[may break the provider] response body field $.total changed type from number to string',
    ]);
    // an exact value (no matcher) the provider must now return
    expect(lines(pact(), pact({ response: { body: { id: 2, total: 9.5 } } }))).toEqual([
      '[may break the provider] response body field $.id changed from 1 to 2',
    ]);
  });

  it('marks a changed status and an added or changed response header as possibly breaking', () => {
    expect(lines(pact(), pact({ response: { status: 201 } }))).toEqual([
      '[may break the provider] response status changed from 200 to 201',
    ]);
    expect(
      lines(pact(), pact({ response: { headers: { 'Content-Type': 'application/json', ETag: '"1"' } } })),
    ).toEqual(['[may break the provider] response header etag added ("1")']);
    expect(lines(pact(), pact({ response: { headers: { 'Content-Type': 'text/plain' } } }))).toEqual([
      '[may break the provider] response header content-type changed from application/json to text/plain',
    ]);
    expect(lines(pact(), pact({ response: { headers: {} } }))).toEqual([
      '[relaxed] response header content-type removed',
    ]);
  });

  it('marks a response matcher loosened as relaxed and tightened as possibly breaking', () => {
    const typed = pact({
      response: { body: { id: 2, total: 9.5 }, matchingRules: { '$.body.id': { match: 'type' } } },
    });
    const regex = pact({
      response: {
        body: { id: 2, total: 9.5 },
        matchingRules: { '$.body.id': { match: 'regex', regex: '\\d+' } },
      },
    });
    // from the exact example to any number: it asks less (the value's change is covered by the matcher)
    expect(lines(pact(), typed)).toEqual([
      '[relaxed] response body $.id: matcher loosened from the exact example to type',
    ]);
    expect(lines(typed, regex)).toEqual([
      '[may break the provider] response body $.id: matcher tightened from type to regex',
    ]);
  });

  it('writes the changes as text, one interaction a paragraph', () => {
    expect(diffText(diffPacts(pact(), pact({ response: { status: 201 } }, [other])))).toBe(
      'get an order\n  [may break the provider] response status changed from 200 to 201\n\nlist orders\n  [may break the provider] new interaction\n',
    );
  });
});
