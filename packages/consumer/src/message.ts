import {
  type AsynchronousMessageInteraction,
  type Interaction,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type ProviderState,
  type SynchronousMessageInteraction,
  stringifyJson,
  type WritableVersion,
} from '@covenant/core';
import { consumerError, describeValue } from './errors.js';
import type { Matcher, Reified, Template } from './matchers.js';
import {
  type MessageBody,
  MessageBuilder,
  type MetadataTemplate,
  receivedMessage,
} from './message-content.js';
import { type PactFileOptions, pactFilePath, type WriteMode, writeInteractions } from './pact-writer.js';

export interface MessagePactOptions {
  consumer: string;
  provider: string;
  /** Where pact files go. Default `./pacts`. */
  dir?: string;
  /**
   * Pact specification version written: 4 (default) or 3. V3 writes a message pact (a `messages`
   * list) and holds asynchronous messages only; V2 has no messages.
   */
  spec?: 3 | 4;
  /** `merge` (default) or `overwrite`. */
  mode?: WriteMode;
  /** `as-given` (default) or `lowercase` file names. */
  fileNameStyle?: 'as-given' | 'lowercase';
}

/** An asynchronous message as the consumer's handler receives it. */
export interface ReceivedMessage<C = unknown> extends MessageBody<C> {
  description: string;
  providerStates: ProviderState[];
}

/** A synchronous message exchange as the consumer's test receives it: the request and the responses. */
export interface SynchronousMessages<Req = unknown, Res = unknown> {
  description: string;
  providerStates: ProviderState[];
  request: MessageBody<Req>;
  responses: MessageBody<Res>[];
}

/** The consumer's code for one message: it processes the message, and throws when it can't. */
export type MessageHandler<C, R> = (message: ReceivedMessage<C>) => R | Promise<R>;

/** The first steps of an asynchronous message: provider states, then the description. */
export interface AsyncMessageStart {
  /** Adds a provider state (repeatable). Parameters must be JSON. */
  given(state: string, params?: Record<string, unknown>): AsyncMessageStart;
  /** What the consumer expects to receive, e.g. `'a document created event'`. */
  expectsToReceive(description: string): AsyncMessageWithDescription;
}

/** V4 metadata, metadata and then the content. */
export interface AsyncMessageWithDescription {
  /** A pending interaction's failure doesn't fail provider verification (V4). */
  pending(pending?: boolean): AsyncMessageWithDescription;
  comment(text: string): AsyncMessageWithDescription;
  testName(name: string): AsyncMessageWithDescription;
  key(key: string): AsyncMessageWithDescription;
  withMetadata(metadata: MetadataTemplate): AsyncMessageWithDescription;
  /** JSON content with matchers; or, with a content type first, text or bytes. */
  withContent<T>(content: Template<T>): AsyncMessageReady<Reified<T>>;
  withContent(contentType: string, content: string): AsyncMessageReady<string>;
  withContent(contentType: string, content: Uint8Array): AsyncMessageReady<Uint8Array>;
  withContent<T>(contentType: string, content: Template<T>): AsyncMessageReady<Reified<T>>;
  withJSONContent<T>(content: Template<T>, contentType?: string): AsyncMessageReady<Reified<T>>;
  withTextContent(text: string | Matcher<string>, contentType?: string): AsyncMessageReady<string>;
  withBinaryContent(bytes: Uint8Array, contentType?: string): AsyncMessageReady<Uint8Array>;
}

/** A complete asynchronous message: more metadata, then the test. */
export interface AsyncMessageReady<C> {
  withMetadata(metadata: MetadataTemplate): AsyncMessageReady<C>;
  /**
   * Calls the handler with the message (generators applied) and writes the pact when it returns
   * or resolves. When it throws, the test fails with the handler's own error and nothing is written.
   */
  verify<R>(handler: MessageHandler<C, R>): Promise<R>;
  /** The same as {@link AsyncMessageReady.verify}, named as in pact-js V4. */
  executeTest<R>(handler: MessageHandler<C, R>): Promise<R>;
}

/** The first steps of a synchronous message: provider states and V4 metadata, then the request. */
export interface SyncMessageStart {
  given(state: string, params?: Record<string, unknown>): SyncMessageStart;
  pending(pending?: boolean): SyncMessageStart;
  comment(text: string): SyncMessageStart;
  testName(name: string): SyncMessageStart;
  key(key: string): SyncMessageStart;
  /**
   * The request message the consumer sends. Return the builder to type the request's content;
   * a callback that returns nothing leaves it `unknown`.
   */
  withRequest<Req>(build: (request: MessageBuilder) => MessageBuilder<Req>): SyncMessageWithRequest<Req>;
  withRequest(build: (request: MessageBuilder) => void): SyncMessageWithRequest<unknown>;
}

export interface SyncMessageWithRequest<Req> {
  /** A response message the provider answers with (repeatable). */
  withResponse<Res>(build: (response: MessageBuilder) => MessageBuilder<Res>): SyncMessageReady<Req, Res>;
  withResponse(build: (response: MessageBuilder) => void): SyncMessageReady<Req, unknown>;
}

export interface SyncMessageReady<Req, Res> {
  /** Another response message. */
  withResponse<Res2>(
    build: (response: MessageBuilder) => MessageBuilder<Res2>,
  ): SyncMessageReady<Req, Res | Res2>;
  withResponse(build: (response: MessageBuilder) => void): SyncMessageReady<Req, unknown>;
  /**
   * Runs the test with the request and the expected responses (generators applied) and writes the
   * pact when it passes; when it throws, the test fails with that error and nothing is written.
   */
  executeTest<R>(test: (messages: SynchronousMessages<Req, Res>) => R | Promise<R>): Promise<R>;
}

const SPEC: Record<3 | 4, WritableVersion> = { 3: 'V3', 4: 'V4' };

/**
 * A consumer's message contract with one provider. The contract test covers the consumer's
 * handler, not the transport: each message is handed to the handler as the provider would send
 * it, and the pact is written only when the handler accepts it. The steps can only be called in
 * order (the types don't offer the next step before its turn), and one `MessagePact` can serve
 * many tests: each chain starts afresh.
 *
 * @example
 * const messagePact = new MessagePact({ consumer: 'DetectContentLambda', provider: 'ContentProvider' });
 * await messagePact
 *   .given('A document created successfully')
 *   .expectsToReceive('a document created event')
 *   .withContent({ event: 'ObjectCreated:Put', key: like('file.doc'), documentType: 'microsoft-word' })
 *   .withMetadata({ 'Content-Type': 'application/json' })
 *   .verify((message) => detectContent(message.contents));
 */
export class MessagePact {
  private readonly fileOptions: PactFileOptions;
  private readonly version: WritableVersion;

  constructor(options: MessagePactOptions) {
    if (!options?.consumer || !options.provider) {
      throw consumerError(
        'COV_CONSUMER_MESSAGE_INVALID',
        'a MessagePact needs both a consumer and a provider name',
      );
    }
    if ((options.spec as number) === 2) {
      throw consumerError(
        'COV_CONSUMER_MESSAGE_SPEC_UNSUPPORTED',
        'pact specification V2 has no messages; write messages with spec 3 or 4',
        { spec: 2 },
      );
    }
    if (options.spec !== undefined && !(options.spec in SPEC)) {
      throw consumerError(
        'COV_CONSUMER_MESSAGE_INVALID',
        `spec must be 3 or 4, got ${describeValue(options.spec)}`,
      );
    }
    this.version = SPEC[options.spec ?? 4];
    this.fileOptions = {
      consumer: options.consumer,
      provider: options.provider,
      dir: options.dir ?? 'pacts',
      spec: this.version,
      mode: options.mode ?? 'merge',
      fileNameStyle: options.fileNameStyle ?? 'as-given',
    };
  }

  /** The path of the pact file this pact writes. */
  get pactFile(): string {
    return pactFilePath(this.fileOptions);
  }

  /** Starts describing an asynchronous message (V3 message, V4 `Asynchronous/Messages`). */
  addAsynchronousMessage(): AsyncMessageStart {
    return new AsyncMessageChain(this, this.version === 'V3');
  }

  /** Starts an asynchronous message with a provider state (as pact-js's `MessageConsumerPact`). */
  given(state: string, params?: Record<string, unknown>): AsyncMessageStart {
    return this.addAsynchronousMessage().given(state, params);
  }

  /** Starts an asynchronous message without provider states. */
  expectsToReceive(description: string): AsyncMessageWithDescription {
    return this.addAsynchronousMessage().expectsToReceive(description);
  }

  /**
   * Starts describing a synchronous message (V4 `Synchronous/Messages`): a request message and
   * one or more response messages.
   *
   * @example
   * await messagePact
   *   .addSynchronousMessage('a request for the type of document 7')
   *   .withRequest((req) => req.withContent({ id: integer(7) }))
   *   .withResponse((res) => res.withContent({ documentType: like('microsoft-word') }))
   *   .executeTest(async ({ request, responses }) => {
   *     const type = await classify(request.contents, fakeTransport(responses[0]));
   *     expect(type).toBe('microsoft-word');
   *   });
   */
  addSynchronousMessage(description: string): SyncMessageStart {
    if (this.version !== 'V4') {
      throw consumerError(
        'COV_CONSUMER_MESSAGE_SPEC_UNSUPPORTED',
        `synchronous messages need a V4 pact, but this MessagePact writes ${this.version} ('${checkDescription(description, 'addSynchronousMessage')}')`,
        { spec: this.version },
      );
    }
    return new SyncMessageChain(this, checkDescription(description, 'addSynchronousMessage'));
  }

  /**
   * @internal Writes a message interaction whose test passed. The writer refuses messages for a V3
   * file of HTTP interactions (COV_CONSUMER_MESSAGE_SPEC_UNSUPPORTED) and leaves the file as it was.
   */
  async write(interaction: Interaction): Promise<void> {
    await writeInteractions(this.fileOptions, [interaction]);
  }
}

function checkDescription(description: unknown, step: string): string {
  if (typeof description !== 'string' || description.trim() === '') {
    throw consumerError(
      'COV_CONSUMER_MESSAGE_INVALID',
      `${step}() needs a description of the message, got ${describeValue(description)}`,
    );
  }
  return description;
}

function checkState(state: unknown, params: Record<string, unknown> | undefined): ProviderState {
  if (typeof state !== 'string' || state === '') {
    throw consumerError(
      'COV_CONSUMER_MESSAGE_INVALID',
      `given() needs a provider state name, got ${describeValue(state)}`,
    );
  }
  if (params === undefined) return { name: state };
  // plain JSON only: what survives a JSON round trip unchanged (no undefined, functions, Dates, BigInt, cycles)
  let same: boolean;
  try {
    const back = JSON.parse(stringifyJson(params as JsonValue)) as JsonValue;
    same = isJsonObject(back) && JSON.stringify(back) === JSON.stringify(params);
  } catch {
    same = false; // BigInt or a cycle: not JSON at all
  }
  if (!same) {
    throw consumerError(
      'COV_CONSUMER_MESSAGE_INVALID',
      `the parameters of provider state '${state}' must be an object of plain JSON values (no undefined, functions, Dates, BigInt or cycles), got ${describeValue(params)}`,
      { state },
    );
  }
  return { name: state, params: params as JsonObject };
}

function checkHandler(handler: unknown, step: string): void {
  if (typeof handler !== 'function') {
    throw consumerError(
      'COV_CONSUMER_MESSAGE_INVALID',
      `${step}() needs the consumer's handler function, got ${describeValue(handler)}`,
    );
  }
}

/** Runs the consumer's code: an Error it throws is the test's failure, as thrown; any other value is wrapped. */
async function runHandler<R>(description: string, run: () => R | Promise<R>): Promise<R> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Error) throw error;
    throw consumerError(
      'COV_CONSUMER_MESSAGE_HANDLER_FAILED',
      `the handler for '${description}' threw ${describeValue(error)}; no pact was written`,
      { description },
      error,
    );
  }
}

/** V4 interaction metadata shared by both chains. */
class InteractionMeta {
  readonly states: ProviderState[] = [];
  isPending = false;
  readonly comments: string[] = [];
  name: string | undefined;
  interactionKey: string | undefined;

  fields(): { pending: boolean; comments?: JsonObject; key?: string } {
    const comments: JsonObject = {};
    if (this.comments.length > 0) comments.text = [...this.comments];
    if (this.name) comments.testname = this.name;
    return {
      pending: this.isPending,
      ...(Object.keys(comments).length > 0 ? { comments } : {}),
      ...(this.interactionKey ? { key: this.interactionKey } : {}),
    };
  }

  text(value: unknown, step: string): string {
    if (typeof value !== 'string' || value === '') {
      throw consumerError(
        'COV_CONSUMER_MESSAGE_INVALID',
        `${step}() needs a non-empty string, got ${describeValue(value)}`,
      );
    }
    return value;
  }
}

/** The steps both chains share: provider states and V4 interaction metadata. */
abstract class InteractionSteps {
  protected readonly meta = new InteractionMeta();

  given(state: string, params?: Record<string, unknown>): this {
    this.meta.states.push(checkState(state, params));
    return this;
  }

  pending(pending = true): this {
    this.meta.isPending = pending;
    return this;
  }

  comment(text: string): this {
    this.meta.comments.push(this.meta.text(text, 'comment'));
    return this;
  }

  testName(name: string): this {
    this.meta.name = this.meta.text(name, 'testName');
    return this;
  }

  key(key: string): this {
    this.meta.interactionKey = this.meta.text(key, 'key');
    return this;
  }
}

class AsyncMessageChain
  extends InteractionSteps
  implements AsyncMessageStart, AsyncMessageWithDescription, AsyncMessageReady<unknown>
{
  private description: string | undefined;
  private readonly message = new MessageBuilder();

  constructor(
    private readonly pact: MessagePact,
    private readonly v3: boolean,
  ) {
    super();
  }

  expectsToReceive(description: string): this {
    this.description = checkDescription(description, 'expectsToReceive');
    return this;
  }

  withMetadata(metadata: MetadataTemplate): this {
    this.message.withMetadata(metadata);
    return this;
  }

  withContent(...args: unknown[]): AsyncMessageReady<never> {
    Reflect.apply(this.message.withContent, this.message, args);
    return this;
  }

  withJSONContent(content: unknown, contentType?: string): AsyncMessageReady<never> {
    this.message.withJSONContent(content, contentType);
    return this;
  }

  withTextContent(text: string | Matcher<string>, contentType?: string): AsyncMessageReady<never> {
    this.message.withTextContent(text, contentType);
    return this;
  }

  withBinaryContent(bytes: Uint8Array, contentType?: string): AsyncMessageReady<never> {
    this.message.withBinaryContent(bytes, contentType);
    return this;
  }

  verify<R>(handler: MessageHandler<never, R>): Promise<R> {
    return this.run(handler, 'verify');
  }

  executeTest<R>(handler: MessageHandler<never, R>): Promise<R> {
    return this.run(handler, 'executeTest');
  }

  private async run<R>(handler: MessageHandler<never, R>, step: string): Promise<R> {
    checkHandler(handler, step);
    const description = checkDescription(this.description, 'expectsToReceive');
    if (!this.message.hasContent()) {
      throw consumerError(
        'COV_CONSUMER_MESSAGE_INVALID',
        `the message '${description}' has no content: call withContent() (or withTextContent/withBinaryContent) before ${step}()`,
        { description },
      );
    }
    const interaction: AsynchronousMessageInteraction = {
      type: 'Asynchronous/Messages',
      description,
      providerStates: [...this.meta.states],
      ...this.meta.fields(),
      ...this.message.build(this.v3),
    };
    const message: ReceivedMessage<never> = {
      ...(receivedMessage(interaction) as MessageBody<never>),
      description,
      providerStates: interaction.providerStates.map((s) => ({ ...s })),
    };
    const result = await runHandler(description, () => handler(message));
    await this.pact.write(interaction);
    return result;
  }
}

type Build = (builder: MessageBuilder) => unknown;

class SyncMessageChain
  extends InteractionSteps
  implements SyncMessageStart, SyncMessageWithRequest<unknown>, SyncMessageReady<unknown, unknown>
{
  private request: MessageBuilder<unknown> | undefined;
  private readonly responses: MessageBuilder<unknown>[] = [];

  constructor(
    private readonly pact: MessagePact,
    private readonly description: string,
  ) {
    super();
  }

  withRequest(build: Build): SyncMessageWithRequest<never> {
    this.request = this.part(build, 'withRequest');
    return this as SyncMessageWithRequest<never>;
  }

  withResponse(build: Build): SyncMessageReady<never, never> {
    this.responses.push(this.part(build, 'withResponse'));
    return this as SyncMessageReady<never, never>;
  }

  private part(build: Build, step: string): MessageBuilder<unknown> {
    if (typeof build !== 'function') {
      throw consumerError(
        'COV_CONSUMER_MESSAGE_INVALID',
        `${step}() needs a function that builds the message, e.g. (m) => m.withContent({ ... }), got ${describeValue(build)}`,
      );
    }
    const builder = new MessageBuilder();
    build(builder);
    return builder as MessageBuilder<unknown>;
  }

  async executeTest<R>(test: (messages: SynchronousMessages<never, never>) => R | Promise<R>): Promise<R> {
    checkHandler(test, 'executeTest');
    if (!this.request || this.responses.length === 0) {
      throw consumerError(
        'COV_CONSUMER_MESSAGE_INVALID',
        `the synchronous message '${this.description}' needs withRequest() and at least one withResponse() before executeTest()`,
        { description: this.description },
      );
    }
    const interaction: SynchronousMessageInteraction = {
      type: 'Synchronous/Messages',
      description: this.description,
      providerStates: [...this.meta.states],
      ...this.meta.fields(),
      request: this.request.build(),
      response: this.responses.map((r) => r.build()),
    };
    const messages: SynchronousMessages<never, never> = {
      description: this.description,
      providerStates: interaction.providerStates.map((s) => ({ ...s })),
      request: receivedMessage(interaction.request) as MessageBody<never>,
      responses: interaction.response.map((r) => receivedMessage(r) as MessageBody<never>),
    };
    const result = await runHandler(this.description, () => test(messages));
    await this.pact.write(interaction);
    return result;
  }
}
