// One HTTP helper for the tests that talk to a server (a broker, a provider, a stub): the status,
// headers, text and parsed JSON of an answer, with the test's standing headers on every request.
import { type AddressInfo, createServer, type Server } from 'node:net';

/** What a test reads from an answer. `json` is the parsed body, or undefined when it is not JSON. */
export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers of every shape
  json: any;
}

/** Sends one request: a body that is not a string is sent as JSON; a path may be a whole URL. */
export type Call = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<CallResult>;

export interface CallerOptions {
  /** Headers on every request (before the per-call ones); `Accept: application/hal+json` by default. */
  headers?: Record<string, string>;
  /** `manual` keeps redirects as answers (badges, `latest` links); fetch follows them by default. */
  redirect?: 'follow' | 'manual' | 'error';
}

/** The body as JSON, or undefined when it is empty or not JSON (an HTML page, an SVG badge). */
export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A `call()` for the server at `baseUrl`, over a real socket. `baseUrl` may be a function, for a
 * server started in `beforeAll` after the caller is made.
 *
 * @example
 * const call = caller(() => broker.url, { headers: { Authorization: writer } });
 * expect((await call('PUT', '/pacticipants/Billing', {})).status).toBe(201);
 */
export function caller(baseUrl: string | (() => string), options: CallerOptions = {}): Call {
  return async (method, path, body, headers = {}) => {
    const base = typeof baseUrl === 'function' ? baseUrl() : baseUrl;
    const response = await fetch(/^https?:/.test(path) ? path : `${base}${path}`, {
      method,
      ...(options.redirect ? { redirect: options.redirect } : {}),
      headers: {
        Accept: 'application/hal+json',
        ...options.headers,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: parseJson(text) };
  };
}

/** The part of a Fastify instance `injectCaller` uses. */
export interface Injectable {
  inject(request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    payload?: string;
  }): PromiseLike<{ statusCode: number; headers: Record<string, unknown>; body: string }>;
}

/**
 * A `call()` that answers through Fastify's `inject`, with no socket: for API tests where the
 * network is not the point (auth, timeouts and clients keep real sockets).
 *
 * @example const call = injectCaller(createApp({ db }), { headers: { Authorization: writer } });
 */
export function injectCaller(app: Injectable | (() => Injectable), options: CallerOptions = {}): Call {
  return async (method, path, body, headers = {}) => {
    const target = typeof app === 'function' ? app() : app;
    const response = await target.inject({
      method,
      url: path.replace(/^https?:\/\/[^/]+/, ''),
      headers: {
        Accept: 'application/hal+json',
        ...options.headers,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const answerHeaders = new Headers();
    for (const [name, value] of Object.entries(response.headers))
      if (value !== undefined)
        answerHeaders.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    return {
      status: response.statusCode,
      headers: answerHeaders,
      text: response.body,
      json: parseJson(response.body),
    };
  };
}

/**
 * Starts `server` on a free port of 127.0.0.1 and returns its base URL.
 *
 * @example const url = await listen(http.createServer(handler)); // http://127.0.0.1:40123
 */
export async function listen(server: Server, scheme: 'http' | 'https' = 'http'): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port free on 127.0.0.1 just now, for a process the test starts that must be told its port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await close(server);
  return port;
}

/** Closes `server`, resolving once it has stopped. */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
