import { comparePacts, type DiffRequest, type PactComparison } from '../domain/pact-comparison.js';
import type { PactChange } from '../domain/pact-diff.js';
import { BrokerRequestError } from '../errors.js';
import type { RouteContext } from '../http/context.js';
import { enc } from '../http/hal.js';
import { type Html, html } from './html.js';
import type { PageHandler } from './matrix-pages.js';
import { notFoundPage } from './pages.js';

const PACT = '/pacts/provider/:provider/consumer/:consumer';

function diffBody(b: string, c: PactComparison): Html {
  const base = `${b}/pacts/provider/${enc(c.provider)}/consumer/${enc(c.consumer)}`;
  const side = (s: PactComparison['after']) =>
    html`<a href="${base}/version/${enc(s.consumerVersion)}"><code>${s.consumerVersion}</code></a> <span class="muted">(pact version <code>${s.sha.slice(0, 12)}</code>)</span>`;
  const breaking = c.changes.filter((ch) => ch.mark === 'may break the provider').length;
  const byInteraction = new Map<string, PactChange[]>();
  for (const change of c.changes)
    byInteraction.set(change.interaction, [...(byInteraction.get(change.interaction) ?? []), change]);
  return html`<h1>What changed in the pact between <a href="${b}/pacticipants/${enc(c.consumer)}">${c.consumer}</a> and <a href="${b}/pacticipants/${enc(c.provider)}">${c.provider}</a></h1>
<dl class="facts">
<dt>From</dt><dd>${c.before ? side(c.before) : html`<span class="muted">no earlier pact with different content</span>`}</dd>
<dt>To</dt><dd>${side(c.after)}</dd>
</dl>
${
  c.changes.length === 0
    ? html`<p class="diff-summary">No changes.</p>`
    : html`<p class="diff-summary">${c.changes.length} change${c.changes.length === 1 ? '' : 's'}: ${breaking} may break the provider, ${c.changes.length - breaking} relaxed.</p>
${[...byInteraction].map(
  ([name, changes]) =>
    html`<article class="interaction diff"><h2>${name}</h2><ul class="changes">${changes.map(
      (ch) =>
        html`<li class="${ch.mark === 'relaxed' ? 'change-relaxed' : 'change-breaks'}"><span class="mark">${ch.mark}</span> ${ch.words}</li>`,
    )}</ul></article>`,
)}`
}`;
}

/** The diff pages, on the URLs of the reference broker's diff resources. */
export function diffPages(context: RouteContext): Record<string, PageHandler> {
  const page =
    (which: (p: Record<string, string>) => DiffRequest): PageHandler =>
    async (request, b) => {
      const params = request.params as Record<string, string>;
      try {
        const comparison = await comparePacts(
          context.options.database,
          params.consumer ?? '',
          params.provider ?? '',
          which(params),
        );
        return {
          status: 200,
          title: `Changes between ${comparison.consumer} and ${comparison.provider}`,
          body: diffBody(b, comparison),
        };
      } catch (error) {
        if (error instanceof BrokerRequestError && error.status === 404) return notFoundPage(b, error.detail);
        throw error;
      }
    };
  return {
    [`${PACT}/version/:version/diff/previous-distinct`]: page((p) => ({
      kind: 'previous-distinct',
      version: p.version ?? '',
    })),
    [`${PACT}/version/:version/diff/version/:other`]: page((p) => ({
      kind: 'versions',
      version: p.version ?? '',
      other: p.other ?? '',
    })),
    [`${PACT}/pact-version/:sha/diff/pact-version/:other`]: page((p) => ({
      kind: 'pact-versions',
      sha: p.sha ?? '',
      other: p.other ?? '',
    })),
  };
}
