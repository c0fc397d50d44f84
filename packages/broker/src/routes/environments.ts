import type { FastifyRequest } from 'fastify';
import {
  currentlyDeployed,
  currentlySupported,
  type DeployedVersionView,
  deleteEnvironment,
  deployedVersionByUuid,
  type Environment,
  environmentByUuid,
  listEnvironments,
  type ReleasedVersionView,
  recordDeployment,
  recordRelease,
  recordSupportEnded,
  recordUndeployment,
  releasedVersionByUuid,
} from '../db/environments-repo.js';
import { findVersion } from '../db/pacticipants-repo.js';
import {
  createEnvironment,
  type EnvironmentBody,
  environmentInput,
  replaceEnvironment,
  requireEnvironment,
} from '../domain/environments.js';
import { requirePacticipant } from '../domain/pacticipants.js';
import { validBody } from '../http/body.js';
import { inTransaction, type RoutePlugin } from '../http/context.js';
import { curies, pacticipantUrl, versionUrl } from '../http/hal.js';
import { pagedList, pageRequest } from '../http/paging.js';
import { HttpProblem } from '../http/problem.js';
import { environmentsSchemas } from './schemas/environments.js';

const HAL = 'application/hal+json;charset=utf-8';
type Params = Record<string, string>;

const environmentUrl = (b: string, uuid: string) => `${b}/environments/${uuid}`;

/** An environment as the reference broker represents it. */
export function environmentJson(b: string, e: Environment) {
  const self = environmentUrl(b, e.uuid);
  return {
    uuid: e.uuid,
    name: e.name,
    displayName: e.display_name ?? e.name,
    production: e.production === 1,
    ...(e.contacts !== null ? { contacts: JSON.parse(e.contacts) as unknown } : {}),
    createdAt: e.created_at,
    updatedAt: e.updated_at,
    _links: {
      self: { title: 'Environment', name: e.name, href: self },
      'pb:currently-deployed-deployed-versions': {
        title: `Versions currently deployed to ${e.display_name ?? e.name} environment`,
        href: `${self}/deployed-versions/currently-deployed`,
      },
      'pb:currently-supported-released-versions': {
        title: `Versions released and supported in ${e.display_name ?? e.name} environment`,
        href: `${self}/released-versions/currently-supported`,
      },
      'pb:environments': { title: 'Environments', href: `${b}/environments` },
      curies: curies(b),
    },
  };
}

function embeddedVersion(b: string, pacticipant: string, number: string) {
  return {
    pacticipant: { name: pacticipant, _links: { self: { href: pacticipantUrl(b, pacticipant) } } },
    version: { number, _links: { self: { href: versionUrl(b, pacticipant, number) } } },
  };
}

/** A deployed version: `applicationInstance` (and its deprecated alias `target`) may be null. */
export function deployedVersionJson(b: string, d: DeployedVersionView, environment: Environment) {
  return {
    uuid: d.uuid,
    currentlyDeployed: d.undeployed_at === null,
    target: d.application_instance,
    applicationInstance: d.application_instance,
    undeployedAt: d.undeployed_at,
    createdAt: d.created_at,
    _embedded: {
      ...embeddedVersion(b, d.pacticipant_name, d.version_number),
      environment: environmentJson(b, environment),
    },
    _links: { self: { href: `${b}/deployed-versions/${d.uuid}` } },
  };
}

/** A released version. */
export function releasedVersionJson(b: string, r: ReleasedVersionView, environment: Environment) {
  return {
    uuid: r.uuid,
    currentlySupported: r.support_ended_at === null,
    supportEndedAt: r.support_ended_at,
    createdAt: r.created_at,
    _embedded: {
      ...embeddedVersion(b, r.pacticipant_name, r.version_number),
      environment: environmentJson(b, environment),
    },
    _links: { self: { href: `${b}/released-versions/${r.uuid}` } },
  };
}

/** A single-line string query parameter, or undefined (repeated parameters count as invalid). */
function queryString(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new HttpProblem(400, 'Validation errors', `${name} must be given once`, {
      [name]: [`${name} must be given once`],
    });
  return value;
}

/** Environments, deployments and releases. */
export const environmentRoutes: RoutePlugin = async (app, { context }) => {
  const db = () => context.options.database.db;

  app.get(
    '/environments',
    { schema: environmentsSchemas.getEnvironments, config: { access: 'read' } },
    async (request, reply) => {
      const b = context.baseUrlOf(request);
      // ?q= searches names and display names; paged when `page` or `size` is given
      const {
        items: rows,
        page,
        links,
      } = pagedList(
        pageRequest(request.query as Record<string, unknown>),
        await listEnvironments(db(), queryString(request, 'name')),
        (e) => [e.name, e.display_name ?? e.name],
        `${b}/environments`,
      );
      reply.type(HAL);
      return {
        ...(page ? { page } : {}),
        _embedded: { environments: rows.map((e) => environmentJson(b, e)) },
        _links: {
          self: { title: 'Environments', href: `${b}/environments` },
          ...links,
          'pb:environments': rows.map((e) => ({
            title: e.display_name ?? e.name,
            name: e.name,
            href: environmentUrl(b, e.uuid),
          })),
          curies: curies(b),
        },
      };
    },
  );

  app.post(
    '/environments',
    { schema: environmentsSchemas.postEnvironments, config: { access: 'write' } },
    async (request, reply) => {
      const input = environmentInput(request.body as EnvironmentBody);
      const created = await inTransaction(context, (trx) => createEnvironment(trx, input));
      const b = context.baseUrlOf(request);
      reply.code(201).type(HAL).header('Location', environmentUrl(b, created.uuid));
      return environmentJson(b, created);
    },
  );

  app.get(
    '/environments/:uuid',
    { schema: environmentsSchemas.getEnvironmentsByUuid, config: { access: 'read' } },
    async (request, reply) => {
      const environment = await requireEnvironment(db(), request.params.uuid);
      reply.type(HAL);
      return environmentJson(context.baseUrlOf(request), environment);
    },
  );

  app.put(
    '/environments/:uuid',
    { schema: environmentsSchemas.putEnvironmentsByUuid, config: { access: 'write' } },
    async (request, reply) => {
      const input = environmentInput(request.body as EnvironmentBody);
      const updated = await inTransaction(context, async (trx) =>
        replaceEnvironment(trx, await requireEnvironment(trx, request.params.uuid), input),
      );
      reply.type(HAL);
      return environmentJson(context.baseUrlOf(request), updated);
    },
  );

  app.delete(
    '/environments/:uuid',
    { schema: environmentsSchemas.deleteEnvironmentsByUuid, config: { access: 'write' } },
    async (request, reply) => {
      await inTransaction(context, async (trx) =>
        deleteEnvironment(trx, await requireEnvironment(trx, request.params.uuid)),
      );
      reply.code(204).send();
    },
  );

  app.get(
    '/environments/:uuid/deployed-versions/currently-deployed',
    {
      schema: environmentsSchemas.getEnvironmentsByUuidDeployedVersionsCurrentlyDeployed,
      config: { access: 'read' },
    },
    async (request, reply) => {
      const environment = await requireEnvironment(db(), request.params.uuid);
      const pacticipant = queryString(request, 'pacticipant');
      const instance = queryString(request, 'applicationInstance') ?? queryString(request, 'target');
      const rows = await currentlyDeployed(db(), environment, {
        ...(pacticipant !== undefined ? { pacticipant } : {}),
        ...(instance !== undefined ? { applicationInstance: instance } : {}),
      });
      const b = context.baseUrlOf(request);
      reply.type(HAL);
      return {
        _embedded: { deployedVersions: rows.map((d) => deployedVersionJson(b, d, environment)) },
        _links: {
          self: {
            title: `Currently deployed versions for ${environment.display_name ?? environment.name}`,
            href: `${environmentUrl(b, environment.uuid)}/deployed-versions/currently-deployed`,
          },
        },
      };
    },
  );

  app.get(
    '/environments/:uuid/released-versions/currently-supported',
    {
      schema: environmentsSchemas.getEnvironmentsByUuidReleasedVersionsCurrentlySupported,
      config: { access: 'read' },
    },
    async (request, reply) => {
      const environment = await requireEnvironment(db(), request.params.uuid);
      const pacticipant = queryString(request, 'pacticipant');
      const rows = await currentlySupported(
        db(),
        environment,
        pacticipant !== undefined ? { pacticipant } : {},
      );
      const b = context.baseUrlOf(request);
      reply.type(HAL);
      return {
        _embedded: { releasedVersions: rows.map((r) => releasedVersionJson(b, r, environment)) },
        _links: {
          self: {
            title: `Currently supported released versions for ${environment.display_name ?? environment.name}`,
            href: `${environmentUrl(b, environment.uuid)}/released-versions/currently-supported`,
          },
        },
      };
    },
  );

  /** The version and environment named in a record-deployment/record-release URL, or a 404. */
  const versionAndEnvironment = async (params: Params) => {
    const pacticipant = await requirePacticipant(db(), params.pacticipant!);
    const version = await findVersion(db(), pacticipant.id, params.version!);
    if (!version)
      throw new HttpProblem(404, 'Not found', `no version ${params.version} of '${pacticipant.name}'`);
    return { version, environment: await requireEnvironment(db(), params.uuid!) };
  };

  const deploymentsPath = '/pacticipants/:pacticipant/versions/:version/deployed-versions/environment/:uuid';
  app.post<{ Params: Params }>(deploymentsPath, { config: { access: 'write' } }, async (request, reply) => {
    const { version, environment } = await versionAndEnvironment(request.params);
    const body = validBody<{ applicationInstance: string | null; target: string | null }>(request);
    // `target` is the deprecated name the CLI still sends alongside `applicationInstance`
    const instance = body.applicationInstance ?? body.target ?? null;
    const deployed = await inTransaction(context, (trx) =>
      recordDeployment(trx, version, environment, instance?.trim() ? instance : null),
    );
    const b = context.baseUrlOf(request);
    reply.code(201).type(HAL).header('Location', `${b}/deployed-versions/${deployed.uuid}`);
    return deployedVersionJson(b, deployed, environment);
  });

  app.get<{ Params: Params }>(deploymentsPath, { config: { access: 'read' } }, async (request, reply) => {
    const { version, environment } = await versionAndEnvironment(request.params);
    const rows = await currentlyDeployed(db(), environment, { versionId: version.id });
    const b = context.baseUrlOf(request);
    reply.type(HAL);
    return {
      _embedded: { deployedVersions: rows.map((d) => deployedVersionJson(b, d, environment)) },
      _links: { self: { href: `${b}${request.url.split('?')[0]}` } },
    };
  });

  const releasesPath = '/pacticipants/:pacticipant/versions/:version/released-versions/environment/:uuid';
  app.post<{ Params: Params }>(releasesPath, { config: { access: 'write' } }, async (request, reply) => {
    const { version, environment } = await versionAndEnvironment(request.params);
    const released = await inTransaction(context, (trx) => recordRelease(trx, version, environment));
    const b = context.baseUrlOf(request);
    reply.code(201).type(HAL).header('Location', `${b}/released-versions/${released.uuid}`);
    return releasedVersionJson(b, released, environment);
  });

  app.get<{ Params: Params }>(releasesPath, { config: { access: 'read' } }, async (request, reply) => {
    const { version, environment } = await versionAndEnvironment(request.params);
    const rows = await currentlySupported(db(), environment, { versionId: version.id });
    const b = context.baseUrlOf(request);
    reply.type(HAL);
    return {
      _embedded: { releasedVersions: rows.map((r) => releasedVersionJson(b, r, environment)) },
      _links: { self: { href: `${b}${request.url.split('?')[0]}` } },
    };
  });

  const deployedOr404 = async (uuid: string) => {
    const deployed = await deployedVersionByUuid(db(), uuid);
    if (!deployed) throw new HttpProblem(404, 'Not found', `no deployed version with uuid '${uuid}'`);
    return { deployed, environment: (await environmentByUuid(db(), deployed.environment_uuid))! };
  };

  app.get(
    '/deployed-versions/:uuid',
    { schema: environmentsSchemas.getDeployedVersionsByUuid, config: { access: 'read' } },
    async (request, reply) => {
      const { deployed, environment } = await deployedOr404(request.params.uuid);
      reply.type(HAL);
      return deployedVersionJson(context.baseUrlOf(request), deployed, environment);
    },
  );

  app.patch(
    '/deployed-versions/:uuid',
    { schema: environmentsSchemas.patchDeployedVersionsByUuid, config: { access: 'write' } },
    async (request, reply) => {
      const { currentlyDeployed: wanted } = validBody<{ currentlyDeployed: boolean }>(request);
      const { deployed, environment } = await deployedOr404(request.params.uuid);
      if (wanted === true && deployed.undeployed_at !== null)
        throw new HttpProblem(
          400,
          'Validation errors',
          'a deployment cannot be marked as deployed again; record a new deployment',
          { currentlyDeployed: ['cannot be set to true once the version has been undeployed'] },
        );
      const updated =
        wanted === false
          ? await inTransaction(context, (trx) => recordUndeployment(trx, deployed))
          : deployed;
      reply.type(HAL);
      return deployedVersionJson(context.baseUrlOf(request), updated, environment);
    },
  );

  const releasedOr404 = async (uuid: string) => {
    const released = await releasedVersionByUuid(db(), uuid);
    if (!released) throw new HttpProblem(404, 'Not found', `no released version with uuid '${uuid}'`);
    return { released, environment: (await environmentByUuid(db(), released.environment_uuid))! };
  };

  app.get(
    '/released-versions/:uuid',
    { schema: environmentsSchemas.getReleasedVersionsByUuid, config: { access: 'read' } },
    async (request, reply) => {
      const { released, environment } = await releasedOr404(request.params.uuid);
      reply.type(HAL);
      return releasedVersionJson(context.baseUrlOf(request), released, environment);
    },
  );

  app.patch(
    '/released-versions/:uuid',
    { schema: environmentsSchemas.patchReleasedVersionsByUuid, config: { access: 'write' } },
    async (request, reply) => {
      const { currentlySupported: wanted } = validBody<{ currentlySupported: boolean }>(request);
      const { released, environment } = await releasedOr404(request.params.uuid);
      if (wanted === true && released.support_ended_at !== null)
        throw new HttpProblem(
          400,
          'Validation errors',
          'support cannot be restored here; record the release again',
          { currentlySupported: ['cannot be set to true once support has ended'] },
        );
      const updated =
        wanted === false
          ? await inTransaction(context, (trx) => recordSupportEnded(trx, released))
          : released;
      reply.type(HAL);
      return releasedVersionJson(context.baseUrlOf(request), updated, environment);
    },
  );
};
