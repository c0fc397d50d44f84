import { Type } from '@sinclair/typebox';
import { WEBHOOK_EVENT_NAMES, WEBHOOK_METHODS } from '../../domain/webhooks.js';
import { pagingQuery } from './core.js';
import {
  anyObject,
  anything,
  boolean,
  component,
  created,
  deleted,
  described,
  embeddedList,
  hal,
  integer,
  keyedByPath,
  list,
  nullable,
  nullableText,
  object,
  ok,
  operation,
  query,
  queryValue,
  ref,
  ruled,
  type Schema,
  string,
  timestamp,
  upserted,
} from './shared.js';

component(
  'PacticipantScope',
  described('One pacticipant by name, or all with a label', {
    anyOf: [object({ name: string }), object({ label: string })],
  }),
);
component('WebhookEvent', object({ name: Type.Unsafe<string>({ enum: [...WEBHOOK_EVENT_NAMES] }) }));

/**
 * A property the body must give, not `null`: told `<path> is missing` when it is either. `schema`
 * lets `null` through, so that it is told only that.
 */
const needed = (schema: Schema) => ruled('is missing', { not: { type: 'null' }, allOf: [schema] });
const nullableObject = (rule: string, schema: Schema) => ruled(rule, nullable(schema));

component(
  'WebhookPacticipantScope',
  described(
    'One pacticipant by name, or all with a label; not both',
    object(
      {},
      {
        name: nullableText(),
        label: ruled(
          'must be a non-blank single-line string',
          // empty counts as absent; otherwise something that is not blank and no control characters
          nullable(Type.String({ pattern: '^$|^[^\\u0000-\\u001f\\u007f]*\\S[^\\u0000-\\u001f\\u007f]*$' })),
        ),
      },
    ),
  ),
);
component(
  'WebhookRequestInput',
  object(
    {
      method: described(
        `${WEBHOOK_METHODS.join(', ')}, in any case`,
        needed(ruled(`must be one of ${WEBHOOK_METHODS.join(', ')}`, nullable(string))),
      ),
      url: described(
        'http or https; `${pactbroker.…}` parameters only in the path and query',
        needed(ruled('must be a string', nullable(string))),
      ),
    },
    {
      headers: described(
        'Header names to single-line values',
        nullableObject('must be an object of header names to values', anyObject),
      ),
      body: anything,
      username: nullableText(),
      password: nullableText(),
    },
  ),
);
component(
  'WebhookEventInput',
  described('An event to subscribe to (any other item is refused)', {
    properties: {
      name: ruled(`must be one of ${WEBHOOK_EVENT_NAMES.join(', ')}`, {
        enum: [...WEBHOOK_EVENT_NAMES],
      }),
    },
    required: ['name'],
  }),
);
component(
  'WebhookInput',
  keyedByPath(
    ruled(
      'must be a JSON object',
      object(
        {
          request: needed(
            nullableObject('must be an object with a method and a url', ref('WebhookRequestInput')),
          ),
        },
        {
          description: nullableText(),
          enabled: ruled('must be true or false', boolean),
          consumer: nullableObject(
            'must be an object with a name or a label',
            ref('WebhookPacticipantScope'),
          ),
          provider: nullableObject(
            'must be an object with a name or a label',
            ref('WebhookPacticipantScope'),
          ),
          events: described(
            'At least one; `contract_content_changed` when left out',
            nullableObject('must be a list of {"name": "…"} objects', list(ref('WebhookEventInput'))),
          ),
        },
      ),
    ),
  ),
);
component(
  'Webhook',
  hal(
    ['self', 'pb:execute', 'pb:webhooks'],
    {
      uuid: string,
      description: nullable(string),
      enabled: boolean,
      request: {
        ...object(
          { method: string, url: string },
          {
            headers: { type: 'object', additionalProperties: string },
            body: anything,
            username: string,
            password: { description: 'Never shown', not: {} },
          },
        ),
        description:
          'The request the webhook sends; never the password, and secret-looking header values starred',
      },
      events: list(ref('WebhookEvent')),
      createdAt: timestamp,
      updatedAt: timestamp,
    },
    { consumer: ref('PacticipantScope'), provider: ref('PacticipantScope') },
  ),
);
component('WebhookList', embeddedList('webhooks', 'Webhook', ['self', 'pb:create'], ['pb:webhooks']));

/** The webhook collections: all webhooks, and those scoped by the path's pacticipants. */
const COLLECTIONS = {
  '/webhooks': 'all webhooks',
  '/webhooks/provider/:provider/consumer/:consumer': 'the webhooks of a consumer and provider',
  '/webhooks/provider/:provider': 'the webhooks of a provider',
  '/webhooks/consumer/:consumer': 'the webhooks of a consumer',
  '/pacts/provider/:provider/consumer/:consumer/webhooks':
    "a pact's webhooks (the reference broker's older address)",
} as const;

const collection = (path: keyof typeof COLLECTIONS) => {
  const scoped = path !== '/webhooks';
  return {
    list: operation({
      method: 'GET',
      path,
      tag: 'Webhooks',
      summary: `List ${COLLECTIONS[path]}; paged when \`page\` or \`size\` is given`,
      query: query({
        ...pagingQuery.properties,
        q: queryValue(
          'Only webhooks whose description, or a pacticipant name or label they apply to, contains this, in any case',
        ),
      }),
      ok: ok('WebhookList'),
      ...(scoped ? { errors: [404] as const } : {}),
    }),
    create: operation({
      method: 'POST',
      path,
      tag: 'Webhooks',
      summary: `Create a webhook${scoped ? ' scoped by the path' : ''}`,
      body: 'WebhookInput',
      ok: created('Webhook', 'Webhook'),
      ...(scoped ? { errors: [404] as const } : {}),
    }),
  };
};

/** The list and create operations of each webhook collection, by path. */
export const webhookCollectionSchemas = Object.fromEntries(
  Object.keys(COLLECTIONS).map((path) => [path, collection(path as keyof typeof COLLECTIONS)]),
) as Record<keyof typeof COLLECTIONS, ReturnType<typeof collection>>;

export const webhooksSchemas = {
  getWebhooksByUuid: operation({
    method: 'GET',
    path: '/webhooks/:uuid',
    tag: 'Webhooks',
    summary: 'A webhook',
    ok: ok('Webhook'),
    errors: [404],
  }),
  putWebhooksByUuid: operation({
    method: 'PUT',
    path: '/webhooks/:uuid',
    tag: 'Webhooks',
    summary: 'Create a webhook with a chosen uuid, or replace one (a starred password keeps the stored one)',
    body: 'WebhookInput',
    ok: upserted('Webhook', 'Webhook'),
  }),
  deleteWebhooksByUuid: operation({
    method: 'DELETE',
    path: '/webhooks/:uuid',
    tag: 'Webhooks',
    summary: 'Delete a webhook',
    ok: deleted,
    errors: [404],
  }),
  postWebhooksByUuidExecute: operation({
    method: 'POST',
    path: '/webhooks/:uuid/execute',
    tag: 'Webhooks',
    summary: 'Run a webhook once now, against the latest matching pact and verification',
    ok: ok('WebhookExecution'),
    errors: [404],
    bodyOptional: true,
  }),
  postWebhooksExecute: operation({
    method: 'POST',
    path: '/webhooks/execute',
    tag: 'Webhooks',
    summary: 'Run an unsaved webhook once now, against the latest matching pact and verification',
    body: 'WebhookInput',
    ok: ok('WebhookExecution'),
  }),
};

component(
  'WebhookExecution',
  described(
    'What one run of a webhook sent and received, secrets starred; the response body only when a host allowlist is set',
    object(
      { request: anyObject, logs: string, success: boolean },
      { response: anyObject, _links: anyObject },
    ),
  ),
);
component(
  'TriggeredWebhook',
  hal(['self', 'pb:logs', 'pb:webhook'], {
    uuid: string,
    eventName: string,
    status: Type.Unsafe<string>({ enum: ['not_run', 'retrying', 'success', 'failure'] }),
    attempts: integer,
    triggeredAt: timestamp,
  }),
);
component('TriggeredWebhookList', embeddedList('triggeredWebhooks', 'TriggeredWebhook'));
component(
  'WebhookStatus',
  hal(['self'], {
    summary: object({ successful: integer, failed: integer, notRun: integer, retrying: integer }),
    _embedded: object({ triggeredWebhooks: list(ref('TriggeredWebhook')) }),
  }),
);

const triggeredList = <Path extends string>(path: Path, summary: string) =>
  operation({ method: 'GET', path, tag: 'Webhooks', summary, ok: ok('TriggeredWebhookList'), errors: [404] });

/** The outbox's resources: triggered webhooks per pact version, consumer version and verification, their logs, an integration's status. */
export const triggeredWebhookSchemas = {
  byPactVersion: triggeredList(
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/triggered-webhooks',
    'The webhooks a pact version triggered',
  ),
  byConsumerVersion: triggeredList(
    '/pacts/provider/:provider/consumer/:consumer/version/:version/triggered-webhooks',
    "The webhooks a consumer version's pact triggered",
  ),
  byVerification: triggeredList(
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results/:id/triggered-webhooks',
    'The webhooks a verification triggered',
  ),
  logs: operation({
    method: 'GET',
    path: '/triggered-webhooks/:uuid/logs',
    tag: 'Webhooks',
    summary: "A triggered webhook's attempts, as text, secrets starred",
    ok: { 200: { description: 'The attempts, oldest first', schema: 'Text', media: 'text/plain' } },
    errors: [404],
  }),
  status: operation({
    method: 'GET',
    path: '/pacts/provider/:provider/consumer/:consumer/webhooks/status',
    tag: 'Webhooks',
    summary: "The state of an integration's latest triggered webhooks",
    ok: ok('WebhookStatus'),
    errors: [404],
  }),
};

component('Text', described('Plain text', string));
