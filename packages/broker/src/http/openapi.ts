import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance, FastifyServerOptions, RouteOptions } from 'fastify';
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

/** How @fastify/swagger makes the document. */
const SWAGGER_OPTIONS: FastifyDynamicSwaggerOptions = {
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
};

/** What an app's document is made of, gathered as the app is built, and the document once made. */
interface DocumentParts {
  routes: RouteOptions[];
  /** The plugin instances registered (their own schemas join the document's). */
  instances: FastifyInstance[];
  document?: Promise<Json>;
}

const partsOf = new WeakMap<FastifyInstance, DocumentParts>();

/**
 * Makes the route schemas (routes/schemas) the app's: Fastify validates parameters, query and
 * bodies with them (with `schemaController`, given to Fastify), and `openApiDocument` turns them
 * into the OpenAPI 3.1 document. Call it before any route is added: the document lists the routes
 * added after it.
 *
 * Response schemas document; they never serialise. The broker answers with JSON.stringify, because
 * pact bodies and HAL `_links` are open-ended and a schema-driven serialiser drops what a schema
 * does not name.
 */
export function registerOpenApi(app: FastifyInstance): void {
  for (const schema of components) app.addSchema(schema);
  const parts: DocumentParts = { routes: [], instances: [] };
  partsOf.set(app, parts);
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
    parts.routes.push(route);
  });
  app.addHook('onRegister', (instance) => {
    parts.instances.push(instance);
  });
}

/**
 * The document, made by @fastify/swagger from the parts gathered. The library (and the YAML parser
 * it loads) is loaded here, on the first request for the document, not at every start: it is shown
 * the routes and plugin instances as if it had been registered while the app was built.
 */
async function makeDocument(app: FastifyInstance, parts: DocumentParts): Promise<Json> {
  const { fastifySwagger } = await import('@fastify/swagger');
  const hooks = new Map<string, (...args: unknown[]) => unknown>();
  let swagger: (() => Json) | undefined;
  const builder = {
    addHook: (name: string, hook: (...args: unknown[]) => unknown) => hooks.set(name, hook),
    decorate: (_name: string, make: () => Json) => {
      swagger = make;
    },
    getSchemas: () => app.getSchemas(),
  };
  fastifySwagger(builder as never, SWAGGER_OPTIONS, (error?: Error) => {
    if (error) throw error;
  });
  const hook = (name: string) => {
    const found = hooks.get(name);
    if (!found) throw new Error(`@fastify/swagger no longer adds an ${name} hook`);
    return found;
  };
  for (const route of parts.routes) hook('onRoute')(route);
  for (const instance of parts.instances) await hook('onRegister')(instance);
  await new Promise<void>((done) => hook('onReady')(done));
  if (!swagger) throw new Error('@fastify/swagger no longer decorates the app');
  return swagger();
}

/**
 * The app's OpenAPI 3.1 document (after `app.ready()`); with `baseUrl`, it names the broker as its
 * server. Made on the first call; a fresh copy each time: callers may change theirs.
 *
 * @example const document = await openApiDocument(app, 'https://broker.example.com');
 */
export async function openApiDocument(app: FastifyInstance, baseUrl?: string): Promise<Json> {
  const parts = partsOf.get(app);
  if (!parts) throw new Error('the app has no OpenAPI document: createApp calls registerOpenApi');
  parts.document ??= makeDocument(app, parts);
  const document = structuredClone(await parts.document);
  if (baseUrl) document.servers = [{ url: baseUrl.replace(/\/+$/, '') }];
  return document;
}
