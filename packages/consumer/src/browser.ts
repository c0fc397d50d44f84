/**
 * @covenant/consumer in a browser: the same DSL and matching, run in the page with in-process mode
 * (fetch and XMLHttpRequest intercepted), the pact file written by the test runner's Node side.
 * No `node:` imports anywhere below this entry.
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
export { Pact, setupPactMswAdapter } from './pact-browser.js';
export type { PactFileOptions, WriteMode } from './pact-writer.js';
export type { PactWriter } from './platform-browser.js';
export { setPactWriter } from './platform-browser.js';
export type { FromSchemaOptions, SchemaOutput } from './schema.js';
export { fromSchema } from './schema.js';
export type { EachLikeOptions, XmlDocument, XmlValue } from './xml-builder.js';
export { XmlBuilder, XmlElement } from './xml-builder.js';
