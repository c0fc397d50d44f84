/** HAL (application/hal+json) shapes as the Pact Broker serves them. */

export interface HalLink {
  href: string;
  name?: string;
  title?: string;
  templated?: boolean;
}

export interface HalResource {
  _links?: Record<string, HalLink | HalLink[] | undefined>;
  _embedded?: Record<string, unknown>;
  [field: string]: unknown;
}

/** The first link of a relation, if present. */
export function linkOf(resource: HalResource, rel: string): HalLink | undefined {
  const link = resource._links?.[rel];
  return Array.isArray(link) ? link[0] : link;
}

/**
 * Expands a templated href (`/pacts/provider/{provider}`), URL-encoding each value.
 *
 * @example expandTemplate('/pacticipants/{p}', { p: 'User Service' }) // '/pacticipants/User%20Service'
 */
export function expandTemplate(href: string, values: Record<string, string>): string {
  return href.replace(/\{(\w+)\}/g, (whole, name: string) =>
    values[name] === undefined ? whole : encodeURIComponent(values[name]),
  );
}

/** A value read as a HAL resource: an object as it is, anything else as an empty one. */
export const asResource = (value: unknown): HalResource =>
  typeof value === 'object' && value !== null ? (value as HalResource) : {};

/** A field read as text: a string, else undefined. */
export const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Every link of a relation (one link or a list). */
export function linksOf(resource: HalResource, rel: string): HalLink[] {
  const link = resource._links?.[rel];
  return link === undefined ? [] : Array.isArray(link) ? link : [link];
}

/** The embedded resources under a key, or none. */
export function embeddedOf(resource: HalResource | undefined, key: string): HalResource[] {
  const value = resource?._embedded?.[key];
  return Array.isArray(value) ? (value as HalResource[]) : [];
}
