import {
  type Body,
  bodyText,
  describeRule,
  type Headers,
  type HttpRequest,
  type HttpResponse,
  type Interaction,
  type JsonObject,
  type JsonValue,
  type MatchingRules,
  type MessageContents,
  type Pact,
  type ProviderState,
  type Query,
  type RuleCategoryName,
  stringifyJson,
} from '@covenant/core';
import type { InteractionResult } from '../domain/test-results.js';
import { type Html, html } from './html.js';

const CATEGORY_LABEL: Record<RuleCategoryName, string> = {
  method: 'method',
  path: 'path',
  header: 'header',
  query: 'query',
  body: 'body',
  status: 'status',
  metadata: 'metadata',
};

function rulesTable(rules: MatchingRules): Html {
  const rows: Html[] = [];
  for (const [category, entries] of Object.entries(rules) as Array<
    [RuleCategoryName, NonNullable<MatchingRules[RuleCategoryName]>]
  >) {
    for (const [key, { path, list }] of entries) {
      const where = path.expression || key || '(whole)';
      rows.push(
        html`<tr><td>${CATEGORY_LABEL[category]}</td><td><code>${where}</code></td><td>${list.rules
          .map(describeRule)
          .join(list.combine === 'OR' ? ' or ' : ' and ')}</td></tr>`,
      );
    }
  }
  if (rows.length === 0) return html``;
  return html`<details class="rules" open><summary>Matching rules (${rows.length})</summary>
<table class="compact"><thead><tr><th scope="col">Part</th><th scope="col">Where</th><th scope="col">Must be</th></tr></thead>
<tbody>${rows}</tbody></table></details>`;
}

function pairsTable(caption: string, pairs: Array<[string, string]>): Html {
  if (pairs.length === 0) return html``;
  return html`<table class="compact"><caption class="visually-hidden">${caption}</caption>
<thead><tr><th scope="col">${caption}</th><th scope="col">Value</th></tr></thead>
<tbody>${pairs.map(([k, v]) => html`<tr><td><code>${k}</code></td><td><code>${v}</code></td></tr>`)}</tbody></table>`;
}

const headerPairs = (headers: Headers | undefined): Array<[string, string]> =>
  Object.entries(headers ?? {}).map(([k, v]) => [k, v.join(', ')]);
const queryPairs = (query: Query | undefined): Array<[string, string]> =>
  Object.entries(query ?? {}).flatMap(([k, values]) => values.map((v): [string, string] => [k, v]));
const jsonPairs = (object: JsonObject): Array<[string, string]> =>
  Object.entries(object).map(([k, v]) => [k, typeof v === 'string' ? v : stringifyJson(v)]);

/** A body as people read it: pretty JSON, text as is, binary as a size. */
function bodyBlock(body: Body, what = 'Body'): Html {
  switch (body.kind) {
    case 'missing':
      return html``;
    case 'null':
      return html`<h5>${what}</h5><pre>null</pre>`;
    case 'present': {
      const type = body.contentType ? html` <span class="muted">(${body.contentType})</span>` : html``;
      const content = body.content;
      if (content.type === 'json')
        return html`<h5>${what}${type}</h5><pre><code>${stringifyJson(content.value, 2)}</code></pre>`;
      if (content.type === 'text') {
        if (content.text === '') return html`<h5>${what}${type}</h5><p class="muted">empty</p>`;
        return html`<h5>${what}${type}</h5><pre><code>${content.text}</code></pre>`;
      }
      const textual = /^text\/|[/+](json|xml)\b|^application\/(x-www-form-urlencoded|javascript)/i.test(
        body.contentType ?? '',
      );
      if (textual) return html`<h5>${what}${type}</h5><pre><code>${bodyText(content)}</code></pre>`;
      return html`<h5>${what}${type}</h5><p class="muted">${content.bytes.length} bytes of binary content</p>`;
    }
  }
}

function requestSection(request: HttpRequest): Html {
  const query = request.rawQuery !== undefined ? `?${request.rawQuery}` : '';
  return html`<section class="request" aria-label="Request">
<h4>Request</h4>
<p><span class="method">${request.method.toUpperCase()}</span> <code class="path">${request.path}${query}</code></p>
${request.rawQuery === undefined ? pairsTable('Query parameter', queryPairs(request.query)) : html``}
${pairsTable('Header', headerPairs(request.headers))}
${bodyBlock(request.body)}
${rulesTable(request.matchingRules)}
</section>`;
}

function responseSection(response: HttpResponse): Html {
  return html`<section class="response" aria-label="Response">
<h4>Response</h4>
<p>Status <strong class="status-code">${response.status ?? 200}</strong></p>
${pairsTable('Header', headerPairs(response.headers))}
${bodyBlock(response.body)}
${rulesTable(response.matchingRules)}
</section>`;
}

function messageSection(title: string, message: MessageContents): Html {
  return html`<section class="message" aria-label="${title}">
<h4>${title}</h4>
${message.contents.kind === 'missing' ? html`<p class="muted">no contents</p>` : bodyBlock(message.contents, 'Contents')}
${Object.keys(message.metadata).length > 0 ? html`<h5>Metadata</h5>${pairsTable('Metadata', jsonPairs(message.metadata))}` : html``}
${rulesTable(message.matchingRules)}
</section>`;
}

export function statesText(states: ProviderState[]): string {
  return states.map((s) => s.name).join(' and ');
}

function statesBlock(states: ProviderState[]): Html {
  if (states.length === 0) return html``;
  return html`<div class="states"><h4>Given</h4><ul>${states.map(
    (s) =>
      html`<li>${s.name}${
        s.params && Object.keys(s.params).length > 0
          ? html`<table class="compact"><thead><tr><th scope="col">Parameter</th><th scope="col">Value</th></tr></thead><tbody>${jsonPairs(
              s.params,
            ).map(
              ([k, v]) => html`<tr><td><code>${k}</code></td><td><code>${v}</code></td></tr>`,
            )}</tbody></table>`
          : html``
      }</li>`,
  )}</ul></div>`;
}

/** An anchor id like the reference broker's: the description and states, lower case, `_` between words. */
function anchorFor(interaction: Interaction, taken: Set<string>, n: number): string {
  const words = `${interaction.description}${interaction.providerStates.length ? ` given ${statesText(interaction.providerStates)}` : ''}`;
  let id = words
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 120);
  if (id === '' || /^\d/.test(id)) id = `interaction_${n + 1}${id ? `_${id}` : ''}`;
  let unique = id;
  for (let i = 2; taken.has(unique); i++) unique = `${id}_${i}`;
  taken.add(unique);
  return unique;
}

function comments(interaction: Interaction): Html {
  const text = interaction.comments?.text;
  if (!Array.isArray(text) || text.length === 0) return html``;
  return html`<ul class="muted">${text.map((t: JsonValue) => html`<li>${typeof t === 'string' ? t : stringifyJson(t)}</li>`)}</ul>`;
}

function interactionArticle(pact: Pact, interaction: Interaction, id: string): Html {
  const given = interaction.providerStates.length
    ? html`Given <strong>${statesText(interaction.providerStates)}</strong>, upon`
    : html`Upon`;
  let summary: Html;
  let exchange: Html;
  switch (interaction.type) {
    case 'Synchronous/HTTP':
      summary = html`${given} receiving <strong>${interaction.description}</strong> from ${pact.consumer.name}, ${pact.provider.name} will respond with status ${interaction.response.status ?? 200}.`;
      exchange = html`<div class="exchange">${requestSection(interaction.request)}${responseSection(interaction.response)}</div>`;
      break;
    case 'Asynchronous/Messages':
      summary = html`${
        interaction.providerStates.length
          ? html`Given <strong>${statesText(interaction.providerStates)}</strong>, `
          : ''
      }${pact.provider.name} will send <strong>${interaction.description}</strong> to ${pact.consumer.name}.`;
      exchange = html`<div class="exchange">${messageSection('Message', interaction)}</div>`;
      break;
    case 'Synchronous/Messages':
      summary = html`${given} receiving <strong>${interaction.description}</strong> from ${pact.consumer.name}, ${pact.provider.name} will reply with ${interaction.response.length} message${interaction.response.length === 1 ? '' : 's'}.`;
      exchange = html`<div class="exchange">${messageSection('Request message', interaction.request)}${interaction.response.map(
        (r, i) => messageSection(interaction.response.length > 1 ? `Reply ${i + 1}` : 'Reply', r),
      )}</div>`;
      break;
  }
  return html`<article class="interaction" id="${id}">
<h3><a href="#${id}">${interaction.description}</a>${interaction.pending ? html` <span class="badge">pending</span>` : ''}</h3>
<p>${summary}</p>
${comments(interaction)}
${statesBlock(interaction.providerStates)}
${exchange}
</article>`;
}

const RESULT_WORDS = { passed: 'passed', failed: 'failed', unknown: 'unknown' } as const;

/** An interaction's result in the latest verification, in words and colour. */
export function resultBadge(result: InteractionResult | undefined): Html {
  const status = result?.status ?? 'unknown';
  return html` <span class="result result-${status}" title="In the latest verification">${RESULT_WORDS[status]}</span>`;
}

/** Each interaction's anchor on the pact page (`#get-an-order`), unique within the page. */
export function interactionAnchors(pact: Pact): string[] {
  const taken = new Set<string>(['interactions', 'details', 'raw']);
  return pact.interactions.map((interaction, n) => anchorFor(interaction, taken, n));
}

/**
 * The table of contents and every interaction of a pact, each with an anchor; with `results`, each
 * entry says how the interaction fared in the latest verification.
 */
export function renderInteractions(pact: Pact, results?: InteractionResult[]): Html {
  if (pact.interactions.length === 0) return html`<p class="muted">This pact has no interactions.</p>`;
  const ids = interactionAnchors(pact);
  const kind = pact.interactions.every((i) => i.type === 'Asynchronous/Messages')
    ? 'Messages'
    : 'Interactions';
  return html`<nav class="toc" aria-labelledby="interactions"><h2 id="interactions">${kind} (${pact.interactions.length})</h2>
<ol>${pact.interactions.map(
    (interaction, n) =>
      html`<li><a href="#${ids[n]!}">${interaction.description}</a>${results ? resultBadge(results[n]) : ''}${
        interaction.providerStates.length
          ? html` <span class="muted">given ${statesText(interaction.providerStates)}</span>`
          : ''
      }</li>`,
  )}</ol></nav>
${pact.interactions.map((interaction, n) => interactionArticle(pact, interaction, ids[n]!))}`;
}
