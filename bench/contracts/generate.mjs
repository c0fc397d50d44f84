// The contracts benchmark's inputs, generated deterministically: an OpenAPI 3.0 document of 300
// operations (150 resources, each GET /resN/{id} and POST /resN) sharing component schemas with
// $refs, allOf, nullable, enums and formats; and a pact of 1,000 interactions cycling through them,
// about one in ten of which the document rejects (a wrong type, an unknown header, an unknown status).
import { writeFileSync } from 'node:fs';

export const OPERATIONS = 300;
export const INTERACTIONS = 1000;
const RESOURCES = OPERATIONS / 2;

export function openapiDocument() {
  const paths = {};
  const schemas = {
    Audit: {
      type: 'object',
      required: ['createdAt'],
      properties: {
        createdAt: { type: 'string', format: 'date-time' },
        updatedAt: { type: 'string', format: 'date-time', nullable: true },
      },
    },
    Link: {
      type: 'object',
      properties: { href: { type: 'string', format: 'uri' }, rel: { type: 'string' } },
    },
  };
  for (let i = 0; i < RESOURCES; i++) {
    const name = `Res${i}`;
    schemas[name] = {
      allOf: [
        { $ref: '#/components/schemas/Audit' },
        {
          type: 'object',
          required: ['id', 'name', 'status'],
          properties: {
            id: { type: 'integer', minimum: 1 },
            name: { type: 'string', minLength: 1, maxLength: 80 },
            status: { type: 'string', enum: ['active', 'archived', 'pending'] },
            score: { type: 'number', minimum: 0, maximum: 100, exclusiveMaximum: true },
            email: { type: 'string', format: 'email', nullable: true },
            tags: { type: 'array', items: { type: 'string' }, maxItems: 10 },
            links: { type: 'array', items: { $ref: '#/components/schemas/Link' } },
          },
        },
      ],
    };
    const json = (schema) => ({ 'application/json': { schema } });
    paths[`/res${i}/{id}`] = {
      get: {
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
          { name: 'expand', in: 'query', schema: { type: 'boolean' } },
          { name: 'x-request-id', in: 'header', schema: { type: 'string', format: 'uuid' } },
        ],
        responses: {
          200: { description: 'found', content: json({ $ref: `#/components/schemas/${name}` }) },
          404: {
            description: 'missing',
            content: json({ type: 'object', properties: { error: { type: 'string' } } }),
          },
        },
      },
    };
    paths[`/res${i}`] = {
      post: {
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
          }),
        },
        responses: {
          201: { description: 'created', content: json({ $ref: `#/components/schemas/${name}` }) },
        },
      },
    };
  }
  return { openapi: '3.0.3', info: { title: 'bench', version: '1.0.0' }, paths, components: { schemas } };
}

function body(i, id) {
  return {
    id,
    name: `item ${i}`,
    status: ['active', 'archived', 'pending'][i % 3],
    score: (i * 7) % 100,
    email: i % 4 === 0 ? null : `user${i}@example.com`,
    tags: ['a', 'b'],
    links: [{ href: `https://example.com/${i}`, rel: 'self' }],
    createdAt: '2026-01-02T03:04:05Z',
    updatedAt: null,
  };
}

export function pact() {
  const interactions = [];
  for (let i = 0; i < INTERACTIONS; i++) {
    const resource = (i * 37) % RESOURCES;
    const id = (i % 50) + 1;
    const broken = i % 10 === 3 || i % 10 === 4;
    if (i % 2 === 0) {
      const responseBody = body(i, id);
      if (broken) responseBody.score = 'high';
      interactions.push({
        description: `get res${resource} ${id} (#${i})`,
        providerState: `res${resource} ${id} exists`,
        request: {
          method: 'GET',
          path: `/res${resource}/${id}`,
          query: i % 4 === 0 ? 'expand=true' : '',
          headers: {
            Accept: 'application/json',
            'x-request-id': '123e4567-e89b-12d3-a456-426614174000',
            ...(i % 25 === 0 ? { 'x-debug': '1' } : {}),
          },
        },
        response: {
          status: i % 40 === 0 ? 418 : 200,
          headers: { 'Content-Type': 'application/json' },
          body: responseBody,
        },
      });
    } else {
      interactions.push({
        description: `create res${resource} (#${i})`,
        request: {
          method: 'POST',
          path: `/res${resource}`,
          headers: { 'Content-Type': 'application/json' },
          body: broken ? { tags: ['x'] } : { name: `item ${i}`, tags: ['x'] },
        },
        response: { status: 201, headers: { 'Content-Type': 'application/json' }, body: body(i, id) },
      });
    }
  }
  return {
    consumer: { name: 'BenchWeb' },
    provider: { name: 'BenchApi' },
    interactions,
    metadata: { pactSpecification: { version: '2.0.0' } },
  };
}

export function writeInputs(openapiFile, pactFile) {
  writeFileSync(openapiFile, JSON.stringify(openapiDocument()));
  writeFileSync(pactFile, JSON.stringify(pact()));
}
