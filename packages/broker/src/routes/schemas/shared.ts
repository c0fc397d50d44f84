import { type TObject, type TProperties, type TSchema, type TString, Type } from '@sinclair/typebox';
import { PROBLEM_KINDS, type ProblemStatus } from '../../http/problem.js';

/**
 * The building blocks of the route schemas: the shared component schemas (links, problems), and
 * `operation()`, which turns one route's description into the Fastify schema that validates its
 * input and that @fastify/swagger turns into the route's OpenAPI operation (see http/openapi.ts).
 *
 * Response schemas document; they never serialise (the broker answers with JSON.stringify), so they
 * may name fewer properties than a HAL resource carries. Every object allows properties beyond those
 * it names, as HAL clients must tolerate.
 */

export const HAL = 'application/hal+json';
export const JSON_TYPE = 'application/json';
export const PROBLEM = 'application/problem+json';
export const SVG = 'image/svg+xml';

/** Every component schema, by `$id`: http/openapi.ts adds them to Fastify (and so to the document). */
export const components: TSchema[] = [];

/** Declares a component schema: named `name` in the document, referenced with `Type.Ref`. */
export function component(name: string, schema: Schema): void {
  components.push({ ...typed(schema), $id: name });
}

// ---- schema builders ------------------------------------------------------------------------------

/** A JSON Schema: a TypeBox schema, or a plain one where TypeBox has no builder (`{ const: 'pact' }`). */
export type Schema = TSchema | Record<string, unknown>;
const typed = (schema: Schema) => schema as TSchema;

/** A reference to the component schema `name`. */
export const ref = (name: string) => Type.Unsafe<unknown>({ $ref: name });
export const string = Type.String();
export const boolean = Type.Boolean();
export const integer = Type.Integer({ minimum: 0 });
export const timestamp = Type.String({ format: 'date-time' });
export const anything = Type.Unknown();
export const anyObject = Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true });
export const nullable = (schema: Schema) => Type.Union([typed(schema), Type.Null()]);
export const list = (items: Schema) => Type.Array(typed(items));
export const described = <T extends Schema>(description: string, schema: T): T => ({
  ...schema,
  description,
});

/**
 * The keyword that says, in words, what a value must be. Fastify refuses a value that breaks its
 * schema with `<field> <rule>` (`mainBranch must be a string (or null to clear)`), or `the body
 * <rule>` for the body as a whole; it is an annotation only, and the document leaves it out.
 */
export const RULE_KEYWORD = 'x-rule';

/**
 * `schema`, with the rule its clients are told when they break it. A body's own schema carries one
 * when it is exact: Fastify then validates that body, and the route checks nothing by hand.
 *
 * @example ruled('must be true or false', nullable(boolean))
 */
export const ruled = <T extends Schema>(rule: string, schema: T): T => ({ ...schema, [RULE_KEYWORD]: rule });

/**
 * The keyword of a body whose errors are keyed by where they are (`request.url`, `events[1].name`)
 * rather than by top-level field: a webhook's, whose errors the official client reads by that path.
 */
export const KEYED_BY_PATH_KEYWORD = 'x-errors-by-path';

/**
 * A body's `schema` whose errors are keyed by their full path (see KEYED_BY_PATH_KEYWORD).
 *
 * @example keyedByPath(ruled('must be a JSON object', object({ request: ref('WebhookRequestInput') })))
 */
export const keyedByPath = <T extends Schema>(schema: T): T => ({ ...schema, [KEYED_BY_PATH_KEYWORD]: true });

/** An optional text field that `null` clears or leaves out, with its rule. */
export const nullableText = (rule = 'must be a string') => ruled(rule, nullable(string));

/**
 * A name, version number, branch or tag: a non-blank single line (its length is checked where it
 * is read, so the message can say how long it was).
 */
export const nameText = ruled(
  'must be a non-blank single line',
  Type.String({ pattern: '^[^\\r\\n]*\\S[^\\r\\n]*$' }),
);

/** An object with these required and optional properties; others are allowed. */
export function object(required: Record<string, Schema>, optional: Record<string, Schema> = {}): TObject {
  const properties: TProperties = {};
  for (const [name, schema] of Object.entries(required)) properties[name] = typed(schema);
  for (const [name, schema] of Object.entries(optional)) properties[name] = Type.Optional(typed(schema));
  return Type.Object(properties, { additionalProperties: true });
}

/** `{ name }`, as pacts name their consumer and provider. */
export const named = object({ name: string });

component(
  'Link',
  described(
    'A HAL link. `templated` links carry RFC 6570 `{variables}` in `href`.',
    object({ href: string }, { title: string, name: string, templated: boolean }),
  ),
);
component('LinkOrLinks', Type.Union([ref('Link'), list(ref('Link'))]));

/** HAL `_links`: these relations required (each a link or a list of links), plus lists that are always lists. */
export function links(rels: string[], lists: string[] = []): TObject {
  const properties: TProperties = {};
  for (const rel of rels) properties[rel] = ref('LinkOrLinks');
  for (const rel of lists) properties[rel] = list(ref('Link'));
  return Type.Object(properties, { additionalProperties: ref('LinkOrLinks') });
}

/**
 * A HAL collection: `_embedded[key]` lists `item` component schemas, and `_links` has at least
 * `rels` (and `lists`, always lists).
 *
 * @example component('EnvironmentList', embeddedList('environments', 'Environment', ['self'], ['pb:environments']));
 */
export const embeddedList = (key: string, item: string, rels = ['self'], lists: string[] = []): TObject =>
  object({ _embedded: object({ [key]: list(ref(item)) }), _links: links(rels, lists) });

/** A HAL resource: its fields plus `_links` with at least `rels`. */
export const hal = (
  rels: string[],
  required: Record<string, Schema>,
  optional: Record<string, Schema> = {},
  lists: string[] = [],
): TObject => object({ ...required, _links: links(rels, lists) }, optional);

// ---- errors ---------------------------------------------------------------------------------------

const errorCode = described(
  "A stable code from the broker's catalog (docs/errors.md): branch on it, not on the wording.",
  Type.String({ pattern: '^COV_BROKER_[A-Z_]+$' }),
);
const errorHint = described('What to do about the error.', string);

component(
  'Problem',
  described(
    'An RFC 7807 problem, sent when the request accepts `application/problem+json`.',
    object(
      {
        type: string,
        title: string,
        status: Type.Integer(),
        detail: string,
        instance: string,
        code: errorCode,
        hint: errorHint,
      },
      {
        errors: list(
          object(
            { detail: string },
            { type: string, title: string, pointer: described('JSON Pointer', string) },
          ),
        ),
      },
    ),
  ),
);
component(
  'LegacyError',
  described(
    "The reference broker's error body for clients that do not ask for problem+json.",
    object({ error: string, code: errorCode, hint: errorHint }),
  ),
);
component(
  'LegacyErrors',
  described(
    "The reference broker's validation error body: messages by field, or a flat list (as `/matrix` and `/can-i-deploy` answer).",
    object({
      errors: Type.Union([Type.Object({}, { additionalProperties: list(string) }), list(string)]),
      code: errorCode,
      hint: errorHint,
    }),
  ),
);
component('LegacyErrorBody', Type.Union([ref('LegacyError'), ref('LegacyErrors')]));

/**
 * The response an error status gets: problem+json or the reference broker's legacy body, as the
 * client's Accept asks. http/openapi.ts names each once in the document (components.responses).
 */
export const errorResponse = (status: ProblemStatus) => ({
  description: `${PROBLEM_KINDS[status].description}. RFC 7807 for clients accepting ${PROBLEM}, otherwise the reference broker's {error} or {errors} body.`,
  content: {
    [PROBLEM]: { schema: ref('Problem') },
    [HAL]: { schema: ref('LegacyErrorBody') },
  },
});

// ---- operations -----------------------------------------------------------------------------------

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The `:name` parameters of a Fastify path, as a union of names. */
type ParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? Name
    : never;

type PathParams<Path extends string> = TObject<{ [Name in ParamNames<Path>]: TString }>;

const PATH_PARAMETERS: Record<string, string> = {
  pacticipant: "The pacticipant's name",
  consumer: "The consumer's name",
  provider: "The provider's name",
  version: 'A version number',
  tag: 'A tag name',
  branch: 'A branch name',
  label: 'A label name',
  sha: "The pact content's SHA-1 (its pact version)",
  other: 'The SHA-1 of the pact version to compare with',
  metadata:
    'What a for-verification link carries (base64url JSON): pending/WIP flags and the selected consumer versions',
  id: "The verification result's id",
};

function uuidDescription(path: string): string {
  if (path.startsWith('/webhooks')) return "The webhook's uuid";
  if (path.startsWith('/deployed-versions')) return "The deployed version's uuid";
  if (path.startsWith('/released-versions')) return "The released version's uuid";
  return "The environment's uuid";
}

/** The path's parameters, in path order, each a string described by its name. */
function pathParams<Path extends string>(path: Path): PathParams<Path> {
  const properties: TProperties = {};
  for (const [, name] of path.matchAll(/:(\w+)/g))
    properties[name!] = Type.String({
      description:
        name === 'uuid' ? uuidDescription(path) : `${PATH_PARAMETERS[name!] ?? name} (percent-encoded)`,
    });
  return Type.Object(properties) as unknown as PathParams<Path>;
}

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** `GET /pacticipants/:pacticipant/versions` → `getPacticipantsByPacticipantVersions`. */
export function operationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((part) => part !== '')
    .map((part) => (part.startsWith(':') ? `By${capitalise(part.slice(1))}` : part))
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter((word) => word !== '')
    .map(capitalise);
  return method.toLowerCase() + (words.length > 0 ? words.join('') : 'Index');
}

/** A success response: its description and, unless it has no body, its component schema and media type. */
export interface Success {
  description: string;
  schema?: string;
  media?: string;
  /** Other media types the same answer comes in (by Accept), each with its component schema. */
  alternatives?: Record<string, string>;
}

export const ok = (schema: string, description = 'OK'): Record<number, Success> => ({
  200: { description, schema },
});
export const upserted = (schema: string, what: string): Record<number, Success> => ({
  200: { description: `${what} updated (or unchanged)`, schema },
  201: { description: `${what} created`, schema },
});
export const created = (schema: string, what: string): Record<number, Success> => ({
  201: { description: `${what} created`, schema },
});
export const deleted: Record<number, Success> = { 204: { description: 'Deleted' } };

interface OperationSpec<Path extends string, Query extends TObject | undefined> {
  method: Method;
  /** Fastify form: `/pacticipants/:pacticipant`. */
  path: Path;
  tag: string;
  summary: string;
  description?: string;
  query?: Query;
  /** The component schema of the JSON request body. */
  body?: string;
  /** Whether the body may be left out (most writes read a missing body as `{}`). */
  bodyOptional?: boolean;
  ok: Record<number, Success>;
  /** Client errors beyond those every operation of its kind can answer (400, 401; 403/413/415 for writes). */
  errors?: ProblemStatus[];
  /** Answered without credentials. */
  public?: boolean;
}

/** Operations whose request body may be left out, by operationId (http/openapi.ts marks them). */
export const optionalBodies = new Set<string>();

/**
 * One route's schema: its path parameters (from the path), query, body and every response it may
 * give, success and error. Fastify validates the parameters and query with it and types the handler
 * from it; @fastify/swagger turns it into the route's OpenAPI operation (http/openapi.ts).
 *
 * @example
 * const getPacticipant = operation({ method: 'GET', path: '/pacticipants/:pacticipant', tag: 'Pacticipants', summary: 'A pacticipant', ok: ok('Pacticipant') });
 * app.get('/pacticipants/:pacticipant', { schema: getPacticipant }, async (request) => request.params.pacticipant);
 */
export function operation<Path extends string, Query extends TObject | undefined = undefined>(
  spec: OperationSpec<Path, Query>,
) {
  const params = pathParams(spec.path);
  const hasParams = Object.keys(params.properties).length > 0;
  const writes = spec.method !== 'GET';
  const id = operationId(spec.method, spec.path);
  if (spec.bodyOptional) optionalBodies.add(id);

  const response: Record<string, unknown> = {};
  for (const [status, success] of Object.entries(spec.ok))
    response[status] = success.schema
      ? {
          description: success.description,
          content: Object.fromEntries(
            Object.entries({ [success.media ?? HAL]: success.schema, ...success.alternatives }).map(
              ([media, schema]) => [media, { schema: ref(schema) }],
            ),
          ),
        }
      : success.media === SVG
        ? { description: success.description, content: { [SVG]: { schema: string } } }
        : { description: success.description, type: 'null' };
  const errors = new Set<ProblemStatus>(spec.errors ?? []);
  if (!spec.public) errors.add(401);
  if (writes) for (const status of [403, 413, 415] as const) errors.add(status);
  // any request can be malformed (a path that is not valid percent-encoding, a NUL, a body the
  // broker cannot read), too large in its URL and headers, or too slow; a path with a name, too long
  errors.add(400);
  errors.add(408);
  errors.add(431);
  if (hasParams) errors.add(414);
  // any request may find the database away (PostgreSQL restarting), any write a deletion racing it
  errors.add(503);
  // an operation that answers a status as a success of its own (the dependencies' 503) keeps it
  for (const status of [...errors].sort((a, b) => a - b)) response[status] ??= errorResponse(status);

  return {
    operationId: id,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    ...(spec.public ? { security: [] } : {}),
    params,
    ...(spec.query ? { querystring: spec.query } : {}),
    ...(spec.body ? { body: ref(spec.body) } : {}),
    response,
  } as {
    operationId: string;
    summary: string;
    tags: string[];
    params: PathParams<Path>;
    body?: TSchema;
    response: Record<string, unknown>;
  } & (Query extends TObject ? { querystring: Query } : unknown);
}

/** A query parameter as the query parser gives it: a string, or a list when repeated (the route decides). */
export const queryValue = (description: string) =>
  Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description }));

/** A query parameter that must be given. */
export const requiredQueryValue = (description: string) =>
  Type.Union([Type.String(), Type.Array(Type.String())], { description });

/** The query of a route: its parameters, and any others (the route ignores them). */
export const query = (properties: TProperties) => Type.Object(properties, { additionalProperties: true });
