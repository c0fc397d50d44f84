import { deletableBranchVersions, deleteVersions } from '../db/deletions-repo.js';
import { integrationPairs } from '../db/network-repo.js';
import { deleteBranch, findBranch, listBranches } from '../db/pacticipants-repo.js';
import { latestPerIntegration, pactBySha, publicationsOf } from '../db/pacts-repo.js';
import { integrationsDot } from '../domain/network.js';
import { requirePacticipant } from '../domain/pacticipants.js';
import { inTransaction, type RoutePlugin } from '../http/context.js';
import { consumerVersionPactUrl, curies, enc, pacticipantUrl, pactVersionUrl } from '../http/hal.js';
import { pagedList, pageRequest } from '../http/paging.js';
import { HttpProblem } from '../http/problem.js';
import { integrationsSchemas } from './schemas/integrations.js';

const HAL = 'application/hal+json;charset=utf-8';

/** What a diff between two pact versions reports, interaction by interaction (by description and states). */
function diffInteractions(before: unknown[], after: unknown[]) {
  const key = (i: unknown) => {
    const x = i as { description?: string; providerState?: string; providerStates?: unknown };
    return JSON.stringify([x.description, x.providerStates ?? x.providerState ?? null]);
  };
  const strip = (i: unknown) => {
    const { _id, ...rest } = i as Record<string, unknown>;
    return JSON.stringify(rest);
  };
  const old = new Map(before.map((i) => [key(i), i]));
  const now = new Map(after.map((i) => [key(i), i]));
  const added = [...now.keys()].filter((k) => !old.has(k)).map((k) => now.get(k));
  const removed = [...old.keys()].filter((k) => !now.has(k)).map((k) => old.get(k));
  const changed = [...now.keys()]
    .filter((k) => old.has(k) && strip(old.get(k)) !== strip(now.get(k)))
    .map((k) => ({ before: old.get(k), after: now.get(k) }));
  return { added, removed, changed };
}

/** Latest pacts overall, integrations, pact versions and diffs, and branches. */
export const integrationRoutes: RoutePlugin = async (app, { context }) => {
  const db = () => context.options.database.db;
  app.get(
    '/pacts/latest',
    { schema: integrationsSchemas.getPactsLatest, config: { access: 'read' } },
    async (request, reply) => {
      const b = context.baseUrlOf(request);
      const rows = await latestPerIntegration(db());
      reply.type(HAL);
      return {
        pacts: rows.map((r) => ({
          createdAt: r.created_at,
          _embedded: {
            consumer: {
              name: r.consumer,
              _links: { self: { href: pacticipantUrl(b, r.consumer) } },
              _embedded: { version: { number: r.version } },
            },
            provider: { name: r.provider, _links: { self: { href: pacticipantUrl(b, r.provider) } } },
          },
          _links: {
            self: [
              {
                href: `${b}/pacts/provider/${enc(r.provider)}/consumer/${enc(r.consumer)}/latest`,
                title: 'Latest pact',
              },
              { href: consumerVersionPactUrl(b, r.provider, r.consumer, r.version), title: 'Pact' },
            ],
          },
        })),
        _links: { self: { href: `${b}/pacts/latest` } },
      };
    },
  );

  app.get(
    '/integrations',
    { schema: integrationsSchemas.getIntegrations, config: { access: 'read' } },
    async (request, reply) => {
      // the reference's Graphviz view of the same list, for those who ask for it
      if (String(request.headers.accept ?? '').includes('text/vnd.graphviz')) {
        reply.type('text/vnd.graphviz;charset=utf-8');
        return integrationsDot(await integrationPairs(db()));
      }
      const b = context.baseUrlOf(request);
      const rows = await latestPerIntegration(db());
      reply.type(HAL);
      return {
        _embedded: {
          integrations: rows.map((r) => ({
            consumer: { name: r.consumer, _links: { self: { href: pacticipantUrl(b, r.consumer) } } },
            provider: { name: r.provider, _links: { self: { href: pacticipantUrl(b, r.provider) } } },
            latestPactPublishedAt: r.created_at,
          })),
        },
        _links: { self: { href: `${b}/integrations` }, curies: curies(b) },
      };
    },
  );

  app.get(
    '/pacts/provider/:provider/consumer/:consumer/versions',
    {
      schema: integrationsSchemas.getPactsProviderByProviderConsumerByConsumerVersions,
      config: { access: 'read' },
    },
    async (request, reply) => {
      const b = context.baseUrlOf(request);
      const [c, p] = await Promise.all([
        requirePacticipant(db(), request.params.consumer),
        requirePacticipant(db(), request.params.provider),
      ]);
      const rows = await publicationsOf(db(), c.id, p.id);
      const seen = new Set<string>();
      const latest = rows.filter((r) => !seen.has(r.number) && seen.add(r.number));
      reply.type(HAL);
      return {
        _embedded: {
          pacts: latest.map((r) => ({
            createdAt: r.created_at,
            _embedded: { consumerVersion: { number: r.number } },
            _links: {
              self: {
                href: consumerVersionPactUrl(b, p.name, c.name, r.number),
                title: 'Pact',
                name: `Pact between ${c.name} (${r.number}) and ${p.name}`,
              },
              'pb:pact-version': { href: pactVersionUrl(b, p.name, c.name, r.sha) },
            },
          })),
        },
        _links: { self: { href: `${b}/pacts/provider/${enc(p.name)}/consumer/${enc(c.name)}/versions` } },
      };
    },
  );

  app.get(
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/diff/pact-version/:other',
    {
      schema:
        integrationsSchemas.getPactsProviderByProviderConsumerByConsumerPactVersionByShaDiffPactVersionByOther,
      config: { access: 'read' },
    },
    async (request, reply) => {
      const { provider, consumer, sha, other } = request.params;
      const [c, p] = await Promise.all([
        requirePacticipant(db(), consumer),
        requirePacticipant(db(), provider),
      ]);
      const [a, bRow] = await Promise.all([pactBySha(db(), c, p, other), pactBySha(db(), c, p, sha)]);
      if (!a || !bRow)
        throw new HttpProblem(
          404,
          'Not found',
          `pact version ${!a ? other : sha} between ${consumer} and ${provider} was not found`,
        );
      const list = (content: string) => {
        const json = JSON.parse(content) as { interactions?: unknown[]; messages?: unknown[] };
        return json.interactions ?? json.messages ?? [];
      };
      reply.type(HAL);
      return {
        ...diffInteractions(list(a.content), list(bRow.content)),
        _links: {
          self: {
            href: `${pactVersionUrl(context.baseUrlOf(request), provider, consumer, sha)}/diff/pact-version/${other}`,
          },
        },
      };
    },
  );

  app.get(
    '/pacticipants/:pacticipant/branches',
    { schema: integrationsSchemas.getPacticipantsByPacticipantBranches, config: { access: 'read' } },
    async (request, reply) => {
      const b = context.baseUrlOf(request);
      const p = await requirePacticipant(db(), request.params.pacticipant);
      const {
        items: rows,
        page,
        links,
      } = pagedList(
        pageRequest(request.query as Record<string, unknown>),
        await listBranches(db(), p.id),
        (r) => [r.name],
        `${pacticipantUrl(b, p.name)}/branches`,
      );
      reply.type(HAL);
      return {
        ...(page ? { page } : {}),
        _embedded: {
          branches: rows.map((r) => ({
            name: r.name,
            createdAt: r.created_at,
            _links: { self: { href: `${pacticipantUrl(b, p.name)}/branches/${enc(r.name)}` } },
          })),
        },
        _links: {
          self: { href: `${pacticipantUrl(b, p.name)}/branches` },
          ...links,
          'pb:pacticipant': { href: pacticipantUrl(b, p.name) },
        },
      };
    },
  );

  app.delete(
    '/pacticipants/:pacticipant/branches/:branch',
    {
      schema: integrationsSchemas.deletePacticipantsByPacticipantBranchesByBranch,
      config: { access: 'write' },
    },
    async (request, reply) => {
      const p = await requirePacticipant(db(), request.params.pacticipant);
      const branch = await findBranch(db(), p.id, request.params.branch);
      if (!branch)
        throw new HttpProblem(404, 'Not found', `'${p.name}' has no branch '${request.params.branch}'`);
      // the versions stay unless asked for (PRs #635/#711 of the reference), and even then a version
      // on another branch, or ever deployed or released, is kept
      await inTransaction(context, async (trx) => {
        const versions =
          request.query.deleteVersions === 'true' ? await deletableBranchVersions(trx, branch.id) : [];
        await deleteBranch(trx, branch.id);
        await deleteVersions(trx, versions);
      });
      reply.code(204).send();
    },
  );
};
