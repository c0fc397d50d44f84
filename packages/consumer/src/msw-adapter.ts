// Contracts from msw handlers: records the requests a test makes against msw 2.x handlers and the
// answers they gave, and writes them as interactions (as @pactflow/pact-msw-adapter does, with its
// option names). A handler answering with matchedJson() gives Covenant matchers instead of a bare
// example. No `node:` imports: the same adapter runs in Node (setupServer) and in browsers (setupWorker).
import {
  type JsonValue,
  parseQueryString,
  type Query,
  type SynchronousHttpInteraction,
  type WritableVersion,
} from '@covenant/core';
import { consumerError } from './errors.js';
import { RequestBuilder, ResponseBuilder } from './http-builders.js';
import { reify, type Template } from './matchers.js';
import type { PactPlatform } from './platform.js';

/** Options, named as @pactflow/pact-msw-adapter names them, plus `spec`. */
export interface PactMswAdapterOptions {
  consumer: string;
  /**
   * Which provider each request is for: names mapped to parts of the URL (`{ UserService: ['/users'] }`),
   * or a function of the request. Default: the request's host.
   */
  providers?: Record<string, string[]> | ((request: Request) => string | null | undefined);
  /** Only requests whose URL contains one of these are recorded (default: all). */
  includeUrl?: string[];
  /** Requests whose URL contains one of these are not recorded. */
  excludeUrl?: string[];
  /**
   * Headers left out of the pact (any case), besides those a client or msw adds on its own
   * (host, connection, content-length, accept-encoding, user-agent, origin, referer, sec-*, date…).
   */
  excludeHeaders?: string[];
  /** Where pact files go. Default `./msw_generated_pacts`. */
  pactOutDir?: string;
  /** How long verifyTest() waits for requests still being answered, in ms. Default 200. */
  timeout?: number;
  /** Logs each recorded request to the console. */
  debug?: boolean;
  /** Pact specification version written: 2, 3 or 4 (default 4; matchers need 3 or 4). */
  spec?: 2 | 3 | 4;
}

/** The part of msw's setupServer()/setupWorker() the adapter listens to. */
export interface MswEvents {
  events: { on: (...args: never[]) => unknown };
}

interface MswEvent {
  request: Request;
  requestId: string;
  response?: Response;
}

export interface PactMswAdapter {
  /** Marks the start of a test: requests are checked per test by {@link PactMswAdapter.verifyTest}. */
  newTest(): void;
  /**
   * Waits for this test's requests to be answered (up to `timeout`), then fails with
   * COV_CONSUMER_MSW_UNHANDLED when one was not answered by a handler or is still pending.
   */
  verifyTest(): Promise<void>;
  /** Writes what was recorded, one pact file per provider; returns the files' paths. */
  writeToFile(): Promise<string[]>;
  /** Forgets everything recorded. */
  clear(): void;
}

const TEMPLATE_HEADER = 'x-covenant-template';
const TEMPLATES = Symbol.for('covenant.consumer.mswTemplates');

function templates(): Map<string, unknown> {
  const holder = globalThis as unknown as Record<symbol, Map<string, unknown> | undefined>;
  holder[TEMPLATES] ??= new Map();
  return holder[TEMPLATES];
}

/**
 * A JSON response for an msw handler whose body is a template of Covenant matchers: the client
 * gets the example, and the pact gets the matchers.
 *
 * @example
 * http.get('https://api.example.com/users/:id', () => matchedJson(like({ id: integer(1), name: 'Ann' })))
 */
export function matchedJson<T>(template: Template<T>, init: ResponseInit = {}): Response {
  const id = `t${templates().size + 1}-${Math.random().toString(36).slice(2, 8)}`;
  templates().set(id, template);
  const headers = new Headers(init.headers);
  if (!headers.has('content-type')) headers.set('Content-Type', 'application/json');
  headers.set(TEMPLATE_HEADER, id);
  return new Response(JSON.stringify(reify(template as Template<unknown>)), { ...init, headers });
}

// Headers clients, browsers and msw add on their own: recording them would tie the contract to one client.
const NOISE = new Set([
  'host',
  'connection',
  'content-length',
  'accept-encoding',
  'user-agent',
  'origin',
  'referer',
  'accept-language',
  'cookie',
  'set-cookie',
  'date',
  'keep-alive',
  'transfer-encoding',
  'x-powered-by',
  'x-msw-intention',
  TEMPLATE_HEADER,
]);

interface Recorded {
  test: number;
  request: Request;
  requestBody: Promise<Uint8Array>;
  answered?: { response: Response; body: Promise<Uint8Array> };
}

const decoder = new TextDecoder();

function parseJson(bytes: Uint8Array): { ok: true; value: JsonValue } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(decoder.decode(bytes)) as JsonValue };
  } catch {
    return { ok: false };
  }
}

/** @internal builds the adapter for a platform (the package's entries pass theirs). */
export function createPactMswAdapter(
  setup: { server?: MswEvents; worker?: MswEvents; options: PactMswAdapterOptions },
  platform: PactPlatform,
): PactMswAdapter {
  const host = setup.server ?? setup.worker;
  const options = setup.options;
  if (!host?.events || typeof options?.consumer !== 'string' || options.consumer === '') {
    throw consumerError(
      'COV_CONSUMER_INTERACTION_INVALID',
      'setupPactMswAdapter() needs { server } (msw/node) or { worker } (msw/browser) and options with a consumer name',
    );
  }
  const excluded = new Set([...NOISE, ...(options.excludeHeaders ?? []).map((h) => h.toLowerCase())]);
  const spec: WritableVersion = options.spec === 2 ? 'V2' : options.spec === 3 ? 'V3' : 'V4';
  let test = 0;
  const recorded = new Map<string, Recorded>();
  const unhandled: { test: number; request: Request }[] = [];

  const wanted = (url: string) =>
    (!options.includeUrl || options.includeUrl.some((part) => url.includes(part))) &&
    !(options.excludeUrl ?? []).some((part) => url.includes(part));
  const on = host.events.on.bind(host.events) as unknown as (
    event: 'request:start' | 'response:mocked' | 'request:unhandled',
    listener: (event: MswEvent) => void,
  ) => void;
  const bytesOf = (message: Request | Response) =>
    message
      .clone()
      .arrayBuffer()
      .then((b) => new Uint8Array(b));

  on('request:start', ({ request, requestId }) => {
    if (!wanted(request.url)) return;
    recorded.set(requestId, { test, request, requestBody: bytesOf(request) });
  });
  on('response:mocked', ({ requestId, response }) => {
    const entry = recorded.get(requestId);
    if (!entry || !response) return;
    entry.answered = { response, body: bytesOf(response) };
    if (options.debug) console.log(`[covenant msw] recorded ${entry.request.method} ${entry.request.url}`);
  });
  on('request:unhandled', ({ request, requestId }) => {
    if (!wanted(request.url)) return;
    recorded.delete(requestId);
    unhandled.push({ test, request });
  });

  function providerOf(request: Request): string | undefined {
    const providers = options.providers;
    if (typeof providers === 'function') return providers(request) ?? undefined;
    if (providers) {
      for (const [name, parts] of Object.entries(providers))
        if (parts.some((part) => request.url.includes(part))) return name;
      return undefined;
    }
    return new URL(request.url).host;
  }

  function headersOf(message: Request | Response): Record<string, string> {
    const out: Record<string, string> = {};
    message.headers.forEach((value, name) => {
      if (!excluded.has(name) && !name.startsWith('sec-')) out[name] = value;
    });
    return out;
  }

  async function interactionOf(entry: Recorded): Promise<SynchronousHttpInteraction> {
    const { request, answered } = entry;
    const url = new URL(request.url);
    const requestBuilder = new RequestBuilder();
    const requestHeaders = headersOf(request);
    if (Object.keys(requestHeaders).length > 0) requestBuilder.headers(requestHeaders);
    const query: Query = parseQueryString(url.search.slice(1));
    if (url.search.length > 1) requestBuilder.query(query);
    const requestBytes = await entry.requestBody;
    const requestType = request.headers.get('content-type') ?? undefined;
    if (requestBytes.length > 0) {
      const json = requestType?.includes('json') ? parseJson(requestBytes) : { ok: false as const };
      if (json.ok) requestBuilder.jsonBody(json.value, requestType);
      else requestBuilder.body(requestType ?? 'application/octet-stream', requestBytes);
    }
    const response = answered!.response;
    const responseBuilder = new ResponseBuilder();
    const responseHeaders = headersOf(response);
    const templateId = response.headers.get(TEMPLATE_HEADER);
    const template = templateId ? templates().get(templateId) : undefined;
    const responseType = response.headers.get('content-type') ?? undefined;
    if (responseType) delete responseHeaders['content-type'];
    if (Object.keys(responseHeaders).length > 0) responseBuilder.headers(responseHeaders);
    const responseBytes = await answered!.body;
    if (template !== undefined) responseBuilder.jsonBody(template, responseType);
    else if (responseBytes.length > 0) {
      const json = responseType?.includes('json') ? parseJson(responseBytes) : { ok: false as const };
      if (json.ok) responseBuilder.jsonBody(json.value, responseType);
      else responseBuilder.body(responseType ?? 'application/octet-stream', responseBytes);
    } else if (responseType) responseBuilder.headers({ 'Content-Type': responseType });
    return {
      type: 'Synchronous/HTTP',
      description: `${request.method} ${url.pathname}${url.search}`,
      providerStates: [],
      pending: false,
      request: requestBuilder.build(request.method, decodeURI(url.pathname)),
      response: responseBuilder.build(response.status),
    };
  }

  return {
    newTest() {
      test++;
    },

    async verifyTest() {
      const deadline = Date.now() + (options.timeout ?? 200);
      const pending = () => [...recorded.values()].filter((e) => e.test === test && !e.answered);
      while (pending().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const problems = [
        ...unhandled
          .filter((u) => u.test === test)
          .map((u) => `${u.request.method} ${u.request.url}: no msw handler answered it`),
        ...pending().map(
          (e) => `${e.request.method} ${e.request.url}: still unanswered after ${options.timeout ?? 200} ms`,
        ),
      ];
      if (problems.length > 0)
        throw consumerError(
          'COV_CONSUMER_MSW_UNHANDLED',
          `${problems.length} request${problems.length === 1 ? '' : 's'} in this test got no answer from the msw handlers, so the pact would miss ${problems.length === 1 ? 'it' : 'them'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
          { problems: problems.length },
        );
    },

    async writeToFile() {
      const byProvider = new Map<string, Map<string, SynchronousHttpInteraction>>();
      for (const entry of recorded.values()) {
        if (!entry.answered) continue;
        const provider = providerOf(entry.request);
        if (!provider) {
          if (options.debug) console.log(`[covenant msw] no provider for ${entry.request.url}: not written`);
          continue;
        }
        const interaction = await interactionOf(entry);
        const list = byProvider.get(provider) ?? new Map<string, SynchronousHttpInteraction>();
        byProvider.set(provider, list);
        // the same request answered differently elsewhere: a description of its own
        let description = interaction.description;
        for (let n = 2; list.has(description) && !sameInteraction(list.get(description)!, interaction); n++)
          description = `${interaction.description} (${n})`;
        list.set(description, { ...interaction, description });
      }
      const files: string[] = [];
      for (const [provider, interactions] of byProvider) {
        const fileOptions = {
          consumer: options.consumer,
          provider,
          dir: options.pactOutDir ?? './msw_generated_pacts',
          spec,
        };
        await platform.writePact(fileOptions, [...interactions.values()]);
        files.push(platform.pactFilePath(fileOptions));
      }
      return files;
    },

    clear() {
      recorded.clear();
      unhandled.length = 0;
      test = 0;
    },
  };
}

function sameInteraction(a: SynchronousHttpInteraction, b: SynchronousHttpInteraction): boolean {
  const text = (i: SynchronousHttpInteraction) =>
    JSON.stringify({ request: i.request, response: i.response }, (_key, value: unknown) =>
      value instanceof Map ? [...value] : value instanceof Uint8Array ? [...value] : value,
    );
  return text(a) === text(b);
}
