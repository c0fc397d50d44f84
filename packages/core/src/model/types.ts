import type { JsonObject, JsonValue } from '../json/value.js';
import type { MatchingRules } from './matching-rules.js';

/** The Pact specification versions Covenant reads; it writes V2, V3 and V4. */
export type SpecVersion = 'V1' | 'V1_1' | 'V2' | 'V3' | 'V4';

/**
 * A body's content. `json` bodies are parsed losslessly; `text` holds any textual body
 * (XML, plain text, form data, and JSON not yet parsed); `binary` raw bytes.
 */
export type BodyContent =
  | { type: 'json'; value: JsonValue }
  | { type: 'text'; text: string }
  | { type: 'binary'; bytes: Uint8Array };

/**
 * A request, response or message body. `missing` means the pact says nothing about it (anything
 * matches); `null` is an explicit JSON null body; `present` carries content, an empty body being
 * present text `''`.
 */
export type Body =
  | { kind: 'missing' }
  | { kind: 'null' }
  | {
      kind: 'present';
      /** The content type as declared (V4 body or Content-Type header), or undefined when unknown. */
      contentType: string | undefined;
      content: BodyContent;
      /** V4 hint for how a body of an unfamiliar content type should be treated. */
      contentTypeHint?: 'TEXT' | 'BINARY' | 'DEFAULT';
    };

/** A generator as written in a pact file (`{"type": "RandomInt", "min": 0, "max": 10}`). */
export interface Generator {
  type: string;
  [option: string]: JsonValue;
}

export type GeneratorCategoryName = 'method' | 'path' | 'header' | 'query' | 'body' | 'status' | 'metadata';

/** Generators by category; `path`, `status` and `method` hold one generator under the key `''`. */
export type Generators = Partial<Record<GeneratorCategoryName, Map<string, Generator>>>;

/** Header values by name as written; look names up case-insensitively. */
export type Headers = Record<string, string[]>;

/** Query parameter values by name, in order. */
export type Query = Record<string, string[]>;

export interface HttpRequest {
  method: string;
  path: string;
  /** undefined when the pact does not say (any query matches); `{}` means none expected. */
  query: Query | undefined;
  /** The query as written in a V1 pact, where the spec compares it as a string. */
  rawQuery?: string;
  headers: Headers | undefined;
  body: Body;
  matchingRules: MatchingRules;
  generators: Generators;
}

export interface HttpResponse {
  /** undefined when the pact does not say (spec test cases omit it); pacts write 200. */
  status: number | undefined;
  headers: Headers | undefined;
  body: Body;
  matchingRules: MatchingRules;
  generators: Generators;
}

/** The content of one message: body, metadata, and their rules and generators. */
export interface MessageContents {
  contents: Body;
  metadata: JsonObject;
  matchingRules: MatchingRules;
  generators: Generators;
}

export interface ProviderState {
  name: string;
  params?: JsonObject;
}

interface InteractionCommon {
  description: string;
  providerStates: ProviderState[];
  /** V4 unique key of the interaction. */
  key?: string;
  /** V4: a failure of a pending interaction does not fail verification. */
  pending: boolean;
  /** V4 comments: `text` (string list), `testname`, or anything else. */
  comments?: JsonObject;
  /** Fields the model does not interpret but must write back unchanged (pluginConfiguration, interactionMarkup, transport, _id…). */
  extra?: JsonObject;
}

export interface SynchronousHttpInteraction extends InteractionCommon {
  type: 'Synchronous/HTTP';
  request: HttpRequest;
  response: HttpResponse;
}

export interface AsynchronousMessageInteraction extends InteractionCommon, MessageContents {
  type: 'Asynchronous/Messages';
}

export interface SynchronousMessageInteraction extends InteractionCommon {
  type: 'Synchronous/Messages';
  request: MessageContents;
  response: MessageContents[];
}

export type Interaction =
  | SynchronousHttpInteraction
  | AsynchronousMessageInteraction
  | SynchronousMessageInteraction;

/** One pact: the contract between a consumer and a provider, whatever version it was read from. */
export interface Pact {
  consumer: { name: string };
  provider: { name: string };
  interactions: Interaction[];
  /** Metadata other than `pactSpecification` (e.g. `pactRust`, `pactJs`, plugins). */
  metadata: JsonObject;
  /** The version the pact was read as. */
  specification: SpecVersion;
}
