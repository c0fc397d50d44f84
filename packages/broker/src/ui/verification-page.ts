import { pactPageData } from '../db/pages-repo.js';
import { verificationById } from '../db/verifications-repo.js';
import { interactionResults, interactionsOf, parseTestResults } from '../domain/test-results.js';
import type { RouteContext } from '../http/context.js';
import { enc } from '../http/hal.js';
import { comparisonResultPage } from './contract-pages.js';
import { html, safeHref, timeTag } from './html.js';
import type { PageHandler } from './matrix-pages.js';
import { notFoundPage } from './pages.js';

const STATUS = {
  passed: { css: 'success', words: 'Passed' },
  failed: { css: 'failed', words: 'Failed' },
  unknown: { css: 'never', words: 'Unknown' },
} as const;

/** A verification result, interaction by interaction (pass, fail with its mismatches, or unknown). */
export function verificationPages(context: RouteContext): Record<string, PageHandler> {
  return {
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results/:id': async (
      request,
      b,
    ) => {
      const comparison = await comparisonResultPage(context, request, b);
      if (comparison) return comparison;
      const { provider = '', consumer = '', sha = '', id = '' } = request.params as Record<string, string>;
      const database = context.options.database;
      const number = /^\d{1,15}$/.test(id) ? Number(id) : Number.NaN;
      const [verification, pact] = await Promise.all([
        Number.isNaN(number) ? undefined : verificationById(database.db, number),
        pactPageData(database, consumer, provider, { kind: 'sha', sha }),
      ]);
      if (!verification || !pact || verification.sha !== sha || verification.consumer_name !== consumer)
        return notFoundPage(
          b,
          `There is no verification result ${id} of this pact between ${consumer} and ${provider}.`,
        );
      const interactions = interactionsOf(pact.content);
      const results = interactionResults(parseTestResults(verification.test_results), interactions);
      const success = Number(verification.success) === 1;
      const build = safeHref(verification.build_url);
      const pactHref = `${b}/pacts/provider/${enc(provider)}/consumer/${enc(consumer)}/pact-version/${enc(sha)}`;
      const counts = (s: 'passed' | 'failed' | 'unknown') => results.filter((r) => r.status === s).length;
      return {
        status: 200,
        title: `Verification of the pact between ${consumer} and ${provider}`,
        body: html`<h1>Verification of the <a href="${pactHref}">pact between ${consumer} and ${provider}</a></h1>
<dl class="facts">
<dt>Result</dt><dd><table class="compact verification"><tbody><tr><td class="status status-${success ? 'success' : 'failed'}" data-status="${success ? 'success' : 'failed'}">${success ? 'Verified' : 'Failed'}</td></tr></tbody></table></dd>
<dt>By</dt><dd>${provider} <code>${verification.provider_version}</code></dd>
<dt>When</dt><dd>${timeTag(verification.created_at)}</dd>
${build ? html`<dt>Build</dt><dd><a href="${build}" rel="noopener noreferrer">${verification.build_url}</a></dd>` : ''}
<dt>Interactions</dt><dd>${counts('passed')} passed, ${counts('failed')} failed, ${counts('unknown')} unknown</dd>
</dl>
<h2>Interactions</h2>
<div class="scroll" role="region" aria-label="Interaction results" tabindex="0">
<table class="interaction-results">
<thead><tr><th scope="col">Interaction</th><th scope="col">Result</th><th scope="col">What did not match</th></tr></thead>
<tbody>${interactions.map((interaction, n) => {
          const r = results[n]!;
          return html`<tr data-result="${r.status}"><td>${interaction.description}</td>
<td class="status status-${STATUS[r.status].css}" data-status="${STATUS[r.status].css}">${STATUS[r.status].words}</td>
<td>${r.mismatches.length ? html`<ul>${r.mismatches.map((m) => html`<li>${m}</li>`)}</ul>` : html`<span class="muted">${r.status === 'unknown' ? 'the verifier reported nothing for it' : 'nothing'}</span>`}</td></tr>`;
        })}</tbody>
</table>
</div>`,
      };
    },
  };
}
