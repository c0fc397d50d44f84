import {
  type Body,
  CovenantError,
  declaredVersion,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  messageContentsFromJson,
  type RuleCategory,
  requestFromJson,
  responseFromJson,
  type SpecVersion,
  utf8Decode,
} from '@covenant/core';
import { contractsError } from './errors.js';

/** What every interaction of a pact carries into the comparison. */
interface InteractionBase {
  /** Its position in the pact's `interactions`, for locations (`[root].interactions[3]`). */
  index: number;
  description: string | null;
  state: string | null;
}

/** An HTTP interaction, its values as the comparison reads them (headers as one string each). */
export interface HttpCase extends InteractionBase {
  kind: 'http';
  method: string;
  path: string;
  /** The query as a string (`a=1&b=2,3`), the way a request line would carry it. */
  query: string;
  requestHeaders: Map<string, string>;
  requestBody: unknown;
  /** The body's matching rules: what the example stands for (see excusedByMatchers). */
  requestRules: RuleCategory | undefined;
  status: number;
  responseHeaders: Map<string, string>;
  responseBody: unknown;
  responseRules: RuleCategory | undefined;
}

/** One message (an asynchronous message, or one side of a synchronous one). */
export interface MessagePart {
  payload: unknown;
  contentType: string | undefined;
  metadata: JsonObject | undefined;
  /** The payload's matching rules. */
  rules: RuleCategory | undefined;
}

export interface AsyncCase extends InteractionBase, MessagePart {
  kind: 'async';
  /** `comments.references.AsyncAPI`: undefined when absent, `{}` when not an object. */
  asyncapi: JsonObject | undefined;
}

export interface SyncCase extends InteractionBase {
  kind: 'sync';
  asyncapi: JsonObject | undefined;
  request: MessagePart;
  responses: MessagePart[];
}

export type InteractionCase = HttpCase | AsyncCase | SyncCase;

/**
 * Reads a pact (parsed JSON) into the interactions the comparison checks, through core's readers
 * for requests, responses and message contents. Interactions with no `type` are HTTP ones (V1-V3),
 * the V4 types are recognised case-insensitively, and interactions of any other type are left out
 * (they have nothing a provider contract describes). V3 message pacts' `messages` count as
 * asynchronous messages.
 *
 * @example
 * const cases = readPactCases(JSON.parse(readFileSync('pacts/web-api.json', 'utf8')));
 * cases.filter((c) => c.kind === 'http').length
 */
export function readPactCases(pact: unknown, source = 'the pact'): InteractionCase[] {
  if (!isJsonObject(pact as JsonValue)) {
    throw contractsError('COV_CONTRACTS_PACT_INVALID', `${source} is not a JSON object`, { source });
  }
  const json = pact as JsonObject;
  const interactions = json.interactions ?? [];
  if (!Array.isArray(interactions)) {
    throw contractsError('COV_CONTRACTS_PACT_INVALID', `${source}: "interactions" is not a list`, { source });
  }
  try {
    const declared = declaredVersion(isJsonObject(json.metadata) ? json.metadata : undefined, source);
    const httpVersion: SpecVersion = declared === 'V4' ? 'V4' : (declared ?? 'V2');
    const cases: InteractionCase[] = [];
    interactions.forEach((raw, index) => {
      if (!isJsonObject(raw)) return;
      const where = (path: (string | number)[]) => ({ source, path: ['interactions', index, ...path] });
      const type = typeof raw.type === 'string' ? raw.type.toLowerCase() : undefined;
      const base = { index, description: textOrNull(raw.description), state: stateOf(raw) };
      if (type === undefined || type === 'synchronous/http') {
        const request = requestFromJson(raw.request ?? {}, httpVersion, where(['request']));
        const response = responseFromJson(raw.response ?? {}, httpVersion, where(['response']));
        cases.push({
          ...base,
          kind: 'http',
          method: request.method,
          path: request.path,
          // A query written as a string is compared as the request line carries it.
          query:
            isJsonObject(raw.request) && typeof raw.request.query === 'string'
              ? raw.request.query
              : queryText(request.query),
          requestHeaders: headerMap(request.headers),
          requestBody: bodyValue(request.body),
          requestRules: request.matchingRules.body,
          status: response.status ?? 200,
          responseHeaders: headerMap(response.headers),
          responseBody: bodyValue(response.body),
          responseRules: response.matchingRules.body,
        });
      } else if (type === 'asynchronous/messages') {
        cases.push({
          ...base,
          kind: 'async',
          asyncapi: asyncapiReference(raw),
          ...messagePart(raw, where([])),
        });
      } else if (type === 'synchronous/messages') {
        const responses = Array.isArray(raw.response) ? raw.response : [];
        cases.push({
          ...base,
          kind: 'sync',
          asyncapi: asyncapiReference(raw),
          request: messagePart(raw.request ?? {}, where(['request'])),
          responses: responses.map((r, j) => messagePart(r, where(['response', j]))),
        });
      }
    });
    if (Array.isArray(json.messages)) {
      json.messages.forEach((raw, index) => {
        if (!isJsonObject(raw)) return;
        const where = { source, path: ['messages', index] };
        cases.push({
          index,
          description: textOrNull(raw.description),
          state: stateOf(raw),
          kind: 'async',
          asyncapi: asyncapiReference(raw),
          ...messagePart(raw, where),
        });
      });
    }
    return cases;
  } catch (error) {
    if (error instanceof CovenantError && error.code.startsWith('COV_CORE_')) {
      throw contractsError('COV_CONTRACTS_PACT_INVALID', error.detail, { source }, error);
    }
    throw error;
  }
}

function textOrNull(value: JsonValue | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

function stateOf(raw: JsonObject): string | null {
  if (typeof raw.providerState === 'string') return raw.providerState;
  const states = raw.providerStates;
  if (Array.isArray(states) && isJsonObject(states[0]) && typeof states[0].name === 'string') {
    return states[0].name;
  }
  return null;
}

function asyncapiReference(raw: JsonObject): JsonObject | undefined {
  const comments = raw.comments;
  const references = isJsonObject(comments) ? comments.references : undefined;
  const reference = isJsonObject(references) ? references.AsyncAPI : undefined;
  if (reference === undefined || reference === null || reference === false || reference === '')
    return undefined;
  return isJsonObject(reference) ? reference : {};
}

function messagePart(raw: JsonValue, where: { source: string; path: (string | number)[] }): MessagePart {
  const contents = isJsonObject(raw) ? raw.contents : undefined;
  const read = messageContentsFromJson(raw, 'V4', where);
  const declaredType =
    isJsonObject(contents) && typeof contents.contentType === 'string' ? contents.contentType : undefined;
  const metadata = isJsonObject(raw) && isJsonObject(raw.metadata) ? read.metadata : undefined;
  return {
    payload: bodyValue(read.contents),
    contentType: declaredType ?? (read.contents.kind === 'present' ? read.contents.contentType : undefined),
    metadata,
    rules: read.matchingRules.body,
  };
}

/** A body as the schemas see it: JSON as its value, text and bytes as a string. */
function bodyValue(body: Body): unknown {
  if (body.kind === 'missing') return undefined;
  if (body.kind === 'null') return null;
  const { content } = body;
  if (content.type === 'json') return content.value;
  if (content.type === 'text') return content.text;
  return utf8Decode(content.bytes);
}

function headerMap(headers: Record<string, string[]> | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, values] of Object.entries(headers ?? {})) {
    map.set(name.toLowerCase(), values.map((v) => v.replaceAll(/[\r\n\0]/g, '')).join(','));
  }
  return map;
}

function queryText(query: Record<string, string[]> | undefined): string {
  return Object.entries(query ?? {})
    .map(([name, values]) => `${name}=${values.join(',')}`)
    .join('&');
}
