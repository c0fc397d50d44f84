import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listOpenApiCases, openapiRoot, runAllOpenApiCases } from './openapi-runner.mjs';

const present = existsSync(openapiRoot);
if (!present) console.warn(`Skipping the OpenAPI/AsyncAPI comparison cases: ${openapiRoot} is absent.`);

describe.skipIf(!present)('PactFlow comparator cases (OpenAPI and AsyncAPI against pacts)', () => {
  it('finds all 62 cases', () => {
    expect(listOpenApiCases()).toHaveLength(62);
  });

  it('gives every case the same (code, type, interaction) results as the comparator', () => {
    const summary = runAllOpenApiCases();
    const failures = summary.results
      .filter((r) => !r.ok)
      .map((r) => ({ id: r.id, error: r.error, missing: r.missing, extra: r.extra }));
    expect(failures).toEqual([]);
    expect(summary.passed).toBe(62);
  }, 120_000);
});
