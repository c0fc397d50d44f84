import {
  array,
  boolean,
  discriminated,
  jsonNumber,
  looseObject,
  nullable,
  nullish,
  optional,
  record,
  string,
  union,
  unknown,
} from './shape.js';

/**
 * The shape of pact files, checked before they are turned into the model so that a malformed file
 * gives its JSON path and what was expected. Schemas are loose: unknown fields are kept, as the
 * spec lets implementations add their own.
 */
const number = jsonNumber('expected a number');
const name = looseObject({ name: string('expected a string') });
const headers = record(
  union([string(), array(string()), number]),
  'expected an object of header names to values',
);
const query = union(
  [string(), record(union([string(), array(nullable(string()))]))],
  'expected a query string or an object of names to value lists',
);
const object = record(unknown(), 'expected an object');
const providerStates = array(
  looseObject({ name: string('expected a string'), params: nullish(object) }),
  'expected a list of provider states',
);

/** The request of an HTTP interaction. */
export const requestSchema = looseObject({
  method: optional(string('expected an HTTP method string')),
  path: optional(string('expected a path string')),
  query: nullish(query),
  headers: nullish(headers),
  matchingRules: nullish(object),
  generators: nullish(object),
});

/** The response of an HTTP interaction. */
export const responseSchema = looseObject({
  status: optional(number),
  headers: nullish(headers),
  matchingRules: nullish(object),
  generators: nullish(object),
});

const interactionCommon = {
  description: string('expected a description string'),
  providerState: nullish(string()),
  provider_state: nullish(string()),
  providerStates: nullish(providerStates),
  key: nullish(string()),
  pending: nullish(boolean('expected true or false')),
  comments: nullish(object),
};

/** An HTTP interaction of a V1 to V3 pact (a V4 one also has its "type"). */
export const httpInteractionSchema = looseObject({
  ...interactionCommon,
  request: requestSchema,
  response: responseSchema,
});

const messageContentsFields = {
  metadata: nullish(object),
  metaData: nullish(object),
  matchingRules: nullish(object),
  generators: nullish(object),
};
const messageContents = looseObject(messageContentsFields);

/** A V3 message (a V4 asynchronous message also has its "type"). */
export const messageSchema = looseObject({ ...messageContentsFields, ...interactionCommon });

/** A V4 interaction of any of the three types. */
export const v4InteractionSchema = discriminated(
  'type',
  {
    'Synchronous/HTTP': httpInteractionSchema,
    'Asynchronous/Messages': messageSchema,
    'Synchronous/Messages': looseObject({
      ...interactionCommon,
      request: messageContents,
      response: array(messageContents, 'expected a list of response messages'),
    }),
  },
  'expected "type" to be Synchronous/HTTP, Asynchronous/Messages or Synchronous/Messages',
);

/** A pact file's top level; its interactions and messages are checked one by one as they are read. */
export const pactSchema = looseObject({
  consumer: name,
  provider: name,
  interactions: optional(array(unknown(), 'expected a list of interactions')),
  messages: optional(array(unknown(), 'expected a list of messages')),
  metadata: nullish(object),
});
