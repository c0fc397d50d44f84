import type { FastifyRequest } from 'fastify';
import { HttpProblem } from './problem.js';

/**
 * The request's JSON body as an object; no body (or `null`) is an empty one. Anything else (a list,
 * a string, a number) is refused with a 400 whose message names the `fields` the resource expects.
 *
 * @example const { name } = bodyObject<{ name?: unknown }>(request, 'a name');
 */
export function bodyObject<T extends object = Record<string, unknown>>(
  request: FastifyRequest,
  fields?: string,
): T {
  const body = request.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    const message = `the body must be a JSON object${fields ? ` with ${fields}` : ''}`;
    throw new HttpProblem(400, 'Validation errors', message, { body: [message] });
  }
  return body as T;
}

/**
 * The request's body, once Fastify has validated it against a route schema that states its rules
 * (routes/schemas `ruled`): typed as that schema says; no body (or `null`) is an empty one.
 *
 * @example const { buildUrl, tags } = validBody<VersionInput>(request);
 */
export function validBody<T extends object>(request: FastifyRequest): Partial<T> {
  return (request.body ?? {}) as Partial<T>;
}
