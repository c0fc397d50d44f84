import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { components, KEYED_BY_PATH_KEYWORD, RULE_KEYWORD } from '../routes/schemas/index.js';
import { HttpProblem } from './problem.js';

// both are CommonJS with `exports.default`: the class is `.default` under Node's ESM interop
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

/**
 * One Ajv for every route: no type coercion (a `5` is not the string `"5"`), no removal of
 * properties a schema does not name (pacts and HAL bodies are open-ended), no defaults written into
 * the request; every mistake reported, not only the first.
 */
const ajv = new Ajv2020({
  coerceTypes: false,
  removeAdditional: false,
  useDefaults: false,
  allErrors: true,
  strict: true,
  strictTypes: false,
  strictRequired: false,
  // each error carries the schema it broke, whose rule (RULE_KEYWORD) words the message
  verbose: true,
  // checking each schema against the JSON Schema meta-schema compiled that meta-schema at every
  // start (a third of createApp); strict mode still refuses unknown keywords, and openapi.test.ts
  // checks every schema against the meta-schema
  validateSchema: false,
});
ajv.addKeyword({ keyword: RULE_KEYWORD, schemaType: 'string' });
ajv.addKeyword({ keyword: KEYED_BY_PATH_KEYWORD, schemaType: 'boolean' });
addFormats(ajv);
for (const schema of components) ajv.addSchema(schema);

/** Where a failing value sits: `consumerVersionSelectors[0].tag`, or `body` for the whole body. */
function pathOf(error: ErrorObject, part: string): string {
  const segments = error.instancePath.split('/').slice(1);
  if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
  if (segments.length === 0) return part;
  return segments
    .map((segment, index) => (/^\d+$/.test(segment) ? `[${segment}]` : `${index > 0 ? '.' : ''}${segment}`))
    .join('')
    .replace(/~1/g, '/')
    .replace(/~0/g, '~');
}

/** The rule a failing value broke, in words, when its schema states one (see `ruled`). */
function ruleOf(error: ErrorObject): string | undefined {
  const schema = error.parentSchema as Record<string, unknown> | undefined;
  // a missing property is told its own rule (`name is required (a string)`)
  const broken =
    error.keyword === 'required'
      ? (schema?.properties as Record<string, Record<string, unknown>> | undefined)?.[
          String(error.params.missingProperty)
        ]
      : schema;
  const rule = broken?.[RULE_KEYWORD];
  return typeof rule === 'string' ? rule : undefined;
}

/** Whether `path` is `at` or inside it (`/tags/0` is inside `/tags`). */
const within = (path: string, at: string) => path === at || path.startsWith(`${at}/`);

/** Where an error is: its value's place, or for a missing property, the property's. */
const placeOf = (error: ErrorObject) =>
  error.keyword === 'required'
    ? `${error.instancePath}/${String(error.params.missingProperty)}`
    : error.instancePath;

/**
 * The 400 a request gets when its `part` fails its schema: the broker's validation problem, with
 * messages by field (the top-level property, or `body` for the body as a whole), as the routes'
 * own checks answered. A value whose schema states a rule gets that rule, and what its subschemas
 * said (each branch of a `string | null`) is left out; but a rule broken deeper down says more
 * (`consumerVersionSelectors[0].tag must be a non-blank string`, not `consumerVersionSelectors
 * must be a list`), so it wins over the rule of the value holding it. A body keyed by path
 * (KEYED_BY_PATH_KEYWORD) has its messages by where they are (`request.url`) instead.
 */
function problemOf(errors: ErrorObject[], part: string, keyedByPath = false): HttpProblem {
  const ruled = errors.filter((error) => ruleOf(error) !== undefined);
  const deeperRule = (error: ErrorObject) =>
    ruled.some((other) => placeOf(other) !== placeOf(error) && within(placeOf(other), placeOf(error)));
  const byField: Record<string, string[]> = {};
  for (const error of errors) {
    const rule = ruleOf(error);
    if (rule === undefined) {
      if (ruled.some((other) => within(error.instancePath, placeOf(other)))) continue;
      // an anyOf's own error repeats what its branches said
      if (error.keyword === 'anyOf') continue;
    } else if (deeperRule(error)) continue;
    const path = pathOf(error, part === 'querystring' ? 'query' : part);
    const field = keyedByPath ? path : path.split(/[.[]/, 1)[0]!;
    const sentence =
      rule ?? (error.keyword === 'required' ? 'is required' : (error.message ?? 'is not valid'));
    const message = path === 'body' ? `the body ${sentence}` : `${path} ${sentence}`;
    const messages = (byField[field] ??= []);
    if (!messages.includes(message)) messages.push(message);
  }
  return new HttpProblem(400, 'Validation errors', Object.values(byField).flat().join('; '), byField);
}

const accept = (data: unknown) => ({ value: data });

/** Each distinct schema is compiled once, however many routes and apps use it (tests start hundreds). */
const compiled = new Map<string, ValidateFunction>();

/** The body schemas that state their rules (`ruled` at their top), by `$id`: Fastify validates these bodies. */
const ruledBodies = new Map(
  components.filter((schema) => RULE_KEYWORD in schema).map((schema) => [String(schema.$id), schema]),
);

/** The validator of `schema`, compiled once however many routes and apps use it (tests start hundreds). */
function validatorOf(schema: unknown): ValidateFunction {
  const key = JSON.stringify(schema);
  const validate = compiled.get(key) ?? ajv.compile(schema as object);
  compiled.set(key, validate);
  return validate;
}

/**
 * Fastify's validator compiler for the route schemas (routes/schemas): path parameters, query and
 * the bodies whose schemas state their rules. A missing or `null` body is validated as `{}`, as the
 * routes read it.
 *
 * A body whose schema states no rule is documented only and checked by its route or service: its
 * messages need what a schema cannot say (the length it got, one field against another, a date
 * that parses).
 */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const body = httpPart === 'body';
  const bodySchema = ruledBodies.get(String((schema as { $ref?: unknown }).$ref));
  if (body && !bodySchema) return accept;
  const keyedByPath = bodySchema?.[KEYED_BY_PATH_KEYWORD] === true;
  // compiled at the route's first request, not at startup: compiling all of them took most of
  // createApp's time (openapi.test.ts compiles every schema, so a broken one still fails a test)
  let validate: ValidateFunction | undefined;
  return (data: unknown) => {
    validate ??= validatorOf(schema);
    const checked = body ? (data ?? {}) : data;
    return validate(checked)
      ? accept(data)
      : { error: problemOf(validate.errors ?? [], httpPart ?? 'request', keyedByPath) };
  };
};
