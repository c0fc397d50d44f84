import { BrokerRequestError, type RequestErrorCode } from '../errors.js';

/** What the broker answers with each error status. */
export interface ProblemKind {
  /** The code a response carries when its thrower names none. */
  code: RequestErrorCode;
  /** The last segment of the problem+json `type` URL. */
  type: string;
  /** The OpenAPI document's name for the response. */
  name: string;
  /** What it means, for the OpenAPI document. */
  description: string;
}

/**
 * Every error status the broker answers, with its default code, problem type and OpenAPI response
 * (http/openapi.ts documents these). 414 and 431 are both a URL too large (one segment, or the URL with
 * the headers): they share a code.
 */
export const PROBLEM_KINDS = {
  400: {
    code: 'COV_BROKER_REQUEST_INVALID',
    type: 'validation-error',
    name: 'BadRequest',
    description: 'Validation errors, or a body that is not valid JSON',
  },
  401: {
    code: 'COV_BROKER_UNAUTHORIZED',
    type: 'unauthorized',
    name: 'Unauthorized',
    description: 'No or wrong credentials (only when the broker has authentication configured)',
  },
  403: {
    code: 'COV_BROKER_FORBIDDEN',
    type: 'forbidden',
    name: 'Forbidden',
    description: 'Read-only credentials used to write',
  },
  404: { code: 'COV_BROKER_NOT_FOUND', type: 'not-found', name: 'NotFound', description: 'No such resource' },
  405: {
    code: 'COV_BROKER_METHOD_NOT_ALLOWED',
    type: 'method-not-allowed',
    name: 'MethodNotAllowed',
    description: 'The resource does not take this method; the Allow header lists those it takes',
  },
  408: {
    code: 'COV_BROKER_REQUEST_MALFORMED',
    type: 'request-timeout',
    name: 'RequestTimeout',
    description:
      'The whole request did not arrive within the request timeout (the connection is then closed)',
  },
  409: {
    code: 'COV_BROKER_CONFLICT',
    type: 'conflict',
    name: 'Conflict',
    description: 'Different content for a pact already published for this consumer version',
  },
  413: {
    code: 'COV_BROKER_BODY_TOO_LARGE',
    type: 'payload-too-large',
    name: 'PayloadTooLarge',
    description: 'The request body is larger than the limit',
  },
  414: {
    code: 'COV_BROKER_REQUEST_MALFORMED',
    type: 'uri-too-long',
    name: 'UriTooLong',
    description: 'A path segment (a name, version or other) is longer than 1000 characters',
  },
  415: {
    code: 'COV_BROKER_MEDIA_TYPE_UNSUPPORTED',
    type: 'unsupported-media-type',
    name: 'UnsupportedMediaType',
    description: 'The request body is not JSON, or is compressed',
  },
  431: {
    code: 'COV_BROKER_REQUEST_MALFORMED',
    type: 'request-header-fields-too-large',
    name: 'RequestHeaderFieldsTooLarge',
    description: 'The URL and headers together are larger than 16 KB (the connection is then closed)',
  },
  500: {
    code: 'COV_BROKER_INTERNAL_ERROR',
    type: 'server-error',
    name: 'InternalServerError',
    description: 'The broker failed to handle the request; its log has the cause',
  },
  501: {
    code: 'COV_BROKER_NOT_IMPLEMENTED',
    type: 'not-implemented',
    name: 'NotImplemented',
    description: 'Not implemented by this broker',
  },
  503: {
    code: 'COV_BROKER_DATABASE_UNREACHABLE',
    type: 'service-unavailable',
    name: 'ServiceUnavailable',
    description:
      'The database cannot be reached right now, or a concurrent deletion raced the write (nothing was stored): send the request again after the seconds in Retry-After',
  },
} as const satisfies Record<number, ProblemKind>;

export type ProblemStatus = keyof typeof PROBLEM_KINDS;

const kindOf = (status: number): ProblemKind | undefined =>
  (PROBLEM_KINDS as Record<number, ProblemKind>)[status];

/**
 * A refusal the HTTP layer words itself (the router's, the body parser's, a route's own checks),
 * given by status and title; its code is the status's own (PROBLEM_KINDS) unless named. The rules in
 * domain/ throw catalog errors instead ({@link requestError}); both are answered alike.
 */
export class HttpProblem extends BrokerRequestError {
  constructor(
    status: number,
    title: string,
    detail: string,
    /** Field errors, for validation problems: `{ field: ['message'] }`. */
    errors?: Record<string, string[]>,
    /** `code`: the catalog code, when not the status's own (PROBLEM_KINDS). */
    options: { legacyErrors?: 'map' | 'list'; code?: RequestErrorCode } = {},
  ) {
    super(
      options.code ??
        kindOf(status)?.code ??
        (status >= 500 ? 'COV_BROKER_INTERNAL_ERROR' : 'COV_BROKER_REQUEST_INVALID'),
      detail,
      { status, title, errors, ...(options.legacyErrors ? { legacyErrors: options.legacyErrors } : {}) },
    );
  }
}

/** The response body and content type for a problem, negotiated by the Accept header. */
export function problemBody(
  problem: BrokerRequestError,
  accept: string | undefined,
  baseUrl: string,
  instance: string,
) {
  // the reference broker's clients (which often send no Accept at all) read the legacy shape;
  // RFC 7807 is for those who ask for it
  const wantsProblem = accept?.includes('application/problem+json') === true;
  if (wantsProblem) {
    const body: Record<string, unknown> = {
      type: `${baseUrl}/problems/${kindOf(problem.status)?.type ?? 'error'}`,
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      instance,
      code: problem.code,
      hint: problem.hint,
    };
    if (problem.errors) {
      body.errors = Object.entries(problem.errors).flatMap(([field, messages]) =>
        messages.map((message) => ({
          type: `${baseUrl}/problems/invalid-body-property-value`,
          title: 'Invalid body parameter',
          detail: message,
          pointer: `/${field}`,
        })),
      );
    }
    return { contentType: 'application/problem+json;charset=utf-8', body };
  }
  return {
    contentType: 'application/hal+json;charset=utf-8',
    body: {
      ...(problem.errors
        ? { errors: problem.legacyErrors === 'list' ? Object.values(problem.errors).flat() : problem.errors }
        : { error: problem.detail }),
      code: problem.code,
      hint: problem.hint,
    },
  };
}
