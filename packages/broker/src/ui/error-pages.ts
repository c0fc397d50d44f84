import type { FastifyReply } from 'fastify';
import type { BrokerRequestError } from '../errors.js';
import { CONTENT_SECURITY_POLICY, html, page } from './html.js';
import type { PageResult } from './pages.js';

/**
 * Sends a page with the headers every page carries (its CSP, no sniffing, no caching), keeping the
 * result's status.
 */
export function sendHtmlPage(reply: FastifyReply, baseUrl: string, result: PageResult): FastifyReply {
  return reply
    .code(result.status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('cache-control', 'no-cache')
    .send(page({ title: result.title, baseUrl, body: result.body, apiPath: result.apiPath }));
}

/**
 * The page a browser gets for any refusal or failure (what API clients get as problem+json or the
 * legacy error body): the status and title, what was wrong, the field errors, what to do (the
 * catalog's hint) and the code to search for, with a way back.
 *
 * @example
 * sendHtmlPage(reply, b, problemPage(b, new HttpProblem(404, 'Not found', 'no resource at GET /x')));
 */
export function problemPage(b: string, problem: BrokerRequestError): PageResult {
  const fieldErrors = problem.errors
    ? Object.entries(problem.errors).flatMap(([field, messages]) =>
        messages.map((message) => html`<li><code>${field}</code> ${message}</li>`),
      )
    : [];
  return {
    status: problem.status,
    title: problem.title,
    body: html`<h1>${problem.title}</h1>
<p class="problem-status">HTTP ${String(problem.status)}</p>
<p class="problem-detail">${problem.detail}</p>
${fieldErrors.length > 0 ? html`<ul class="problem-errors">${fieldErrors}</ul>` : ''}
<p class="problem-hint"><strong>What to do:</strong> ${problem.hint}</p>
<p class="problem-code">Error code <code>${problem.code}</code></p>
<p><a href="${b}/">Back to the integrations</a></p>`,
  };
}
