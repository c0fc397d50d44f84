import {
  isJsonObject,
  type JsonObject,
  type ProviderState,
  type SynchronousHttpInteraction,
  stringifyJson,
  type WritableVersion,
} from '@covenant/core';
import { consumerError, describeValue } from './errors.js';
import { GraphQLInteractionBuilder, type GraphQLInteractionStart } from './graphql-interaction.js';
import { RequestBuilder, ResponseBuilder } from './http-builders.js';
import { InterceptedMock, type OtherHosts, prepareInterception } from './intercept.js';
import type { LogLevel } from './log.js';
import type { Matcher } from './matchers.js';
import type { MockServerOptions } from './mock-server.js';
import type { MockServerInfo } from './mock-session.js';
import type { PactFileOptions, WriteMode } from './pact-writer.js';
import type { MockHandle, PactLog, PactPlatform } from './platform.js';
import { renderProblems } from './report.js';

export interface PactOptions extends MockServerOptions {
  consumer: string;
  provider: string;
  /** Where pact files go. Default `./pacts`. */
  dir?: string;
  /** Pact specification version written: 2, 3 or 4 (default 4). */
  spec?: 2 | 3 | 4;
  /** `merge` (default) or `overwrite`. */
  mode?: WriteMode;
  /** `as-given` (default) or `lowercase` file names. */
  fileNameStyle?: 'as-given' | 'lowercase';
  /** Mock service log level. Default `info`; `off` writes no log. */
  logLevel?: LogLevel;
  /** Log file path. Default `<logDir>/<consumer>-<provider>.log`. */
  logFile?: string;
  /** Log directory when no `logFile` is given. Default `./logs`. */
  logDir?: string;
  /**
   * `socket` (default in Node): each test gets a mock server listening on a real port.
   * `intercept`: requests to the mock's URL are answered inside this process, without a socket
   * (fetch, node:http/https, and XMLHttpRequest under jsdom, happy-dom or in a browser); the only
   * mode in a browser. Same DSL, same failure report, same pact file.
   */
  transport?: 'socket' | 'intercept';
  /**
   * In-process mode: what a request to another host than the mock's does during a test.
   * `passthrough` (default) lets it go out as usual; `fail` refuses it and fails the test.
   */
  otherHosts?: OtherHosts;
}

/** The first steps: provider states, then the description. */
export interface InteractionStart {
  /** Adds a provider state (repeatable). Parameters must be JSON. */
  given(state: string, params?: Record<string, unknown>): InteractionStart;
  uponReceiving(description: string): InteractionWithDescription;
}

/** V4 metadata, then the request. */
export interface InteractionWithDescription {
  /** A pending interaction's failure doesn't fail provider verification. */
  pending(pending?: boolean): InteractionWithDescription;
  comment(text: string): InteractionWithDescription;
  testName(name: string): InteractionWithDescription;
  key(key: string): InteractionWithDescription;
  withRequest(
    method: string,
    path: string | Matcher<string>,
    build?: (request: RequestBuilder) => unknown,
  ): InteractionWithRequest;
}

export interface InteractionWithRequest {
  willRespondWith(
    status: number | Matcher<number>,
    build?: (response: ResponseBuilder) => unknown,
  ): InteractionReady;
}

export interface InteractionReady {
  /**
   * Starts a mock server for this interaction, runs the test against it, and writes the pact
   * when the test passed and the mock server saw exactly the expected request.
   */
  executeTest<T>(test: (mockServer: MockServerInfo) => Promise<T> | T): Promise<T>;
}

const SPEC: Record<2 | 3 | 4, WritableVersion> = { 2: 'V2', 3: 'V3', 4: 'V4' };

function checkParams(state: string, params: Record<string, unknown>): JsonObject {
  try {
    const text = stringifyJson(params as never);
    const back = JSON.parse(text) as unknown;
    const same = JSON.stringify(back) === JSON.stringify(params);
    if (!isJsonObject(back as never) || !same) throw new Error('not plain JSON');
    return params as JsonObject;
  } catch {
    throw consumerError(
      'COV_CONSUMER_INTERACTION_INVALID',
      `the parameters of provider state '${state}' must be plain JSON (no undefined, functions, dates or cycles): ${String(params)}`,
      { state },
    );
  }
}

/** Refuses an option that is set to none of the values it takes (left unset, it keeps its default). */
function requireOneOf(name: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined || allowed.includes(value as string)) return;
  throw consumerError(
    'COV_CONSUMER_INTERACTION_INVALID',
    `${name} must be ${allowed.map((a) => `'${a}'`).join(' or ')}, got ${describeValue(value)}`,
  );
}

/**
 * A consumer's pact with one provider, whatever the platform: `Pact` from the package's Node or
 * browser entry is this with the platform filled in.
 */
export class PactCore {
  private readonly options: PactOptions;
  private readonly fileOptions: PactFileOptions;
  private readonly log: PactLog;
  private readonly platform: PactPlatform;

  /** @param platform where it runs: the package's Node and browser entries pass theirs. */
  constructor(options: PactOptions, platform: PactPlatform) {
    if (!options?.consumer || !options.provider) {
      throw consumerError(
        'COV_CONSUMER_INTERACTION_INVALID',
        'a Pact needs both a consumer and a provider name',
      );
    }
    if (options.spec !== undefined && !(options.spec in SPEC)) {
      throw consumerError(
        'COV_CONSUMER_INTERACTION_INVALID',
        `spec must be 2, 3 or 4, got ${String(options.spec)}`,
      );
    }
    requireOneOf('transport', options.transport, ['socket', 'intercept']);
    if (options.transport !== 'intercept' && !platform.socket) {
      throw consumerError(
        'COV_CONSUMER_INTERACTION_INVALID',
        "a browser has no sockets to listen on: make the Pact with transport: 'intercept'",
      );
    }
    requireOneOf('otherHosts', options.otherHosts, ['passthrough', 'fail']);
    this.options = options;
    this.platform = platform;
    this.fileOptions = {
      consumer: options.consumer,
      provider: options.provider,
      dir: options.dir ?? 'pacts',
      spec: SPEC[options.spec ?? 4],
      mode: options.mode ?? 'merge',
      fileNameStyle: options.fileNameStyle ?? 'as-given',
    };
    const level = options.logLevel ?? 'info';
    const logFile =
      level === 'off'
        ? undefined
        : (options.logFile ??
          platform.defaultLogFile(options.logDir ?? 'logs', `${options.consumer}-${options.provider}.log`));
    this.log = platform.openLog(logFile, level);
    // the first test's mock starts listening (or its interceptors loading) now, while the suite gets ready
    if (options.transport === 'intercept') prepareInterception(platform.interception);
    else platform.socket?.prepare(options);
  }

  /** The path of the pact file this pact writes. */
  get pactFile(): string {
    return this.platform.pactFilePath(this.fileOptions);
  }

  /** Starts describing one interaction. */
  addInteraction(): InteractionStart {
    return new HttpInteractionBuilder(this);
  }

  /**
   * Starts describing one GraphQL interaction (pact-js's `addGraphQLInteraction`): the request
   * body is `{operationName, query, variables}`, the query matched with its layout normalised.
   *
   * @example
   * await pact
   *   .addGraphQLInteraction()
   *   .given('order 7 exists')
   *   .uponReceiving('a query for order 7')
   *   .withOperation('Order')
   *   .withVariables({ id: like('7') })
   *   .withRequest('POST', '/graphql')
   *   .withQuery('query Order($id: ID!) { order(id: $id) { id total } }')
   *   .willRespondWith(200, (res) => res.jsonBody({ data: { order: { id: like('7'), total: decimal(9.5) } } }))
   *   .executeTest(async (server) => client(server.url).order('7'));
   */
  addGraphQLInteraction(): GraphQLInteractionStart {
    return new GraphQLInteractionBuilder(() => this.addInteraction());
  }

  /** @internal runs one interaction's test. */
  async run<T>(
    interaction: SynchronousHttpInteraction,
    test: (mockServer: MockServerInfo) => Promise<T> | T,
  ): Promise<T> {
    const server: MockHandle =
      this.options.transport === 'intercept'
        ? await InterceptedMock.lease([interaction], this.options, this.platform.interception)
        : await this.platform.socket!.lease([interaction], this.options);
    const log = this.log;
    if (log.enabled('info'))
      log.log(
        'info',
        `mock server ${server.info.id} listening on ${server.info.url} for '${interaction.description}'`,
      );
    if (log.enabled('debug'))
      log.log(
        'debug',
        `registered interaction: ${stringifyJson({ description: interaction.description, request: { method: interaction.request.method, path: interaction.request.path } })}`,
      );
    let result: T | undefined;
    let userError: unknown;
    let threw = false;
    try {
      result = await test(server.info);
    } catch (error) {
      threw = true;
      userError = error;
    } finally {
      await server.stop();
    }
    if (log.enabled('info')) {
      for (const event of server.history()) {
        if (event.kind === 'request')
          log.log(
            'info',
            `received ${event.request.method} ${event.request.path}${event.request.query ? `?${event.request.query}` : ''}`,
          );
        else log.log('debug', `matched '${event.interaction.description}'`);
      }
    }
    const problems = server.problems();
    if (problems.length > 0) {
      const report = renderProblems(this.options.provider, problems);
      this.log.log('error', `verification failed\n${report}`);
      await this.log.flush();
      const also = threw
        ? `\n\nThe test itself also failed: ${userError instanceof Error ? (userError.stack ?? userError.message) : String(userError)}`
        : '';
      throw consumerError(
        'COV_CONSUMER_MOCK_MISMATCH',
        `${report}${also}`,
        { problems: problems.length },
        userError,
      );
    }
    if (threw) {
      this.log.log('warn', `the test threw; no pact written for '${interaction.description}'`);
      await this.log.flush();
      throw userError;
    }
    if (log.enabled('info'))
      log.log('info', `verified '${interaction.description}'; writing ${this.pactFile}`);
    try {
      await this.platform.writePact(this.fileOptions, [interaction]);
    } finally {
      await this.log.flush();
    }
    return result as T;
  }
}

class HttpInteractionBuilder
  implements InteractionStart, InteractionWithDescription, InteractionWithRequest, InteractionReady
{
  private readonly states: ProviderState[] = [];
  private description = '';
  private isPending = false;
  private comments: string[] = [];
  private name: string | undefined;
  private interactionKey: string | undefined;
  private request: ReturnType<RequestBuilder['build']> | undefined;
  private response: ReturnType<ResponseBuilder['build']> | undefined;

  constructor(private readonly pact: PactCore) {}

  given(state: string, params?: Record<string, unknown>): InteractionStart {
    if (typeof state !== 'string' || state === '') {
      throw consumerError('COV_CONSUMER_INTERACTION_INVALID', 'given() needs a provider state name');
    }
    this.states.push(
      params === undefined ? { name: state } : { name: state, params: checkParams(state, params) },
    );
    return this;
  }

  uponReceiving(description: string): InteractionWithDescription {
    if (typeof description !== 'string' || description.trim() === '') {
      throw consumerError(
        'COV_CONSUMER_INTERACTION_INVALID',
        'uponReceiving() needs a description of the interaction',
      );
    }
    this.description = description;
    return this;
  }

  pending(pending = true): InteractionWithDescription {
    this.isPending = pending;
    return this;
  }

  comment(text: string): InteractionWithDescription {
    this.comments.push(text);
    return this;
  }

  testName(name: string): InteractionWithDescription {
    this.name = name;
    return this;
  }

  key(key: string): InteractionWithDescription {
    this.interactionKey = key;
    return this;
  }

  withRequest(
    method: string,
    path: string | Matcher<string>,
    build?: (request: RequestBuilder) => unknown,
  ): InteractionWithRequest {
    if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method)) {
      throw consumerError(
        'COV_CONSUMER_INTERACTION_INVALID',
        `withRequest() needs an HTTP method such as 'GET', got ${JSON.stringify(method)}`,
      );
    }
    const builder = new RequestBuilder();
    build?.(builder);
    this.request = builder.build(method, path);
    if (!this.request.path.startsWith('/')) {
      throw consumerError(
        'COV_CONSUMER_INTERACTION_INVALID',
        `the request path must start with '/', got '${this.request.path}'`,
      );
    }
    return this;
  }

  willRespondWith(
    status: number | Matcher<number>,
    build?: (response: ResponseBuilder) => unknown,
  ): InteractionReady {
    const builder = new ResponseBuilder();
    build?.(builder);
    this.response = builder.build(status);
    if (!Number.isInteger(this.response.status) || this.response.status < 100 || this.response.status > 599) {
      throw consumerError(
        'COV_CONSUMER_INTERACTION_INVALID',
        `the response status must be 100 to 599, got ${String(this.response.status)}`,
      );
    }
    return this;
  }

  executeTest<T>(test: (mockServer: MockServerInfo) => Promise<T> | T): Promise<T> {
    if (typeof test !== 'function') {
      return Promise.reject(
        consumerError(
          'COV_CONSUMER_INTERACTION_INVALID',
          `executeTest() needs the test as a function of the mock server, e.g. async (server) => { ... }, got ${describeValue(test)}`,
        ),
      );
    }
    const comments: JsonObject = {};
    if (this.comments.length > 0) comments.text = this.comments;
    if (this.name) comments.testname = this.name;
    const interaction: SynchronousHttpInteraction = {
      type: 'Synchronous/HTTP',
      description: this.description,
      providerStates: this.states,
      pending: this.isPending,
      request: this.request!,
      response: this.response!,
      ...(Object.keys(comments).length > 0 ? { comments } : {}),
      ...(this.interactionKey ? { key: this.interactionKey } : {}),
    };
    return this.pact.run(interaction, test);
  }
}
