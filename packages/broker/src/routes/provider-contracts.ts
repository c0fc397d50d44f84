import { findVersion } from '../db/pacticipants-repo.js';
import { providerContractOfVersion } from '../db/provider-contracts-repo.js';
import { requirePacticipant } from '../domain/pacticipants.js';
import { type ProviderContractInput, publishProviderContract } from '../domain/provider-contracts.js';
import { bodyObject } from '../http/body.js';
import { inTransaction, type RoutePlugin } from '../http/context.js';
import { curies, enc, pacticipantUrl, publishedVersion, versionUrl } from '../http/hal.js';
import { HttpProblem } from '../http/problem.js';
import { providerContractsSchemas } from './schemas/provider-contracts.js';

const HAL = 'application/hal+json;charset=utf-8';

/** The URL of a provider version's contract (its API resource and its page). */
export const providerContractUrl = (b: string, provider: string, version: string) =>
  `${b}/provider-contracts/provider/${enc(provider)}/version/${enc(version)}`;

/** Provider contracts (bi-directional contract testing): publishing, as PactFlow's CLI does, and reading. */
export const providerContractRoutes: RoutePlugin = async (app, { context }) => {
  const db = () => context.options.database.db;

  app.post(
    '/provider-contracts/provider/:provider/publish',
    {
      schema: providerContractsSchemas.postProviderContractsProviderByProviderPublish,
      config: { access: 'write' },
    },
    async (request, reply) => {
      const provider = request.params.provider;
      const input = bodyObject<ProviderContractInput>(request, 'pacticipantVersionNumber and contract');
      const published = await inTransaction(context, (trx) => publishProviderContract(trx, provider, input));
      const b = context.baseUrlOf(request);
      const number = published.version.number;
      const name = published.contract.provider_name;
      const { branch, tags } = published;
      const contractUrl = providerContractUrl(b, name, number);
      const version = publishedVersion(b, name, number, tags, branch);
      reply.code(200).type(HAL);
      return {
        notices: [
          {
            type: 'success',
            text: `${published.created ? 'Created' : 'Updated'} ${name} version ${number}${branch ? ` with branch ${branch}` : ''}${tags.length ? ` and tag${tags.length > 1 ? 's' : ''} ${tags.join(', ')}` : ''}`,
          },
          {
            type: 'success',
            text: `Provider contract (${published.contract.specification === 'oas' ? 'OpenAPI' : 'AsyncAPI'}) published for ${name} version ${number}, self-verification ${published.contract.self_verified === 1 ? 'passed' : 'not passed'}.`,
          },
          {
            type: published.incompatible > 0 ? 'warning' : 'info',
            text:
              published.compared === 0
                ? 'No consumer pacts to compare with yet: each will be compared as it is published.'
                : `Compared with ${published.compared} consumer pact${published.compared === 1 ? '' : 's'}: ${published.incompatible === 0 ? 'all compatible' : `${published.incompatible} incompatible`}.`,
          },
          { type: 'info', text: `View the provider contract at ${contractUrl}` },
        ],
        _embedded: version._embedded,
        _links: {
          ...version.links,
          'pf:provider-contract': {
            href: contractUrl,
            name: `${name} ${number}`,
            title: 'Provider contract',
          },
          curies: curies(b),
        },
      };
    },
  );

  app.get(
    '/provider-contracts/provider/:provider/version/:version',
    {
      schema: providerContractsSchemas.getProviderContractsProviderByProviderVersionByVersion,
      config: { access: 'read' },
    },
    async (request, reply) => {
      const provider = await requirePacticipant(db(), request.params.provider);
      const version = await findVersion(db(), provider.id, request.params.version);
      const contract = version ? await providerContractOfVersion(db(), version.id) : undefined;
      if (!contract)
        throw new HttpProblem(
          404,
          'Not found',
          `${provider.name} version ${request.params.version} has published no provider contract`,
        );
      const b = context.baseUrlOf(request);
      reply.type(HAL);
      return {
        providerName: contract.provider_name,
        providerVersionNumber: contract.provider_version,
        specification: contract.specification,
        contentType: contract.content_type,
        content: contract.content,
        ...(contract.self_verification
          ? { selfVerificationResults: JSON.parse(contract.self_verification) }
          : {}),
        createdAt: contract.created_at,
        _links: {
          self: { href: providerContractUrl(b, contract.provider_name, contract.provider_version) },
          'pb:pacticipant': { href: pacticipantUrl(b, contract.provider_name), name: contract.provider_name },
          'pb:pacticipant-version': {
            href: versionUrl(b, contract.provider_name, contract.provider_version),
            name: contract.provider_version,
          },
          curies: curies(b),
        },
      };
    },
  );
};
