import { comparePacts, type DiffRequest } from '../domain/pact-comparison.js';
import { diffText } from '../domain/pact-diff.js';
import type { RoutePlugin } from '../http/context.js';
import { pactDiffsSchemas } from './schemas/pact-diffs.js';

type Params = Record<string, string>;

/** The reference broker's text/plain diff resources (browsers get the diff page on the same URLs). */
export const pactDiffRoutes: RoutePlugin = async (app, { context }) => {
  const answer =
    (which: (params: Params) => DiffRequest) =>
    async (request: { params: unknown }, reply: { type(t: string): unknown }) => {
      const params = request.params as Params;
      const comparison = await comparePacts(
        context.options.database,
        params.consumer!,
        params.provider!,
        which(params),
      );
      reply.type('text/plain; charset=utf-8');
      return diffText(comparison.changes);
    };
  app.get(
    '/pacts/provider/:provider/consumer/:consumer/version/:version/diff/previous-distinct',
    { schema: pactDiffsSchemas.previousDistinct, config: { access: 'read' } },
    answer((p) => ({ kind: 'previous-distinct', version: p.version! })),
  );
  app.get(
    '/pacts/provider/:provider/consumer/:consumer/version/:version/diff/version/:other',
    { schema: pactDiffsSchemas.versions, config: { access: 'read' } },
    answer((p) => ({ kind: 'versions', version: p.version!, other: p.other! })),
  );
};
