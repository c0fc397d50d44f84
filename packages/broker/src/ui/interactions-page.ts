import { type Interaction, type Pact, pactFromJson, parseJson } from '@covenant/core';
import { type IntegrationRow, integrationRows, pacticipantSummary } from '../db/pages-repo.js';
import {
  type InteractionResult,
  interactionResults,
  interactionsOf,
  parseTestResults,
} from '../domain/test-results.js';
import { requestError } from '../errors.js';
import type { RouteContext } from '../http/context.js';
import { enc } from '../http/hal.js';
import { type Html, html, scrollBox } from './html.js';
import { interactionAnchors, resultBadge, statesText } from './pact-view.js';
import type { PageResult } from './pages.js';

/** Every interaction a pacticipant takes part in, as consumer and as provider (pact_broker#591). */
export const PACTICIPANT_INTERACTIONS_PAGE = '/pacticipants/:pacticipant/interactions';

/** The page's address for one pacticipant. */
export const interactionsHref = (b: string, pacticipant: string) =>
  `${b}/pacticipants/${enc(pacticipant)}/interactions`;

/** One interaction of an integration's latest pact, as the page lists it. */
interface InteractionLine {
  counterpart: string;
  description: string;
  states: string;
  request: string;
  /** The pact page's address of the interaction. */
  href: string;
  /** Its result in the pact's latest verification; undefined when the pact is not verified. */
  result: InteractionResult | undefined;
}

function requestWords(interaction: Interaction): string {
  switch (interaction.type) {
    case 'Synchronous/HTTP':
      return `${interaction.request.method} ${interaction.request.path}`;
    case 'Asynchronous/Messages':
      return 'a message';
    case 'Synchronous/Messages':
      return 'a request message';
  }
}

function parsePact(content: string): Pact | undefined {
  const parsed = parseJson(content);
  if (!parsed.ok) return undefined;
  try {
    return pactFromJson(parsed.value, 'the pact');
  } catch {
    return undefined;
  }
}

/** The interactions of one integration's latest pact, seen from `name`'s side. */
function linesOf(b: string, name: string, row: IntegrationRow): InteractionLine[] | undefined {
  const pact = parsePact(row.content ?? '');
  if (!pact) return undefined;
  const anchors = interactionAnchors(pact);
  const results = row.verification
    ? interactionResults(parseTestResults(row.testResults), interactionsOf(row.content ?? ''))
    : undefined;
  const pactHref = `${b}/pacts/provider/${enc(row.provider)}/consumer/${enc(row.consumer)}/latest`;
  return pact.interactions.map((interaction, n) => ({
    counterpart: row.consumer === name ? row.provider : row.consumer,
    description: interaction.description,
    states: statesText(interaction.providerStates),
    request: requestWords(interaction),
    href: `${pactHref}#${anchors[n]!}`,
    result: results?.[n],
  }));
}

function table(b: string, counterpart: 'Provider' | 'Consumer', lines: InteractionLine[]): Html {
  return scrollBox(
    'Interactions',
    html`<table class="compact interactions">
<thead><tr><th scope="col">${counterpart}</th><th scope="col">Interaction</th><th scope="col">Request</th><th scope="col">Latest verification</th></tr></thead>
<tbody>${lines.map(
      (line) => html`<tr>
<td><a href="${b}/pacticipants/${enc(line.counterpart)}">${line.counterpart}</a></td>
<td><a class="interaction-link" href="${line.href}">${line.description}</a>${
        line.states ? html`<span class="status-note">given ${line.states}</span>` : ''
      }</td>
<td><code>${line.request}</code></td>
<td>${line.result ? resultBadge(line.result) : html`<span class="muted">not verified</span>`}</td>
</tr>`,
    )}</tbody>
</table>`,
  );
}

function section(b: string, name: string, role: 'consumer' | 'provider', rows: IntegrationRow[]): Html {
  const mine = rows.filter((r) => (role === 'consumer' ? r.consumer : r.provider) === name);
  const unreadable: string[] = [];
  const lines = mine.flatMap((row) => {
    const found = linesOf(b, name, row);
    if (!found) unreadable.push(role === 'consumer' ? row.provider : row.consumer);
    return found ?? [];
  });
  const heading = role === 'consumer' ? `As consumer (${lines.length})` : `As provider (${lines.length})`;
  const empty =
    role === 'consumer'
      ? `${name} has published no pact with interactions.`
      : `No consumer's pact with ${name} has interactions.`;
  return html`<h2>${heading}</h2>
${lines.length > 0 ? table(b, role === 'consumer' ? 'Provider' : 'Consumer', lines) : html`<p class="muted">${empty}</p>`}
${unreadable.length > 0 ? html`<p class="muted">The latest pact with ${unreadable.join(', ')} cannot be read as interactions; its pact page shows its JSON.</p>` : ''}`;
}

/** The page, by route: it has no API resource on its URL, so it answers HTML to every client. */
export function interactionsPages(context: RouteContext) {
  return {
    [PACTICIPANT_INTERACTIONS_PAGE]: async (request: { params: unknown }, b: string): Promise<PageResult> => {
      const name = (request.params as { pacticipant?: string }).pacticipant ?? '';
      const summary = await pacticipantSummary(context.options.database, name);
      // thrown, so that an API client gets the usual JSON error and a browser the error page
      if (!summary) throw requestError('COV_BROKER_NOT_FOUND', `There is no pacticipant named ${name}.`);
      const rows = await integrationRows(context.options.database, {
        pacticipantId: summary.id,
        withContent: true,
      });
      return {
        status: 200,
        title: `Interactions of ${summary.name}`,
        body: html`<h1>Interactions of <a href="${b}/pacticipants/${enc(summary.name)}">${summary.name}</a></h1>
<p class="muted">Every interaction in the latest pact of each integration ${summary.name} takes part in, with how it fared in that pact's latest verification.</p>
${section(b, summary.name, 'consumer', rows)}
${section(b, summary.name, 'provider', rows)}`,
      };
    },
  };
}
