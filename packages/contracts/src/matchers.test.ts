import { type JsonObject, matchingRulesFromJson } from '@covenant/core';
import type { ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { compareContracts } from './compare.js';
import { excusedByMatchers } from './matchers.js';

const bodyRules = (json: JsonObject) => matchingRulesFromJson({ body: json }).body;
const failure = (keyword: string, instancePath: string, params: Record<string, unknown> = {}) =>
  ({ keyword, instancePath, params, schemaPath: '', message: '' }) as ErrorObject;

describe('excusedByMatchers', () => {
  it('excuses the length of an eachLike example, not its items', () => {
    const rules = bodyRules({ '$.tags': { matchers: [{ match: 'type', min: 1 }] } });
    expect(excusedByMatchers(failure('minItems', '/tags'), rules)).toBe(true);
    expect(excusedByMatchers(failure('maxItems', '/tags'), rules)).toBe(true);
    expect(excusedByMatchers(failure('type', '/tags/0'), rules)).toBe(false);
    expect(excusedByMatchers(failure('minItems', '/other'), rules)).toBe(false);
    expect(excusedByMatchers(failure('minItems', '/tags'), undefined)).toBe(false);
  });

  it('excuses an enum failure when the regex admits one of the allowed values', () => {
    const rules = bodyRules({ '$.status': { matchers: [{ match: 'regex', regex: 'open|shipped' }] } });
    expect(excusedByMatchers(failure('enum', '/status', { allowedValues: ['open', 'closed'] }), rules)).toBe(
      true,
    );
    expect(excusedByMatchers(failure('enum', '/status', { allowedValues: ['closed'] }), rules)).toBe(false);
    // a regex matches the whole value, as Pact's do
    expect(excusedByMatchers(failure('const', '/status', { allowedValue: 'reopened' }), rules)).toBe(false);
  });
});

describe('matchers in a comparison', () => {
  const openapi = {
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    paths: {
      '/orders': {
        get: {
          responses: {
            200: {
              description: 'orders',
              content: {
                'application/json': {
                  schema: {
                    type: 'array',
                    minItems: 2,
                    items: { type: 'object', properties: { id: { type: 'integer' } } },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
  const pact = (body: unknown, rules?: Record<string, unknown>) => ({
    interactions: [
      {
        description: 'orders',
        request: { method: 'GET', path: '/orders' },
        response: {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
          body,
          ...(rules ? { matchingRules: { body: rules } } : {}),
        },
      },
    ],
    metadata: { pactSpecification: { version: '3.0.0' } },
  });

  it('holds an example array of one against minItems 2 only when no eachLike stands for it', () => {
    expect(compareContracts(pact([{ id: 1 }]), { openapi }).map((r) => r.code)).toEqual([
      'response.body.incompatible',
    ]);
    const eachLike = { $: { matchers: [{ match: 'type', min: 1 }] } };
    expect(compareContracts(pact([{ id: 1 }], eachLike), { openapi })).toEqual([]);
    expect(compareContracts(pact([{ id: 'x' }], eachLike), { openapi }).map((r) => r.code)).toEqual([
      'response.body.incompatible',
    ]);
  });
});
