import { fastifySwagger } from '@fastify/swagger';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import {
  components,
  KEYED_BY_PATH_KEYWORD,
  optionalBodies,
  RULE_KEYWORD,
  schemaOf,
} from '../routes/schemas/index.js';
import { PROBLEM_KINDS, type ProblemStatus } from './problem.js';
import { validatorCompiler } from './validation.js';

const TAGS = [
  'Index',
  'Pacticipants',
  'Labels',
  'Versions',
  'Branches',
  'Tags',
  'Pacts',
  'Badges',
  'Verification',
  'Environments',
  'Deployments',
  'Matrix',
  'Webhooks',
  'Provider contracts',
];

type Json = Record<string, unknown>;

const BODY_DESCRIPTION =
  'JSON, under any JSON media type (application/json, application/hal+json, application/merge-patch+json…)';

/**
 * Names each error response once (components.responses, by PROBLEM_KINDS) and refers to it from
 * every operation that lists the status, says how bodies are read (and which may be left out), and
 * adds the security schemes.
 */
function finishDocument({ openapiObject }: { openapiObject: Json }): Json {
  const document = openapiObject as Json & {
    paths: Record<string, Record<string, Json>>;
    components: Json & { schemas: Json };
  };
  const names = new Map<string, string>(
    Object.entries(PROBLEM_KINDS).map(([status, kind]) => [status, kind.name]),
  );
  for (const item of Object.values(document.paths))
    for (const operation of Object.values(item)) {
      const answers = operation.responses as Record<string, Json>;
      for (const [status, answer] of Object.entries(answers)) {
        const name = names.get(status);
        const isProblem = (answer.content as Json | undefined)?.['application/problem+json'] !== undefined;
        if (name && isProblem) answers[status] = { $ref: `#/components/responses/${name}` };
      }
      const body = operation.requestBody as Json | undefined;
      if (body) {
        body.required = !optionalBodies.has(operation.operationId as string);
        body.description = BODY_DESCRIPTION;
      }
    }
  withoutRules(document);
  return {
    ...document,
    // credentials are needed only when the broker is configured with some
    security: [{ basicAuth: [] }, { bearerAuth: [] }, {}],
    components: {
      ...document.components,
      // every status the broker answers, whether or not an operation lists it (405 is the
      // not-found handler's, with its Allow header)
      responses: Object.fromEntries(
        Object.entries(PROBLEM_KINDS).map(([status, { name }]) => [
          name,
          errorResponse(Number(status) as ProblemStatus),
        ]),
      ),
      securitySchemes: {
        basicAuth: { type: 'http', scheme: 'basic', description: 'A read-write or read-only user' },
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A read-write or read-only token' },
      },
    },
  };
}

/** Takes the validator's annotations (RULE_KEYWORD, KEYED_BY_PATH_KEYWORD) out of a generated document, in place. */
function withoutRules(value: unknown): void {
  if (Array.isArray(value)) for (const item of value) withoutRules(item);
  else if (value && typeof value === 'object') {
    delete (value as Json)[RULE_KEYWORD];
    delete (value as Json)[KEYED_BY_PATH_KEYWORD];
    for (const item of Object.values(value)) withoutRules(item);
  }
}

/** The response of an error status, as the document names it once. */
function errorResponse(status: ProblemStatus): Json {
  return {
    description: `${PROBLEM_KINDS[status].description}. RFC 7807 for clients accepting application/problem+json, otherwise the reference broker's {error} or {errors} body.`,
    ...(status === 405
      ? { headers: { Allow: { description: 'The methods the resource takes', schema: { type: 'string' } } } }
      : {}),
    ...(status === 503
      ? {
          headers: {
            'Retry-After': {
              description: 'The seconds to wait before sending the request again',
              schema: { type: 'integer', minimum: 1 },
            },
          },
        }
      : {}),
    content: {
      'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
      'application/hal+json': { schema: { $ref: '#/components/schemas/LegacyErrorBody' } },
    },
  };
}

/**
 * Fastify's `schemaController` option: parameters, query and bodies are validated by
 * http/validation.ts, and answers are serialised with JSON.stringify. Given at construction, so
 * Fastify never loads its own Ajv and fast-json-stringify compilers (a tenth of createApp).
 */
export const schemaController = {
  compilersFactory: {
    buildValidator: () => validatorCompiler,
    buildSerializer: () => () => (data: unknown) => JSON.stringify(data),
  },
  // Fastify's types want its own Ajv compiler's shape; any schema compiler does at run time
} as unknown as NonNullable<FastifyServerOptions['schemaController']>;

/**
 * Makes the route schemas (routes/schemas) the app's: Fastify validates parameters, query and
 * bodies with them (with `schemaController`, given to Fastify), and @fastify/swagger turns them into the OpenAPI 3.1
 * document `openApiDocument` serves. Call it before any route is added: the document lists the
 * routes added after it.
 *
 * Response schemas document; they never serialise. The broker answers with JSON.stringify, because
 * pact bodies and HAL `_links` are open-ended and a schema-driven serialiser drops what a schema
 * does not name.
 */
export function registerOpenApi(app: FastifyInstance): void {
  for (const schema of components) app.addSchema(schema);
  // every route has the schema its family declares for its method and path (a route that names
  // none is given it), so the document lists them all
  app.addHook('onRoute', (route) => {
    if (route.method === 'HEAD') return;
    const what = `${String(route.method)} ${route.url}`;
    const schema = schemaOf(String(route.method), route.url);
    if (!schema) throw new Error(`no schema in routes/schemas for ${what}`);
    if (!route.schema) route.schema = schema;
    else if ((route.schema as { operationId?: string }).operationId !== schema.operationId)
      throw new Error(
        `${what} names the schema of ${(route.schema as { operationId?: string }).operationId}`,
      );
  });
  // registered directly rather than with app.register: its onRoute hook must see the routes
  // createApp adds right after, synchronously
  fastifySwagger(
    app,
    {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Covenant Pact Broker',
          version: '2.110.0-covenant',
          summary: "A Pact Broker speaking the reference broker's HAL API",
          description:
            'Resources are HAL+JSON. Errors are RFC 7807 problem+json for clients that accept it, otherwise the ' +
            "reference broker's `{error}` / `{errors}` bodies. HEAD is answered wherever GET is; a method a path " +
            'does not list is answered 405 (the MethodNotAllowed response) with an Allow header.',
          license: { name: 'MIT', identifier: 'MIT' },
        },
        tags: TAGS.map((name) => ({ name })),
      },
      // the document names each component schema by its $id
      refResolver: { buildLocalReference: (json) => String(json.$id) },
      convertConstToEnum: false,
      transformObject: finishDocument as never,
    },
    (error?: Error) => {
      if (error) throw error;
    },
  );
}

/**
 * The app's OpenAPI 3.1 document (after `app.ready()`); with `baseUrl`, it names the broker as its
 * server. A fresh copy each time: callers may change theirs.
 *
 * @example const document = openApiDocument(app, 'https://broker.example.com');
 */
export function openApiDocument(app: FastifyInstance, baseUrl?: string): Json {
  const document = structuredClone(app.swagger() as unknown as Json);
  if (baseUrl) document.servers = [{ url: baseUrl.replace(/\/+$/, '') }];
  return document;
}
