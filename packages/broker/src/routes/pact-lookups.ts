import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pacticipant } from '../db/pacticipants-repo.js';
import {
  latestPact,
  type PactRow,
  pactBadgeStatus,
  pactForVersion,
  previousDistinctPactRow,
} from '../db/pacts-repo.js';
import { latestVerificationFor } from '../db/verifications-repo.js';
import { requirePacticipant } from '../domain/pacticipants.js';
import { latestVerificationsOfConsumerVersion } from '../domain/verifications.js';
import type { RoutePlugin } from '../http/context.js';
import { curies, enc } from '../http/hal.js';
import { HttpProblem } from '../http/problem.js';
import { BADGE_COLOURS, badgeTitle, renderBadge } from './labels-badges.js';
import { pactJson } from './pacts.js';
import { pactLookupsSchemas as schemas } from './schemas/pact-lookups.js';
import { verificationJson } from './verifications.js';

const HAL = 'application/hal+json;charset=utf-8';
type Params = Record<string, string>;

/**
 * The reference's look-ups beyond a pact's own address: the previous distinct pact, the latest
 * verification of a consumer version's pact or of the latest (tagged) pact, a consumer version's
 * latest verifications with their summary, and the latest-untagged pact badge.
 */
export const pactLookupRoutes: RoutePlugin = async (app, { context }) => {
  const db = () => context.options.database.db;
  const integration = (params: Params) =>
    Promise.all([requirePacticipant(db(), params.consumer!), requirePacticipant(db(), params.provider!)]);

  app.get(
    '/pacts/provider/:provider/consumer/:consumer/version/:version/previous-distinct',
    { schema: schemas.getPreviousDistinct, config: { access: 'read' } },
    async (request, reply) => {
      const { version } = request.params;
      const [c, p] = await integration(request.params);
      const current = await pactForVersion(db(), c, p, version);
      if (!current)
        throw new HttpProblem(
          404,
          'Not found',
          `no pact between ${c.name} and ${p.name} for version ${version}`,
        );
      const previous = await previousDistinctPactRow(db(), current);
      if (!previous)
        throw new HttpProblem(
          404,
          'Not found',
          `no pact between ${c.name} and ${p.name} before version ${version} differs from it`,
        );
      reply.type(HAL);
      return pactJson(context.baseUrlOf(request), c.name, p.name, previous);
    },
  );

  /** Serves the latest verification of the pact `find` picks. */
  const latestVerificationOf =
    (
      find: (c: Pacticipant, p: Pacticipant, params: Params) => Promise<PactRow | undefined>,
      what: (params: Params) => string,
    ) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const params = request.params as Params;
      const [c, p] = await integration(params);
      const pact = await find(c, p, params);
      if (!pact)
        throw new HttpProblem(404, 'Not found', `no pact between ${c.name} and ${p.name} ${what(params)}`);
      const verification = await latestVerificationFor(db(), pact.pact_version_id);
      if (!verification)
        throw new HttpProblem(
          404,
          'Not found',
          `the pact between ${c.name} and ${p.name} ${what(params)} has no verification results`,
        );
      reply.type(HAL);
      return verificationJson(context.baseUrlOf(request), verification);
    };
  app.get(
    '/pacts/provider/:provider/consumer/:consumer/version/:version/verification-results/latest',
    { schema: schemas.getVersionLatestVerification, config: { access: 'read' } },
    latestVerificationOf(
      (c, p, params) => pactForVersion(db(), c, p, params.version!),
      (params) => `for version ${params.version}`,
    ),
  );
  app.get(
    '/pacts/provider/:provider/consumer/:consumer/latest/verification-results/latest',
    { schema: schemas.getLatestPactLatestVerification, config: { access: 'read' } },
    latestVerificationOf(
      (c, p) => latestPact(db(), c, p),
      () => '(latest)',
    ),
  );
  app.get(
    '/pacts/provider/:provider/consumer/:consumer/latest/:tag/verification-results/latest',
    { schema: schemas.getLatestTaggedPactLatestVerification, config: { access: 'read' } },
    latestVerificationOf(
      (c, p, params) => latestPact(db(), c, p, { tag: params.tag! }),
      (params) => `tagged '${params.tag}'`,
    ),
  );

  app.get(
    '/verification-results/consumer/:consumer/version/:version/latest',
    { schema: schemas.getConsumerVersionLatestVerifications, config: { access: 'read' } },
    async (request, reply) => {
      const { version } = request.params;
      const consumer = await requirePacticipant(db(), request.params.consumer);
      const latest = await latestVerificationsOfConsumerVersion(db(), consumer, version);
      const b = context.baseUrlOf(request);
      reply.type(HAL);
      return {
        success: latest.success,
        providerSummary: latest.providerSummary,
        _embedded: { verificationResults: latest.verifications.map((v) => verificationJson(b, v)) },
        _links: {
          self: {
            href: `${b}/verification-results/consumer/${enc(consumer.name)}/version/${enc(version)}/latest`,
            title: `Latest verification results for consumer ${consumer.name} version ${version}`,
          },
          curies: curies(b),
        },
      };
    },
  );

  app.get(
    '/pacts/provider/:provider/consumer/:consumer/latest-untagged/badge',
    { schema: schemas.getLatestUntaggedBadge, config: { access: 'badge' } },
    async (request, reply) => {
      const { consumer, provider } = request.params;
      // an unknown consumer or provider is not an error for a badge: it just has no pact yet
      const status = await pactBadgeStatus(db(), consumer, provider, { untagged: true });
      reply.code(200).type('image/svg+xml;charset=utf-8').header('cache-control', 'no-cache');
      return renderBadge(badgeTitle(consumer, provider, request.query), status, BADGE_COLOURS[status]);
    },
  );
};
