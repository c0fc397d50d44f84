import { type IntegrationRow, integrationRows } from '../db/pages-repo.js';
import { anyWebhook, latestTriggeredStatuses } from '../db/triggered-webhooks-repo.js';
import { requirePacticipant } from '../domain/pacticipants.js';
import type { RoutePlugin } from '../http/context.js';
import { consumerVersionPactUrl, enc, pacticipantUrl, pactVersionUrl, versionUrl } from '../http/hal.js';
import { integrationWebhookStatus } from '../webhooks/execute.js';
import { dashboardSchemas } from './schemas/dashboard.js';

/**
 * The reference's verification status: `success` or `failed` for the latest pact's latest
 * verification; `stale` when the latest pact is unverified but an earlier one was; else `never`.
 */
export function verificationStatus(row: IntegrationRow): 'success' | 'failed' | 'stale' | 'never' {
  if (row.verification) return row.verification.success ? 'success' : 'failed';
  return row.earlierVerification ? 'stale' : 'never';
}

/** One integration as the reference's dashboard shows it. */
function dashboardItem(
  b: string,
  r: IntegrationRow,
  latest: Awaited<ReturnType<typeof latestTriggeredStatuses>>,
  hasWebhooks: boolean,
) {
  const pactUrl = consumerVersionPactUrl(b, r.provider, r.consumer, r.consumerVersion);
  const consumerVersion = versionUrl(b, r.consumer, r.consumerVersion);
  const verified = r.verification;
  return {
    consumer: {
      name: r.consumer,
      version: {
        number: r.consumerVersion,
        branches: r.branches,
        _links: { self: { href: consumerVersion } },
      },
      _links: { self: { href: pacticipantUrl(b, r.consumer) } },
    },
    provider: {
      name: r.provider,
      version: verified
        ? {
            number: verified.providerVersion,
            _links: { self: { href: versionUrl(b, r.provider, verified.providerVersion) } },
          }
        : null,
      _links: { self: { href: pacticipantUrl(b, r.provider) } },
    },
    pact: { createdAt: r.publishedAt, _links: { self: { href: pactUrl } } },
    pactTags: r.tags.map((name) => ({
      name,
      _links: { self: { href: `${consumerVersion}/tags/${enc(name)}` } },
    })),
    latestVerificationResult: verified
      ? {
          success: verified.success,
          verifiedAt: verified.verifiedAt,
          _links: {
            self: {
              href: `${pactVersionUrl(b, r.provider, r.consumer, r.sha)}/verification-results/latest`,
            },
          },
        }
      : null,
    verificationStatus: verificationStatus(r),
    webhookStatus: integrationWebhookStatus(hasWebhooks, latest.get(`${r.consumer}/${r.provider}`) ?? []),
    latestWebhookExecution: null,
    _links: {
      'pb:consumer': { href: pacticipantUrl(b, r.consumer), name: r.consumer },
      'pb:provider': { href: pacticipantUrl(b, r.provider), name: r.provider },
      'pb:latest-pact': {
        href: `${b}/pacts/provider/${enc(r.provider)}/consumer/${enc(r.consumer)}/latest`,
      },
      'pb:pact-version': { href: pactVersionUrl(b, r.provider, r.consumer, r.sha) },
    },
  };
}

/**
 * `GET /dashboard`: the reference broker's dashboard JSON, one item per integration; and
 * `GET /dashboard/provider/{p}/consumer/{c}`, the item of one integration.
 */
export const dashboardRoutes: RoutePlugin = async (app, { context }) => {
  const database = context.options.database;
  /** The dashboard items of these integrations. */
  const items = async (b: string, rows: IntegrationRow[]) => {
    const [latest, hasWebhooks] = await Promise.all([
      latestTriggeredStatuses(database.db),
      anyWebhook(database.db),
    ]);
    return rows.map((r) => dashboardItem(b, r, latest, hasWebhooks));
  };

  app.get(
    '/dashboard',
    { schema: dashboardSchemas.getDashboard, config: { access: 'read' } },
    async (request, reply) => {
      const rows = await integrationRows(database);
      reply.type('application/hal+json;charset=utf-8');
      return { items: await items(context.baseUrlOf(request), rows) };
    },
  );

  app.get(
    '/dashboard/provider/:provider/consumer/:consumer',
    { schema: dashboardSchemas.getDashboardIntegration, config: { access: 'read' } },
    async (request, reply) => {
      const [consumer, provider] = await Promise.all([
        requirePacticipant(database.db, request.params.consumer),
        requirePacticipant(database.db, request.params.provider),
      ]);
      // the consumer's integrations, narrowed to this one (an integration without a pact has no item)
      const rows = (await integrationRows(database, { pacticipantId: consumer.id })).filter(
        (r) => r.consumer === consumer.name && r.provider === provider.name,
      );
      reply.type('application/hal+json;charset=utf-8');
      return { items: await items(context.baseUrlOf(request), rows) };
    },
  );
};
