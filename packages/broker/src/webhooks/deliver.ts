/**
 * Sends one webhook request, safe from server-side request forgery: the method, scheme and host are
 * checked against the policy, the host is resolved once, the resolved address is checked, and the
 * connection goes to that same address (so a second DNS answer cannot move it). Redirects are never
 * followed. A refused target sees no connection attempt.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { parseIp } from './address.js';
import { hostRefusal, type Refusal, requestRefusal, type WebhookPolicy } from './policy.js';

/** A webhook request with its templates filled in. */
export interface OutgoingRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  username?: string;
  password?: string;
}

/** Resolves a host name to the one address the request will go to. */
export type Lookup = (hostname: string) => Promise<{ address: string; family: number }>;

/** A connection about to be opened: what the connect hook sees. */
export interface ConnectAttempt {
  host: string;
  address: string;
  port: number;
}

export interface DeliverOptions {
  policy: WebhookPolicy;
  /** DNS resolution; the system resolver by default. Tests inject one to return any address. */
  lookup?: Lookup;
  /** Called just before each connection is opened, and only then; throwing stops the connection. */
  onConnect?: (attempt: ConnectAttempt) => void;
  /** Sent as X-Pact-Broker-Webhook-Delivery-Id, so receivers can drop duplicates. */
  deliveryId?: string;
}

export interface DeliveredResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as text, cut at the policy's maxResponseBytes. */
  body: string;
  truncated: boolean;
}

export interface DeliveryResult {
  /** The response's status is one of the policy's success codes. */
  success: boolean;
  /** Set when the policy refused the target: nothing was resolved or connected after the refusal. */
  refusal?: Refusal;
  /** Set when no complete response came: the host did not resolve, the connection failed, a timeout. */
  error?: string;
  response?: DeliveredResponse;
  /** The address connected to. */
  address?: string;
  /** The headers sent (secrets included: redact before showing). */
  sentHeaders: Record<string, string>;
  durationMs: number;
}

const systemLookup: Lookup = async (hostname) => {
  const { address, family } = await dnsLookup(hostname, { verbatim: true });
  return { address, family };
};

/** A connect-time lookup that always answers the address already checked. */
function pinnedLookup(address: string, family: number): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
        { address, family },
      ]);
    else callback(null, address, family);
  };
}

/**
 * Headers the broker sets itself. A webhook's own Host could make a shared front end route the
 * request to another site than the one allowed; framing headers could split it in two.
 */
const BROKER_SET_HEADERS =
  /^(host|content-length|transfer-encoding|connection|x-pact-broker-webhook-delivery-id)$/i;

function headersToSend(request: OutgoingRequest, options: DeliverOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const has = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase());
  for (const [name, value] of Object.entries(request.headers ?? {}))
    if (!BROKER_SET_HEADERS.test(name)) headers[name] = value;
  if (!has('user-agent')) headers['User-Agent'] = options.policy.userAgent;
  if (options.deliveryId !== undefined) headers['X-Pact-Broker-Webhook-Delivery-Id'] = options.deliveryId;
  if (request.username !== undefined && request.username !== '' && !has('authorization'))
    headers.Authorization = `Basic ${Buffer.from(`${request.username}:${request.password ?? ''}`).toString('base64')}`;
  return headers;
}

/**
 * Sends the request if the policy allows it, and reports what happened; it never throws.
 *
 * @example
 * const result = await deliver(
 *   { method: 'POST', url: 'https://ci.example.com/build', body: '{}' },
 *   { policy: webhookPolicyFromEnv(process.env), deliveryId: triggered.uuid },
 * );
 * if (result.refusal) log(result.refusal.message);
 */
export async function deliver(request: OutgoingRequest, options: DeliverOptions): Promise<DeliveryResult> {
  const started = performance.now();
  const sentHeaders = headersToSend(request, options);
  const done = (
    fields: Omit<DeliveryResult, 'durationMs' | 'sentHeaders' | 'success'> & { success?: boolean },
  ) => ({
    success: false,
    sentHeaders,
    ...fields,
    durationMs: Math.round(performance.now() - started),
  });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return done({ refusal: { rule: 'scheme', message: `'${request.url}' is not a valid URL` } });
  }
  const early = requestRefusal(options.policy, request.method, url);
  if (early) return done({ refusal: early });
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let resolved: { address: string; family: number };
  const literal = parseIp(hostname);
  try {
    // an IP in the URL is where the connection goes (Node does not resolve it): check that one
    resolved = literal
      ? { address: hostname, family: literal.version }
      : await (options.lookup ?? systemLookup)(hostname);
  } catch (error) {
    return done({
      error: `cannot resolve ${hostname}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    });
  }
  const refusal = hostRefusal(options.policy, hostname, resolved.address);
  if (refusal) return done({ refusal, address: resolved.address });
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  try {
    // a hook that throws vetoes the connection (tests use this as a last guard against leaving loopback)
    options.onConnect?.({ host: hostname, address: resolved.address, port });
    const response = await send(url, request, sentHeaders, resolved, options.policy);
    return done({
      success: options.policy.successCodes.includes(response.status),
      response,
      address: resolved.address,
    });
  } catch (error) {
    return done({ error: (error as Error).message, address: resolved.address });
  }
}

function send(
  url: URL,
  request: OutgoingRequest,
  headers: Record<string, string>,
  target: { address: string; family: number },
  policy: WebhookPolicy,
): Promise<DeliveredResponse> {
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const client = secure ? https : http;
    const req = client.request({
      method: request.method.toUpperCase(),
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      headers: body === undefined ? headers : { ...headers, 'Content-Length': String(body.length) },
      lookup: pinnedLookup(target.address, target.family),
      // one connection per delivery: a pooled socket could lead to an address this delivery did not check
      agent: false,
      ...(secure
        ? {
            ca: policy.certificates.length > 0 ? [...rootCertificates, ...policy.certificates] : undefined,
            rejectUnauthorized: !policy.disableSslVerification,
          }
        : {}),
    });
    const fail = (message: string) => req.destroy(new Error(message));
    const connectTimer = setTimeout(
      () => fail(`no connection to ${target.address} within ${policy.connectTimeoutMs} ms`),
      policy.connectTimeoutMs,
    );
    const responseTimer = setTimeout(
      () => fail(`no complete response within ${policy.responseTimeoutMs} ms`),
      policy.responseTimeoutMs,
    );
    const settle = () => {
      clearTimeout(connectTimer);
      clearTimeout(responseTimer);
    };
    req.on('socket', (socket) => {
      socket.once(secure ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    req.on('error', (error) => {
      settle();
      reject(error);
    });
    req.on('response', (res) => {
      clearTimeout(connectTimer);
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const finish = () => {
        settle();
        const headersOut: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers))
          if (value !== undefined) headersOut[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({
          status: res.statusCode ?? 0,
          headers: headersOut,
          body: Buffer.concat(chunks).toString('utf8'),
          truncated,
        });
      };
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        const room = policy.maxResponseBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size += room;
          truncated = true;
          // enough read: stop the transfer rather than download the rest
          res.destroy();
          finish();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', finish);
      res.on('error', (error) => {
        if (!truncated) {
          settle();
          reject(error);
        }
      });
    });
    req.end(body);
  });
}
