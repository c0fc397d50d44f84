// Steps for the generator features: requests and responses with generators, prepared with
// core's generateRequest / generateResponse in the consumer or provider mode.
import { generateRequest, generateResponse, isJsonNumber } from '@covenant/core';
import {
  coreBody,
  generatorsFrom,
  isKindOf,
  json,
  parseBodyNotation,
  tableRows,
  valueAt,
} from '../support.mjs';

function bodyValue(body) {
  if (body.kind !== 'present') throw new Error('the body is missing');
  const content = body.content;
  if (content.type === 'json') return content.value;
  return json(content.type === 'text' ? content.text : Buffer.from(content.bytes).toString('utf8'));
}

/** `header[X-TEST]`, `queryParameter[v1]`, `path`, `status` → the value in a prepared part. */
function partValue(part, field) {
  const named = /^(header|queryParameter)\[(.+)\]$/.exec(field);
  if (named) {
    const source = named[1] === 'header' ? part.headers : part.query;
    const entry = Object.entries(source ?? {}).find(([k]) => k.toLowerCase() === named[2].toLowerCase());
    return entry?.[1]?.[0];
  }
  return part[field];
}

/**
 * Checks a generated body value: it must have replaced the example, and be of the kind the suite
 * names ("an integer", "a date"…); "a string from the regex" must match the generator's own regex.
 */
function checkReplaced(world, path, kind) {
  const source = world.genRequest ?? world.genResponse;
  const value = valueAt(bodyValue(world.prepared.body), path);
  const example = valueAt(bodyValue(source.body), path);
  if (JSON.stringify(value) === JSON.stringify(example))
    throw new Error(`${path} still holds the example ${JSON.stringify(example)}`);
  if (kind === 'string from the regex') {
    const regex = source.generators.body?.get(path)?.regex;
    if (typeof value !== 'string' || !new RegExp(`^(?:${regex})$`).test(value))
      throw new Error(`${JSON.stringify(value)} does not match the generator's regex ${regex}`);
    return;
  }
  if (!isKindOf(kind, value)) throw new Error(`${JSON.stringify(String(value))} is not a(n) ${kind}`);
}

/** Registers the generator steps. */
export function generatorSteps(registry) {
  const define = registry.define.bind(registry);

  define('a request configured with the following generators:', (world, table) => {
    const [row] = tableRows(table);
    world.genRequest = {
      method: 'GET',
      path: '/',
      query: undefined,
      headers: undefined,
      body: coreBody(parseBodyNotation(row.body ?? '')),
      matchingRules: {},
      generators: generatorsFrom(row.generators),
    };
  });
  define('a response configured with the following generators:', (world, table) => {
    const [row] = tableRows(table);
    world.genResponse = {
      status: 200,
      headers: undefined,
      body: coreBody(parseBodyNotation(row.body ?? '')),
      matchingRules: {},
      generators: generatorsFrom(row.generators),
    };
  });
  define('the generator test mode is set as {string}', (world, mode) => {
    world.genMode = mode.toLowerCase();
  });

  // The suite's default mode is the provider's: requests are generated when verifying.
  const prepareRequest = (world, context = {}) => {
    world.prepared = generateRequest(world.genRequest, world.genMode ?? 'provider', context);
  };
  define('the request is prepared for use', (world) => prepareRequest(world));
  define('the request is prepared for use with a {string} context:', (world, kind, table) => {
    const value = json(table[0][0]);
    const context =
      kind === 'providerState'
        ? { providerState: value }
        : kind === 'mockServer'
          ? { mockServer: { url: value.href ?? value.url } }
          : undefined;
    if (!context) throw new Error(`unknown generator context '${kind}'`);
    prepareRequest(world, context);
  });
  define('the response is prepared for use', (world) => {
    world.prepared = generateResponse(world.genResponse, world.genMode ?? 'consumer');
  });

  define('the body value for {string} will have been replaced with a {string}', checkReplaced);
  define('the body value for {string} will have been replaced with an {string}', checkReplaced);
  define('the body value for {string} will have been replaced with {string}', (world, path, expected) => {
    const value = valueAt(bodyValue(world.prepared.body), path);
    if (String(value) !== expected) throw new Error(`the value is ${JSON.stringify(String(value))}`);
  });

  define('the request {string} will be set as {string}', (world, field, expected) => {
    const value = partValue(world.prepared, field);
    if (String(value) !== expected) throw new Error(`${field} is ${JSON.stringify(value)}`);
  });
  const willMatch = (world, field, pattern) => {
    const value = partValue(world.prepared, field);
    if (value === undefined || !new RegExp(`^(?:${pattern})$`).test(String(value)))
      throw new Error(`${field} is ${JSON.stringify(value)}, which does not match ${pattern}`);
  };
  define('the request {string} will match {string}', willMatch);
  define('the response {string} will match {string}', willMatch);
  define('the response {string} will not be {string}', (world, field, value) => {
    const actual = partValue(world.prepared, field);
    if (String(actual) === value) throw new Error(`${field} is still ${value}`);
    if (field === 'status' && !isJsonNumber(actual)) throw new Error('the status is not a number');
  });
}
