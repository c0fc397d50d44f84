import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDirEachTest } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { decimal, like } from './matchers.js';
import { Pact } from './pact-node.js';

let dir: string;
tempDirEachTest('covenant-graphql-', (path) => {
  dir = path;
});

const pact = () => new Pact({ consumer: 'OrderWeb', provider: 'OrderGraph', dir, logDir: dir });
const query = 'query Order($id: ID!) { order(id: $id) { id total } }';

/** A GraphQL client as a consumer would write it: its own layout of the query. */
async function fetchOrder(
  url: string,
  id: string,
  layout = 'query Order($id: ID!) {\n  order(id: $id) {\n    id\n    total\n  }\n}',
) {
  const response = await fetch(`${url}/graphql?trace=1`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Client': 'web' },
    body: JSON.stringify({ operationName: 'Order', query: layout, variables: { id } }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: { order: { total: number } } },
  };
}

/** pact-js's `addGraphQLInteraction` chain, as a pact-js test writes it. */
const orderInteraction = () =>
  pact()
    .addGraphQLInteraction()
    .given('order 7 exists', { id: '7' })
    .uponReceiving('a query for order 7')
    .withOperation('Order')
    .withVariables({ id: like('7') })
    .withRequest('POST', '/graphql', (req) => req.query({ trace: '1' }).headers({ 'X-Client': 'web' }))
    .withQuery(query)
    .willRespondWith(200, (res) => res.jsonBody({ data: { order: { id: like('7'), total: decimal(9.5) } } }));

describe('addGraphQLInteraction', () => {
  it('serves the response to a query laid out differently, and writes the GraphQL body with its rules', async () => {
    const answer = await orderInteraction().executeTest((server) => fetchOrder(server.url, '8'));
    expect(answer).toEqual({ status: 200, body: { data: { order: { id: '7', total: 9.5 } } } });

    // the pact file as any Pact verifier reads it
    const file = JSON.parse(await readFile(join(dir, 'OrderWeb-OrderGraph.json'), 'utf8'));
    const { providerStates, request } = file.interactions[0];
    expect(providerStates).toEqual([{ name: 'order 7 exists', params: { id: '7' } }]);
    expect(request.method).toBe('POST');
    expect(request.query).toEqual({ trace: ['1'] });
    expect(request.body.content).toEqual({ operationName: 'Order', query, variables: { id: '7' } });
    const bodyRules = request.matchingRules.body;
    expect(bodyRules['$.query'].matchers[0].match).toBe('regex');
    expect(bodyRules['$.variables.id'].matchers[0].match).toBe('type');
  });

  it('fails the test when the client sends another query', async () => {
    await expect(
      orderInteraction().executeTest((server) =>
        fetchOrder(server.url, '7', 'query Order($id: ID!) { order(id: $id) { id total currency } }'),
      ),
    ).rejects.toMatchObject({ code: 'COV_CONSUMER_MOCK_MISMATCH' });
  });

  it('takes a mutation, and refuses an operation the document does not define or a missing description', () => {
    const start = () => pact().addGraphQLInteraction().uponReceiving('a rename');
    expect(() =>
      start()
        .withOperation('Rename')
        .withRequest('POST', '/graphql')
        .withMutation('mutation Rename { rename { ok } }'),
    ).not.toThrow();
    expect(() =>
      start()
        .withOperation('Delete')
        .withRequest('POST', '/graphql')
        .withMutation('mutation Rename { rename { ok } }'),
    ).toThrow(/the GraphQL operation 'Delete' is not defined by the query/);
    expect(() => pact().addGraphQLInteraction().withRequest('POST', '/graphql').withQuery(query)).toThrow(
      /needs a description: call uponReceiving/,
    );
  });
  it("takes a document parsed by gql or parse (its source text), as pact-js's withQuery does", async () => {
    // the shape graphql-js gives a parsed document: the source text under loc
    const parsed = {
      kind: 'Document',
      definitions: [],
      loc: { start: 0, end: query.length, source: { body: query, name: 'GraphQL request' } },
    };
    const answer = await pact()
      .addGraphQLInteraction()
      .uponReceiving('a query for order 7, parsed')
      .withOperation('Order')
      .withVariables({ id: like('7') })
      .withRequest('POST', '/graphql', (req) => req.query({ trace: '1' }).headers({ 'X-Client': 'web' }))
      .withQuery(parsed)
      .willRespondWith(200, (res) => res.jsonBody({ data: { order: { id: '7', total: 9.5 } } }))
      .executeTest((server) => fetchOrder(server.url, '7'));
    expect(answer.status).toBe(200);
    expect(() =>
      pact()
        .addGraphQLInteraction()
        .uponReceiving('x')
        .withRequest('POST', '/graphql')
        .withQuery({ kind: 'Document' } as never),
    ).toThrow(/the GraphQL document has no source text/);
  });
});
