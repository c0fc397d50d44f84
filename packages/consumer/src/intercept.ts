// In-process mode: a test's requests to its mock's URL are answered inside this process by the
// interception library (@mswjs/interceptors), loaded only when a Pact asks for this mode. No
// `node:` imports here: the same code runs in browsers, with the interceptors its platform loads.
import type { Headers, SynchronousHttpInteraction } from '@covenant/core';
import { answerWithoutSession, type MockAnswer, type MockProblem, MockSession } from './mock-session.js';
import type { MockHandle } from './platform.js';

/** What a request to another host than the mock's does in in-process mode. */
export type OtherHosts = 'passthrough' | 'fail';

export interface InterceptOptions {
  /** The host name in the mock's URL. Default `127.0.0.1` (nothing listens there: no request leaves loopback). */
  host?: string;
  /** Answer CORS preflight requests and add CORS headers. Default true. */
  cors?: boolean;
  /** `passthrough` (default) sends requests for other hosts on as usual; `fail` refuses them and fails the test. */
  otherHosts?: OtherHosts;
  /** Given (as for a socket mock), the mock's URL is https: no certificate is used, nothing is encrypted. */
  tls?: unknown;
}

/**
 * The part of an @mswjs/interceptors interceptor this module uses. One without `on` answers through
 * {@link routeRequest} itself (Node's node:http interception).
 */
export interface RequestInterceptor {
  apply(): void;
  dispose(): void;
  on?(event: 'request', listener: (args: InterceptedRequestEvent) => unknown): unknown;
}

export interface InterceptedRequestEvent {
  request: Request;
  controller: { respondWith(response: Response): void; errorWith(reason?: unknown): void };
}

/**
 * What a platform gives in-process mode: the interceptors for its clients (loaded on first use),
 * the Response class that allows any status, and a hook to watch for clients that bypass them.
 */
export interface InterceptionLibrary {
  /**
   * Interceptors to apply now; called again at each lease (with its options) so a DOM that appeared
   * since, or a client only some mocks need (Node's https: an https mock URL or a refusal), is covered.
   */
  interceptors(options?: InterceptOptions): Promise<RequestInterceptor[]>;
  makeResponse(body: Uint8Array | string | null, init: ResponseInit): Response;
  /** Starts watching for requests that bypass interception (undici's own API in Node); returns a stop function. */
  watchBypass?(onRequest: (origin: string, method: string, path: string) => void): () => void;
  /**
   * The global fetch is answered by this module's own wrapper instead of an interceptor (in Node:
   * the first test then loads no library when it uses fetch).
   */
  ownFetch?: boolean;
}

// Mock URLs use ports counted from here: nothing listens on them, so a request that escaped the
// interception fails to connect instead of reaching some other server.
const FIRST_PORT = 45_801;

interface InterceptState {
  applied: RequestInterceptor[];
  ready: Promise<void> | undefined;
  library: InterceptionLibrary | undefined;
  /** Sessions running now, by the origin of their URL. */
  active: Map<string, InterceptedMock>;
  /** Origins handed out so far (a request to one whose test ended gets a 500 saying so). */
  known: Set<string>;
  freePorts: number[];
  nextPort: number;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Leases under way: the interceptors they are applying must stay. */
  leasing: number;
  stopWatching: (() => void) | undefined;
  /** The global fetch's property this module replaced with its own fetch, while it is replaced. */
  replacedFetch: { property: PropertyDescriptor; own: typeof fetch } | undefined;
  count: number;
}

// One state per process (or page), however many copies of this module a test runner loads:
// the globals the interceptors patch are the process's.
const STATE = Symbol.for('covenant.consumer.intercept');

function state(): InterceptState {
  const holder = globalThis as unknown as Record<symbol, InterceptState | undefined>;
  holder[STATE] ??= {
    applied: [],
    ready: undefined,
    library: undefined,
    active: new Map(),
    known: new Set(),
    freePorts: [],
    nextPort: FIRST_PORT,
    idleTimer: undefined,
    leasing: 0,
    stopWatching: undefined,
    replacedFetch: undefined,
    count: 0,
  };
  return holder[STATE];
}

function headersOf(request: Request): Headers {
  const out: Headers = {};
  request.headers.forEach((value, name) => {
    out[name] = name === 'set-cookie' ? value.split(', ') : [value];
  });
  return out;
}

function toResponse(library: InterceptionLibrary, answer: MockAnswer): Response {
  const headers = new globalThis.Headers();
  for (const [name, value] of answer.headers) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  // Fetch's null body statuses: a Response refuses a body with them, and a client reading one from a
  // socket gets none
  const noBody =
    answer.status < 200 || answer.status === 204 || answer.status === 205 || answer.status === 304;
  return library.makeResponse(noBody ? null : (answer.body ?? null), { status: answer.status, headers });
}

/**
 * Where in-process mode sends a request: `mock` (a running test's session answers it), `ended`
 * (its test is over: a 500 says so), `refused` (another host while a Pact says otherHosts: 'fail';
 * the refusal is noted in those tests' reports) or `out` (it goes out as usual).
 */
export type InterceptRoute =
  | { to: 'mock'; session: MockSession }
  | { to: 'ended' }
  | { to: 'refused'; error: Error }
  | { to: 'out' };

/** Routes a request for `url`, as every client interception of this mode does. */
export function routeRequest(method: string, url: URL): InterceptRoute {
  const current = state();
  const mock = current.active.get(url.origin);
  if (mock) return { to: 'mock', session: mock.session };
  if (current.known.has(url.origin)) return { to: 'ended' };
  const refusing = [...current.active.values()].filter((m) => m.otherHosts === 'fail');
  if (refusing.length === 0) return { to: 'out' };
  const reason = `it is for another host than the mock's, and this Pact has otherHosts: 'fail' (set otherHosts: 'passthrough' to let such requests go out)`;
  for (const m of refusing) m.session.note({ kind: 'refused', request: { method, url: url.href }, reason });
  return {
    to: 'refused',
    error: new Error(`Covenant refused ${method} ${url.href} in in-process mode: ${reason}`),
  };
}

/** The session answering requests for `origin` now, if a test runs there. */
export function sessionAt(origin: string): MockSession | undefined {
  return state().active.get(origin)?.session;
}

/** What in-process mode does with a request: answer it, fail it, or (undefined) let it go out. */
type Outcome = { response: Response } | { error: unknown } | undefined;

async function answerFor(
  method: string,
  url: URL,
  headers: () => Headers,
  body: () => Promise<Uint8Array>,
): Promise<Outcome> {
  const route = routeRequest(method, url);
  const library = state().library!;
  const target = `${url.pathname}${url.search}`;
  if (route.to === 'mock') {
    const answer = route.session.answer({ method, target, headers: headers(), body: await body() });
    return { response: toResponse(library, answer) };
  }
  if (route.to === 'ended') return { response: toResponse(library, answerWithoutSession(method, target)) };
  if (route.to === 'refused') return { error: route.error };
  return undefined;
}

/** A Request's body bytes; one without a body (most GETs) skips reading an empty stream. */
async function bodyOf(request: Request): Promise<Uint8Array> {
  return request.body === null ? NO_BODY : new Uint8Array(await request.arrayBuffer());
}

/** `answerFor` a Request, its headers and body read only if a mock needs them. */
function answerForRequest(request: Request) {
  return answerFor(
    request.method,
    new URL(request.url),
    () => headersOf(request),
    () => bodyOf(request),
  );
}

async function onRequest({ request, controller }: InterceptedRequestEvent): Promise<void> {
  const outcome = await answerForRequest(request);
  if (outcome && 'error' in outcome) controller.errorWith(outcome.error);
  else if (outcome) controller.respondWith(outcome.response);
  // else passthrough: the request goes out as usual
}

/** `href` parsed, or undefined if it is no URL (parsed once: checking first would parse it twice). */
function urlOrNothing(href: string): URL | undefined {
  try {
    return new URL(href);
  } catch {
    return undefined;
  }
}

const NO_BODY = new Uint8Array(0);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A fetch that answers requests for mock URLs (and refuses other hosts when a Pact says so) the way
 * the interceptors do, and hands everything else to the fetch it replaces.
 */
function ownFetch(original: () => typeof fetch): typeof fetch {
  const own = async (input: string | URL | Request, init?: RequestInit, redirects = 0): Promise<Response> => {
    const current = state();
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = urlOrNothing(href);
    const ours =
      url !== undefined &&
      (current.active.has(url.origin) ||
        current.known.has(url.origin) ||
        [...current.active.values()].some((m) => m.otherHosts === 'fail'));
    if (!ours) return original()(input, init);
    // `fetch(url)`, a GET without headers or body, needs no Request made (a URL with credentials
    // does, to be refused as fetch refuses it); otherwise, as fetch sends it: Request applies the
    // body's default content type and the method's case
    const bare = init === undefined && !(input instanceof Request) && !url.username && !url.password;
    const request = bare ? undefined : new Request(input, init);
    const outcome = request
      ? await answerForRequest(request)
      : await answerFor(
          'GET',
          url,
          () => ({}),
          () => Promise.resolve(NO_BODY),
        );
    if (!outcome) return original()(input, init);
    if ('error' in outcome) throw outcome.error;
    const response = outcome.response;
    const responseUrl = request?.url ?? url.href;
    Object.defineProperty(response, 'url', { value: responseUrl });
    const location = response.headers.get('location');
    const follow = (request?.redirect ?? 'follow') === 'follow';
    if (REDIRECTS.has(response.status) && location && follow && redirects < 20) {
      const next = new URL(location, responseUrl).href;
      if (!request) return own(next, undefined, redirects + 1);
      const asGet =
        response.status === 303 ||
        (response.status !== 307 && response.status !== 308 && request.method === 'POST');
      return own(next, asGet ? { method: 'GET', headers: request.headers } : request.clone(), redirects + 1);
    }
    return response;
  };
  return ((input: string | URL | Request, init?: RequestInit) => own(input, init)) as typeof fetch;
}

/**
 * Puts this module's fetch in place of the global one, read as a property without calling its
 * getter: Node's global fetch is a getter that loads Node's undici (about 13 ms), which a suite
 * whose client never calls fetch should not pay for. The fetch it replaced is loaded when a request
 * goes out through it.
 */
function replaceFetch(current: InterceptState): void {
  const property = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!property?.configurable || (typeof property.value !== 'function' && !property.get)) return;
  let loaded = typeof property.value === 'function' ? (property.value as typeof fetch) : undefined;
  const ownProperty: PropertyDescriptor = {
    writable: true,
    configurable: true,
    enumerable: property.enumerable ?? true,
  };
  const original = (): typeof fetch => {
    if (!loaded) {
      loaded = property.get!.call(globalThis) as typeof fetch;
      // Node's getter puts the fetch it loaded in place of the property: ours goes back
      if (current.replacedFetch?.own === own) Object.defineProperty(globalThis, 'fetch', ownProperty);
    }
    return loaded;
  };
  const own = ownFetch(original);
  ownProperty.value = own;
  Object.defineProperty(globalThis, 'fetch', ownProperty);
  current.replacedFetch = { property, own };
}

async function applyInterceptors(library: InterceptionLibrary, options: InterceptOptions): Promise<void> {
  const current = state();
  current.library = library;
  if (library.ownFetch && !current.replacedFetch) replaceFetch(current);
  const interceptors = await library.interceptors(options);
  for (const interceptor of interceptors) {
    if (current.applied.includes(interceptor)) continue;
    interceptor.apply();
    interceptor.on?.('request', onRequest);
    current.applied.push(interceptor);
  }
  current.stopWatching ??= library.watchBypass?.((origin, method, path) => {
    const mock = current.active.get(origin);
    mock?.session.note({
      kind: 'refused',
      request: { method, url: `${origin}${path}` },
      reason:
        "it was sent with undici's own API (request, stream, fetch, Pool, Client or Agent from the undici package), which opens its own sockets where in-process mode cannot intercept it. Call the mock with the global fetch, node:http or a client built on them, or use transport: 'socket'.",
    });
  });
}

/** Removes the interceptors once no session has needed them for a moment, restoring the globals they patched. */
function disposeWhenIdle(): void {
  const current = state();
  // one timer at a time: a suite's tests end one after another, each would otherwise make one
  if (current.idleTimer) return;
  const timer = setTimeout(() => {
    current.idleTimer = undefined;
    if (current.active.size > 0 || current.leasing > 0) return;
    for (const interceptor of current.applied) interceptor.dispose();
    current.applied = [];
    if (current.replacedFetch && globalThis.fetch === current.replacedFetch.own)
      Object.defineProperty(globalThis, 'fetch', current.replacedFetch.property);
    current.replacedFetch = undefined;
    current.stopWatching?.();
    current.stopWatching = undefined;
  }, 0);
  (timer as { unref?: () => void }).unref?.();
  current.idleTimer = timer;
}

/**
 * Starts loading the interception library ahead of the first lease (a Pact in this mode does when
 * it is made), so the first test does not wait for it.
 */
export function prepareInterception(library: InterceptionLibrary): void {
  const current = state();
  current.ready ??= library.interceptors().then(
    () => undefined,
    () => {
      current.ready = undefined;
    },
  );
}

// Mock URLs' origins as URL gives them (it normalises the host): ports are reused, so few URLs recur.
const origins = new Map<string, string>();

function originOf(url: string): string {
  let origin = origins.get(url);
  if (origin === undefined) {
    origin = new URL(url).origin;
    origins.set(url, origin);
  }
  return origin;
}

/** One test's in-process mock: a URL of its own, answered by a {@link MockSession}. */
export class InterceptedMock implements MockHandle {
  readonly info: MockHandle['info'];
  readonly session: MockSession;
  /** The URL's origin, the key requests are routed by. */
  readonly origin: string;
  private stopped = false;

  private constructor(
    interactions: readonly SynchronousHttpInteraction[],
    host: string,
    private readonly port: number,
    cors: boolean,
    readonly otherHosts: OtherHosts,
    scheme: 'http' | 'https',
  ) {
    const urlHost = host.includes(':') ? `[${host}]` : host;
    const url = `${scheme}://${urlHost}:${port}`;
    this.info = { url, host, port, id: `intercept-${++state().count}` };
    this.origin = originOf(url);
    this.session = new MockSession(interactions, url, cors);
  }

  /** Starts an in-process mock for one test, applying the interceptors if they are not yet. */
  static async lease(
    interactions: readonly SynchronousHttpInteraction[],
    options: InterceptOptions,
    library: InterceptionLibrary,
  ): Promise<InterceptedMock> {
    const current = state();
    current.leasing++;
    try {
      await current.ready;
      await applyInterceptors(library, options);
    } finally {
      current.leasing--;
    }
    const port = current.freePorts.shift() ?? current.nextPort++;
    const mock = new InterceptedMock(
      interactions,
      options.host ?? '127.0.0.1',
      port,
      options.cors ?? true,
      options.otherHosts ?? 'passthrough',
      options.tls ? 'https' : 'http',
    );
    current.active.set(mock.origin, mock);
    current.known.add(mock.origin);
    return mock;
  }

  problems(): MockProblem[] {
    return this.session.problems();
  }

  history() {
    return this.session.history();
  }

  stop(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.stopped = true;
    const current = state();
    current.active.delete(this.origin);
    current.freePorts.push(this.port);
    current.freePorts.sort((a, b) => a - b);
    if (current.active.size === 0) disposeWhenIdle();
    return Promise.resolve();
  }
}
