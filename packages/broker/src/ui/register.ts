import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  integrationRows,
  PAGE_SIZE,
  type PactSelector,
  pacticipantSummary,
  pactPageData,
  versionRows,
} from '../db/pages-repo.js';
import { BrokerRequestError } from '../errors.js';
import type { RouteContext } from '../http/context.js';
import { registerApiBrowser } from './api-browser.js';
import { BRANCHES_AND_TAGS_PAGE, branchesAndTagsPages } from './branches-tags-page.js';
import { contractPages, withComparisons } from './contract-pages.js';
import { diffPages } from './diff-pages.js';
import { registerDocPages } from './doc-pages.js';
import { sendHtmlPage } from './error-pages.js';
import { interactionsPages, PACTICIPANT_INTERACTIONS_PAGE } from './interactions-page.js';
import { INTEGRATION_MATRIX_PAGE, matrixPages } from './matrix-pages.js';
import { prefersHtml } from './negotiate.js';
import { NETWORK_PAGE, networkPages } from './network-page.js';
import { errorPage, indexPage, notFoundPage, type PageResult, pacticipantPage, pactPage } from './pages.js';
import { pageNumber, searchText } from './query.js';
import { verificationPages } from './verification-page.js';
import { integrationWebhookStatuses, webhookPages } from './webhook-pages.js';

type Params = Record<string, string | undefined>;
type PageHandler = (request: FastifyRequest, b: string) => Promise<PageResult>;

/**
 * The browser UI: the same URLs as the API answer with server-rendered HTML when the request's
 * Accept prefers `text/html` (as a browser's does); every other request falls through to the
 * HAL+JSON API untouched. Pages read with one SQL query per table, never per row.
 */
export function registerUi(app: FastifyInstance, context: RouteContext): void {
  const database = () => context.options.database;

  const pactHandler =
    (selector: (params: Params) => PactSelector): PageHandler =>
    async (request, b) => {
      const params = request.params as Params;
      const consumer = params.consumer ?? '';
      const provider = params.provider ?? '';
      const data = await pactPageData(database(), consumer, provider, selector(params));
      if (!data) return notFoundPage(b, `There is no such pact between ${consumer} and ${provider}.`);
      return withComparisons(context, b, data, pactPage(b, data));
    };

  /** Pages by the API route they share a URL with. */
  const pages: Record<string, PageHandler> = {
    ...contractPages(context),
    ...matrixPages(context),
    ...webhookPages(context),
    ...diffPages(context),
    ...verificationPages(context),
    ...networkPages(context),
    ...interactionsPages(context),
    ...branchesAndTagsPages(context),
    '/': async (request, b) => {
      const n = pageNumber(request);
      const search = searchText(request);
      const [rows, webhookStatus] = await Promise.all([
        integrationRows(database(), { search, offset: (n - 1) * PAGE_SIZE, limit: PAGE_SIZE + 1 }),
        integrationWebhookStatuses(context),
      ]);
      return indexPage(b, rows.slice(0, PAGE_SIZE), n, rows.length > PAGE_SIZE, webhookStatus, search);
    },
    '/pacts/provider/:provider/consumer/:consumer/latest': pactHandler(() => ({ kind: 'latest' })),
    '/pacts/provider/:provider/consumer/:consumer/latest/:tag': pactHandler((p) => ({
      kind: 'tag',
      tag: p.tag ?? '',
    })),
    '/pacts/provider/:provider/consumer/:consumer/branch/:branch/latest': pactHandler((p) => ({
      kind: 'branch',
      branch: p.branch ?? '',
    })),
    '/pacts/provider/:provider/consumer/:consumer/version/:version': pactHandler((p) => ({
      kind: 'version',
      version: p.version ?? '',
    })),
    '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha': pactHandler((p) => ({
      kind: 'sha',
      sha: p.sha ?? '',
    })),
    '/pacticipants/:pacticipant': async (request, b) => {
      const name = (request.params as Params).pacticipant ?? '';
      const summary = await pacticipantSummary(database(), name);
      if (!summary) return notFoundPage(b, `There is no pacticipant named ${name}.`);
      const n = pageNumber(request);
      const [integrations, versions] = await Promise.all([
        integrationRows(database(), { pacticipantId: summary.id }),
        versionRows(database(), summary.id, (n - 1) * PAGE_SIZE, PAGE_SIZE + 1),
      ]);
      return pacticipantPage(
        b,
        summary,
        integrations,
        versions.slice(0, PAGE_SIZE),
        n,
        versions.length > PAGE_SIZE,
      );
    },
  };

  // pages with no API resource on their URL answer HTML to every client
  const pageOnly = [
    INTEGRATION_MATRIX_PAGE,
    NETWORK_PAGE,
    PACTICIPANT_INTERACTIONS_PAGE,
    BRANCHES_AND_TAGS_PAGE,
  ];
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const route = request.routeOptions.url;
    const handler = route === undefined ? undefined : pages[route];
    if (!handler || !prefersHtml(request.headers.accept)) return;
    // a page sharing its URL with an API resource: the header's API browser link opens that
    return sendPage(
      request,
      reply,
      handler,
      route !== undefined && pageOnly.includes(route) ? undefined : request.url,
    );
  });

  for (const url of pageOnly)
    app.get(url, { config: { access: 'read' } }, (request, reply) => sendPage(request, reply, pages[url]!));
  registerApiBrowser(app, context);
  registerDocPages(app, context);

  async function sendPage(
    request: FastifyRequest,
    reply: FastifyReply,
    handler: PageHandler,
    apiPath?: string,
  ) {
    const b = context.baseUrlOf(request);
    let result: PageResult;
    try {
      result = await handler(request, b);
    } catch (error) {
      // a client's mistake (a query given twice) is answered 4xx by the error handler, not a 500 page
      if (error instanceof BrokerRequestError && error.status < 500) throw error;
      request.log.error(error);
      result = errorPage(b);
    }
    return sendHtmlPage(reply, b, apiPath && result.status < 400 ? { ...result, apiPath } : result);
  }

  // a browser turned away for want of credentials is asked for them (the API's clients are not)
  const basic = !!(context.options.auth?.readWrite || context.options.auth?.readOnly);
  if (basic) {
    app.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode === 401 && prefersHtml(request.headers.accept))
        reply.header('www-authenticate', 'Basic realm="Pact Broker", charset="UTF-8"');
      return payload;
    });
  }
}
