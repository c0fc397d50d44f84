import {
  type Body,
  binaryBody,
  CovenantError,
  effectiveContentType,
  type Generator,
  generateMessage,
  generatorsFromJson,
  isContentTypeKey,
  type JsonObject,
  type JsonValue,
  jsonBody,
  type MessageContents,
  matchingRulesFromJson,
  stringifyJson,
  textBody,
} from '@covenant/core';
import { consumerError, describeValue } from './errors.js';
import { exampleOf, isMatcher, type Matcher, type Reified, type Template } from './matchers.js';
import { compileTemplate } from './template.js';

/** Message metadata as the handler receives it: JSON values by key. */
export type MessageMetadata = Readonly<Record<string, unknown>>;

/** One message as a consumer's code receives it: the example content with generators applied. */
export interface MessageBody<C = unknown> {
  /** Parsed JSON for JSON content, a string for text, bytes for binary; undefined when the message has none. */
  contents: C;
  /** The content type (`application/json` for JSON content). */
  contentType: string | undefined;
  metadata: MessageMetadata;
}

/** Metadata for `withMetadata`: JSON values or matchers of whole values, by key. */
export type MetadataTemplate = Record<string, unknown>;

function contentInvalid(error: unknown, where: string): never {
  if (error instanceof CovenantError && error.code === 'COV_CONSUMER_BODY_INVALID') {
    const path = String(error.details.path);
    throw consumerError(
      'COV_CONSUMER_MESSAGE_CONTENT_INVALID',
      `${where}${path === '$' ? '' : ` at ${path}`} cannot be serialised: ${String(error.details.why)}`,
      { path },
      error,
    );
  }
  throw error;
}

/** Compiles a template, reporting values JSON can't carry as message content errors. */
function compile(template: unknown, where: string) {
  try {
    return compileTemplate(template);
  } catch (error) {
    return contentInvalid(error, where);
  }
}

/**
 * Builds one message: its content (JSON with matchers, text or bytes) and metadata. Used for the
 * request and responses of a synchronous message; asynchronous messages offer the same steps in
 * their chain. `C` is the type of the content the handler will receive.
 *
 * @example
 * pact.addSynchronousMessage('a request for a document')
 *   .withRequest((req) => req.withContent({ id: like(7) }).withMetadata({ queue: 'documents' }))
 *   .withResponse((res) => res.withContent({ documentType: like('microsoft-word') }))
 */
export class MessageBuilder<C = undefined> {
  private body: Body = { kind: 'missing' };
  private bodyRules: JsonObject = {};
  private bodyGenerators: Record<string, Generator> = {};
  private readonly metadata: JsonObject = {};
  private readonly metadataRules: JsonObject = {};
  private readonly metadataGenerators: Record<string, Generator> = {};
  /** Phantom: the content type the handler receives; never set. */
  declare readonly __contents?: C;

  /**
   * JSON content, values and matchers at any depth (content type `application/json`); or, with a
   * content type first, text or bytes of that type.
   *
   * @example msg.withContent({ documentType: like('microsoft-word'), key: regex(/\.pdf$/, 'a.pdf') })
   * @example msg.withContent('application/xml', '<doc type="word"/>')
   */
  withContent<T>(content: Template<T>): MessageBuilder<Reified<T>>;
  withContent(contentType: string, content: string): MessageBuilder<string>;
  withContent(contentType: string, content: Uint8Array): MessageBuilder<Uint8Array>;
  withContent<T>(contentType: string, content: Template<T>): MessageBuilder<Reified<T>>;
  withContent(...args: unknown[]): MessageBuilder<unknown> {
    if (args.length < 2) return this.withJSONContent(args[0]);
    const [contentType, content] = args;
    checkContentType(contentType);
    if (content instanceof Uint8Array) return this.withBinaryContent(content, contentType);
    if (typeof content === 'string' || (isMatcher(content) && typeof exampleOf(content) === 'string')) {
      return this.withTextContent(content as string | Matcher<string>, contentType);
    }
    return this.withJSONContent(content, contentType);
  }

  /** JSON content (values and matchers at any depth) of a JSON content type. */
  withJSONContent<T>(content: Template<T>, contentType = 'application/json'): MessageBuilder<Reified<T>> {
    checkContentType(contentType);
    const compiled = compile(content, 'the message content');
    this.body = jsonBody(compiled.example, contentType);
    this.bodyRules = compiled.rules;
    this.bodyGenerators = compiled.generators;
    return this as unknown as MessageBuilder<Reified<T>>;
  }

  /** Text content; a string matcher (such as `regex`) puts its rule on the whole text. */
  withTextContent(text: string | Matcher<string>, contentType = 'text/plain'): MessageBuilder<string> {
    checkContentType(contentType);
    const compiled = compile(text, 'the message content');
    if (typeof compiled.example !== 'string') {
      throw consumerError(
        'COV_CONSUMER_MESSAGE_INVALID',
        `withTextContent() needs a string or a string matcher, got ${stringifyJson(compiled.example)}`,
      );
    }
    this.body = textBody(compiled.example, contentType);
    this.bodyRules = compiled.rules;
    this.bodyGenerators = compiled.generators;
    return this as unknown as MessageBuilder<string>;
  }

  /** Binary content, written base64-encoded in the pact. */
  withBinaryContent(bytes: Uint8Array, contentType = 'application/octet-stream'): MessageBuilder<Uint8Array> {
    checkContentType(contentType);
    if (!(bytes instanceof Uint8Array)) {
      throw consumerError(
        'COV_CONSUMER_MESSAGE_INVALID',
        `withBinaryContent() needs a Uint8Array (or Buffer), got ${describeValue(bytes)}`,
      );
    }
    this.body = binaryBody(new Uint8Array(bytes), contentType);
    this.bodyRules = {};
    this.bodyGenerators = {};
    return this as unknown as MessageBuilder<Uint8Array>;
  }

  /**
   * Metadata (repeatable; later keys win): JSON values, or matchers of a whole value.
   *
   * @example msg.withMetadata({ 'Content-Type': 'application/json', traceId: uuid() })
   */
  withMetadata(metadata: MetadataTemplate): this {
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      throw consumerError(
        'COV_CONSUMER_MESSAGE_INVALID',
        `withMetadata() needs an object of metadata values by key, got ${describeValue(metadata)}`,
      );
    }
    for (const [key, value] of Object.entries(metadata)) {
      if (value === undefined) continue;
      const where = `the metadata value '${key}'`;
      const compiled = compile(value, where);
      const nested = [...Object.keys(compiled.rules), ...Object.keys(compiled.generators)].find(
        (path) => path !== '$',
      );
      if (nested) {
        throw consumerError(
          'COV_CONSUMER_MESSAGE_INVALID',
          `${where} holds a matcher at ${nested}: metadata rules apply to whole values, so put the matcher around the value itself (like({ ... }))`,
          { key, path: nested },
        );
      }
      this.metadata[key] = compiled.example;
      delete this.metadataRules[key];
      delete this.metadataGenerators[key];
      const rule = compiled.rules.$;
      if (rule) this.metadataRules[key] = rule;
      const generator = compiled.generators.$;
      if (generator) this.metadataGenerators[key] = generator;
    }
    return this;
  }

  /** @internal Whether content was given. */
  hasContent(): boolean {
    return this.body.kind !== 'missing';
  }

  /**
   * @internal The message in the pact model. `recordContentType` adds the content type to the
   * metadata when none is given there and a reader could not tell it from the contents (anything
   * but a JSON object, array, number, boolean or null of type `application/json`): a V3 pact has
   * nowhere else to keep it, and reads a bare string as text.
   */
  build(recordContentType = false): MessageContents {
    const metadata: JsonObject = { ...this.metadata };
    const declared = Object.keys(metadata).some(isContentTypeKey);
    if (recordContentType && !declared && this.body.kind === 'present') {
      const { contentType, content } = this.body;
      const plainJson =
        contentType === 'application/json' && content.type === 'json' && typeof content.value !== 'string';
      if (contentType && !plainJson) metadata.contentType = contentType;
    }
    const rules: JsonObject = {};
    if (Object.keys(this.bodyRules).length > 0) rules.body = this.bodyRules;
    if (Object.keys(this.metadataRules).length > 0) rules.metadata = this.metadataRules;
    const generators: JsonObject = {};
    if (Object.keys(this.bodyGenerators).length > 0) generators.body = { ...this.bodyGenerators };
    if (Object.keys(this.metadataGenerators).length > 0) generators.metadata = { ...this.metadataGenerators };
    return {
      contents: this.body,
      metadata,
      matchingRules: matchingRulesFromJson(rules),
      generators: generatorsFromJson(generators),
    };
  }
}

function checkContentType(contentType: unknown): asserts contentType is string {
  if (typeof contentType !== 'string' || !/^[^\s/]+\/[^\s/]+/.test(contentType)) {
    throw consumerError(
      'COV_CONSUMER_MESSAGE_INVALID',
      `a message content type must be a media type such as 'application/json', got ${describeValue(contentType)}`,
    );
  }
}

/** A JSON value from the model as plain JavaScript, as a transport would deliver it after JSON.parse. */
function plain(value: JsonValue): unknown {
  return JSON.parse(stringifyJson(value));
}

/**
 * The message the consumer's handler receives: generators applied (consumer side), JSON parsed
 * to plain values, text as a string, bytes as a Uint8Array.
 */
export function receivedMessage(message: MessageContents): MessageBody {
  const generated = generateMessage(message, 'consumer');
  const body = generated.contents;
  let contents: unknown;
  if (body.kind === 'null') contents = null;
  else if (body.kind === 'present') {
    const c = body.content;
    contents = c.type === 'json' ? plain(c.value) : c.type === 'text' ? c.text : new Uint8Array(c.bytes);
  }
  return {
    contents,
    contentType: effectiveContentType(body),
    metadata: plain(generated.metadata) as MessageMetadata,
  };
}
