// What the request filter changes before a contract's request reaches the broker, in three steps:
//
// 1. Placeholder paths. The older contract's consumer tests could not know the broker's URLs, so
//    requests the client makes by following a link use a placeholder path
//    (`/HAL-REL-PLACEHOLDER-PB-WEBHOOKS`) that stands for the link's href. The filter finds the real
//    href by following the same relations the client follows, starting from the index.
// 2. Uuids. The contracts name fixed uuids for environments and deployments; the HTTP API gives
//    these records uuids of its own, so the contracts' uuids are replaced by the ones the states'
//    records got (see `UuidAliases`).
// 3. Matrix parameter order. The matrix query pairs `q[][pacticipant]` with the `q[][version]`,
//    `q[][tag]`… after it, so order matters; a pact file keeps a query as a map, and the verifier
//    sends it grouped by name (`q[][pacticipant]=Foo&q[][pacticipant]=Bar&q[][version]=…`), which
//    the client never sends. The filter puts the parameters back in the client's order, taken from
//    the older contract (which recorded the client's query strings as written).

import type { ProviderRequest } from '@covenant/verifier';
import type { BrokerHttp } from './broker-http.js';
import type { UuidAliases } from './states.js';

const UUID = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';

export interface PlaceholderMapping {
  /** The placeholder path; its groups capture the template values. */
  placeholder: RegExp;
  /** The relations followed, for the report. */
  via: string;
  resolve(http: BrokerHttp, values: string[], aliases: UuidAliases): Promise<string>;
}

/** Our uuid for a contract uuid the states created a record for (else the contract's own). */
const ours = (aliases: UuidAliases, contractUuid: string) => aliases.get(contractUuid)?.uuid ?? contractUuid;

/**
 * The version resource's link to record a deployment or release to an environment. The old
 * contract spells these placeholders in upper case (`…-FOO-5556B8…-TEST`), so the pacticipant
 * and version are looked up in any case, and the link is picked by environment name in any case.
 */
async function recordLink(
  http: BrokerHttp,
  rel: 'pb:record-deployment' | 'pb:record-release',
  [pacticipantSpelt, versionSpelt, environment]: string[],
): Promise<string> {
  const pacticipants = await http.relation('pb:pacticipants');
  const pacticipant = await http.properName(pacticipants, 'pacticipants', 'name', pacticipantSpelt!);
  const versions = await http.relation(
    'pb:versions',
    {},
    { from: await http.relation('pb:pacticipant', { pacticipant }) },
  );
  const version = await http.properName(versions, 'versions', 'number', versionSpelt!);
  const versionHref = await http.relation('pb:pacticipant-version', { pacticipant, version });
  return http.relation(rel, {}, { from: versionHref, name: environment! });
}

/** Every placeholder the older contract uses (most specific first), and how it is resolved. */
export const PLACEHOLDERS: PlaceholderMapping[] = [
  {
    placeholder: /^\/HAL-REL-PLACEHOLDER-INDEX-PB-LATEST-VERSION-(.+)$/,
    via: 'index → pb:latest-version {pacticipant}',
    resolve: (http, [pacticipant]) => http.relation('pb:latest-version', { pacticipant: pacticipant! }),
  },
  {
    placeholder: /^\/HAL-REL-PLACEHOLDER-INDEX-PB-LATEST-TAGGED-VERSION-([^-]+)-(.+)$/,
    via: 'index → pb:latest-tagged-version {pacticipant, tag}',
    resolve: (http, [pacticipant, tag]) =>
      http.relation('pb:latest-tagged-version', { pacticipant: pacticipant!, tag: tag! }),
  },
  {
    placeholder: /^\/HAL-REL-PLACEHOLDER-PB-PACTICIPANT-BRANCH-([^-]+)-(.+)$/,
    via: 'index → pb:pacticipant-branch {pacticipant, branch}',
    resolve: (http, [pacticipant, branch]) =>
      http.relation('pb:pacticipant-branch', { pacticipant: pacticipant!, branch: branch! }),
  },
  {
    placeholder: /^\/HAL-REL-PLACEHOLDER-PB-PACTICIPANT-VERSION-([^-]+)-(.+)$/,
    via: 'index → pb:pacticipant-version {pacticipant, version}',
    resolve: (http, [pacticipant, version]) =>
      http.relation('pb:pacticipant-version', { pacticipant: pacticipant!, version: version! }),
  },
  {
    placeholder: /^\/HAL-REL-PLACEHOLDER-PB-PACTICIPANTS$/,
    via: 'index → pb:pacticipants',
    resolve: (http) => http.relation('pb:pacticipants'),
  },
  {
    placeholder: /^\/HAL-REL-PLACEHOLDER-PB-PACTICIPANT-(.+)$/,
    via: 'index → pb:pacticipant {pacticipant}',
    resolve: (http, [pacticipant]) => http.relation('pb:pacticipant', { pacticipant: pacticipant! }),
  },
  {
    placeholder: /^\/HAL-REL-PLACEHOLDER-PB-PUBLISH-CONTRACTS$/,
    via: 'index → pb:publish-contracts',
    resolve: (http) => http.relation('pb:publish-contracts'),
  },
  {
    placeholder: /^\/HAL-REL-PLACEHOLDER-PB-WEBHOOKS$/,
    via: 'index → pb:webhooks',
    resolve: (http) => http.relation('pb:webhooks'),
  },
  {
    placeholder: /^\/HAL-REL-PLACEHOLDER-PB-ENVIRONMENTS$/,
    via: 'index → pb:environments',
    resolve: (http) => http.relation('pb:environments'),
  },
  {
    placeholder: new RegExp(`^/HAL-REL-PLACEHOLDER-PB-ENVIRONMENT-${UUID}$`),
    via: 'index → pb:environment {uuid}',
    resolve: (http, [uuid], aliases) => http.relation('pb:environment', { uuid: ours(aliases, uuid!) }),
  },
  {
    placeholder: /^\/HAL-REL-PLACEHOLDER-PB-RECORD-DEPLOYMENT-([^-]+)-([^-]+)-(.+)$/,
    via: 'index → pb:pacticipant-version {pacticipant, version} → pb:record-deployment named {environment}',
    resolve: (http, values) => recordLink(http, 'pb:record-deployment', values),
  },
  {
    placeholder: /^\/HAL-REL-PLACEHOLDER-PB-RECORD-RELEASE-([^-]+)-([^-]+)-(.+)$/,
    via: 'index → pb:pacticipant-version {pacticipant, version} → pb:record-release named {environment}',
    resolve: (http, values) => recordLink(http, 'pb:record-release', values),
  },
  {
    placeholder: new RegExp(`^/PLACEHOLDER-ENVIRONMENT-CURRENTLY-DEPLOYED-${UUID}$`),
    via: 'index → pb:environment {uuid} → pb:currently-deployed-deployed-versions',
    resolve: async (http, [uuid], aliases) =>
      http.relation(
        'pb:currently-deployed-deployed-versions',
        {},
        { from: await http.relation('pb:environment', { uuid: ours(aliases, uuid!) }) },
      ),
  },
  {
    placeholder: new RegExp(`^/PLACEHOLDER-DEPLOYED-VERSION-${UUID}$`),
    via: "the deployed version's self link, as recording it answered",
    resolve: async (http, [uuid], aliases) => {
      const record = aliases.get(uuid!);
      if (!record)
        throw new Error(`no deployed version was recorded for ${uuid} (its provider state does that)`);
      return http.local(record.href);
    },
  },
];

/** The mapping for a placeholder path, with its template values. */
export function placeholderFor(path: string): { mapping: PlaceholderMapping; values: string[] } | undefined {
  for (const mapping of PLACEHOLDERS) {
    const match = mapping.placeholder.exec(path);
    if (match) return { mapping, values: match.slice(1) };
  }
  return undefined;
}

/** A query's parameters, decoded and sorted: the same for any order or encoding. */
export function canonicalQuery(query: string): string {
  return [...new URLSearchParams(query)]
    .map(([name, value]) => `${name}=${value}`)
    .sort()
    .join('&');
}

/** The client's query strings (as written, in its order), by their canonical form. */
export function clientQueryOrder(clientQueries: string[]): Map<string, string> {
  return new Map(clientQueries.map((query) => [canonicalQuery(query), query]));
}

export interface Rewrite {
  from: string;
  to: string;
}

const pathAndQuery = (url: URL) => `${url.pathname}${url.search}`;

/**
 * The verifier's request filter for one interaction: maps placeholders, uuids and the matrix
 * parameter order as described above, and reports each rewrite to `rewritten`.
 */
export function contractRequestFilter(options: {
  http: BrokerHttp;
  aliases: UuidAliases;
  matrixQueries: Map<string, string>;
  rewritten: (rewrite: Rewrite) => void;
}): (request: ProviderRequest) => Promise<ProviderRequest> {
  const { http, aliases, matrixQueries } = options;
  return async (request) => {
    const original = new URL(request.url);
    let url = new URL(original.href);
    const placeholder = placeholderFor(url.pathname);
    if (placeholder) {
      const resolved = new URL(await placeholder.mapping.resolve(http, placeholder.values, aliases));
      // the request's own query (e.g. `?pacticipant=Foo`) goes with it
      if (url.search) resolved.search = url.search;
      url = resolved;
    }
    url.pathname = aliases.rewrite(url.pathname);
    if (url.pathname === '/matrix') {
      const asSent = matrixQueries.get(canonicalQuery(url.search));
      if (asSent !== undefined) url.search = `?${asSent}`;
    }
    if (url.href === original.href) return request;
    options.rewritten({ from: pathAndQuery(original), to: pathAndQuery(url) });
    return { ...request, url: url.href };
  };
}
