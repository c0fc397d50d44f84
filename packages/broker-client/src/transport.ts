import { isHttpUrl, redactUrl, urlCredentials } from '@covenant/core';
import { brokerClientError } from './errors.js';
import { asResource, expandTemplate, type HalLink, type HalResource, linkOf, textOf } from './hal.js';

/**
 * The longest timeout, in milliseconds, JavaScript timers take (2^31 - 1, about 24 days): above it
 * Node fires them after 1 ms, and every request would time out at once.
 *
 * @example if (timeoutMs > MAX_TIMEOUT_MS) throw new Error('timeout too long');
 */
export const MAX_TIMEOUT_MS = 2_147_483_647;

export interface BrokerClientOptions {
  /** The broker's base URL. Default: PACT_BROKER_BASE_URL. */
  baseUrl?: string;
  /** Basic auth. Default: PACT_BROKER_USERNAME / PACT_BROKER_PASSWORD. */
  username?: string;
  password?: string;
  /** Bearer token. Default: PACT_BROKER_TOKEN. */
  token?: string;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  /** Headers sent with every request (e.g. a gateway's key). */
  headers?: Record<string, string>;
  /**
   * How many times to retry a request the broker answers 5xx, 408 or 429, waiting 0.5 s, 1 s, 2 s...
   * (a 429's Retry-After seconds when given). Default: PACT_BROKER_HTTP_RETRIES, else 0.
   */
  retries?: number;
  /** Environment to read defaults from. Default: process.env. */
  env?: Record<string, string | undefined>;
  /** For an HTTPS broker: PEM text of a CA to trust, of a client certificate and its key (mTLS). */
  tls?: BrokerTls;
}

/** TLS towards the broker, as PEM text (the verifier and the CLI read files into it). */
export interface BrokerTls {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  passphrase?: string;
  /** Accept any certificate (a self-signed test broker). */
  insecure?: boolean;
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * The fetch to use: the global one, or with TLS options undici's own with an agent that presents
 * them (the global fetch has no TLS options). undici is loaded only then.
 *
 * @example const fetchPact = await fetchWith({ ca, cert, key }); await fetchPact(url, { headers });
 */
export async function fetchWith(tls: BrokerTls): Promise<Fetch> {
  const { Agent, fetch: undiciFetch } = await import('undici');
  const dispatcher = new Agent({
    connect: {
      ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
      ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
      ...(tls.key !== undefined ? { key: tls.key } : {}),
      ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
      rejectUnauthorized: !tls.insecure,
    },
  });
  return (url, init) => undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>;
}

/**
 * The broker's own words from an error body — `{error}`, `{errors: [...]}` or `{errors: {field: [...]}}`
 * (the reference broker's shapes) or problem+json's `detail` — else the body's start.
 */
function brokerMessage(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body.slice(0, 500);
  }
  const error = asResource(parsed);
  const errors = error.errors;
  const messages = Array.isArray(errors)
    ? errors.map(String)
    : typeof errors === 'object' && errors !== null
      ? Object.values(errors).flatMap((v) => (Array.isArray(v) ? v.map(String) : [String(v)]))
      : [];
  if (messages.length > 0) return messages.join('; ');
  return textOf(error.error) ?? textOf(error.detail) ?? textOf(error.title) ?? body.slice(0, 500);
}

/**
 * The broker's HTTP side: credentials, timeouts, retries, error mapping, and HAL navigation (the
 * index, relations). The resource modules (pacts, environments, versions...) speak through it.
 *
 * @example
 * const transport = new BrokerTransport({ baseUrl: 'http://localhost:9292' });
 * const index = await transport.index();
 */
export class BrokerTransport {
  readonly baseUrl: string;
  private readonly authorization: string | undefined;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;
  private readonly retries: number;
  private indexResource: HalResource | undefined;
  private readonly fetch: Fetch | Promise<Fetch>;
  /**
   * The largest request body the broker reads, in bytes, as its last answer advertised it
   * (`X-Covenant-Body-Limit`, on every answer of a Covenant broker); undefined for a broker that
   * does not say.
   */
  bodyLimit: number | undefined;

  constructor(options: BrokerClientOptions = {}) {
    const env = options.env ?? process.env;
    const baseUrl = options.baseUrl ?? env.PACT_BROKER_BASE_URL;
    if (!baseUrl) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_CONFIG_INVALID',
        'no broker URL: pass baseUrl or set PACT_BROKER_BASE_URL',
      );
    }
    // fetch refuses a URL with credentials (https://user:secret@broker): they become basic auth,
    // and the password never shows in a message
    const inUrl = urlCredentials(baseUrl);
    // `localhost:9292` parses as a URL of scheme `localhost:`, and would fail later as an unreachable broker
    if (!isHttpUrl(inUrl.url)) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_CONFIG_INVALID',
        `the broker URL '${redactUrl(baseUrl)}' is not an http:// or https:// URL, e.g. http://localhost:9292`,
        { url: redactUrl(baseUrl) },
      );
    }
    this.baseUrl = inUrl.url.replace(/\/+$/, '');
    // credentials given as options win over those in the URL, which win over the environment's
    const fromUrl =
      !!inUrl.username &&
      options.token === undefined &&
      options.username === undefined &&
      options.password === undefined;
    const token = fromUrl ? undefined : (options.token ?? env.PACT_BROKER_TOKEN);
    const username = fromUrl ? inUrl.username : (options.username ?? env.PACT_BROKER_USERNAME);
    const password = fromUrl ? inUrl.password : (options.password ?? env.PACT_BROKER_PASSWORD);
    if (token) this.authorization = `Bearer ${token}`;
    else if (username !== undefined && username !== '') {
      this.authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
    }
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (
      !(
        typeof timeoutMs === 'number' &&
        Number.isFinite(timeoutMs) &&
        timeoutMs > 0 &&
        timeoutMs <= MAX_TIMEOUT_MS
      )
    ) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_CONFIG_INVALID',
        `timeoutMs ${String(timeoutMs)} is not a number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (about 24 days)`,
        { timeoutMs },
      );
    }
    this.timeoutMs = timeoutMs;
    this.headers = options.headers ?? {};
    const retries = options.retries ?? Number(env.PACT_BROKER_HTTP_RETRIES ?? 0);
    if (!Number.isInteger(retries) || retries < 0) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_CONFIG_INVALID',
        `retries must be a whole number, 0 or more (got ${retries})`,
      );
    }
    this.retries = retries;
    this.fetch = options.tls && Object.keys(options.tls).length > 0 ? fetchWith(options.tls) : fetch;
  }

  /** Sends a request and returns the parsed JSON body (or undefined for an empty one). */
  async request<T = HalResource>(method: string, url: string, body?: unknown): Promise<T> {
    const target = url.startsWith('http') ? url : `${this.baseUrl}${url.startsWith('/') ? '' : '/'}${url}`;
    const headers: Record<string, string> = {
      Accept: 'application/hal+json, application/json',
      ...this.headers,
    };
    if (this.authorization) headers.Authorization = this.authorization;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    for (let attempt = 0; ; attempt++) {
      try {
        const send = await this.fetch;
        response = await send(target, {
          method,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (error) {
        throw this.unreachable(method, target, error, 'no answer');
      }
      const status = response.status;
      if (attempt >= this.retries || !(status >= 500 || status === 408 || status === 429)) break;
      await response.body?.cancel();
      const retryAfter = response.headers.get('retry-after');
      const delayMs =
        status === 429 && retryAfter !== null && /^\d+$/.test(retryAfter.trim())
          ? Number(retryAfter) * 1000
          : 500 * 2 ** attempt;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    const advertised = Number(response.headers.get('x-covenant-body-limit') ?? Number.NaN);
    if (Number.isSafeInteger(advertised) && advertised > 0) this.bodyLimit = advertised;
    let text: string;
    try {
      // the timeout covers the body too: a broker that stops half-way is a failed request, not a hang
      text = await response.text();
    } catch (error) {
      throw this.unreachable(method, target, error, 'no complete answer');
    }
    if (response.status === 401 || response.status === 403) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_UNAUTHORIZED',
        `${method} ${target} was refused (${response.status})`,
        {
          url: target,
          status: response.status,
        },
      );
    }
    if (!response.ok) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_REQUEST_FAILED',
        `${method} ${target} answered ${response.status}: ${brokerMessage(text)}`,
        { url: target, status: response.status, body: text.slice(0, 2000) },
      );
    }
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw brokerClientError(
        'COV_BROKER_CLIENT_REQUEST_FAILED',
        `${method} ${target} answered with a body that is not JSON`,
        {
          url: target,
        },
      );
    }
  }

  /** The error for a request that got no (complete) answer: refused, unresolvable, timed out, cut off. */
  private unreachable(method: string, target: string, error: unknown, what: string) {
    return brokerClientError(
      'COV_BROKER_CLIENT_UNREACHABLE',
      `${method} ${redactUrl(target)} failed: ${failureReason(error, this.timeoutMs, what)}`,
      { url: redactUrl(target) },
      error,
    );
  }

  /**
   * GETs a resource, or undefined when the broker answers 404.
   *
   * @example const pacticipant = await broker.find('/pacticipants/Web'); // undefined if there is none
   */
  async find(url: string): Promise<HalResource | undefined> {
    try {
      return (await this.request<HalResource | undefined>('GET', url)) ?? {};
    } catch (error) {
      if ((error as { details?: { status?: number } }).details?.status === 404) return undefined;
      throw error;
    }
  }

  /** The broker's index resource (fetched once). */
  async index(): Promise<HalResource> {
    if (!this.indexResource)
      this.indexResource = (await this.request<HalResource | undefined>('GET', '/')) ?? {};
    return this.indexResource;
  }

  /** The href of a relation on a resource, templated values filled in. */
  relation(resource: HalResource, rel: string, values: Record<string, string> = {}): string {
    const link: HalLink | undefined = linkOf(resource, rel);
    if (!link) {
      throw brokerClientError(
        'COV_BROKER_CLIENT_RELATION_MISSING',
        `the broker offers no '${rel}' relation here`,
        { rel },
      );
    }
    return expandTemplate(link.href, values);
  }
}

/**
 * Why a `fetch` failed, as a person reads it: fetch wraps the socket error (`ECONNREFUSED`...) in a
 * TypeError, and a timeout is an AbortSignal's `TimeoutError`. The one wording for the broker
 * client and for the verifier's pact URLs.
 *
 * @param timeoutMs the timeout the request had, named when it ran out
 * @param waitingFor what did not come in time: `no answer` (the default) or `no complete answer` for a body
 * @example
 * try { await fetch(url, { signal: AbortSignal.timeout(5000) }); }
 * catch (error) { throw new Error(`GET ${url} failed: ${failureReason(error, 5000)}`); }
 */
export function failureReason(error: unknown, timeoutMs?: number, waitingFor = 'no answer'): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause as
    | { code?: string; message?: string; errors?: Array<{ code?: string; message?: string }> }
    | undefined;
  const code = cause?.code ?? cause?.errors?.find((e) => e.code)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'the host name does not resolve';
  if (code) return code;
  if ((error as Error | undefined)?.name === 'TimeoutError')
    return timeoutMs === undefined ? `${waitingFor} in time` : `${waitingFor} within ${timeoutMs} ms`;
  return cause?.message ?? (error as Error | undefined)?.message ?? String(error);
}
