// In-process mode for node:http and node:https clients (axios, got, superagent…) in Node. A request
// for a mock's URL gets an in-memory connection (a duplex pair) to an http.Server that never
// listens: Node's own HTTP client and parser run on both ends, as on a socket, and the mock session
// answers through the same code as socket mode. Nothing is loaded for it (no interception library,
// no Fetch API), and requests for other hosts go out untouched or are refused, as routeRequest says.
import http from 'node:http';
import { createRequire } from 'node:module';
import { type Duplex, duplexPair } from 'node:stream';
import { urlToHttpOptions } from 'node:url';
import { type InterceptRoute, type RequestInterceptor, routeRequest, sessionAt } from './intercept.js';
import { answerRequest } from './mock-server.js';

type RequestArgs = [input?: unknown, options?: unknown, callback?: unknown];
type Callable = (...args: unknown[]) => unknown;

const ORIGIN = Symbol('covenant.intercept.origin');
const require = createRequire(import.meta.url);

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

// Options that change where a request made with a URL goes (node:http lets them override the URL's).
const URL_OPTIONS = ['protocol', 'host', 'hostname', 'port', 'defaultPort', 'path', 'socketPath'];

/** A node:http call's target and a way to make the same call with more options. */
interface ParsedCall {
  /** Undefined for a Unix socket path (never a mock's) or a target that is not a URL. */
  url: URL | undefined;
  method: string;
  withOptions(extra: Record<string, unknown>): unknown[];
}

/** Reads `(url, options?, callback?)` or `(options, callback?)` as node:http does. */
function parseCall(args: RequestArgs, defaultProtocol: string): ParsedCall {
  const [input, second, third] = args;
  const byUrl = typeof input === 'string' || input instanceof URL;
  const options = (byUrl ? (typeof second === 'function' ? undefined : second) : input) as
    | http.RequestOptions
    | undefined;
  const callback = byUrl ? (typeof second === 'function' ? second : third) : second;
  const rest = callback === undefined ? [] : [callback];
  return {
    url: targetOf(byUrl ? (input as string | URL) : undefined, options, defaultProtocol),
    method: String(options?.method ?? 'GET').toUpperCase(),
    withOptions: (extra) =>
      byUrl ? [input, { ...options, ...extra }, ...rest] : [{ ...options, ...extra }, ...rest],
  };
}

/** The URL a call goes to, as node:http works it out from the URL and the options. */
function targetOf(
  input: string | URL | undefined,
  options: http.RequestOptions | undefined,
  defaultProtocol: string,
) {
  try {
    // the common call, a URL alone, needs no merging
    if (
      input !== undefined &&
      !URL_OPTIONS.some((key) => options?.[key as keyof http.RequestOptions] !== undefined)
    )
      return input instanceof URL ? input : new URL(input);
    const merged: http.RequestOptions = {
      ...(input === undefined ? {} : urlToHttpOptions(new URL(input))),
      ...options,
    };
    if (merged.socketPath) return undefined;
    const hostname = merged.hostname ?? merged.host ?? 'localhost';
    const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
    const port = merged.port ?? merged.defaultPort ?? '';
    return new URL(
      `${merged.protocol ?? defaultProtocol}//${host}${port ? `:${port}` : ''}${merged.path ?? '/'}`,
    );
  } catch {
    return undefined; // not a URL: not a request to a mock
  }
}

// Kept-alive in-memory connections, one pool per scheme: the next request, and the next test (which
// gets the same port back), reuse one instead of setting up a connection and both parsers again.
let agents: Map<string, http.Agent> | undefined;

function agentFor(url: URL): http.Agent {
  agents ??= new Map();
  let agent = agents.get(url.protocol);
  if (!agent) {
    const protocol = url.protocol;
    agent = new http.Agent({ keepAlive: true });
    // node:http refuses an agent of another scheme than the request's; no TLS happens in memory
    (agent as unknown as { protocol: string }).protocol = protocol;
    (agent as unknown as { createConnection: (o: http.RequestOptions) => Duplex }).createConnection = (
      options,
    ) => {
      const host = options.host ?? 'localhost';
      return connect(new URL(`${protocol}//${host.includes(':') ? `[${host}]` : host}:${options.port}`));
    };
    agents.set(protocol, agent);
  }
  return agent;
}

/** The call redirected to an in-memory connection, or to an error for a refusal. */
function redirected(route: InterceptRoute, call: ParsedCall, url: URL): unknown[] {
  if (route.to !== 'refused') return call.withOptions({ agent: agentFor(url) });
  // no agent: node:http then takes the connection (here, the error) from createConnection
  return call.withOptions({
    agent: undefined,
    createConnection: (_options: unknown, done: (error: Error) => void) => done(route.error),
  });
}

/**
 * The request functions of node:http or node:https, wrapped while applied: a call for a mock's URL
 * (or a refused host) is redirected, anything else reaches the original untouched.
 */
class HttpModuleInterception implements RequestInterceptor {
  private restore: (() => void) | undefined;

  constructor(
    private readonly load: () => object,
    private readonly protocol: 'http:' | 'https:',
    private readonly keys: string[],
  ) {}

  apply(): void {
    if (this.restore) return;
    const saved = this.wrap(this.load());
    this.restore = () => {
      for (const [owner, key, original] of saved) Reflect.set(owner, key, original);
    };
  }

  dispose(): void {
    this.restore?.();
    this.restore = undefined;
    agents?.get(this.protocol)?.destroy();
    agents?.delete(this.protocol);
  }

  private wrap(owner: object): [object, string, Callable][] {
    return this.keys.map((key) => {
      const original = Reflect.get(owner, key) as Callable;
      const route = (args: RequestArgs): unknown[] => {
        const call = parseCall(args, this.protocol);
        if (!call.url) return args;
        const where = routeRequest(call.method, call.url);
        return where.to === 'out' ? args : redirected(where, call, call.url);
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

/** The interception of node:http for in-process mode (one per process). */
export const nodeHttpInterception: RequestInterceptor = new HttpModuleInterception(() => http, 'http:', [
  'request',
  'get',
  'ClientRequest',
]);

/**
 * The interception of node:https (one per process). Only an https mock URL (a Pact with `tls`) or a
 * Pact refusing other hosts needs it, so node:https, and TLS with it, load only then.
 */
export const nodeHttpsInterception: RequestInterceptor = new HttpModuleInterception(
  () => require('node:https') as object,
  'https:',
  ['request', 'get'],
);
