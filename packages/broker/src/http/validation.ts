import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { components } from '../routes/schemas/index.js';
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
});
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

/**
 * The 400 a request gets when its `part` fails its schema: the broker's validation problem, with
 * messages by field (the top-level property, or `body` for the body as a whole), as the routes'
 * own checks answer.
 */
function problemOf(errors: ErrorObject[], part: string): HttpProblem {
  const byField: Record<string, string[]> = {};
  for (const error of errors) {
    // an anyOf's own error repeats what its branches said
    if (error.keyword === 'anyOf') continue;
    const path = pathOf(error, part === 'querystring' ? 'query' : part);
    const field = path.split(/[.[]/, 1)[0]!;
    const message =
      error.keyword === 'required' ? `${path} is required` : `${path} ${error.message ?? 'is not valid'}`;
    const messages = (byField[field] ??= []);
    if (!messages.includes(message)) messages.push(message);
  }
  return new HttpProblem(400, 'Validation errors', Object.values(byField).flat().join('; '), byField);
}

const accept = (data: unknown) => ({ value: data });

/** Each distinct schema is compiled once, however many routes and apps use it (tests start hundreds). */
const compiled = new Map<string, ValidateFunction>();

/**
 * Fastify's validator compiler for the route schemas (routes/schemas): path parameters and query.
 *
 * Bodies are documented by their schemas but still checked by the routes: their messages name
 * nested fields (`request.url`, `consumerVersionSelectors[0].tag`), collect every mistake, and come
 * after the 404 of a missing resource, and clients (and client-mistakes.test.ts) rely on all three.
 */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  if (httpPart === 'body') return accept;
  const key = JSON.stringify(schema);
  const validate = compiled.get(key) ?? ajv.compile(schema);
  compiled.set(key, validate);
  return (data: unknown) =>
    validate(data) ? accept(data) : { error: problemOf(validate.errors ?? [], httpPart ?? 'request') };
};
