import { describe, expect, it } from 'vitest';
import { ContractComparator, compareContracts } from './compare.js';
import { readProviderContract } from './documents.js';

const openapi = readProviderContract(`
openapi: 3.1.0
info: { title: pets, version: '1' }
paths:
  /pets/{id}:
    get:
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer } }
        - { name: verbose, in: query, schema: { type: boolean } }
      responses:
        '200':
          description: a pet
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Pet' }
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: { type: integer }
        name: { type: string }
        tag: { type: [string, 'null'] }
`).document;

const asyncapi = readProviderContract(`
asyncapi: 3.0.0
info: { title: events, version: '1' }
channels:
  pets:
    messages:
      petAdded: { payload: { type: object, properties: { id: { type: integer } } } }
operations:
  onPetAdded:
    action: receive
    channel: { $ref: '#/channels/pets' }
    messages: [{ $ref: '#/channels/pets/messages/petAdded' }]
`).document;

const get = (description: string, path: string, body: unknown, extra: Record<string, unknown> = {}) => ({
  description,
  request: { method: 'GET', path, ...extra },
  response: { status: 200, headers: { 'Content-Type': 'application/json' }, body },
});

const triples = (results: { code: string; type: string; interaction: { description: string | null } }[]) =>
  results.map((r) => [r.code, r.type, r.interaction.description]);

describe('ContractComparator with OpenAPI', () => {
  const comparator = new ContractComparator({ openapi });

  it('finds nothing wrong with a compatible interaction', () => {
    expect(
      comparator.compare({ interactions: [get('a pet', '/pets/1', { id: 1, name: 'Rex', tag: null })] }),
    ).toEqual([]);
  });

  it('reports a body the schema does not allow, with both locations', () => {
    const [result, ...rest] = comparator.compare({
      interactions: [get('bad', '/pets/1', { id: 'one', name: 'Rex' })],
    });
    expect(rest).toEqual([]);
    expect(result).toMatchObject({
      code: 'response.body.incompatible',
      type: 'error',
      interaction: { index: 0, description: 'bad', state: null },
      pactLocation: '[root].interactions[0].response.body.id',
    });
    expect(result?.specLocation).toContain(
      '[root].paths./pets/{id}.get.responses.200.content.application/json.schema',
    );
  });

  it('flags fields the provider never promised, unknown routes and parameters of the wrong type', () => {
    const results = comparator.compare({
      interactions: [
        get('extra field', '/pets/1', { id: 1, name: 'Rex', colour: 'brown' }),
        get('no route', '/owners/1', {}),
        get('bad id', '/pets/abc', {}),
        get('bad query', '/pets/1', { id: 1, name: 'Rex' }, { query: 'verbose=maybe&page=2' }),
      ],
    });
    expect(triples(results)).toEqual([
      ['response.body.incompatible', 'error', 'extra field'],
      ['request.path-or-method.unknown', 'error', 'no route'],
      ['request.path-or-method.unknown', 'error', 'bad id'],
      ['request.query.incompatible', 'error', 'bad query'],
      ['request.query.unknown', 'warning', 'bad query'],
    ]);
  });

  it('leaves message interactions alone when only an OpenAPI document is given', () => {
    const pact = {
      interactions: [{ type: 'Asynchronous/Messages', description: 'm', contents: { content: {} } }],
    };
    expect(comparator.compare(pact)).toEqual([]);
  });
});

describe('ContractComparator with AsyncAPI', () => {
  const message = (description: string, content: unknown, operationId = 'onPetAdded') => ({
    type: 'Asynchronous/Messages',
    description,
    contents: { content, contentType: 'application/json', encoded: false },
    comments: { references: { AsyncAPI: { operationId } } },
  });

  it('matches a message of the operation, or says none matched', () => {
    const results = compareContracts(
      { interactions: [message('ok', { id: 1 }), message('bad', { id: 'x' }), message('where', {}, 'nope')] },
      { asyncapi },
    );
    expect(triples(results)).toEqual([
      ['message.matched', 'info', null],
      ['message.no.match', 'error', 'bad'],
      ['message.operation.unknown', 'error', 'where'],
    ]);
    expect(results[0]?.specLocation).toBe('[root].channels.pets.messages.petAdded');
  });

  it('says a spec is missing when neither document is given', () => {
    const results = compareContracts({ interactions: [message('m', {}), get('h', '/pets/1', {})] }, {});
    expect(triples(results)).toEqual([
      ['message.spec.missing', 'error', 'm'],
      ['request.spec.missing', 'error', 'h'],
    ]);
  });
});

describe('bad input', () => {
  it('throws coded errors for documents and pacts it cannot read', () => {
    expect(() => readProviderContract('openapi: [', 'x.yaml')).toThrow(
      /COV_CONTRACTS_SPEC_SYNTAX: x.yaml is not valid JSON or YAML at line/,
    );
    // found by the reliability fuzz (seed 1379474529): an alias to an anchor never set parses, then
    // failed to resolve with a bare ReferenceError, which the broker answered with a 500
    expect(() => readProviderContract('*.B', 'x.yaml')).toThrow(
      /COV_CONTRACTS_SPEC_SYNTAX: x.yaml is not valid JSON or YAML: Unresolved alias/,
    );
    expect(() => readProviderContract('{"title": "no kind"}', 'x.json')).toThrow(
      /COV_CONTRACTS_SPEC_INVALID/,
    );
    expect(() => new ContractComparator({ openapi: asyncapi })).toThrow(/COV_CONTRACTS_SPEC_INVALID/);
    expect(() => new ContractComparator({ openapi }).compare([])).toThrow(/COV_CONTRACTS_PACT_INVALID/);
    expect(() => new ContractComparator({ openapi }).compare({ interactions: {} })).toThrow(
      /COV_CONTRACTS_PACT_INVALID/,
    );
  });
});

describe('base paths', () => {
  const swagger = (basePath: string) => ({
    swagger: '2.0',
    info: { title: 't', version: '1' },
    basePath,
    paths: { '/pets': { get: { responses: { 200: { description: 'ok' } } } } },
  });
  const pact = (path: string) => ({
    interactions: [{ description: 'pets', request: { method: 'GET', path }, response: { status: 200 } }],
  });

  it("serves Swagger 2's paths under its basePath, and under / for a basePath of /", () => {
    expect(compareContracts(pact('/api/pets'), { openapi: swagger('/api') })).toEqual([]);
    expect(compareContracts(pact('/pets'), { openapi: swagger('/api') }).map((r) => r.code)).toEqual([
      'request.path-or-method.unknown',
    ]);
    expect(compareContracts(pact('/pets'), { openapi: swagger('/') })).toEqual([]);
  });

  it('takes a base path from x-opc-config-base-path', () => {
    const openapi = {
      openapi: '3.0.0',
      info: { title: 't', version: '1', 'x-opc-config-base-path': '/v2' },
      paths: { '/pets': { get: { responses: { 200: { description: 'ok' } } } } },
    };
    expect(compareContracts(pact('/v2/pets'), { openapi })).toEqual([]);
  });
});

describe('circular schemas', () => {
  const openapi = {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/tree': {
        get: {
          responses: {
            200: {
              description: 'ok',
              content: { 'application/json': { schema: { allOf: [{ $ref: '#/components/schemas/Node' }] } } },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Base: { type: 'object', properties: { id: { type: 'integer' } } },
        Node: {
          allOf: [
            { $ref: '#/components/schemas/Base' },
            {
              type: 'object',
              properties: {
                child: { $ref: '#/components/schemas/Node' },
                kids: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
              },
            },
          ],
        },
      },
    },
  };
  const pact = (body: unknown) => ({
    interactions: [
      {
        description: 'a tree',
        request: { method: 'GET', path: '/tree' },
        response: { status: 200, headers: { 'Content-Type': 'application/json' }, body },
      },
    ],
  });

  it('validates bodies through allOf and references that come back to themselves', () => {
    expect(compareContracts(pact({ id: 1, child: { id: 2, kids: [{ id: 3 }] } }), { openapi })).toEqual([]);
    const results = compareContracts(pact({ id: 1, child: { id: 'two', kids: [{ extra: true }] } }), {
      openapi,
    });
    expect(results.map((r) => r.pactLocation).sort()).toEqual([
      '[root].interactions[0].response.body.child.id',
      '[root].interactions[0].response.body.child.kids.0',
    ]);
  });
});
