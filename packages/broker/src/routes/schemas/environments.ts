import { Type } from '@sinclair/typebox';
import { pagingQuery } from './core.js';
import {
  anyObject,
  boolean,
  component,
  created,
  deleted,
  described,
  embeddedList,
  hal,
  list,
  nullable,
  nullableText,
  object,
  ok,
  operation,
  query,
  queryValue,
  ref,
  ruled,
  string,
  timestamp,
} from './shared.js';

component('Contact', object({ name: Type.String({ pattern: '\\S' }) }, { details: anyObject }));
/** A name that is not blank (`is required`) and, once it is not, has no whitespace in it. */
const environmentName = described(
  'No spaces',
  ruled(
    'is required',
    Type.String({
      pattern: '\\S',
      // blank or spaceless: a blank name is told only that it is required
      allOf: [ruled('must not contain spaces', { pattern: '^(\\s*|\\S*)$' })],
    }),
  ),
);
component(
  'EnvironmentInput',
  ruled(
    'must be a JSON object',
    object(
      {
        name: environmentName,
        production: ruled('is required and must be true or false', boolean),
      },
      {
        displayName: nullableText(),
        contacts: ruled('must be a list of {name, details?} objects', nullable(list(ref('Contact')))),
      },
    ),
  ),
);
component(
  'Environment',
  hal(
    [
      'self',
      'pb:currently-deployed-deployed-versions',
      'pb:currently-supported-released-versions',
      'pb:environments',
    ],
    {
      uuid: string,
      name: string,
      displayName: string,
      production: boolean,
      createdAt: timestamp,
      updatedAt: timestamp,
    },
    { contacts: list(ref('Contact')) },
  ),
);
component('EnvironmentList', embeddedList('environments', 'Environment', ['self'], ['pb:environments']));
/** What a deployed or released version embeds: whose version, and where. */
const versionInEnvironment = object({
  pacticipant: ref('PacticipantRef'),
  version: ref('VersionRef'),
  environment: ref('Environment'),
});

/** The body that ends a deployment or a release: `field` false (absent or true leaves it as it is). */
const ending = (field: string, description: string) =>
  ruled(
    'must be a JSON object',
    object({}, { [field]: described(description, ruled('must be true or false', boolean)) }),
  );

component(
  'DeploymentInput',
  ruled(
    'must be a JSON object',
    object(
      {},
      {
        applicationInstance: nullableText(),
        target: described('Deprecated name of applicationInstance', nullableText()),
      },
    ),
  ),
);
component('ReleaseInput', ruled('must be a JSON object', anyObject));
component(
  'DeployedVersion',
  hal(['self'], {
    uuid: string,
    currentlyDeployed: boolean,
    applicationInstance: nullable(string),
    target: described('Deprecated name of applicationInstance', nullable(string)),
    undeployedAt: nullable(timestamp),
    createdAt: timestamp,
    _embedded: versionInEnvironment,
  }),
);
component('DeployedVersionList', embeddedList('deployedVersions', 'DeployedVersion'));
component('DeployedVersionUpdate', ending('currentlyDeployed', 'Only false (undeploy) changes anything'));
component(
  'ReleasedVersion',
  hal(['self'], {
    uuid: string,
    currentlySupported: boolean,
    supportEndedAt: nullable(timestamp),
    createdAt: timestamp,
    _embedded: versionInEnvironment,
  }),
);
component('ReleasedVersionList', embeddedList('releasedVersions', 'ReleasedVersion'));
component('ReleasedVersionUpdate', ending('currentlySupported', 'Only false (end support) changes anything'));

export const environmentsSchemas = {
  getEnvironments: operation({
    method: 'GET',
    path: '/environments',
    tag: 'Environments',
    summary: 'All environments, by name; paged when `page` or `size` is given',
    ok: ok('EnvironmentList'),
    errors: [400],
    query: query({
      ...pagingQuery.properties,
      name: queryValue('Only the environment with this name'),
      q: queryValue('Only environments whose name or display name contains this, in any case'),
    }),
  }),
  postEnvironments: operation({
    method: 'POST',
    path: '/environments',
    tag: 'Environments',
    summary: 'Create an environment',
    body: 'EnvironmentInput',
    ok: created('Environment', 'Environment'),
  }),
  getEnvironmentsByUuid: operation({
    method: 'GET',
    path: '/environments/:uuid',
    tag: 'Environments',
    summary: 'An environment',
    ok: ok('Environment'),
    errors: [404],
  }),
  putEnvironmentsByUuid: operation({
    method: 'PUT',
    path: '/environments/:uuid',
    tag: 'Environments',
    summary: 'Replace an environment',
    body: 'EnvironmentInput',
    ok: ok('Environment'),
    errors: [404],
  }),
  deleteEnvironmentsByUuid: operation({
    method: 'DELETE',
    path: '/environments/:uuid',
    tag: 'Environments',
    summary: 'Delete an environment with its deployment and release records',
    ok: deleted,
    errors: [404],
  }),
  getEnvironmentsByUuidDeployedVersionsCurrentlyDeployed: operation({
    method: 'GET',
    path: '/environments/:uuid/deployed-versions/currently-deployed',
    tag: 'Deployments',
    summary: 'The versions currently deployed to an environment',
    ok: ok('DeployedVersionList'),
    errors: [400, 404],
    query: query({
      pacticipant: queryValue('Only this pacticipant'),
      applicationInstance: queryValue('Only this application instance'),
      target: queryValue('Deprecated name of applicationInstance'),
    }),
  }),
  getEnvironmentsByUuidReleasedVersionsCurrentlySupported: operation({
    method: 'GET',
    path: '/environments/:uuid/released-versions/currently-supported',
    tag: 'Deployments',
    summary: 'The released versions currently supported in an environment',
    ok: ok('ReleasedVersionList'),
    errors: [400, 404],
    query: query({ pacticipant: queryValue('Only this pacticipant') }),
  }),
  postPacticipantsByPacticipantVersionsByVersionDeployedVersionsEnvironmentByUuid: operation({
    method: 'POST',
    path: '/pacticipants/:pacticipant/versions/:version/deployed-versions/environment/:uuid',
    tag: 'Deployments',
    summary: 'Record a deployment of a version to an environment',
    description: 'Ends the previous deployment of the pacticipant to the same application instance.',
    body: 'DeploymentInput',
    bodyOptional: true,
    ok: created('DeployedVersion', 'Deployment'),
    errors: [404],
  }),
  getPacticipantsByPacticipantVersionsByVersionDeployedVersionsEnvironmentByUuid: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/versions/:version/deployed-versions/environment/:uuid',
    tag: 'Deployments',
    summary: "A version's current deployments to an environment",
    ok: ok('DeployedVersionList'),
    errors: [404],
  }),
  postPacticipantsByPacticipantVersionsByVersionReleasedVersionsEnvironmentByUuid: operation({
    method: 'POST',
    path: '/pacticipants/:pacticipant/versions/:version/released-versions/environment/:uuid',
    tag: 'Deployments',
    summary: 'Record a release of a version to an environment',
    body: 'ReleaseInput',
    bodyOptional: true,
    ok: created('ReleasedVersion', 'Release'),
    errors: [404],
  }),
  getPacticipantsByPacticipantVersionsByVersionReleasedVersionsEnvironmentByUuid: operation({
    method: 'GET',
    path: '/pacticipants/:pacticipant/versions/:version/released-versions/environment/:uuid',
    tag: 'Deployments',
    summary: "A version's currently supported releases to an environment",
    ok: ok('ReleasedVersionList'),
    errors: [404],
  }),
  getDeployedVersionsByUuid: operation({
    method: 'GET',
    path: '/deployed-versions/:uuid',
    tag: 'Deployments',
    summary: 'A deployed version',
    ok: ok('DeployedVersion'),
    errors: [404],
  }),
  patchDeployedVersionsByUuid: operation({
    method: 'PATCH',
    path: '/deployed-versions/:uuid',
    tag: 'Deployments',
    summary: 'Record that a deployed version is no longer deployed',
    body: 'DeployedVersionUpdate',
    bodyOptional: true,
    ok: ok('DeployedVersion'),
    errors: [404],
  }),
  getReleasedVersionsByUuid: operation({
    method: 'GET',
    path: '/released-versions/:uuid',
    tag: 'Deployments',
    summary: 'A released version',
    ok: ok('ReleasedVersion'),
    errors: [404],
  }),
  patchReleasedVersionsByUuid: operation({
    method: 'PATCH',
    path: '/released-versions/:uuid',
    tag: 'Deployments',
    summary: 'Record that a released version is no longer supported',
    body: 'ReleasedVersionUpdate',
    bodyOptional: true,
    ok: ok('ReleasedVersion'),
    errors: [404],
  }),
};
