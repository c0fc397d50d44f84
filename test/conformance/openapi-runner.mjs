// Runs PactFlow's comparator cases (../shared/conformance/openapi-pact-comparator) through
// @covenant/contracts. Shared by `npm run conformance` and the openapi conformance test.
// A case passes when it gives the same multiset of (code, type, interaction description) as its
// results.json; messages, locations and order are each implementation's own.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractComparator, readProviderContract } from '@covenant/contracts';

const here = dirname(fileURLToPath(import.meta.url));
export const openapiRoot = resolve(
  here,
  '..',
  '..',
  '..',
  'shared',
  'conformance',
  'openapi-pact-comparator',
);

/** Every case folder (one holding a results.json), as ids relative to the root. */
export function listOpenApiCases(root = openapiRoot) {
  const out = [];
  const walk = (dir) => {
    if (existsSync(join(dir, 'results.json'))) out.push(relative(root, dir));
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
    }
  };
  walk(root);
  return out;
}

const triple = (code, type, description) => JSON.stringify([code, type, description ?? null]);

function countTriples(list) {
  const counts = new Map();
  for (const key of list) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** Runs one case: { id, ok, missing: [...triples], extra: [...triples], error? }. */
export function runOpenApiCase(id, root = openapiRoot) {
  const dir = join(root, id);
  const read = (name) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : undefined);
  const expected = JSON.parse(read('results.json')).map((r) =>
    triple(r.code, r.type, r.mockDetails?.interactionDescription),
  );
  try {
    const oas = read('oas.yaml');
    const asyncapi = read('asyncapi.yaml');
    const comparator = new ContractComparator({
      ...(oas === undefined ? {} : { openapi: readProviderContract(oas, `${id}/oas.yaml`).document }),
      ...(asyncapi === undefined
        ? {}
        : { asyncapi: readProviderContract(asyncapi, `${id}/asyncapi.yaml`).document }),
    });
    const actual = comparator
      .compare(JSON.parse(read('pact.json')), `${id}/pact.json`)
      .map((r) => triple(r.code, r.type, r.interaction.description));
    const want = countTriples(expected);
    const got = countTriples(actual);
    const missing = [];
    const extra = [];
    for (const [key, n] of want) for (let i = got.get(key) ?? 0; i < n; i++) missing.push(key);
    for (const [key, n] of got) for (let i = want.get(key) ?? 0; i < n; i++) extra.push(key);
    return { id, ok: missing.length === 0 && extra.length === 0, missing, extra };
  } catch (error) {
    return { id, ok: false, missing: expected, extra: [], error: String(error?.message ?? error) };
  }
}

/** Runs every case: { total, passed, failed: [ids], results }. */
export function runAllOpenApiCases(root = openapiRoot) {
  const results = listOpenApiCases(root).map((id) => runOpenApiCase(id, root));
  const failed = results.filter((r) => !r.ok).map((r) => r.id);
  return { total: results.length, passed: results.length - failed.length, failed, results };
}
