import { fastifySwagger } from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';

/** A product as ProductService serves it. */
export interface Product {
  id: number;
  name: string;
  price: number;
}

const product = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    price: { type: 'number', minimum: 0 },
  },
  required: ['id', 'name', 'price'],
  additionalProperties: false,
} as const;

const notFound = {
  type: 'object',
  properties: { error: { type: 'string' } },
  required: ['error'],
} as const;

/**
 * ProductService on Fastify. Its route schemas validate what it receives, shape what it sends and,
 * through @fastify/swagger, are its OpenAPI document: the provider contract it publishes, so the
 * contract cannot drift from the code. No Pact verifier runs against it.
 *
 * @example
 * const app = createApp(new Map([[1, { id: 1, name: 'Pen', price: 1.5 }]]));
 * await app.listen({ port: 5002 });
 */
export function createApp(products: Map<number, Product>): FastifyInstance {
  const app = Fastify();
  void app.register(fastifySwagger, {
    openapi: { info: { title: 'ProductService', version: '1.0.0' } },
  });
  // a plugin registered after swagger's (Fastify loads them in order), so swagger sees its routes
  void app.register(async (routes) => {
    routes.get(
      '/products',
      { schema: { response: { 200: { type: 'array', items: product } } } },
      async () => [...products.values()],
    );
    routes.get<{ Params: { id: number } }>(
      '/products/:id',
      {
        schema: {
          params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
          response: { 200: product, 404: notFound },
        },
      },
      async (request, reply) => {
        const found = products.get(request.params.id);
        if (found) return found;
        return reply.code(404).send({ error: `no product ${request.params.id}` });
      },
    );
  });
  return app;
}

/**
 * The OpenAPI document ProductService's route schemas make (JSON), as @fastify/swagger generates it.
 *
 * @example writeFileSync('openapi.json', JSON.stringify(await openApiDocument(), null, 2));
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const app = createApp(new Map());
  await app.ready();
  const document = app.swagger() as Record<string, unknown>;
  await app.close();
  return document;
}
