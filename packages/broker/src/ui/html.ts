import { createHash } from 'node:crypto';

/** A fragment of HTML that is already safe to embed: built by `html` or `trusted`, never from raw user data. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What a template may embed: text (escaped), numbers, safe fragments, lists of them, or nothing. */
export type Part = Html | string | number | null | undefined | false | readonly Part[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

const SPECIAL = /[&<>"'`]/;

/** Escapes text for HTML content and (quoted) attribute values. */
export function escapeHtml(text: string): string {
  // most text (names, version numbers, URLs) has nothing to escape: a test is cheaper than a replace
  return SPECIAL.test(text) ? text.replace(/[&<>"'`]/g, (c) => ENTITIES[c]!) : text;
}

function render(part: Part): string {
  if (part instanceof Html) return part.text;
  if (part === null || part === undefined || part === false) return '';
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/**
 * The only way pages build HTML: every interpolated value is escaped unless it is itself an `Html`
 * fragment, so user data (names, bodies) cannot inject markup.
 *
 * @example html`<td>${consumerName}</td>`
 */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0]!;
  parts.forEach((part, i) => {
    out += render(part) + strings[i + 1]!;
  });
  return new Html(out);
}

/**
 * A box that scrolls sideways on its own, so a wide table never widens a phone's page; focusable
 * and named, so it can be scrolled from the keyboard.
 *
 * @example scrollBox('Versions', html`<table>…</table>`)
 */
export function scrollBox(label: string, content: Html): Html {
  return html`<div class="scroll" role="region" aria-label="${label}" tabindex="0">${content}</div>`;
}

/** Marks constant markup (never user data) as safe. */
export const trusted = (text: string) => new Html(text);

/** A link target: only http(s) URLs are linked, anything else (javascript:, data:…) is not. */
export function safeHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 minutes ago", "less than a minute ago", "2 days ago" (or "in 5 minutes" for clock skew). */
export function relativeTime(iso: string, now = Date.now()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const seconds = Math.round((at - now) / 1000);
  if (Math.abs(seconds) < 45) return 'less than a minute ago';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      const n = Math.round(Math.abs(seconds) / size);
      const words = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return seconds < 0 ? `${words} ago` : `in ${words}`;
    }
  }
  return iso;
}

/** The exact time, for a title attribute: "2026-05-20 12:34:56 UTC". */
export function exactTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A `<time>` element showing relative time, with the exact time on hover. */
export function timeTag(iso: string | null | undefined, now?: number): Html {
  if (!iso) return html``;
  return html`<time datetime="${iso}" title="${exactTime(iso)}">${relativeTime(iso, now)}</time>`;
}

const STYLE = `
:root { color-scheme: light; --fg: #1f2933; --muted: #616e7c; --line: #d9e2ec; --bg: #ffffff;
  --panel: #f5f7fa; --link: #1d4ed8; --ok-bg: #dcfce7; --ok-fg: #14532d; --bad-bg: #fee2e2;
  --bad-fg: #7f1d1d; --none-bg: #e5e7eb; --none-fg: #374151; --stale-bg: #fef3c7; --stale-fg: #78350f; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); }
a { color: var(--link); }
header.site { background: #102a43; color: #fff; padding: 0.6rem 1.5rem; display: flex; gap: 1.5rem;
  align-items: baseline; flex-wrap: wrap; }
header.site a { color: #fff; text-decoration: none; font-weight: 600; }
header.site a:hover, header.site a:focus { text-decoration: underline; }
header.site .brand { font-size: 1.15rem; }
main { padding: 1rem 1.5rem 3rem; max-width: 80rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.75rem; border-bottom: 1px solid var(--line); padding-bottom: 0.25rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.5rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--line); }
th { background: var(--panel); font-weight: 600; }
table.compact th, table.compact td { padding: 0.25rem 0.5rem; font-size: 0.92rem; }
th[scope="row"] { width: 12rem; }
td.status { font-weight: 600; border-radius: 0; }
td.status-success { background-color: var(--ok-bg); color: var(--ok-fg); }
td.status-failed { background-color: var(--bad-bg); color: var(--bad-fg); }
td.status-never { background-color: var(--none-bg); color: var(--none-fg); }
td.status-stale { background-color: var(--stale-bg); color: var(--stale-fg); }
.status-note { display: block; font-weight: 400; font-size: 0.85rem; }
.badge { display: inline-block; padding: 0 0.45rem; margin: 0 0.25rem 0.2rem 0; border-radius: 999px;
  font-size: 0.8rem; border: 1px solid var(--line); background: var(--panel); white-space: nowrap; }
.badge.branch { background: #e0e7ff; border-color: #c7d2fe; }
.badge.tag { background: #fef9c3; border-color: #fde68a; }
.badge.env { background: #dcfce7; border-color: #bbf7d0; }
.badge.label { background: #f3e8ff; border-color: #e9d5ff; }
.muted { color: var(--muted); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.88rem; }
pre { background: var(--panel); border: 1px solid var(--line); padding: 0.6rem 0.8rem; overflow-x: auto;
  white-space: pre-wrap; word-break: break-word; margin: 0.25rem 0 0.75rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; margin: 0 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
nav.toc ol { padding-left: 1.5rem; }
nav.toc li { margin: 0.15rem 0; }
article.interaction { border: 1px solid var(--line); border-radius: 6px; padding: 0.25rem 1rem 0.75rem;
  margin: 1rem 0 1.5rem; }
article.interaction:target { border-color: var(--link); box-shadow: 0 0 0 3px #bfdbfe; }
article.interaction > h3 { margin-top: 0.75rem; }
.exchange { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(22rem, 100%), 1fr)); gap: 1rem; }
section.request, section.response, section.message { min-width: 0; }
.method { font-weight: 700; }
.rules { font-size: 0.9rem; }
table.verification { width: auto; margin: 0; }
table.verification td { border-bottom: 0; }
.pagination { display: flex; gap: 1rem; align-items: center; margin: 0.5rem 0; }
details > summary { cursor: pointer; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.scroll { overflow-x: auto; max-width: 100%; position: relative; }
table.matrix td, table.matrix th { white-space: nowrap; }
tr.ignored td { opacity: 0.75; }
form.filters { display: flex; flex-wrap: wrap; gap: 0.75rem 1.25rem; align-items: flex-end; margin: 0 0 1rem; }
form.filters fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 0.4rem 0.8rem 0.6rem;
  display: flex; flex-wrap: wrap; gap: 0.5rem 0.8rem; margin: 0; min-width: 0; }
form.filters label { display: flex; flex-direction: column; font-size: 0.9rem; }
form.filters label.check { flex-direction: row; gap: 0.4rem; align-items: center; min-height: 2rem; }
form.filters input, form.filters select { font: inherit; min-height: 2rem; padding: 0.2rem 0.4rem; max-width: 14rem;
  color: var(--fg); background: var(--bg); border: 1px solid var(--muted); border-radius: 4px; }
form.filters input[type="checkbox"] { min-height: 1.5rem; width: 1.5rem; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
button { font: inherit; min-height: 2.25rem; padding: 0.3rem 0.9rem; border-radius: 4px; cursor: pointer;
  border: 1px solid var(--link); background: var(--link); color: var(--bg); }
.notice { border-radius: 6px; padding: 0.6rem 0.8rem; margin: 0.5rem 0 1rem; }
.notice-error { background: var(--bad-bg); color: var(--bad-fg); }
section.verdict { border-radius: 6px; padding: 0.2rem 1rem 0.5rem; margin: 1rem 0; border: 2px solid var(--line); }
section.verdict h2 { border: 0; margin: 0.6rem 0 0.4rem; }
section.verdict-yes { background: var(--ok-bg); color: var(--ok-fg); }
section.verdict-no { background: var(--bad-bg); color: var(--bad-fg); }
section.verdict-unknown { background: var(--stale-bg); color: var(--stale-fg); }
ul.integration-answers li { margin: 0.3rem 0; }
li.answer-yes strong { color: var(--ok-fg); background: var(--ok-bg); padding: 0 0.3rem; }
li.answer-no strong { color: var(--bad-fg); background: var(--bad-bg); padding: 0 0.3rem; }
td.status a { color: inherit; }
table.matrix td a, nav.pagination a { display: inline-block; padding: 3px 0; }
header.site a { display: inline-block; min-height: 24px; }
ul.changes { padding-left: 1.2rem; }
ul.changes li { margin: 0.3rem 0; }
.mark { display: inline-block; font-size: 0.8rem; font-weight: 600; padding: 0 0.4rem; border-radius: 4px; }
li.change-breaks .mark { background: var(--bad-bg); color: var(--bad-fg); }
li.change-relaxed .mark { background: var(--ok-bg); color: var(--ok-fg); }
.result { display: inline-block; font-size: 0.8rem; font-weight: 600; padding: 0 0.4rem; margin-left: 0.3rem; border-radius: 4px; }
.result-passed { background: var(--ok-bg); color: var(--ok-fg); }
.result-failed { background: var(--bad-bg); color: var(--bad-fg); }
.result-unknown { background: var(--none-bg); color: var(--none-fg); }
div.graph { overflow: auto; max-width: 100%; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); }
div.graph svg { display: block; }
svg rect.node { fill: var(--bg); stroke: var(--muted); stroke-width: 1.5; }
svg a:hover rect.node, svg a:focus rect.node { stroke: var(--link); stroke-width: 2.5; }
svg text.node-name { fill: var(--link); font: 14px system-ui, sans-serif; text-decoration: underline; }
svg path.edge { fill: none; stroke-width: 2; }
.edge-verified, .arrow-verified { stroke: #15803d; fill: #15803d; }
.edge-failed, .arrow-failed { stroke: #dc2626; fill: #dc2626; }
.edge-unverified, .arrow-unverified { stroke: #6b7280; fill: #6b7280; }
ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; }
.key { display: inline-block; width: 1.6rem; height: 0.25rem; margin-right: 0.4rem; vertical-align: middle; }
table.compact td a, table.integrations td a, table.versions td a {
  display: inline-block; padding: 4px 0; }
table.hal-links code.template-href { display: block; margin-bottom: 0.3rem; }
dl.facts dd { min-width: 0; overflow-wrap: anywhere; }
nav.toc li a { display: inline-block; padding: 3px 0; }
section.embedded details { margin: 0.3rem 0 0.6rem; }
.key-verified { background: #15803d; } .key-failed { background: #dc2626; } .key-unverified { background: #6b7280; }
@media (prefers-color-scheme: dark) {
  :root { color-scheme: dark; --fg: #e4e7eb; --muted: #9aa5b1; --line: #3e4c59; --bg: #11181f; --panel: #1f2933;
    --link: #93c5fd; --ok-bg: #14532d; --ok-fg: #dcfce7; --bad-bg: #7f1d1d; --bad-fg: #fee2e2;
    --none-bg: #374151; --none-fg: #e5e7eb; --stale-bg: #78350f; --stale-fg: #fef3c7; }
  .badge { color: #111827; }
}
`;

/** The Content-Security-Policy for pages: no scripts at all, only this one stylesheet. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;

export interface PageOptions {
  title: string;
  baseUrl: string;
  body: Html;
  /** The API resource served on the page's URL: the header's API browser link opens it. */
  apiPath?: string | undefined;
}

/** A whole page: the site header linking back to the index, and the content. */
export function page({ title, baseUrl, body, apiPath }: PageOptions): string {
  return `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Pact Broker</title>
<link rel="icon" href="data:,">
<style>${trusted(STYLE)}</style>
</head>
<body>
<header class="site">
<a class="brand" href="${baseUrl}/">Pact Broker</a>
<a href="${baseUrl}/">Integrations</a>
<a href="${baseUrl}/matrix">Matrix</a>
<a href="${baseUrl}/can-i-deploy">Can I deploy?</a>
<a href="${baseUrl}/network">Network</a>
<a href="${baseUrl}/hal-browser${apiPath ? `?url=${encodeURIComponent(apiPath)}` : ''}"${
    apiPath ? html` title="This URL's API resource in the API browser"` : ''
  }>API browser</a>
</header>
<main>
${body}
</main>
</body>
</html>
`}`;
}
