import { CovenantError, pactFromJson, parseJson, stringifyJson } from '@covenant/core';
import type {
  IntegrationRow,
  PacticipantSummary,
  PactPageData,
  VerificationSummary,
  VersionRow,
} from '../db/pages-repo.js';
import { interactionResults, interactionsOf, parseTestResults } from '../domain/test-results.js';
import { enc } from '../http/hal.js';
import type { IntegrationWebhookStatus } from '../webhooks/execute.js';
import { type Html, html, safeHref, scrollBox, timeTag } from './html.js';
import { renderInteractions } from './pact-view.js';
import { webhookStatusCell } from './webhook-pages.js';

/** What a page handler answers: a status, a title and the content (the layout is added around it). */
export interface PageResult {
  status: number;
  title: string;
  body: Html;
  /** The API resource on the page's own URL (its path and query), which the header's API browser link opens. */
  apiPath?: string;
}

const pacticipantHref = (b: string, name: string) => `${b}/pacticipants/${enc(name)}`;
const latestPactHref = (b: string, consumer: string, provider: string) =>
  `${b}/pacts/provider/${enc(provider)}/consumer/${enc(consumer)}/latest`;
const versionPactHref = (b: string, consumer: string, provider: string, version: string) =>
  `${b}/pacts/provider/${enc(provider)}/consumer/${enc(consumer)}/version/${enc(version)}`;

/** Names shown as small coloured badges, each saying what it is to a screen reader. */
export function badges(kind: 'branch' | 'tag' | 'env' | 'label', names: string[]): Html {
  const what = { branch: 'branch', tag: 'tag', env: 'environment', label: 'label' }[kind];
  return html`${names.map(
    (n) =>
      html`<span class="badge ${kind}" title="${what}"><span class="visually-hidden">${what} </span>${n}</span>`,
  )}`;
}

type Status = 'success' | 'failed' | 'stale' | 'never';

/** The "last verified" cell: coloured green (success), red (failed), amber (stale) or grey (never). */
export function verificationCell(
  verification: VerificationSummary | null,
  earlier: VerificationSummary | null = null,
  now = Date.now(),
): Html {
  let status: Status;
  let content: Html;
  let title: string;
  if (verification) {
    status = verification.success ? 'success' : 'failed';
    title = `${verification.success ? 'Verified successfully' : 'Verification failed'} by version ${verification.providerVersion}`;
    content = html`${verification.success ? 'Verified' : 'Failed'} ${timeTag(verification.verifiedAt, now)}
<span class="status-note">by version ${verification.providerVersion}</span>`;
  } else if (earlier) {
    status = 'stale';
    title = `The latest pact has not been verified yet; an earlier one was, ${earlier.success ? 'successfully' : 'and failed'}`;
    content = html`Not yet verified
<span class="status-note">an earlier pact ${earlier.success ? 'passed' : 'failed'} ${timeTag(earlier.verifiedAt, now)}</span>`;
  } else {
    status = 'never';
    title = 'This pact has never been verified';
    content = html`Never verified`;
  }
  return html`<td class="status status-${status}" data-status="${status}" title="${title}">${content}</td>`;
}

/** A table of integrations, each with its latest pact and verification. */
export function integrationsTable(
  b: string,
  rows: IntegrationRow[],
  now = Date.now(),
  webhookStatus?: (consumer: string, provider: string) => IntegrationWebhookStatus,
): Html {
  return scrollBox(
    'Integrations',
    html`<table class="integrations">
<thead><tr><th scope="col">Consumer</th><th scope="col">Provider</th><th scope="col">Consumer version</th>
<th scope="col">Latest pact published</th><th scope="col">Last verified</th><th scope="col">Pact</th>${
      webhookStatus ? html`<th scope="col">Webhook status</th>` : ''
    }</tr></thead>
<tbody>
${rows.map(
  (r) => html`<tr data-consumer="${r.consumer}" data-provider="${r.provider}">
<td><a href="${pacticipantHref(b, r.consumer)}">${r.consumer}</a></td>
<td><a href="${pacticipantHref(b, r.provider)}">${r.provider}</a></td>
<td><code>${r.consumerVersion}</code><br>${badges('branch', r.branches)}${badges('tag', r.tags)}</td>
<td>${timeTag(r.publishedAt, now)}</td>
${verificationCell(r.verification, r.earlierVerification, now)}
<td><a class="pact-link" href="${latestPactHref(b, r.consumer, r.provider)}" title="The latest pact between ${r.consumer} and ${r.provider}">View pact</a></td>
${webhookStatus ? webhookStatusCell(b, r.consumer, r.provider, webhookStatus(r.consumer, r.provider)) : ''}
</tr>`,
)}
</tbody>
</table>`,
  );
}

/** Previous and next links for a paged page (nothing when there is one page). */
export function pagination(b: string, path: string, page: number, hasNext: boolean, query = ''): Html {
  if (page <= 1 && !hasNext) return html``;
  const href = (n: number) => {
    const params = [query, n > 1 ? `page=${n}` : ''].filter(Boolean).join('&');
    return `${b}${path}${params ? `?${params}` : ''}`;
  };
  return html`<nav class="pagination" aria-label="Pages">
${page > 1 ? html`<a rel="prev" href="${href(page - 1)}">← Previous</a>` : ''}
<span>Page ${page}</span>
${hasNext ? html`<a rel="next" href="${href(page + 1)}">Next →</a>` : ''}
</nav>`;
}

export function indexPage(
  b: string,
  rows: IntegrationRow[],
  page: number,
  hasNext: boolean,
  webhookStatus?: (consumer: string, provider: string) => IntegrationWebhookStatus,
  search = '',
): PageResult {
  const searchForm = html`<form class="filters" method="get" action="${b}/" role="search">
<label>Consumer or provider name <input type="search" name="q" value="${search}"></label>
<button type="submit">Search</button>
${search ? html`<a href="${b}/">Show all</a>` : ''}
</form>`;
  const body =
    search && rows.length === 0 && page === 1
      ? html`<h1>Integrations</h1>
${searchForm}
<p>No integration has a consumer or provider whose name contains “${search}”.</p>`
      : rows.length === 0 && page === 1
        ? html`<h1>Integrations</h1>
<p>No pacts have been published yet. Publish one (<code>POST /contracts/publish</code>, or
<code>PUT /pacts/provider/{provider}/consumer/{consumer}/version/{version}</code>) and it appears here.</p>`
        : html`<h1>Integrations</h1>
<p class="muted">The latest pact between each consumer and provider, and how its verification went.
<a href="${b}/branches-and-tags">Branches and tags</a> of every pacticipant.</p>
${searchForm}
${integrationsTable(b, rows, undefined, webhookStatus)}
${pagination(b, '/', page, hasNext, search ? `q=${encodeURIComponent(search)}` : '')}`;
  return { status: 200, title: 'Integrations', body };
}

export function pactPage(b: string, data: PactPageData): PageResult {
  const title = `Pact between ${data.consumer} and ${data.provider}`;
  let interactions: Html;
  let pretty = data.content;
  const parsed = parseJson(data.content);
  if (parsed.ok) {
    pretty = stringifyJson(parsed.value, 2);
    try {
      const results = data.verification
        ? interactionResults(parseTestResults(data.verificationTestResults), interactionsOf(data.content))
        : undefined;
      interactions = renderInteractions(pactFromJson(parsed.value, 'the pact'), results);
    } catch (error) {
      const reason = error instanceof CovenantError ? `${error.code}: ${error.detail}` : String(error);
      interactions = html`<p>This pact cannot be shown as interactions (${reason}); its JSON is below.</p>`;
    }
  } else {
    interactions = html`<p>This pact is not valid JSON; its text is below.</p>`;
  }
  const spec = parsed.ok ? specificationOf(parsed.value) : undefined;
  const body = html`<h1>Pact between <a href="${pacticipantHref(b, data.consumer)}">${data.consumer}</a> and
<a href="${pacticipantHref(b, data.provider)}">${data.provider}</a></h1>
<dl class="facts" id="details">
<dt>Consumer version</dt><dd><a href="${versionPactHref(b, data.consumer, data.provider, data.consumerVersion)}"><code>${data.consumerVersion}</code></a>
${badges('branch', data.branches)}${badges('tag', data.tags)}</dd>
<dt>Published</dt><dd>${timeTag(data.publishedAt)}</dd>
<dt>Pact version</dt><dd><a href="${b}/pacts/provider/${enc(data.provider)}/consumer/${enc(data.consumer)}/pact-version/${enc(data.sha)}"><code>${data.sha}</code></a></dd>
${spec ? html`<dt>Specification</dt><dd>${spec}</dd>` : ''}
<dt>Last verified</dt><dd><table class="compact verification"><tbody><tr>${verificationCell(data.verification)}</tr></tbody></table></dd>
<dt>Latest</dt><dd><a href="${latestPactHref(b, data.consumer, data.provider)}">the latest pact between ${data.consumer} and ${data.provider}</a></dd>
<dt>Changes</dt><dd><a class="diff-link" href="${versionPactHref(b, data.consumer, data.provider, data.consumerVersion)}/diff/previous-distinct">what changed since the previous different pact</a></dd>
</dl>
${interactions}
<details id="raw"><summary>Pact JSON</summary><pre><code>${pretty}</code></pre></details>`;
  return { status: 200, title, body };
}

function specificationOf(json: unknown): string | undefined {
  const metadata = (json as { metadata?: Record<string, { version?: unknown } | undefined> }).metadata;
  const version = metadata?.pactSpecification?.version ?? metadata?.['pact-specification']?.version;
  return typeof version === 'string' ? `Pact ${version}` : undefined;
}

export function pacticipantPage(
  b: string,
  p: PacticipantSummary,
  integrations: IntegrationRow[],
  versions: VersionRow[],
  page: number,
  hasNext: boolean,
): PageResult {
  const repository = safeHref(p.repositoryUrl);
  const body = html`<h1>${p.displayName && p.displayName !== p.name ? html`${p.displayName} <span class="muted">(${p.name})</span>` : p.name}</h1>
<dl class="facts">
<dt>Name</dt><dd>${p.name}</dd>
<dt>Main branch</dt><dd>${p.mainBranch ? badges('branch', [p.mainBranch]) : html`<span class="muted">not set</span>`}</dd>
<dt>Repository</dt><dd>${
    p.repositoryUrl
      ? repository
        ? html`<a href="${repository}" rel="noopener noreferrer">${p.repositoryUrl}</a>`
        : p.repositoryUrl
      : html`<span class="muted">not set</span>`
  }</dd>
<dt>Labels</dt><dd>${p.labels.length ? badges('label', p.labels) : html`<span class="muted">none</span>`}</dd>
<dt>Created</dt><dd>${timeTag(p.createdAt)}</dd>
</dl>
<h2>Integrations</h2>
${integrations.length ? integrationsTable(b, integrations) : html`<p class="muted">No pacts involve ${p.name} yet.</p>`}
${integrations.length ? html`<p><a class="interactions-link" href="${b}/pacticipants/${enc(p.name)}/interactions">Every interaction ${p.name} takes part in</a>, as consumer and as provider</p>` : ''}
<h2>Versions <span class="muted">(${p.versionCount})</span></h2>
${
  versions.length
    ? html`${scrollBox(
        'Versions',
        html`<table class="versions">
<thead><tr><th scope="col">Version</th><th scope="col">Created</th><th scope="col">Branches</th><th scope="col">Tags</th><th scope="col">Environments</th></tr></thead>
<tbody>${versions.map((v) => {
          const build = safeHref(v.buildUrl);
          return html`<tr>
<td><code>${v.number}</code>${build ? html` <a href="${build}" rel="noopener noreferrer">build</a>` : ''}</td>
<td>${timeTag(v.createdAt)}</td>
<td>${badges('branch', v.branches)}</td>
<td>${badges('tag', v.tags)}</td>
<td>${badges('env', v.deployedTo)}${badges(
            'env',
            v.releasedIn.map((e) => `${e} (released)`),
          )}</td>
</tr>`;
        })}</tbody>
</table>`,
      )}
${pagination(b, `/pacticipants/${enc(p.name)}`, page, hasNext)}`
    : html`<p class="muted">${page > 1 ? 'No versions on this page.' : `${p.name} has no versions yet.`}</p>`
}`;
  return { status: 200, title: p.displayName ?? p.name, body };
}

export function notFoundPage(b: string, detail: string): PageResult {
  return {
    status: 404,
    title: 'Not found',
    body: html`<h1>Not found</h1><p>${detail}</p><p><a href="${b}/">Back to the integrations</a></p>`,
  };
}

export function errorPage(b: string): PageResult {
  return {
    status: 500,
    title: 'Server error',
    body: html`<h1>Something went wrong</h1><p>The broker failed to show this page; its log says why.</p>
<p><a href="${b}/">Back to the integrations</a></p>`,
  };
}
