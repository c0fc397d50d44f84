import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  addLabel,
  allLabelNames,
  deleteLabel,
  findLabel,
  pacticipantsLabelled,
} from '../db/pacticipants-repo.js';
import { pactBadgeStatus } from '../db/pacts-repo.js';
import { canIDeployBranchToEnvironment, canIDeployTagToTag } from '../domain/deploy-checks.js';
import { type MatrixQuery, runMatrix } from '../domain/matrix.js';
import { checkName, ensurePacticipant, requirePacticipant } from '../domain/pacticipants.js';
import { BrokerRequestError } from '../errors.js';
import { inTransaction, type RoutePlugin } from '../http/context.js';
import { curies, enc, pacticipantUrl } from '../http/hal.js';
import { HttpProblem } from '../http/problem.js';
import { labelsBadgesSchemas } from './schemas/labels-badges.js';

const HAL = 'application/hal+json;charset=utf-8';

const labelUrl = (b: string, pacticipant: string, label: string) =>
  `${pacticipantUrl(b, pacticipant)}/labels/${enc(label)}`;

function labelJson(b: string, pacticipant: string, label: string, createdAt: string) {
  const pacticipantLink = { title: 'Pacticipant', name: pacticipant, href: pacticipantUrl(b, pacticipant) };
  return {
    name: label,
    createdAt,
    _links: {
      self: { title: 'Label', name: label, href: labelUrl(b, pacticipant, label) },
      pacticipant: pacticipantLink,
      'pb:pacticipant': pacticipantLink,
      'pb:pacticipants-with-label': {
        title: `Pacticipants labelled '${label}'`,
        href: `${b}/pacticipants/label/${enc(label)}`,
      },
      curies: curies(b),
    },
  };
}

import type { BadgeStatus } from '../db/pacts-repo.js';

export const BADGE_COLOURS: Record<BadgeStatus, string> = {
  verified: '#4c1',
  failed: '#e05d44',
  unknown: '#9f9f9f',
};

/** Approximate advance of a character in 11px Verdana, the badge font, to size the badge's halves. */
function charWidth(char: string): number {
  if (/[ijl.,:;'|!]/.test(char)) return 3.4;
  if (/[ frtI()[\]/\\-]/.test(char)) return 4.6;
  if (/[mwMW%@]/.test(char)) return 10;
  if (/[A-Z0-9]/.test(char)) return 7.3;
  return 6.7;
}

const textWidth = (text: string) => [...text].reduce((sum, char) => sum + charWidth(char), 0);

function escapeXml(text: string): string {
  return (
    text
      // characters XML 1.0 cannot carry at all, even escaped
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** A flat, shields.io-style two-part badge, rendered here so the broker never depends on a third party. */
export function renderBadge(label: string, message: string, colour: string): string {
  const labelText = Math.round(textWidth(label) * 10) / 10;
  const messageText = Math.round(textWidth(message) * 10) / 10;
  const left = Math.round(labelText + 10);
  const right = Math.round(messageText + 10);
  const width = left + right;
  const l = escapeXml(label);
  const m = escapeXml(message);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${l}: ${m}">`,
    `<title>${l}: ${m}</title>`,
    '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>',
    `<clipPath id="r"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>`,
    '<g clip-path="url(#r)">',
    `<rect width="${left}" height="20" fill="#555"/>`,
    `<rect x="${left}" width="${right}" height="20" fill="${colour}"/>`,
    `<rect width="${width}" height="20" fill="url(#s)"/>`,
    '</g>',
    '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">',
    `<text x="${left / 2}" y="15" fill="#010101" fill-opacity=".3" textLength="${labelText}">${l}</text>`,
    `<text x="${left / 2}" y="14" textLength="${labelText}">${l}</text>`,
    `<text x="${left + right / 2}" y="15" fill="#010101" fill-opacity=".3" textLength="${messageText}">${m}</text>`,
    `<text x="${left + right / 2}" y="14" textLength="${messageText}">${m}</text>`,
    '</g>',
    '</svg>',
  ].join('');
}

/** The reference broker's badge title: "consumer/provider pact", or one side with `?label=`, lower case. */
export function badgeTitle(consumer: string, provider: string, query: Record<string, unknown>): string {
  const initials = query.initials === 'true';
  const shorten = (name: string) => {
    const parts = name.split(/[\s_-]/).filter((part) => part !== '');
    return initials && parts.length > 1 ? parts.map((part) => [...part][0]).join('') : name;
  };
  const which = typeof query.label === 'string' ? query.label.toLowerCase() : '';
  const title =
    which === 'consumer'
      ? shorten(consumer)
      : which === 'provider'
        ? shorten(provider)
        : `${shorten(consumer)}/${shorten(provider)}`;
  return `${title} pact`.toLowerCase();
}

/**
 * A yes/no/unknown verdict badge (can-i-deploy, can-i-merge), titled `?label=` or `title`.
 *
 * @example verdictBadge({}, 'can-i-merge', true) // a green "can-i-merge | yes" badge
 */
export function verdictBadge(query: unknown, title: string, verdict: boolean | null): string {
  const label = (query as Record<string, unknown>).label;
  const [message, colour] =
    verdict === true
      ? ['yes', BADGE_COLOURS.verified]
      : verdict === false
        ? ['no', BADGE_COLOURS.failed]
        : ['unknown', BADGE_COLOURS.unknown];
  return renderBadge(typeof label === 'string' && label !== '' ? label : title, message, colour);
}

/**
 * Pacticipant labels (`/pacticipants/{p}/labels/{label}`, `/pacticipants/label/{label}`, `/labels`)
 * and pact verification badges, rendered as SVG here rather than redirected to shields.io.
 */
export const labelAndBadgeRoutes: RoutePlugin = async (app, { context }) => {
  const db = () => context.options.database.db;
  app.get(
    '/pacticipants/:pacticipant/labels/:label',
    { schema: labelsBadgesSchemas.getPacticipantsByPacticipantLabelsByLabel, config: { access: 'read' } },
    async (request, reply) => {
      const { pacticipant, label } = request.params;
      const p = await requirePacticipant(db(), pacticipant);
      const row = await findLabel(db(), p.id, label);
      if (!row) throw new HttpProblem(404, 'Not found', `'${p.name}' has no label '${label}'`);
      reply.type(HAL);
      return labelJson(context.baseUrlOf(request), p.name, row.name, row.created_at);
    },
  );

  app.put(
    '/pacticipants/:pacticipant/labels/:label',
    { schema: labelsBadgesSchemas.putPacticipantsByPacticipantLabelsByLabel, config: { access: 'write' } },
    async (request, reply) => {
      const { pacticipant, label } = request.params;
      checkName(label, 'label name');
      // as the reference broker does (and as tagging does here), labelling creates a missing pacticipant
      // the label read back in the write's transaction: a DELETE committed in between left none (a 500)
      const { p, created, row } = await inTransaction(context, async (trx) => {
        const p = await ensurePacticipant(trx, pacticipant);
        const created = await addLabel(trx, p.id, label);
        return { p, created, row: (await findLabel(trx, p.id, label))! };
      });
      const b = context.baseUrlOf(request);
      reply.code(created ? 201 : 200).type(HAL);
      if (created) reply.header('Location', labelUrl(b, p.name, label));
      return labelJson(b, p.name, row.name, row.created_at);
    },
  );

  app.delete(
    '/pacticipants/:pacticipant/labels/:label',
    { schema: labelsBadgesSchemas.deletePacticipantsByPacticipantLabelsByLabel, config: { access: 'write' } },
    async (request, reply) => {
      const { pacticipant, label } = request.params;
      const p = await requirePacticipant(db(), pacticipant);
      const deleted = await inTransaction(context, (trx) => deleteLabel(trx, p.id, label));
      if (!deleted) throw new HttpProblem(404, 'Not found', `'${p.name}' has no label '${label}'`);
      reply.code(204).send();
    },
  );

  app.get(
    '/pacticipants/label/:label',
    { schema: labelsBadgesSchemas.getPacticipantsLabelByLabel, config: { access: 'read' } },
    async (request, reply) => {
      const label = request.params.label;
      const b = context.baseUrlOf(request);
      const rows = await pacticipantsLabelled(db(), label);
      const links = rows.map((p) => ({
        href: pacticipantUrl(b, p.name),
        title: p.display_name ?? p.name,
        name: p.name,
      }));
      reply.type(HAL);
      // the same shape as GET /pacticipants, filtered
      return {
        _embedded: {
          pacticipants: rows.map((p) => ({
            name: p.name,
            displayName: p.display_name ?? p.name,
            _links: { self: { href: pacticipantUrl(b, p.name) } },
          })),
        },
        _links: {
          self: { href: `${b}/pacticipants/label/${enc(label)}`, title: `Pacticipants labelled '${label}'` },
          'pb:pacticipants': links,
          pacticipants: links,
        },
      };
    },
  );

  app.get(
    '/labels',
    { schema: labelsBadgesSchemas.getLabels, config: { access: 'read' } },
    async (request, reply) => {
      const b = context.baseUrlOf(request);
      const rows = await allLabelNames(db());
      reply.type(HAL);
      return {
        _embedded: {
          labels: rows.map((name) => ({
            name,
            _links: {
              'pb:pacticipants': {
                title: `Pacticipants labelled '${name}'`,
                href: `${b}/pacticipants/label/${enc(name)}`,
              },
            },
          })),
        },
        _links: { self: { href: `${b}/labels`, title: 'Labels' } },
      };
    },
  );

  // one handler for both badge routes: the tagged one has a tag
  type BadgeParams = { provider: string; consumer: string; tag?: string };
  const badge = async (request: FastifyRequest<{ Params: BadgeParams }>, reply: FastifyReply) => {
    const { consumer, provider, tag } = request.params;
    // an unknown consumer or provider is not an error for a badge: it just has no pact yet
    const status = await pactBadgeStatus(db(), consumer, provider, tag);
    const svg = renderBadge(
      badgeTitle(consumer, provider, request.query as Record<string, unknown>),
      status,
      BADGE_COLOURS[status],
    );
    reply.code(200).type('image/svg+xml;charset=utf-8').header('cache-control', 'no-cache');
    return svg;
  };
  app.get<{ Params: BadgeParams }>(
    '/pacts/provider/:provider/consumer/:consumer/latest/badge',
    {
      schema: labelsBadgesSchemas.getPactsProviderByProviderConsumerByConsumerLatestBadge,
      config: { access: 'badge' },
    },
    badge,
  );
  app.get<{ Params: BadgeParams }>(
    '/pacts/provider/:provider/consumer/:consumer/latest/:tag/badge',
    {
      schema: labelsBadgesSchemas.getPactsProviderByProviderConsumerByConsumerLatestByTagBadge,
      config: { access: 'badge' },
    },
    badge,
  );

  /**
   * Runs a badge's matrix query; a pacticipant or environment that does not exist is not an error
   * for a badge (it is drawn "unknown"), and the status is only ever shown as an image.
   */
  const matrixFor = async (query: MatrixQuery) => {
    try {
      return await runMatrix(db(), query, context.options.database.dialect);
    } catch (error) {
      if (error instanceof BrokerRequestError && error.status < 500) return undefined;
      throw error;
    }
  };
  const sendSvg = (reply: FastifyReply, svg: string) => {
    reply.code(200).type('image/svg+xml;charset=utf-8').header('cache-control', 'no-cache');
    return svg;
  };

  app.get(
    '/matrix/provider/:provider/latest/:providerTag/consumer/:consumer/latest/:consumerTag/badge',
    { schema: labelsBadgesSchemas.getMatrixBadge, config: { access: 'badge' } },
    async (request, reply) => {
      const { provider, providerTag, consumer, consumerTag } = request.params;
      const result = await matrixFor({
        selectors: [
          { pacticipant: consumer, tag: consumerTag, latest: true },
          { pacticipant: provider, tag: providerTag, latest: true },
        ],
        options: { latestby: 'cvpv' },
      });
      const row = result?.rows.find((r) => r.consumerName === consumer && r.providerName === provider);
      const status: BadgeStatus =
        row?.verification == null ? 'unknown' : row.verification.success ? 'verified' : 'failed';
      const title = badgeTitle(consumer, provider, request.query as Record<string, unknown>);
      return sendSvg(reply, renderBadge(title, status, BADGE_COLOURS[status]));
    },
  );

  /** The reference's can-i-deploy badge: "can-i-deploy" (or `?label=`) and yes, no or unknown. */
  const canIDeployBadge = async (request: FastifyRequest, reply: FastifyReply, query: MatrixQuery) => {
    const deployable = (await matrixFor(query))?.summary.deployable ?? null;
    return sendSvg(reply, verdictBadge(request.query, 'can-i-deploy', deployable));
  };

  app.get(
    '/pacticipants/:pacticipant/latest-version/:tag/can-i-deploy/to/:to/badge',
    { schema: labelsBadgesSchemas.getCanIDeployToTagBadge, config: { access: 'badge' } },
    (request, reply) => {
      const { pacticipant, tag, to } = request.params;
      return canIDeployBadge(request, reply, canIDeployTagToTag(pacticipant, tag, to));
    },
  );

  app.get(
    '/pacticipants/:pacticipant/branches/:branch/latest-version/can-i-deploy/to-environment/:environment/badge',
    { schema: labelsBadgesSchemas.getCanIDeployBranchToEnvironmentBadge, config: { access: 'badge' } },
    (request, reply) => {
      const { pacticipant, branch, environment } = request.params;
      return canIDeployBadge(request, reply, canIDeployBranchToEnvironment(pacticipant, branch, environment));
    },
  );
};
