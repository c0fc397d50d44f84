// Runs the Pact specification's matching cases (../shared/conformance/pact-specification) through
// @covenant/core. Shared by `npm run conformance` and the conformance test.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  matchMessage,
  matchRequest,
  matchResponse,
  messageContentsFromJson,
  parseJson,
  requestFromJson,
  responseFromJson,
} from '@covenant/core';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
export const sharedRoot = resolve(repoRoot, '..', 'shared', 'conformance');
export const specRoot = join(sharedRoot, 'pact-specification');
export const variantsRoot = join(sharedRoot, 'pact-reference-variants');

const VERSIONS = { v1: 'V1', 'v1.1': 'V1_1', v2: 'V2', v3: 'V3', v4: 'V4' };

/** Every case file as `{id, version, kind, file}`; id is `v3/testcases/request/body/x.json`. */
export function listSpecCases(root = specRoot) {
  const cases = [];
  for (const dir of Object.keys(VERSIONS)) {
    const base = join(root, dir);
    if (!existsSync(base)) continue;
    const walk = (folder) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const full = join(folder, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.json')) {
          const id = relative(root, full).split('\\').join('/');
          const kind = id.split('/')[2];
          cases.push({ id, version: VERSIONS[dir], kind, file: full });
        }
      }
    };
    walk(base);
  }
  return cases.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Matches a case's `actual` against its `expected` with the matcher for its kind (request,
 * response or message) and version; returns core's outcome, `{ok, mismatches}`.
 */
export function matchSpecCase(testCase, expected, actual) {
  const { kind, version } = testCase;
  if (kind === 'request')
    return matchRequest(requestFromJson(expected, version), requestFromJson(actual, version));
  if (kind === 'response')
    return matchResponse(responseFromJson(expected, version), responseFromJson(actual, version));
  return matchMessage(messageContentsFromJson(expected, version), messageContentsFromJson(actual, version));
}

/** Runs one case; returns `{id, expectedMatch, actualMatch, mismatches}` or `{id, error}`. */
export function runSpecCase(testCase) {
  const text = readFileSync(testCase.file, 'utf8');
  const parsed = parseJson(text);
  if (!parsed.ok) return { id: testCase.id, error: `not JSON: ${parsed.message}` };
  const { match, expected, actual } = parsed.value;
  try {
    const outcome = matchSpecCase(testCase, expected, actual);
    return { id: testCase.id, expectedMatch: match, actualMatch: outcome.ok, mismatches: outcome.mismatches };
  } catch (error) {
    return { id: testCase.id, error: String(error?.stack ?? error) };
  }
}

/** The disputed cases: `{id: reason}` from disputed.json. */
export function loadDisputed() {
  return JSON.parse(readFileSync(join(here, 'disputed.json'), 'utf8'));
}

/** Runs every case; a case fails when its outcome differs from `match` or it throws. */
export function runAllSpecCases() {
  const cases = listSpecCases();
  const disputed = loadDisputed();
  const results = cases.map(runSpecCase);
  const failed = results.filter((r) => r.error !== undefined || r.expectedMatch !== r.actualMatch);
  return {
    total: cases.length,
    passed: cases.length - failed.length,
    failed: failed.map((f) => f.id),
    unexpectedFailures: failed.filter((f) => !(f.id in disputed)).map((f) => f.id),
    results,
  };
}
