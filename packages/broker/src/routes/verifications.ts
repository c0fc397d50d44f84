import { pactBySha } from '../db/pacts-repo.js';
import { latestVerificationOfConsumerVersion, verificationById } from '../db/verifications-repo.js';
import { type ForVerificationRequest, pactsForVerification } from '../domain/for-verification.js';
import { requirePacticipant } from '../domain/pacticipants.js';
import { recordVerification, type VerificationInput } from '../domain/verifications.js';
import { triggerVerificationPublished } from '../domain/webhook-triggers.js';
import { validBody } from '../http/body.js';
import { inTransaction, type RoutePlugin } from '../http/context.js';
import { curies, enc, pactVersionUrl, versionUrl } from '../http/hal.js';
import { HttpProblem } from '../http/problem.js';
import { verificationsSchemas } from './schemas/verifications.js';

const HAL = 'application/hal+json;charset=utf-8';

/**
 * What a for-verification pact URL carries in its metadata segment (base64url JSON), as in the
 * reference broker: the pending/WIP flags and the numbers of the consumer versions the selectors
 * chose, so a verification published through that URL reaches each of those versions' webhooks.
 */
interface VerificationMetadata {
  pending: boolean;
  wip: boolean;
  consumerVersions: string[];
}

function encodeMetadata(m: VerificationMetadata): string {
  return Buffer.from(JSON.stringify({ p: m.pending, w: m.wip, cv: m.consumerVersions })).toString(
    'base64url',
  );
}

/** Unreadable metadata means none: the verification still counts, for the pact's own version. */
function decodeMetadata(metadata: string | undefined): VerificationMetadata {
  const none = { pending: false, wip: false, consumerVersions: [] };
  if (!metadata) return none;
  try {
    const parsed = JSON.parse(Buffer.from(metadata, 'base64url').toString('utf8')) as {
      p?: unknown;
      w?: unknown;
      cv?: unknown;
    };
    if (typeof parsed !== 'object' || parsed === null) return none;
    const cv = Array.isArray(parsed.cv) ? parsed.cv.filter((n): n is string => typeof n === 'string') : [];
    return { pending: parsed.p === true, wip: parsed.w === true, consumerVersions: cv };
  } catch {
    return none;
  }
}

export function verificationJson(b: string, v: NonNullable<Awaited<ReturnType<typeof verificationById>>>) {
  const pact = pactVersionUrl(b, v.provider_name, v.consumer_name, v.sha);
  return {
    providerName: v.provider_name,
    providerApplicationVersion: v.provider_version,
    success: v.success === 1,
    verificationDate: v.created_at,
    ...(v.build_url ? { buildUrl: v.build_url } : {}),
    ...(v.test_results ? { testResults: JSON.parse(v.test_results) } : {}),
    ...(v.verified_by ? { verifiedBy: JSON.parse(v.verified_by) } : {}),
    _links: {
      self: { href: `${pact}/verification-results/${v.id}`, title: 'Verification result' },
      'pb:pact-version': { href: pact, title: 'Pact' },
      'pb:provider-version': {
        href: versionUrl(b, v.provider_name, v.provider_version),
        name: v.provider_version,
      },
      'pb:triggered-webhooks': {
        href: `${pact}/verification-results/${v.id}/triggered-webhooks`,
        title: 'Webhooks triggered by the publication of this verification result',
      },
      curies: curies(b),
    },
  };
}

export const verificationRoutes: RoutePlugin = async (app, { context }) => {
  const db = () => context.options.database.db;

  // clients (the Rust verifier) GET the relation first and POST their query to its self link
  app.get(
    '/pacts/provider/:provider/for-verification',
    { schema: verificationsSchemas.getPactsProviderByProviderForVerification, config: { access: 'read' } },
    async (request, reply) => {
      const b = context.baseUrlOf(request);
      const provider = await requirePacticipant(db(), request.params.provider);
      reply.type(HAL);
      return {
        _links: {
          self: {
            href: `${b}/pacts/provider/${enc(provider.name)}/for-verification`,
            title: 'Pacts to be verified',
          },
          'pb:provider': { href: `${b}/pacticipants/${enc(provider.name)}`, name: provider.name },
        },
      };
    },
  );

  app.post(
    '/pacts/provider/:provider/for-verification',
    { schema: verificationsSchemas.postPactsProviderByProviderForVerification, config: { access: 'read' } },
    async (request, reply) => {
      const b = context.baseUrlOf(request);
      const provider = request.params.provider;
      const body = validBody<ForVerificationRequest>(request);
      const pacts = await pactsForVerification(db(), provider, body, (c, sha) =>
        pactVersionUrl(b, provider, c, sha),
      );
      reply.type(HAL);
      return {
        _embedded: {
          pacts: pacts.map((p) => ({
            shortDescription: p.shortDescription,
            verificationProperties: {
              pending: p.pending,
              ...(p.wip ? { wip: true } : {}),
              notices: p.notices,
            },
            _links: {
              self: {
                href: `${pactVersionUrl(b, provider, p.consumerName, p.sha)}/metadata/${encodeMetadata({ ...p, consumerVersions: p.selectedConsumerVersions })}`,
                name: `Pact between ${p.consumerName} (${p.consumerVersion}) and ${provider}`,
              },
            },
          })),
        },
        _links: {
          self: {
            href: `${b}/pacts/provider/${enc(provider)}/for-verification`,
            title: 'Pacts to be verified',
          },
        },
      };
    },
  );

  // one handler for both publication routes: the for-verification one carries the metadata
  type PublishParams = { provider: string; consumer: string; sha: string; metadata?: string };
  const publish = async (
    request: import('fastify').FastifyRequest<{ Params: PublishParams }>,
    reply: import('fastify').FastifyReply,
  ) => {
    const { provider, consumer, sha, metadata } = request.params;
    const [c, p] = await Promise.all([
      requirePacticipant(db(), consumer),
      requirePacticipant(db(), provider),
    ]);
    const row = await pactBySha(db(), c, p, sha);
    if (!row)
      throw new HttpProblem(404, 'Not found', `no pact version ${sha} between ${consumer} and ${provider}`);
    const flags = decodeMetadata(metadata);
    const base = context.baseUrlOf(request);
    const recorded = await inTransaction(context, async (trx) => {
      const verified = await recordVerification(
        trx,
        c,
        provider,
        row.pact_version_id,
        // required by its schema, so Fastify refused a missing one
        request.body as VerificationInput,
        { pending: flags.pending, wip: flags.wip },
      );
      await triggerVerificationPublished(
        trx,
        {
          consumer: c,
          provider: verified.provider,
          pactVersionId: row.pact_version_id,
          sha,
          verificationId: verified.id,
          providerVersionId: verified.version.id,
          success: verified.success,
          ...(verified.buildUrl !== undefined ? { buildUrl: verified.buildUrl } : {}),
          selectedConsumerVersions: flags.consumerVersions,
        },
        base,
      );
      return verified;
    });
    const v = await verificationById(db(), recorded.id);
    const b = context.baseUrlOf(request);
    reply
      .code(201)
      .type(HAL)
      .header(
        'Location',
        `${pactVersionUrl(b, provider, consumer, sha)}/verification-results/${recorded.id}`,
      );
    return verificationJson(b, v!);
  };
  app.post<{ Params: PublishParams }>(
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results',
    {
      schema:
        verificationsSchemas.postPactsProviderByProviderConsumerByConsumerPactVersionByShaVerificationResults,
      config: { access: 'write' },
    },
    publish,
  );
  app.post<{ Params: PublishParams }>(
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/metadata/:metadata/verification-results',
    {
      schema:
        verificationsSchemas.postPactsProviderByProviderConsumerByConsumerPactVersionByShaMetadataByMetadataVerificationResults,
      config: { access: 'write' },
    },
    publish,
  );

  app.get(
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results/:id',
    {
      schema:
        verificationsSchemas.getPactsProviderByProviderConsumerByConsumerPactVersionByShaVerificationResultsById,
      config: { access: 'read' },
    },
    async (request, reply) => {
      const id = Number(request.params.id);
      const v = Number.isInteger(id) ? await verificationById(db(), id) : undefined;
      if (!v || v.sha !== request.params.sha)
        throw new HttpProblem(404, 'Not found', `no verification result ${request.params.id}`);
      reply.type(HAL);
      return verificationJson(context.baseUrlOf(request), v);
    },
  );

  app.get(
    '/pacticipants/:pacticipant/versions/:version/latest-verification-results',
    {
      schema: verificationsSchemas.getPacticipantsByPacticipantVersionsByVersionLatestVerificationResults,
      config: { access: 'read' },
    },
    async (request, reply) => {
      const p = await requirePacticipant(db(), request.params.pacticipant);
      const row = await latestVerificationOfConsumerVersion(db(), p.id, request.params.version);
      if (!row)
        throw new HttpProblem(
          404,
          'Not found',
          `no verification results for ${p.name} version ${request.params.version}`,
        );
      reply.type(HAL);
      return verificationJson(context.baseUrlOf(request), (await verificationById(db(), row.id))!);
    },
  );
};
