import type { ContractResult } from '@covenant/contracts';
import type { FastifyRequest } from 'fastify';
import { findPacticipant, findVersion } from '../db/pacticipants-repo.js';
import {
  comparisonsOfContract,
  comparisonsOfPactSha,
  providerContractOfVersion,
} from '../db/provider-contracts-repo.js';
import { verificationById } from '../db/verifications-repo.js';
import type { ComparisonTestResults } from '../domain/provider-contracts.js';
import type { RouteContext } from '../http/context.js';
import { type Html, html, scrollBox, timeTag } from './html.js';
import { notFoundPage, type PageResult } from './pages.js';

// Bi-directional contract testing's pages: a provider contract with the pacts it was compared
// with, and one comparison's results, interaction by interaction.

type Params = Record<string, string | undefined>;
const enc = encodeURIComponent;

const contractHref = (b: string, provider: string, version: string) =>
  `${b}/provider-contracts/provider/${enc(provider)}/version/${enc(version)}`;
const resultHref = (b: string, provider: string, consumer: string, sha: string, id: number) =>
  `${b}/pacts/provider/${enc(provider)}/consumer/${enc(consumer)}/pact-version/${enc(sha)}/verification-results/${id}`;

const outcome = (success: number) =>
  success === 1
    ? html`<td class="status status-success" data-status="success">Compatible</td>`
    : html`<td class="status status-failed" data-status="failed">Not compatible</td>`;

/**
 * A pact page with the pact's comparisons with provider contracts after it, each linked to its results.
 *
 * @example return withComparisons(context, b, data, pactPage(b, data));
 */
export async function withComparisons(
  context: RouteContext,
  b: string,
  pact: { consumer: string; provider: string; sha: string },
  page: PageResult,
): Promise<PageResult> {
  const { consumer, provider, sha } = pact;
  const rows = await comparisonsOfPactSha(context.options.database.db, consumer, provider, sha);
  if (rows.length === 0) return page;
  return {
    ...page,
    body: html`${page.body}
<h2 id="provider-contracts">Compared with provider contracts</h2>
${scrollBox(
  'Comparisons with provider contracts',
  html`<table class="compact"><thead><tr><th>Provider version</th><th>Result</th><th>Compared</th><th></th></tr></thead><tbody>
${rows.map(
  (
    r,
  ) => html`<tr><td><a href="${contractHref(b, provider, r.provider_version)}"><code>${r.provider_version}</code></a></td>
${outcome(r.success)}<td>${timeTag(r.created_at)}</td>
<td><a href="${resultHref(b, provider, consumer, sha, r.id)}">results</a></td></tr>`,
)}
</tbody></table>`,
)}`,
  };
}

function resultsByInteraction(results: ContractResult[]): Html {
  const groups = new Map<string, ContractResult[]>();
  for (const r of results) {
    const key = r.interaction.index === null ? '' : String(r.interaction.index);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  if (groups.size === 0) return html`<p>No findings: every interaction is allowed by the document.</p>`;
  return html`${[...groups.values()].map((group) => {
    const named = group.find((r) => r.interaction.description !== null)?.interaction;
    return html`<h3>${named ? named.description : 'The provider contract'}${named?.state ? html` <span class="muted">given ${named.state}</span>` : ''}</h3>
${scrollBox(
  'Findings',
  html`<table class="compact"><thead><tr><th>Type</th><th>Code</th><th>Message</th><th>In the pact</th><th>In the document</th></tr></thead><tbody>
${group.map(
  (
    r,
  ) => html`<tr><td class="status status-${r.type === 'error' ? 'failed' : r.type === 'warning' ? 'stale' : 'success'}">${r.type}</td>
<td><code>${r.code}</code></td><td>${r.message}</td><td><code>${r.pactLocation ?? '-'}</code></td><td><code>${r.specLocation}</code></td></tr>`,
)}
</tbody></table>`,
)}`;
  })}`;
}

/**
 * The pages by the API route they share a URL with (see ui/register.ts): a provider contract, and
 * (a comparison's verification result has its page through comparisonResultPage).
 */
export function contractPages(
  context: RouteContext,
): Record<string, (request: FastifyRequest, b: string) => Promise<PageResult>> {
  const db = () => context.options.database.db;
  return {
    '/provider-contracts/provider/:provider/version/:version': async (request, b) => {
      const { provider = '', version = '' } = request.params as Params;
      const p = await findPacticipant(db(), provider);
      const v = p ? await findVersion(db(), p.id, version) : undefined;
      const contract = v ? await providerContractOfVersion(db(), v.id) : undefined;
      if (!contract)
        return notFoundPage(b, `${provider} version ${version} has published no provider contract.`);
      const self = contract.self_verification
        ? (JSON.parse(contract.self_verification) as {
            success: boolean;
            content?: string;
            verifier?: string;
            verifierVersion?: string;
          })
        : undefined;
      const comparisons = await comparisonsOfContract(db(), contract.id);
      const title = `Provider contract of ${contract.provider_name} ${contract.provider_version}`;
      const body = html`<h1>${title}</h1>
<dl class="facts" id="details">
<dt>Specification</dt><dd>${contract.specification === 'oas' ? 'OpenAPI' : 'AsyncAPI'} (${contract.content_type})</dd>
<dt>Published</dt><dd>${timeTag(contract.created_at)}</dd>
<dt>Self-verification</dt><dd>${
        self
          ? html`${self.success ? 'passed' : 'not passed'}${self.verifier ? html` with ${self.verifier}${self.verifierVersion ? ` ${self.verifierVersion}` : ''}` : ''}`
          : html`<span class="muted">none sent</span>`
      }</dd>
</dl>
<h2>Compared with</h2>
${
  comparisons.length === 0
    ? html`<p class="muted">No consumer pact yet.</p>`
    : scrollBox(
        'Comparisons',
        html`<table class="compact"><thead><tr><th>Consumer</th><th>Pact version</th><th>Result</th><th>Compared</th><th></th></tr></thead><tbody>
${comparisons.map(
  (
    c,
  ) => html`<tr><td>${c.consumer_name}</td><td><code>${c.sha.slice(0, 12)}</code></td>${outcome(c.success)}<td>${timeTag(c.created_at)}</td>
<td><a href="${resultHref(b, contract.provider_name, c.consumer_name, c.sha, c.id)}">results</a></td></tr>`,
)}
</tbody></table>`,
      )
}
${self?.content ? html`<details id="self-verification"><summary>Self-verification report</summary><pre><code>${self.content}</code></pre></details>` : ''}
<details id="document" open><summary>The document</summary><pre><code>${contract.content}</code></pre></details>`;
      return { status: 200, title, body };
    },
  };
}

/**
 * The page of a verification result that is a comparison with a provider contract, or undefined
 * for any other result (the verification page, ui/verification-page.ts, shows those).
 */
export async function comparisonResultPage(
  context: RouteContext,
  request: FastifyRequest,
  b: string,
): Promise<PageResult | undefined> {
  const db = () => context.options.database.db;
  const { id = '', sha = '' } = request.params as Params;
  const v = /^\d+$/.test(id) ? await verificationById(db(), Number(id)) : undefined;
  if (!v || v.sha !== sha) return undefined;
  const tested = v.test_results ? (JSON.parse(v.test_results) as Partial<ComparisonTestResults>) : {};
  const comparison = tested.comparison;
  if (!comparison) return undefined;
  const pactHref = `${b}/pacts/provider/${enc(v.provider_name)}/consumer/${enc(v.consumer_name)}/pact-version/${enc(v.sha)}`;
  const title = `${v.consumer_name}'s pact compared with ${v.provider_name} ${v.provider_version}'s contract`;
  const body = html`<h1>${title}</h1>
<dl class="facts" id="details">
<dt>Pact</dt><dd><a href="${pactHref}"><code>${v.sha}</code></a></dd>
<dt>Result</dt><dd><table class="compact verification"><tbody><tr>${outcome(v.success)}</tr></tbody></table></dd>
<dt>Recorded</dt><dd>${timeTag(v.created_at)}</dd>
<dt>Provider contract</dt><dd><a href="${contractHref(b, v.provider_name, v.provider_version)}">${comparison.specification === 'oas' ? 'OpenAPI' : 'AsyncAPI'} document of ${v.provider_name} ${v.provider_version}</a>, self-verification ${comparison.selfVerified ? 'passed' : 'not passed'}</dd>
<dt>Compatible</dt><dd>${comparison.compatible ? 'yes' : 'no'}</dd>
</dl>
${resultsByInteraction(comparison.results)}`;
  return { status: 200, title, body };
}
