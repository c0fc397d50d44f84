import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compatRegistry, compatScenarios, featuresRoot, isWip, runCompatScenario } from './compat-runner.mjs';
import { KNOWN_FAILURES } from './relaxed.mjs';

// The Pact compatibility suite: one test per scenario, run against Covenant's public APIs.
const present = existsSync(featuresRoot);
if (!present) console.warn(`Skipping the Pact compatibility suite: ${featuresRoot} is absent.`);

const scenarios = present ? compatScenarios() : [];
const registry = present ? compatRegistry() : undefined;

describe.skipIf(!present)('Pact compatibility suite', () => {
  it('finds the 190 scenarios of the 20 feature files, one of them @wip', () => {
    expect(scenarios).toHaveLength(190);
    expect(new Set(scenarios.map((s) => s.uri)).size).toBe(20);
    expect(scenarios.filter(isWip)).toHaveLength(1);
  });

  it('lists as known failures only scenarios that exist, each with a reason', () => {
    const ids = new Set(scenarios.map((s) => s.id));
    for (const [id, reason] of Object.entries(KNOWN_FAILURES as Record<string, string>)) {
      expect(ids.has(id), id).toBe(true);
      expect(reason.length).toBeGreaterThan(40);
    }
  });

  for (const scenario of scenarios) {
    const title = `${scenario.uri.split('/')[0]} ${scenario.feature}: ${scenario.name}`;
    // A known failure must still fail: `it.fails` turns red the day it passes.
    const test = scenario.id in KNOWN_FAILURES ? it.fails : it;
    test.skipIf(isWip(scenario))(title, { timeout: 30_000 }, async () => {
      const result = await runCompatScenario(scenario, registry);
      if (!result.ok) {
        const error = result.error instanceof Error ? result.error.message : String(result.error);
        expect.fail(`${result.failedStep}\n${error}`);
      }
    });
  }
});
