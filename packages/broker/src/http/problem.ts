import { type BrokerErrorCode, brokerErrors } from '../errors.js';

/** The code an error response carries when its thrower names none, by status. */
const CODE_BY_STATUS: Record<number, BrokerErrorCode> = {
  400: 'COV_BROKER_REQUEST_INVALID',
  401: 'COV_BROKER_UNAUTHORIZED',
  403: 'COV_BROKER_FORBIDDEN',
  404: 'COV_BROKER_NOT_FOUND',
  405: 'COV_BROKER_METHOD_NOT_ALLOWED',
  409: 'COV_BROKER_CONFLICT',
  413: 'COV_BROKER_BODY_TOO_LARGE',
  415: 'COV_BROKER_MEDIA_TYPE_UNSUPPORTED',
  431: 'COV_BROKER_REQUEST_MALFORMED',
  501: 'COV_BROKER_NOT_IMPLEMENTED',
};

/**
 * A client error or a known failure, answered as RFC 7807 problem+json (or the reference broker's
 * legacy `{error}` / `{errors}` shape for clients that ask for HAL or plain JSON). Both shapes carry
 * a stable `code` from the broker's catalog and its `hint`.
 */
export class HttpProblem extends Error {
  readonly code: BrokerErrorCode;
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    /** Field errors, for validation problems: `{ field: ['message'] }`. */
    readonly errors?: Record<string, string[]>,
    /** How the legacy (non-problem+json) body carries `errors`: a field map, or a flat list (as `/matrix` does). */
    readonly legacyErrors: 'map' | 'list' = 'map',
    code?: BrokerErrorCode,
  ) {
    super(detail);
    this.code =
      code ??
      CODE_BY_STATUS[status] ??
      (status >= 500 ? 'COV_BROKER_INTERNAL_ERROR' : 'COV_BROKER_REQUEST_INVALID');
  }

  get hint(): string {
    return brokerErrors[this.code].hint;
  }
}

export const notFound = (what: string) => new HttpProblem(404, 'Not found', `${what} was not found`);
export const badRequest = (detail: string, errors?: Record<string, string[]>) =>
  new HttpProblem(400, 'Validation errors', detail, errors ?? { base: [detail] });
export const conflict = (detail: string) => new HttpProblem(409, 'Conflict', detail);

const PROBLEM_TYPES: Record<number, string> = {
  400: 'validation-error',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  431: 'request-header-fields-too-large',
  500: 'server-error',
};

/** The response body and content type for a problem, negotiated by the Accept header. */
export function problemBody(
  problem: HttpProblem,
  accept: string | undefined,
  baseUrl: string,
  instance: string,
) {
  // the reference broker's clients (which often send no Accept at all) read the legacy shape;
  // RFC 7807 is for those who ask for it
  const wantsProblem = accept?.includes('application/problem+json') === true;
  if (wantsProblem) {
    const body: Record<string, unknown> = {
      type: `${baseUrl}/problems/${PROBLEM_TYPES[problem.status] ?? 'error'}`,
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
