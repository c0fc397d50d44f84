// Steps for the matching features: expected requests/responses built from the suite's tables
// and compared with core's matchRequest / matchResponse.
import { matchRequest, matchResponse, parseQueryString } from '@covenant/core';
import { assertMismatch } from '../relaxed.mjs';
import {
  coreBody,
  headersRecord,
  parseBodyNotation,
  parseHeaderList,
  rulesFrom,
  tableRows,
} from '../support.mjs';

/** A core HttpRequest from one row: body, content type, query, headers and matching rules. */
function requestFromRow(row) {
  const body = parseBodyNotation(row.body ?? '', row['content type'] || undefined);
  const pairs = parseHeaderList(row.headers ?? '');
  if (body?.contentType && !pairs.some(([n]) => n.toLowerCase() === 'content-type'))
    pairs.push(['Content-Type', body.contentType]);
  return {
    method: 'POST',
    path: '/',
    query: row.query ? parseQueryString(row.query) : undefined,
    headers: pairs.length ? headersRecord(pairs) : undefined,
    body: coreBody(body),
    matchingRules: rulesFrom(row['matching rules'] ?? ''),
    generators: {},
  };
}

function singleHeader(name, value) {
  return {
    method: 'POST',
    path: '/',
    query: undefined,
    headers: { [name]: [value] },
    body: { kind: 'missing' },
    matchingRules: {},
    generators: {},
  };
}

function allMismatches(world) {
  return world.comparisons.flatMap((c) => c.mismatches);
}

/** Registers the matching steps. */
export function matchingSteps(registry) {
  const define = registry.define.bind(registry);

  define('an expected request configured with the following:', (world, table) => {
    world.expectedRequest = requestFromRow(tableRows(table)[0]);
  });
  define('a request is received with the following:', (world, table) => {
    world.received = [requestFromRow(tableRows(table)[0])];
  });
  define('the following requests are received:', (world, table) => {
    world.received = tableRows(table).map(requestFromRow);
  });
  const expectedHeader = (world, name, value) => {
    world.expectedRequest = singleHeader(name, value);
  };
  define('an expected request with a {string} header of {string}', expectedHeader);
  define('an expected request with an {string} header of {string}', expectedHeader);
  const receivedHeader = (world, name, value) => {
    world.received = [singleHeader(name, value)];
  };
  define('a request is received with a {string} header of {string}', receivedHeader);
  define('a request is received with an {string} header of {string}', receivedHeader);

  const compare = (world) => {
    world.comparisons = world.received.map((actual) => matchRequest(world.expectedRequest, actual));
  };
  define('the request is compared to the expected one', compare);
  define('the requests are compared to the expected one', compare);

  define('the comparison should be OK', (world) => {
    const failed = world.comparisons.filter((c) => !c.ok);
    if (failed.length) throw new Error(`mismatches:\n${describe(allMismatches(world))}`);
  });
  // With several requests, each one must fail on its own: one bad request does not make the rest bad.
  define('the comparison should NOT be OK', (world) => {
    const passed = world.comparisons.findIndex((c) => c.ok);
    if (passed >= 0) throw new Error(`request ${passed + 1} matched`);
  });
  define(
    'the mismatches will contain a mismatch with error {string} -> {string}',
    (world, where, message) => {
      // The suite names a body path ($.one), or a header name for header comparisons.
      const path = where.startsWith('$') ? where : undefined;
      const category = where.startsWith('$') ? undefined : 'header';
      assertMismatch(allMismatches(world), category ? { category, message, path: where } : { path, message });
    },
  );

  // --- responses (V4 status code matcher) ---
  define('an expected response configured with the following:', (world, table) => {
    const [row] = tableRows(table);
    world.expectedResponse = {
      status: Number(row.status),
      headers: undefined,
      body: { kind: 'missing' },
      matchingRules: rulesFrom(row['matching rules'] ?? ''),
      generators: {},
    };
  });
  define('a status {int} response is received', (world, status) => {
    world.actualResponse = { status, headers: {}, body: { kind: 'missing' } };
  });
  define('the response is compared to the expected one', (world) => {
    world.responseComparison = matchResponse(world.expectedResponse, world.actualResponse);
  });
  define('the response comparison should be OK', (world) => {
    if (!world.responseComparison.ok)
      throw new Error(`mismatches:\n${describe(world.responseComparison.mismatches)}`);
  });
  define('the response comparison should NOT be OK', (world) => {
    if (world.responseComparison.ok) throw new Error('the response matched');
  });
  define(
    'the response mismatches will contain a {string} mismatch with error {string}',
    (world, category, message) => {
      assertMismatch(world.responseComparison.mismatches, { category, message });
    },
  );
}

function describe(mismatches) {
  return mismatches.map((m) => `  [${m.category}/${m.code}] ${m.path}: ${m.message}`).join('\n');
}
