/** Deployments and releases: recording them, and ending them (undeployment, support ended). */
import { brokerClientError } from '../errors.js';
import { asResource, embeddedOf, type HalResource, linkOf, linksOf, textOf } from '../hal.js';
import type { BrokerTransport } from '../transport.js';
import { environment } from './environments.js';
import { versionResource } from './versions.js';

/** A deployment or release the broker recorded. */
export interface RecordedDeployment {
  pacticipant: string;
  version: string;
  environment: string;
  applicationInstance: string | undefined;
  url: string | undefined;
}

/** Records a deployment or a release of a version to an environment, through the version's relation for it. */
export async function record(
  broker: BrokerTransport,
  kind: 'pb:record-deployment' | 'pb:record-release',
  input: {
    pacticipant: string;
    version: string;
    environment: string;
    applicationInstance?: string | undefined;
  },
): Promise<RecordedDeployment> {
  const version = await versionResource(broker, input.pacticipant, input.version);
  const link = linksOf(version, kind).find((l) => l.name === input.environment);
  if (!link) {
    // an unknown environment is the usual cause: this throws the error that lists the known ones
    await environment(broker, input.environment);
    throw brokerClientError(
      'COV_BROKER_CLIENT_RELATION_MISSING',
      `the broker offers no '${kind}' relation for ${input.environment} on version ${input.version} of ${input.pacticipant}`,
      { rel: kind },
    );
  }
  const body =
    input.applicationInstance !== undefined ? { applicationInstance: input.applicationInstance } : {};
  const recorded = (await broker.request('POST', link.href, body)) ?? {};
  return {
    pacticipant: input.pacticipant,
    version: input.version,
    environment: input.environment,
    applicationInstance: textOf(recorded.applicationInstance) ?? input.applicationInstance,
    url: linkOf(recorded, 'self')?.href,
  };
}

/**
 * Records that a pacticipant is no longer deployed to an environment: the deployment of the given
 * application instance, or (none named) the deployment without an instance, as the official CLI
 * does; returns the deployments ended.
 */
export async function recordUndeployment(
  broker: BrokerTransport,
  input: {
    pacticipant: string;
    environment: string;
    applicationInstance?: string | undefined;
  },
): Promise<RecordedDeployment[]> {
  const target = await environment(broker, input.environment);
  const href = broker.relation(target.resource, 'pb:currently-deployed-deployed-versions');
  const list = await broker.request('GET', `${href}?pacticipant=${encodeURIComponent(input.pacticipant)}`);
  const instanceOf = (d: HalResource) => textOf(d.applicationInstance) ?? textOf(d.target);
  const deployments = embeddedOf(list, 'deployedVersions');
  // as the official CLI: no instance named ends only the deployment that has no instance
  const current = deployments.filter((d) => instanceOf(d) === input.applicationInstance);
  if (current.length === 0) {
    const others = [
      ...new Set(deployments.map((d) => instanceOf(d) ?? '(none: leave --application-instance out)')),
    ];
    throw brokerClientError(
      'COV_BROKER_CLIENT_NOT_FOUND',
      `${input.pacticipant} is not currently deployed to ${input.environment}${
        input.applicationInstance !== undefined
          ? ` (application instance ${input.applicationInstance})`
          : ' without an application instance'
      }; nothing to undeploy${
        others.length > 0 ? `; the application instances deployed there are: ${others.join(', ')}` : ''
      }`,
      { pacticipant: input.pacticipant, environment: input.environment },
    );
  }
  const ended: RecordedDeployment[] = [];
  for (const deployed of current) {
    await broker.request('PATCH', broker.relation(deployed, 'self'), { currentlyDeployed: false });
    ended.push({
      pacticipant: input.pacticipant,
      version: textOf(asResource(deployed._embedded?.version).number) ?? '',
      environment: input.environment,
      applicationInstance: textOf(deployed.applicationInstance),
      url: linkOf(deployed, 'self')?.href,
    });
  }
  return ended;
}

/**
 * Records that a released version is no longer supported in an environment.
 */
export async function recordSupportEnded(
  broker: BrokerTransport,
  input: {
    pacticipant: string;
    version: string;
    environment: string;
  },
): Promise<RecordedDeployment[]> {
  const target = await environment(broker, input.environment);
  const href = broker.relation(target.resource, 'pb:currently-supported-released-versions');
  const list = await broker.request(
    'GET',
    `${href}?pacticipant=${encodeURIComponent(input.pacticipant)}&version=${encodeURIComponent(input.version)}`,
  );
  const current = embeddedOf(list, 'releasedVersions').filter(
    (r) => (textOf(asResource(r._embedded?.version).number) ?? input.version) === input.version,
  );
  if (current.length === 0) {
    throw brokerClientError(
      'COV_BROKER_CLIENT_NOT_FOUND',
      `version ${input.version} of ${input.pacticipant} is not a currently supported release in ${input.environment}`,
      { pacticipant: input.pacticipant, environment: input.environment },
    );
  }
  for (const released of current) {
    await broker.request('PATCH', broker.relation(released, 'self'), { currentlySupported: false });
  }
  return current.map((r) => ({
    pacticipant: input.pacticipant,
    version: input.version,
    environment: input.environment,
    applicationInstance: undefined,
    url: linkOf(r, 'self')?.href,
  }));
}
