// Node's side of a Pact: mock servers on sockets, in-process interception of fetch (intercept.ts's
// own wrapper), node:http(s) (intercept-http.ts) and, under jsdom or happy-dom, XMLHttpRequest (the
// library's interceptor), the locked pact file writer and the log file.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { answeredResponse } from './answered-response.js';
import type { InterceptionLibrary, RequestInterceptor } from './intercept.js';
import { nodeHttpInterception, nodeHttpsInterception } from './intercept-http.js';
import { MockServiceLog } from './log.js';
import { MockServer } from './mock-server.js';
import { pactFilePath, writeInteractions } from './pact-writer.js';
import type { PactPlatform } from './platform.js';

type ResponseClass = new (body: Uint8Array | string | null, init: ResponseInit) => Response;

const require = createRequire(import.meta.url);
let xhr: Promise<RequestInterceptor> | undefined;

let FetchResponse: ResponseClass | undefined;

/** undici's request channel: every request undici (the package or Node's own) creates. */
const UNDICI_REQUEST_CREATE = 'undici:request:create';

export const nodeInterception: InterceptionLibrary = {
  ownFetch: true,
  async interceptors(options) {
    const list: RequestInterceptor[] = [nodeHttpInterception];
    // only an https mock URL or a refusal of other hosts needs node:https (and TLS) wrapped
    if (options?.tls || options?.otherHosts === 'fail') list.push(nodeHttpsInterception);
    // XMLHttpRequest exists in Node only under a DOM environment (jsdom, happy-dom)
    if (typeof (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest !== 'function') return list;
    xhr ??= import('@mswjs/interceptors/XMLHttpRequest').then(
      (m) => new m.XMLHttpRequestInterceptor() as RequestInterceptor,
    );
    return [...list, await xhr];
  },
  makeResponse(body, init) {
    const status = init.status ?? 200;
    if (body instanceof Uint8Array && status >= 200 && status <= 599) return answeredResponse(body, init);
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
