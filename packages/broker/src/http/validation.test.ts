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

  it('leaves bodies to the routes, which check them with their own messages', () => {
    const body = validatorCompiler({ schema: query, httpPart: 'body', method: 'POST', url: '/x' }) as (
      data: unknown,
    ) => unknown;
    expect(body([1])).toEqual({ value: [1] });
  });
});
