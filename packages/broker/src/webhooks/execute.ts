/**
 * Running a webhook once, now, for the execute resources (`POST /webhooks/{uuid}/execute` and
 * `POST /webhooks/execute`), and the status summaries of triggered webhooks. Pure apart from the
 * delivery itself.
 */
import { type DeliverOptions, deliver } from './deliver.js';
import type { DeliveryStatus } from './outbox.js';
import { attemptLog } from './outbox.js';
import { redactHeaders, redactRequest, redactText, secretsOf } from './redact.js';
import { type RequestTemplate, renderRequest, type TemplateData } from './template.js';

/** The execute resource's answer, in the reference broker's shape; secrets starred. */
export interface ExecutionResult {
  success: boolean;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  /** Absent when nothing was sent (refused) or no response came. */
  response?: { status: number; headers: Record<string, string>; body?: string };
  logs: string;
}

/**
 * Sends the webhook's request for this data once, with no retries and no outbox row, and describes
 * what happened. The response body is included only with `showResponseBody` (a host allowlist is
 * configured), as in the reference broker.
 *
 * @example const answer = await executeWebhook(webhook.request, latestPactData, { policy, showResponseBody: policy.hosts.length > 0 });
 */
export async function executeWebhook(
  template: RequestTemplate,
  data: TemplateData,
  options: Omit<DeliverOptions, 'deliveryId'> & { showResponseBody: boolean; deliveryId?: string },
): Promise<ExecutionResult> {
  const { showResponseBody, ...deliverOptions } = options;
  const request = renderRequest(template, data);
  const result = await deliver(request, deliverOptions);
  const secrets = secretsOf(request);
  const shown = redactRequest(request);
  return {
    success: result.success,
    request: {
      method: shown.method.toUpperCase(),
      url: shown.url,
      headers: redactHeaders(result.sentHeaders),
      ...(shown.body !== undefined ? { body: shown.body } : {}),
    },
    ...(result.response
      ? {
          response: {
            status: result.response.status,
            headers: redactHeaders(result.response.headers),
            ...(showResponseBody ? { body: redactText(result.response.body, secrets) } : {}),
          },
        }
      : {}),
    logs: attemptLog(request, result, {
      attemptNumber: 1,
      showResponseBody,
      outcome: { status: result.success ? 'success' : 'failure' },
    }),
  };
}

/** The `summary` of a `…/webhooks/status` resource: how many triggered webhooks are in each state. */
export interface StatusSummary {
  successful: number;
  failed: number;
  notRun: number;
  retrying: number;
}

/** @example statusSummary(['success', 'retrying']) // → { successful: 1, failed: 0, notRun: 0, retrying: 1 } */
export function statusSummary(statuses: Iterable<DeliveryStatus>): StatusSummary {
  const summary: StatusSummary = { successful: 0, failed: 0, notRun: 0, retrying: 0 };
  for (const status of statuses) {
    if (status === 'success') summary.successful++;
    else if (status === 'failure') summary.failed++;
    else if (status === 'retrying') summary.retrying++;
    else summary.notRun++;
  }
  return summary;
}

/** An integration's webhook status for the index page: the reference's none, not_run, retrying, success, failure. */
export type IntegrationWebhookStatus = 'none' | DeliveryStatus;

/**
 * The status shown for an integration, as the reference broker computes it: `none` without webhooks,
 * `not_run` when none of the latest triggered webhooks (those of the most recent event) has run,
 * `retrying` while any is retrying or still waiting (the reference would say failure for a waiting
 * one beside a success: here it is only not yet sent), `success` when all succeeded, else `failure`.
 *
 * @example integrationWebhookStatus(true, ['success', 'retrying']) // → 'retrying'
 */
export function integrationWebhookStatus(
  hasWebhooks: boolean,
  latest: Iterable<DeliveryStatus>,
): IntegrationWebhookStatus {
  if (!hasWebhooks) return 'none';
  const statuses = [...latest];
  if (statuses.every((status) => status === 'not_run')) return 'not_run';
  if (statuses.some((status) => status === 'retrying' || status === 'not_run')) return 'retrying';
  return statuses.every((status) => status === 'success') ? 'success' : 'failure';
}
