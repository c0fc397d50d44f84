import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestError } from '../errors.js';
import type { RouteContext } from '../http/context.js';
import { sendHtmlPage } from './error-pages.js';
import { type Html, html, safeHref, scrollBox } from './html.js';
import type { PageResult } from './pages.js';

/**
 * The API browser (what the reference broker's vendored HAL browser gives, without JavaScript): any
 * resource's HAL+JSON, fetched in-process with the caller's own credentials, shown as HTML — its
 * properties, its links (each followable in the browser, or a GET form for a templated link's
 * variables) and its embedded resources. It has a URL of its own, so the pages served on the API's
 * URLs by content negotiation stay as they are.
 *
 * @example GET /hal-browser?url=/pacticipants/Foo
 */
export const API_BROWSER = '/hal-browser';

/** The documentation pages of the `pb:` (and `beta:`) relations. */
export const DOC_PATH = '/doc';

/** What the browser asks the resource for: HAL first, then any JSON, then whatever it is. */
const HAL_ACCEPT = 'application/hal+json, application/json;q=0.9, */*;q=0.1';
/** Larger bodies are cut in the page (a resource this big is better read raw). */
const MAX_SHOWN_CHARACTERS = 200_000;
/** Embedded resources shown per relation; collections page their items anyway. */
const MAX_EMBEDDED = 200;
/** How deep embedded resources inside embedded resources are drawn. */
const MAX_DEPTH = 3;
const TEMPLATE_VARIABLE = /\{([^{}]+)\}/g;
/** Form fields carry a template's variables under this prefix, so none can clash with `template`. */
const VARIABLE_FIELD = 'var-';

interface HalLinkLike {
  href?: unknown;
  title?: unknown;
  name?: unknown;
  templated?: unknown;
}
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The browser's own URL for the resource at `path`. */
export const browserHref = (b: string, path: string) =>
  path === '/' ? `${b}${API_BROWSER}` : `${b}${API_BROWSER}?url=${encodeURIComponent(path)}`;

/** The broker path of a link target (`/pacticipants/Foo`), or undefined when it is not the broker's. */
function brokerPath(b: string, href: string): string | undefined {
  if (href.startsWith('/') && !href.startsWith('//')) return href;
  if (href === b) return '/';
  if (href.startsWith(`${b}/`) || href.startsWith(`${b}?`)) return href.slice(b.length) || '/';
  return undefined;
}

/** A template's variables, in order, each once. */
export const templateVariables = (template: string): string[] => [
  ...new Set([...template.matchAll(TEMPLATE_VARIABLE)].map((m) => m[1]!)),
];

/**
 * Expands an RFC 6570 level-1 template (`{name}`; the broker uses no other kind), each value
 * percent-encoded.
 *
 * @example expandTemplate('/pacticipants/{pacticipant}', { pacticipant: 'Web Shop' }) // '/pacticipants/Web%20Shop'
 */
export function expandTemplate(template: string, values: Record<string, string>): string {
  return template.replace(TEMPLATE_VARIABLE, (_m, name: string) => encodeURIComponent(values[name] ?? ''));
}

const one = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : Array.isArray(value) && typeof value[0] === 'string'
      ? value[0]
      : undefined;

/** The resource path `?url=` names: a broker path or an absolute URL under the base URL. */
function askedPath(b: string, query: Json): string {
  const url = one(query.url) ?? '/';
  const path = brokerPath(b, url);
  if (path === undefined)
    throw requestError(
      'COV_BROKER_REQUEST_INVALID',
      `url must be a path on this broker (such as /pacticipants) or a URL under ${b}, not ${url}`,
      { errors: { url: ['must be a path on this broker'] } },
    );
  // the browser's own pages are HTML, not resources (and browsing them would nest one in another)
  if (path === API_BROWSER || path.startsWith(`${API_BROWSER}?`) || path.startsWith(`${API_BROWSER}/`))
    throw requestError(
      'COV_BROKER_REQUEST_INVALID',
      `url must be a resource, not the API browser itself: ${url}`,
      {
        errors: { url: ['must not be the API browser'] },
      },
    );
  return path;
}

/** Registers the API browser and its template expansion. */
export function registerApiBrowser(app: FastifyInstance, context: RouteContext): void {
  app.get(API_BROWSER, { config: { access: 'read' } }, async (request, reply) => {
    const b = context.baseUrlOf(request);
    const query = (request.query ?? {}) as Json;
    const template = one(query.template);
    if (template !== undefined) {
      // a templated link's GET form: expand it with the variables given, and browse the result
      const path = brokerPath(b, template);
      if (path === undefined)
        throw requestError(
          'COV_BROKER_REQUEST_INVALID',
          `template must be a link of this broker, not ${template}`,
          {
            errors: { template: ['must be a link of this broker'] },
          },
        );
      const values: Record<string, string> = {};
      for (const name of templateVariables(path)) values[name] = one(query[`${VARIABLE_FIELD}${name}`]) ?? '';
      return reply.redirect(browserHref(b, expandTemplate(path, values)), 303);
    }
    const path = askedPath(b, query);
    const answer = await app.inject({ method: 'GET', url: path, headers: innerHeaders(request, b) });
    return sendHtmlPage(
      reply,
      b,
      resourcePage(b, path, answer.statusCode, String(answer.headers['content-type'] ?? ''), answer.body),
    );
  });
}

/**
 * The headers of the in-process request: the caller's credentials (so the resource is read with
 * the caller's rights, and refused as it would be), and the outer base URL, so that links come back
 * as the caller sees them.
 */
function innerHeaders(request: FastifyRequest, b: string): Record<string, string> {
  const base = new URL(b);
  const headers: Record<string, string> = {
    accept: HAL_ACCEPT,
    'x-forwarded-proto': base.protocol.replace(':', ''),
    'x-forwarded-host': base.host,
  };
  const { authorization } = request.headers;
  if (authorization) headers.authorization = authorization;
  return headers;
}

/** The page for one resource: the answer's status and type, then the resource drawn, or its text. */
export function resourcePage(
  b: string,
  path: string,
  status: number,
  type: string,
  body: string,
): PageResult {
  const parsed = type.includes('json') ? parseObject(body) : undefined;
  const shown = body.length > MAX_SHOWN_CHARACTERS ? `${body.slice(0, MAX_SHOWN_CHARACTERS)}\n…` : body;
  const content = parsed
    ? resourceView(b, parsed, 0)
    : html`<h2>Body</h2>${body === '' ? html`<p class="muted">No body.</p>` : html`<pre><code>${shown}</code></pre>`}`;
  return {
    status: 200,
    title: `API browser: ${path}`,
    body: html`<h1>API browser</h1>
<form class="filters" method="get" action="${b}${API_BROWSER}">
<label>Resource path <input type="text" name="url" value="${path}" size="40"></label>
<button type="submit">Go</button>
</form>
<dl class="facts" id="answer">
<dt>Resource</dt><dd><code>GET ${path}</code> · <a href="${b}${path === '/' ? '/' : path}">open it directly</a></dd>
<dt>Answer</dt><dd>HTTP ${status}${type ? html` · <code>${type}</code>` : ''}</dd>
</dl>
<p class="muted">Every <code>pb:</code> relation links to its documentation; <a href="${b}${DOC_PATH}">all relations</a>.</p>
${content}`,
  };
}

function parseObject(body: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A resource: its links, its own properties and its embedded resources (drawn the same way). */
function resourceView(b: string, resource: Json, depth: number): Html {
  const { _links: links, _embedded: embedded, ...properties } = resource;
  const heading = depth === 0 ? 'h2' : 'h4';
  const title = (words: string) => (heading === 'h2' ? html`<h2>${words}</h2>` : html`<h4>${words}</h4>`);
  const curiePrefixes = curieNames(links);
  return html`${isObject(links) ? html`${title('Links')}${linksTable(b, links, curiePrefixes)}` : ''}
${title('Properties')}${
  Object.keys(properties).length > 0
    ? html`<pre><code>${JSON.stringify(properties, null, 2)}</code></pre>`
    : html`<p class="muted">None.</p>`
}
${isObject(embedded) ? html`${title('Embedded resources')}${embeddedView(b, embedded, depth)}` : ''}`;
}

function curieNames(links: unknown): Set<string> {
  const curies = isObject(links) ? links.curies : undefined;
  const list = Array.isArray(curies) ? curies : curies ? [curies] : [];
  return new Set(list.filter(isObject).flatMap((c) => (typeof c.name === 'string' ? [c.name] : [])));
}

function embeddedView(b: string, embedded: Json, depth: number): Html {
  return html`${Object.entries(embedded).map(([rel, value]) => {
    const items = (Array.isArray(value) ? value : [value]).filter(isObject);
    const shown = items.slice(0, MAX_EMBEDDED);
    return html`<section class="embedded">
<h3><code>${rel}</code> <span class="muted">(${items.length})</span></h3>
${shown.map((item, i) => {
  const label = [item.name, item.title, item.number, item.description].find((v) => typeof v === 'string');
  return html`<details class="embedded-item"${items.length === 1 ? html` open` : ''}><summary>${rel} ${
    typeof label === 'string' ? label : `#${i + 1}`
  }</summary>${
    depth + 1 >= MAX_DEPTH
      ? html`<pre><code>${JSON.stringify(item, null, 2)}</code></pre>`
      : resourceView(b, item, depth + 1)
  }</details>`;
})}
${items.length > shown.length ? html`<p class="muted">${items.length - shown.length} more not shown.</p>` : ''}
</section>`;
  })}`;
}

/** The relation's documentation page, when its prefix is one of the resource's curies. */
function relationCell(b: string, rel: string, curiePrefixes: Set<string>): Html {
  const colon = rel.indexOf(':');
  if (colon > 0 && curiePrefixes.has(rel.slice(0, colon)))
    return html`<a class="rel-doc" href="${b}${DOC_PATH}/${encodeURIComponent(rel.slice(colon + 1))}" title="What ${rel} is">${rel}</a>`;
  return html`${rel}`;
}

function linksTable(b: string, links: Json, curiePrefixes: Set<string>): Html {
  const rows = Object.entries(links).flatMap(([rel, value]) =>
    (Array.isArray(value) ? value : [value])
      .filter(isObject)
      .map((link) => ({ rel, link: link as HalLinkLike })),
  );
  if (rows.length === 0) return html`<p class="muted">None.</p>`;
  return scrollBox(
    'Links',
    html`<table class="compact hal-links">
<thead><tr><th scope="col">Relation</th><th scope="col">Title</th><th scope="col">Target</th></tr></thead>
<tbody>${rows.map(
      ({ rel, link }) => html`<tr data-rel="${rel}">
<td>${rel === 'curies' ? html`curies <span class="muted">(${typeof link.name === 'string' ? link.name : ''})</span>` : relationCell(b, rel, curiePrefixes)}</td>
<td>${typeof link.title === 'string' ? link.title : typeof link.name === 'string' ? link.name : ''}</td>
<td>${linkTarget(b, rel, link)}</td>
</tr>`,
    )}</tbody>
</table>`,
  );
}

/** A plain link to follow in the browser, or a GET form for a templated link's variables. */
function linkTarget(b: string, rel: string, link: HalLinkLike): Html {
  const href = typeof link.href === 'string' ? link.href : '';
  if (rel === 'curies')
    return html`<a href="${b}${DOC_PATH}">the relations' documentation</a> <code>${href}</code>`;
  const path = brokerPath(b, href);
  if (link.templated === true && path !== undefined) {
    const variables = templateVariables(path);
    return html`<form class="filters template" method="get" action="${b}${API_BROWSER}">
<input type="hidden" name="template" value="${href}">
<code class="template-href">${href}</code>
${variables.map(
  (name) => html`<label>${name} <input type="text" name="${VARIABLE_FIELD}${name}" required></label>`,
)}
<button type="submit">Follow ${rel}</button>
</form>`;
  }
  if (path !== undefined) return html`<a class="follow" href="${browserHref(b, path)}">${href}</a>`;
  const external = safeHref(href);
  return external
    ? html`<a href="${external}" rel="noopener noreferrer">${href}</a>`
    : html`<code>${href}</code>`;
}
