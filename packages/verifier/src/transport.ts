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
    const response = await this.http.send(outgoing.url, {
      method: outgoing.method,
      headers: outgoing.headers,
      body: outgoing.body,
    });
    this.log?.log('debug', `response ${response.status} to ${outgoing.method} ${outgoing.url}`);
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
