// In-process mode for node:http and node:https clients (axios, got, superagent…) in Node. A request
// for a mock's URL gets an in-memory connection (a duplex pair) to an http.Server that never
// listens: Node's own HTTP client and parser run on both ends, as on a socket, and the mock session
// answers through the same code as socket mode. Nothing is loaded for it (no interception library,
// no Fetch API), and requests for other hosts go out untouched or are refused, as routeRequest says.
import http from 'node:http';
import https from 'node:https';
import { type Duplex, duplexPair } from 'node:stream';
import { urlToHttpOptions } from 'node:url';
import { type InterceptRoute, type RequestInterceptor, routeRequest, sessionAt } from './intercept.js';
import { answerRequest } from './mock-server.js';

type RequestArgs = [input?: unknown, options?: unknown, callback?: unknown];
type Callable = (...args: unknown[]) => unknown;

const ORIGIN = Symbol('covenant.intercept.origin');

// Answers every in-memory connection; the origin each was opened for picks the session.
let server: http.Server | undefined;

function answeringServer(): http.Server {
  server ??= http.createServer((req, res) => {
    answerRequest(sessionAt((req.socket as unknown as Record<symbol, string>)[ORIGIN]!), req, res);
  });
  return server;
}

/** What node:http calls on a socket that a duplex stream lacks; timeouts never fire in memory. */
function asSocket(stream: Duplex, url: URL): Duplex {
  const socket = stream as Duplex & Record<string, unknown>;
  for (const name of ['setTimeout', 'setNoDelay', 'setKeepAlive', 'ref', 'unref'])
    socket[name] = () => socket;
  socket.remoteAddress = url.hostname.replace(/^\[|\]$/g, '');
  socket.remotePort = Number(url.port);
  return socket;
}

/** Opens an in-memory connection to the answering server for a request to `url`. */
function connect(url: URL): Duplex {
  const [client, served] = duplexPair();
  (served as unknown as Record<symbol, string>)[ORIGIN] = url.origin;
  answeringServer().emit('connection', asSocket(served, url));
  return asSocket(client, url);
}

/**
 * The request's options as node:http merges them from `(url?, options?, callback?)`, and its URL
 * (undefined for a Unix socket path, which is never a mock's).
 */
function parseArgs(
  args: RequestArgs,
  defaultProtocol: string,
): { options: http.RequestOptions; callback: unknown; url: URL | undefined } {
  let [input, options, callback] = args;
  let base: http.RequestOptions = {};
  if (typeof input === 'string' || input instanceof URL) base = urlToHttpOptions(new URL(input));
  else {
    callback = options;
    options = input;
  }
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  const merged: http.RequestOptions = { ...base, ...(options as http.RequestOptions | undefined) };
  if (merged.socketPath) return { options: merged, callback, url: undefined };
  const protocol = merged.protocol ?? defaultProtocol;
  const hostname = merged.hostname ?? merged.host ?? 'localhost';
  const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  const port = merged.port ?? merged.defaultPort ?? '';
  const path = merged.path ?? '/';
  try {
    return {
      options: merged,
      callback,
      url: new URL(`${protocol}//${host}${port ? `:${port}` : ''}${path}`),
    };
  } catch {
    return { options: merged, callback, url: undefined }; // not a URL: not a request to a mock
  }
}

/** The request's arguments redirected to an in-memory connection, or to an error for a refusal. */
function redirected(route: InterceptRoute, url: URL, options: http.RequestOptions, callback: unknown) {
  const createConnection =
    route.to === 'refused'
      ? (_options: unknown, done: (error: Error) => void) => done(route.error)
      : () => connect(url);
  // no agent: node:http then takes the connection from createConnection
  const args: unknown[] = [{ ...options, agent: undefined, createConnection }];
  if (callback !== undefined) args.push(callback);
  return args;
}

/**
 * The node:http(s) functions of one module, wrapped while applied: a call for a mock's URL (or a
 * refused host) is redirected, anything else reaches the original untouched.
 */
class HttpModuleInterception implements RequestInterceptor {
  private restore: (() => void) | undefined;

  apply(): void {
    if (this.restore) return;
    const saved = [
      ...this.wrap(http, 'http:', ['request', 'get', 'ClientRequest']),
      ...this.wrap(https, 'https:', ['request', 'get']),
    ];
    this.restore = () => {
      for (const [owner, key, original] of saved) Reflect.set(owner, key, original);
    };
  }

  dispose(): void {
    this.restore?.();
    this.restore = undefined;
  }

  private wrap(owner: object, protocol: string, keys: string[]): [object, string, Callable][] {
    return keys.map((key) => {
      const original = Reflect.get(owner, key) as Callable;
      const route = (args: RequestArgs): unknown[] => {
        const { options, callback, url } = parseArgs(args, protocol);
        if (!url) return args;
        const where = routeRequest(String(options.method ?? 'GET').toUpperCase(), url);
        return where.to === 'out' ? args : redirected(where, url, options, callback);
      };
      const wrapper = new Proxy(original, {
        apply: (target, thisArg, args) => Reflect.apply(target, thisArg, route(args as RequestArgs)),
        construct: (target, args, newTarget) =>
          Reflect.construct(target, route(args as RequestArgs), newTarget) as object,
      });
      Reflect.set(owner, key, wrapper);
      return [owner, key, original];
    });
  }
}

/** The interception of node:http and node:https for in-process mode (one per process). */
export const nodeHttpInterception: RequestInterceptor = new HttpModuleInterception();
