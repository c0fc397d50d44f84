/** Pacticipant versions: finding one, describing it (branches, tags, environments), tagging it. */
import { brokerClientError } from '../errors.js';
import { asResource, embeddedOf, type HalLink, type HalResource, linkOf, textOf } from '../hal.js';
import type { BrokerTransport } from '../transport.js';

/** A pacticipant version as `describe-version` shows it. */
export interface PacticipantVersion {
  pacticipant: string;
  number: string;
  branches: string[];
  tags: string[];
  buildUrl: string | undefined;
  createdAt: string | undefined;
  /** The environments it is deployed or released to. */
  deployedTo: string[];
  releasedTo: string[];
}

/** A version's resource: by number, or the latest (of a tag); a NOT_FOUND error when the broker has none. */
export async function versionResource(
  broker: BrokerTransport,
  pacticipant: string,
  version: string | { latest: true; tag?: string },
) {
  const index = await broker.index();
  const href =
    typeof version === 'string'
      ? broker.relation(index, 'pb:pacticipant-version', { pacticipant, version })
      : version.tag !== undefined
        ? broker.relation(index, 'pb:latest-tagged-version', { pacticipant, tag: version.tag })
        : broker.relation(index, 'pb:latest-version', { pacticipant });
  const resource = await broker.find(href);
  if (!resource) {
    const what =
      typeof version === 'string'
        ? `version ${version} of ${pacticipant}`
        : `version of ${pacticipant}${version.tag !== undefined ? ` tagged '${version.tag}'` : ''}`;
    throw brokerClientError(
      'COV_BROKER_CLIENT_NOT_FOUND',
      `the broker has no ${what}; check the name and version, or publish it first`,
      { pacticipant, ...(typeof version === 'string' ? { version } : {}) },
    );
  }
  return resource;
}

/**
 * A pacticipant version with its branches, tags and environments; the latest (of a tag) when
 * `version` is `{ latest: true }`.
 */
export async function describeVersion(
  broker: BrokerTransport,
  pacticipant: string,
  version: string | { latest: true; tag?: string },
): Promise<PacticipantVersion> {
  // the environments are listed while the version is fetched; each is then asked at once
  const [resource, environments] = await Promise.all([
    versionResource(broker, pacticipant, version),
    broker.index().then((index) => broker.request('GET', broker.relation(index, 'pb:environments'))),
  ]);
  const names = (items: HalResource[], key = 'name') =>
    items.map((item) => textOf(item[key])).filter((v): v is string => v !== undefined);
  const number = textOf(resource.number) ?? (typeof version === 'string' ? version : '');
  const branchVersions = embeddedOf(resource, 'branchVersions');
  return {
    pacticipant,
    number,
    branches: branchVersions.length ? names(branchVersions) : names(embeddedOf(resource, 'branches')),
    tags: names(embeddedOf(resource, 'tags')),
    buildUrl: textOf(resource.buildUrl),
    createdAt: textOf(resource.createdAt),
    ...(await environmentsOf(broker, embeddedOf(environments, 'environments'), pacticipant, number)),
  };
}

/**
 * The environments (of the broker's list) a version is currently deployed or released to, asked
 * of every environment at once.
 */
export async function environmentsOf(
  broker: BrokerTransport,
  environments: HalResource[],
  pacticipant: string,
  number: string,
) {
  const query = `?pacticipant=${encodeURIComponent(pacticipant)}`;
  const holds = async (link: HalLink | undefined, key: string) =>
    link !== undefined &&
    embeddedOf(await broker.request('GET', link.href + query), key).some(
      (item) => textOf(asResource(item._embedded?.version).number) === number,
    );
  const answers = await Promise.all(
    environments.map(async (environment) => {
      const [deployed, released] = await Promise.all([
        holds(linkOf(environment, 'pb:currently-deployed-deployed-versions'), 'deployedVersions'),
        holds(linkOf(environment, 'pb:currently-supported-released-versions'), 'releasedVersions'),
      ]);
      return { name: textOf(environment.name) ?? '', deployed, released };
    }),
  );
  return {
    deployedTo: answers.filter((a) => a.deployed).map((a) => a.name),
    releasedTo: answers.filter((a) => a.released).map((a) => a.name),
  };
}

/**
 * Tags a pacticipant version. Unless `autoCreateVersion`, the version must exist.
 */
export async function createVersionTags(
  broker: BrokerTransport,
  input: {
    pacticipant: string;
    version: string;
    tags: string[];
    autoCreateVersion?: boolean;
  },
): Promise<void> {
  if (!input.autoCreateVersion) await versionResource(broker, input.pacticipant, input.version);
  const index = await broker.index();
  for (const tag of input.tags) {
    await broker.request(
      'PUT',
      broker.relation(index, 'pb:pacticipant-version-tag', {
        pacticipant: input.pacticipant,
        version: input.version,
        tag,
      }),
      {},
    );
  }
}
