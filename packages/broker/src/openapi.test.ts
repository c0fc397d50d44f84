import { pactFixture } from '@covenant/test-support';
import Ajv2020Module, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerDatabase, openDatabase } from './db/connect.js';
import { createApp } from './http/app.js';
import { openApiDocument } from './http/openapi.js';

// both are CommonJS with `exports.default`: the class is `.default` under Node's ESM interop
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

type Json = Record<string, unknown>;

const DOCUMENT_ID = 'https://broker.test/openapi.json';
const WRITER = `Basic ${Buffer.from('pactbroker:pactbroker').toString('base64')}`;
const READER = `Basic ${Buffer.from('reader:r').toString('base64')}`;
const PACT = '/pacts/provider/{provider}/consumer/{consumer}';
const VERSION = '/pacticipants/{pacticipant}/versions/{version}';
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

// the document is generated from the route schemas of an app
const documentedApp = createApp({ database: await openDatabase(':memory:') });
await documentedApp.ready();
const document = openApiDocument(documentedApp) as {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json> };
};

/** `METHOD /path/{param}` for every documented operation. */
const documented = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.keys(item)
    .filter((method) => METHODS.includes(method))
    .map((method) => `${method.toUpperCase()} ${path}`),
);

const pact = (interactions: string[], consumer = 'Web', provider = 'Api') =>
  pactFixture({ consumer, provider, interactions });

const webhookBody = (extra: Json = {}) => ({
  description: 'notify CI',
  events: [{ name: 'contract_content_changed' }],
  request: {
    method: 'POST',
    url: 'https://ci.example.com/hooks/pact',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer secret' },
    body: { pact: '${pactbroker.pactUrl}' },
    username: 'ci',
    password: 'hunter2',
  },
  ...extra,
});

describe('the OpenAPI document', () => {
  const routes: Array<{ method: string; url: string }> = [];
  /** The route that served each test call, by the call's `x-test-call` id. */
  const servedBy = new Map<string, string | undefined>();
  /** Each exercised operation and the statuses it answered. */
  const exercised = new Map<string, Set<number>>();
  const validators = new Map<string, ValidateFunction>();
  let database: BrokerDatabase;
  let app: FastifyInstance;
  let base: string;
  let calls = 0;

  const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
  addFormats(ajv);
  // the document's own (non-schema) keywords
  ajv.addVocabulary(['openapi', 'info', 'servers', 'tags', 'security', 'paths', 'components']);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });

  /** Follows a `#/components/...` reference within the document. */
  const resolve = (value: Json): Json => {
    const target = value.$ref;
    if (typeof target !== 'string') return value;
    let node: unknown = document;
    for (const part of target.slice(2).split('/')) node = (node as Json)[part.replace(/~1/g, '/')];
    expect(node, `${target} resolves`).toBeDefined();
    return resolve(node as Json);
  };

  const validator = (schema: Json) => {
    const key = JSON.stringify(schema);
    let validate = validators.get(key);
    if (!validate) {
      const target = schema.$ref;
      validate = ajv.compile(typeof target === 'string' ? { $ref: `${DOCUMENT_ID}${target}` } : schema);
      validators.set(key, validate);
    }
    return validate;
  };

  const check = (schema: Json, value: unknown, what: string) => {
    const validate = validator(schema);
    validate(value);
    expect(validate.errors ?? [], `${what}: ${JSON.stringify(value).slice(0, 2000)}`).toEqual([]);
  };

  interface CallOptions {
    query?: string;
    body?: unknown;
    /** A body sent as is, with its content type. */
    raw?: { body: string; contentType: string };
    as?: 'writer' | 'reader' | 'anonymous';
    accept?: string;
  }

  /**
   * Calls a documented operation (`GET /pacticipants/{pacticipant}`) over HTTP, checks that the route
   * serving it is that operation's, and validates the response against the document: its status
   * must be listed, its media type too, and its body must match the schema.
   */
  async function call(operation: string, params: Record<string, string> = {}, options: CallOptions = {}) {
    const [method, template] = operation.split(' ') as [string, string];
    const item = document.paths[template]?.[method.toLowerCase()];
    expect(item, `${operation} is documented`).toBeDefined();
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      expect(params[name], `${operation}: a value for {${name}}`).toBeDefined();
      return encodeURIComponent(params[name]!);
    });
    const id = String(++calls);
    const headers: Record<string, string> = {
      Accept: options.accept ?? 'application/hal+json',
      'x-test-call': id,
    };
    const as = options.as ?? 'writer';
    if (as !== 'anonymous') headers.Authorization = as === 'writer' ? WRITER : READER;
    let body: string | undefined;
    if (options.raw) {
      body = options.raw.body;
      headers['Content-Type'] = options.raw.contentType;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(`${base}${path}${options.query ? `?${options.query}` : ''}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    const status = response.status;
    const media = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const served = servedBy.get(id);
    if (served !== undefined)
      expect(served.replace(/:(\w+)/g, '{$1}'), 'the route that answered').toBe(template);
    else expect(status, `${operation} answered by no route`).toBe(404);

    const documentedResponse = (item!.responses as Record<string, Json>)[String(status)];
    expect(
      documentedResponse,
      `${operation} answered ${status} (${text.slice(0, 300)}): is it documented?`,
    ).toBeDefined();
    const described = resolve(documentedResponse!);
    const content = described.content as Record<string, { schema: Json }> | undefined;
    let json: ReturnType<typeof JSON.parse>;
    if (!content) expect(text, `${operation} ${status} has no body`).toBe('');
    else {
      const entry = content[media];
      expect(entry, `${operation} ${status} answers ${media}: is it documented?`).toBeDefined();
      json = ['image/svg+xml', 'text/plain', 'text/html', 'text/csv', 'text/vnd.graphviz'].includes(media)
        ? text
        : JSON.parse(text);
      check(entry!.schema, json, `${operation} ${status} ${media}`);
    }
    // what a successful request sent is an example of the documented request body
    const requestBody = item!.requestBody as { content: Record<string, { schema: Json }> } | undefined;
    if (status < 300 && options.body !== undefined && requestBody)
      check(requestBody.content['application/json']!.schema, options.body, `${operation} request body`);

    const statuses = exercised.get(operation) ?? new Set<number>();
    statuses.add(status);
    exercised.set(operation, statuses);
    return { status, media, text, json, headers: response.headers };
  }

  beforeAll(async () => {
    database = await openDatabase(':memory:');
    app = createApp({
      database,
      bodyLimit: 256 * 1024,
      auth: {
        readWrite: { username: 'pactbroker', password: 'pactbroker' },
        readOnly: { username: 'reader', password: 'r' },
      },
      onRoute: (route) => {
        for (const method of [route.method].flat()) routes.push({ method, url: route.url });
      },
    });
    app.addHook('onResponse', async (request) => {
      const id = request.headers['x-test-call'];
      if (typeof id === 'string') servedBy.set(id, request.routeOptions.url);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('documents every route the broker registers, and no other', () => {
    const registered = routes
      .filter((route) => route.method !== 'HEAD' && route.method !== 'OPTIONS')
      .map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(registered.length).toBeGreaterThan(70);
    expect([...new Set(registered)].sort()).toEqual([...documented].sort());
  });

  it('is a well-formed OpenAPI 3.1 document whose schemas all compile', () => {
    expect(document).toMatchObject({ openapi: '3.1.0', info: { title: expect.any(String) } });
    const ids = new Set<string>();
    for (const operation of documented) {
      const [method, path] = operation.split(' ') as [string, string];
      const item = document.paths[path]![method.toLowerCase()] as Json & {
        operationId: string;
        summary: string;
        parameters?: Array<{ name: string; in: string }>;
        responses: Record<string, Json>;
      };
      expect(item.summary, operation).toMatch(/\S/);
      expect(ids.has(item.operationId), `${item.operationId} is unique`).toBe(false);
      ids.add(item.operationId);
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
      const declared = (item.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(declared, `${operation} path parameters`).toEqual(inPath);
      const statuses = Object.keys(item.responses);
      expect(
        statuses.some((status) => status.startsWith('2')) || operation === 'POST /webhooks/{uuid}/execute',
        `${operation} has a success response`,
      ).toBe(true);
      for (const response of Object.values(item.responses)) resolve(response);
    }
    for (const name of Object.keys(document.components.schemas))
      expect(() => validator({ $ref: `#/components/schemas/${name}` }), name).not.toThrow();
    expect(openApiDocument(documentedApp, 'http://broker.example.com/')).toMatchObject({
      servers: [{ url: 'http://broker.example.com' }],
    });
  });

  // ---- a realistic session, every response validated against the document ----------------------

  const state: Record<string, string> = {};
  const web = { pacticipant: 'Web' };
  const webApi = { provider: 'Api', consumer: 'Web' };

  it('documents the refusals every request may get (408, 431; 414 with a name in the path) and the 405 with its Allow header', () => {
    const { responses } = document.components;
    for (const name of ['MethodNotAllowed', 'RequestTimeout', 'UriTooLong', 'RequestHeaderFieldsTooLarge'])
      expect(responses[name], name).toBeDefined();
    expect(Object.keys((responses.MethodNotAllowed as { headers: Json }).headers)).toEqual(['Allow']);
    const get = (path: string) =>
      (document.paths[path]!.get as { responses: Record<string, Json> }).responses;
    expect(Object.keys(get('/pacticipants/{pacticipant}'))).toEqual(
      expect.arrayContaining(['408', '414', '431']),
    );
    expect(Object.keys(get('/pacticipants'))).toEqual(expect.arrayContaining(['408', '431']));
    expect(Object.keys(get('/pacticipants'))).not.toContain('414');
  });

  it('serves the index, the heartbeat and itself, behind authentication', async () => {
    await call('GET /diagnostic/status/heartbeat', {}, { as: 'anonymous' });
    const index = await call('GET /');
    expect(index.status).toBe(200);
    const served = await call('GET /openapi.json', {}, { as: 'reader' });
    expect(served.status).toBe(200);
    expect(served.json).toEqual(openApiDocument(app, base));
    expect((await call('GET /openapi.json', {}, { as: 'anonymous' })).status).toBe(401);
    const problem = await call('GET /', {}, { as: 'anonymous', accept: 'application/problem+json' });
    expect(problem.status).toBe(401);
    expect(problem.media).toBe('application/problem+json');
  });

  it('creates, reads, updates and deletes pacticipants', async () => {
    expect(
      (await call('PUT /pacticipants/{pacticipant}', web, { body: { repositoryUrl: 'https://git/web' } }))
        .status,
    ).toBe(201);
    expect(
      (await call('PUT /pacticipants/{pacticipant}', web, { body: { mainBranch: 'main' } })).status,
    ).toBe(200);
    const patched = await call('PATCH /pacticipants/{pacticipant}', web, {
      body: { displayName: 'Web application' },
    });
    expect(patched.json).toMatchObject({ displayName: 'Web application', mainBranch: 'main' });
    expect((await call('POST /pacticipants', {}, { body: { name: 'Api', mainBranch: 'main' } })).status).toBe(
      201,
    );
    expect((await call('POST /pacticipants', {}, { body: { displayName: 'nameless' } })).status).toBe(400);
    expect((await call('POST /pacticipants', {}, { body: { name: 'X' }, as: 'reader' })).status).toBe(403);
    expect((await call('GET /pacticipants')).json._embedded.pacticipants).toHaveLength(2);
    expect((await call('GET /pacticipants/{pacticipant}', web)).status).toBe(200);
    expect((await call('GET /pacticipants/{pacticipant}', { pacticipant: 'Nobody' })).status).toBe(404);
    const problem = await call(
      'GET /pacticipants/{pacticipant}',
      { pacticipant: 'Nobody' },
      { accept: 'application/problem+json' },
    );
    expect(problem.json).toMatchObject({ status: 404, title: 'Not found' });
    expect((await call('PATCH /pacticipants/{pacticipant}', { pacticipant: 'Temp Service' })).status).toBe(
      201,
    );
    expect((await call('DELETE /pacticipants/{pacticipant}', { pacticipant: 'Temp Service' })).status).toBe(
      204,
    );
    expect((await call('DELETE /pacticipants/{pacticipant}', { pacticipant: 'Temp Service' })).status).toBe(
      404,
    );
  });

  it('publishes pacts, one at a time and as contracts', async () => {
    const first = await call(
      `PUT ${PACT}/version/{version}`,
      { ...webApi, version: '1.0.0' },
      { body: pact(['a']) },
    );
    expect(first.status).toBe(201);
    state.sha1 = first.json._links['pb:pact-version'].name;
    expect(
      (await call(`PUT ${PACT}/version/{version}`, { ...webApi, version: '1.0.0' }, { body: pact(['a']) }))
        .status,
    ).toBe(200);
    const changed = await call(
      `PUT ${PACT}/version/{version}`,
      { ...webApi, version: '1.0.0' },
      { body: pact(['z']) },
    );
    expect(changed.status).toBe(409);
    expect(changed.json).toHaveProperty('error');
    const conflict = await call(
      `PUT ${PACT}/version/{version}`,
      { ...webApi, version: '1.0.0' },
      { body: pact(['z']), accept: 'application/problem+json' },
    );
    expect(conflict.json).toMatchObject({ status: 409 });
    const params = { ...webApi, version: '1.0.1' };
    expect(
      (
        await call(`PUT ${PACT}/version/{version}`, params, {
          raw: { body: 'a pact', contentType: 'text/plain' },
        })
      ).status,
    ).toBe(415);
    expect(
      (
        await call(`PUT ${PACT}/version/{version}`, params, {
          raw: { body: '{"consumer":', contentType: 'application/json' },
        })
      ).status,
    ).toBe(400);
    const mismatch = await call(`PUT ${PACT}/version/{version}`, params, { body: pact(['a'], 'Mobile') });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.errors).toEqual({ consumer: ['does not match the URL'] });
    const huge = pact(
      Array.from({ length: 4000 }, (_, i) => `interaction number ${i} with a long description`),
    );
    expect((await call(`PUT ${PACT}/version/{version}`, params, { body: huge })).status).toBe(413);

    const contract = (descriptions: string[]) => ({
      consumerName: 'Web',
      providerName: 'Api',
      specification: 'pact',
      contentType: 'application/json',
      content: Buffer.from(JSON.stringify(pact(descriptions))).toString('base64'),
    });
    const published = await call(
      'POST /contracts/publish',
      {},
      {
        body: {
          pacticipantName: 'Web',
          pacticipantVersionNumber: '2.0.0',
          branch: 'main',
          tags: ['dev'],
          buildUrl: 'https://ci/builds/2',
          contracts: [contract(['a', 'b'])],
        },
      },
    );
    expect(published.status).toBe(200);
    expect((await call('POST /contracts/publish', {}, { body: { contracts: [] } })).status).toBe(400);
    const latest = await call(`GET ${PACT}/latest`, webApi);
    state.sha2 = latest.json._links['pb:pact-version'].name;
    expect(latest.headers.get('x-pact-consumer-version')).toBe('2.0.0');
    // a third, never verified
    expect(
      (
        await call(
          `PUT ${PACT}/version/{version}`,
          { ...webApi, version: '3.0.0' },
          { body: pact(['a', 'b', 'c']) },
        )
      ).status,
    ).toBe(201);
    state.sha3 = (await call(`GET ${PACT}/version/{version}`, { ...webApi, version: '3.0.0' })).json._links[
      'pb:pact-version'
    ].name;
  });

  it('serves pacts by version, tag, branch, content and provider', async () => {
    expect((await call(`GET ${PACT}/version/{version}`, { ...webApi, version: '1.0.0' })).status).toBe(200);
    expect((await call(`GET ${PACT}/version/{version}`, { ...webApi, version: '9.9.9' })).status).toBe(404);
    expect((await call(`GET ${PACT}/latest`, { provider: 'Api', consumer: 'Nobody' })).status).toBe(404);
    expect((await call(`GET ${PACT}/latest/{tag}`, { ...webApi, tag: 'dev' })).status).toBe(200);
    expect((await call(`GET ${PACT}/latest/{tag}`, { ...webApi, tag: 'nope' })).status).toBe(404);
    expect((await call(`GET ${PACT}/branch/{branch}/latest`, { ...webApi, branch: 'main' })).status).toBe(
      200,
    );
    expect((await call(`GET ${PACT}/branch/{branch}/latest`, { ...webApi, branch: 'nope' })).status).toBe(
      404,
    );
    expect((await call(`GET ${PACT}/pact-version/{sha}`, { ...webApi, sha: state.sha1! })).status).toBe(200);
    const textDiff = `GET ${PACT}/version/{version}/diff`;
    expect((await call(`${textDiff}/previous-distinct`, { ...webApi, version: '1.0.0' })).status).toBe(200);
    expect((await call(`${textDiff}/previous-distinct`, { ...webApi, version: '9.9.9' })).status).toBe(404);
    expect(
      (await call(`${textDiff}/version/{other}`, { ...webApi, version: '1.0.0', other: '1.0.0' })).status,
    ).toBe(200);
    expect((await call(`GET ${PACT}/pact-version/{sha}`, { ...webApi, sha: '0'.repeat(40) })).status).toBe(
      404,
    );
    expect(
      (await call('GET /pacts/provider/{provider}/latest', { provider: 'Api' })).json._links['pb:pacts'],
    ).toHaveLength(1);
    expect((await call('GET /pacts/provider/{provider}/latest', { provider: 'Nobody' })).status).toBe(404);
    expect(
      (await call('GET /pacts/provider/{provider}/latest/{tag}', { provider: 'Api', tag: 'dev' })).status,
    ).toBe(200);
    expect((await call(`GET ${PACT}/versions`, webApi)).json._embedded.pacts).toHaveLength(3);
    expect((await call(`GET ${PACT}/versions`, { provider: 'Api', consumer: 'Nobody' })).status).toBe(404);
    const diff = await call(`GET ${PACT}/pact-version/{sha}/diff/pact-version/{other}`, {
      ...webApi,
      sha: state.sha2!,
      other: state.sha1!,
    });
    expect(diff.json.added).toHaveLength(1);
    expect(
      (
        await call(`GET ${PACT}/pact-version/{sha}/diff/pact-version/{other}`, {
          ...webApi,
          sha: state.sha2!,
          other: '0'.repeat(40),
        })
      ).status,
    ).toBe(404);
    expect((await call('GET /pacts/latest')).json.pacts).toHaveLength(1);
    expect((await call('GET /integrations')).json._embedded.integrations).toHaveLength(1);
    const dot = await call('GET /integrations', {}, { accept: 'text/vnd.graphviz' });
    expect(dot.media).toBe('text/vnd.graphviz');
    expect(dot.text).toContain('->');
    const dashboard = await call('GET /dashboard');
    expect(dashboard.json.items.length).toBeGreaterThan(0);
    const integration = 'GET /dashboard/provider/{provider}/consumer/{consumer}';
    expect((await call(integration, webApi)).json.items).toHaveLength(1);
    expect((await call(integration, { ...webApi, consumer: 'Nobody' })).status).toBe(404);
    const relationships = await call('GET /relationships');
    expect(relationships.media).toBe('text/csv');
    expect(relationships.text.split('\n').length).toBeGreaterThan(2);
    const group = await call('GET /groups/{pacticipant}', { pacticipant: 'Web' });
    expect(group.text).toContain(',Web,');
    expect((await call('GET /groups/{pacticipant}', { pacticipant: 'Nobody' })).status).toBe(404);
  });

  it("serves a provider's and an integration's pact collections, and the metrics", async () => {
    const api = { provider: 'Api' };
    const branch = { branch: 'main' };
    for (const [path, params] of [
      ['/pacts/provider/{provider}', api],
      ['/pacts/provider/{provider}/tag/{tag}', { ...api, tag: 'dev' }],
      ['/pacts/provider/{provider}/branch', api],
      ['/pacts/provider/{provider}/branch/latest', api],
      ['/pacts/provider/{provider}/branch/{branch}', { ...api, ...branch }],
      ['/pacts/provider/{provider}/branch/{branch}/latest', { ...api, ...branch }],
      [`${PACT}/tag/{tag}`, { ...webApi, tag: 'dev' }],
      [`${PACT}/branch/versions`, webApi],
      [`${PACT}/branch`, webApi],
      [`${PACT}/branch/latest/versions`, webApi],
      [`${PACT}/branch/{branch}`, { ...webApi, ...branch }],
      [`${PACT}/branch/{branch}/latest/versions`, { ...webApi, ...branch }],
      ['/pacts/provider/{provider}/provider-states', api],
      ['/pacts/provider/{provider}/provider-states/branch/{branch}', { ...api, ...branch }],
    ] as const) {
      expect((await call(`GET ${path}`, params)).status, path).toBe(200);
      expect((await call(`GET ${path}`, { ...params, provider: 'Nobody' })).status, path).toBe(404);
    }
    for (const path of [`${PACT}/latest-untagged`, `${PACT}/branch/latest`]) {
      // Web has untagged versions, and whether its main branch has a pact depends on the suite so far
      expect([200, 404], path).toContain((await call(`GET ${path}`, webApi)).status);
      expect((await call(`GET ${path}`, { ...webApi, consumer: 'Nobody' })).status, path).toBe(404);
    }
    const branchVersion = '/pacticipants/{pacticipant}/branches/{branch}/versions/{version}';
    expect((await call(`GET ${branchVersion}`, { ...web, ...branch, version: 'nope' })).status).toBe(404);
    const states = '/pacts/provider/{provider}/provider-states/environment/{environment}';
    expect((await call(`GET ${states}`, { ...api, environment: 'nowhere' })).status).toBe(404);
    expect((await call('GET /metrics')).json.pacticipants.count).toBeGreaterThan(0);
    expect((await call('GET /diagnostic/status/dependencies')).json.ok).toBe(true);
    expect((await call('GET /metrics', {}, { accept: 'text/plain' })).text).toContain(
      'covenant_pacticipants ',
    );
  });

  it('manages versions, tags and branches', async () => {
    const v4 = { ...web, version: '4.0.0' };
    expect(
      (await call(`PUT ${VERSION}`, v4, { body: { buildUrl: 'https://ci/4', tags: ['dev'] } })).status,
    ).toBe(201);
    const patched = await call(`PATCH ${VERSION}`, v4, { body: { tags: [{ name: 'qa' }] } });
    expect(patched.status).toBe(200);
    expect(patched.json._embedded.tags.map((t: { name: string }) => t.name).sort()).toEqual(['dev', 'qa']);
    expect(
      (await call('GET /pacticipants/{pacticipant}/versions', web)).json._embedded.versions,
    ).toHaveLength(4);
    expect((await call('GET /pacticipants/{pacticipant}/versions', { pacticipant: 'Nobody' })).status).toBe(
      404,
    );
    expect(
      (await call(`GET ${VERSION}`, { ...web, version: '2.0.0' })).json._embedded.branchVersions,
    ).toHaveLength(1);
    expect((await call(`GET ${VERSION}`, { ...web, version: '9.9.9' })).status).toBe(404);
    expect((await call('GET /pacticipants/{pacticipant}/latest-version', web)).json.number).toBe('4.0.0');
    expect(
      (await call('GET /pacticipants/{pacticipant}/latest-version', { pacticipant: 'Nobody' })).status,
    ).toBe(404);
    expect(
      (await call('GET /pacticipants/{pacticipant}/latest-version/{tag}', { ...web, tag: 'qa' })).status,
    ).toBe(200);
    expect(
      (await call('GET /pacticipants/{pacticipant}/latest-version/{tag}', { ...web, tag: 'none' })).status,
    ).toBe(404);

    const prod = { ...web, version: '1.0.0', tag: 'prod' };
    expect((await call(`PUT ${VERSION}/tags/{tag}`, prod)).status).toBe(201);
    expect((await call(`PUT ${VERSION}/tags/{tag}`, prod)).status).toBe(200);
    expect((await call(`GET ${VERSION}/tags/{tag}`, prod)).status).toBe(200);
    expect((await call(`GET ${VERSION}/tags/{tag}`, { ...prod, tag: 'none' })).status).toBe(404);
    expect((await call(`DELETE ${VERSION}/tags/{tag}`, { ...v4, tag: 'qa' })).status).toBe(204);
    expect((await call(`DELETE ${VERSION}/tags/{tag}`, { ...web, version: '9.9.9', tag: 'qa' })).status).toBe(
      404,
    );

    const feature = { ...web, branch: 'feature/x', version: '4.0.0' };
    expect(
      (await call('PUT /pacticipants/{pacticipant}/branches/{branch}/versions/{version}', feature)).status,
    ).toBe(200);
    expect((await call('GET /pacticipants/{pacticipant}/branches/{branch}', feature)).status).toBe(200);
    expect(
      (await call('GET /pacticipants/{pacticipant}/branches', web)).json._embedded.branches,
    ).toHaveLength(2);
    expect((await call('GET /pacticipants/{pacticipant}/branches', { pacticipant: 'Nobody' })).status).toBe(
      404,
    );
    expect((await call('DELETE /pacticipants/{pacticipant}/branches/{branch}', feature)).status).toBe(204);
    expect((await call('DELETE /pacticipants/{pacticipant}/branches/{branch}', feature)).status).toBe(404);
    expect((await call('GET /pacticipants/{pacticipant}/branches/{branch}', feature)).status).toBe(404);
  });

  it('selects pacts for verification and records results', async () => {
    expect((await call('GET /pacts/provider/{provider}/for-verification', { provider: 'Api' })).status).toBe(
      200,
    );
    expect(
      (await call('GET /pacts/provider/{provider}/for-verification', { provider: 'Nobody' })).status,
    ).toBe(404);
    const selected = await call(
      'POST /pacts/provider/{provider}/for-verification',
      { provider: 'Api' },
      {
        body: {
          consumerVersionSelectors: [{ mainBranch: true }, { tag: 'prod', latest: true }],
          providerVersionBranch: 'main',
          includePendingStatus: true,
        },
      },
    );
    expect(selected.json._embedded.pacts).toHaveLength(2);
    expect(
      (
        await call(
          'POST /pacts/provider/{provider}/for-verification',
          { provider: 'Api' },
          { body: { consumerVersionSelectors: [{ tag: 'a', branch: 'b' }] } },
        )
      ).status,
    ).toBe(400);
    expect(
      (await call('POST /pacts/provider/{provider}/for-verification', { provider: 'Nobody' }, { body: {} }))
        .status,
    ).toBe(404);

    // verify the main-branch pact through the link for-verification gave
    const href = (selected.json._embedded.pacts as Array<{ _links: { self: { href: string } } }>)
      .map((p) => p._links.self.href)
      .find((h) => h.includes(state.sha2!))!;
    const [, metadata] = /\/metadata\/([^/]+)$/.exec(href)!;
    const withMetadata = { ...webApi, sha: state.sha2!, metadata: metadata! };
    expect((await call(`GET ${PACT}/pact-version/{sha}/metadata/{metadata}`, withMetadata)).status).toBe(200);
    const viaMetadata = await call(
      `POST ${PACT}/pact-version/{sha}/metadata/{metadata}/verification-results`,
      withMetadata,
      {
        body: { success: false, providerApplicationVersion: '10.0.0', testResults: [{ interactionId: 'x' }] },
      },
    );
    expect(viaMetadata.status).toBe(201);

    const results = `POST ${PACT}/pact-version/{sha}/verification-results`;
    const verified = await call(
      results,
      { ...webApi, sha: state.sha1! },
      {
        body: {
          success: true,
          providerApplicationVersion: '10.0.0',
          buildUrl: 'https://ci/api/10',
          verifiedBy: { implementation: 'Covenant', version: '0.1.0' },
        },
      },
    );
    expect(verified.status).toBe(201);
    expect(verified.headers.get('location')).toBe(verified.json._links.self.href);
    state.verification = /\/verification-results\/(\d+)$/.exec(verified.json._links.self.href)![1]!;
    expect((await call(results, { ...webApi, sha: state.sha1! }, { body: { success: 'yes' } })).status).toBe(
      400,
    );
    expect(
      (
        await call(
          results,
          { ...webApi, sha: '0'.repeat(40) },
          { body: { success: true, providerApplicationVersion: '1' } },
        )
      ).status,
    ).toBe(404);

    const latest = `GET ${PACT}/pact-version/{sha}/verification-results/latest`;
    expect((await call(latest, { ...webApi, sha: state.sha1! })).json.success).toBe(true);
    expect((await call(latest, { ...webApi, sha: state.sha3! })).status).toBe(404);
    const one = `GET ${PACT}/pact-version/{sha}/verification-results/{id}`;
    expect((await call(one, { ...webApi, sha: state.sha1!, id: state.verification })).status).toBe(200);
    expect((await call(one, { ...webApi, sha: state.sha1!, id: '99999' })).status).toBe(404);
    const byVersion = `GET ${VERSION}/latest-verification-results`;
    expect((await call(byVersion, { ...web, version: '2.0.0' })).json.success).toBe(false);
    expect((await call(byVersion, { ...web, version: '3.0.0' })).status).toBe(404);
  });

  it('draws badges', async () => {
    const badge = await call(`GET ${PACT}/latest/badge`, webApi, { query: 'label=consumer' });
    expect(badge.media).toBe('image/svg+xml');
    expect(badge.text).toContain('unknown');
    const tagged = await call(`GET ${PACT}/latest/{tag}/badge`, { ...webApi, tag: 'prod' });
    expect(tagged.text).toContain('verified');
    expect((await call(`GET ${PACT}/latest/badge`, { provider: 'Api', consumer: 'Nobody' })).status).toBe(
      200,
    );
    const matrix = await call(
      'GET /matrix/provider/{provider}/latest/{providerTag}/consumer/{consumer}/latest/{consumerTag}/badge',
      { ...webApi, providerTag: 'prod', consumerTag: 'prod' },
    );
    expect(matrix.media).toBe('image/svg+xml');
    expect(matrix.text).toContain('web/api pact');
    const toTag = await call(
      'GET /pacticipants/{pacticipant}/latest-version/{tag}/can-i-deploy/to/{to}/badge',
      {
        ...web,
        tag: 'prod',
        to: 'prod',
      },
    );
    expect(toTag.text).toContain('can-i-deploy');
    const toEnvironment = await call(
      'GET /pacticipants/{pacticipant}/branches/{branch}/latest-version/can-i-deploy/to-environment/{environment}/badge',
      { ...web, branch: 'main', environment: 'nowhere' },
    );
    expect(toEnvironment.text).toContain('can-i-deploy: unknown');
  });

  it('manages environments, deployments and releases', async () => {
    const created = await call(
      'POST /environments',
      {},
      {
        body: {
          name: 'production',
          displayName: 'Production',
          production: true,
          contacts: [{ name: 'Ops', details: { email: 'ops@example.com' } }],
        },
      },
    );
    expect(created.status).toBe(201);
    const production = { uuid: created.json.uuid as string };
    expect(
      (await call('POST /environments', {}, { body: { name: 'production', production: true } })).status,
    ).toBe(400);
    expect((await call('POST /environments', {}, { body: {} })).status).toBe(400);
    const test = await call('POST /environments', {}, { body: { name: 'test', production: false } });
    const testEnv = { uuid: test.json.uuid as string };
    expect((await call('GET /environments')).json._embedded.environments).toHaveLength(2);
    expect(
      (await call('GET /environments', {}, { query: 'name=test' })).json._embedded.environments,
    ).toHaveLength(1);
    expect((await call('GET /environments', {}, { query: 'name=a&name=b' })).status).toBe(400);
    expect((await call('GET /environments/{uuid}', production)).status).toBe(200);
    expect((await call('GET /environments/{uuid}', { uuid: 'nope' })).status).toBe(404);
    expect(
      (
        await call('PUT /environments/{uuid}', testEnv, {
          body: { name: 'test', displayName: 'Test', production: false },
        })
      ).json.displayName,
    ).toBe('Test');
    expect(
      (await call('PUT /environments/{uuid}', { uuid: 'nope' }, { body: { name: 'x', production: false } }))
        .status,
    ).toBe(404);

    const deploy = `POST ${VERSION}/deployed-versions/environment/{uuid}`;
    expect(
      (await call(deploy, { pacticipant: 'Api', version: '10.0.0', ...production }, { body: {} })).status,
    ).toBe(201);
    const webToProd = { ...web, version: '1.0.0', ...production };
    expect((await call(deploy, webToProd, { body: { applicationInstance: 'blue' } })).status).toBe(201);
    expect((await call(deploy, webToProd, { body: { applicationInstance: 5 } })).status).toBe(400);
    expect((await call(deploy, { ...webToProd, version: '9.9.9' }, { body: {} })).status).toBe(404);
    const toTest = await call(deploy, { ...web, version: '2.0.0', ...testEnv });
    expect(toTest.status).toBe(201);
    expect(
      (await call(`GET ${VERSION}/deployed-versions/environment/{uuid}`, webToProd)).json._embedded
        .deployedVersions,
    ).toHaveLength(1);
    expect(
      (await call(`GET ${VERSION}/deployed-versions/environment/{uuid}`, { ...webToProd, uuid: 'nope' }))
        .status,
    ).toBe(404);
    const current = 'GET /environments/{uuid}/deployed-versions/currently-deployed';
    expect((await call(current, production)).json._embedded.deployedVersions).toHaveLength(2);
    expect(
      (await call(current, production, { query: 'pacticipant=Web&applicationInstance=blue' })).status,
    ).toBe(200);
    expect((await call(current, production, { query: 'pacticipant=a&pacticipant=b' })).status).toBe(400);
    expect((await call(current, { uuid: 'nope' })).status).toBe(404);
    const deployed = { uuid: toTest.json.uuid as string };
    expect((await call('GET /deployed-versions/{uuid}', deployed)).status).toBe(200);
    expect((await call('GET /deployed-versions/{uuid}', { uuid: 'nope' })).status).toBe(404);
    const undeployed = await call('PATCH /deployed-versions/{uuid}', deployed, {
      body: { currentlyDeployed: false },
    });
    expect(undeployed.json).toMatchObject({ currentlyDeployed: false, undeployedAt: expect.any(String) });
    expect(
      (await call('PATCH /deployed-versions/{uuid}', deployed, { body: { currentlyDeployed: true } })).status,
    ).toBe(400);
    expect((await call('PATCH /deployed-versions/{uuid}', { uuid: 'nope' }, { body: {} })).status).toBe(404);

    const release = `POST ${VERSION}/released-versions/environment/{uuid}`;
    const released = await call(release, webToProd, { body: {} });
    expect(released.status).toBe(201);
    expect((await call(release, webToProd, { body: [] })).status).toBe(400);
    expect((await call(release, { ...webToProd, uuid: 'nope' }, { body: {} })).status).toBe(404);
    expect(
      (await call(`GET ${VERSION}/released-versions/environment/{uuid}`, webToProd)).json._embedded
        .releasedVersions,
    ).toHaveLength(1);
    expect(
      (await call(`GET ${VERSION}/released-versions/environment/{uuid}`, { ...webToProd, version: '9' }))
        .status,
    ).toBe(404);
    const supported = 'GET /environments/{uuid}/released-versions/currently-supported';
    expect(
      (await call(supported, production, { query: 'pacticipant=Web' })).json._embedded.releasedVersions,
    ).toHaveLength(1);
    expect((await call(supported, production, { query: 'pacticipant=a&pacticipant=b' })).status).toBe(400);
    expect((await call(supported, { uuid: 'nope' })).status).toBe(404);
    const release1 = { uuid: released.json.uuid as string };
    expect((await call('GET /released-versions/{uuid}', release1)).status).toBe(200);
    expect((await call('GET /released-versions/{uuid}', { uuid: 'nope' })).status).toBe(404);
    expect(
      (await call('PATCH /released-versions/{uuid}', release1, { body: { currentlySupported: 'no' } }))
        .status,
    ).toBe(400);
    const ended = await call('PATCH /released-versions/{uuid}', release1, {
      body: { currentlySupported: false },
    });
    expect(ended.json).toMatchObject({ currentlySupported: false, supportEndedAt: expect.any(String) });
    expect((await call('PATCH /released-versions/{uuid}', { uuid: 'nope' }, { body: {} })).status).toBe(404);

    const scratch = await call('POST /environments', {}, { body: { name: 'scratch', production: false } });
    expect((await call('DELETE /environments/{uuid}', { uuid: scratch.json.uuid })).status).toBe(204);
    expect((await call('DELETE /environments/{uuid}', { uuid: scratch.json.uuid })).status).toBe(404);
  });

  it('answers the matrix and can-i-deploy', async () => {
    const matrix = await call(
      'GET /matrix',
      {},
      {
        query:
          'q[][pacticipant]=Web&q[][version]=1.0.0&q[][pacticipant]=Api&q[][version]=10.0.0&latestby=cvpv',
      },
    );
    expect(matrix.json.matrix).toHaveLength(1);
    expect(matrix.json.matrix[0].verificationResult.success).toBe(true);
    const unverified = await call('GET /matrix', {}, { query: 'q[][pacticipant]=Web&q[][version]=3.0.0' });
    expect(unverified.json.matrix[0]).toMatchObject({
      provider: { version: null },
      verificationResult: null,
    });
    const unknown = await call('GET /matrix', {}, { query: 'q[][pacticipant]=Nobody' });
    expect(unknown.status).toBe(400);
    expect(Array.isArray(unknown.json.errors)).toBe(true);
    expect(
      (
        await call(
          'GET /matrix',
          {},
          { query: 'q[][pacticipant]=Web&latestby=x', accept: 'application/problem+json' },
        )
      ).status,
    ).toBe(400);
    const toProduction = await call(
      'GET /can-i-deploy',
      {},
      {
        query: 'pacticipant=Web&version=1.0.0&environment=production',
      },
    );
    expect(toProduction.json.summary.deployable).toBe(true);
    const toProd = await call('GET /can-i-deploy', {}, { query: 'pacticipant=Web&version=2.0.0&to=prod' });
    expect(toProd.json.summary.deployable).not.toBe(true);
    expect((await call('GET /can-i-deploy', {}, { query: 'pacticipant=Web' })).status).toBe(400);
    const page = await call('GET /matrix/provider/{provider}/consumer/{consumer}', {
      provider: 'Api',
      consumer: 'Web',
    });
    expect(page.status).toBe(200);
    const network = await call('GET /network');
    expect(network.media).toBe('text/html');
    expect(network.text).toContain('<svg');
  });

  it('stores webhooks, globally and scoped', async () => {
    const global = await call('POST /webhooks', {}, { body: webhookBody({ consumer: { name: 'Web' } }) });
    expect(global.status).toBe(201);
    expect(global.json.request).not.toHaveProperty('password');
    expect((await call('GET /webhooks')).json._embedded.webhooks).toHaveLength(1);
    expect((await call('POST /webhooks', {}, { body: {} })).status).toBe(400);

    const scopes: Array<[string, Record<string, string>]> = [
      ['/webhooks/provider/{provider}/consumer/{consumer}', webApi],
      ['/webhooks/provider/{provider}', { provider: 'Api' }],
      ['/webhooks/consumer/{consumer}', { consumer: 'Web' }],
      [`${PACT}/webhooks`, webApi],
    ];
    for (const [path, params] of scopes) {
      expect((await call(`POST ${path}`, params, { body: webhookBody() })).status).toBe(201);
      expect((await call(`GET ${path}`, params)).json._embedded.webhooks.length).toBeGreaterThan(0);
      const missing = Object.fromEntries(Object.keys(params).map((key) => [key, 'Nobody']));
      expect((await call(`GET ${path}`, missing)).status).toBe(404);
      expect((await call(`POST ${path}`, missing, { body: webhookBody() })).status).toBe(404);
    }

    const webhook = { uuid: global.json.uuid as string };
    expect((await call('GET /webhooks/{uuid}', webhook)).status).toBe(200);
    expect((await call('GET /webhooks/{uuid}', { uuid: 'nope' })).status).toBe(404);
    const chosen = { uuid: 'my-own-webhook-uuid-0001' };
    expect(
      (await call('PUT /webhooks/{uuid}', chosen, { body: webhookBody({ enabled: false }) })).status,
    ).toBe(201);
    expect(
      (await call('PUT /webhooks/{uuid}', chosen, { body: webhookBody({ provider: { label: 'backend' } }) }))
        .json.provider,
    ).toEqual({ label: 'backend' });
    expect((await call('PUT /webhooks/{uuid}', { uuid: 'short' }, { body: webhookBody() })).status).toBe(400);
    // a method outside the allowlist is refused before any lookup or connection: nothing leaves the test
    const refused = { request: { method: 'PUT', url: 'https://ci.example.com/hooks/pact' } };
    expect((await call('PUT /webhooks/{uuid}', chosen, { body: webhookBody(refused) })).status).toBe(200);
    const executed = await call('POST /webhooks/{uuid}/execute', chosen);
    expect(executed.status).toBe(200);
    expect(executed.json.logs).toContain('the method PUT is not in the webhook method allowlist');
    expect((await call('POST /webhooks/execute', {}, { body: webhookBody(refused) })).json.success).toBe(
      false,
    );
    // the outbox's resources: the webhooks above apply to none of the earlier publications
    const triggered = [
      [`GET ${PACT}/pact-version/{sha}/triggered-webhooks`, { ...webApi, sha: state.sha1! }],
      [`GET ${PACT}/version/{version}/triggered-webhooks`, { ...webApi, version: '3.0.0' }],
      [
        `GET ${PACT}/pact-version/{sha}/verification-results/{id}/triggered-webhooks`,
        { ...webApi, sha: state.sha1!, id: state.verification! },
      ],
    ] as const;
    for (const [operation, params] of triggered)
      expect((await call(operation, params)).json._embedded.triggeredWebhooks).toEqual([]);
    expect((await call(`GET ${PACT}/webhooks/status`, webApi)).json.summary).toEqual({
      successful: 0,
      failed: 0,
      notRun: 0,
      retrying: 0,
    });
    expect((await call('GET /triggered-webhooks/{uuid}/logs', { uuid: 'nope' })).status).toBe(404);
    expect((await call('POST /webhooks/{uuid}/execute', { uuid: 'nope' })).status).toBe(404);
    expect((await call('DELETE /webhooks/{uuid}', chosen)).status).toBe(204);
    expect((await call('DELETE /webhooks/{uuid}', chosen)).status).toBe(404);
  });

  it('labels pacticipants', async () => {
    const label = { ...web, label: 'frontend' };
    expect((await call('PUT /pacticipants/{pacticipant}/labels/{label}', label)).status).toBe(201);
    expect((await call('PUT /pacticipants/{pacticipant}/labels/{label}', label)).status).toBe(200);
    expect(
      (await call('PUT /pacticipants/{pacticipant}/labels/{label}', { ...web, label: ' ' })).status,
    ).toBe(400);
    expect((await call('GET /pacticipants/{pacticipant}/labels/{label}', label)).status).toBe(200);
    expect((await call('GET /pacticipants/{pacticipant}', web)).json._embedded.labels).toHaveLength(1);
    expect((await call('GET /pacticipants/label/{label}', label)).json._embedded.pacticipants).toHaveLength(
      1,
    );
    expect((await call('GET /labels')).json._embedded.labels).toHaveLength(1);
    expect((await call('DELETE /pacticipants/{pacticipant}/labels/{label}', label)).status).toBe(204);
    expect((await call('DELETE /pacticipants/{pacticipant}/labels/{label}', label)).status).toBe(404);
    expect((await call('GET /pacticipants/{pacticipant}/labels/{label}', label)).status).toBe(404);
  });

  it('publishes and serves provider contracts', async () => {
    const orders = { provider: 'Orders' };
    const spec = JSON.stringify({ openapi: '3.0.3', info: { title: 'Orders', version: '1' }, paths: {} });
    const contract = (content: string) => ({
      pacticipantVersionNumber: '1.0.0',
      branch: 'main',
      tags: ['dev'],
      contract: {
        content: Buffer.from(content).toString('base64'),
        contentType: 'application/json',
        specification: 'oas',
        selfVerificationResults: { success: true, verifier: 'dredd' },
      },
    });
    const path = 'POST /provider-contracts/provider/{provider}/publish';
    expect((await call(path, orders, { body: contract(spec) })).status).toBe(200);
    expect((await call(path, orders, { body: contract('{"not": "a spec"}') })).status).toBe(400);
    const read = 'GET /provider-contracts/provider/{provider}/version/{version}';
    expect((await call(read, { ...orders, version: '1.0.0' })).status).toBe(200);
    expect((await call(read, { ...orders, version: '9.9.9' })).status).toBe(404);
  });

  it('merges into and deletes pacts, versions, verification results, branches and integrations', async () => {
    const gone = { provider: 'Gone', consumer: 'Leaving' };
    const body = pact(['one'], 'Leaving', 'Gone');
    expect((await call(`PUT ${PACT}/version/{version}`, { ...gone, version: '1' }, { body })).status).toBe(
      201,
    );
    const merged = await call(
      `PATCH ${PACT}/version/{version}`,
      { ...gone, version: '1' },
      { body: pact(['two'], 'Leaving', 'Gone') },
    );
    expect(merged.json.interactions).toHaveLength(2);
    const leaving = { pacticipant: 'Leaving' };
    await call('PUT /pacticipants/{pacticipant}/branches/{branch}/versions/{version}', {
      ...leaving,
      branch: 'f',
      version: '1',
    });
    expect(
      (await call('GET /pacticipants/{pacticipant}/branches/{branch}/versions', { ...leaving, branch: 'f' }))
        .status,
    ).toBe(200);
    expect(
      (
        await call('GET /pacticipants/{pacticipant}/branches/{branch}/latest-version', {
          ...leaving,
          branch: 'f',
        })
      ).status,
    ).toBe(200);
    expect(
      (await call('GET /pacticipants/{pacticipant}/branches/{branch}/versions', { ...leaving, branch: 'x' }))
        .status,
    ).toBe(404);
    const sha = merged.json._links['pb:pact-version'].name;
    const result = `${PACT}/pact-version/{sha}/verification-results/{id}`;
    expect((await call(`DELETE ${result}`, { ...gone, sha, id: '999999' })).status).toBe(404);
    expect((await call(`DELETE ${PACT}/branch/{branch}`, { ...gone, branch: 'f' })).status).toBe(204);
    expect((await call(`DELETE ${PACT}/version/{version}`, { ...gone, version: '1' })).status).toBe(404);
    await call(`PUT ${PACT}/version/{version}`, { ...gone, version: '2' }, { body });
    expect((await call(`DELETE ${PACT}/version/{version}`, { ...gone, version: '2' })).status).toBe(204);
    await call(`PUT ${PACT}/version/{version}`, { ...gone, version: '3' }, { body });
    expect((await call(`DELETE ${PACT}/versions`, gone)).status).toBe(204);
    expect((await call('DELETE /integrations/provider/{provider}/consumer/{consumer}', gone)).status).toBe(
      404,
    );
    expect((await call(`DELETE ${VERSION}`, { ...leaving, version: '3' })).status).toBe(204);
    expect((await call(`DELETE ${VERSION}`, { ...leaving, version: '3' })).status).toBe(404);
    // deleting every integration is the writer's: a reader is refused (and the suite's pacts stay)
    expect((await call('DELETE /integrations', {}, { as: 'reader' })).status).toBe(403);
  });

  it('serves the look-ups, version lists, fixed can-i-deploy questions and can-i-merge badge', async () => {
    const pair = { provider: 'Looked', consumer: 'Looker' };
    const looker = { pacticipant: 'Looker' };
    await call('PUT /pacticipants/{pacticipant}', looker, { body: { mainBranch: 'main' } });
    const first = await call(
      `PUT ${PACT}/version/{version}`,
      { ...pair, version: '1' },
      { body: pact(['one'], 'Looker', 'Looked') },
    );
    await call(
      `PUT ${PACT}/version/{version}`,
      { ...pair, version: '2' },
      { body: pact(['two'], 'Looker', 'Looked') },
    );
    const sha = first.json._links['pb:pact-version'].name;
    await call(
      `POST ${PACT}/pact-version/{sha}/verification-results`,
      { ...pair, sha },
      { body: { success: true, providerApplicationVersion: '9' } },
    );
    await call(`PUT ${VERSION}/tags/{tag}`, { ...looker, version: '1', tag: 'prod' });
    await call('PUT /pacticipants/{pacticipant}/branches/{branch}/versions/{version}', {
      ...looker,
      branch: 'main',
      version: '1',
    });
    const previous = `GET ${PACT}/version/{version}/previous-distinct`;
    expect((await call(previous, { ...pair, version: '2' })).status).toBe(200);
    expect((await call(previous, { ...pair, version: '1' })).status).toBe(404);
    const ofVersion = `GET ${PACT}/version/{version}/verification-results/latest`;
    expect((await call(ofVersion, { ...pair, version: '1' })).json.success).toBe(true);
    expect((await call(ofVersion, { ...pair, version: '2' })).status).toBe(404);
    expect((await call(`GET ${PACT}/latest/verification-results/latest`, pair)).status).toBe(404);
    expect(
      (await call(`GET ${PACT}/latest/{tag}/verification-results/latest`, { ...pair, tag: 'prod' })).status,
    ).toBe(200);
    const summary = 'GET /verification-results/consumer/{consumer}/version/{version}/latest';
    expect((await call(summary, { consumer: 'Looker', version: '1' })).json.success).toBe(true);
    expect((await call(summary, { consumer: 'Looker', version: '7' })).status).toBe(404);
    const untagged = await call(`GET ${PACT}/latest-untagged/badge`, pair, { accept: 'image/svg+xml' });
    expect(untagged.media).toBe('image/svg+xml');

    const tagged = 'GET /pacticipants/{pacticipant}/tags/{tag}/versions';
    expect(
      (await call(tagged, { ...looker, tag: 'prod' }, { query: 'size=1' })).json.page.totalElements,
    ).toBe(1);
    expect((await call(tagged, { ...looker, tag: 'none' })).status).toBe(404);
    const environment = await call('POST /environments', {}, { body: { name: 'lookup', production: false } });
    const inEnvironment = 'GET /pacticipants/{pacticipant}/environments/{uuid}/versions';
    expect((await call(inEnvironment, { ...looker, uuid: environment.json.uuid })).status).toBe(200);
    expect((await call(inEnvironment, { ...looker, uuid: 'nope' })).status).toBe(404);

    const toTag = 'GET /pacticipants/{pacticipant}/latest-version/{tag}/can-i-deploy/to/{to}';
    expect((await call(toTag, { ...looker, tag: 'prod', to: 'prod' })).status).toBe(200);
    expect((await call(toTag, { ...looker, tag: 'none', to: 'prod' })).status).toBe(404);
    const toEnvironment =
      'GET /pacticipants/{pacticipant}/branches/{branch}/latest-version/can-i-deploy/to-environment/{environment}';
    expect((await call(toEnvironment, { ...looker, branch: 'main', environment: 'lookup' })).status).toBe(
      200,
    );
    expect((await call(toEnvironment, { ...looker, branch: 'main', environment: 'nowhere' })).status).toBe(
      400,
    );
    expect((await call(toEnvironment, { ...looker, branch: 'none', environment: 'lookup' })).status).toBe(
      404,
    );
    const merge = await call('GET /pacticipants/{pacticipant}/main-branch/can-i-merge/badge', looker, {
      accept: 'image/svg+xml',
    });
    expect(merge.status).toBe(200);

    const branchVersion = 'DELETE /pacticipants/{pacticipant}/branches/{branch}/versions/{version}';
    expect((await call(branchVersion, { ...looker, branch: 'main', version: '1' })).status).toBe(204);
    expect((await call(branchVersion, { ...looker, branch: 'main', version: '1' })).status).toBe(404);
    const branches = await call('DELETE /pacticipants/{pacticipant}/branches', looker, {
      query: 'exclude[]=x',
    });
    expect(branches.status).toBe(202);
    expect(
      (await call('DELETE /pacticipants/{pacticipant}/branches', { pacticipant: 'Nobody' })).status,
    ).toBe(404);
  });

  it("serves the UI's own pages: a pacticipant's interactions, branches and tags, the API browser and the relation docs", async () => {
    const page = (text: string) => expect(text).toContain('<!doctype html>');
    page((await call('GET /pacticipants/{pacticipant}/interactions', { pacticipant: 'Web' })).text);
    expect(
      (await call('GET /pacticipants/{pacticipant}/interactions', { pacticipant: 'Nobody' })).status,
    ).toBe(404);
    page((await call('GET /branches-and-tags', {}, { query: 'q=web&page=1' })).text);
    const browsed = await call('GET /hal-browser', {}, { query: 'url=%2F', as: 'reader' });
    expect(browsed.text).toContain('<tr data-rel="pb:pacticipant">');
    // a template's form, expanded and followed (fetch follows the 303)
    const followed = await call(
      'GET /hal-browser',
      {},
      {
        query: `template=${encodeURIComponent(`${base}/pacticipants/{pacticipant}`)}&var-pacticipant=Web`,
      },
    );
    expect(followed.text).toContain('<code>GET /pacticipants/Web</code>');
    expect(
      (await call('GET /hal-browser', {}, { query: 'url=https%3A%2F%2Felsewhere.example%2F' })).status,
    ).toBe(400);
    expect((await call('GET /doc', {}, { accept: 'text/plain' })).text).toContain('- pb:pacticipant: ');
    expect((await call('GET /doc/{rel}', { rel: 'pacticipant' }, { query: 'context=index' })).text).toContain(
      '# pb:pacticipant — ',
    );
    expect((await call('GET /doc/{rel}', { rel: 'nothing-of-the-sort' })).status).toBe(404);
  });

  it('exercised every documented operation', () => {
    const uncovered = documented.filter((operation) => !exercised.has(operation));
    if (uncovered.length > 0) console.warn(`operations not exercised:\n  ${uncovered.join('\n  ')}`);
    const documentedStatuses = documented.flatMap((operation) => {
      const [method, path] = operation.split(' ') as [string, string];
      return Object.keys(document.paths[path]![method.toLowerCase()]!.responses as Json).map(
        (status) => `${operation} ${status}`,
      );
    });
    const seen = [...exercised].flatMap(([operation, statuses]) =>
      [...statuses].map((s) => `${operation} ${s}`),
    );
    console.info(
      `${documented.length} operations documented, ${documented.length - uncovered.length} exercised; ` +
        `${seen.length} of ${documentedStatuses.length} documented responses seen`,
    );
    expect(uncovered.length, uncovered.join(', ')).toBeLessThanOrEqual(3);
  });
});
