import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSpecCases, loadDisputed, runAllSpecCases, specRoot, variantsRoot } from './spec-runner.mjs';

const present = existsSync(specRoot);
if (!present) console.warn(`Skipping the Pact specification cases: ${specRoot} is absent.`);

describe.skipIf(!present)('Pact specification matching cases', () => {
  it('finds all 803 cases', () => {
    expect(listSpecCases()).toHaveLength(803);
  });

  it('passes every case except the allow-listed disputed ones', () => {
    const summary = runAllSpecCases();
    const errors = summary.results.filter((r: { error?: string }) => r.error !== undefined);
    expect(errors, 'no case may throw').toEqual([]);
    expect(summary.unexpectedFailures).toEqual([]);
  });

  it('allow-lists only disputed cases: at most 15, each with a differing pact-reference copy and a reason', () => {
    const disputed = loadDisputed() as Record<string, string>;
    const entries = Object.entries(disputed);
    expect(entries.length).toBeLessThanOrEqual(15);
    for (const [id, reason] of entries) {
      expect(existsSync(join(variantsRoot, id)), `${id} has a copy in pact-reference-variants`).toBe(true);
      expect(reason.trim().length, `${id} has a reason`).toBeGreaterThan(10);
    }
  });
});
