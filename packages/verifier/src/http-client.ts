import http from 'node:http';
import https from 'node:https';
import type { Headers } from '@covenant/core';
import { verifierError } from './errors.js';

export interface OutgoingRequest {
  method: string;
  headers: Headers;
  body: Buffer | undefined;
}

export interface ReceivedResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

export interface HttpClientOptions {
  timeoutMs: number;
  /** Extra CA certificate(s) to trust for an HTTPS provider. */
  ca?: string | Buffer;
  /** A client certificate and its key (PEM), for providers that require one (mTLS). */
  cert?: string | Buffer;
  key?: string | Buffer;
  passphrase?: string;
  /** Accept any certificate (self-signed test providers). */
  insecure?: boolean;
}

/**
 * Sends requests to the provider over keep-alive connections (one pool per verification run):
 * a round trip then costs what the provider costs, not a new connection each time.
 */
export class HttpClient {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  private readonly httpsAgent: https.Agent;

  constructor(private readonly options: HttpClientOptions) {
    this.httpsAgent = new https.Agent({
      keepAlive: true,
      maxSockets: 8,
      ...(options.ca ? { ca: options.ca } : {}),
      ...(options.cert ? { cert: options.cert, key: options.key, passphrase: options.passphrase } : {}),
      rejectUnauthorized: !options.insecure,
    });
  }

  send(url: string, request: OutgoingRequest): Promise<ReceivedResponse> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const headers: Record<string, string | string[]> = {};
    for (const [name, values] of Object.entries(request.headers))
      headers[name] = values.length === 1 ? values[0]! : values;
    if (request.body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
      headers['content-length'] = String(request.body.length);
    }
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(
        target,
        { method: request.method, headers, agent: secure ? this.httpsAgent : this.httpAgent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (error: NodeJS.ErrnoException) => fail(error));
          res.on('end', () => {
            clearTimeout(deadline);
            const out: Headers = {};
            for (const [name, value] of Object.entries(res.headers)) {
              if (value !== undefined) out[name] = Array.isArray(value) ? value : [value];
            }
            resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks) });
          });
        },
      );
      const fail = (error: NodeJS.ErrnoException) => {
        clearTimeout(deadline);
        reject(unanswered(error, target));
      };
      // the whole exchange, not only a silence: a response that trickles or never ends (a stream) must end too
      const deadline = setTimeout(() => {
        req.destroy(
          Object.assign(new Error(`no complete response within ${this.options.timeoutMs} ms`), {
            code: 'ETIMEDOUT',
          }),
        );
      }, this.options.timeoutMs);
      req.on('error', fail);
      req.end(request.body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/**
 * A request the provider did not answer, as a coded error: nothing listening, a timeout, the
 * connection dropped, or TLS spoken to a plain HTTP server.
 */
function unanswered(error: NodeJS.ErrnoException, target: URL) {
  const { code } = error;
  const reason =
    code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH'
      ? `nothing answers at ${target.origin} (${code})`
      : code === 'ETIMEDOUT'
        ? `${target.origin} did not answer ${target.pathname}: ${error.message}`
        : code === 'EPROTO' && /wrong version number/.test(error.message)
          ? `${target.origin} does not speak TLS (EPROTO): is it http://, not https://?`
          : code !== undefined &&
              (/ALERT_CERTIFICATE_REQUIRED|ALERT_BAD_CERTIFICATE|ALERT_UNKNOWN_CA/.test(code) ||
                (code === 'ECONNRESET' && target.protocol === 'https:'))
            ? // under TLS 1.3 a server that refuses the client's certificate (or its absence) just closes
              `${target.origin} closed the connection (${code}): if it requires a client certificate (mTLS), give tls.cert and tls.key (--tls-cert, --tls-key), one it trusts`
            : code !== undefined && /CERT|SELF_SIGNED/.test(code)
              ? `${target.origin} has a certificate that is not trusted (${code}): give tls.ca, or tls.insecure (--insecure) for a test certificate`
              : `the request to ${target.origin}${target.pathname} failed: ${code ? `${code} ` : ''}${error.message}`;
  return verifierError('COV_VERIFIER_PROVIDER_UNREACHABLE', reason, { url: target.origin, reason }, error);
}
