import type { FastifyRequest } from 'fastify';
import type { BrokerDatabase } from '../db/connect.js';
import { listEnvironments } from '../db/environments-repo.js';
import { listPacticipants } from '../db/pacticipants-repo.js';
import { PAGE_SIZE, verificationTestResults } from '../db/pages-repo.js';
import { type MatrixQuery, type MatrixResult, type MatrixRow, runMatrix } from '../domain/matrix.js';
import { failedInteractionCount, parseTestResults } from '../domain/test-results.js';
import { BrokerRequestError } from '../errors.js';
import type { RouteContext } from '../http/context.js';
import { consumerVersionPactUrl, enc, pactVersionUrl } from '../http/hal.js';
import {
  canIDeployQueryFromParams,
  matrixQueryFromParams,
  parseNestedQuery,
  type QueryObject,
} from '../routes/matrix.js';
import { type Html, html, timeTag } from './html.js';
import type { PageResult } from './pages.js';

/** Renders a page for a request; `b` is the broker's base URL. */
export type PageHandler = (request: FastifyRequest, b: string) => Promise<PageResult>;

/** The UI-only page of one integration's matrix (the reference broker's URL). */
export const INTEGRATION_MATRIX_PAGE = '/matrix/provider/:provider/consumer/:consumer';

const pacticipantHref = (b: string, name: string) => `${b}/pacticipants/${enc(name)}`;
const rawQuery = (url: string) => {
  const at = url.indexOf('?');
  return at === -1 ? '' : url.slice(at + 1);
};

/** `page=N` (1-based) from a parsed query; anything else is the first page. */
function pageOf(params: QueryObject): number {
  const raw = params.page;
  const n = typeof raw === 'string' ? Number(raw) : Number.NaN;
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
}

type Outcome = 'success' | 'failed' | 'never';
const outcomeOf = (r: MatrixRow): Outcome =>
  r.verification === null ? 'never' : r.verification.success ? 'success' : 'failed';
const OUTCOME_WORDS: Record<Outcome, string> = {
  success: 'Verified',
  failed: 'Failed',
  never: 'Not verified',
};

/** The matrix rows: each links to its pact and its verification, its result cell coloured. */
export function matrixTable(b: string, rows: MatrixRow[], now = Date.now()): Html {
  return html`<div class="scroll" role="region" aria-label="Matrix rows" tabindex="0">
<table class="matrix">
<thead><tr><th scope="col">Consumer</th><th scope="col">Consumer version</th><th scope="col">Provider</th>
<th scope="col">Provider version</th><th scope="col">Pact published</th><th scope="col">Result</th><th scope="col">Pact</th></tr></thead>
<tbody>
${rows.map((r) => {
  const outcome = outcomeOf(r);
  const pactHref = consumerVersionPactUrl(b, r.providerName, r.consumerName, r.consumerVersion.number);
  const verificationHref =
    r.verification &&
    `${pactVersionUrl(b, r.providerName, r.consumerName, r.pact.sha)}/verification-results/${r.verification.id}`;
  return html`<tr class="row-${outcome}${r.ignored ? ' ignored' : ''}" data-outcome="${outcome}">
<td><a href="${pacticipantHref(b, r.consumerName)}">${r.consumerName}</a></td>
<td><code>${r.consumerVersion.number}</code>${versionBadges(r.consumerVersion)}</td>
<td><a href="${pacticipantHref(b, r.providerName)}">${r.providerName}</a></td>
<td>${r.providerVersion ? html`<code>${r.providerVersion.number}</code>${versionBadges(r.providerVersion)}` : html`<span class="muted">none</span>`}</td>
<td>${timeTag(r.pact.createdAt, now)}</td>
<td class="status status-${outcome}" data-status="${outcome}">${
    verificationHref
      ? html`<a class="verification-link" href="${verificationHref}">${OUTCOME_WORDS[outcome]}</a> ${timeTag(r.verification!.verifiedAt, now)}`
      : OUTCOME_WORDS[outcome]
  }${r.ignored ? html`<span class="status-note">ignored</span>` : ''}</td>
<td><a class="pact-link" href="${pactHref}">View pact</a></td>
</tr>`;
})}
</tbody>
</table>
</div>`;
}

function versionBadges(v: MatrixRow['consumerVersion']): Html {
  const badge = (kind: string, what: string, name: string) =>
    html` <span class="badge ${kind}" title="${what}"><span class="visually-hidden">${what} </span>${name}</span>`;
  return html`${v.branches.map((br) => badge('branch', 'branch', br.name))}${v.tags.map((t) =>
    badge('tag', 'tag', t.name),
  )}${v.environments.map((e) => badge('env', 'environment', e.display_name ?? e.name))}`;
}

function pagination(href: (n: number) => string, page: number, hasNext: boolean): Html {
  if (page <= 1 && !hasNext) return html``;
  return html`<nav class="pagination" aria-label="Pages">
${page > 1 ? html`<a rel="prev" href="${href(page - 1)}">← Previous</a>` : ''}
<span>Page ${page}</span>
${hasNext ? html`<a rel="next" href="${href(page + 1)}">Next →</a>` : ''}
</nav>`;
}

/** The query string of `params` (as parsed) with `page` set, `q[]` and `ignore[]` kept in order. */
function withPage(rawQueryText: string, page: number): string {
  const kept = rawQueryText.split('&').filter((pair) => pair !== '' && !/^page=/.test(pair));
  if (page > 1) kept.push(`page=${page}`);
  return kept.length ? `?${kept.join('&')}` : '';
}

interface SelectorFields {
  pacticipant?: string | undefined;
  version?: string | undefined;
  branch?: string | undefined;
  tag?: string | undefined;
  environment?: string | undefined;
  latest?: boolean;
}

function selectorFieldset(legend: string, n: number, s: SelectorFields, names: string[]): Html {
  const field = (key: keyof SelectorFields, label: string, list?: string) =>
    html`<label>${label} <input name="q[][${key}]" id="q${n}-${key}" value="${(s[key] as string | undefined) ?? ''}"${list ? html` list="${list}"` : ''}></label>`;
  return html`<fieldset><legend>${legend}</legend>
${field('pacticipant', 'Pacticipant', 'pacticipant-names')}
${field('version', 'Version')}
${field('branch', 'Branch')}
${field('tag', 'Tag')}
${field('environment', 'Environment')}
<label class="check"><input type="checkbox" name="q[][latest]" value="true"${s.latest ? html` checked` : ''}> latest only</label>
</fieldset>
${n === 0 ? html`<datalist id="pacticipant-names">${names.map((name) => html`<option value="${name}"></option>`)}</datalist>` : ''}`;
}

/** Selectors whose pacticipant field was left blank are the form's unused rows, not mistakes. */
function filledSelectors(params: QueryObject): QueryObject {
  const q = params.q;
  if (!Array.isArray(q)) return params;
  const kept = q.filter(
    (entry) =>
      typeof entry !== 'object' ||
      Array.isArray(entry) ||
      (typeof entry.pacticipant === 'string' && entry.pacticipant.trim() !== ''),
  );
  return Object.assign(Object.create(null) as QueryObject, params, { q: kept });
}

function problemBlock(error: unknown): { status: number; block: Html } {
  if (error instanceof BrokerRequestError && error.status < 500)
    return {
      status: error.status,
      block: html`<div class="notice notice-error" role="alert"><strong>This query cannot be answered:</strong> ${error.detail}</div>`,
    };
  throw error;
}

/**
 * The matrix pages: `/matrix` with its GET filter form, `/matrix/provider/{p}/consumer/{c}` and the
 * can-i-deploy page, all answered by the domain's `runMatrix` (one query for the rows, one for the
 * rows' versions), 100 rows a page.
 */
export function matrixPages(context: RouteContext): Record<string, PageHandler> {
  const database = () => context.options.database;

  const renderMatrix = async (
    b: string,
    url: string,
    params: QueryObject,
    heading: Html,
    title: string,
  ): Promise<PageResult> => {
    const page = pageOf(params);
    const names = (await listPacticipants(database().db)).map((p) => p.name);
    const selectors = Array.isArray(params.q) ? params.q : [];
    const fields = (i: number): SelectorFields => {
      const s = selectors[i];
      if (!s || typeof s !== 'object' || Array.isArray(s)) return {};
      const get = (k: string) => (typeof s[k] === 'string' ? (s[k] as string) : undefined);
      return {
        pacticipant: get('pacticipant'),
        version: get('version'),
        branch: get('branch'),
        tag: get('tag'),
        environment: get('environment'),
        latest: s.latest === 'true',
      };
    };
    const form = html`<form class="filters" method="get" action="${b}/matrix">
${selectorFieldset('Pacticipant', 0, fields(0), names)}
${selectorFieldset('And (optional)', 1, fields(1), names)}
<div class="actions"><button type="submit">Show the matrix</button></div>
</form>`;
    let status = 200;
    let content: Html;
    if (selectors.length === 0) {
      content = html`<p class="muted">Choose a pacticipant (and, to narrow it, a version, branch, tag or
environment, or a second pacticipant) to see which versions have been verified against which.</p>`;
    } else {
      try {
        const query: MatrixQuery = matrixQueryFromParams(params);
        query.options.limit = page * PAGE_SIZE + 1;
        const result = await runMatrix(database().db, query, database().dialect);
        const rows = result.rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
        const hasNext = result.rows.length > page * PAGE_SIZE;
        const query0 = rawQuery(url);
        const path = url.split('?', 1)[0]!;
        content = rows.length
          ? html`<p class="muted">${counts(result)}</p>${matrixTable(b, rows)}${pagination(
              (n) => `${b}${path}${withPage(query0, n)}`,
              page,
              hasNext,
            )}`
          : html`<p>No pacts match this query${page > 1 ? ' on this page' : ''}.</p>`;
      } catch (error) {
        const problem = problemBlock(error);
        status = problem.status;
        content = problem.block;
      }
    }
    return { status, title, body: html`<h1>${heading}</h1>${form}${content}` };
  };

  return {
    '/matrix': async (request, b) => {
      const params = filledSelectors(parseNestedQuery(rawQuery(request.url)));
      return renderMatrix(b, request.url, params, html`Matrix`, 'Matrix');
    },
    [INTEGRATION_MATRIX_PAGE]: async (request, b) => {
      const { provider = '', consumer = '' } = request.params as Record<string, string | undefined>;
      const params = parseNestedQuery(rawQuery(request.url));
      params.q = [
        Object.assign(Object.create(null) as QueryObject, { pacticipant: consumer }),
        Object.assign(Object.create(null) as QueryObject, { pacticipant: provider }),
      ];
      return renderMatrix(
        b,
        request.url,
        params,
        html`Matrix of <a href="${pacticipantHref(b, consumer)}">${consumer}</a> and <a href="${pacticipantHref(b, provider)}">${provider}</a>`,
        `Matrix of ${consumer} and ${provider}`,
      );
    },
    '/can-i-deploy': async (request, b) => canIDeployPage(request, b),
  };

  async function canIDeployPage(request: FastifyRequest, b: string): Promise<PageResult> {
    const params = parseNestedQuery(rawQuery(request.url));
    const get = (k: string) =>
      typeof params[k] === 'string' && params[k] !== '' ? (params[k] as string) : undefined;
    const pacticipant = get('pacticipant');
    const version = get('version');
    const environment = get('environment');
    const toTag = get('to');
    const mainBranch = get('mainBranch') === 'true';
    const [pacticipants, environments] = await Promise.all([
      listPacticipants(database().db),
      listEnvironments(database().db),
    ]);
    const form = html`<form class="filters" method="get" action="${b}/can-i-deploy">
<fieldset><legend>Which version</legend>
<label>Pacticipant <input name="pacticipant" id="cid-pacticipant" list="pacticipant-names" required value="${pacticipant ?? ''}"></label>
<datalist id="pacticipant-names">${pacticipants.map((p) => html`<option value="${p.name}"></option>`)}</datalist>
<label>Version <input name="version" id="cid-version" required value="${version ?? ''}"></label>
</fieldset>
<fieldset><legend>Where to</legend>
<label>Environment <select name="environment" id="cid-environment">${environments.map(
      (e) =>
        html`<option value="${e.name}"${e.name === environment ? html` selected` : ''}>${e.display_name ?? e.name}${e.production ? ' (production)' : ''}</option>`,
    )}</select></label>
</fieldset>
<div class="actions"><button type="submit">Can I deploy?</button>
<button type="submit" name="mainBranch" value="true">Can I merge? (main branches)</button></div>
</form>`;
    const heading = html`<h1>Can I deploy?</h1>`;
    if (!pacticipant || !version)
      return {
        status: 200,
        title: 'Can I deploy?',
        body: html`${heading}<p class="muted">Pick a version of a pacticipant and where it is going: an environment, or
(to merge) the main branches of the pacticipants it talks to.</p>${form}`,
      };
    let target: string;
    let query: MatrixQuery;
    try {
      if (mainBranch) {
        target = 'the latest version of each on its main branch';
        query = {
          selectors: [{ pacticipant, version }],
          options: { latest: true, mainBranch: true, latestby: 'cvp' },
        };
      } else {
        const name = environment ?? environments[0]?.name;
        target = name ? `${name}` : toTag ? `the latest versions tagged ${toTag}` : 'the latest versions';
        const apiParams = Object.assign(Object.create(null) as QueryObject, params);
        if (!toTag && name) apiParams.environment = name;
        delete apiParams.mainBranch;
        query = canIDeployQueryFromParams(apiParams);
      }
      const result = await runMatrix(database().db, query, database().dialect);
      const failedCounts = await failedInteractionCounts(database(), result.rows);
      return {
        status: 200,
        title: `Can I deploy ${pacticipant} ${version}?`,
        body: html`${heading}${form}${verdict(b, pacticipant, version, target, mainBranch, result, failedCounts)}`,
      };
    } catch (error) {
      const problem = problemBlock(error);
      return {
        status: problem.status,
        title: 'Can I deploy?',
        body: html`${heading}${form}${problem.block}`,
      };
    }
  }
}

function counts(result: MatrixResult): string {
  const { success, failed, unknown } = result.summary;
  const rows = result.rows.length;
  return `${rows} row${rows === 1 ? '' : 's'}: ${success} verified, ${failed} failed, ${unknown} not verified.`;
}

/** "Bar 1.4.2" or, for a row with no provider version, what the target stands for. */
function providerWords(r: MatrixRow, target: string, mainBranch: boolean): string {
  if (r.providerVersion) return `${r.providerName} ${r.providerVersion.number}`;
  return mainBranch
    ? `${r.providerName} on its main branch`
    : `the version of ${r.providerName} in ${target}`;
}

/**
 * How many interactions each failed verification among `rows` failed, by verification id, read
 * from their `testResults` in one query; a verification whose results say nothing is left out.
 */
async function failedInteractionCounts(
  database: BrokerDatabase,
  rows: MatrixRow[],
): Promise<Map<number, number>> {
  const ids = [
    ...new Set(rows.flatMap((r) => (r.verification && !r.verification.success ? [r.verification.id] : []))),
  ];
  const stored = await verificationTestResults(database, ids);
  const counts = new Map<number, number>();
  for (const [id, testResults] of stored) {
    const failed = failedInteractionCount(parseTestResults(testResults));
    if (failed !== undefined && failed > 0) counts.set(id, failed);
  }
  return counts;
}

/**
 * Why one row counts for or against: in words, from the row the domain's matrix gave ("verification
 * by Bar 1.4.2 failed: 2 interactions" when the verification's test results say how many).
 */
function rowWords(
  r: MatrixRow,
  target: string,
  mainBranch: boolean,
  failedCounts: Map<number, number>,
): string {
  switch (outcomeOf(r)) {
    case 'success':
      return `verified by ${providerWords(r, target, mainBranch)}`;
    case 'failed': {
      const failed = r.verification ? failedCounts.get(r.verification.id) : undefined;
      return `verification by ${providerWords(r, target, mainBranch)} failed${
        failed ? `: ${failed} interaction${failed === 1 ? '' : 's'}` : ''
      }`;
    }
    case 'never':
      return `no verification of the pact of ${r.consumerName} ${r.consumerVersion.number} by ${providerWords(r, target, mainBranch)}`;
  }
}

/**
 * The answer: the domain's verdict and notices, then each integration (consumer and provider pair)
 * with its rows' words, then the rows themselves.
 */
function verdict(
  b: string,
  pacticipant: string,
  version: string,
  target: string,
  mainBranch: boolean,
  result: MatrixResult,
  failedCounts: Map<number, number>,
): Html {
  const { deployable } = result.summary;
  const answer = deployable === true ? 'yes' : deployable === false ? 'no' : 'unknown';
  const where = mainBranch ? 'merge' : `deploy to ${target}`;
  const headline =
    deployable === true
      ? `Yes: ${pacticipant} ${version} can ${where}.`
      : deployable === false
        ? `No: ${pacticipant} ${version} cannot ${where}.`
        : `Not yet: whether ${pacticipant} ${version} can ${where} is not known, because a verification is missing.`;
  const integrations = new Map<string, MatrixRow[]>();
  for (const r of result.rows) {
    const key = `${r.consumerName}\u0000${r.providerName}`;
    const list = integrations.get(key) ?? [];
    list.push(r);
    integrations.set(key, list);
  }
  return html`<section class="verdict verdict-${answer}" aria-label="Answer" data-deployable="${answer}">
<h2>${headline}</h2>
<ul class="notices">${result.notices.map((n) => html`<li class="notice-${n.type}">${n.text}</li>`)}</ul>
</section>
${
  integrations.size
    ? html`<h2>Integrations</h2><ul class="integration-answers">${[...integrations.values()].map((rows) => {
        const considered = rows.filter((r) => !r.ignored);
        const ok = considered.every((r) => outcomeOf(r) === 'success');
        const first = rows[0]!;
        return html`<li class="answer-${considered.length === 0 ? 'ignored' : ok ? 'yes' : 'no'}"><strong>${
          considered.length === 0 ? 'Ignored' : ok ? 'Yes' : 'No'
        }</strong> — <a href="${b}/matrix/provider/${enc(first.providerName)}/consumer/${enc(first.consumerName)}">${first.consumerName} → ${first.providerName}</a>:
${rows.map((r, i) => html`${i ? '; ' : ''}${rowWords(r, target, mainBranch, failedCounts)}${r.ignored ? ' (ignored)' : ''}`)}.</li>`;
      })}</ul>
<h2>The matrix rows behind it</h2>${matrixTable(b, result.rows)}`
    : ''
}`;
}
