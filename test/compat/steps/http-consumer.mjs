// Steps for the HTTP consumer features: interactions from the Background table served by
// Covenant's MockServer, requests made over real sockets, and the pact file it writes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MockServer, Pact, writeInteractions } from '@covenant/consumer';
import { jsonEquals } from '@covenant/core';
import { assertMismatch } from '../relaxed.mjs';
import {
  coreBody,
  fixturePath,
  headersRecord,
  json,
  ordinal,
  parseBodyNotation,
  parseHeaderList,
  queryFrom,
  rulesFrom,
  sendRequest,
  tableRows,
} from '../support.mjs';

const WRITE_VERSION = { V1: 'V2', V2: 'V2', V3: 'V3', V4: 'V4' };

/** The request and response parts of one Background row, before they become a core interaction. */
export function definitionFromRow(row) {
  const requestBody = parseBodyNotation(row.body ?? '', row['content type'] || undefined);
  const requestHeaders = [
    ...parseHeaderList(row.headers ?? ''),
    ...parseHeaderList(row['raw headers'] ?? ''),
  ];
  const responseBody = parseBodyNotation(row['response body'] ?? '', row['response content'] || undefined);
  return {
    no: Number(row.No),
    method: row.method || 'GET',
    path: row.path || '/',
    query: row.query ?? '',
    requestHeaders,
    requestBody,
    requestRules: row['matching rules'] ?? '',
    status: row.response ? Number(row.response) : 200,
    responseHeaders: parseHeaderList(row['response headers'] ?? ''),
    responseBody,
    responseRules: row['response matching rules'] ?? '',
  };
}

function withContentType(pairs, body) {
  if (!body?.contentType || pairs.some(([name]) => name.toLowerCase() === 'content-type')) return pairs;
  return [...pairs, ['Content-Type', body.contentType]];
}

/** A core Synchronous/HTTP interaction for a definition. */
export function interactionFor(def, overrides = {}) {
  const requestHeaders = withContentType(def.requestHeaders, def.requestBody);
  const responseHeaders = withContentType(def.responseHeaders, def.responseBody);
  return {
    type: 'Synchronous/HTTP',
    description: `Interaction ${def.no}`,
    providerStates: [],
    pending: false,
    request: {
      method: def.method,
      path: def.path,
      query: queryFrom(def.query),
      headers: requestHeaders.length ? headersRecord(requestHeaders) : undefined,
      body: coreBody(def.requestBody),
      matchingRules: rulesFrom(def.requestRules),
      generators: {},
    },
    response: {
      status: def.status,
      headers: responseHeaders.length ? headersRecord(responseHeaders) : undefined,
      body: coreBody(def.responseBody),
      matchingRules: rulesFrom(def.responseRules),
      generators: {},
    },
    ...overrides,
  };
}

/**
 * Applies a one-row "with the following changes" table to a definition: request columns
 * (method, path, query, headers, raw headers, body) and response columns (response,
 * response headers, response body). A plain-text body keeps the original content type.
 */
export function applyChanges(def, table) {
  const [changes] = tableRows(table);
  const out = { ...def };
  for (const [column, value] of Object.entries(changes)) {
    if (column === 'method') out.method = value;
    else if (column === 'path') out.path = value;
    else if (column === 'query') out.query = value;
    else if (column === 'headers' || column === 'raw headers') out.requestHeaders = parseHeaderList(value);
    else if (column === 'body') out.requestBody = changedBody(value, def.requestBody);
    else if (column === 'response') out.status = Number(value);
    else if (column === 'response headers') out.responseHeaders = parseHeaderList(value);
    else if (column === 'response body') out.responseBody = changedBody(value, def.responseBody);
    else throw new Error(`unsupported change column '${column}'`);
  }
  return out;
}

function changedBody(value, original) {
  const plain = !/^(file: |JSON: |XML: )/.test(value.trim());
  const body = parseBodyNotation(value);
  if (plain && body && original?.contentType) body.contentType = original.contentType;
  return body;
}

function definition(world, n) {
  const def = world.definitions.get(n);
  if (!def) throw new Error(`no interaction ${n} in the Background table`);
  return def;
}

function allMockMismatches(world) {
  const problems = world.problems ?? world.mock.problems();
  return problems.flatMap((p) =>
    p.kind === 'mismatch' ? p.mismatches : p.kind === 'unexpected' ? (p.closest?.mismatches ?? []) : [],
  );
}

function pactInteraction(world, which) {
  if (!world.pactFile || !existsSync(world.pactFile)) throw new Error('no pact file was written');
  const pact = JSON.parse(readFileSync(world.pactFile, 'utf8'));
  const interaction = pact.interactions?.[ordinal(which)];
  if (!interaction) throw new Error(`the pact file has no ${which} interaction`);
  return interaction;
}

function headerValue(headers, name) {
  const entry = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase());
  if (!entry) return undefined;
  return Array.isArray(entry[1]) ? entry[1].join(', ') : String(entry[1]);
}

/** A body as written in a pact file (V2/V3 plain, V4 `{content, contentType, encoded}`) as JSON. */
function pactBodyJson(body) {
  if (body && typeof body === 'object' && 'content' in body && 'contentType' in body) {
    return typeof body.content === 'string' && /json/.test(body.contentType)
      ? JSON.parse(body.content)
      : body.content;
  }
  return body;
}

function pactContentType(part) {
  if (part.body && typeof part.body === 'object' && typeof part.body.contentType === 'string')
    return part.body.contentType;
  return headerValue(part.headers, 'content-type');
}

function fixtureJson(name) {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  return JSON.parse(readFileSync(fixturePath(file), 'utf8'));
}

/** Registers the HTTP consumer steps. */
export function httpConsumerSteps(registry) {
  const define = registry.define.bind(registry);

  define('the following HTTP interactions have been defined:', (world, table) => {
    world.definitions = new Map();
    for (const row of tableRows(table)) world.definitions.set(Number(row.No), definitionFromRow(row));
  });

  const startMock = async (world, numbers, changes) => {
    world.served = numbers.map((n) => {
      const def = changes ? applyChanges(definition(world, n), changes) : definition(world, n);
      return interactionFor(def);
    });
    world.mock = await MockServer.start(world.served);
    world.cleanups.push(() => world.mock.stop());
  };
  define('the mock server is started with interaction {int}', (world, n) => startMock(world, [n]));
  define('the mock server is started with interactions {string}', (world, list) =>
    startMock(
      world,
      list.split(',').map((s) => Number(s.trim())),
    ),
  );
  define(
    'the mock server is started with interaction {int} but with the following changes:',
    (world, n, table) => startMock(world, [n], table),
  );

  const makeRequest = async (world, n, table) => {
    const def = table ? applyChanges(definition(world, n), table) : definition(world, n);
    const body = def.requestBody;
    world.response = await sendRequest(world.mock.info.url, {
      method: def.method,
      path: def.path,
      query: def.query,
      headerPairs: withContentType(def.requestHeaders, body),
      body: body?.bytes,
    });
  };
  define('request {int} is made to the mock server', (world, n) => makeRequest(world, n));
  define('request {int} is made to the mock server with the following changes:', (world, n, table) =>
    makeRequest(world, n, table),
  );

  const expectStatus = (world, status) => {
    if (world.response.status !== status) {
      throw new Error(
        `expected status ${status}, got ${world.response.status}: ${world.response.body.toString('utf8').slice(0, 500)}`,
      );
    }
  };
  define('a {int} success response is returned', expectStatus);
  define('a {int} error response is returned', expectStatus);

  define('the payload will contain the {string} JSON document', (world, name) => {
    const actual = JSON.parse(world.response.body.toString('utf8'));
    if (JSON.stringify(actual) !== JSON.stringify(fixtureJson(name)))
      throw new Error(`payload ${JSON.stringify(actual)} is not the ${name} document`);
  });
  define('the content type will be set as {string}', (world, type) => {
    const actual = world.response.headers['content-type'];
    if (actual !== type) throw new Error(`content type is '${actual}', expected '${type}'`);
  });

  define('the pact test is done', async (world) => {
    await world.mock.stop();
    world.problems = world.mock.problems();
    world.pactFile = join(world.dir, 'C-P.json');
    if (world.problems.length === 0) {
      await writeInteractions(
        { consumer: 'C', provider: 'P', dir: world.dir, spec: WRITE_VERSION[world.version] },
        world.served,
      );
    }
  });

  define('the mock server status will be OK', (world) => {
    if (world.problems.length > 0)
      throw new Error(`the mock server saw problems: ${JSON.stringify(world.problems.map((p) => p.kind))}`);
  });
  define('the mock server status will NOT be OK', (world) => {
    if (world.problems.length === 0) throw new Error('the mock server saw no problem');
  });
  define('the mock server status will be mismatches', (world) => {
    if (!world.problems.some((p) => p.kind === 'mismatch'))
      throw new Error(`no request mismatch among: ${world.problems.map((p) => p.kind).join(', ')}`);
  });
  define(
    'the mock server status will be an expected but not received error for interaction \\{{int}}',
    (world, n) => {
      const wanted = world.served.find((i) => i.description === `Interaction ${n}`);
      if (!world.problems.some((p) => p.kind === 'missing' && p.interaction === wanted))
        throw new Error(`interaction ${n} is not reported as expected but not received`);
    },
  );
  const unexpected = (world, method, path) => {
    if (
      !world.problems.some(
        (p) => p.kind === 'unexpected' && p.request.method === method && p.request.path === path,
      )
    )
      throw new Error(
        `no unexpected ${method} ${path} request reported: ${JSON.stringify(world.problems.map((p) => [p.kind, p.request?.method, p.request?.path]))}`,
      );
  };
  define(
    'the mock server status will be an unexpected {string} request received error for interaction \\{{int}}',
    (world, method, n) => unexpected(world, method, definition(world, n).path),
  );
  define(
    'the mock server status will be an unexpected {string} request received error for path {string}',
    unexpected,
  );

  const written = (world) => {
    if (!existsSync(world.pactFile)) throw new Error('no pact file was written');
  };
  const notWritten = (world) => {
    if (existsSync(world.pactFile)) throw new Error('a pact file was written');
  };
  define('the mock server will write out a Pact file for the interaction when done', written);
  define('the mock server will NOT write out a Pact file for the interaction when done', notWritten);
  define('the mock server will NOT write out a Pact file for the interactions when done', notWritten);

  const count = (world, n) => {
    const pact = JSON.parse(readFileSync(world.pactFile, 'utf8'));
    if (pact.interactions.length !== n)
      throw new Error(`the pact has ${pact.interactions.length} interactions, not ${n}`);
  };
  define('the pact file will contain \\{{int}} interaction', count);
  define('the pact file will contain {int} interaction', count);

  define('the \\{{numType}} interaction request will be for a {string}', (world, which, method) => {
    const actual = pactInteraction(world, which).request.method;
    if (actual.toUpperCase() !== method) throw new Error(`the request method is ${actual}`);
  });
  define('the \\{{numType}} interaction request query parameters will be {string}', (world, which, query) => {
    const actual = pactInteraction(world, which).request.query;
    const asMap = typeof actual === 'string' ? queryFrom(actual) : actual;
    if (!jsonEquals(asMap, queryFrom(query))) throw new Error(`the query is ${JSON.stringify(actual)}`);
  });
  define(
    'the \\{{numType}} interaction request will contain the header {string} with value {string}',
    (world, which, name, value) => {
      const actual = headerValue(pactInteraction(world, which).request.headers, name);
      if (actual !== value) throw new Error(`header ${name} is ${actual}`);
    },
  );
  define('the \\{{numType}} interaction request content type will be {string}', (world, which, type) => {
    const actual = pactContentType(pactInteraction(world, which).request);
    if (actual !== type) throw new Error(`the request content type is ${actual}`);
  });
  const containsDocument = (part) => (world, which, name) => {
    const actual = pactBodyJson(pactInteraction(world, which)[part].body);
    if (JSON.stringify(actual) !== JSON.stringify(fixtureJson(name)))
      throw new Error(`the ${part} body is ${JSON.stringify(actual)}`);
  };
  define(
    'the \\{{numType}} interaction request will contain the {string} document',
    containsDocument('request'),
  );
  define(
    'the \\{{numType}} interaction response will contain the {string} document',
    containsDocument('response'),
  );

  define(
    'the mismatches will contain a {string} mismatch with error {string}',
    (world, category, message) => {
      assertMismatch(allMockMismatches(world), { category, message });
    },
  );
  define(
    'the mismatches will contain a {string} mismatch with path {string} with error {string}',
    (world, category, path, message) => {
      assertMismatch(allMockMismatches(world), { category, path, message });
    },
  );

  // --- V3/V4: interactions defined through the Pact DSL ---
  const startDsl = (world, kind) => {
    world.dsl = { kind, states: [], comments: [], key: undefined, pending: false };
  };
  define('an integration is being defined for a consumer test', (world) => startDsl(world, 'http'));
  define('an HTTP interaction is being defined for a consumer test', (world) => startDsl(world, 'http'));
  define('a provider state {string} is specified', (world, name) => world.dsl.states.push({ name }));
  define('a provider state {string} is specified with the following data:', (world, name, table) =>
    world.dsl.states.push({ name, params: stateParams(table) }),
  );
  define('a key of {string} is specified for the HTTP interaction', (world, key) => {
    world.dsl.key = key;
  });
  define('the HTTP interaction is marked as pending', (world) => {
    world.dsl.pending = true;
  });
  define('a comment {string} is added to the HTTP interaction', (world, text) =>
    world.dsl.comments.push(text),
  );

  define('the interaction in the Pact file will contain {int} provider state', stateCount);
  define('the interaction in the Pact file will contain {int} provider states', stateCount);
  define('the interaction in the Pact file will contain provider state {string}', (world, name) => {
    if (!firstInteraction(world).providerStates.some((s) => s.name === name))
      throw new Error(`no provider state '${name}'`);
  });
  define(
    'the provider state {string} in the Pact file will contain the following parameters:',
    (world, name, table) => checkStateParams(firstInteraction(world), name, table),
  );
}

/** Runs the DSL interaction (HTTP) through the Pact class, making its request, so the file is written. */
export async function generateHttpPact(world) {
  const pact = new Pact({
    consumer: 'C',
    provider: 'P',
    dir: world.dir,
    spec: world.version === 'V4' ? 4 : 3,
    logLevel: 'off',
  });
  let start = pact.addInteraction();
  for (const state of world.dsl.states) start = start.given(state.name, state.params);
  let described = start.uponReceiving('an HTTP interaction');
  if (world.dsl.key) described = described.key(world.dsl.key);
  if (world.dsl.pending) described = described.pending();
  for (const text of world.dsl.comments) described = described.comment(text);
  await described
    .withRequest('GET', '/compat')
    .willRespondWith(200)
    .executeTest(async (server) => {
      const response = await fetch(`${server.url}/compat`);
      await response.arrayBuffer();
    });
  return pact.pactFile;
}

/** `| username | name | age |` / `| "Test" | "Test Guy" | 66 |` → `{ username: 'Test', … }`. */
export function stateParams(table) {
  const [row] = tableRows(table);
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, json(v)]));
}

export function firstInteraction(world) {
  const pact = JSON.parse(readFileSync(world.pactFile, 'utf8'));
  const interaction = pact.interactions?.[0] ?? pact.messages?.[0];
  if (!interaction) throw new Error('the pact file has no interaction');
  return interaction;
}

function stateCount(world, n) {
  const states = firstInteraction(world).providerStates ?? [];
  if (states.length !== n) throw new Error(`${states.length} provider states, not ${n}`);
}

export function checkStateParams(interaction, name, table) {
  const state = (interaction.providerStates ?? []).find((s) => s.name === name);
  if (!state) throw new Error(`no provider state '${name}'`);
  const expected = JSON.parse(table[1][0]);
  if (!jsonEquals(json(JSON.stringify(state.params)), json(JSON.stringify(expected))))
    throw new Error(`the parameters are ${JSON.stringify(state.params)}`);
}
