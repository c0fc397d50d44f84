// Node's side of a Pact: mock servers on sockets, interceptors for fetch, node:http(s) and (under
// jsdom or happy-dom) XMLHttpRequest, the locked pact file writer and the log file.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { InterceptedRequestEvent, InterceptionLibrary, RequestInterceptor } from './intercept.js';
import { MockServiceLog } from './log.js';
import { MockServer } from './mock-server.js';
import { pactFilePath, writeInteractions } from './pact-writer.js';
import type { PactPlatform } from './platform.js';

type ResponseClass = new (body: Uint8Array | string | null, init: ResponseInit) => Response;

const require = createRequire(import.meta.url);
let xhr: Promise<RequestInterceptor> | undefined;

/**
 * An interceptor that loads (synchronously, with require) the first time a client calls one of
 * the functions it would patch: until then those functions are wrapped by a trampoline that loads
 * and applies it, then makes the call. A suite whose tests use only fetch never loads it.
 */
class OnFirstUse implements RequestInterceptor {
  private real: RequestInterceptor | undefined;
  private listeners: ((args: InterceptedRequestEvent) => unknown)[] = [];
  private restore: (() => void) | undefined;
  private applied = false;

  constructor(
    private readonly load: () => RequestInterceptor,
    private readonly targets: () => [object, string][],
  ) {}

  apply(): void {
    this.applied = true;
    if (this.real) {
      this.real.apply();
      return;
    }
    const saved = this.targets().map(([owner, key]) => [owner, key, Reflect.get(owner, key)] as const);
    for (const [owner, key, original] of saved) {
      const load = () => this.materialize();
      const trampoline = new Proxy(original as (...args: unknown[]) => unknown, {
        apply: (_target, thisArg, args) => {
          load();
          return Reflect.apply(Reflect.get(owner, key) as (...a: unknown[]) => unknown, thisArg, args);
        },
        construct: (_target, args) => {
          load();
          return Reflect.construct(Reflect.get(owner, key) as new (...a: unknown[]) => object, args);
        },
      });
      Reflect.set(owner, key, trampoline);
    }
    this.restore = () => {
      for (const [owner, key, original] of saved) Reflect.set(owner, key, original);
    };
  }

  private materialize(): void {
    this.restore?.();
    this.restore = undefined;
    this.real ??= this.load();
    this.real.apply();
    for (const listener of this.listeners) this.real.on('request', listener);
  }

  on(event: 'request', listener: (args: InterceptedRequestEvent) => unknown): void {
    this.listeners.push(listener);
    if (this.real && this.applied && !this.restore) this.real.on(event, listener);
  }

  dispose(): void {
    this.applied = false;
    this.restore?.();
    this.restore = undefined;
    this.real?.dispose();
    this.listeners = [];
  }
}

// node:http(s) clients (axios, got, superagent…) are intercepted by the library's ClientRequest
// interceptor, loaded on the first such call; fetch is answered by intercept.ts's own wrapper.
const clientRequest = new OnFirstUse(
  () => {
    const { ClientRequestInterceptor } = require('@mswjs/interceptors/ClientRequest') as {
      ClientRequestInterceptor: new () => RequestInterceptor;
    };
    return new ClientRequestInterceptor();
  },
  () => {
    const http = require('node:http') as object;
    const https = require('node:https') as object;
    return [
      [http, 'request'],
      [http, 'get'],
      [http, 'ClientRequest'],
      [https, 'request'],
      [https, 'get'],
    ];
  },
);

let FetchResponse: ResponseClass | undefined;

/** undici's request channel: every request undici (the package or Node's own) creates. */
const UNDICI_REQUEST_CREATE = 'undici:request:create';

export const nodeInterception: InterceptionLibrary = {
  ownFetch: true,
  async interceptors() {
    const list: RequestInterceptor[] = [clientRequest];
    // XMLHttpRequest exists in Node only under a DOM environment (jsdom, happy-dom)
    if (typeof (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest !== 'function') return list;
    xhr ??= import('@mswjs/interceptors/XMLHttpRequest').then(
      (m) => new m.XMLHttpRequestInterceptor() as RequestInterceptor,
    );
    return [...list, await xhr];
  },
  makeResponse(body, init) {
    const status = init.status ?? 200;
    if (status >= 200 && status <= 599)
      return new Response(body as ConstructorParameters<typeof Response>[0], init);
    // the Fetch API's Response refuses other statuses; the library's subclass allows them
    FetchResponse ??= (require('@mswjs/interceptors') as { FetchResponse: ResponseClass }).FetchResponse;
    return new FetchResponse(body, init);
  },
  watchBypass(onRequest) {
    const listener = (message: unknown) => {
      const request = (message as { request?: { origin?: unknown; method?: unknown; path?: unknown } })
        .request;
      if (request?.origin === undefined) return;
      try {
        onRequest(new URL(String(request.origin)).origin, String(request.method), String(request.path));
      } catch {
        // not a URL: not a request to a mock
      }
    };
    subscribe(UNDICI_REQUEST_CREATE, listener);
    return () => unsubscribe(UNDICI_REQUEST_CREATE, listener);
  },
};

export const nodePlatform: PactPlatform = {
  socket: {
    prepare: (options) => MockServer.prepare(options),
    lease: (interactions, options) => MockServer.lease(interactions, options),
  },
  interception: nodeInterception,
  writePact: writeInteractions,
  pactFilePath,
  openLog: (file, level) => new MockServiceLog(file, level),
  defaultLogFile: (dir, name) => join(dir, name),
};
