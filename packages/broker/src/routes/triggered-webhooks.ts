import { findVersion } from '../db/pacticipants-repo.js';
import { pactBySha } from '../db/pacts-repo.js';
import {
  type TriggeredWebhookView,
  triggeredWebhooksWhere,
  triggeredWebhookWithAttempts,
} from '../db/triggered-webhooks-repo.js';
import { requirePacticipant } from '../domain/pacticipants.js';
import { triggeredWebhookLogsHref } from '../domain/webhook-triggers.js';
import type { RoutePlugin } from '../http/context.js';
import { curies, enc } from '../http/hal.js';
import { HttpProblem } from '../http/problem.js';
import { statusSummary } from '../webhooks/execute.js';
import { triggeredWebhookSchemas } from './schemas/webhooks.js';

const HAL = 'application/hal+json;charset=utf-8';

/** A triggered webhook as HAL: its state and where its log and webhook are. */
export function triggeredWebhookJson(b: string, t: TriggeredWebhookView) {
  return {
    uuid: t.uuid,
    eventName: t.eventName,
    status: t.status,
    attempts: t.attempts,
    ...(t.status === 'retrying' ? { nextAttemptAt: t.nextAttemptAt } : {}),
    triggeredAt: t.createdAt,
    _links: {
      self: { title: 'Triggered webhook', href: `${b}/triggered-webhooks/${enc(t.uuid)}` },
      'pb:logs': { title: 'Logs', href: triggeredWebhookLogsHref(b, t.uuid) },
      'pb:webhook': { title: 'Webhook', href: `${b}/webhooks/${enc(t.webhookUuid)}` },
    },
  };
}

/**
 * The outbox as resources: the webhooks a pact version, a consumer version or a verification
 * triggered, each one's attempt logs (text, secrets starred when written), and an integration's
 * webhook status, as the reference broker has them.
 */
export const triggeredWebhookRoutes: RoutePlugin = async (app, { context }) => {
  const db = () => context.options.database.db;
  const pair = (params: { consumer: string; provider: string }) =>
    Promise.all([requirePacticipant(db(), params.consumer), requirePacticipant(db(), params.provider)]);
  const listing = (b: string, self: string, rows: TriggeredWebhookView[]) => ({
    _embedded: { triggeredWebhooks: rows.map((t) => triggeredWebhookJson(b, t)) },
    _links: { self: { title: 'Triggered webhooks', href: self }, curies: curies(b) },
  });

  app.get(
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/triggered-webhooks',
    { schema: triggeredWebhookSchemas.byPactVersion, config: { access: 'read' } },
    async (request, reply) => {
      const [c, p] = await pair(request.params);
      const row = await pactBySha(db(), c, p, request.params.sha);
      if (!row) throw new HttpProblem(404, 'Not found', `no pact version ${request.params.sha}`);
      const b = context.baseUrlOf(request);
      reply.type(HAL);
      return listing(
        b,
        `${b}${request.url}`,
        await triggeredWebhooksWhere(db(), { pactVersionId: row.pact_version_id }),
      );
    },
  );

  app.get(
    '/pacts/provider/:provider/consumer/:consumer/version/:version/triggered-webhooks',
    { schema: triggeredWebhookSchemas.byConsumerVersion, config: { access: 'read' } },
    async (request, reply) => {
      const [c, p] = await pair(request.params);
      const version = await findVersion(db(), c.id, request.params.version);
      if (!version)
        throw new HttpProblem(404, 'Not found', `no version ${request.params.version} of ${c.name}`);
      const b = context.baseUrlOf(request);
      reply.type(HAL);
      return listing(
        b,
        `${b}${request.url}`,
        await triggeredWebhooksWhere(db(), { consumerVersionId: version.id, providerId: p.id }),
      );
    },
  );

  app.get(
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results/:id/triggered-webhooks',
    { schema: triggeredWebhookSchemas.byVerification, config: { access: 'read' } },
    async (request, reply) => {
      await pair(request.params);
      const id = Number(request.params.id);
      if (!Number.isInteger(id))
        throw new HttpProblem(404, 'Not found', `no verification ${request.params.id}`);
      const b = context.baseUrlOf(request);
      reply.type(HAL);
      return listing(b, `${b}${request.url}`, await triggeredWebhooksWhere(db(), { verificationId: id }));
    },
  );

  app.get(
    '/triggered-webhooks/:uuid/logs',
    { schema: triggeredWebhookSchemas.logs, config: { access: 'read' } },
    async (request, reply) => {
      const found = await triggeredWebhookWithAttempts(db(), request.params.uuid);
      if (!found) throw new HttpProblem(404, 'Not found', `no triggered webhook ${request.params.uuid}`);
      const { triggered, attempts } = found;
      const head = [
        `Webhook ${triggered.webhookUuid} triggered by ${triggered.eventName} for ${triggered.consumerName} and ${triggered.providerName} at ${triggered.createdAt}`,
        `Delivery id: ${triggered.uuid}; status: ${triggered.status}`,
      ];
      if (attempts.length === 0) head.push('', 'No attempt yet.');
      reply.type('text/plain; charset=utf-8');
      // the logs were redacted when written (webhooks/outbox.ts attemptLog)
      return [...head, ...attempts.flatMap((a) => ['', a.logs])].join('\n');
    },
  );

  app.get(
    '/pacts/provider/:provider/consumer/:consumer/webhooks/status',
    { schema: triggeredWebhookSchemas.status, config: { access: 'read' } },
    async (request, reply) => {
      const [c, p] = await pair(request.params);
      const all = await triggeredWebhooksWhere(db(), { consumerId: c.id, providerId: p.id });
      // the latest event's deliveries: those stored with the newest one
      const newest = all.at(-1)?.createdAt;
      const latest = all.filter((t) => t.createdAt === newest);
      const b = context.baseUrlOf(request);
      reply.type(HAL);
      return {
        summary: statusSummary(latest.map((t) => t.status)),
        _embedded: { triggeredWebhooks: latest.map((t) => triggeredWebhookJson(b, t)) },
        _links: {
          self: { title: 'Webhook status', href: `${b}${request.url}` },
          'pb:pact-webhooks': {
            title: 'Webhooks for the pact',
            href: `${b}/webhooks/provider/${enc(p.name)}/consumer/${enc(c.name)}`,
          },
          curies: curies(b),
        },
      };
    },
  );
};
