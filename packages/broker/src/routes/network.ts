import { integrationPairs } from '../db/network-repo.js';
import { groupContaining, relationshipsCsv } from '../domain/network.js';
import { requirePacticipant } from '../domain/pacticipants.js';
import type { RoutePlugin } from '../http/context.js';
import { integrationsSchemas } from './schemas/integrations.js';

const CSV = 'text/csv;charset=utf-8';

/** The reference broker's network data: `/relationships` and `/groups/{p}` as CSV. */
export const networkRoutes: RoutePlugin = async (app, { context }) => {
  const db = () => context.options.database.db;

  app.get(
    '/relationships',
    { schema: integrationsSchemas.getRelationships, config: { access: 'read' } },
    async (_request, reply) => {
      reply.type(CSV);
      return relationshipsCsv(await integrationPairs(db()));
    },
  );

  app.get(
    '/groups/:pacticipant',
    { schema: integrationsSchemas.getGroupsByPacticipant, config: { access: 'read' } },
    async (request, reply) => {
      const [p, pairs] = await Promise.all([
        requirePacticipant(db(), request.params.pacticipant),
        integrationPairs(db()),
      ]);
      reply.type(CSV);
      return relationshipsCsv(groupContaining(pairs, p.name));
    },
  );
};
