import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pacticipant } from '../db/pacticipants-repo.js';
import { consumersOf, latestPact, type PactRow, pactBySha, pactForVersion } from '../db/pacts-repo.js';
import { latestVerificationFor } from '../db/verifications-repo.js';
import {
  ensureBranchVersion,
  ensurePacticipant,
  ensureTag,
  ensureVersion,
  nameError,
  requirePacticipant,
} from '../domain/pacticipants.js';
import { publishPact } from '../domain/pacts.js';
import { compareNewPacts } from '../domain/provider-contracts.js';
import { triggeredWebhookLogsHref, triggerPactPublished } from '../domain/webhook-triggers.js';
import { validBody } from '../http/body.js';
import { inTransaction, type RoutePlugin } from '../http/context.js';
import {
  consumerVersionPactUrl,
  curies,
  enc,
  pacticipantUrl,
  pactVersionUrl,
  publishedVersion,
  versionUrl,
} from '../http/hal.js';
import { readJsonText } from '../http/json-text.js';
import { HttpProblem } from '../http/problem.js';
import { pactsSchemas } from './schemas/pacts.js';

const HAL = 'application/hal+json;charset=utf-8';
type Params = Record<string, string>;

/** A pact as served: its content with `createdAt` and the HAL links clients follow. */
export function pactJson(
  b: string,
  consumer: string,
  provider: string,
  row: PactRow,
  metadata?: string,
  content: Record<string, unknown> = JSON.parse(row.content) as Record<string, unknown>,
) {
  const permalink =
    pactVersionUrl(b, provider, consumer, row.sha) + (metadata ? `/metadata/${metadata}` : '');
  return {
    ...content,
    createdAt: row.created_at,
    _links: {
      self: {
        href: consumerVersionPactUrl(b, provider, consumer, row.consumer_version_number),
        title: 'Pact',
        name: `Pact between ${consumer} (${row.consumer_version_number}) and ${provider}`,
      },
      'pb:consumer': { href: pacticipantUrl(b, consumer), title: 'Consumer', name: consumer },
      'pb:consumer-version': {
        href: versionUrl(b, consumer, row.consumer_version_number),
        title: 'Consumer version',
        name: row.consumer_version_number,
      },
      'pb:provider': { href: pacticipantUrl(b, provider), title: 'Provider', name: provider },
      'pb:pact-version': {
        href: pactVersionUrl(b, provider, consumer, row.sha),
        title: 'Pact content version permalink',
        name: row.sha,
      },
      'pb:latest-pact-version': {
        href: `${b}/pacts/provider/${enc(provider)}/consumer/${enc(consumer)}/latest`,
        title: 'Latest version of this pact',
      },
      'pb:all-pact-versions': {
        href: `${b}/pacts/provider/${enc(provider)}/consumer/${enc(consumer)}/versions`,
        title: 'All versions of this pact',
      },
      'pb:latest-untagged-pact-version': {
        href: `${b}/pacts/provider/${enc(provider)}/consumer/${enc(consumer)}/latest-untagged`,
        title: 'Latest untagged version of this pact',
      },
      'pb:latest-tagged-pact-version': {
        href: `${b}/pacts/provider/${enc(provider)}/consumer/${enc(consumer)}/latest/{tag}`,
        title: 'Latest tagged version of this pact',
        templated: true,
      },
      'pb:previous-distinct': {
        href: `${consumerVersionPactUrl(b, provider, consumer, row.consumer_version_number)}/previous-distinct`,
        title: 'Previous distinct version of this pact',
      },
      'pb:diff-previous-distinct': {
        href: `${consumerVersionPactUrl(b, provider, consumer, row.consumer_version_number)}/diff/previous-distinct`,
        title: 'Diff with previous distinct version of this pact',
      },
      'pb:diff': {
        href: `${consumerVersionPactUrl(b, provider, consumer, row.consumer_version_number)}/diff/version/{version}`,
        title: 'Diff with another specified version of this pact',
        templated: true,
      },
      'pb:publish-verification-results': {
        href: `${permalink}/verification-results`,
        title: 'Publish verification results',
      },
      'pb:latest-verification-results': {
        href: `${pactVersionUrl(b, provider, consumer, row.sha)}/verification-results/latest`,
        title: 'Latest verification results',
      },
      'pb:tag-version': {
        href: `${versionUrl(b, consumer, row.consumer_version_number)}/tags/{tag}`,
        templated: true,
      },
      'pb:triggered-webhooks': {
        href: `${consumerVersionPactUrl(b, provider, consumer, row.consumer_version_number)}/triggered-webhooks`,
        title: 'Webhooks triggered by the publication of this pact',
      },
      'pb:pact-webhooks': {
        href: `${b}/webhooks/provider/${enc(provider)}/consumer/${enc(consumer)}`,
        title: 'Webhooks for the pact between the consumer and provider',
      },
      'pb:pact-webhooks-status': {
        href: `${b}/pacts/provider/${enc(provider)}/consumer/${enc(consumer)}/webhooks/status`,
        title: 'Status of the webhooks of the latest events for this pact',
      },
      curies: curies(b),
    },
  };
}

export const pactRoutes: RoutePlugin = async (app, { context }) => {
  const db = () => context.options.database.db;

  app.put(
    '/pacts/provider/:provider/consumer/:consumer/version/:version',
    {
      schema: pactsSchemas.putPactsProviderByProviderConsumerByConsumerVersionByVersion,
      config: { access: 'write' },
    },
    async (request, reply) => {
      const { provider, consumer, version } = request.params;
      const base = context.baseUrlOf(request);
      const published = await inTransaction(context, async (trx) => {
        const pact = await publishPact(trx, consumer, provider, version, request.body, {
          allowModification: context.options.allowContractModification ?? false,
        });
        await triggerPactPublished(trx, pact, base);
        return pact;
      });
      await compareNewPacts((work) => inTransaction(context, work), [published]);
      reply.code(published.created ? 201 : 200).type(HAL);
      return pactJson(
        context.baseUrlOf(request),
        consumer,
        provider,
        published.row,
        undefined,
        published.content,
      );
    },
  );

  // a header carries Latin-1 only: a version with other characters (or control characters) is
  // percent-encoded there, as it is in the pact's links, instead of failing the response
  const headerSafe = (value: string) => (/^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value));

  const send = async (
    reply: FastifyReply,
    b: string,
    consumer: string,
    provider: string,
    row: PactRow | undefined,
    what: string,
  ) => {
    if (!row) throw new HttpProblem(404, 'Not found', `no pact between ${consumer} and ${provider} ${what}`);
    reply.type(HAL).header('X-Pact-Consumer-Version', headerSafe(row.consumer_version_number));
    return pactJson(b, consumer, provider, row);
  };

  /** Serves the pact that `find` picks for the consumer and provider named in the path. */
  const pactRoute = (
    path: string,
    find: (consumer: Pacticipant, provider: Pacticipant, params: Params) => Promise<PactRow | undefined>,
    what: (params: Params) => string,
  ) =>
    app.get<{ Params: Params }>(path, { config: { access: 'read' } }, async (request, reply) => {
      const { provider, consumer } = request.params as { provider: string; consumer: string };
      const [c, p] = await Promise.all([
        requirePacticipant(db(), consumer),
        requirePacticipant(db(), provider),
      ]);
      return send(
        reply,
        context.baseUrlOf(request),
        consumer,
        provider,
        await find(c, p, request.params),
        what(request.params),
      );
    });
  const base = '/pacts/provider/:provider/consumer/:consumer';
  pactRoute(
    `${base}/version/:version`,
    (c, p, q) => pactForVersion(db(), c, p, q.version!),
    (q) => `for version ${q.version}`,
  );
  pactRoute(
    `${base}/latest`,
    (c, p) => latestPact(db(), c, p),
    () => '',
  );
  pactRoute(
    `${base}/latest/:tag`,
    (c, p, q) => latestPact(db(), c, p, { tag: q.tag! }),
    (q) => `tagged '${q.tag}'`,
  );
  pactRoute(
    `${base}/branch/:branch/latest`,
    (c, p, q) => latestPact(db(), c, p, { branch: q.branch! }),
    (q) => `on branch '${q.branch}'`,
  );

  const bySha = async (params: Params, b: string, reply: FastifyReply) => {
    const { provider, consumer, sha, metadata } = params as {
      provider: string;
      consumer: string;
      sha: string;
      metadata?: string;
    };
    const [c, p] = await Promise.all([
      requirePacticipant(db(), consumer),
      requirePacticipant(db(), provider),
    ]);
    const row = await pactBySha(db(), c, p, sha);
    if (!row)
      throw new HttpProblem(404, 'Not found', `no pact version ${sha} between ${consumer} and ${provider}`);
    reply.type(HAL);
    return pactJson(b, consumer, provider, row, metadata);
  };
  app.get(
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha',
    {
      schema: pactsSchemas.getPactsProviderByProviderConsumerByConsumerPactVersionBySha,
      config: { access: 'read' },
    },
    async (request, reply) => bySha(request.params, context.baseUrlOf(request), reply),
  );
  app.get(
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/metadata/:metadata',
    {
      schema: pactsSchemas.getPactsProviderByProviderConsumerByConsumerPactVersionByShaMetadataByMetadata,
      config: { access: 'read' },
    },
    async (request, reply) => bySha(request.params, context.baseUrlOf(request), reply),
  );

  /** The latest pact (optionally with a consumer version tag) of every consumer of a provider. */
  const providerLatest = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    const b = context.baseUrlOf(request);
    const p = await requirePacticipant(db(), request.params.provider!);
    const tag = request.params.tag;
    const consumers = await consumersOf(db(), p.id);
    const pacts = [];
    for (const c of consumers) {
      const row = await latestPact(db(), c, p, tag ? { tag } : {});
      if (row) {
        pacts.push({
          href: consumerVersionPactUrl(b, p.name, c.name, row.consumer_version_number),
          title: `Pact between ${c.name} (${row.consumer_version_number}) and ${p.name}`,
          name: c.name,
        });
      }
    }
    reply.type(HAL);
    return {
      _links: {
        self: { href: `${b}/pacts/provider/${enc(p.name)}/latest${tag ? `/${enc(tag)}` : ''}` },
        provider: { href: pacticipantUrl(b, p.name), title: p.name, name: p.name },
        'pb:pacts': pacts,
        pacts,
      },
    };
  };
  app.get<{ Params: Params }>(
    '/pacts/provider/:provider/latest',
    { schema: pactsSchemas.getPactsProviderByProviderLatest, config: { access: 'read' } },
    providerLatest,
  );
  app.get<{ Params: Params }>(
    '/pacts/provider/:provider/latest/:tag',
    { schema: pactsSchemas.getPactsProviderByProviderLatestByTag, config: { access: 'read' } },
    providerLatest,
  );

  app.post(
    '/contracts/publish',
    { schema: pactsSchemas.postContractsPublish, config: { access: 'write' } },
    async (request, reply) => {
      // Fastify validated the types and shapes (routes/schemas/pacts.ts); what a schema cannot
      // say is checked here, before any pact is decoded or a transaction opened, under the field
      // that holds it: how long a name is, and that each contract is the pacticipant's
      const body = validBody<{
        pacticipantName: string;
        pacticipantVersionNumber: string;
        branch: string | null;
        tags: string[] | null;
        buildUrl: string | null;
        contracts: Array<Record<string, unknown>>;
      }>(request);
      const errors: Record<string, string[]> = {};
      const refuse = (field: string, message: string | undefined) => {
        if (message) (errors[field] ??= []).push(message);
      };
      refuse('pacticipantName', nameError(body.pacticipantName, 'pacticipantName'));
      refuse(
        'pacticipantVersionNumber',
        nameError(body.pacticipantVersionNumber, 'pacticipantVersionNumber'),
      );
      if (body.branch != null) refuse('branch', nameError(body.branch, 'branch'));
      body.tags?.forEach((tag, i) => {
        refuse('tags', nameError(tag, `tags[${i}]`));
      });
      const rawContracts = body.contracts ?? [];
      rawContracts.forEach((c, i) => {
        const at = `contracts[${i}]`;
        if (c.consumerName !== body.pacticipantName)
          refuse('contracts', `${at}.consumerName must be the pacticipantName`);
        refuse('contracts', nameError(c.providerName, `${at}.providerName`));
      });
      const refuseIfAny = () => {
        if (Object.keys(errors).length > 0)
          throw new HttpProblem(400, 'Validation errors', Object.values(errors).flat().join('; '), errors);
      };
      refuseIfAny();
      const contracts = rawContracts.map((c, i) => {
        const at = `contracts[${i}]`;
        // pact content may hold NUL (it is stored as JSON text): only its depth is checked
        const read = readJsonText(Buffer.from(String(c.content ?? ''), 'base64').toString('utf8'));
        if (!read.ok)
          refuse(
            'contracts',
            read.reason === 'syntax'
              ? `${at}.content must be base64-encoded pact JSON`
              : `${at}.content ${read.message}`,
          );
        return {
          consumerName: c.consumerName as string,
          providerName: c.providerName as string,
          pact: read.ok ? read.value : undefined,
          onConflict: String(c.onConflict ?? 'overwrite'),
        };
      });
      refuseIfAny();
      const name = body.pacticipantName!;
      const number = body.pacticipantVersionNumber!;
      const tags = body.tags ?? [];
      const branch = body.branch ?? undefined;
      const published = await inTransaction(context, async (trx) => {
        const p = await ensurePacticipant(trx, name);
        const v = await ensureVersion(trx, p, number, body.buildUrl ?? undefined);
        if (branch) await ensureBranchVersion(trx, p, branch, v);
        for (const tag of tags) await ensureTag(trx, p, v, tag);
        const out = [];
        for (const c of contracts) {
          const pact = await publishPact(trx, c.consumerName, c.providerName, number, c.pact, {
            allowModification: context.options.allowContractModification ?? false,
            merge: c.onConflict === 'merge',
          });
          const webhooks = await triggerPactPublished(trx, pact, context.baseUrlOf(request));
          out.push({ ...pact, providerName: c.providerName, webhooks });
        }
        return out;
      });
      // bi-directional testing: each pact against its provider's relevant contracts
      await compareNewPacts((work) => inTransaction(context, work), published);
      const b = context.baseUrlOf(request);
      const version = publishedVersion(b, name, number, tags);
      reply.code(200).type(HAL);
      return {
        notices: [
          {
            type: 'success',
            text: `Created ${name} version ${number}${branch ? ` with branch ${branch}` : ''}${tags.length ? ` and tag${tags.length > 1 ? 's' : ''} ${tags.join(', ')}` : ''}`,
          },
          ...published.map((pp) => ({
            type: 'success',
            text: `Pact ${pp.created ? 'published' : pp.changed ? 'published (content changed from before)' : 'unchanged (same content as before)'} for ${name} version ${number} and provider ${pp.providerName}.`,
          })),
          ...published.map((pp) => ({
            type: 'info',
            text: `View the published pact at ${consumerVersionPactUrl(b, pp.providerName, name, number)}`,
          })),
          // the reference broker's webhook notices: what fired, and where each delivery's log is
          ...published.flatMap((pp) => [
            {
              type: 'debug',
              text: `Events detected: ${pp.webhooks.events.join(', ')}`,
            },
            ...(pp.webhooks.triggered.length === 0
              ? [{ type: 'debug', text: `No enabled webhooks found for the detected events` }]
              : pp.webhooks.triggered.map((t) => ({
                  type: 'info',
                  text: `Webhook ${t.webhookUuid} triggered for event ${t.eventName}. See logs at ${triggeredWebhookLogsHref(b, t.uuid)}`,
                }))),
          ]),
        ],
        logs: [
          {
            level: 'info',
            message: `Published ${published.length} pact${published.length === 1 ? '' : 's'} for ${name} version ${number}`,
            deprecationWarning: '',
          },
        ],
        _embedded: version._embedded,
        _links: {
          ...version.links,
          'pb:contracts': published.map((pp) => ({
            title: 'Pact',
            name: `Pact between ${name} (${number}) and ${pp.providerName}`,
            href: consumerVersionPactUrl(b, pp.providerName, name, number),
          })),
        },
      };
    },
  );

  app.get(
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results/latest',
    {
      schema:
        pactsSchemas.getPactsProviderByProviderConsumerByConsumerPactVersionByShaVerificationResultsLatest,
      config: { access: 'read' },
    },
    async (request, reply) => {
      const { provider, consumer, sha } = request.params;
      const [c, p] = await Promise.all([
        requirePacticipant(db(), consumer),
        requirePacticipant(db(), provider),
      ]);
      const row = await pactBySha(db(), c, p, sha);
      const v = row && (await latestVerificationFor(db(), row.pact_version_id));
      if (!v) throw new HttpProblem(404, 'Not found', `no verification results for pact version ${sha}`);
      reply.type(HAL);
      const { verificationJson } = await import('./verifications.js');
      return verificationJson(context.baseUrlOf(request), v);
    },
  );
};
