import type { HalLink } from '@covenant/broker-client';

/** Builders for the broker's HAL links, as absolute URLs under the base URL. */
export const enc = encodeURIComponent;

export interface Links {
  base: string;
}

export function pacticipantUrl(base: string, name: string) {
  return `${base}/pacticipants/${enc(name)}`;
}
export function versionUrl(base: string, pacticipant: string, number: string) {
  return `${pacticipantUrl(base, pacticipant)}/versions/${enc(number)}`;
}
export function pactVersionUrl(base: string, provider: string, consumer: string, sha: string) {
  return `${base}/pacts/provider/${enc(provider)}/consumer/${enc(consumer)}/pact-version/${sha}`;
}
export function consumerVersionPactUrl(base: string, provider: string, consumer: string, version: string) {
  return `${base}/pacts/provider/${enc(provider)}/consumer/${enc(consumer)}/version/${enc(version)}`;
}

/**
 * What a publication (contracts/publish, a provider contract's publish) answers about the version
 * it published: the pacticipant and version, embedded, and the links to them and the version's tags.
 *
 * @example const { _embedded, links } = publishedVersion(b, 'Web', '1.0.0', ['main']);
 */
export function publishedVersion(
  base: string,
  name: string,
  number: string,
  tags: string[],
  branch?: string,
) {
  return {
    _embedded: {
      pacticipant: { name, _links: { self: { href: pacticipantUrl(base, name) } } },
      version: {
        number,
        ...(branch ? { branch } : {}),
        _links: { self: { href: versionUrl(base, name, number), name: number, title: 'Version' } },
      },
    },
    links: {
      'pb:pacticipant': { href: pacticipantUrl(base, name), name, title: 'Pacticipant' },
      'pb:pacticipant-version': {
        href: versionUrl(base, name, number),
        name: number,
        title: 'Pacticipant version',
      },
      'pb:pacticipant-version-tags': tags.map((tag) => ({
        href: `${versionUrl(base, name, number)}/tags/${enc(tag)}`,
        name: tag,
        title: 'Tag',
      })),
    },
  };
}

// `beta` as the reference's index has it, for its deprecated `beta:provider-pacts-for-verification`
export const curies = (base: string): HalLink[] => [
  { name: 'pb', href: `${base}/doc/{rel}?context=index`, templated: true },
  { name: 'beta', href: `${base}/doc/{rel}?context=index`, templated: true },
];
