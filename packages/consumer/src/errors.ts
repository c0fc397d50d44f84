import { type ErrorCatalog, errorFactory } from '@covenant/core';

/** The errors `@covenant/consumer` raises. */
export const consumerErrors = {
  COV_CONSUMER_MATCHER_INVALID: {
    title: "A matcher's arguments are invalid, or its example does not satisfy its own rule",
    hint: 'Give the matcher an example that its rule accepts (the message shows the rule and the value).',
  },
  COV_CONSUMER_BODY_INVALID: {
    title: 'A request or response body cannot be serialised',
    hint: 'Use JSON-compatible values (no undefined, functions, symbols, BigInt or cycles), or pass a string or bytes with a content type.',
  },
  COV_CONSUMER_INTERACTION_INVALID: {
    title: 'An interaction is incomplete or malformed',
    hint: 'Check the description, the provider state parameters (JSON only) and the request method and path.',
  },
  COV_CONSUMER_MOCK_MISMATCH: {
    title: 'The mock provider received requests that do not match the contract',
    hint: 'Compare the request your code sent with the interaction shown: fix the client or the expectation.',
  },
  COV_CONSUMER_MOCK_START_FAILED: {
    title: 'The mock server could not start',
    hint: 'Choose another port (or leave it unset to get a free one), or free the port that is in use.',
  },
  COV_CONSUMER_PACT_WRITE_FAILED: {
    title: 'The pact file could not be written',
    hint: 'Check that the pact directory exists or can be created and is writable.',
  },
  COV_CONSUMER_PACT_CONFLICT: {
    title: 'An interaction conflicts with one already in the pact file',
    hint: 'Give the interactions different descriptions or provider states, or write with mode "overwrite" (or delete the old pact file) when the contract really changed.',
  },
  COV_CONSUMER_PACT_LOCK_TIMEOUT: {
    title: 'Another process held the pact file lock for too long',
    hint: 'Check for a hung test process; delete the .lock file beside the pact if no test is running.',
  },
  COV_CONSUMER_STUB_START_FAILED: {
    title: 'The stub server could not start from the given pact files',
    hint: 'Check the pact file paths and the port.',
  },
  COV_CONSUMER_STUB_TLS_INVALID: {
    title: "The stub server's TLS key or certificate is not usable",
    hint: 'Give an unencrypted private key (-----BEGIN PRIVATE KEY-----) and the certificate made with it (-----BEGIN CERTIFICATE-----), both in PEM.',
  },
  COV_CONSUMER_MESSAGE_INVALID: {
    title: 'A message interaction is incomplete or malformed',
    hint: 'Give the message a description (expectsToReceive or addSynchronousMessage), content before verify/executeTest, metadata as an object of JSON values or matchers, and a handler function.',
  },
  COV_CONSUMER_MESSAGE_CONTENT_INVALID: {
    title: "A message's content or metadata cannot be serialised",
    hint: 'Use JSON-compatible values (no undefined, functions, symbols, BigInt, Dates or cycles), or pass text or bytes with withTextContent / withBinaryContent.',
  },
  COV_CONSUMER_MESSAGE_SPEC_UNSUPPORTED: {
    title: 'Messages cannot be written in the requested pact specification version',
    hint: 'Use spec 4 (the default): V2 has no messages, and V3 holds only asynchronous messages, in a file of their own.',
  },
  COV_CONSUMER_MESSAGE_HANDLER_FAILED: {
    title: 'The message handler threw a value that is not an Error',
    hint: 'Throw an Error from the handler so its message and stack reach the test report; the value thrown is kept as the cause.',
  },
  COV_CONSUMER_MSW_UNHANDLED: {
    title: 'A request in an msw-recorded test got no answer from the msw handlers',
    hint: 'Add an msw handler for the request (or leave its URL out with excludeUrl), and await the requests the test starts before it ends.',
  },
  COV_CONSUMER_SCHEMA_UNSUPPORTED: {
    title: 'A schema construct has no matcher that says the same thing',
    hint: 'Remove or restate the construct named at that path (e.g. a not, if/then/else or patternProperties), or describe that part of the body with matchers yourself.',
  },
  COV_CONSUMER_SCHEMA_EXAMPLE_INVALID: {
    title: 'The example given to fromSchema() does not fit the schema',
    hint: 'Fix the example at the path shown (or leave it out and let fromSchema() generate one).',
  },
} as const satisfies ErrorCatalog;

export type ConsumerErrorCode = keyof typeof consumerErrors;

export const consumerError = errorFactory(consumerErrors);

/** A short description of a value for error messages, safe for any input. */
export function describeValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `the BigInt ${value}n`;
  if (typeof value === 'symbol') return 'a symbol';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return `a ${Object.prototype.toString.call(value).slice(8, -1)}`;
  }
}
