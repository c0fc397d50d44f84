import type { FastifyInstance } from 'fastify';
import { requestError } from '../errors.js';
import type { RouteContext } from '../http/context.js';
import { API_BROWSER, DOC_PATH } from './api-browser.js';
import { sendHtmlPage } from './error-pages.js';
import { type Html, html, scrollBox } from './html.js';
import { prefersHtml } from './negotiate.js';
import { RELATION_DOCS, type RelationDoc, relationDoc, relationMarkdown } from './relation-docs.js';

/** `code` spans in the docs' markdown become `<code>`; everything else is text (escaped). */
function inlineMarkdown(text: string): Html {
  return html`${text.split('`').map((piece, i) => (i % 2 === 1 ? html`<code>${piece}</code>` : piece))}`;
}

const docHref = (b: string, name: string) => `${b}${DOC_PATH}/${encodeURIComponent(name)}`;

function relationPage(b: string, name: string, entry: RelationDoc): Html {
  return html`<h1><code>pb:${name}</code> — ${entry.title}</h1>
<dl class="facts">
<dt>Allowed methods</dt><dd>${entry.methods.join(', ')}</dd>
</dl>
<p class="relation-doc">${inlineMarkdown(entry.text)}</p>
<p><a href="${b}${DOC_PATH}">Every relation</a> · <a href="${b}${API_BROWSER}">the API browser</a></p>`;
}

function indexPage(b: string): Html {
  return html`<h1>Link relations</h1>
<p class="muted">What each <code>pb:</code> relation of the broker's HAL resources leads to. The index's
<code>curies</code> link here, as <code>/doc/{rel}</code>.</p>
${scrollBox(
  'Relations',
  html`<table class="compact relations">
<thead><tr><th scope="col">Relation</th><th scope="col">What it is</th><th scope="col">Methods</th></tr></thead>
<tbody>${Object.entries(RELATION_DOCS)
    .sort(([a], [z]) => a.localeCompare(z))
    .map(
      ([name, entry]) =>
        html`<tr><td><a href="${docHref(b, name)}">pb:${name}</a></td><td>${entry.title}</td><td>${entry.methods.join(', ')}</td></tr>`,
    )}</tbody>
</table>`,
)}`;
}

/**
 * `/doc/{rel}` (what the curies expand to) and `/doc`: a page for a browser, markdown as text/plain for
 * anyone else, as the reference broker serves its relation docs. `?context=` (the curie's) is
 * accepted and changes nothing.
 */
export function registerDocPages(app: FastifyInstance, context: RouteContext): void {
  app.get(DOC_PATH, { config: { access: 'read' } }, async (request, reply) => {
    const b = context.baseUrlOf(request);
    if (prefersHtml(request.headers.accept))
      return sendHtmlPage(reply, b, { status: 200, title: 'Link relations', body: indexPage(b) });
    const lines = Object.entries(RELATION_DOCS)
      .sort(([a], [z]) => a.localeCompare(z))
      .map(([name, entry]) => `- pb:${name}: ${entry.title} (${docHref(b, name)})`);
    return reply.type('text/plain; charset=utf-8').send(`# Link relations\n\n${lines.join('\n')}\n`);
  });
  app.get(`${DOC_PATH}/:rel`, { config: { access: 'read' } }, async (request, reply) => {
    const b = context.baseUrlOf(request);
    const rel = (request.params as { rel: string }).rel;
    const entry = relationDoc(rel);
    if (!entry)
      throw requestError(
        'COV_BROKER_NOT_FOUND',
        `no documentation for the relation ${rel}: ${DOC_PATH} lists every relation the broker uses`,
      );
    const name = rel.slice(rel.indexOf(':') + 1);
    if (prefersHtml(request.headers.accept))
      return sendHtmlPage(reply, b, { status: 200, title: `pb:${name}`, body: relationPage(b, name, entry) });
    return reply.type('text/plain; charset=utf-8').send(relationMarkdown(name, entry));
  });
}
