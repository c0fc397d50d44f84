import { describe, expect, it } from 'vitest';
import { JsonNumber } from '../json/value.js';
import { requestSchema, v4InteractionSchema } from './schema.js';
import {
  array,
  describeIssues,
  type Issue,
  looseObject,
  nullish,
  type Shape,
  string,
  union,
} from './shape.js';

function lines(shape: Shape<unknown>, value: unknown): string[] {
  const issues: Issue[] = [];
  shape(value, [], issues);
  return describeIssues(issues, ['interactions', 0]);
}

describe('shape', () => {
  it("gives zod's default texts where a shape has none", () => {
    const s = looseObject({ a: string(), b: looseObject({}), c: nullish(string()) });
    expect(lines(s, [])).toEqual(['$.interactions[0]: Invalid input: expected object, received array']);
    expect(lines(s, { a: 1, b: new JsonNumber('1.0'), c: null })).toEqual([
      '$.interactions[0].a: Invalid input: expected string, received number',
    ]);
    expect(lines(s, { a: 'x' })).toEqual([
      '$.interactions[0].b: Invalid input: expected object, received undefined',
    ]);
  });

  it('reports every issue in field order, at most five', () => {
    expect(lines(array(string(), 'expected a list'), [1, 'x', true, null, 2, 3, 4])).toHaveLength(5);
    expect(lines(requestSchema, { generators: 1, method: 2, headers: { A: true, 'x y': ['1', 2] } })).toEqual(
      [
        '$.interactions[0].method: expected an HTTP method string',
        '$.interactions[0].headers.A: Invalid input',
        "$.interactions[0].headers['x y']: Invalid input",
        '$.interactions[0].generators: expected an object',
      ],
    );
  });

  it('reports a union none of whose options fits once, at the value', () => {
    expect(lines(union([string(), array(string())], 'expected text'), ['a', 1])).toEqual([
      '$.interactions[0]: expected text',
    ]);
  });

  it('picks the V4 interaction type by its name, and says where it is wrong', () => {
    const message = 'expected "type" to be Synchronous/HTTP, Asynchronous/Messages or Synchronous/Messages';
    expect(lines(v4InteractionSchema, 'x')).toEqual([`$.interactions[0]: ${message}`]);
    expect(lines(v4InteractionSchema, { type: 'toString' })).toEqual([`$.interactions[0].type: ${message}`]);
    expect(
      lines(v4InteractionSchema, { type: 'Synchronous/Messages', description: 'd', request: {} }),
    ).toEqual(['$.interactions[0].response: expected a list of response messages']);
  });
});
