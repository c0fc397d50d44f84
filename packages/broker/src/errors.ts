import { type ErrorDefinition, errorFactory } from '@covenant/core';

/**
 * A catalog entry. The codes of error responses also carry the HTTP `status` they are answered with
 * (in fastify's `createError` style: code, status, message and hint in one place); the handler in
 * http/app.ts reads it, so the rules that throw them never pick a status.
 */
interface BrokerErrorDefinition extends ErrorDefinition {
  status?: number;
  /** For a 503: the seconds a client should wait before sending the request again (`Retry-After`). */
  retryAfter?: number;
}

/**
 * The errors `@covenant/broker` raises while starting, and the codes of its error responses (each
 * response body carries its `code` and `hint`).
 */
export const brokerErrors = {
  COV_BROKER_DATABASE_UNAVAILABLE: {
    title: 'The broker database cannot be opened or migrated',
    hint: 'Check --database (a writable SQLite file path, or a postgres:// URL with credentials) and that PostgreSQL is running.',
  },
  COV_BROKER_SQLITE_NOT_LOADED: {
    title: "The SQLite driver's native module (better-sqlite3) cannot be loaded",
    hint: 'Rebuild it for the Node.js that runs the broker: `npm rebuild better-sqlite3` (npm 11 runs its build only once allowed: `npm install-scripts approve better-sqlite3`, then rebuild); or use PostgreSQL (--database postgres://...).',
  },
  COV_BROKER_DATABASE_MIGRATION_FAILED: {
    title: 'The SQLite database schema cannot be brought up to date',
    hint: 'Check that the file and its directory are writable and the disk has space, then start the broker again: the migrations are safe to re-run after an interrupted start.',
  },
  COV_BROKER_DATABASE_SYNC_FAILED: {
    status: 500,
    title: 'The SQLite write-ahead log could not be synced to disk',
    hint: 'Check the disk holding the database (full, read-only, failing, or its permissions changed), then restart the broker: it accepts no more writes until then. A write answered with this error may have been stored but is not known to be on disk.',
  },
  COV_BROKER_LISTEN_FAILED: {
    title: 'The broker cannot listen on the given host and port',
    hint: 'Choose another --port (the default is 9292) or stop what is using it.',
  },
  COV_BROKER_CONFIG_INVALID: {
    title: 'The broker configuration is invalid',
    hint: 'Fix the option the message names (for covenant broker, its flag): a basic-auth user needs both a username and a password, the base URL must be http:// or https://, the database a SQLite file path or a postgres:// URL, the body limit and request timeout whole numbers above 0.',
  },
  COV_BROKER_CLEAN_CONFIG_INVALID: {
    title: 'The database clean configuration is invalid',
    hint: 'Fix the PACT_BROKER_DATABASE_CLEAN_* variable (or covenant broker clean flag) the message names: a five-field cron schedule such as "15 2 * * *", a JSON array of keep selectors such as [{"branch": true, "latest": true}, {"max_age": 90}], a deletion limit above 0, a max age in whole days, true or false for the switches.',
  },
  // --- request errors: the `code` and `hint` of every error response (see http/problem.ts) ---
  COV_BROKER_REQUEST_INVALID: {
    status: 400,
    title: 'The broker refused a request as invalid',
    hint: 'Fix what the message and its field errors name; /openapi.json describes every resource, its body fields and its query parameters.',
  },
  COV_BROKER_BODY_INVALID_JSON: {
    status: 400,
    title: 'A request body is not valid JSON',
    hint: 'Send the body as JSON (the message gives the position of the syntax error), or leave it out where the resource allows.',
  },
  COV_BROKER_MEDIA_TYPE_UNSUPPORTED: {
    status: 415,
    title: 'A request body is not sent as uncompressed JSON',
    hint: 'Send the body as JSON, uncompressed: with Content-Type: application/json (or another JSON type, such as application/hal+json) and no Content-Encoding.',
  },
  COV_BROKER_BODY_TOO_LARGE: {
    status: 413,
    title: 'A request body is larger than the broker accepts',
    hint: "Send a smaller body, or start the broker with a larger limit (covenant broker --body-limit <bytes> or PACT_BROKER_BODY_LIMIT; startBroker's bodyLimit option; 10 MB by default).",
  },
  COV_BROKER_REQUEST_MALFORMED: {
    status: 400,
    title: 'A request is not valid HTTP, is too large in its URL and headers, or arrived too slowly',
    hint: "Check the client or proxy in front of the broker: the request line and headers must be valid HTTP/1.1, each path segment (a name or version) must be at most 1000 characters, the URL with its query string and the headers (with cookies and Authorization) must fit in 16 KB together, and the whole request must arrive within the request timeout (covenant broker --request-timeout <ms> or PACT_BROKER_REQUEST_TIMEOUT; startBroker's requestTimeout option; 120 s by default).",
  },
  COV_BROKER_NOT_FOUND: {
    status: 404,
    title: 'The broker has no such resource',
    hint: 'Check the names, versions and uuids in the URL (they are case-sensitive and percent-encoded): GET /pacticipants lists the pacticipants, /pacticipants/{name}/versions their versions, /environments the environments; GET / lists every relation.',
  },
  COV_BROKER_METHOD_NOT_ALLOWED: {
    status: 405,
    title: 'The resource does not accept this HTTP method',
    hint: "Use one of the methods in the response's Allow header; /openapi.json lists each resource's operations.",
  },
  COV_BROKER_CONFLICT: {
    status: 409,
    title: 'The request conflicts with what the broker already holds',
    hint: "A consumer version has one pact per provider: publish changed content under a new consumer version (or start the broker letting pacts change: covenant broker --allow-contract-modification or PACT_BROKER_ALLOW_CONTRACT_MODIFICATION=true; startBroker's allowContractModification option).",
  },
  COV_BROKER_UNAUTHORIZED: {
    status: 401,
    title: 'The broker needs credentials, or refused the ones sent',
    hint: 'Send basic auth or a bearer token the broker is configured with (for the clients: PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD, or PACT_BROKER_TOKEN).',
  },
  COV_BROKER_FORBIDDEN: {
    status: 403,
    title: 'The credentials sent may only read',
    hint: 'Use the read-write user or token to publish, record deployments and make other changes.',
  },
  COV_BROKER_NOT_IMPLEMENTED: {
    status: 501,
    title: 'The broker does not implement this operation',
    hint: 'Leave the operation out; the message says what the broker offers instead.',
  },
  COV_BROKER_DATABASE_UNREACHABLE: {
    status: 503,
    // a PostgreSQL restart or failover takes seconds; the pool reconnects on the next request
    retryAfter: 5,
    title: 'The broker cannot reach its PostgreSQL database right now',
    hint: 'Retry shortly: the broker reconnects by itself once PostgreSQL answers again (no restart needed). If it lasts, check that PostgreSQL is running and reachable from the broker. A write answered with this error was not stored, unless the connection was lost during its commit: read it back before sending it again if it must not be repeated.',
  },
  COV_BROKER_WRITE_RACED: {
    status: 503,
    // the deletion it raced has committed by then: the same write goes through at once
    retryAfter: 1,
    title: 'A concurrent change deleted what this write refers to',
    hint: 'Send the same request again: nothing of it was stored, and the write creates anew what it needs (a version, a branch). It happens when a database clean or a DELETE removes a version, branch or pact at the very moment a write refers to it.',
  },
  COV_BROKER_INTERNAL_ERROR: {
    status: 500,
    title: 'The broker failed to handle a request',
    hint: "Not a mistake in the request: the broker's log has the cause. Report it with the request that caused it.",
  },
} as const satisfies Record<string, BrokerErrorDefinition>;

export type BrokerErrorCode = keyof typeof brokerErrors;

export const brokerError = errorFactory(brokerErrors);

/** The codes a request can be refused with: those with a status. */
export type RequestErrorCode = {
  [C in BrokerErrorCode]: (typeof brokerErrors)[C] extends { status: number } ? C : never;
}[BrokerErrorCode];

/** The title a response gives each status the rules answer with (the reference broker's words). */
const RESPONSE_TITLES: Record<number, string> = {
  400: 'Validation errors',
  404: 'Not found',
  409: 'Conflict',
};

/**
 * A request the broker refuses or failed: a catalog code (whose entry gives the status and hint) and
 * what was wrong. Rules throw it with {@link requestError}; the app's error handler answers it as
 * problem+json or in the reference broker's legacy shape, whichever the client's Accept asks for.
 */
export class BrokerRequestError extends Error {
  readonly status: number;
  readonly title: string;
  /** How the legacy (non-problem+json) body carries `errors`: a field map, or a flat list (as `/matrix` does). */
  readonly legacyErrors: 'map' | 'list';
  /** Field errors, for validation problems: `{ field: ['message'] }`. */
  readonly errors: Record<string, string[]> | undefined;

  constructor(
    readonly code: RequestErrorCode,
    readonly detail: string,
    options: {
      errors?: Record<string, string[]> | undefined;
      /** For the codes one status does not describe (a malformed request: 400, 408, 414 or 431). */
      status?: number;
      title?: string;
      legacyErrors?: 'map' | 'list';
    } = {},
  ) {
    super(detail);
    this.name = 'BrokerRequestError';
    this.status = options.status ?? brokerErrors[code].status;
    this.title = options.title ?? RESPONSE_TITLES[this.status] ?? 'Bad request';
    this.legacyErrors = options.legacyErrors ?? 'map';
    this.errors = options.errors;
  }

  get hint(): string {
    return brokerErrors[this.code].hint;
  }

  /** The seconds to wait before retrying, for the codes that say (sent as `Retry-After`). */
  get retryAfter(): number | undefined {
    const definition: BrokerErrorDefinition = brokerErrors[this.code];
    return definition.retryAfter;
  }
}

/**
 * A refusal from the catalog.
 *
 * @example
 * throw requestError('COV_BROKER_NOT_FOUND', `no pacticipant named '${name}'`);
 * throw requestError('COV_BROKER_REQUEST_INVALID', 'name is required', { errors: { name: ['is required'] } });
 */
export const requestError = (
  code: RequestErrorCode,
  detail: string,
  options?: ConstructorParameters<typeof BrokerRequestError>[2],
) => new BrokerRequestError(code, detail, options);
