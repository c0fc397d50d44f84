import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
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

/**
 * A listening HTTP(S) server that mock server sessions run on. A dedicated one serves a single
 * session and closes with it; a pooled one goes back to an idle pool when its session stops, so the
 * next test skips the listen/close cost and keeps the port, which lets a keep-alive client reuse
 * its connections.
 */
interface Listener {
  readonly server: http.Server;
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly pooled: boolean;
  /** The session answering requests now; none while the listener waits in the pool. */
  session: MockServer | undefined;
  /** Requests received but not yet answered. */
  inFlight: number;
  /** Closes the listener once it has waited in the pool for a while. */
  idleTimer: NodeJS.Timeout | undefined;
}

// Idle pooled listeners by host, most recently used last. Bounded: a burst of concurrent tests
// may create many, but only a few stay listening afterwards.
const idleListeners = new Map<string, Listener[]>();
const MAX_IDLE_LISTENERS = 8;
// An idle listener closes after this long: a test runner that loads this module afresh for every
// test file (Vitest does) would otherwise collect a pool per file.
const IDLE_CLOSE_MS = 2000;
// Listeners opening ahead of a first lease (see MockServer.prepare), by host.
const preparing = new Map<string, Promise<void>>();

/** Whether a session with these options can run on a pooled listener (any free port, no TLS). */
function poolable(options: MockServerOptions): boolean {
  return !options.tls && (options.port === undefined || options.port === 0);
}

async function listen(host: string, options: MockServerOptions, pooled: boolean): Promise<Listener> {
  const listener: { current?: Listener } = {};
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const owner = listener.current!;
    if (owner.session) owner.session.handle(owner, req, res);
    else answerWithoutSession(req, res);
  };
  // node:https (and TLS with it) loads only when a test asks for it: most suites never do
  const server = options.tls
    ? (await import('node:https')).createServer({ key: options.tls.key, cert: options.tls.cert }, onRequest)
    : http.createServer(onRequest);
  // Clients (node:http's Agent, undici) reuse a connection only when the announced keep-alive
  // timeout exceeds 1 s: a pooled server keeps its connections for the next tests, unref'd.
  server.keepAliveTimeout = pooled ? 5000 : 1000;
  // a pooled server never holds the process open, not even while it starts listening
  if (pooled) server.unref();
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
  // nor do its kept-alive connections
  if (pooled) server.on('connection', (socket: Socket) => socket.unref());
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  listener.current = {
    server,
    host,
    port,
    url: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    pooled,
    session: undefined,
    inFlight: 0,
    idleTimer: undefined,
  };
  return listener.current;
}

/**
 * Puts a pooled listener in the idle pool, where it closes after IDLE_CLOSE_MS unless a session
 * takes it first. False when the pool is full (the caller closes it).
 */
function park(listener: Listener): boolean {
  const idle = idleListeners.get(listener.host) ?? [];
  idleListeners.set(listener.host, idle);
  if (idle.length >= MAX_IDLE_LISTENERS) return false;
  idle.push(listener);
  listener.idleTimer = setTimeout(() => {
    const at = idle.indexOf(listener);
    if (at >= 0) idle.splice(at, 1);
    void closeListener(listener);
  }, IDLE_CLOSE_MS).unref();
  return true;
}

function closeListener(listener: Listener): Promise<void> {
  return new Promise<void>((resolve) => {
    listener.server.close(() => resolve());
    listener.server.closeAllConnections();
  });
}

/** A request reaching a pooled server between tests (e.g. sent after its test ended). */
function answerWithoutSession(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  res.statusCode = 500;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('X-Covenant-Mismatch', 'no-test-running');
  res.end(
    JSON.stringify({
      error: `Request ${req.method} ${req.url} arrived while no test was using this mock server (was it sent after its test ended?)`,
    }),
  );
}

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

function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
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
  // Interactions by method and literal path, and those whose path has a matcher: a request is only
  // matched against the ones that can match it, so its cost stays flat in the number registered.
  private readonly byRoute = new Map<string, number[]>();
  private readonly anyRoute: number[] = [];
  private stopped: Promise<void> | undefined;

  private constructor(
    private readonly listener: Listener,
    private readonly interactions: readonly SynchronousHttpInteraction[],
    private readonly cors: boolean,
  ) {
    this.info = {
      url: listener.url,
      host: listener.host,
      port: listener.port,
      id: `mock-${process.pid}-${++serverCount}`,
    };
    interactions.forEach((interaction, position) => {
      if (interaction.request.matchingRules.path !== undefined) {
        this.anyRoute.push(position);
        return;
      }
      const key = routeKey(interaction.request.method, interaction.request.path);
      const list = this.byRoute.get(key);
      if (list) list.push(position);
      else this.byRoute.set(key, [position]);
    });
    listener.session = this;
  }

  /** Starts a mock server on its own port; rejects with COV_CONSUMER_MOCK_START_FAILED when it can't listen. */
  static async start(
    interactions: readonly SynchronousHttpInteraction[],
    options: MockServerOptions = {},
  ): Promise<MockServer> {
    const listener = await listen(options.host ?? '127.0.0.1', options, false);
    return new MockServer(listener, interactions, options.cors ?? true);
  }

  /**
   * @internal Starts a pooled listener ahead of the first lease (a Pact does when it is made), so
   * the first test finds one idle instead of waiting for the listen. Like every pooled listener it
   * is unref'd from the start and closes after a while if no test takes it. A listen that fails is
   * ignored here: the lease then listens itself and reports the failure.
   */
  static prepare(options: MockServerOptions = {}): void {
    if (!poolable(options)) return;
    const host = options.host ?? '127.0.0.1';
    if (idleListeners.get(host)?.length || preparing.has(host)) return;
    const ready = listen(host, options, true).then(
      (listener) => {
        preparing.delete(host);
        if (!park(listener)) void closeListener(listener);
      },
      () => {
        preparing.delete(host);
      },
    );
    preparing.set(host, ready);
  }

  /**
   * @internal Like {@link MockServer.start}, but on an idle server of this process's pool when the
   * options allow it (any free port, no TLS): `stop()` hands the server back instead of closing it.
   * The server is this session's alone until then.
   */
  static async lease(
    interactions: readonly SynchronousHttpInteraction[],
    options: MockServerOptions = {},
  ): Promise<MockServer> {
    if (!poolable(options)) return MockServer.start(interactions, options);
    const host = options.host ?? '127.0.0.1';
    if (!idleListeners.get(host)?.length) await preparing.get(host);
    const listener = idleListeners.get(host)?.pop() ?? (await listen(host, options, true));
    clearTimeout(listener.idleTimer);
    return new MockServer(listener, interactions, options.cors ?? true);
  }

  /** @internal answers one request on this session's listener. */
  handle(listener: Listener, req: http.IncomingMessage, res: http.ServerResponse): void {
    listener.inFlight++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => {
      listener.inFlight--;
      res.destroy();
    });
    req.on('end', () => {
      listener.inFlight--;
      try {
        this.respond(req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
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

    for (const position of this.candidates(actual.method, path)) {
      const interaction = this.interactions[position]!;
      if (matchRequest(interaction.request, actual).ok) {
        this.received.set(interaction, (this.received.get(interaction) ?? 0) + 1);
        this.events.push({ kind: 'matched', request: received, interaction });
        this.send(res, interaction.response, origin);
        return;
      }
    }
    // No match: compare with every interaction to report the closest one.
    let closest:
      | { interaction: SynchronousHttpInteraction; mismatches: Mismatch[]; samePath: boolean }
      | undefined;
    for (const interaction of this.interactions) {
      const result = matchRequest(interaction.request, actual);
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

  /** Positions of the interactions that can match a request, in registration order. */
  private candidates(method: string, path: string): readonly number[] {
    const exact = this.byRoute.get(routeKey(method, path));
    if (this.anyRoute.length === 0) return exact ?? [];
    if (!exact) return this.anyRoute;
    return [...exact, ...this.anyRoute].sort((a, b) => a - b);
  }

  private send(res: http.ServerResponse, template: HttpResponse, origin: string | undefined): void {
    const response = Object.values(template.generators).some((g) => g !== undefined && g.size > 0)
      ? generateResponse(template, 'consumer', { mockServer: { url: this.info.url } })
      : template;
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

  /**
   * Ends this mock server: stops listening and closes every connection, so tests leave no open
   * handles. (A server leased from the pool goes back to it instead, unref'd, with its idle
   * connections kept for the next test; one with a request still arriving is closed.)
   */
  stop(): Promise<void> {
    this.stopped ??= this.release();
    return this.stopped;
  }

  private async release(): Promise<void> {
    const listener = this.listener;
    if (listener.session === this) listener.session = undefined;
    if (listener.pooled && listener.inFlight === 0 && park(listener)) return;
    await closeListener(listener);
  }
}
