import { describe, expect, it } from 'vitest';
import { jsonBody } from '../model/body.js';
import { generatorsFromJson } from '../model/generators.js';
import type { HttpRequest } from '../model/types.js';
import { generateRequest, generateResponse } from './apply.js';
import { generateValue } from './value.js';

function value(
  generator: Record<string, unknown>,
  original: unknown = 'x',
  mode: 'consumer' | 'provider' = 'consumer',
  context = {},
) {
  const r = generateValue(generator as never, original as never, mode, context);
  if (r.ok !== true) throw new Error(JSON.stringify(r));
  return r.value;
}

describe('generators', () => {
  it('RandomInt stays within min..max and keeps the example type', () => {
    for (let i = 0; i < 200; i++) {
      const v = value({ type: 'RandomInt', min: 5, max: 7 }, 1) as number;
      expect(v).toBeGreaterThanOrEqual(5);
      expect(v).toBeLessThanOrEqual(7);
    }
    expect(typeof value({ type: 'RandomInt' }, '3')).toBe('string');
  });

  it('RandomDecimal, RandomHexadecimal, RandomString, RandomBoolean', () => {
    expect(String(value({ type: 'RandomDecimal', digits: 6 }, 1.5))).toMatch(/^\d+\.\d+$/);
    expect(String(value({ type: 'RandomDecimal', digits: 6 }, 1.5)).replace('.', '')).toHaveLength(6);
    expect(value({ type: 'RandomHexadecimal', digits: 12 })).toMatch(/^[0-9A-F]{12}$/);
    expect(value({ type: 'RandomString', size: 20 })).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(typeof value({ type: 'RandomBoolean' })).toBe('boolean');
  });

  it('Regex produces a matching string', () => {
    for (let i = 0; i < 50; i++)
      expect(value({ type: 'Regex', regex: '\\d{3}-[A-Z]{2}' })).toMatch(/^\d{3}-[A-Z]{2}$/);
  });

  it('Uuid in every format', () => {
    expect(value({ type: 'Uuid' })).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(value({ type: 'Uuid', format: 'simple' })).toMatch(/^[0-9a-f]{32}$/);
    expect(value({ type: 'Uuid', format: 'upper-case-hyphenated' })).toMatch(/^[0-9A-F-]{36}$/);
    expect(value({ type: 'Uuid', format: 'URN' })).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
  });

  it('Date, Time and DateTime with formats and expressions', () => {
    const baseDate = new Date(Date.UTC(2024, 0, 31, 13, 45, 10, 123));
    expect(value({ type: 'Date' }, 'x', 'consumer', { baseDate })).toBe('2024-01-31');
    expect(value({ type: 'Time' }, 'x', 'consumer', { baseDate })).toBe('13:45:10');
    expect(value({ type: 'DateTime' }, 'x', 'consumer', { baseDate })).toMatch(
      /^2024-01-31T13:45:10\.\d{1,9}/,
    );
    expect(
      value({ type: 'Date', format: 'dd/MM/yyyy', expression: 'today + 1 day' }, 'x', 'consumer', {
        baseDate,
      }),
    ).toBe('01/02/2024');
  });

  it('ProviderState only in provider mode, typed for a single expression', () => {
    const context = { providerState: { id: 1000, name: 'Mary' } };
    expect(generateValue({ type: 'ProviderState', expression: '${id}' }, 1, 'consumer', context).ok).toBe(
      'skip',
    );
    expect(value({ type: 'ProviderState', expression: '${id}' }, 1, 'provider', context)).toBe(1000);
    expect(
      value({ type: 'ProviderState', expression: '/users/${id}/${name}' }, '', 'provider', context),
    ).toBe('/users/1000/Mary');
    const missing = generateValue({ type: 'ProviderState', expression: '${nope}' }, 1, 'provider', context);
    expect(missing.ok).toBe(false);
  });

  it('MockServerURL only in consumer mode', () => {
    const g = {
      type: 'MockServerURL',
      example: 'http://localhost:1234/pacts/p/1',
      regex: '.*(/pacts/p/\\d+)$',
    };
    expect(value(g, '', 'consumer', { mockServer: { url: 'http://127.0.0.1:5555' } })).toBe(
      'http://127.0.0.1:5555/pacts/p/1',
    );
    expect(generateValue(g as never, '', 'provider', { mockServer: { url: 'x' } }).ok).toBe('skip');
  });
});

describe('generateRequest / generateResponse', () => {
  it('applies generators to path, query, headers and body paths with wildcards', () => {
    const request: HttpRequest = {
      method: 'GET',
      path: '/users/1',
      query: { q: ['a'] },
      headers: { 'X-Id': ['1'] },
      body: jsonBody({ items: [{ id: 1 }, { id: 2 }], other: 'x' }),
      matchingRules: {},
      generators: generatorsFromJson({
        path: { type: 'ProviderState', expression: '/users/${id}' },
        query: { q: { type: 'RandomString', size: 3 } },
        header: { 'x-id': { type: 'ProviderState', expression: '${id}' } },
        body: { '$.items[*].id': { type: 'ProviderState', expression: '${id}' } },
      }),
    };
    const out = generateRequest(request, 'provider', { providerState: { id: 42 } });
    expect(out.path).toBe('/users/42');
    expect(out.query?.q?.[0]).toMatch(/^[A-Za-z0-9]{3}$/);
    expect(out.headers?.['X-Id']).toEqual(['42']);
    expect(out.body).toEqual(jsonBody({ items: [{ id: 42 }, { id: 42 }], other: 'x' }));
    expect(request.body).toEqual(jsonBody({ items: [{ id: 1 }, { id: 2 }], other: 'x' }));
  });

  it('applies a status generator and reports a broken generator with a code', () => {
    const response = {
      status: 200,
      headers: undefined,
      body: jsonBody({ a: 1 }),
      matchingRules: {},
      generators: generatorsFromJson({ body: { '$.a': { type: 'Nope' } } }),
    };
    expect(() => generateResponse(response, 'consumer')).toThrowError(
      /COV_CORE_GENERATOR_INVALID: the Nope generator at body \$.a failed: unknown generator type 'Nope'/,
    );
  });
});
