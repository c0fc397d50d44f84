import { versionsOnBranch, versionsPage } from '../db/deletions-repo.js';
import { listEnvironments } from '../db/environments-repo.js';
import {
  branchesOf,
  deletePacticipant,
  deleteTags,
  findBranch,
  findPacticipant,
  findVersion,
  hasTag,
  isOnBranch,
  labelNames,
  latestVersion,
  latestVersionNumbers,
  listPacticipants,
  now,
  type PacticipantFields,
  tagsOf,
  updatePacticipant,
} from '../db/pacticipants-repo.js';
import {
  ensureBranchVersion,
  ensurePacticipant,
  ensureTag,
  ensureVersion,
  findOrCreateVersion,
  requirePacticipant,
} from '../domain/pacticipants.js';
import { validBody } from '../http/body.js';
import { inTransaction, type RoutePlugin } from '../http/context.js';
import { curies, enc, pacticipantUrl, versionUrl } from '../http/hal.js';
import { matchesQuery, pageLinks, pageOffset, pageRequest } from '../http/paging.js';
import { HttpProblem } from '../http/problem.js';
import { coreSchemas } from './schemas/core.js';
import { deletionsSchemas } from './schemas/deletions.js';

const HAL = 'application/hal+json;charset=utf-8';

type Params = Record<string, string>;

const versionLink = (b: string, pacticipant: string, number: string) => ({
  number,
  _links: { self: { href: versionUrl(b, pacticipant, number) } },
});

/** The index, pacticipants, versions, branches and tags. */
export const coreRoutes: RoutePlugin = async (app, { context }) => {
  const db = () => context.options.database.db;

  app.get('/', { schema: coreSchemas.getIndex, config: { access: 'read' } }, async (request, reply) => {
    const b = context.baseUrlOf(request);
    reply.type(HAL);
    const rel = (href: string, title: string, templated = false) => ({
      href: `${b}${href}`,
      title,
      ...(templated ? { templated: true } : {}),
    });
    return {
      _links: {
        self: rel('/', 'Index'),
        'pb:publish-pact': rel(
          '/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}',
          'Publish a pact',
          true,
        ),
        'pb:publish-contracts': rel('/contracts/publish', 'Publish contracts'),
        'pf:publish-provider-contract': rel(
          '/provider-contracts/provider/{provider}/publish',
          'Publish a provider contract (OpenAPI or AsyncAPI) for bi-directional contract testing',
          true,
        ),
        'pb:latest-pact-versions': rel('/pacts/latest', 'Latest pact versions'),
        'pb:pacticipants': rel('/pacticipants', 'Pacticipants'),
        'pb:pacticipant': rel('/pacticipants/{pacticipant}', 'Fetch pacticipant by name', true),
        'pb:latest-provider-pacts': rel(
          '/pacts/provider/{provider}/latest',
          'Latest pacts by provider',
          true,
        ),
        'pb:latest-provider-pacts-with-tag': rel(
          '/pacts/provider/{provider}/latest/{tag}',
          'Latest pacts for provider with the specified tag',
          true,
        ),
        'pb:provider-pacts': rel('/pacts/provider/{provider}', 'All pact versions for the provider', true),
        'pb:provider-pacts-with-tag': rel(
          '/pacts/provider/{provider}/tag/{tag}',
          'All pact versions for the provider with the specified consumer version tag',
          true,
        ),
        'pb:provider-pacts-with-main-branch': rel(
          '/pacts/provider/{provider}/branch',
          "All pact versions for the provider from each consumer's main branch",
          true,
        ),
        'pb:provider-pacts-with-branch': rel(
          '/pacts/provider/{provider}/branch/{branch}',
          'All pact versions for the provider from the specified consumer branch',
          true,
        ),
        'pb:latest-provider-pacts-with-main-branch': rel(
          '/pacts/provider/{provider}/branch/latest',
          "Latest pacts for the provider from each consumer's main branch",
          true,
        ),
        'pb:latest-provider-pacts-with-branch': rel(
          '/pacts/provider/{provider}/branch/{branch}/latest',
          'Latest pacts for the provider from the specified consumer branch',
          true,
        ),
        'pb:tagged-pact-versions': rel(
          '/pacts/provider/{provider}/consumer/{consumer}/tag/{tag}',
          'All versions of a pact for a given consumer, provider and consumer version tag',
          true,
        ),
        'pb:branch-pact-versions': rel(
          '/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}',
          'All versions of a pact for a given consumer, provider and consumer version branch',
          true,
        ),
        'pb:latest-branch-pact-versions': rel(
          '/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}/latest/versions',
          'Latest version of a pact for a given consumer, provider and consumer version branch',
          true,
        ),
        'pb:main-branch-pact-versions': rel(
          '/pacts/provider/{provider}/consumer/{consumer}/branch/versions',
          "All versions of a pact for a given consumer, provider and the consumer's main branch",
          true,
        ),
        'pb:latest-main-branch-pact-versions': rel(
          '/pacts/provider/{provider}/consumer/{consumer}/branch/latest/versions',
          "Latest version of a pact for a given consumer, provider and the consumer's main branch",
          true,
        ),
        'pb:latest-version': rel(
          '/pacticipants/{pacticipant}/latest-version',
          'Latest pacticipant version',
          true,
        ),
        'pb:latest-tagged-version': rel(
          '/pacticipants/{pacticipant}/latest-version/{tag}',
          'Latest pacticipant version with the specified tag',
          true,
        ),
        'pb:pacticipant-version': rel(
          '/pacticipants/{pacticipant}/versions/{version}',
          'Get, create or delete a pacticipant version',
          true,
        ),
        'pb:pacticipant-version-tag': rel(
          '/pacticipants/{pacticipant}/versions/{version}/tags/{tag}',
          'Get, create or delete a tag for a pacticipant version',
          true,
        ),
        'pb:pacticipant-branch': rel(
          '/pacticipants/{pacticipant}/branches/{branch}',
          'Get or delete a pacticipant branch',
          true,
        ),
        'pb:pacticipant-branch-version': rel(
          '/pacticipants/{pacticipant}/branches/{branch}/versions/{version}',
          'Get or add/create a pacticipant version for a branch',
          true,
        ),
        'pb:provider-pacts-for-verification': rel(
          '/pacts/provider/{provider}/for-verification',
          'Pact versions to be verified for the specified provider',
          true,
        ),
        'beta:provider-pacts-for-verification': rel(
          '/pacts/provider/{provider}/for-verification',
          'DEPRECATED - please use pb:provider-pacts-for-verification',
          true,
        ),
        'pb:environments': rel('/environments', 'Environments'),
        'pb:environment': rel('/environments/{uuid}', 'Environment', true),
        'pb:can-i-deploy-pacticipant-version-to-environment': rel(
          '/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}',
          'Determine if a pacticipant version can be deployed to an environment',
          true,
        ),
        'pb:can-i-deploy-pacticipant-version-to-tag': rel(
          '/can-i-deploy?pacticipant={pacticipant}&version={version}&to={tag}',
          'Determine if a pacticipant version can be deployed to the latest version with a tag',
          true,
        ),
        'pb:webhooks': rel('/webhooks', 'Webhooks'),
        'pb:webhook': rel('/webhooks/{uuid}', 'Webhook', true),
        'pb:execute-webhook': rel('/webhooks/execute', 'Run an unsaved webhook once, as a test'),
        'pb:integrations': rel('/integrations', 'Integrations'),
        'pb:metrics': rel('/metrics', 'Get Pact Broker metrics'),
        curies: curies(b),
      },
    };
  });

  const pacticipantJson = async (b: string, name: string, from = db()) => {
    const p = await requirePacticipant(from, name);
    const labels = await labelNames(from, p.id);
    const latest = await latestVersion(from, p.id);
    const base = pacticipantUrl(b, p.name);
    return {
      name: p.name,
      displayName: p.display_name ?? p.name,
      ...(p.repository_url ? { repositoryUrl: p.repository_url } : {}),
      ...(p.main_branch ? { mainBranch: p.main_branch } : {}),
      createdAt: p.created_at,
      updatedAt: p.updated_at,
      _embedded: {
        labels: labels.map((label) => ({
          name: label,
          _links: { self: { href: `${base}/labels/${enc(label)}` } },
        })),
        // 'latest-version' is the reference broker's deprecated name, still read by its clients
        ...(latest
          ? {
              latestVersion: versionLink(b, p.name, latest.number),
              'latest-version': versionLink(b, p.name, latest.number),
            }
          : {}),
      },
      _links: {
        self: { href: base },
        'pb:versions': { href: `${base}/versions` },
        'pb:version': { href: `${base}/versions/{version}`, templated: true },
        'pb:version-tag': { href: `${base}/versions/{version}/tags/{tag}`, templated: true },
        'pb:branch-version': { href: `${base}/branches/{branch}/versions/{version}`, templated: true },
        'pb:latest-version': { href: `${base}/latest-version` },
        'pb:label': { href: `${base}/labels/{label}`, templated: true },
        'pb:can-i-deploy-badge': {
          title: `Can I Deploy ${p.name} badge`,
          href: `${base}/latest-version/{tag}/can-i-deploy/to/{environment}/badge`,
          templated: true,
        },
        'pb:can-i-deploy-branch-to-environment-badge': {
          title: `Can I Deploy ${p.name} from branch to environment badge`,
          href: `${base}/branches/{branch}/latest-version/can-i-deploy/to-environment/{environment}/badge`,
          templated: true,
        },
        versions: { href: `${base}/versions` },
        curies: curies(b),
      },
    };
  };

  app.get(
    '/pacticipants',
    { schema: coreSchemas.getPacticipants, config: { access: 'read' } },
    async (request, reply) => {
      const b = context.baseUrlOf(request);
      const asked = pageRequest(request.query as Record<string, unknown>);
      const matching = (await listPacticipants(db())).filter(
        (p) => matchesQuery(p.name, asked.q) || matchesQuery(p.display_name ?? '', asked.q),
      );
      // unpaged unless asked, as the reference answers
      const paging = asked.asked ? pageLinks(asked, matching.length, `${b}/pacticipants`) : undefined;
      const rows = asked.asked ? matching.slice(pageOffset(asked), pageOffset(asked) + asked.size) : matching;
      const latestOf = await latestVersionNumbers(db());
      // the reference's fields: the official CLI's table reads displayName from every item
      const fields = (p: (typeof rows)[number]) => ({
        name: p.name,
        displayName: p.display_name ?? p.name,
        ...(p.repository_url ? { repositoryUrl: p.repository_url } : {}),
        ...(p.main_branch ? { mainBranch: p.main_branch } : {}),
        createdAt: p.created_at,
        updatedAt: p.updated_at,
      });
      reply.type(HAL);
      return {
        // the reference broker's older top-level list, which its clients still read
        pacticipants: rows.map((p) => {
          const number = latestOf.get(p.id);
          return {
            ...fields(p),
            _links: { self: { href: pacticipantUrl(b, p.name) } },
            ...(number ? { _embedded: { 'latest-version': versionLink(b, p.name, number) } } : {}),
          };
        }),
        _embedded: {
          pacticipants: rows.map((p) => ({
            ...fields(p),
            _links: { self: { href: pacticipantUrl(b, p.name) } },
          })),
        },
        ...(paging ? { page: paging.page } : {}),
        _links: {
          self: { href: `${b}/pacticipants` },
          ...paging?.links,
          'pb:pacticipants': rows.map((p) => ({
            href: pacticipantUrl(b, p.name),
            title: p.display_name ?? p.name,
            name: p.name,
          })),
          pacticipants: rows.map((p) => ({
            href: pacticipantUrl(b, p.name),
            title: p.display_name ?? p.name,
            name: p.name,
          })),
        },
      };
    },
  );

  app.get(
    '/pacticipants/:pacticipant',
    { schema: coreSchemas.getPacticipantsByPacticipant, config: { access: 'read' } },
    async (request, reply) => {
      reply.type(HAL);
      return pacticipantJson(context.baseUrlOf(request), request.params.pacticipant);
    },
  );

  const PACTICIPANT_FIELDS = [
    ['displayName', 'display_name'],
    ['repositoryUrl', 'repository_url'],
    ['mainBranch', 'main_branch'],
  ] as const;

  // handlers shared by two routes (PUT and PATCH, or a tagged and an untagged path) say which
  // parameters they take
  type PacticipantParams = { pacticipant: string };
  type VersionParams = { pacticipant: string; version: string };
  type LatestVersionParams = { pacticipant: string; tag?: string };

  const upsertPacticipant =
    (merge: boolean) =>
    async (
      request: import('fastify').FastifyRequest<{ Params: PacticipantParams }>,
      reply: import('fastify').FastifyReply,
    ) => {
      const name = request.params.pacticipant;
      const body = validBody<Record<string, string | null>>(request);
      const { existed, answer } = await inTransaction(context, async (trx) => {
        const before = await findPacticipant(trx, name);
        const p = await ensurePacticipant(trx, name);
        const str = (key: string) =>
          typeof body[key] === 'string' ? (body[key] as string) : merge ? undefined : null;
        const update: PacticipantFields = { updated_at: now() };
        for (const [key, column] of PACTICIPANT_FIELDS) {
          const value = str(key);
          if (value !== undefined) update[column] = value;
        }
        await updatePacticipant(trx, p.id, update);
        // read in the write's transaction: a DELETE committed in between made the answer a 404
        const answer = await pacticipantJson(context.baseUrlOf(request), name, trx);
        return { existed: before !== undefined, answer };
      });
      reply.code(existed ? 200 : 201).type(HAL);
      return answer;
    };
  app.put<{ Params: PacticipantParams }>(
    '/pacticipants/:pacticipant',
    { schema: coreSchemas.putPacticipantsByPacticipant, config: { access: 'write' } },
    upsertPacticipant(false),
  );
  app.patch<{ Params: PacticipantParams }>(
    '/pacticipants/:pacticipant',
    { schema: coreSchemas.patchPacticipantsByPacticipant, config: { access: 'write' } },
    upsertPacticipant(true),
  );
  app.post(
    '/pacticipants',
    { schema: coreSchemas.postPacticipants, config: { access: 'write' } },
    async (request, reply) => {
      (request.params as Params).pacticipant = validBody<{ name: string }>(request).name!;
      return upsertPacticipant(true)(request as never, reply);
    },
  );
  app.delete(
    '/pacticipants/:pacticipant',
    { schema: coreSchemas.deletePacticipantsByPacticipant, config: { access: 'write' } },
    async (request, reply) => {
      const p = await requirePacticipant(db(), request.params.pacticipant);
      await inTransaction(context, (trx) => deletePacticipant(trx, p));
      reply.code(204).send();
    },
  );

  const versionJson = async (b: string, pacticipant: string, number: string, from = db()) => {
    const p = await requirePacticipant(from, pacticipant);
    const v = await findVersion(from, p.id, number);
    if (!v) throw new HttpProblem(404, 'Not found', `no version ${number} of '${pacticipant}'`);
    const [branches, tags] = await Promise.all([branchesOf(from, [v.id]), tagsOf(from, [v.id])]);
    const self = versionUrl(b, p.name, v.number);
    const environments = await listEnvironments(from);
    return {
      number: v.number,
      ...(v.build_url ? { buildUrl: v.build_url } : {}),
      createdAt: v.created_at,
      _embedded: {
        branchVersions: (branches.get(v.id) ?? []).map((name) => ({
          name,
          _links: {
            self: { href: `${pacticipantUrl(b, p.name)}/branches/${enc(name)}/versions/${enc(v.number)}` },
          },
        })),
        tags: (tags.get(v.id) ?? []).map((name) => ({
          name,
          _links: { self: { href: `${self}/tags/${enc(name)}` } },
        })),
      },
      _links: {
        self: { href: self, title: 'Version', name: v.number },
        'pb:pacticipant': { href: pacticipantUrl(b, p.name), title: 'Pacticipant', name: p.name },
        'pb:tag': { href: `${self}/tags/{tag}`, templated: true },
        // the reference's summary of every pact of the version, as its version resource links it
        'pb:latest-verification-results-where-pacticipant-is-consumer': {
          title: 'Latest verification results for consumer version',
          href: `${b}/verification-results/consumer/${enc(p.name)}/version/${enc(v.number)}/latest`,
        },
        'pb:record-deployment': environments.map((e) => ({
          title: `Record deployment to ${e.name}`,
          name: e.name,
          href: `${self}/deployed-versions/environment/${e.uuid}`,
        })),
        'pb:record-release': environments.map((e) => ({
          title: `Record release to ${e.name}`,
          name: e.name,
          href: `${self}/released-versions/environment/${e.uuid}`,
        })),
        curies: curies(b),
      },
    };
  };

  app.get(
    '/pacticipants/:pacticipant/versions/:version',
    { schema: coreSchemas.getPacticipantsByPacticipantVersionsByVersion, config: { access: 'read' } },
    async (request, reply) => {
      reply.type(HAL);
      return versionJson(context.baseUrlOf(request), request.params.pacticipant, request.params.version);
    },
  );

  app.get(
    '/pacticipants/:pacticipant/versions',
    { schema: coreSchemas.getPacticipantsByPacticipantVersions, config: { access: 'read' } },
    async (request, reply) => {
      const b = context.baseUrlOf(request);
      const p = await requirePacticipant(db(), request.params.pacticipant);
      const asked = pageRequest(request.query as Record<string, unknown>);
      const { rows, total } = await versionsPage(db(), p.id, {
        offset: pageOffset(asked),
        limit: asked.size,
        q: asked.q,
      });
      const paging = pageLinks(asked, total, `${pacticipantUrl(b, p.name)}/versions`);
      reply.type(HAL);
      return {
        _embedded: {
          versions: rows.map((v) => ({
            number: v.number,
            createdAt: v.created_at,
            _links: { self: { href: versionUrl(b, p.name, v.number) } },
          })),
        },
        page: paging.page,
        _links: {
          self: { href: `${pacticipantUrl(b, p.name)}/versions` },
          ...paging.links,
          'pb:pacticipant': { href: pacticipantUrl(b, p.name) },
        },
      };
    },
  );

  const putVersion =
    (merge: boolean) =>
    async (
      request: import('fastify').FastifyRequest<{ Params: VersionParams }>,
      reply: import('fastify').FastifyReply,
    ) => {
      const { pacticipant, version } = request.params;
      const body = validBody<{ buildUrl: string | null; tags: Array<string | { name: string }> | null }>(
        request,
      );
      const tagName = (t: string | { name: string }) => (typeof t === 'string' ? t : t.name);
      const { created, answer } = await inTransaction(context, async (trx) => {
        const p = await ensurePacticipant(trx, pacticipant);
        // the insert says whether it created the version: a read before it could see a version
        // that a clean then deletes, and answer 200 for the one this call created
        const { version: v, created } = await findOrCreateVersion(
          trx,
          p,
          version,
          body.buildUrl ?? undefined,
        );
        if (Array.isArray(body.tags)) {
          if (!merge) await deleteTags(trx, v.id);
          for (const t of body.tags) {
            await ensureTag(trx, p, v, tagName(t));
          }
        }
        // read in the write's transaction: a DELETE committed in between made the answer a 404
        return { created, answer: await versionJson(context.baseUrlOf(request), pacticipant, version, trx) };
      });
      reply.code(created ? 201 : 200).type(HAL);
      return answer;
    };
  app.put<{ Params: VersionParams }>(
    '/pacticipants/:pacticipant/versions/:version',
    { schema: coreSchemas.putPacticipantsByPacticipantVersionsByVersion, config: { access: 'write' } },
    putVersion(false),
  );
  app.patch<{ Params: VersionParams }>(
    '/pacticipants/:pacticipant/versions/:version',
    { schema: coreSchemas.patchPacticipantsByPacticipantVersionsByVersion, config: { access: 'write' } },
    putVersion(true),
  );

  const serveLatestVersion = async (
    request: import('fastify').FastifyRequest<{ Params: LatestVersionParams }>,
    reply: import('fastify').FastifyReply,
  ) => {
    const p = await requirePacticipant(db(), request.params.pacticipant);
    const tag = request.params.tag;
    const v = await latestVersion(db(), p.id, tag);
    if (!v)
      throw new HttpProblem(404, 'Not found', `'${p.name}' has no version${tag ? ` tagged '${tag}'` : ''}`);
    reply.type(HAL);
    return versionJson(context.baseUrlOf(request), p.name, v.number);
  };
  app.get<{ Params: LatestVersionParams }>(
    '/pacticipants/:pacticipant/latest-version',
    { schema: coreSchemas.getPacticipantsByPacticipantLatestVersion, config: { access: 'read' } },
    serveLatestVersion,
  );
  app.get<{ Params: LatestVersionParams }>(
    '/pacticipants/:pacticipant/latest-version/:tag',
    { schema: coreSchemas.getPacticipantsByPacticipantLatestVersionByTag, config: { access: 'read' } },
    serveLatestVersion,
  );

  const branchVersionJson = (b: string, pacticipant: string, branch: string, version: string) => ({
    name: branch,
    _links: {
      self: {
        href: `${pacticipantUrl(b, pacticipant)}/branches/${enc(branch)}/versions/${enc(version)}`,
      },
      'pb:version': { href: versionUrl(b, pacticipant, version) },
      'pb:branch': { href: `${pacticipantUrl(b, pacticipant)}/branches/${enc(branch)}` },
    },
  });
  app.put(
    '/pacticipants/:pacticipant/branches/:branch/versions/:version',
    {
      schema: coreSchemas.putPacticipantsByPacticipantBranchesByBranchVersionsByVersion,
      config: { access: 'write' },
    },
    async (request, reply) => {
      const { pacticipant, branch, version } = request.params;
      await inTransaction(context, async (trx) => {
        const p = await ensurePacticipant(trx, pacticipant);
        const v = await ensureVersion(trx, p, version);
        await ensureBranchVersion(trx, p, branch, v);
      });
      reply.code(200).type(HAL);
      return branchVersionJson(context.baseUrlOf(request), pacticipant, branch, version);
    },
  );

  app.get(
    '/pacticipants/:pacticipant/branches/:branch/versions/:version',
    {
      schema: coreSchemas.getPacticipantsByPacticipantBranchesByBranchVersionsByVersion,
      config: { access: 'read' },
    },
    async (request, reply) => {
      const { pacticipant, branch, version } = request.params;
      const p = await requirePacticipant(db(), pacticipant);
      if (!(await isOnBranch(db(), p.id, branch, version)))
        throw new HttpProblem(
          404,
          'Not found',
          `'${p.name}' has no version '${version}' on branch '${branch}'`,
        );
      reply.type(HAL);
      return branchVersionJson(context.baseUrlOf(request), p.name, branch, version);
    },
  );

  app.get(
    '/pacticipants/:pacticipant/branches/:branch',
    { schema: coreSchemas.getPacticipantsByPacticipantBranchesByBranch, config: { access: 'read' } },
    async (request, reply) => {
      const p = await requirePacticipant(db(), request.params.pacticipant);
      const branch = await findBranch(db(), p.id, request.params.branch);
      if (!branch)
        throw new HttpProblem(404, 'Not found', `'${p.name}' has no branch '${request.params.branch}'`);
      const b = context.baseUrlOf(request);
      reply.type(HAL);
      return {
        name: branch.name,
        createdAt: branch.created_at,
        _links: {
          self: { href: `${pacticipantUrl(b, p.name)}/branches/${enc(branch.name)}` },
          'pb:pacticipant': { href: pacticipantUrl(b, p.name) },
        },
      };
    },
  );

  /** A pacticipant's branch, or a 404 naming what is missing. */
  const requireBranch = async (pacticipant: string, name: string) => {
    const p = await requirePacticipant(db(), pacticipant);
    const branch = await findBranch(db(), p.id, name);
    if (!branch) throw new HttpProblem(404, 'Not found', `'${p.name}' has no branch '${name}'`);
    return { p, branch };
  };
  app.get(
    '/pacticipants/:pacticipant/branches/:branch/versions',
    {
      schema: deletionsSchemas.getPacticipantsByPacticipantBranchesByBranchVersions,
      config: { access: 'read' },
    },
    async (request, reply) => {
      const { p, branch } = await requireBranch(request.params.pacticipant, request.params.branch);
      const rows = await versionsOnBranch(db(), branch.id, 100);
      const b = context.baseUrlOf(request);
      reply.type(HAL);
      return {
        _embedded: {
          versions: rows.map((v) => ({
            number: v.number,
            createdAt: v.created_at,
            _links: { self: { href: versionUrl(b, p.name, v.number) } },
          })),
        },
        _links: {
          self: { href: `${pacticipantUrl(b, p.name)}/branches/${enc(branch.name)}/versions` },
          'pb:pacticipant': { href: pacticipantUrl(b, p.name) },
        },
      };
    },
  );
  app.get(
    '/pacticipants/:pacticipant/branches/:branch/latest-version',
    {
      schema: deletionsSchemas.getPacticipantsByPacticipantBranchesByBranchLatestVersion,
      config: { access: 'read' },
    },
    async (request, reply) => {
      const { p, branch } = await requireBranch(request.params.pacticipant, request.params.branch);
      const [newest] = await versionsOnBranch(db(), branch.id, 1);
      if (!newest)
        throw new HttpProblem(404, 'Not found', `'${p.name}' has no version on branch '${branch.name}'`);
      reply.type(HAL);
      return versionJson(context.baseUrlOf(request), p.name, newest.number);
    },
  );

  const tagJson = (b: string, pacticipant: string, version: string, tag: string) => ({
    name: tag,
    _links: {
      self: { href: `${versionUrl(b, pacticipant, version)}/tags/${enc(tag)}` },
      'pb:version': { href: versionUrl(b, pacticipant, version) },
      'pb:pacticipant': { href: pacticipantUrl(b, pacticipant) },
    },
  });

  app.put(
    '/pacticipants/:pacticipant/versions/:version/tags/:tag',
    {
      schema: coreSchemas.putPacticipantsByPacticipantVersionsByVersionTagsByTag,
      config: { access: 'write' },
    },
    async (request, reply) => {
      const { pacticipant, version, tag } = request.params;
      const created = await inTransaction(context, async (trx) => {
        const p = await ensurePacticipant(trx, pacticipant);
        const v = await ensureVersion(trx, p, version);
        const before = await hasTag(trx, v.id, tag);
        await ensureTag(trx, p, v, tag);
        return !before;
      });
      reply.code(created ? 201 : 200).type(HAL);
      return tagJson(context.baseUrlOf(request), pacticipant, version, tag);
    },
  );

  app.get(
    '/pacticipants/:pacticipant/versions/:version/tags/:tag',
    {
      schema: coreSchemas.getPacticipantsByPacticipantVersionsByVersionTagsByTag,
      config: { access: 'read' },
    },
    async (request, reply) => {
      const { pacticipant, version, tag } = request.params;
      const p = await requirePacticipant(db(), pacticipant);
      const v = await findVersion(db(), p.id, version);
      if (!v || !(await hasTag(db(), v.id, tag)))
        throw new HttpProblem(404, 'Not found', `version ${version} of '${pacticipant}' has no tag '${tag}'`);
      reply.type(HAL);
      return tagJson(context.baseUrlOf(request), pacticipant, version, tag);
    },
  );

  app.delete(
    '/pacticipants/:pacticipant/versions/:version/tags/:tag',
    {
      schema: coreSchemas.deletePacticipantsByPacticipantVersionsByVersionTagsByTag,
      config: { access: 'write' },
    },
    async (request, reply) => {
      const { pacticipant, version, tag } = request.params;
      const p = await requirePacticipant(db(), pacticipant);
      const v = await findVersion(db(), p.id, version);
      if (!v) throw new HttpProblem(404, 'Not found', `no version ${version} of '${pacticipant}'`);
      await inTransaction(context, (trx) => deleteTags(trx, v.id, tag));
      reply.code(204).send();
    },
  );
};
