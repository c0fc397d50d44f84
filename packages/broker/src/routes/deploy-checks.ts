import {
  type AskedVersion,
  canIDeployBranchToEnvironment,
  canIDeployTagToTag,
  canIMerge,
  findAskedVersion,
  requireAskedVersion,
} from '../domain/deploy-checks.js';
import { type MatrixQuery, runMatrix } from '../domain/matrix.js';
import type { RoutePlugin } from '../http/context.js';
import { BADGE_COLOURS, renderBadge, verdictBadge } from './labels-badges.js';
import { matrixJson } from './matrix.js';
import { deployChecksSchemas as schemas } from './schemas/deploy-checks.js';

const HAL = 'application/hal+json;charset=utf-8';

/**
 * The reference's fixed can-i-deploy questions as resources (their badges are in labels-badges.ts)
 * and the can-i-merge badge.
 */
export const deployCheckRoutes: RoutePlugin = async (app, { context }) => {
  const db = () => context.options.database.db;
  /** The matrix of a fixed question, once the version it asks about is known to exist. */
  const answer = async (pacticipant: string, asked: AskedVersion, query: MatrixQuery) => {
    await requireAskedVersion(db(), pacticipant, asked);
    return runMatrix(db(), query, context.options.database.dialect);
  };

  app.get(
    '/pacticipants/:pacticipant/latest-version/:tag/can-i-deploy/to/:to',
    { schema: schemas.getCanIDeployTagToTag, config: { access: 'read' } },
    async (request, reply) => {
      const { pacticipant, tag, to } = request.params;
      const result = await answer(pacticipant, { tag }, canIDeployTagToTag(pacticipant, tag, to));
      reply.type(HAL);
      return matrixJson(context.baseUrlOf(request), result);
    },
  );

  app.get(
    '/pacticipants/:pacticipant/branches/:branch/latest-version/can-i-deploy/to-environment/:environment',
    { schema: schemas.getCanIDeployBranchToEnvironment, config: { access: 'read' } },
    async (request, reply) => {
      const { pacticipant, branch, environment } = request.params;
      const result = await answer(
        pacticipant,
        { branch },
        canIDeployBranchToEnvironment(pacticipant, branch, environment),
      );
      reply.type(HAL);
      return matrixJson(context.baseUrlOf(request), result);
    },
  );

  app.get(
    '/pacticipants/:pacticipant/main-branch/can-i-merge/badge',
    { schema: schemas.getCanIMergeBadge, config: { access: 'badge' } },
    async (request, reply) => {
      const { pacticipant } = request.params;
      const found = await findAskedVersion(db(), pacticipant, { mainBranch: true });
      // as the reference: a badge names what is missing instead of failing
      const svg =
        'missing' in found
          ? renderBadge(
              found.missing === 'pacticipant' ? 'pacticipant' : 'main branch version',
              'not found',
              BADGE_COLOURS.unknown,
            )
          : verdictBadge(
              request.query,
              'can-i-merge',
              (await runMatrix(db(), canIMerge(pacticipant), context.options.database.dialect)).summary
                .deployable,
            );
      reply.code(200).type('image/svg+xml;charset=utf-8').header('cache-control', 'no-cache');
      return svg;
    },
  );
};
