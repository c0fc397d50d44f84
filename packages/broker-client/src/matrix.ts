import type { HalResource } from './hal.js';
import { linkOf } from './hal.js';

/**
 * One application version in a can-i-deploy question: a version number, the latest (of a tag or
 * branch), or (`tag` without `latest`) every version with a tag.
 */
export interface MatrixSelector {
  pacticipant: string;
  version?: string;
  /** The latest version; with `tag`, the latest with that tag. */
  latest?: boolean;
  /** With `latest`, the latest version with this tag; alone, the versions with this tag. */
  tag?: string;
  /** The latest version of this branch. */
  branch?: string;
  /** The latest version of the pacticipant's main branch. */
  mainBranch?: boolean;
}

/** A can-i-deploy question: can these versions be deployed to an environment (or alongside a tag's latest versions)? */
export interface CanIDeployQuery {
  selectors: MatrixSelector[];
  /** Check against the versions currently deployed or released to this environment. */
  toEnvironment?: string;
  /** Check against the latest versions with this tag (the older, tag-based workflow). */
  toTag?: string;
  /** Check against the latest versions of the other pacticipants' main branches (can-i-merge). */
  toMainBranch?: boolean;
  /** Pacticipants (optionally one version) whose missing or failed verifications don't count. */
  ignore?: Array<{ pacticipant: string; version?: string }>;
  limit?: number;
}

export interface MatrixRow {
  consumer: { name: string; version: string | undefined };
  provider: { name: string; version: string | undefined };
  /** The pact's URL. */
  pactUrl: string | undefined;
  verification: { success: boolean; verifiedAt: string | undefined; url: string | undefined } | undefined;
  ignored: boolean;
}

/** The broker's answer: `deployable` is true, false, or undefined when results are missing (unknown). */
export interface CanIDeployResult {
  deployable: boolean | undefined;
  reason: string;
  counts: { success: number; failed: number; unknown: number; ignored: number };
  notices: Array<{ type: string; text: string }>;
  rows: MatrixRow[];
  /** The broker's matrix response as it came (summary, notices, matrix, _links...), for `-o json`. */
  body: HalResource;
}

/**
 * Builds the `/matrix` query string the official client sends: `q[]` selectors, `latestby`, and
 * the target (environment, tag, main branch), with `ignore[]` entries.
 *
 * @example matrixQueryString({ selectors: [{ pacticipant: 'Web', version: '1' }], toEnvironment: 'production' })
 * // 'q[][pacticipant]=Web&q[][version]=1&latestby=cvpv&environment=production'
 */
export function matrixQueryString(query: CanIDeployQuery): string {
  const parts: string[] = [];
  const add = (key: string, value: string) => parts.push(`${key}=${encodeURIComponent(value)}`);
  for (const s of query.selectors) {
    add('q[][pacticipant]', s.pacticipant);
    if (s.version !== undefined) add('q[][version]', s.version);
    if (s.latest) add('q[][latest]', 'true');
    if (s.tag !== undefined) add('q[][tag]', s.tag);
    if (s.branch !== undefined) add('q[][branch]', s.branch);
    if (s.mainBranch) add('q[][mainBranch]', 'true');
  }
  // one selector against a target: the latest row per consumer/provider pair; an environment keeps
  // every deployed provider version (cvpv) so a failing one among several is not hidden
  add('latestby', query.selectors.length === 1 && !query.toEnvironment ? 'cvp' : 'cvpv');
  if (query.toEnvironment !== undefined) add('environment', query.toEnvironment);
  else if (query.toTag !== undefined) {
    add('latest', 'true');
    add('tag', query.toTag);
  } else if (query.toMainBranch) {
    add('latest', 'true');
    add('mainBranch', 'true');
  } else if (query.selectors.length === 1) add('latest', 'true');
  for (const i of query.ignore ?? []) {
    add('ignore[][pacticipant]', i.pacticipant);
    if (i.version !== undefined) add('ignore[][version]', i.version);
  }
  if (query.limit !== undefined) add('limit', String(query.limit));
  return parts.join('&');
}

const asObject = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
const asString = (value: unknown) => (typeof value === 'string' ? value : undefined);
const asCount = (value: unknown) => (typeof value === 'number' ? value : 0);

/** Reads the broker's matrix response into a `CanIDeployResult`. */
export function readMatrix(body: HalResource): CanIDeployResult {
  const summary = asObject(body.summary);
  const rows = (Array.isArray(body.matrix) ? body.matrix : []).map((entry): MatrixRow => {
    const row = asObject(entry);
    const consumer = asObject(row.consumer);
    const provider = asObject(row.provider);
    const verification = row.verificationResult ? asObject(row.verificationResult) : undefined;
    return {
      consumer: { name: asString(consumer.name) ?? '', version: asString(asObject(consumer.version).number) },
      provider: { name: asString(provider.name) ?? '', version: asString(asObject(provider.version).number) },
      pactUrl: linkOf(asObject(row.pact) as HalResource, 'self')?.href,
      verification: verification
        ? {
            success: verification.success === true,
            verifiedAt: asString(verification.verifiedAt),
            url: linkOf(verification as HalResource, 'self')?.href,
          }
        : undefined,
      ignored: row.ignored === true,
    };
  });
  return {
    deployable: typeof summary.deployable === 'boolean' ? summary.deployable : undefined,
    reason: asString(summary.reason) ?? '',
    counts: {
      success: asCount(summary.success),
      failed: asCount(summary.failed),
      unknown: asCount(summary.unknown),
      ignored: asCount(summary.ignored),
    },
    notices: (Array.isArray(body.notices) ? body.notices : []).map((n) => ({
      type: asString(asObject(n).type) ?? 'info',
      text: asString(asObject(n).text) ?? '',
    })),
    rows,
    body,
  };
}
