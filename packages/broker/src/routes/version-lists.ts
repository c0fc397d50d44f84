import { filteredVersionsPage, type VersionListFilter } from '../db/pacticipants-repo.js';
import { requireEnvironment } from '../domain/environments.js';
import { deleteBranchesExcept, removeVersionFromBranch, requirePacticipant } from '../domain/pacticipants.js';
import { inTransaction, type RoutePlugin } from '../http/context.js';
import { curies, enc, pacticipantUrl, versionUrl } from '../http/hal.js';
import { pageLinks, pageOffset, pageRequest } from '../http/paging.js';
import { HttpProblem } from '../http/problem.js';
import { versionListsSchemas as schemas } from './schemas/version-lists.js';

const HAL = 'application/hal+json;charset=utf-8';

/** The values of a query parameter given once, repeated, or with Rack's `[]` suffix. */
const queryList = (query: Record<string, unknown>, name: string): string[] =>
  [query[name], query[`${name}[]`]].flat().filter((value): value is string => typeof value === 'string');

/**
 * A pacticipant's versions by tag (`/tags/{tag}/versions`) or by environment
 * (`/environments/{uuid}/versions`), newest first and paged; and the reference's bulk delete of
 * branches and removal of a version from a branch.
 */
export const versionListRoutes: RoutePlugin = async (app, { context }) => {
  const db = () => context.options.database.db;

  /** A paged version list, as `/pacticipants/{p}/versions` answers. */
  const versionList = async (
    b: string,
    pacticipantName: string,
    filter: VersionListFilter,
    selfPath: string,
    title: string,
    query: unknown,
  ) => {
    const p = await requirePacticipant(db(), pacticipantName);
    const asked = pageRequest(query as Record<string, unknown>);
    const { rows, total } = await filteredVersionsPage(db(), p.id, filter, {
      offset: pageOffset(asked),
      limit: asked.size,
    });
    // as the reference: a tag no version has is not a resource (an environment with none is empty)
    if ('tag' in filter && total === 0)
      throw new HttpProblem(404, 'Not found', `'${p.name}' has no version tagged '${filter.tag}'`);
    const self = `${pacticipantUrl(b, p.name)}${selfPath}`;
    const paging = pageLinks({ ...asked, q: undefined }, total, self);
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
        self: { href: self, title },
        ...paging.links,
        'pb:pacticipant': { href: pacticipantUrl(b, p.name), name: p.name },
        curies: curies(b),
      },
    };
  };

  app.get(
    '/pacticipants/:pacticipant/tags/:tag/versions',
    { schema: schemas.getTagVersions, config: { access: 'read' } },
    async (request, reply) => {
      const { pacticipant, tag } = request.params;
      const list = await versionList(
        context.baseUrlOf(request),
        pacticipant,
        { tag },
        `/tags/${enc(tag)}/versions`,
        `Versions of ${pacticipant} tagged '${tag}'`,
        request.query,
      );
      reply.type(HAL);
      return list;
    },
  );

  app.get(
    '/pacticipants/:pacticipant/environments/:uuid/versions',
    { schema: schemas.getEnvironmentVersions, config: { access: 'read' } },
    async (request, reply) => {
      const { pacticipant, uuid } = request.params;
      const environment = await requireEnvironment(db(), uuid);
      const list = await versionList(
        context.baseUrlOf(request),
        pacticipant,
        { environmentId: environment.id },
        `/environments/${enc(uuid)}/versions`,
        `Versions for ${pacticipant} in environment ${environment.display_name ?? environment.name}`,
        request.query,
      );
      reply.type(HAL);
      return list;
    },
  );

  app.delete(
    '/pacticipants/:pacticipant/branches',
    { schema: schemas.deleteBranches, config: { access: 'write' } },
    async (request, reply) => {
      const exclude = queryList(request.query as Record<string, unknown>, 'exclude');
      const { p, outcome } = await inTransaction(context, async (trx) => {
        const p = await requirePacticipant(trx, request.params.pacticipant);
        return { p, outcome: await deleteBranchesExcept(trx, p, exclude) };
      });
      const names = (list: string[]) => (list.length > 0 ? list.join(', ') : 'none');
      // 202 and notices, as the reference answers (it deletes after replying; here it is done already)
      reply.code(202).type(HAL);
      return {
        notices: [
          {
            type: 'info',
            text: `Deleted ${outcome.deleted.length} branches of ${p.name}: ${names(outcome.deleted)}`,
          },
          { type: 'info', text: `Kept the main branch and the excluded branches: ${names(outcome.kept)}` },
        ],
      };
    },
  );

  app.delete(
    '/pacticipants/:pacticipant/branches/:branch/versions/:version',
    { schema: schemas.deleteBranchVersion, config: { access: 'write' } },
    async (request, reply) => {
      const { pacticipant, branch, version } = request.params;
      await inTransaction(context, async (trx) =>
        removeVersionFromBranch(trx, await requirePacticipant(trx, pacticipant), branch, version),
      );
      reply.code(204).send();
    },
  );
};
