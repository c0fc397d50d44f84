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
