import { applyRule } from '@covenant/core';
import { describe, expect, it } from 'vitest';
import { GraphQLRequest, graphQLQueryPattern } from './graphql.js';
import { like } from './matchers.js';

const query = 'query Order($id: ID!) { order(id: $id) { id total } }';
/** Whether the core engine's regex rule (as the mock server and the verifier apply it) accepts `text`. */
const matches = (pattern: string, text: string) =>
  applyRule({ match: 'regex', regex: pattern }, query, text, false) === undefined;

describe('graphQLQueryPattern', () => {
  const pattern = graphQLQueryPattern(query);

  it.each([
    ['compact', 'query Order($id:ID!){order(id:$id){id total}}'],
    ['spread over lines', 'query Order(\n  $id: ID!\n) {\n  order(id: $id) {\n    id\n    total\n  }\n}\n'],
    [
      'with commas and comments',
      '# fetch\nquery Order($id: ID!,) { order(id: $id) { id, total } # the sum\n}',
    ],
  ])('matches the query %s', (_, text) => {
    expect(matches(pattern, text)).toBe(true);
  });

  it.each([
    ['another field', 'query Order($id: ID!) { order(id: $id) { id total currency } }'],
    ['names run together', 'query Order($id: ID!) { order(id: $id) { idtotal } }'],
    ['another operation', 'query Orders($id: ID!) { order(id: $id) { id total } }'],
    ['text around it', `${query} extra`],
  ])('does not match %s', (_, text) => {
    expect(matches(pattern, text)).toBe(false);
  });

  it('keeps string literals exact, spaces and regex characters included', () => {
    const withString = graphQLQueryPattern('{ search(text: "a  (b)*") { id } }');
    expect(matches(withString, '{search(text:"a  (b)*"){id}}')).toBe(true);
    expect(matches(withString, '{search(text:"a (b)*"){id}}')).toBe(false);
  });

  it('refuses what is not GraphQL', () => {
    expect(() => graphQLQueryPattern('{ search(text: "open) }')).toThrow(
      expect.objectContaining({ code: 'COV_CONSUMER_INTERACTION_INVALID' }),
    );
    expect(() => graphQLQueryPattern('  # only a comment')).toThrow(/the GraphQL query is empty/);
  });
});

describe('GraphQLRequest', () => {
  it('needs a query, and an operation the query defines', () => {
    expect(() => new GraphQLRequest().body()).toThrow(/needs its query/);
    expect(() => new GraphQLRequest().withOperation('Orders').withQuery(query).body()).toThrow(
      /the GraphQL operation 'Orders' is not defined by the query/,
    );
  });

  it('sends operationName and variables as given, and the query as its example', () => {
    const body = new GraphQLRequest()
      .withOperation('Order')
      .withMutation(query)
      .withVariables({ id: like('7') })
      .body();
    expect(Object.keys(body)).toEqual(['operationName', 'query', 'variables']);
    expect(body.operationName).toBe('Order');
  });
});
