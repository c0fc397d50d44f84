/**
 * @covenant/consumer — write consumer contracts: a typed DSL, an in-process mock server, a stub
 * server, and pact files written atomically and safely across parallel test workers.
 */

export type { ConsumerErrorCode } from './errors.js';
export { consumerError, consumerErrors } from './errors.js';
export type { GraphQLDocument } from './graphql.js';
export { GraphQLRequest, graphQLQueryPattern } from './graphql.js';
export type {
  GraphQLInteractionStart,
  GraphQLInteractionWithRequest,
  GraphQLRequestBuilder,
} from './graphql-interaction.js';
export type { MultipartPart, NamedValue } from './http-builders.js';
export { RequestBuilder, ResponseBuilder } from './http-builders.js';
export type { InterceptOptions, OtherHosts } from './intercept.js';
export type { LogLevel } from './log.js';
export type { Matcher, Template } from './matchers.js';
export * as Matchers from './matchers.js';
export {
  arrayContaining,
  atLeastLike,
  atLeastOneLike,
  atMostLike,
  boolean,
  constrainedArrayLike,
  contentType,
  date,
  datetime,
  decimal,
  eachKeyMatches,
  eachLike,
  eachValueMatches,
  email,
  equal,
  fromProviderState,
  hexadecimal,
  includes,
  integer,
  ipAddress,
  ipv4Address,
  ipv6Address,
  isMatcher,
  iso8601Date,
  iso8601DateTime,
  iso8601DateTimeWithMillis,
  iso8601Time,
  like,
  matchStatus,
  notEmpty,
  nullValue,
  number,
  regex,
  reify,
  rfc1123Timestamp,
  semver,
  somethingLike,
  string,
  term,
  time,
  timestamp,
  url,
  uuid,
} from './matchers.js';
export type {
  AsyncMessageReady,
  AsyncMessageStart,
  AsyncMessageWithDescription,
  MessageHandler,
  MessagePactOptions,
  ReceivedMessage,
  SynchronousMessages,
  SyncMessageReady,
  SyncMessageStart,
  SyncMessageWithRequest,
} from './message.js';
export { MessagePact } from './message.js';
export type { MessageBody, MessageMetadata, MetadataTemplate } from './message-content.js';
export { MessageBuilder } from './message-content.js';
export type { MockServerOptions } from './mock-server.js';
export { MockServer } from './mock-server.js';
export type { MockEvent, MockProblem, MockServerInfo, ReceivedRequest } from './mock-session.js';
export type { MswEvents, PactMswAdapter, PactMswAdapterOptions } from './msw-adapter.js';
export { matchedJson } from './msw-adapter.js';
export type {
  InteractionReady,
  InteractionStart,
  InteractionWithDescription,
  InteractionWithRequest,
  PactOptions,
} from './pact.js';
export type { PactWriteRequest } from './pact-bridge.js';
export { pactCommands, writePactRequest } from './pact-bridge.js';
export { Pact, setupPactMswAdapter } from './pact-node.js';
export type { PactFileOptions, WriteMode } from './pact-writer.js';
export { pactFilePath, writeInteractions } from './pact-writer.js';
export type { FromSchemaOptions, SchemaOutput } from './schema.js';
export { fromSchema } from './schema.js';
export type { StubServerOptions } from './stub-server.js';
export { StubServer } from './stub-server.js';
export type { CompiledTemplate } from './template.js';
export { compileTemplate } from './template.js';
export type { EachLikeOptions, XmlDocument, XmlValue } from './xml-builder.js';
export { XmlBuilder, XmlElement } from './xml-builder.js';
