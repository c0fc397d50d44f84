import { verifierError } from './errors.js';
import type { HttpClient, ReceivedResponse } from './http-client.js';
import type { VerifierLog } from './log.js';

/** A request about to be sent to the provider; a filter may change it (auth headers and the like). */
export interface ProviderRequest {
  method: string;
  url: string;
  headers: Record<string, string[]>;
  body: Buffer | undefined;
}

/** Changes a request before it is sent: returns the request (changed), or nothing after changing it in place. */
export type RequestFilter = (
  request: ProviderRequest,
  // biome-ignore lint/suspicious/noConfusingVoidType: a filter written as `(r) => { r.headers.x = ['1'] }` changes the request in place
) => ProviderRequest | void | Promise<ProviderRequest | void>;

/** What every request to the provider gets before it leaves: the custom headers, then the filter. */
export interface RequestShaping {
  customHeaders: Readonly<Record<string, string>>;
  filter: RequestFilter | undefined;
  /** Follow the provider's redirects to the final response (pact-js's `followRedirects`). */
  followRedirects?: boolean;
}

/** Sends a request to the provider and returns its whole response. */
export interface Transport {
  send(request: ProviderRequest): Promise<ReceivedResponse>;
}

/**
 * The way to the provider for replayed requests and message endpoint calls: custom headers and the
 * request filter have their say, then the run's HTTP client sends.
 */
export class ProviderTransport implements Transport {
  constructor(
    private readonly http: HttpClient,
    private readonly shaping: RequestShaping,
    private readonly log?: VerifierLog,
  ) {}

  async send(request: ProviderRequest): Promise<ReceivedResponse> {
    const outgoing = await this.filtered(withHeaders(request, this.shaping.customHeaders));
    this.log?.log('debug', `request ${outgoing.method} ${outgoing.url}`);
    if (this.log?.enabled('trace')) {
      this.log.log(
        'trace',
        `request headers ${JSON.stringify(outgoing.headers)}${outgoing.body ? `, body ${outgoing.body.length} bytes` : ''}`,
      );
    }
    let response = await this.http.send(outgoing.url, {
      method: outgoing.method,
      headers: outgoing.headers,
      body: outgoing.body,
    });
    this.log?.log('debug', `response ${response.status} to ${outgoing.method} ${outgoing.url}`);
    for (let hop = 1, current = outgoing; this.shaping.followRedirects; hop++) {
      const next = redirectOf(current, response);
      if (!next) break;
      if (hop > MAX_REDIRECTS)
        throw verifierError(
          'COV_VERIFIER_PROVIDER_UNREACHABLE',
          `the provider redirected ${outgoing.method} ${outgoing.url} more than ${MAX_REDIRECTS} times (followRedirects)`,
          { url: outgoing.url, reason: 'too many redirects' },
        );
      this.log?.log('debug', `following the ${response.status} to ${next.method} ${next.url}`);
      response = await this.http.send(next.url, {
        method: next.method,
        headers: next.headers,
        body: next.body,
      });
      current = next;
    }
    if (this.log?.enabled('trace')) {
      this.log.log(
        'trace',
        `response headers ${JSON.stringify(response.headers)}, body ${response.body.length} bytes`,
      );
    }
    return response;
  }

  private async filtered(request: ProviderRequest): Promise<ProviderRequest> {
    if (!this.shaping.filter) return request;
    const filtered: unknown = await this.shaping.filter(request);
    // nothing returned: the filter changed the request in place
    if (filtered === undefined) return request;
    const r = filtered as Partial<ProviderRequest> | null;
    if (
      typeof r !== 'object' ||
      r === null ||
      typeof r.url !== 'string' ||
      typeof r.method !== 'string' ||
      typeof r.headers !== 'object' ||
      r.headers === null
    ) {
      throw verifierError(
        'COV_VERIFIER_OPTIONS_INVALID',
        `requestFilter returned ${JSON.stringify(filtered) ?? String(filtered)}, not a request: return the request it was given (changed as needed), or nothing after changing it in place`,
      );
    }
    return r as ProviderRequest;
  }
}

/** The request with the custom headers set, each replacing the headers of its name in any case. */
function withHeaders(request: ProviderRequest, custom: Readonly<Record<string, string>>): ProviderRequest {
  const headers = { ...request.headers };
  for (const [name, value] of Object.entries(custom)) {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
    headers[name] = [value];
  }
  return { ...request, headers };
}

/** The most redirects followed for one request, as Node's follow-redirects allows by default. */
const MAX_REDIRECTS = 10;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * The request a redirect asks for, or undefined when the response is not one: 307 and 308 repeat
 * the method and body; 303, and 301 or 302 after anything but GET or HEAD, become a GET without a
 * body (as browsers and follow-redirects do). Credentials are not sent to another origin.
 */
export function redirectOf(
  request: ProviderRequest,
  response: ReceivedResponse,
): ProviderRequest | undefined {
  const location = response.headers.location?.[0];
  if (!REDIRECTS.has(response.status) || location === undefined) return undefined;
  const url = new URL(location, request.url);
  const keepsBody =
    response.status === 307 ||
    response.status === 308 ||
    (response.status !== 303 && (request.method === 'GET' || request.method === 'HEAD'));
  const sameOrigin = url.origin === new URL(request.url).origin;
  const dropped = new Set([
    ...(keepsBody ? [] : ['content-type', 'content-length']),
    ...(sameOrigin ? [] : ['authorization', 'cookie']),
    'host',
  ]);
  return {
    method: keepsBody ? request.method : request.method === 'HEAD' ? 'HEAD' : 'GET',
    url: url.toString(),
    headers: Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => !dropped.has(name.toLowerCase())),
    ),
    body: keepsBody ? request.body : undefined,
  };
}
