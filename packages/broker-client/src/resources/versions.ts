/** Pacticipant versions: finding one, describing it (branches, tags, environments), tagging it. */
import { brokerClientError } from '../errors.js';
import { asResource, embeddedOf, type HalLink, type HalResource, linkOf, textOf } from '../hal.js';
import type { BrokerTransport } from '../transport.js';
import { environment } from './environments.js';

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

/** The version numbers of a paged version list from its first page, newest first, following `next` links to the end. */
async function allVersionNumbers(broker: BrokerTransport, first: HalResource): Promise<string[]> {
  const numbers: string[] = [];
  for (let page: HalResource | undefined = first; page !== undefined; ) {
    for (const version of embeddedOf(page, 'versions')) {
      const number = textOf(version.number);
      if (number !== undefined) numbers.push(number);
    }
    const next: string | undefined = linkOf(page, 'next')?.href;
    page = next === undefined ? undefined : await broker.request('GET', next);
  }
  return numbers;
}

/**
 * The numbers of a pacticipant's versions with a tag, newest first (every page of
 * `/pacticipants/{p}/tags/{tag}/versions`); a NOT_FOUND error when no version has the tag.
 */
export async function versionsWithTag(broker: BrokerTransport, pacticipant: string, tag: string) {
  const href = broker.relation(await broker.index(), 'pb:pacticipant', { pacticipant });
  const first = await broker.find(`${href}/tags/${encodeURIComponent(tag)}/versions`);
  if (!first)
    throw brokerClientError(
      'COV_BROKER_CLIENT_NOT_FOUND',
      `the broker has no version of ${pacticipant} tagged '${tag}'; check the names, or tag a version first`,
      { pacticipant, tag },
    );
  return allVersionNumbers(broker, first);
}

/**
 * The numbers of a pacticipant's versions ever deployed or released to an environment (named as
 * the broker's environment list names it), newest first.
 */
export async function versionsInEnvironment(
  broker: BrokerTransport,
  pacticipant: string,
  environmentName: string,
) {
  const [{ uuid }, index] = await Promise.all([environment(broker, environmentName), broker.index()]);
  const href = broker.relation(index, 'pb:pacticipant', { pacticipant });
  const first = await broker.request('GET', `${href}/environments/${encodeURIComponent(uuid)}/versions`);
  return allVersionNumbers(broker, first);
}
