import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Headers, SynchronousHttpInteraction } from '@covenant/core';
import { consumerError } from './errors.js';
import {
  answerWithoutSession,
  type MockAnswer,
  type MockEvent,
  type MockProblem,
  type MockServerInfo,
  MockSession,
} from './mock-session.js';

export type { MockEvent, MockProblem, MockServerInfo, ReceivedRequest } from './mock-session.js';

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
    else answerRequest(undefined, req, res);
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

/** Writes an answer on a node:http response. */
function send(res: http.ServerResponse, answer: MockAnswer): void {
  res.statusCode = answer.status;
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.end(answer.body);
}

function toHeaders(raw: http.IncomingHttpHeaders): Headers {
  const out: Headers = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  return out;
}

/**
 * @internal Reads a node:http request's body and answers it with `session`, or, with none (the
 * test that had this URL is over), with a 500 that says so. `received` runs once the body is in.
 * Used by the mock servers and by in-process mode's node:http interception alike.
 */
export function answerRequest(
  session: MockSession | undefined,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  received?: () => void,
): void {
  if (!session) {
    req.resume();
    send(res, answerWithoutSession(req.method ?? 'GET', req.url ?? '/'));
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('error', () => {
    received?.();
    res.destroy();
  });
  req.on('end', () => {
    received?.();
    const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    try {
      send(
        res,
        session.answer({
          method: req.method ?? 'GET',
          target: req.url ?? '/',
          headers: toHeaders(req.headers),
          body: new Uint8Array(raw.buffer, raw.byteOffset, raw.length),
        }),
      );
    } catch (error) {
      res.statusCode = 500;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ error: `Covenant mock server failed: ${String(error)}` }));
    }
  });
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
  private readonly session: MockSession;
  private stopped: Promise<void> | undefined;

  private constructor(
    private readonly listener: Listener,
    interactions: readonly SynchronousHttpInteraction[],
    cors: boolean,
  ) {
    this.info = {
      url: listener.url,
      host: listener.host,
      port: listener.port,
      id: `mock-${process.pid}-${++serverCount}`,
    };
    this.session = new MockSession(interactions, listener.url, cors);
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
    answerRequest(this.session, req, res, () => listener.inFlight--);
  }

  /** Everything that went wrong so far: mismatched and unexpected requests, then interactions never called. */
  problems(): MockProblem[] {
    return this.session.problems();
  }

  /** Requests received and what they matched, in order (for the log). */
  history(): readonly MockEvent[] {
    return this.session.history();
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
