// Node's side of a Pact: mock servers on sockets, interceptors for fetch, node:http(s) and (under
// jsdom or happy-dom) XMLHttpRequest, the locked pact file writer and the log file.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { join } from 'node:path';
import type { InterceptionLibrary, RequestInterceptor } from './intercept.js';
import { MockServiceLog } from './log.js';
import { MockServer } from './mock-server.js';
import { pactFilePath, writeInteractions } from './pact-writer.js';
import type { PactPlatform } from './platform.js';

type ResponseClass = new (body: Uint8Array | string | null, init: ResponseInit) => Response;

let loaded: Promise<{ list: RequestInterceptor[]; FetchResponse: ResponseClass }> | undefined;
let xhr: Promise<RequestInterceptor> | undefined;
let FetchResponse: ResponseClass | undefined;

// Loaded on the first in-process lease only: socket mode never pays for the library.
function loadInterceptors() {
  loaded ??= Promise.all([
    import('@mswjs/interceptors'),
    import('@mswjs/interceptors/ClientRequest'),
    import('@mswjs/interceptors/fetch'),
  ]).then(([root, clientRequest, fetch]) => {
    FetchResponse = root.FetchResponse as ResponseClass;
    return {
      list: [
        new clientRequest.ClientRequestInterceptor(),
        new fetch.FetchInterceptor(),
      ] as RequestInterceptor[],
      FetchResponse: FetchResponse,
    };
  });
  return loaded;
}

/** undici's request channel: every request undici (the package or Node's own) creates. */
const UNDICI_REQUEST_CREATE = 'undici:request:create';

export const nodeInterception: InterceptionLibrary = {
  async interceptors() {
    const { list } = await loadInterceptors();
    // XMLHttpRequest exists in Node only under a DOM environment (jsdom, happy-dom)
    if (typeof (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest !== 'function') return list;
    xhr ??= import('@mswjs/interceptors/XMLHttpRequest').then(
      (m) => new m.XMLHttpRequestInterceptor() as RequestInterceptor,
    );
    return [...list, await xhr];
  },
  makeResponse(body, init) {
    return new FetchResponse!(body, init);
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
