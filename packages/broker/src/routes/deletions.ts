import {
  deleteAllPacts,
  deleteBranchPacts,
  deleteIntegrationPacts,
  deletePactOfVersion,
  deleteVerification,
  deleteVersion,
} from '../db/deletions-repo.js';
import { findVersion } from '../db/pacticipants-repo.js';
import { requirePacticipant } from '../domain/pacticipants.js';
import { publishPact } from '../domain/pacts.js';
import { compareNewPacts } from '../domain/provider-contracts.js';
import { triggerPactPublished } from '../domain/webhook-triggers.js';
import { inTransaction, type RoutePlugin } from '../http/context.js';
import { HttpProblem } from '../http/problem.js';
import { pactJson } from './pacts.js';
import { deletionsSchemas as schemas } from './schemas/deletions.js';

const HAL = 'application/hal+json;charset=utf-8';

/**
 * Merging into a pact (PATCH) and the reference broker's deletions: a consumer version's pact, an
 * integration's pacts, a branch's pacts, a version, a verification result, every integration.
 */
export const deletionRoutes: RoutePlugin = async (app, { context }) => {
  const db = () => context.options.database.db;
  const PACT = '/pacts/provider/:provider/consumer/:consumer';
  const integration = (consumer: string, provider: string) =>
    Promise.all([requirePacticipant(db(), consumer), requirePacticipant(db(), provider)]);

  app.patch(
    `${PACT}/version/:version`,
    {
      schema: schemas.patchPactsProviderByProviderConsumerByConsumerVersionByVersion,
      config: { access: 'write' },
    },
    async (request, reply) => {
      const { provider, consumer, version } = request.params;
      const base = context.baseUrlOf(request);
      const published = await inTransaction(context, async (trx) => {
        const pact = await publishPact(trx, consumer, provider, version, request.body, { merge: true });
        await triggerPactPublished(trx, pact, base);
        return pact;
      });
      await compareNewPacts((work) => inTransaction(context, work), [published]);
      reply.code(published.created ? 201 : 200).type(HAL);
      return pactJson(base, consumer, provider, published.row, undefined, published.content);
    },
  );

  app.delete(
    `${PACT}/version/:version`,
    {
      schema: schemas.deletePactsProviderByProviderConsumerByConsumerVersionByVersion,
      config: { access: 'write' },
    },
    async (request, reply) => {
      const { provider, consumer, version } = request.params;
      const [c, p] = await integration(consumer, provider);
      const v = await findVersion(db(), c.id, version);
      const gone = v ? await inTransaction(context, (trx) => deletePactOfVersion(trx, v.id, p.id)) : 0;
      if (gone === 0)
        throw new HttpProblem(
          404,
          'Not found',
          `no pact between ${consumer} version ${version} and ${provider}`,
        );
      reply.code(204).send();
    },
  );

  const deleteIntegration = async (consumer: string, provider: string) => {
    const [c, p] = await integration(consumer, provider);
    const gone = await inTransaction(context, (trx) => deleteIntegrationPacts(trx, c.id, p.id));
    if (gone === 0) throw new HttpProblem(404, 'Not found', `no pact between ${consumer} and ${provider}`);
  };
  app.delete(
    `${PACT}/versions`,
    { schema: schemas.deletePactsProviderByProviderConsumerByConsumerVersions, config: { access: 'write' } },
    async (request, reply) => {
      await deleteIntegration(request.params.consumer, request.params.provider);
      reply.code(204).send();
    },
  );
  app.delete(
    '/integrations/provider/:provider/consumer/:consumer',
    { schema: schemas.deleteIntegrationsProviderByProviderConsumerByConsumer, config: { access: 'write' } },
    async (request, reply) => {
      await deleteIntegration(request.params.consumer, request.params.provider);
      reply.code(204).send();
    },
  );
  app.delete(
    '/integrations',
    { schema: schemas.deleteIntegrations, config: { access: 'write' } },
    async (_, reply) => {
      await inTransaction(context, (trx) => deleteAllPacts(trx));
      reply.code(204).send();
    },
  );

  // pact_broker#628: the branch's pacts really go (the reference answered and kept them)
  app.delete(
    `${PACT}/branch/:branch`,
    {
      schema: schemas.deletePactsProviderByProviderConsumerByConsumerBranchByBranch,
      config: { access: 'write' },
    },
    async (request, reply) => {
      const { provider, consumer, branch } = request.params;
      const [c, p] = await integration(consumer, provider);
      const gone = await inTransaction(context, (trx) => deleteBranchPacts(trx, c.id, p.id, branch));
      if (gone === 0)
        throw new HttpProblem(
          404,
          'Not found',
          `no deletable pact between ${consumer} branch '${branch}' and ${provider} (pacts of deployed or released versions are kept)`,
        );
      reply.code(204).send();
    },
  );

  app.delete(
    '/pacticipants/:pacticipant/versions/:version',
    { schema: schemas.deletePacticipantsByPacticipantVersionsByVersion, config: { access: 'write' } },
    async (request, reply) => {
      const p = await requirePacticipant(db(), request.params.pacticipant);
      const v = await findVersion(db(), p.id, request.params.version);
      if (!v) throw new HttpProblem(404, 'Not found', `no version ${request.params.version} of '${p.name}'`);
      await inTransaction(context, (trx) => deleteVersion(trx, v.id));
      reply.code(204).send();
    },
  );

  app.delete(
    `${PACT}/pact-version/:sha/verification-results/:id`,
    {
      schema: schemas.deletePactsProviderByProviderConsumerByConsumerPactVersionByShaVerificationResultsById,
      config: { access: 'write' },
    },
    async (request, reply) => {
      const id = Number(request.params.id);
      const gone =
        Number.isInteger(id) &&
        (await inTransaction(context, (trx) => deleteVerification(trx, id, request.params.sha)));
      if (!gone) throw new HttpProblem(404, 'Not found', `no verification result ${request.params.id}`);
      reply.code(204).send();
    },
  );
};
