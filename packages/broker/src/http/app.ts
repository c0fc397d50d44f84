import { CovenantError } from '@covenant/core';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { MAX_NAME_LENGTH } from '../domain/pacticipants.js';
import { BrokerRequestError } from '../errors.js';
import { coreRoutes } from '../routes/core.js';
import { dashboardRoutes } from '../routes/dashboard.js';
import { deletionRoutes } from '../routes/deletions.js';
import { deployCheckRoutes } from '../routes/deploy-checks.js';
import { environmentRoutes } from '../routes/environments.js';
import { integrationRoutes } from '../routes/integrations.js';
import { labelAndBadgeRoutes } from '../routes/labels-badges.js';
import { matrixRoutes } from '../routes/matrix.js';
import { networkRoutes } from '../routes/network.js';
import { pactCollectionRoutes } from '../routes/pact-collections.js';
import { pactDiffRoutes } from '../routes/pact-diffs.js';
import { pactLookupRoutes } from '../routes/pact-lookups.js';
import { pactRoutes } from '../routes/pacts.js';
import { providerContractRoutes } from '../routes/provider-contracts.js';
import { verificationRoutes } from '../routes/verifications.js';
import { versionListRoutes } from '../routes/version-lists.js';
import { webhookRoutes } from '../routes/webhooks.js';
import { problemPage, sendHtmlPage } from '../ui/error-pages.js';
import { prefersHtml } from '../ui/negotiate.js';
import { registerUi } from '../ui/register.js'; // UI: HTML pages for browsers
import { accessNeeded, authEnabled, authorize, ROUTE_ACCESS_LEVELS } from './auth.js';
import { type AppOptions, createRouteContext } from './context.js';
import { readJsonText } from './json-text.js';
import { openApiDocument, registerOpenApi, schemaController } from './openapi.js';
import { HttpProblem, problemBody } from './problem.js';

/**
 * The broker's HTTP application: HAL+JSON resources compatible with the reference Pact Broker,
 * one transaction per write, problem+json errors.
 */
export function createApp(options: AppOptions): FastifyInstance {
  const requestTimeout = options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 10 * 1024 * 1024,
    // Fastify's default is no limit: a client that stopped sending mid-request held its connection forever
    requestTimeout,
    http: {
      // how often Node looks for requests past the timeout (its default, 30 s, outlasts short timeouts)
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(requestTimeout / 4))),
      headersTimeout: Math.min(60_000, requestTimeout),
    },
    // the route schemas validate input; JSON.stringify serialises (see http/openapi.ts)
    schemaController,
    // names are URL-encoded in paths and may contain anything
    routerOptions: { maxParamLength: MAX_NAME_LENGTH, ignoreTrailingSlash: true },
    // a request that is not HTTP, or whose headers are too large, still gets the broker's error shape
    clientErrorHandler: answerClientError,
    // the router's own refusals (a path that is not valid percent-encoding, a segment over
    // maxParamLength) never reach the error handler: answer them in the broker's shape here
    frameworkErrors: (error, request, reply) => {
      const problem =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new HttpProblem(
              414,
              'URI too long',
              `a name, version or other path segment is longer than ${MAX_NAME_LENGTH} characters (each must fit in a URL path segment)`,
            )
          : error.code === 'FST_ERR_BAD_URL'
            ? new HttpProblem(
                400,
                'Validation errors',
                `the URL path is not valid percent-encoding (each % must start a UTF-8 escape such as %20): ${request.url.split('?', 1)[0]}`,
              )
            : new HttpProblem(400, 'Bad request', error.message);
      sendProblem(request, reply as FastifyReply, problem);
    },
  });
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access || !ROUTE_ACCESS_LEVELS.includes(access))
      throw new Error(
        `${[route.method].flat().join(', ')} ${route.url} declares no access level: give it config.access, one of ${ROUTE_ACCESS_LEVELS.join(', ')}`,
      );
  });
  // every route's schema, validation and the OpenAPI document (before any route is added)
  registerOpenApi(app);
  const { onRoute } = options;
  if (onRoute) app.addHook('onRoute', (route) => onRoute(route));
  // every route's path as a pattern, so that a known path asked with another method is a 405
  const routes: Array<{ pattern: RegExp; methods: string[] }> = [];
  app.addHook('onRoute', (route) => {
    const source = route.url
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    routes.push({ pattern: new RegExp(`^${source}/?$`), methods: [route.method].flat() });
  });
  const context = createRouteContext(options);

  /** Answers with a problem, in the shape the client's Accept asks for. */
  const sendProblem = (request: FastifyRequest, reply: FastifyReply, problem: BrokerRequestError) => {
    if (problem.retryAfter !== undefined) reply.header('retry-after', String(problem.retryAfter));
    // a browser gets a page saying what went wrong, with a way back; API clients keep their JSON
    if (prefersHtml(request.headers.accept)) {
      const b = context.baseUrlOf(request);
      sendHtmlPage(reply, b, problemPage(b, problem));
      return;
    }
    const { contentType, body } = problemBody(
      problem,
      request.headers.accept,
      context.baseUrlOf(request),
      request.url,
    );
    reply.code(problem.status).type(contentType).send(body);
  };

  // JSON bodies under any JSON-ish content type (hal+json, merge-patch+json…)
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    // application/json and any +json type, with or without parameters; not application/jsonx
    /^application\/([\w.+-]*\+)?json\s*(;|$)/i,
    { parseAs: 'string' },
    (request, body, done) => {
      if (body === '') return done(null, undefined);
      // PostgreSQL cannot store NUL in text, so no name, version or value may hold one, on either
      // database; pact content is exempt (it is stored as JSON text, where NUL stays escaped)
      const pact = request.method === 'PUT' && request.routeOptions.url === PACT_PUBLICATION_ROUTE;
      const read = readJsonText(body as string, { nul: !pact });
      if (!read.ok)
        return done(
          read.reason === 'syntax'
            ? new HttpProblem(
                400,
                'Invalid JSON',
                `the request body is not valid JSON: ${read.message}`,
                undefined,
                { code: 'COV_BROKER_BODY_INVALID_JSON' },
              )
            : new HttpProblem(400, 'Validation errors', `the request body ${read.message}`),
          undefined,
        );
      if (read.nulAt !== undefined) return done(nulProblem(`the body at ${read.nulAt}`), undefined);
      done(null, read.value);
    },
  );

  if (authEnabled(options.auth)) {
    const auth = options.auth;
    app.addHook('onRequest', async (request) => authorize(request, auth, accessNeeded(request)));
  }

  // no NUL in the URL either (see the body parser above)
  app.addHook('onRequest', async (request) => {
    if (/%00/i.test(request.url)) throw nulProblem('the URL');
    // a compressed body would otherwise be read as garbled JSON
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (encoding && encoding !== 'identity')
      throw new HttpProblem(
        415,
        'Unsupported media type',
        `the broker does not read ${encoding}-encoded bodies; send the body uncompressed (no Content-Encoding)`,
      );
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('vary', 'Accept');
    reply.header('x-pact-broker-version', '2.110.0-covenant');
    // the largest body this broker reads, so a client can refuse a larger one before sending it
    reply.header('x-covenant-body-limit', String(options.bodyLimit ?? 10 * 1024 * 1024));
    return payload;
  });

  app.setErrorHandler(
    (error: Error & { statusCode?: number; code?: string }, request: FastifyRequest, reply: FastifyReply) => {
      let problem: BrokerRequestError;
      if (error instanceof BrokerRequestError) problem = error;
      else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        problem = new HttpProblem(
          413,
          'Payload too large',
          `the request body is larger than the limit of ${options.bodyLimit ?? 10 * 1024 * 1024} bytes`,
        );
      else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
        problem = new HttpProblem(
          415,
          'Unsupported media type',
          `send the body as application/json (got ${request.headers['content-type'] ?? 'no content type'})`,
        );
      else if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY')
        problem = new HttpProblem(400, 'Invalid JSON', error.message, undefined, {
          code: 'COV_BROKER_BODY_INVALID_JSON',
        });
      else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
        problem = new HttpProblem(error.statusCode, 'Bad request', error.message);
      // a value PostgreSQL cannot store in text (the hooks above refuse NUL first; this is the net)
      else if (error.code === '22021' || error.code === '22P05')
        problem = new HttpProblem(
          400,
          'Validation errors',
          'the request holds a character the database cannot store (such as NUL)',
        );
      else if (error instanceof CovenantError && error.code === 'COV_BROKER_DATABASE_SYNC_FAILED') {
        // the client must know its write may have landed; the operator, that the broker needs a restart
        request.log.error(error);
        problem = new HttpProblem(
          500,
          'Database sync failed',
          `${error.code}: ${error.detail} → ${error.hint}`,
          undefined,
          { code: 'COV_BROKER_DATABASE_SYNC_FAILED' },
        );
      } else {
        request.log.error(error);
        problem = new HttpProblem(
          500,
          'Server error',
          'the broker failed to handle this request; see its log',
        );
      }
      sendProblem(request, reply, problem);
    },
  );

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))];
    if (allowed.length > 0) reply.header('allow', allowed.join(', '));
    const problem =
      allowed.length > 0
        ? new HttpProblem(
            405,
            'Method not allowed',
            `${request.method} is not allowed on ${path}; it allows ${allowed.join(', ')}`,
          )
        : new HttpProblem(404, 'Not found', `no resource at ${request.method} ${request.url}`);
    sendProblem(request, reply, problem);
  });

  app.get('/diagnostic/status/heartbeat', { config: { access: 'public' } }, async (_request, reply) => {
    reply.type('application/hal+json;charset=utf-8');
    return { ok: true, _links: { self: { href: '/diagnostic/status/heartbeat' } } };
  });

  app.get('/openapi.json', { config: { access: 'read' } }, async (request, reply) => {
    reply.type('application/json;charset=utf-8');
    return openApiDocument(app, context.baseUrlOf(request));
  });

  // --- UI: the same URLs answer browsers (Accept prefers text/html) with HTML pages; see ui/register.ts ---
  registerUi(app, context);
  // --- end UI ---

  // one plugin per resource family. Each is an encapsulated child of this instance, so it inherits
  // everything set above (the auth, NUL and UI hooks, the error handler, the validator, the access
  // and schema checks, swagger's route collection) and adds routes only
  app.register(coreRoutes, { context });
  app.register(pactRoutes, { context });
  app.register(pactCollectionRoutes, { context });
  app.register(deletionRoutes, { context });
  app.register(integrationRoutes, { context });
  app.register(networkRoutes, { context });
  app.register(dashboardRoutes, { context });
  app.register(pactDiffRoutes, { context });
  app.register(verificationRoutes, { context });
  app.register(environmentRoutes, { context });
  app.register(matrixRoutes, { context });
  app.register(webhookRoutes, { context });
  app.register(labelAndBadgeRoutes, { context });
  app.register(providerContractRoutes, { context });
  app.register(pactLookupRoutes, { context });
  app.register(versionListRoutes, { context });
  app.register(deployCheckRoutes, { context });
  return app;
}

/** The sockets answered by answerClientError: the failed parser reports each later read again. */
const refusedSockets = new WeakSet<import('node:stream').Duplex>();

/** How long a refused connection is kept open after its answer, for the client to read it. */
const REFUSED_LINGER_MS = 2_000;

/** Answers, on the raw socket, a request Node's HTTP parser refused (the app never sees it). */
function answerClientError(error: NodeJS.ErrnoException, socket: import('node:stream').Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || refusedSockets.has(socket)) return;
  refusedSockets.add(socket);
  const problem =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new HttpProblem(
          431,
          'Request header fields too large',
          'the URL and headers together are larger than 16 KB (a long query string counts)',
        )
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new HttpProblem(
            408,
            'Request timeout',
            'the whole request (headers and body) did not arrive in time',
          )
        : new HttpProblem(
            400,
            'Bad request',
            `the request is not valid HTTP (${error.code ?? error.message})`,
            undefined,
            { code: 'COV_BROKER_REQUEST_MALFORMED' },
          );
  // no request was read, so no Accept: the shape clients get when they send none
  const { contentType, body } = problemBody(problem, undefined, '', '');
  const text = JSON.stringify(body);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // closed after the answer (FIN), not destroyed: a close with the client's input unread makes the
  // kernel reset the connection, and a client still sending (a long URL, a body) then loses the
  // answer to EPIPE or a hang-up. Meanwhile what it sends is read and dropped, for a bounded time.
  socket.end(
    `HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
  setTimeout(() => socket.destroy(), REFUSED_LINGER_MS).unref();
}

const DEFAULT_REQUEST_TIMEOUT = 120_000;

const PACT_PUBLICATION_ROUTE = '/pacts/provider/:provider/consumer/:consumer/version/:version';

const nulProblem = (where: string) =>
  new HttpProblem(
    400,
    'Validation errors',
    `${where} contains a NUL character (\\u0000 or %00), which names, versions and values cannot hold`,
  );
