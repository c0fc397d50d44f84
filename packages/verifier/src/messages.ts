import {
  type ActualMessage,
  type AsynchronousMessageInteraction,
  type Body,
  base64Decode,
  binaryBody,
  bodyJson,
  bodyKindOf,
  CovenantError,
  contentTypeHeader,
  generateMessage,
  headerValues,
  type Interaction,
  interactionToJson,
  isContentTypeKey,
  JsonNumber,
  type JsonObject,
  type JsonValue,
  jsonBody,
  type MessageContents,
  type Mismatch,
  matchMessage,
  metadataContentType,
  type ProviderState,
  parseJson,
  type SynchronousMessageInteraction,
  stringifyJson,
  textBody,
  utf8Decode,
} from '@covenant/core';
import { verifierError } from './errors.js';

/** A message as a producer makes it: the contents and, optionally, its metadata. */
export interface ProducedMessage {
  /**
   * The message body: a JSON-serialisable value (object, array, number, boolean, null), a string
   * (the serialised text, e.g. XML or plain text), or a Buffer/Uint8Array for binary content.
   */
  contents: unknown;
  /** Message metadata (headers, topic, `contentType`...); every value must be JSON-serialisable. */
  metadata?: Record<string, unknown>;
}

/** What a producer is given: the interaction it must produce a message for. */
export interface MessageDescriptor {
  description: string;
  providerStates: ProviderState[];
  /** Values the state handlers returned (for `fromProviderState` expressions). */
  stateValues: Record<string, JsonValue>;
  /**
   * For a synchronous message, the request the consumer sends (generators applied): its contents
   * as plain data (JSON parsed, text as a string, binary as a Buffer) and its metadata.
   */
  request?: { contents: unknown; metadata: Record<string, unknown> };
}

/**
 * Makes the message the pact describes, in-process: an asynchronous message returns one
 * message; a synchronous message returns its response, or a list of responses when the pact
 * expects several.
 *
 * @example
 * const documentCreated: MessageProvider = async ({ stateValues }) => ({
 *   contents: await buildDocumentEvent(String(stateValues.name)),
 *   metadata: { contentType: 'application/json', topic: 'documents' },
 * });
 */
export type MessageProvider = (
  descriptor: MessageDescriptor,
) => ProducedMessage | ProducedMessage[] | Promise<ProducedMessage | ProducedMessage[]>;

/** Producers for one description chosen by provider state: the first state of the interaction with a producer wins. */
export interface MessageProvidersByState {
  byState: Record<string, MessageProvider>;
  /** Used when none of the interaction's states has a producer. */
  otherwise?: MessageProvider;
}

/**
 * Message producers by interaction description (as pact-js's `messageProviders`), each a
 * producer or producers chosen by provider state.
 *
 * @example
 * const messageProviders: MessageProviders = {
 *   'A document created successfully': () => ({ contents: { documentType: 'microsoft-word' } }),
 *   'A document deleted': {
 *     byState: { 'the document was shared': () => ({ contents: { shared: true } }) },
 *     otherwise: () => ({ contents: { shared: false } }),
 *   },
 * };
 */
export type MessageProviders = Record<string, MessageProvider | MessageProvidersByState>;

export type MessageInteraction = AsynchronousMessageInteraction | SynchronousMessageInteraction;

export function isMessageInteraction(i: Interaction): i is MessageInteraction {
  return i.type === 'Asynchronous/Messages' || i.type === 'Synchronous/Messages';
}

/** Checks the shape of `messageProviders` up front, so a typo fails before any pact loads. */
export function validateMessageProviders(providers: unknown): void {
  if (typeof providers !== 'object' || providers === null || Array.isArray(providers)) {
    throw verifierError(
      'COV_VERIFIER_OPTIONS_INVALID',
      'messageProviders must be an object of producers by description',
    );
  }
  for (const [description, entry] of Object.entries(providers)) {
    if (typeof entry === 'function') continue;
    const byState = (entry as Partial<MessageProvidersByState> | null)?.byState;
    const otherwise = (entry as Partial<MessageProvidersByState> | null)?.otherwise;
    const valid =
      typeof byState === 'object' &&
      byState !== null &&
      Object.values(byState).every((p) => typeof p === 'function') &&
      (otherwise === undefined || typeof otherwise === 'function');
    if (!valid) {
      throw verifierError(
        'COV_VERIFIER_OPTIONS_INVALID',
        `messageProviders['${description}'] must be a function, or { byState: { [state]: function }, otherwise?: function }`,
      );
    }
  }
}

/** Where and how messages are obtained in one run. */
export interface MessageSource {
  providers: MessageProviders | undefined;
  /** The message endpoint for descriptions without an in-process producer. */
  url: string | undefined;
  /** How long a producer may take before it counts as failed. */
  timeoutMs: number;
  /** POSTs a JSON body to the endpoint; the verifier's HTTP client with its filters. */
  post: (
    url: string,
    body: Buffer,
  ) => Promise<{ status: number; headers: Record<string, string[]>; body: Buffer }>;
}

/**
 * Verifies one message interaction: obtains the message (in-process producer or the message
 * endpoint) and matches it against the pact with the core engine. Throws a coded error when no
 * message could be had; returns the mismatches otherwise.
 */
export async function verifyMessage(
  interaction: MessageInteraction,
  stateValues: Record<string, JsonValue>,
  source: MessageSource,
): Promise<Mismatch[]> {
  const producer = findProducer(interaction, source.providers);
  const expected = interaction.type === 'Asynchronous/Messages' ? [interaction] : interaction.response;
  let actual: ActualMessage[];
  if (producer) {
    actual = await produceInProcess(interaction, producer, stateValues, expected, source.timeoutMs);
  } else if (source.url) {
    actual = [await fetchFromEndpoint(interaction, source)];
  } else {
    throw missingProducer(interaction, source.providers ?? {});
  }
  return compareMessages(interaction, expected, actual);
}

function findProducer(
  interaction: MessageInteraction,
  providers: MessageProviders | undefined,
): MessageProvider | undefined {
  // own keys only: a description such as 'constructor' must not find Object.prototype's
  if (!providers || !Object.hasOwn(providers, interaction.description)) return undefined;
  const entry = providers[interaction.description]!;
  if (typeof entry === 'function') return entry;
  for (const state of interaction.providerStates) {
    if (Object.hasOwn(entry.byState, state.name)) return entry.byState[state.name];
  }
  if (entry.otherwise) return entry.otherwise;
  throw verifierError(
    'COV_VERIFIER_MESSAGE_PRODUCER_MISSING',
    `no message producer for '${interaction.description}' ${
      interaction.providerStates.length
        ? `given ${interaction.providerStates.map((s) => `'${s.name}'`).join(' and ')}`
        : 'without a provider state'
    }: its producers are for the states ${Object.keys(entry.byState)
      .map((s) => `'${s}'`)
      .join(', ')} and there is no 'otherwise'`,
    { description: interaction.description },
  );
}

function missingProducer(interaction: MessageInteraction, providers: MessageProviders): CovenantError {
  const known = Object.keys(providers);
  const closest = closestOf(interaction.description, known);
  const listed = known.length
    ? `producers exist for ${known.map((d) => `'${d}'`).join(', ')}`
    : 'no producers are registered (and no messageUrl is set)';
  return verifierError(
    'COV_VERIFIER_MESSAGE_PRODUCER_MISSING',
    `no message producer for '${interaction.description}': ${listed}${closest ? `. Did you mean '${closest}'?` : ''}`,
    { description: interaction.description, known, ...(closest ? { closest } : {}) },
  );
}

/** The known description nearest to the wanted one, when it is near enough to be a typo. */
function closestOf(wanted: string, known: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(wanted.toLowerCase(), name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(3, Math.floor(wanted.length / 3)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

const TIMED_OUT = Symbol('timed out');

async function produceInProcess(
  interaction: MessageInteraction,
  producer: MessageProvider,
  stateValues: Record<string, JsonValue>,
  expected: MessageContents[],
  timeoutMs: number,
): Promise<ActualMessage[]> {
  const descriptor: MessageDescriptor = {
    description: interaction.description,
    providerStates: interaction.providerStates,
    stateValues,
  };
  if (interaction.type === 'Synchronous/Messages') {
    const request = generateMessage(interaction.request, 'provider', { providerState: stateValues });
    descriptor.request = {
      contents: plainContents(request.contents),
      metadata: plainObject(request.metadata),
    };
  }
  let produced: unknown;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  try {
    // a producer that throws synchronously is reported like one that rejects
    const running = Promise.resolve().then(() => producer(descriptor));
    produced = await Promise.race([running, timedOut]);
  } catch (error) {
    throw verifierError(
      'COV_VERIFIER_MESSAGE_PRODUCER_FAILED',
      `the message producer for '${interaction.description}' threw ${describeThrown(error)}`,
      { description: interaction.description },
      error,
    );
  } finally {
    clearTimeout(timer);
  }
  if (produced === TIMED_OUT) {
    throw verifierError(
      'COV_VERIFIER_MESSAGE_PRODUCER_FAILED',
      `the message producer for '${interaction.description}' did not finish within ${timeoutMs} ms (timeoutMs)`,
      { description: interaction.description, timeoutMs },
    );
  }
  const list = Array.isArray(produced) ? produced : [produced];
  if (interaction.type === 'Asynchronous/Messages' && Array.isArray(produced)) {
    throw verifierError(
      'COV_VERIFIER_MESSAGE_INVALID',
      `the producer for '${interaction.description}' returned a list, but an asynchronous message is one message: return { contents, metadata }`,
      { description: interaction.description },
    );
  }
  return list.map((message, index) =>
    actualFromProduced(message, expected[index] ?? expected[0], interaction.description),
  );
}

function describeThrown(error: unknown): string {
  if (!(error instanceof Error)) return `a non-Error value: ${String(error)}`;
  const where = error.stack
    ?.split('\n')
    .find((line) => line.trim().startsWith('at '))
    ?.trim();
  return `${error.name}: ${error.message}${where ? ` (${where})` : ''}`;
}

function actualFromProduced(
  produced: unknown,
  expected: MessageContents | undefined,
  description: string,
): ActualMessage {
  if (typeof produced !== 'object' || produced === null || !('contents' in produced)) {
    throw verifierError(
      'COV_VERIFIER_MESSAGE_INVALID',
      `the producer for '${description}' returned ${preview(produced)}: a producer returns { contents, metadata? }`,
      { description },
    );
  }
  const { contents, metadata: rawMetadata } = produced as ProducedMessage;
  if (rawMetadata !== undefined && !isPlainObject(rawMetadata)) {
    throw verifierError(
      'COV_VERIFIER_MESSAGE_INVALID',
      `the producer for '${description}' returned metadata ${preview(rawMetadata)}: metadata is an object of values by key`,
      { description },
    );
  }
  const metadata: JsonObject = {};
  for (const [key, value] of Object.entries(rawMetadata ?? {})) {
    if (value === undefined) continue;
    metadata[key] = toJson(value, `metadata.${key}`, description, new Set());
  }
  const declared = metadataContentType(metadata);
  const fromPact = expected?.contents.kind === 'present' ? expected.contents.contentType : undefined;
  return { contents: bodyFromProduced(contents, declared ?? fromPact, description), metadata };
}

function bodyFromProduced(contents: unknown, contentType: string | undefined, description: string): Body {
  if (contents === undefined) return { kind: 'missing' };
  if (contents === null) return { kind: 'null' };
  if (contents instanceof Uint8Array) return binaryBody(contents, contentType ?? 'application/octet-stream');
  if (typeof contents === 'string') return textBody(contents, contentType ?? 'text/plain');
  const kind = bodyKindOf(contentType);
  if (kind !== undefined && kind !== 'json') {
    throw verifierError(
      'COV_VERIFIER_MESSAGE_NOT_SERIALISABLE',
      `the producer for '${description}' returned ${preview(contents)} as contents of type ${contentType}: only JSON content can be given as a value; return the serialised text (a string) or a Buffer`,
      { description, contentType },
    );
  }
  return jsonBody(toJson(contents, 'contents', description, new Set()), contentType ?? 'application/json');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Turns a produced value into JSON as `JSON.stringify` would, but refuses what it would silently
 * lose or throw on (functions, symbols, NaN, Maps, cycles), naming where the value sits.
 */
function toJson(value: unknown, path: string, description: string, ancestors: Set<object>): JsonValue {
  const refuse = (what: string, fix: string): never => {
    throw verifierError(
      'COV_VERIFIER_MESSAGE_NOT_SERIALISABLE',
      `the producer for '${description}' returned ${what} at ${path}, which is not JSON: ${fix}`,
      { description, path },
    );
  };
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : refuse(String(value), 'use a finite number or null');
  }
  if (typeof value === 'bigint') return new JsonNumber(value.toString());
  if (value instanceof JsonNumber) return value;
  if (value === undefined) return refuse('undefined', 'use null, or leave the key out');
  if (typeof value === 'function') return refuse('a function', 'call it, or leave it out');
  if (typeof value === 'symbol') return refuse('a symbol', 'use a string');
  const object = value as object;
  if (ancestors.has(object)) return refuse('a circular reference', 'break the cycle');
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    return toJson(toJSON.call(object, path), path, description, ancestors);
  }
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      return object.map((item, i) => toJson(item, `${path}[${i}]`, description, ancestors));
    }
    if (!isPlainObject(object)) {
      const name = object.constructor?.name ?? 'object';
      return refuse(`a ${name}`, 'convert it to a plain object or array first');
    }
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(object)) {
      if (item === undefined) continue; // as JSON.stringify: an absent optional field
      out[key] = toJson(item, `${path}.${key}`, description, ancestors);
    }
    return out;
  } finally {
    ancestors.delete(object);
  }
}

function preview(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** A pact body as plain data for a producer: JSON parsed, text as a string, binary as a Buffer. */
function plainContents(body: Body): unknown {
  if (body.kind === 'missing') return undefined;
  if (body.kind === 'null') return null;
  const { content, contentType } = body;
  if (content.type === 'binary') return Buffer.from(content.bytes);
  if (content.type === 'json' || bodyKindOf(contentType) === 'json') {
    const parsed = bodyJson(content);
    if (parsed.ok) return JSON.parse(stringifyJson(parsed.value)) as unknown;
  }
  return content.type === 'text' ? content.text : undefined;
}

function plainObject(object: JsonObject): Record<string, unknown> {
  return JSON.parse(stringifyJson(object)) as Record<string, unknown>;
}

/**
 * Asks a message endpoint for the message, as the official verifiers do: POST
 * `{description, providerStates}` (and `request` for a synchronous message); the body is the
 * contents, the `Pact-Message-Metadata` header (base64 JSON) the metadata.
 */
async function fetchFromEndpoint(
  interaction: MessageInteraction,
  source: MessageSource,
): Promise<ActualMessage> {
  const body: JsonObject = { description: interaction.description };
  if (interaction.providerStates.length > 0) {
    body.providerStates = interaction.providerStates.map((s) => ({ name: s.name, params: s.params ?? {} }));
  }
  if (interaction.type === 'Synchronous/Messages') {
    const json = interactionToJson(interaction, 'V4');
    if (json.request !== undefined) body.request = json.request;
  }
  const url = source.url!;
  let response: Awaited<ReturnType<MessageSource['post']>>;
  try {
    response = await source.post(url, Buffer.from(stringifyJson(body)));
  } catch (error) {
    throw endpointFailure(error, url, interaction.description);
  }
  if (response.status < 200 || response.status >= 300) {
    throw verifierError(
      'COV_VERIFIER_MESSAGE_ENDPOINT_FAILED',
      `the message endpoint ${url} answered ${response.status} for '${interaction.description}'${
        response.body.length ? `: ${response.body.toString('utf8').slice(0, 300)}` : ''
      }`,
      { url, status: response.status, description: interaction.description },
    );
  }
  const metadata: JsonObject = {};
  const headerType = contentTypeHeader(response.headers);
  if (headerType) metadata.contentType = headerType;
  const encoded =
    headerValues(response.headers, 'pact-message-metadata')?.[0] ??
    headerValues(response.headers, 'pact_message_metadata')?.[0];
  if (encoded) {
    const decoded = decodeMetadataHeader(encoded, url, interaction.description);
    // the header's content type wins over the HTTP Content-Type, whichever key spells it
    if (Object.keys(decoded).some(isContentTypeKey)) {
      for (const key of Object.keys(metadata)) if (isContentTypeKey(key)) delete metadata[key];
    }
    Object.assign(metadata, decoded);
  }
  const contentType = metadataContentType(metadata);
  const contents: Body =
    response.body.length === 0
      ? { kind: 'missing' }
      : binaryBody(
          new Uint8Array(response.body.buffer, response.body.byteOffset, response.body.length),
          contentType,
        );
  return { contents, metadata };
}

/**
 * The HTTP client reports a refused connection as the provider being unreachable, with a hint about
 * `providerBaseUrl`, which a message-only run may not even have: for the message endpoint the error
 * names the `messageUrl` instead, and so does one for a request that failed on the way (a timeout,
 * a reset connection). Other coded errors pass unchanged.
 */
function endpointFailure(error: unknown, url: string, description: string): unknown {
  if (error instanceof CovenantError && error.code !== 'COV_VERIFIER_PROVIDER_UNREACHABLE') return error;
  // the HTTP client decided the reason (nothing answers, a timeout, TLS...): it is used as it is
  const given = error instanceof CovenantError ? error.details.reason : undefined;
  const reason =
    typeof given === 'string'
      ? given
      : `the request failed: ${error instanceof Error ? error.message : String(error)}`;
  return verifierError(
    'COV_VERIFIER_MESSAGE_ENDPOINT_FAILED',
    `the message endpoint ${url} (messageUrl) could not be asked for '${description}': ${reason}`,
    { url, description },
    error,
  );
}

function decodeMetadataHeader(encoded: string, url: string, description: string): JsonObject {
  const bytes = base64Decode(encoded.trim());
  const text = bytes === undefined ? undefined : utf8Decode(bytes);
  const parsed = text === undefined ? undefined : parseJson(text);
  if (
    !parsed?.ok ||
    typeof parsed.value !== 'object' ||
    parsed.value === null ||
    Array.isArray(parsed.value)
  ) {
    throw verifierError(
      'COV_VERIFIER_MESSAGE_INVALID',
      `the message endpoint ${url} sent a Pact-Message-Metadata header for '${description}' that is not base64-encoded JSON object: ${encoded.slice(0, 80)}`,
      { url, description },
    );
  }
  return parsed.value as JsonObject;
}

function compareMessages(
  interaction: MessageInteraction,
  expected: MessageContents[],
  actual: ActualMessage[],
): Mismatch[] {
  const out: Mismatch[] = [];
  if (interaction.type === 'Synchronous/Messages' && expected.length !== actual.length) {
    out.push({
      category: 'body',
      code: 'LENGTH_MISMATCH',
      path: '$',
      expected: expected.length,
      actual: actual.length,
      message: `Expected ${expected.length} response message${expected.length === 1 ? '' : 's'} but got ${actual.length}`,
    });
  }
  const several = expected.length > 1;
  expected.forEach((message, index) => {
    const got = actual[index];
    if (!got) return;
    for (const mismatch of matchMessage(message, got).mismatches) {
      out.push(several ? { ...mismatch, message: `Response ${index + 1}: ${mismatch.message}` } : mismatch);
    }
  });
  return out;
}
