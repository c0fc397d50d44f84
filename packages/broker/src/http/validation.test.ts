import { describe, expect, it } from 'vitest';
import { HttpProblem, problemBody } from './problem.js';
import { validatorCompiler } from './validation.js';

const query = {
  type: 'object',
  properties: {
    limit: { type: 'string' },
    selectors: { type: 'array', items: { type: 'object', required: ['name'] } },
  },
  required: ['limit'],
  additionalProperties: true,
};
const validate = validatorCompiler({ schema: query, httpPart: 'querystring', method: 'GET', url: '/x' }) as (
  data: unknown,
) => { value?: unknown; error?: unknown };

/** The validator of a body described by the component schema `name`. */
const bodyValidator = (name: string) =>
  validatorCompiler({ schema: { $ref: name }, httpPart: 'body', method: 'POST', url: '/x' }) as (
    data: unknown,
  ) => { value?: unknown; error?: HttpProblem };

describe('the route schema validator', () => {
  it('passes what fits, unchanged: no coercion, no removal of properties it does not name', () => {
    const data = { limit: '5', other: 'kept' };
    expect(validate(data)).toEqual({ value: { limit: '5', other: 'kept' } });
    expect(data).toEqual({ limit: '5', other: 'kept' });
    // a number is not coerced to the string the schema asks for
    expect(validate({ limit: 5 }).error).toBeInstanceOf(HttpProblem);
  });

  it("refuses with the broker's validation problem, messages by top-level field", () => {
    const { error } = validate({ selectors: [{}], other: 1 }) as { error: HttpProblem };
    expect(error).toMatchObject({
      status: 400,
      title: 'Validation errors',
      code: 'COV_BROKER_REQUEST_INVALID',
    });
    expect(error.errors).toEqual({
      limit: ['limit is required'],
      selectors: ['selectors[0].name is required'],
    });
    expect(error.detail).toBe(Object.values(error.errors!).flat().join('; '));
    // both answer shapes, as every other validation problem
    expect(problemBody(error, 'application/json', 'http://b', '/x').body).toMatchObject({
      errors: error.errors,
      code: 'COV_BROKER_REQUEST_INVALID',
    });
    expect(problemBody(error, 'application/problem+json', 'http://b', '/x').body).toMatchObject({
      status: 400,
      errors: [{ pointer: '/limit' }, { pointer: '/selectors' }],
    });
  });

  it('validates a body whose schema states its rules, and answers with those rules by field', () => {
    const body = bodyValidator('VersionInput');
    const tags = { tags: ['prod', { name: 'test' }], buildUrl: null };
    expect(body(tags)).toEqual({ value: tags });
    // no body reads as an empty one
    expect(body(undefined)).toEqual({ value: undefined });
    // the rule of the field speaks for its branches (a string, an object with a name, or null)
    expect(body({ buildUrl: 5, tags: [{ name: 5 }] }).error?.errors).toEqual({
      buildUrl: ['buildUrl must be a URL string'],
      tags: ['tags must be a list of tag names (or of {"name": …} objects)'],
    });
    expect(body([1]).error?.errors).toEqual({ body: ['the body must be a JSON object'] });
    // a missing required property is told its rule
    const create = bodyValidator('PacticipantCreate');
    expect(create({}).error?.errors).toEqual({ name: ['name is required (a string)'] });
  });

  it('tells the rule broken deepest: a selector field, not its list', () => {
    const body = bodyValidator('ForVerificationRequest');
    expect(
      body({ consumerVersionSelectors: [{ tag: 5 }, []], providerVersionTags: [5] }).error?.errors,
    ).toEqual({
      consumerVersionSelectors: [
        'consumerVersionSelectors[0].tag must be a non-blank string',
        'consumerVersionSelectors[1] must be an object',
      ],
      providerVersionTags: ['providerVersionTags must be a list of non-blank tag names'],
    });
    expect(body({ consumerVersionSelectors: 'main' }).error?.errors).toEqual({
      consumerVersionSelectors: ['consumerVersionSelectors must be a list'],
    });
    // null stands for absent
    expect(
      body({ providerVersionBranch: null, consumerVersionSelectors: [{ latest: true, tag: null }] }),
    ).toEqual({
      value: { providerVersionBranch: null, consumerVersionSelectors: [{ latest: true, tag: null }] },
    });
  });

  it('leaves a body whose schema states no rule to its route, which checks it with its own messages', () => {
    const body = bodyValidator('ProviderContractInput');
    expect(body([1])).toEqual({ value: [1] });
  });

  it("keys a webhook's errors by where they are, as the official client reads them", () => {
    const body = bodyValidator('WebhookInput');
    expect(body({ request: { method: 'POST', url: 'https://x' } }).error).toBeUndefined();
    expect(
      body({
        request: { method: 42, headers: ['Foo'] },
        consumer: { name: 5 },
        provider: 'Condor',
        events: [{ name: 'pact_deleted' }],
        enabled: 'yes',
      }).error?.errors,
    ).toEqual({
      'request.method': ['request.method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS'],
      'request.url': ['request.url is missing'],
      'request.headers': ['request.headers must be an object of header names to values'],
      'consumer.name': ['consumer.name must be a string'],
      provider: ['provider must be an object with a name or a label'],
      'events[0].name': [expect.stringMatching(/^events\[0\]\.name must be one of contract_published, /)],
      enabled: ['enabled must be true or false'],
    });
    // null is as missing as left out, and told only that
    expect(body({}).error?.errors).toEqual({ request: ['request is missing'] });
    expect(body({ request: null }).error?.errors).toEqual({ request: ['request is missing'] });
    expect(body({ request: { method: null, url: 'https://x' } }).error?.errors).toEqual({
      'request.method': ['request.method is missing'],
    });
    expect(body('x').error?.errors).toEqual({ body: ['the body must be a JSON object'] });
  });
});
