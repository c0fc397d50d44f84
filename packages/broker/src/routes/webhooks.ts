import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Db, findPacticipant } from '../db/pacticipants-repo.js';
import { executionData } from '../domain/webhook-triggers.js';
import {
  createWebhook,
  deleteWebhook,
  displayDescription,
  displayedRequest,
  findWebhook,
  listWebhooks,
  newWebhookUuid,
  type PathScope,
  putWebhook,
  scopeDescription,
  validateWebhook,
  type Webhook,
  type WebhookBody,
} from '../domain/webhooks.js';
import { inTransaction, type RoutePlugin } from '../http/context.js';
import { curies, enc, pacticipantUrl } from '../http/hal.js';
import { pagedList, pageRequest } from '../http/paging.js';
import { HttpProblem } from '../http/problem.js';
import { executeWebhook } from '../webhooks/execute.js';
import { DEFAULT_WEBHOOK_POLICY } from '../webhooks/policy.js';
import { webhooksSchemas } from './schemas/webhooks.js';
import { triggeredWebhookRoutes } from './triggered-webhooks.js';

const HAL = 'application/hal+json;charset=utf-8';
type Params = Record<string, string>;

const webhookUrl = (b: string, uuid: string) => `${b}/webhooks/${enc(uuid)}`;
const scopedUrl = (b: string, scope: PathScope) =>
  `${b}/webhooks` +
  (scope.provider !== undefined ? `/provider/${enc(scope.provider)}` : '') +
  (scope.consumer !== undefined ? `/consumer/${enc(scope.consumer)}` : '');

/** A webhook as HAL, in the reference broker's shape; the password never leaves the broker. */
export function webhookJson(b: string, webhook: Webhook) {
  const { consumer, provider } = webhook;
  const consumerName = consumer && 'name' in consumer ? consumer.name : undefined;
  const providerName = provider && 'name' in provider ? provider.name : undefined;
  return {
    uuid: webhook.uuid,
    description: webhook.description,
    ...(consumer ? { consumer } : {}),
    ...(provider ? { provider } : {}),
    enabled: webhook.enabled,
    request: displayedRequest(webhook.request),
    events: webhook.events.map((name) => ({ name })),
    createdAt: webhook.createdAt,
    updatedAt: webhook.updatedAt,
    _links: {
      self: { title: displayDescription(webhook), href: webhookUrl(b, webhook.uuid) },
      'pb:execute': {
        title:
          'Test the execution of the webhook with the latest matching pact or verification by sending a POST request to this URL',
        href: `${webhookUrl(b, webhook.uuid)}/execute`,
      },
      ...(consumerName !== undefined
        ? { 'pb:consumer': { title: 'Consumer', name: consumerName, href: pacticipantUrl(b, consumerName) } }
        : {}),
      ...(providerName !== undefined
        ? { 'pb:provider': { title: 'Provider', name: providerName, href: pacticipantUrl(b, providerName) } }
        : {}),
      ...(consumerName !== undefined && providerName !== undefined
        ? {
            'pb:pact-webhooks': {
              title: `All webhooks for consumer ${consumerName} and provider ${providerName}`,
              href: scopedUrl(b, { consumer: consumerName, provider: providerName }),
            },
          }
        : {}),
      'pb:webhooks': { title: 'All webhooks', href: `${b}/webhooks` },
      curies: curies(b),
    },
  };
}

function collectionJson(b: string, self: string, title: string, webhooks: Webhook[]) {
  return {
    _embedded: { webhooks: webhooks.map((w) => webhookJson(b, w)) },
    _links: {
      self: { title, href: self },
      'pb:create': { title: 'POST to create a webhook', href: self },
      'pb:webhooks': webhooks.map((w) => ({
        title: scopeDescription(w),
        name: displayDescription(w),
        href: webhookUrl(b, w.uuid),
      })),
      curies: curies(b),
    },
  };
}

/**
 * Webhooks as stored resources: create, list, read, replace and delete, globally or scoped to a
 * consumer and/or provider; `execute` runs one once, now, against the latest matching data.
 */
export const webhookRoutes: RoutePlugin = async (app, { context }) => {
  const db = () => context.options.database.db;

  /**
   * The scope the URL names; 404 when a pacticipant in it does not exist. Inside a write it must
   * query through the transaction: SQLite has one connection, which the transaction holds.
   */
  const pathScope = async (from: Db, params: Params): Promise<PathScope> => {
    const scope: PathScope = {};
    for (const role of ['consumer', 'provider'] as const) {
      const name = params[role];
      if (name === undefined) continue;
      if (!(await findPacticipant(from, name)))
        throw new HttpProblem(404, 'Not found', `No ${role} with name '${name}' found`);
      scope[role] = name;
    }
    return scope;
  };

  const list = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    const b = context.baseUrlOf(request);
    const scoped = request.params.consumer !== undefined || request.params.provider !== undefined;
    const scope = await pathScope(db(), request.params);
    const self = scopedUrl(b, scope);
    // ?q= searches descriptions and the pacticipant names and labels scoped; paged when `page` or `size` is given
    const { items, page, links } = pagedList(
      pageRequest(request.query as Record<string, unknown>),
      await listWebhooks(db(), scoped ? scope : undefined),
      (w) => [
        displayDescription(w),
        ...[w.consumer, w.provider].flatMap((side) =>
          side ? ['name' in side ? side.name : side.label] : [],
        ),
      ],
      self,
    );
    reply.type(HAL);
    const title = [
      scope.provider !== undefined ? `provider ${scope.provider}` : undefined,
      scope.consumer !== undefined ? `consumer ${scope.consumer}` : undefined,
    ].filter((part) => part !== undefined);
    const collection = collectionJson(
      b,
      self,
      title.length > 0 ? `Webhooks for ${title.join(' and ')}` : 'Webhooks',
      items,
    );
    return { ...(page ? { page } : {}), ...collection, _links: { ...collection._links, ...links } };
  };

  const create = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    const b = context.baseUrlOf(request);
    const uuid = newWebhookUuid();
    const webhook = await inTransaction(context, async (trx) => {
      const scope = await pathScope(trx, request.params);
      const input = await validateWebhook(trx, request.body as WebhookBody, scope);
      return createWebhook(trx, uuid, input);
    });
    reply.code(201).type(HAL).header('Location', webhookUrl(b, uuid));
    return webhookJson(b, webhook);
  };

  for (const path of [
    '/webhooks',
    '/webhooks/provider/:provider/consumer/:consumer',
    '/webhooks/provider/:provider',
    '/webhooks/consumer/:consumer',
    // the reference broker's older address for a pact's webhooks
    '/pacts/provider/:provider/consumer/:consumer/webhooks',
  ]) {
    app.get<{ Params: Params }>(path, { config: { access: 'read' } }, list);
    app.post<{ Params: Params }>(path, { config: { access: 'write' } }, create);
  }

  const requireWebhook = async (uuid: string) => {
    const webhook = await findWebhook(db(), uuid);
    if (!webhook) throw new HttpProblem(404, 'Not found', `no webhook with uuid '${uuid}'`);
    return webhook;
  };

  app.get(
    '/webhooks/:uuid',
    { schema: webhooksSchemas.getWebhooksByUuid, config: { access: 'read' } },
    async (request, reply) => {
      const webhook = await requireWebhook(request.params.uuid);
      reply.type(HAL);
      return webhookJson(context.baseUrlOf(request), webhook);
    },
  );

  app.put(
    '/webhooks/:uuid',
    { schema: webhooksSchemas.putWebhooksByUuid, config: { access: 'write' } },
    async (request, reply) => {
      const b = context.baseUrlOf(request);
      const uuid = request.params.uuid;
      const { webhook, created } = await inTransaction(context, async (trx) =>
        putWebhook(trx, uuid, await validateWebhook(trx, request.body as WebhookBody, {}, uuid)),
      );
      reply.code(created ? 201 : 200).type(HAL);
      if (created) reply.header('Location', webhookUrl(b, uuid));
      return webhookJson(b, webhook);
    },
  );

  app.delete(
    '/webhooks/:uuid',
    { schema: webhooksSchemas.deleteWebhooksByUuid, config: { access: 'write' } },
    async (request, reply) => {
      const uuid = request.params.uuid;
      const deleted = await inTransaction(context, (trx) => deleteWebhook(trx, uuid));
      if (!deleted) throw new HttpProblem(404, 'Not found', `no webhook with uuid '${uuid}'`);
      reply.code(204).send();
    },
  );

  /** Runs the webhook once against the latest matching data; no outbox row, no retries. */
  const execute = async (
    webhook: Pick<Webhook, 'consumer' | 'provider' | 'events' | 'request'>,
    b: string,
  ) => {
    const policy = context.options.webhooks?.policy ?? DEFAULT_WEBHOOK_POLICY;
    const data = await executionData(db(), webhook, b, (name) => findPacticipant(db(), name));
    const result = await executeWebhook(webhook.request, data, {
      policy,
      showResponseBody: policy.hosts.length > 0,
    });
    return { ...result, _links: { self: { title: 'Webhook execution', href: `${b}/webhooks/execute` } } };
  };

  app.post(
    '/webhooks/:uuid/execute',
    { schema: webhooksSchemas.postWebhooksByUuidExecute, config: { access: 'write' } },
    async (request, reply) => {
      const webhook = await requireWebhook(request.params.uuid);
      reply.type(HAL);
      // 200 whether or not the target took it: `success` and the log say how the run went
      return execute(webhook, context.baseUrlOf(request));
    },
  );

  app.post(
    '/webhooks/execute',
    { schema: webhooksSchemas.postWebhooksExecute, config: { access: 'write' } },
    async (request, reply) => {
      const input = await validateWebhook(db(), request.body as WebhookBody);
      reply.type(HAL);
      return execute(input, context.baseUrlOf(request));
    },
  );

  await app.register(triggeredWebhookRoutes, { context });
};
