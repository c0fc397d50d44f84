import { z } from 'zod';
import { JsonNumber } from '../json/value.js';

/**
 * The shape of pact files, checked before they are turned into the model so that a malformed file
 * gives its JSON path and what was expected. Schemas are loose: unknown fields are kept, as the
 * spec lets implementations add their own.
 */
const jsonNumber = z.custom<number | JsonNumber>((v) => typeof v === 'number' || v instanceof JsonNumber, {
  message: 'expected a number',
});
const name = z.looseObject({ name: z.string({ error: 'expected a string' }) });
const headers = z.record(z.string(), z.union([z.string(), z.array(z.string()), jsonNumber]), {
  error: 'expected an object of header names to values',
});
const query = z.union(
  [z.string(), z.record(z.string(), z.union([z.string(), z.array(z.string().nullable())]))],
  {
    error: 'expected a query string or an object of names to value lists',
  },
);
const object = z.record(z.string(), z.unknown(), { error: 'expected an object' });
const providerStates = z.array(
  z.looseObject({ name: z.string({ error: 'expected a string' }), params: object.optional().nullable() }),
  { error: 'expected a list of provider states' },
);

export const requestSchema = z.looseObject({
  method: z.string({ error: 'expected an HTTP method string' }).optional(),
  path: z.string({ error: 'expected a path string' }).optional(),
  query: query.optional().nullable(),
  headers: headers.optional().nullable(),
  matchingRules: object.optional().nullable(),
  generators: object.optional().nullable(),
});

export const responseSchema = z.looseObject({
  status: jsonNumber.optional(),
  headers: headers.optional().nullable(),
  matchingRules: object.optional().nullable(),
  generators: object.optional().nullable(),
});

const interactionCommon = {
  description: z.string({ error: 'expected a description string' }),
  providerState: z.string().optional().nullable(),
  provider_state: z.string().optional().nullable(),
  providerStates: providerStates.optional().nullable(),
  key: z.string().optional().nullable(),
  pending: z.boolean({ error: 'expected true or false' }).optional().nullable(),
  comments: object.optional().nullable(),
};

export const httpInteractionSchema = z.looseObject({
  ...interactionCommon,
  request: requestSchema,
  response: responseSchema,
});

const messageContents = z.looseObject({
  metadata: object.optional().nullable(),
  metaData: object.optional().nullable(),
  matchingRules: object.optional().nullable(),
  generators: object.optional().nullable(),
});

export const messageSchema = messageContents.extend(interactionCommon);

export const v4InteractionSchema = z.discriminatedUnion(
  'type',
  [
    httpInteractionSchema.extend({ type: z.literal('Synchronous/HTTP') }),
    messageSchema.extend({ type: z.literal('Asynchronous/Messages') }),
    z.looseObject({
      ...interactionCommon,
      type: z.literal('Synchronous/Messages'),
      request: messageContents,
      response: z.array(messageContents, { error: 'expected a list of response messages' }),
    }),
  ],
  { error: 'expected "type" to be Synchronous/HTTP, Asynchronous/Messages or Synchronous/Messages' },
);

export const pactSchema = z.looseObject({
  consumer: name,
  provider: name,
  interactions: z.array(z.unknown(), { error: 'expected a list of interactions' }).optional(),
  messages: z.array(z.unknown(), { error: 'expected a list of messages' }).optional(),
  metadata: object.optional().nullable(),
});

/** Turns a zod error's first issues into `$.path: message` lines. */
export function describeIssues(error: z.ZodError, prefix: (string | number)[] = []): string[] {
  return error.issues.slice(0, 5).map((issue) => {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    let text = '$';
    for (const p of path)
      text += typeof p === 'number' ? `[${p}]` : /^[A-Za-z_]\w*$/.test(p) ? `.${p}` : `['${p}']`;
    return `${text}: ${issue.message}`;
  });
}
