import { coreError } from '../errors.js';
import { type JsonObject, type JsonValue, stringifyJson } from '../json/value.js';
import { bodyToLegacyJson, bodyToV4Json } from './body.js';
import { generatorsToJson } from './generators.js';
import { matchingRulesToJson } from './matching-rules.js';
import { formatQueryString } from './query.js';
import type {
  Headers,
  HttpRequest,
  HttpResponse,
  Interaction,
  MessageContents,
  Pact,
  ProviderState,
} from './types.js';

/** The versions Covenant writes. */
export type WritableVersion = 'V2' | 'V3' | 'V4';

const VERSION_TEXT: Record<WritableVersion, string> = { V2: '2.0.0', V3: '3.0.0', V4: '4.0' };

function set(out: JsonObject, key: string, value: JsonValue | undefined): void {
  if (value !== undefined) out[key] = value;
}

function legacyHeaders(headers: Headers | undefined): JsonObject | undefined {
  if (!headers) return undefined;
  const out: JsonObject = {};
  for (const [name, values] of Object.entries(headers)) out[name] = values.join(', ');
  return out;
}

function v4Headers(headers: Headers | undefined): JsonObject | undefined {
  if (!headers) return undefined;
  const out: JsonObject = {};
  for (const [name, values] of Object.entries(headers)) out[name] = [...values];
  return out;
}

function statesJson(states: ProviderState[]): JsonValue {
  return states.map((s) => (s.params ? { name: s.name, params: s.params } : { name: s.name }));
}

function requestJson(r: HttpRequest, version: WritableVersion): JsonObject {
  const out: JsonObject = { method: r.method, path: r.path };
  if (r.query && Object.keys(r.query).length > 0) {
    set(out, 'query', version === 'V2' ? formatQueryString(r.query) : cloneQuery(r.query));
  }
  set(out, 'headers', version === 'V4' ? v4Headers(r.headers) : legacyHeaders(r.headers));
  set(out, 'body', version === 'V4' ? bodyToV4Json(r.body) : bodyToLegacyJson(r.body));
  set(out, 'matchingRules', matchingRulesToJson(r.matchingRules, version === 'V2' ? 'v2' : 'v3'));
  if (version !== 'V2') set(out, 'generators', generatorsToJson(r.generators));
  return out;
}

function cloneQuery(query: Record<string, string[]>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(query)) out[k] = [...v];
  return out;
}

function responseJson(r: HttpResponse, version: WritableVersion): JsonObject {
  const out: JsonObject = { status: r.status ?? 200 };
  set(out, 'headers', version === 'V4' ? v4Headers(r.headers) : legacyHeaders(r.headers));
  set(out, 'body', version === 'V4' ? bodyToV4Json(r.body) : bodyToLegacyJson(r.body));
  set(out, 'matchingRules', matchingRulesToJson(r.matchingRules, version === 'V2' ? 'v2' : 'v3'));
  if (version !== 'V2') set(out, 'generators', generatorsToJson(r.generators));
  return out;
}

function messageJson(m: MessageContents, version: 'V3' | 'V4', out: JsonObject): void {
  set(out, 'contents', version === 'V4' ? bodyToV4Json(m.contents) : (bodyToLegacyJson(m.contents) ?? ''));
  out.metadata = { ...m.metadata };
  set(
    out,
    'matchingRules',
    matchingRulesToJson(m.matchingRules, 'v3', version === 'V4' ? 'content' : 'body'),
  );
  set(out, 'generators', generatorsToJson(m.generators));
}

function interactionJson(i: Interaction, version: WritableVersion, source: string): JsonObject {
  const out: JsonObject = {};
  if (version === 'V4') out.type = i.type;
  out.description = i.description;
  if (version === 'V4' && i.key) out.key = i.key;
  if (version === 'V4') out.pending = i.pending;
  if (i.providerStates.length > 0) {
    if (version === 'V2') out.providerState = i.providerStates[0]!.name;
    else out.providerStates = statesJson(i.providerStates);
  }
  if (version === 'V4' && i.comments) out.comments = i.comments;
  if (i.extra) for (const [k, v] of Object.entries(i.extra)) if (!(k in out)) out[k] = v;
  switch (i.type) {
    case 'Synchronous/HTTP':
      out.request = requestJson(i.request, version);
      out.response = responseJson(i.response, version);
      return out;
    case 'Asynchronous/Messages':
      if (version === 'V2') throw unsupported(source, 'V2', 'message interactions');
      messageJson(i, version, out);
      return out;
    case 'Synchronous/Messages': {
      if (version !== 'V4') throw unsupported(source, version, 'synchronous message interactions');
      const request: JsonObject = {};
      messageJson(i.request, 'V4', request);
      out.request = request;
      out.response = i.response.map((r) => {
        const part: JsonObject = {};
        messageJson(r, 'V4', part);
        return part;
      });
      return out;
    }
  }
}

function unsupported(source: string, version: string, what: string) {
  return coreError(
    'COV_CORE_WRITE_UNSUPPORTED',
    `${source} holds ${what}, which a ${version} pact cannot hold`,
    {
      version,
    },
  );
}

/**
 * One interaction in pact-file form for the given version (what `pactToJson` puts in the
 * `interactions` or `messages` list). Writers that cache per-interaction text use it.
 */
export function interactionToJson(interaction: Interaction, version: WritableVersion): JsonObject {
  return interactionJson(interaction, version, `the interaction '${interaction.description}'`);
}

/**
 * Turns the model into pact-file JSON of the given specification version.
 * V3 holds either HTTP interactions or messages; V4 holds any mix.
 *
 * @example
 * const json = pactToJson(pact, 'V4');
 * await writeFile('pacts/web-api.json', stringifyJson(json, 2));
 */
export function pactToJson(pact: Pact, version: WritableVersion): JsonObject {
  const source = `the pact between ${pact.consumer.name} and ${pact.provider.name}`;
  const out: JsonObject = { consumer: { name: pact.consumer.name }, provider: { name: pact.provider.name } };
  const interactions = pact.interactions.map((i) => interactionJson(i, version, source));
  if (version === 'V3') {
    const messages = pact.interactions.filter((i) => i.type === 'Asynchronous/Messages').length;
    if (messages > 0 && messages < pact.interactions.length) {
      throw unsupported(source, 'V3', 'HTTP interactions and messages together');
    }
    out[messages > 0 ? 'messages' : 'interactions'] = interactions;
  } else {
    out.interactions = interactions;
  }
  out.metadata = { ...pact.metadata, pactSpecification: { version: VERSION_TEXT[version] } };
  return out;
}

/** The pact as pretty-printed file text, numbers written exactly as read. */
export function pactToText(pact: Pact, version: WritableVersion): string {
  return `${stringifyJson(pactToJson(pact, version), 2)}\n`;
}
