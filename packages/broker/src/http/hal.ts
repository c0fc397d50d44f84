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

// `beta` as the reference's index has it, for its deprecated `beta:provider-pacts-for-verification`
export const curies = (base: string): HalLink[] => [
  { name: 'pb', href: `${base}/doc/{rel}?context=index`, templated: true },
  { name: 'beta', href: `${base}/doc/{rel}?context=index`, templated: true },
];
