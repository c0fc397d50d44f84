// What a mock provider does with one request, whatever carried it: a socket (mock-server.ts) or an
// intercepted client call in this process (intercept.ts). No `node:` imports: it runs in browsers.
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
  | { kind: 'missing'; interaction: SynchronousHttpInteraction }
  /** In-process mode: a request the interception could not or was told not to serve. */
  | { kind: 'refused'; request: { method: string; url: string }; reason: string };

export type MockEvent =
  | { kind: 'request'; request: ReceivedRequest }
  | { kind: 'matched'; request: ReceivedRequest; interaction: SynchronousHttpInteraction };

/** What to answer: status, headers in the order they are set, and the body. */
export interface MockAnswer {
  status: number;
  headers: [name: string, value: string | string[]][];
  body: Uint8Array | string | undefined;
}

/** The request as a transport hands it over: the raw target (path and query) and the body bytes. */
export interface IncomingMockRequest {
  method: string;
  target: string;
  headers: Headers;
  body: Uint8Array;
}

const textDecoder = new TextDecoder();

function preview(bytes: Uint8Array): string {
  const text = textDecoder.decode(bytes.subarray(0, 2048));
  return bytes.length > 2048 ? `${text}… (${bytes.length} bytes)` : text;
}

function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** Headers set one by one as node:http's setHeader does: a later name replaces one of any case. */
class AnswerHeaders {
  readonly list: [string, string | string[]][] = [];
  set(name: string, value: string | string[]): void {
    const lower = name.toLowerCase();
    const at = this.list.findIndex(([n]) => n.toLowerCase() === lower);
    if (at >= 0) this.list[at] = [name, value];
    else this.list.push([name, value]);
  }
  has(name: string): boolean {
    const lower = name.toLowerCase();
    return this.list.some(([n]) => n.toLowerCase() === lower);
  }
}

function jsonAnswer(status: number, mismatchKind: string, body: unknown): MockAnswer {
  return {
    status,
    headers: [
      ['Content-Type', 'application/json'],
      ['X-Covenant-Mismatch', mismatchKind],
    ],
    body: JSON.stringify(body),
  };
}

/**
 * One test's mock provider: matches each request with the core engine, answers a match with the
 * interaction's response (generators applied) and anything else with a 500 that says why, and
 * records what went wrong for the report.
 */
export class MockSession {
  private readonly received = new Map<SynchronousHttpInteraction, number>();
  private readonly recorded: MockProblem[] = [];
  private readonly events: MockEvent[] = [];
  // Interactions by method and literal path, and those whose path has a matcher: a request is only
  // matched against the ones that can match it, so its cost stays flat in the number registered.
  private readonly byRoute = new Map<string, number[]>();
  private readonly anyRoute: number[] = [];

  constructor(
    private readonly interactions: readonly SynchronousHttpInteraction[],
    private readonly url: string,
    private readonly cors: boolean,
  ) {
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
  }

  /** Matches one request and says what to answer. */
  answer(incoming: IncomingMockRequest): MockAnswer {
    const target = incoming.target;
    const q = target.indexOf('?');
    const rawPath = q < 0 ? target : target.slice(0, q);
    const rawQuery = q < 0 ? '' : target.slice(q + 1);
    let path = rawPath;
    try {
      path = decodeURI(rawPath);
    } catch {
      // keep the raw path: the mismatch report shows it as received
    }
    const headers = incoming.headers;
    const raw = incoming.body;
    const body: Body =
      raw.length === 0
        ? { kind: 'missing' }
        : {
            kind: 'present',
            contentType: contentTypeHeader(headers),
            content: { type: 'binary', bytes: raw },
          };
    const actual: ActualRequest = {
      method: incoming.method,
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
        return this.respond(interaction.response, origin);
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
    const requestedMethod = headerValues(headers, 'access-control-request-method');
    if (this.cors && actual.method === 'OPTIONS' && requestedMethod) {
      const preflight = new AnswerHeaders();
      preflight.set('Access-Control-Allow-Origin', origin ?? '*');
      preflight.set('Access-Control-Allow-Methods', requestedMethod.join(', '));
      const requestedHeaders = headerValues(headers, 'access-control-request-headers');
      if (requestedHeaders) preflight.set('Access-Control-Allow-Headers', requestedHeaders.join(', '));
      preflight.set('Access-Control-Allow-Credentials', 'true');
      return { status: 204, headers: preflight.list, body: undefined };
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
    return jsonAnswer(500, closest?.samePath ? 'request-mismatch' : 'unexpected-request', {
      error: closest?.samePath
        ? `Request ${actual.method} ${path} does not match interaction '${closest.interaction.description}'`
        : `Unexpected request ${actual.method} ${path}: no interaction expects it`,
      mismatches: closest?.mismatches.map((m) => ({ code: m.code, path: m.path, message: m.message })) ?? [],
    });
  }

  /** Records a problem a transport found (a request it refused). */
  note(problem: MockProblem): void {
    this.recorded.push(problem);
  }

  /** Positions of the interactions that can match a request, in registration order. */
  private candidates(method: string, path: string): readonly number[] {
    const exact = this.byRoute.get(routeKey(method, path));
    if (this.anyRoute.length === 0) return exact ?? [];
    if (!exact) return this.anyRoute;
    return [...exact, ...this.anyRoute].sort((a, b) => a - b);
  }

  private respond(template: HttpResponse, origin: string | undefined): MockAnswer {
    const response = Object.values(template.generators).some((g) => g !== undefined && g.size > 0)
      ? generateResponse(template, 'consumer', { mockServer: { url: this.url } })
      : template;
    const headers = new AnswerHeaders();
    for (const [name, values] of Object.entries(response.headers ?? {}))
      headers.set(name, values.length === 1 ? values[0]! : values);
    if (this.cors && !headers.has('access-control-allow-origin'))
      headers.set('Access-Control-Allow-Origin', origin ?? '*');
    const body = response.body;
    let bytes: Uint8Array | string | undefined;
    if (body.kind === 'present') {
      if (!headers.has('content-type') && body.contentType) headers.set('Content-Type', body.contentType);
      bytes = bodyBytes(body.content);
    } else if (body.kind === 'null') {
      bytes = 'null';
    }
    return { status: response.status ?? 200, headers: headers.list, body: bytes };
  }

  /** Everything that went wrong so far: mismatched, unexpected and refused requests, then interactions never called. */
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
}

/** A request reaching a mock while no test is using it (e.g. sent after its test ended). */
export function answerWithoutSession(method: string, target: string): MockAnswer {
  return jsonAnswer(500, 'no-test-running', {
    error: `Request ${method} ${target} arrived while no test was using this mock server (was it sent after its test ended?)`,
  });
}
