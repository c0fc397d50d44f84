import type { FastifyRequest } from 'fastify';
import { findPacticipant } from '../db/pacticipants-repo.js';
import {
  anyWebhook,
  integrationTriggeredWithAttempts,
  latestTriggeredStatuses,
} from '../db/triggered-webhooks-repo.js';
import type { RouteContext } from '../http/context.js';
import { enc } from '../http/hal.js';
import { type IntegrationWebhookStatus, integrationWebhookStatus } from '../webhooks/execute.js';
import type { DeliveryStatus } from '../webhooks/outbox.js';
import { type Html, html, scrollBox, timeTag } from './html.js';

/** A page handler, as ui/register.ts takes them (declared here: pages.ts imports this module). */
type PageHandler = (
  request: FastifyRequest,
  b: string,
) => Promise<{ status: number; title: string; body: Html }>;

/** The integration's webhook status page: where the index's column links. */
export const webhookStatusHref = (b: string, consumer: string, provider: string) =>
  `${b}/pacts/provider/${enc(provider)}/consumer/${enc(consumer)}/webhooks/status`;

const WORDS: Record<IntegrationWebhookStatus, string> = {
  none: 'No webhooks',
  not_run: 'Not run',
  retrying: 'Retrying',
  success: 'Delivered',
  failure: 'Failed',
};
/** The verification cell's colours, reused: delivered green, failed red, waiting grey. */
const CLASSES: Record<IntegrationWebhookStatus, string> = {
  none: 'never',
  not_run: 'never',
  retrying: 'stale',
  success: 'success',
  failure: 'failed',
};

/**
 * The webhook status of each integration, by `consumer/provider` name, for the index's column: the
 * reference broker's none, not_run, retrying, success or failure for the latest event's deliveries.
 */
export async function integrationWebhookStatuses(
  context: RouteContext,
): Promise<(consumer: string, provider: string) => IntegrationWebhookStatus> {
  const db = context.options.database.db;
  const [latest, any] = await Promise.all([latestTriggeredStatuses(db), anyWebhook(db)]);
  return (consumer, provider) => integrationWebhookStatus(any, latest.get(`${consumer}/${provider}`) ?? []);
}

/** The index's cell: the status, linking to the integration's triggered webhooks. */
export function webhookStatusCell(
  b: string,
  consumer: string,
  provider: string,
  status: IntegrationWebhookStatus,
): Html {
  return html`<td class="webhook-status status-${CLASSES[status]}" data-webhook-status="${status}">${
    status === 'none'
      ? WORDS[status]
      : html`<a href="${webhookStatusHref(b, consumer, provider)}">${WORDS[status]}</a>`
  }</td>`;
}

/**
 * A page of an integration's triggered webhooks, newest first, each with its attempts and their
 * logs (secrets were starred when the logs were written).
 */
export function webhookPages(context: RouteContext): Record<string, PageHandler> {
  const db = () => context.options.database.db;
  return {
    '/pacts/provider/:provider/consumer/:consumer/webhooks/status': async (request, _b) => {
      const { consumer, provider } = request.params as { consumer: string; provider: string };
      const [c, p] = await Promise.all([findPacticipant(db(), consumer), findPacticipant(db(), provider)]);
      const title = `Webhooks: ${consumer} and ${provider}`;
      if (!c || !p)
        return {
          status: 404,
          title: 'Not found',
          body: html`<h1>Not found</h1><p>There is no pact between ${consumer} and ${provider}.</p>`,
        };
      const details = (await integrationTriggeredWithAttempts(db(), c.id, p.id)).reverse();
      const triggered = details.map((d) => d.triggered);
      const status = (s: DeliveryStatus) => WORDS[s];
      const body =
        triggered.length === 0
          ? html`<h1>${title}</h1><p>No webhook has been triggered for this pact yet.</p>`
          : html`<h1>${title}</h1>
<p class="muted">Each delivery of a webhook, newest first, with its attempts. Secrets are starred in the logs.</p>
${scrollBox(
  'Deliveries',
  html`<table class="triggered-webhooks">
<thead><tr><th scope="col">Event</th><th scope="col">Triggered</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Delivery id</th></tr></thead>
<tbody>
${triggered.map(
  (t) => html`<tr data-delivery="${t.uuid}">
<td>${t.eventName}</td><td>${timeTag(t.createdAt)}</td>
<td class="status status-${CLASSES[t.status]}">${status(t.status)}</td>
<td>${t.attempts}</td><td><code>${t.uuid}</code></td></tr>`,
)}
</tbody>
</table>`,
)}
${details.map(
  (d) => html`<section class="triggered-webhook" id="${d.triggered.uuid}">
<h2>${d.triggered.eventName} <small class="muted">${d.triggered.uuid}</small></h2>
${
  d.attempts.length === 0
    ? html`<p>No attempt yet.</p>`
    : d.attempts.map(
        (a) =>
          html`<h3>Attempt ${a.attempt_number}: ${a.success === 1 ? 'succeeded' : 'failed'}${
            a.response_status === null ? '' : ` (${a.response_status})`
          }</h3><pre class="webhook-log">${a.logs}</pre>`,
      )
}
</section>`,
)}`;
      return { status: 200, title, body };
    },
  };
}
