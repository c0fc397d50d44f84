// Steps for the HTTP provider features: a real node:http provider serving interactions'
// responses (and a provider-state endpoint), pact files written with core, Covenant's verifier
// run against them from files or from Covenant's own broker.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { startBroker } from '@covenant/broker';
import { jsonEquals, pactToText } from '@covenant/core';
import { consoleReporter, verifyProvider } from '@covenant/verifier';
import { VERIFICATION_ERRORS } from '../relaxed.mjs';
import { json, tableRows } from '../support.mjs';
import { applyChanges, interactionFor } from './http-consumer.mjs';

const WRITE_VERSION = { V1: 'V2', V2: 'V2', V3: 'V3', V4: 'V4' };
export const STATE_PATH = '/__compat/provider-states';

/**
 * Starts a real HTTP provider. `routes` answer `(method, path)` with `{status, headers, body}`;
 * POSTs to STATE_PATH are recorded as provider-state calls (and fail when `states.fail`).
 * Every call is logged in order on `provider.log`, so steps can tell setup from request from teardown.
 */
export async function startProvider(world, routes) {
  const provider = { log: [], requests: [], stateFails: false, routes };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://provider');
      const body = Buffer.concat(chunks);
      if (req.method === 'POST' && url.pathname === STATE_PATH) {
        const call = JSON.parse(body.toString('utf8') || '{}');
        provider.log.push({ kind: call.action === 'teardown' ? 'teardown' : 'setup', ...call });
        res.statusCode = provider.stateFails ? 500 : 200;
        res.setHeader('Content-Type', 'application/json');
        res.end(provider.stateFails ? '{"error":"state change failed on purpose"}' : '{}');
        return;
      }
      provider.log.push({ kind: 'request', method: req.method, path: url.pathname });
      provider.requests.push({ method: req.method, path: url.pathname, headers: req.headers, body });
      const answer = provider.routes(req.method ?? 'GET', url.pathname, body);
      if (!answer) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.statusCode = answer.status;
      for (const [name, value] of answer.headers) res.setHeader(name, value);
      res.end(answer.body ? Buffer.from(answer.body) : undefined);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  provider.url = `http://127.0.0.1:${server.address().port}`;
  world.cleanups.push(
    () =>
      new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      }),
  );
  world.provider = provider;
  return provider;
}

function httpRoutes(defs) {
  return (method, path) => {
    const def = defs.find((d) => d.method === method && d.path === path);
    if (!def) return undefined;
    const headers = [...def.responseHeaders];
    if (def.responseBody?.contentType && !headers.some(([n]) => n.toLowerCase() === 'content-type'))
      headers.push(['Content-Type', def.responseBody.contentType]);
    return { status: def.status, headers, body: def.responseBody?.bytes };
  };
}

/** The pact text of one `world.toVerify` entry: its consumer, provider `p` and its one interaction. */
function pactTextOf(world, entry) {
  const pact = {
    consumer: { name: entry.consumer },
    provider: { name: 'p' },
    interactions: [entry.interaction],
    metadata: {},
    specification: world.version,
  };
  return pactToText(pact, WRITE_VERSION[world.version]);
}

/** Writes one pact file per entry of `world.toVerify` and returns their paths. */
function writePacts(world) {
  return world.toVerify.map((entry) => {
    const file = join(world.dir, `${entry.consumer}-p.json`);
    writeFileSync(file, pactTextOf(world, entry));
    return file;
  });
}

async function publishToBroker(world) {
  if (!world.broker) {
    world.broker = await startBroker({ database: ':memory:', port: 0, logger: false });
    const broker = world.broker;
    world.cleanups.push(() => broker.close());
  }
  for (const entry of world.toVerify.filter((e) => e.fromBroker)) {
    const response = await fetch(
      `${world.broker.url}/pacts/provider/p/consumer/${entry.consumer}/version/1.0.0`,
      {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: pactTextOf(world, entry),
      },
    );
    if (!response.ok)
      throw new Error(`publishing to the broker failed: ${response.status} ${await response.text()}`);
  }
}

/** Runs Covenant's verifier over `world.toVerify` against `world.provider`. */
export async function runVerification(world) {
  const output = [];
  const entries = world.toVerify ?? [];
  const fromFiles = entries.filter((e) => !e.fromBroker);
  const fromBroker = entries.some((e) => e.fromBroker);
  const files = [...writePacts({ ...world, toVerify: fromFiles }), ...(world.messagePactFiles ?? [])];
  if (fromBroker) await publishToBroker(world);
  try {
    world.result = await verifyProvider({
      provider: 'p',
      providerBaseUrl: world.provider.url,
      ...(files.length ? { pactUrls: files } : {}),
      ...(fromBroker ? { broker: { baseUrl: world.broker.url, includePendingStatus: false } } : {}),
      ...(world.stateCallback ? { stateChangeUrl: `${world.provider.url}${STATE_PATH}` } : {}),
      ...(world.requestFilter ? { requestFilter: world.requestFilter } : {}),
      ...(world.publish ? { publish: { providerVersion: '1.0.0' } } : {}),
      ...(world.messageProviders ? { messageProviders: world.messageProviders } : {}),
      reporters: [consoleReporter({ write: (text) => output.push(text), color: false })],
      env: {},
    });
  } catch (error) {
    world.verifyError = error;
    world.result = undefined;
  }
  world.output = output.join('');
}

function interactionResults(world) {
  if (!world.result) throw new Error(`the verification threw: ${world.verifyError?.message ?? 'no result'}`);
  return world.result.pacts.flatMap((p) => p.interactions);
}

function describeResults(world) {
  if (!world.result) return `threw: ${world.verifyError?.message}`;
  return interactionResults(world)
    .map(
      (i) =>
        `${i.description}: ${i.status}${i.error ? ` error=${i.error}` : ''} ${i.mismatches.map((m) => `[${m.category}/${m.code}] ${m.message}`).join('; ')}`,
    )
    .join('\n');
}

/** Does an interaction result show the reference's error heading (see relaxed.mjs)? */
export function showsError(result, heading) {
  const wanted = VERIFICATION_ERRORS[heading];
  if (!wanted) throw new Error(`no meaning known for the error '${heading}'`);
  if (wanted.error) return wanted.error.test(result.error ?? '');
  const categories = wanted.categories ?? [wanted.category];
  return result.mismatches.some((m) => categories.includes(m.category));
}

function stateParamsFromTable(table) {
  const [row] = tableRows(table);
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, json(v)]));
}

/** Registers the HTTP provider steps (and the verification steps messages share). */
export function httpProviderSteps(registry) {
  const define = registry.define.bind(registry);
  const def = (world, n) => {
    const found = world.definitions.get(n);
    if (!found) throw new Error(`no interaction ${n} in the Background table`);
    return found;
  };

  define('a provider is started that returns the response from interaction {int}', (world, n) =>
    startProvider(world, httpRoutes([def(world, n)])),
  );
  define('a provider is started that returns the responses from interactions {string}', (world, list) =>
    startProvider(world, httpRoutes(list.split(',').map((s) => def(world, Number(s.trim()))))),
  );
  define(
    'a provider is started that returns the response from interaction {int}, with the following changes:',
    (world, n, table) => startProvider(world, httpRoutes([applyChanges(def(world, n), table)])),
  );

  const toVerify = (world, n, extra = {}, interactionOverrides = {}) => {
    world.toVerify ??= [];
    world.toVerify.push({
      consumer: `c_${n}`,
      interaction: interactionFor(def(world, n), interactionOverrides),
      ...extra,
    });
  };
  define('a Pact file for interaction {int} is to be verified', (world, n) => toVerify(world, n));
  define('a Pact file for interaction {int} is to be verified from a Pact broker', (world, n) =>
    toVerify(world, n, { fromBroker: true }),
  );
  define(
    'a Pact file for interaction {int} is to be verified with a provider state {string} defined',
    (world, n, state) => toVerify(world, n, {}, { providerStates: [{ name: state }] }),
  );
  define(
    'a Pact file for interaction {int} is to be verified with the following provider states defined:',
    (world, n, table) =>
      toVerify(
        world,
        n,
        {},
        {
          providerStates: tableRows(table).map((row) => ({
            name: row['State Name'],
            ...(row.Parameters ? { params: json(row.Parameters) } : {}),
          })),
        },
      ),
  );
  define('a Pact file for interaction {int} is to be verified, but is marked pending', (world, n) =>
    toVerify(world, n, {}, { pending: true }),
  );
  define(
    'a Pact file for interaction {int} is to be verified with the following comments:',
    (world, n, table) => toVerify(world, n, {}, { comments: commentsFrom(table) }),
  );

  define('a provider state callback is configured', (world) => {
    world.stateCallback = true;
  });
  define('a provider state callback is configured, but will return a failure', (world) => {
    world.stateCallback = true;
    world.provider.stateFails = true;
  });
  define('publishing of verification results is enabled', (world) => {
    world.publish = true;
  });
  define('a request filter is configured to make the following changes:', (world, table) => {
    const [row] = tableRows(table);
    const added = [...(row.headers ?? '').matchAll(/'([^':]*):\s*([^']*)'/g)];
    world.requestFilter = (request) => {
      const headers = { ...request.headers };
      for (const [, name, value] of added) headers[name] = [value];
      return { ...request, headers };
    };
  });

  define('the verification is run', runVerification);

  define('the verification will be successful', (world) => {
    if (!world.result?.success) throw new Error(`the verification failed:\n${describeResults(world)}`);
  });
  define('the verification will NOT be successful', (world) => {
    if (world.result?.success !== false)
      throw new Error(`the verification passed:\n${describeResults(world)}`);
  });
  define('the verification results will contain a {string} error', (world, heading) => {
    if (!interactionResults(world).some((r) => showsError(r, heading)))
      throw new Error(`no '${heading}' error among:\n${describeResults(world)}`);
  });
  define('there will be a pending {string} error', (world, heading) => {
    if (!interactionResults(world).some((r) => r.status === 'pending-failed' && showsError(r, heading)))
      throw new Error(`no pending '${heading}' error among:\n${describeResults(world)}`);
  });

  define('the request to the provider will contain the header {string}', (world, header) => {
    const [name, value] = header.split(':').map((s) => s.trim());
    if (!world.provider.requests.some((r) => r.headers[name.toLowerCase()] === value))
      throw new Error(`no request carried the header ${header}`);
  });

  // --- provider state callback ---
  const calls = (world, kind) => world.provider.log.filter((c) => c.kind === kind);
  define('the provider state callback will be called before the verification is run', (world) => {
    const first = world.provider.log.findIndex((c) => c.kind === 'setup');
    const request = world.provider.log.findIndex((c) => c.kind === 'request' || c.kind === 'message');
    if (first < 0 || (request >= 0 && first > request))
      throw new Error(`no setup call before the request: ${JSON.stringify(world.provider.log)}`);
  });
  define('the provider state callback will be called after the verification is run', (world) => {
    const last = world.provider.log.findLastIndex((c) => c.kind === 'teardown');
    const request = world.provider.log.findLastIndex((c) => c.kind === 'request' || c.kind === 'message');
    if (last < 0 || last < request)
      throw new Error(`no teardown call after the request: ${JSON.stringify(world.provider.log)}`);
  });
  const hasCall = (world, kind, state, params) => {
    const found = calls(world, kind).some(
      (c) =>
        (c.state ?? '') === state &&
        (params === undefined ||
          jsonEquals(json(JSON.stringify(c.params ?? {})), json(JSON.stringify(params)))),
    );
    if (!found)
      throw new Error(
        `no ${kind} call for '${state}'${params ? ` with ${JSON.stringify(params)}` : ''}: ${JSON.stringify(world.provider.log)}`,
      );
  };
  define(
    'the provider state callback will receive a setup call with {string} as the provider state parameter',
    (world, state) => hasCall(world, 'setup', state),
  );
  define(
    'the provider state callback will receive a teardown call {string} as the provider state parameter',
    (world, state) => hasCall(world, 'teardown', state),
  );
  define(
    'the provider state callback will receive a setup call with {string} and the following parameters:',
    (world, state, table) => hasCall(world, 'setup', state, stateParamsFromTable(table)),
  );
  define(
    'the provider state callback will receive a teardown call {string} and the following parameters:',
    (world, state, table) => hasCall(world, 'teardown', state, stateParamsFromTable(table)),
  );
  define('the provider state callback will NOT receive a teardown call', (world) => {
    if (calls(world, 'teardown').length > 0) throw new Error('a teardown call was made');
  });
  define(
    'a warning will be displayed that there was no provider state callback configured for provider state {string}',
    (world, state) => {
      const warnings = interactionResults(world).flatMap((r) => r.warnings);
      if (!warnings.some((w) => w.includes(`'${state}'`)) || !world.output.includes(state))
        throw new Error(`no warning about '${state}': ${JSON.stringify(warnings)}`);
    },
  );

  // --- broker publication ---
  const latestResult = async (world, n) => {
    const pactResponse = await fetch(`${world.broker.url}/pacts/provider/p/consumer/c_${n}/latest`, {
      headers: { Accept: 'application/hal+json' },
    });
    const pact = await pactResponse.json();
    const link = pact._links?.['pb:latest-verification-results']?.href;
    if (!link) return undefined;
    const response = await fetch(link, { headers: { Accept: 'application/hal+json' } });
    return response.status === 200 ? response.json() : undefined;
  };
  define('a verification result will NOT be published back', async (world) => {
    for (const entry of world.toVerify ?? []) {
      const n = entry.consumer.slice(2);
      if (await latestResult(world, n)) throw new Error(`a result was published for interaction ${n}`);
    }
  });
  define(
    'a successful verification result will be published back for interaction \\{{int}}',
    async (world, n) => {
      const result = await latestResult(world, n);
      if (result?.success !== true)
        throw new Error(`no successful result published for ${n}: ${JSON.stringify(result)}`);
    },
  );
  define(
    'a failed verification result will be published back for the interaction \\{{int}}',
    async (world, n) => {
      const result = await latestResult(world, n);
      if (result?.success !== false)
        throw new Error(`no failed result published for ${n}: ${JSON.stringify(result)}`);
    },
  );

  // --- V4 comments ---
  define('the comment {string} will have been printed to the console', (world, comment) => {
    if (!world.output.includes(comment)) throw new Error(`'${comment}' not in the output:\n${world.output}`);
  });
  define('the {string} will displayed as the original test name', (world, name) => {
    if (!world.output.includes(name))
      throw new Error(`test name '${name}' not in the output:\n${world.output}`);
  });
}

/** `| comment | type |` rows → V4 comments `{ text: [...], testname }`. */
export function commentsFrom(table) {
  const comments = { text: [] };
  for (const row of tableRows(table)) {
    if (row.type === 'testname') comments.testname = row.comment;
    else comments.text.push(row.comment);
  }
  return comments;
}
