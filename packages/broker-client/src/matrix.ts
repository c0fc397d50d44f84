import { brokerClientError } from './errors.js';
import { asResource, type HalResource, linkOf, textOf } from './hal.js';
import type { BrokerTransport } from './transport.js';
import type { IgnoreSelector, MatrixSelector } from './wire.js';

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
  ignore?: IgnoreSelector[];
  limit?: number;
}

export interface MatrixRow {
  consumer: { name: string; version: string | undefined };
  provider: { name: string; version: string | undefined };
  /** The pact's URL. */
  pactUrl: string | undefined;
  /** `pending`: it failed while the pact was pending (the provider's build passed). */
  verification:
    | { success: boolean; pending?: true; verifiedAt: string | undefined; url: string | undefined }
    | undefined;
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
    if (s.environment !== undefined) add('q[][environment]', s.environment);
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

const asCount = (value: unknown) => (typeof value === 'number' ? value : 0);

/** Reads the broker's matrix response into a `CanIDeployResult`. */
export function readMatrix(body: HalResource): CanIDeployResult {
  const summary = asResource(body.summary);
  const rows = (Array.isArray(body.matrix) ? body.matrix : []).map((entry): MatrixRow => {
    const row = asResource(entry);
    const consumer = asResource(row.consumer);
    const provider = asResource(row.provider);
    const verification = row.verificationResult ? asResource(row.verificationResult) : undefined;
    return {
      consumer: { name: textOf(consumer.name) ?? '', version: textOf(asResource(consumer.version).number) },
      provider: { name: textOf(provider.name) ?? '', version: textOf(asResource(provider.version).number) },
      pactUrl: linkOf(asResource(row.pact), 'self')?.href,
      verification: verification
        ? {
            success: verification.success === true,
            ...(verification.pending === true ? { pending: true as const } : {}),
            verifiedAt: textOf(verification.verifiedAt),
            url: linkOf(verification as HalResource, 'self')?.href,
          }
        : undefined,
      ignored: row.ignored === true,
    };
  });
  return {
    deployable: typeof summary.deployable === 'boolean' ? summary.deployable : undefined,
    reason: textOf(summary.reason) ?? '',
    counts: {
      success: asCount(summary.success),
      failed: asCount(summary.failed),
      unknown: asCount(summary.unknown),
      ignored: asCount(summary.ignored),
    },
    notices: (Array.isArray(body.notices) ? body.notices : []).map((n) => ({
      type: textOf(asResource(n).type) ?? 'info',
      text: textOf(asResource(n).text) ?? '',
    })),
    rows,
    body,
  };
}

/**
 * Asks the broker whether the selected versions can be deployed (`/matrix`, as the official CLI
 * does), asking again while the answer is unknown, up to `retry.retryWhileUnknown` times.
 */
export async function canIDeploy(
  broker: BrokerTransport,
  query: CanIDeployQuery,
  retry: { retryWhileUnknown?: number; retryIntervalMs?: number; onRetry?: (attempt: number) => void },
): Promise<CanIDeployResult> {
  if (query.selectors.length === 0) {
    throw brokerClientError(
      'COV_BROKER_CLIENT_CONFIG_INVALID',
      'can-i-deploy needs at least one pacticipant',
    );
  }
  for (let attempt = 0; ; attempt++) {
    const result = readMatrix(await broker.request('GET', `/matrix?${matrixQueryString(query)}`));
    if (result.deployable !== undefined || attempt >= (retry.retryWhileUnknown ?? 0)) return result;
    retry.onRetry?.(attempt + 1);
    await new Promise((resolve) => setTimeout(resolve, retry.retryIntervalMs ?? 10_000));
  }
}
