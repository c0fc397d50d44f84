import { coreError } from '../errors.js';
import { parseJson } from '../json/parse.js';
import { isJsonObject, type JsonObject, type JsonValue, numberText } from '../json/value.js';
import { bodyFromLegacyJson, bodyFromV4Json } from './body.js';
import { contentTypeHeader, metadataContentType } from './content-type.js';
import { GeneratorFormatError, generatorsFromJson } from './generators.js';
import { MatchingRuleError, matchingRulesFromJson } from './matching-rules.js';
import { parseQueryString } from './query.js';
import {
  httpInteractionSchema,
  messageSchema,
  pactSchema,
  requestSchema,
  responseSchema,
  v4InteractionSchema,
} from './schema.js';
import { describeIssues, type Issue, type Shape } from './shape.js';
import type {
  Headers,
  HttpRequest,
  HttpResponse,
  Interaction,
  MessageContents,
  Pact,
  ProviderState,
  Query,
  SpecVersion,
} from './types.js';

const VERSIONS: Record<string, SpecVersion> = {
  '1': 'V1',
  '1.0': 'V1',
  '1.0.0': 'V1',
  '1.1': 'V1_1',
  '1.1.0': 'V1_1',
  '2': 'V2',
  '2.0': 'V2',
  '2.0.0': 'V2',
  '3': 'V3',
  '3.0': 'V3',
  '3.0.0': 'V3',
  '4': 'V4',
  '4.0': 'V4',
  '4.0.0': 'V4',
};

type Where = { source: string; path: (string | number)[] };

function invalid(where: Where, lines: string[]): never {
  throw coreError(
    'COV_CORE_PACT_INVALID',
    `${where.source} is not a valid pact:\n${lines.map((l) => `  ${l}`).join('\n')}`,
    { source: where.source, issues: lines },
  );
}

function check<T>(shape: Shape<T>, json: unknown, where: Where): T {
  const issues: Issue[] = [];
  if (!shape(json, [], issues)) invalid(where, describeIssues(issues, where.path));
  return json;
}

/** Wraps errors of the rule and generator readers with where they happened. */
function guarded<T>(where: Where, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof MatchingRuleError) {
      throw coreError(
        'COV_CORE_MATCHING_RULE_INVALID',
        `${where.source} ${pathText(where.path)}: ${error.message}`,
        {
          source: where.source,
          path: pathText(where.path),
        },
      );
    }
    if (error instanceof GeneratorFormatError) {
      throw coreError(
        'COV_CORE_GENERATOR_INVALID',
        `${where.source} ${pathText(where.path)}: ${error.message}`,
        {
          source: where.source,
          path: pathText(where.path),
        },
      );
    }
    throw error;
  }
}

function pathText(path: (string | number)[]): string {
  return `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
}

/** The specification version a pact declares in its metadata, or undefined. */
export function declaredVersion(
  metadata: JsonObject | undefined,
  source = 'the pact',
): SpecVersion | undefined {
  if (!metadata) return undefined;
  const spec = metadata.pactSpecification ?? metadata['pact-specification'];
  let raw: JsonValue | undefined = isJsonObject(spec) ? spec.version : undefined;
  raw ??= metadata.pactSpecificationVersion;
  if (raw === undefined || raw === null) return undefined;
  const text = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : JSON.stringify(raw);
  const version = VERSIONS[text.trim()];
  if (!version) {
    throw coreError(
      'COV_CORE_PACT_VERSION_UNSUPPORTED',
      `${source} declares pact specification version '${text}', which Covenant does not know`,
      { source, version: text },
    );
  }
  return version;
}

function headersFromJson(
  json: Record<string, string | string[] | unknown> | null | undefined,
): Headers | undefined {
  if (json === undefined || json === null) return undefined;
  const out: Headers = {};
  for (const [name, value] of Object.entries(json)) {
    if (Array.isArray(value)) out[name] = value.map(String);
    else if (typeof value === 'string') out[name] = [value];
    else out[name] = [numberText(value as number)];
  }
  return out;
}

function queryFromJson(
  json: string | Record<string, string | (string | null)[]> | null | undefined,
): Query | undefined {
  if (json === undefined || json === null) return undefined;
  if (typeof json === 'string') return parseQueryString(json);
  const out: Query = {};
  for (const [name, value] of Object.entries(json)) {
    out[name] = Array.isArray(value) ? value.map((v) => v ?? '') : [value];
  }
  return out;
}

/** The matching rules and generators of a request, response or message, each read where it stands. */
function rulesAndGenerators(json: JsonObject, at: Where): Pick<HttpRequest, 'matchingRules' | 'generators'> {
  return {
    matchingRules: guarded({ ...at, path: [...at.path, 'matchingRules'] }, () =>
      matchingRulesFromJson(json.matchingRules ?? undefined),
    ),
    generators: guarded({ ...at, path: [...at.path, 'generators'] }, () =>
      generatorsFromJson(json.generators ?? undefined),
    ),
  };
}

/** Reads the request part of an HTTP interaction written at `version`. */
export function requestFromJson(json: JsonValue, version: SpecVersion, where?: Where): HttpRequest {
  const at = where ?? { source: 'request', path: [] };
  const r = check(requestSchema, json, at);
  const headers = headersFromJson(r.headers);
  const contentType = contentTypeHeader(headers);
  const raw = json as JsonObject;
  const request: HttpRequest = {
    method: (r.method ?? 'GET').toUpperCase(),
    path: r.path ?? '/',
    query: queryFromJson(r.query),
    headers,
    body:
      version === 'V4' ? bodyFromV4Json(raw.body, contentType) : bodyFromLegacyJson(raw.body, contentType),
    ...rulesAndGenerators(raw, at),
  };
  if (version === 'V1' && typeof r.query === 'string') request.rawQuery = r.query;
  return request;
}

/** Reads the response part of an HTTP interaction written at `version`. */
export function responseFromJson(json: JsonValue, version: SpecVersion, where?: Where): HttpResponse {
  const at = where ?? { source: 'response', path: [] };
  const r = check(responseSchema, json, at);
  const headers = headersFromJson(r.headers);
  const contentType = contentTypeHeader(headers);
  const raw = json as JsonObject;
  return {
    status: r.status === undefined ? undefined : Number(r.status),
    headers,
    body:
      version === 'V4' ? bodyFromV4Json(raw.body, contentType) : bodyFromLegacyJson(raw.body, contentType),
    ...rulesAndGenerators(raw, at),
  };
}

/** Reads message contents (V3 message, V4 async message, or one part of a V4 sync message). */
export function messageContentsFromJson(
  json: JsonValue,
  version: SpecVersion,
  where?: Where,
): MessageContents {
  const at = where ?? { source: 'message', path: [] };
  if (!isJsonObject(json)) invalid(at, [`${pathText(at.path)}: expected an object`]);
  const metadataJson = json.metadata ?? json.metaData;
  const metadata: JsonObject = isJsonObject(metadataJson) ? metadataJson : {};
  const contentType = metadataContentType(metadata);
  const contents = json.contents ?? json.content;
  const body =
    version === 'V4' && isJsonObject(contents) && 'content' in contents
      ? bodyFromV4Json(contents, contentType)
      : bodyFromLegacyJson(contents, contentType);
  return {
    contents: body,
    metadata,
    ...rulesAndGenerators(json, at),
  };
}

function providerStatesFromJson(raw: {
  providerState?: string | null | undefined;
  provider_state?: string | null | undefined;
  providerStates?: { name: string; params?: Record<string, unknown> | null | undefined }[] | null | undefined;
}): ProviderState[] {
  if (raw.providerStates) {
    // params and comments are copied, as zod's parse did, so the model shares no object with the JSON
    return raw.providerStates.map((s) =>
      s.params ? { name: s.name, params: { ...s.params } as JsonObject } : { name: s.name },
    );
  }
  const single = raw.providerState ?? raw.provider_state;
  return single ? [{ name: single }] : [];
}

const KNOWN_KEYS = new Set([
  'type',
  'description',
  'providerState',
  'provider_state',
  'providerStates',
  'key',
  'pending',
  'comments',
  'request',
  'response',
  'contents',
  'metadata',
  'metaData',
  'matchingRules',
  'generators',
]);

function extraFields(json: JsonObject): JsonObject | undefined {
  const extra: JsonObject = {};
  for (const [k, v] of Object.entries(json)) if (!KNOWN_KEYS.has(k)) extra[k] = v;
  return Object.keys(extra).length > 0 ? extra : undefined;
}

function common(
  raw: {
    description: string;
    key?: string | null | undefined;
    pending?: boolean | null | undefined;
    comments?: Record<string, unknown> | null | undefined;
    providerState?: string | null | undefined;
    provider_state?: string | null | undefined;
    providerStates?:
      | { name: string; params?: Record<string, unknown> | null | undefined }[]
      | null
      | undefined;
  },
  json: JsonObject,
) {
  const result: {
    description: string;
    providerStates: ProviderState[];
    pending: boolean;
    key?: string;
    comments?: JsonObject;
    extra?: JsonObject;
  } = {
    description: raw.description,
    providerStates: providerStatesFromJson(raw),
    pending: raw.pending ?? false,
  };
  if (raw.key) result.key = raw.key;
  if (raw.comments) result.comments = { ...raw.comments } as JsonObject;
  const extra = extraFields(json);
  if (extra) result.extra = extra;
  return result;
}

function interactionFromJson(json: unknown, version: SpecVersion, where: Where): Interaction {
  if (version === 'V4') {
    const i = check(v4InteractionSchema, json, where);
    const raw = json as JsonObject;
    if (i.type === 'Synchronous/HTTP') {
      return {
        type: i.type,
        ...common(i, raw),
        request: requestFromJson(raw.request!, version, { ...where, path: [...where.path, 'request'] }),
        response: responseFromJson(raw.response!, version, { ...where, path: [...where.path, 'response'] }),
      };
    }
    if (i.type === 'Asynchronous/Messages') {
      return { type: i.type, ...common(i, raw), ...messageContentsFromJson(raw, version, where) };
    }
    const responses = raw.response as JsonValue[];
    return {
      type: i.type,
      ...common(i, raw),
      request: messageContentsFromJson(raw.request!, version, { ...where, path: [...where.path, 'request'] }),
      response: responses.map((r, n) =>
        messageContentsFromJson(r, version, { ...where, path: [...where.path, 'response', n] }),
      ),
    };
  }
  const i = check(httpInteractionSchema, json, where);
  const raw = json as JsonObject;
  return {
    type: 'Synchronous/HTTP',
    ...common(i, raw),
    request: requestFromJson(raw.request!, version, { ...where, path: [...where.path, 'request'] }),
    response: responseFromJson(raw.response!, version, { ...where, path: [...where.path, 'response'] }),
  };
}

function messageFromJson(json: unknown, version: SpecVersion, where: Where): Interaction {
  const m = check(messageSchema, json, where);
  const raw = json as JsonObject;
  return {
    type: 'Asynchronous/Messages',
    ...common(m, raw),
    ...messageContentsFromJson(raw, version, where),
  };
}

/**
 * Reads a pact (V1 to V4, HTTP and message pacts) from parsed JSON into the one internal model.
 * Throws a {@link CovenantError} naming `source`, the JSON path and what was expected.
 */
export function pactFromJson(json: JsonValue, source = 'the pact'): Pact {
  const where: Where = { source, path: [] };
  const p = check(pactSchema, json, where);
  const raw = json as JsonObject;
  const metadata: JsonObject = isJsonObject(raw.metadata) ? { ...raw.metadata } : {};
  let version = declaredVersion(metadata, source);
  if (!version) {
    const first = (p.interactions ?? [])[0];
    version = isJsonObject(first) && typeof first.type === 'string' ? 'V4' : 'V3';
  }
  delete metadata.pactSpecification;
  delete metadata['pact-specification'];
  delete metadata.pactSpecificationVersion;
  const interactions: Interaction[] = [];
  (p.interactions ?? []).forEach((item, n) => {
    interactions.push(interactionFromJson(item, version, { source, path: ['interactions', n] }));
  });
  (p.messages ?? []).forEach((item, n) => {
    interactions.push(messageFromJson(item, version, { source, path: ['messages', n] }));
  });
  return {
    consumer: { name: p.consumer.name },
    provider: { name: p.provider.name },
    interactions,
    metadata,
    specification: version,
  };
}

/**
 * Parses and reads a pact file's text.
 *
 * @example
 * const pact = readPact(await readFile('pacts/web-api.json', 'utf8'), 'pacts/web-api.json');
 * pact.interactions.length
 */
export function readPact(text: string, source = 'the pact'): Pact {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    throw coreError(
      'COV_CORE_JSON_SYNTAX',
      `${source} is not valid JSON: ${parsed.message} at line ${parsed.line}, column ${parsed.column}`,
      { source, line: parsed.line, column: parsed.column },
    );
  }
  return pactFromJson(parsed.value, source);
}
