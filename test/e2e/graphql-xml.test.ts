// GraphQL and XML interactions end to end: the consumer's test sends real requests to the mock
// server, the pact is written, and Covenant's verifier replays it against a small real provider
// whose answers differ from the examples only where the matchers allow.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import {
  decimal,
  GraphQLRequest,
  integer,
  like,
  Pact,
  pactFilePath,
  regex,
  string,
  XmlBuilder,
} from '@covenant/consumer';
import { close, listen, tempDir } from '@covenant/test-support';
import { verifyProvider } from '@covenant/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = tempDir('covenant-graphql-xml-');
const pactFile = pactFilePath({ consumer: 'Web', provider: 'Orders', dir: dir.path });
let provider: http.Server;
let providerUrl: string;
/** What the provider answers; a test changes it to break the contract. */
let orderTotal: unknown = 42.5;
let lineSku = 'XYZ-99';

beforeAll(async () => {
  provider = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/graphql') {
        const { variables } = JSON.parse(Buffer.concat(chunks).toString()) as { variables: { id: string } };
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ data: { order: { id: variables.id, total: orderTotal } } }));
      } else {
        res.setHeader('Content-Type', 'application/xml; charset=utf-8');
        // other values, three lines where the example has two, attributes in another order
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<order status="shipped" id="913">\n  <customer>Bea</customer>\n` +
            `  <lines>${['1', '5', '12'].map((q) => `<line qty="${q}" sku="${lineSku}">note</line>`).join('')}</lines>` +
            '\n</order>',
        );
      }
    });
  });
  providerUrl = await listen(provider);
});

afterAll(async () => {
  await close(provider);
  dir.remove();
});

const pact = () => new Pact({ consumer: 'Web', provider: 'Orders', dir: dir.path, logDir: dir.path });

const orderQuery = `
  # the order page's query
  query Order($id: ID!) {
    order(id: $id) { id, total }
  }`;

describe('a GraphQL interaction and an XML body', () => {
  it('are written by the consumer test and verified against the provider', async () => {
    await pact()
      .addInteraction()
      .uponReceiving('a GraphQL query for order 7')
      .withRequest('POST', '/graphql', (req) =>
        new GraphQLRequest()
          .withOperation('Order')
          .withQuery(orderQuery)
          .withVariables({ id: like('7') })
          .applyTo(req),
      )
      .willRespondWith(200, (res) =>
        res.jsonBody({ data: { order: { id: like('7'), total: decimal(19.99) } } }),
      )
      .executeTest(async (server) => {
        // the client lays the same query out in its own way
        const response = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            operationName: 'Order',
            query: 'query Order($id:ID!){order(id:$id){id total}}',
            variables: { id: '8' },
          }),
        });
        expect(await response.json()).toEqual({ data: { order: { id: '7', total: 19.99 } } });
      });

    const order = new XmlBuilder('1.0', 'UTF-8', 'order').build((o) => {
      o.setAttributes({ id: integer(7), status: regex(/placed|shipped/, 'placed') });
      o.appendElement('customer', {}, string('Ann'));
      o.appendElement('lines', {}, (lines) =>
        lines.eachLike('line', { sku: regex(/[A-Z]{3}-\d+/, 'ABC-1'), qty: integer(2) }, string('gift'), {
          min: 1,
          examples: 2,
        }),
      );
    });
    expect(order.xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><order id="7" status="placed"><customer>Ann</customer>' +
        '<lines><line sku="ABC-1" qty="2">gift</line><line sku="ABC-1" qty="2">gift</line></lines></order>',
    );
    await pact()
      .addInteraction()
      .uponReceiving('order 7 as XML')
      .withRequest('GET', '/orders/7', (req) => req.headers({ Accept: 'application/xml' }))
      .willRespondWith(200, (res) => order.applyTo(res))
      .executeTest(async (server) => {
        const response = await fetch(`${server.url}/orders/7`, { headers: { Accept: 'application/xml' } });
        expect(await response.text()).toBe(order.xml);
      });

    const written = JSON.parse(readFileSync(pactFile, 'utf8'));
    const [graphql, xml] = written.interactions;
    expect(graphql.request.body.content).toMatchObject({ operationName: 'Order', variables: { id: '7' } });
    expect(graphql.request.matchingRules.body['$.query'].matchers[0].match).toBe('regex');
    expect(xml.response.matchingRules.body).toMatchObject({
      "$.order['@id']": { matchers: [{ match: 'integer' }] },
      '$.order.lines': { matchers: [{ match: 'type', min: 1 }] },
      "$.order.lines.line['@sku']": { matchers: [{ match: 'regex', regex: '[A-Z]{3}-\\d+' }] },
    });

    const verify = () =>
      verifyProvider({
        provider: 'Orders',
        providerBaseUrl: providerUrl,
        pactUrls: [pactFile],
        reporters: [],
      });
    const passed = await verify();
    expect(passed.pacts[0]!.interactions.map((i) => [i.description, i.status, i.mismatches])).toEqual([
      ['a GraphQL query for order 7', 'passed', []],
      ['order 7 as XML', 'passed', []],
    ]);

    // and the matchers still catch what breaks the contract
    orderTotal = '42.50';
    lineSku = 'xyz';
    const failed = await verify();
    orderTotal = 42.5;
    lineSku = 'XYZ-99';
    const [graphqlResult, xmlResult] = failed.pacts[0]!.interactions;
    expect(graphqlResult!.mismatches.map((m) => m.path)).toEqual(['$.data.order.total']);
    expect(xmlResult!.mismatches.map((m) => m.path)).toEqual([
      "$.order.lines.line['@sku']",
      "$.order.lines.line['@sku']",
      "$.order.lines.line['@sku']",
    ]);
  });

  it('the mock server refuses a different GraphQL query', async () => {
    const run = pact()
      .addInteraction()
      .uponReceiving('a GraphQL query for order 7 (strict)')
      .withRequest('POST', '/graphql', (req) =>
        new GraphQLRequest()
          .withOperation('Order')
          .withQuery(orderQuery)
          .withVariables({ id: like('7') })
          .applyTo(req),
      )
      .willRespondWith(200)
      .executeTest(async (server) => {
        await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            operationName: 'Order',
            query: 'query Order($id: ID!) { order(id: $id) { id total currency } }',
            variables: { id: '7' },
          }),
        });
      });
    await expect(run).rejects.toMatchObject({ code: 'COV_CONSUMER_MOCK_MISMATCH' });
  });
});
