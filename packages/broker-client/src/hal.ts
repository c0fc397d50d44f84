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
