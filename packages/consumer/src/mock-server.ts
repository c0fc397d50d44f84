import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  type ActualRequest,
  type Body,
  bodyBytes,
  contentTypeHeader,
  generateResponse,
  type Headers,
  type HttpResponse,
  headerValues,
  type Mismatch,
  matchRequest,
  parseQueryString,
  type SynchronousHttpInteraction,
} from '@covenant/core';
import { consumerError } from './errors.js';

export interface MockServerOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port; default 0 (a free one). */
  port?: number;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Answer CORS preflight requests and add CORS headers. Default true. */
  cors?: boolean;
}

/** Where the mock server listens, as handed to the test. */
export interface MockServerInfo {
  url: string;
  host: string;
  port: number;
  id: string;
}

/** A request the mock server received, as recorded for the report and the log. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: string;
  headers: Headers;
  bodyPreview: string;
}

/** Something that went wrong during a test, from the mock server's point of view. */
export type MockProblem =
  | {
      kind: 'mismatch';
      request: ReceivedRequest;
      interaction: SynchronousHttpInteraction;
      mismatches: Mismatch[];
    }
  | {
      kind: 'unexpected';
      request: ReceivedRequest;
      closest?: { interaction: SynchronousHttpInteraction; mismatches: Mismatch[] };
    }
  | { kind: 'missing'; interaction: SynchronousHttpInteraction };

export type MockEvent =
  | { kind: 'request'; request: ReceivedRequest }
  | { kind: 'matched'; request: ReceivedRequest; interaction: SynchronousHttpInteraction };

let serverCount = 0;

function toHeaders(raw: http.IncomingHttpHeaders): Headers {
  const out: Headers = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  return out;
}

function preview(bytes: Buffer): string {
  const text = bytes.subarray(0, 2048).toString('utf8');
  return bytes.length > 2048 ? `${text}… (${bytes.length} bytes)` : text;
}

/**
 * An HTTP mock provider for a set of interactions. Each request is matched with the core engine;
 * a match gets the interaction's response (generators applied), anything else a 500 that says why.
 * Every server is independent, so any number can run at once.
 *
 * @example
 * const server = await MockServer.start([interaction]);
 * await fetch(`${server.info.url}/users/1`);
 * await server.stop();
 * server.problems(); // mismatches, unexpected and missing requests
 */
export class MockServer {
  readonly info: MockServerInfo;
  private readonly received = new Map<SynchronousHttpInteraction, number>();
  private readonly recorded: MockProblem[] = [];
  private readonly events: MockEvent[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly interactions: readonly SynchronousHttpInteraction[],
    info: MockServerInfo,
    private readonly cors: boolean,
  ) {
    this.info = info;
  }

  /** Starts a mock server; rejects with COV_CONSUMER_MOCK_START_FAILED when it can't listen. */
  static async start(
    interactions: readonly SynchronousHttpInteraction[],
    options: MockServerOptions = {},
  ): Promise<MockServer> {
    const host = options.host ?? '127.0.0.1';
    const handler: { current?: (req: http.IncomingMessage, res: http.ServerResponse) => void } = {};
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => handler.current?.(req, res);
    const server = options.tls
      ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener)
      : http.createServer(listener);
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        reject(
          consumerError(
            'COV_CONSUMER_MOCK_START_FAILED',
            `the mock server could not listen on ${host}:${options.port ?? 0}: ${error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message}`,
            { host, port: options.port, code: error.code },
            error,
          ),
        );
      };
      server.once('error', onError);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const scheme = options.tls ? 'https' : 'http';
    const urlHost = host.includes(':') ? `[${host}]` : host;
    const mock = new MockServer(
      server,
      interactions,
      { url: `${scheme}://${urlHost}:${port}`, host, port, id: `mock-${process.pid}-${++serverCount}` },
      options.cors ?? true,
    );
    handler.current = (req, res) => mock.handle(req, res);
    return mock;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      try {
        this.respond(req, res, Buffer.concat(chunks));
      } catch (error) {
        res.statusCode = 500;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ error: `Covenant mock server failed: ${String(error)}` }));
      }
    });
  }

  private respond(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): void {
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const rawPath = q < 0 ? target : target.slice(0, q);
    const rawQuery = q < 0 ? '' : target.slice(q + 1);
    let path = rawPath;
    try {
      path = decodeURI(rawPath);
    } catch {
      // keep the raw path: the mismatch report shows it as received
    }
    const headers = toHeaders(req.headers);
    const contentType = contentTypeHeader(headers);
    const body: Body =
      raw.length === 0
        ? { kind: 'missing' }
        : {
            kind: 'present',
            contentType,
            content: { type: 'binary', bytes: new Uint8Array(raw.buffer, raw.byteOffset, raw.length) },
          };
    const actual: ActualRequest = {
      method: req.method ?? 'GET',
      path,
      query: parseQueryString(rawQuery),
      headers,
      body,
    };
    const received: ReceivedRequest = {
      method: actual.method,
      path,
      query: rawQuery,
      headers,
      bodyPreview: preview(raw),
    };
    this.events.push({ kind: 'request', request: received });
    const origin = headerValues(headers, 'origin')?.[0];

    let closest:
      | { interaction: SynchronousHttpInteraction; mismatches: Mismatch[]; samePath: boolean }
      | undefined;
    for (const interaction of this.interactions) {
      const result = matchRequest(interaction.request, actual);
      if (result.ok) {
        this.received.set(interaction, (this.received.get(interaction) ?? 0) + 1);
        this.events.push({ kind: 'matched', request: received, interaction });
        this.send(res, interaction.response, origin);
        return;
      }
      const samePath =
        interaction.request.method.toUpperCase() === actual.method.toUpperCase() &&
        !result.mismatches.some((m) => m.category === 'path');
      if (
        !closest ||
        (samePath && !closest.samePath) ||
        (samePath === closest.samePath && result.mismatches.length < closest.mismatches.length)
      ) {
        closest = { interaction, mismatches: result.mismatches, samePath };
      }
    }
    if (this.cors && actual.method === 'OPTIONS' && headerValues(headers, 'access-control-request-method')) {
      res.statusCode = 204;
      res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
      res.setHeader(
        'Access-Control-Allow-Methods',
        headerValues(headers, 'access-control-request-method')!.join(', '),
      );
      const requestedHeaders = headerValues(headers, 'access-control-request-headers');
      if (requestedHeaders) res.setHeader('Access-Control-Allow-Headers', requestedHeaders.join(', '));
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.end();
      return;
    }
    if (closest?.samePath) {
      this.recorded.push({
        kind: 'mismatch',
        request: received,
        interaction: closest.interaction,
        mismatches: closest.mismatches,
      });
    } else {
      this.recorded.push(
        closest
          ? {
              kind: 'unexpected',
              request: received,
              closest: { interaction: closest.interaction, mismatches: closest.mismatches },
            }
          : { kind: 'unexpected', request: received },
      );
    }
    res.statusCode = 500;
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('X-Covenant-Mismatch', closest?.samePath ? 'request-mismatch' : 'unexpected-request');
    res.end(
      JSON.stringify({
        error: closest?.samePath
          ? `Request ${actual.method} ${path} does not match interaction '${closest.interaction.description}'`
          : `Unexpected request ${actual.method} ${path}: no interaction expects it`,
        mismatches:
          closest?.mismatches.map((m) => ({ code: m.code, path: m.path, message: m.message })) ?? [],
      }),
    );
  }

  private send(res: http.ServerResponse, template: HttpResponse, origin: string | undefined): void {
    const response = generateResponse(template, 'consumer', { mockServer: { url: this.info.url } });
    res.statusCode = response.status ?? 200;
    for (const [name, values] of Object.entries(response.headers ?? {}))
      res.setHeader(name, values.length === 1 ? values[0]! : values);
    if (this.cors && !res.hasHeader('access-control-allow-origin'))
      res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
    const body = response.body;
    if (body.kind === 'present') {
      if (!res.hasHeader('content-type') && body.contentType) res.setHeader('Content-Type', body.contentType);
      res.end(bodyBytes(body.content));
    } else if (body.kind === 'null') {
      res.end('null');
    } else {
      res.end();
    }
  }

  /** Everything that went wrong so far: mismatched and unexpected requests, then interactions never called. */
  problems(): MockProblem[] {
    const missing: MockProblem[] = this.interactions
      .filter((i) => !this.received.has(i))
      .map((interaction) => ({ kind: 'missing', interaction }));
    return [...this.recorded, ...missing];
  }

  /** Requests received and what they matched, in order (for the log). */
  history(): readonly MockEvent[] {
    return this.events;
  }

  /** Stops listening and closes every connection, so tests leave no open handles. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
