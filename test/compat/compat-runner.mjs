// Runs the Pact compatibility suite (../shared/conformance/pact-compatibility-suite) against
// Covenant's public APIs. Shared by `npm run conformance` and test/compat/compat.test.ts.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarios, runScenario, StepRegistry } from './gherkin-runner.mjs';
import { featuresRoot } from './paths.mjs';
import { generalSteps } from './steps/general.mjs';
import { generatorSteps } from './steps/generators.mjs';
import { httpConsumerSteps } from './steps/http-consumer.mjs';
import { httpProviderSteps } from './steps/http-provider.mjs';
import { matchingSteps } from './steps/matching.mjs';
import { messageSteps } from './steps/messages.mjs';

export { featuresRoot };

/** Scenarios tagged @wip are work in progress upstream: listed, never run or counted. */
export const isWip = (scenario) => scenario.tags.includes('@wip');

/** The registry with every step definition of the suite. */
export function compatRegistry() {
  const registry = new StepRegistry();
  httpConsumerSteps(registry);
  httpProviderSteps(registry);
  matchingSteps(registry);
  generatorSteps(registry);
  messageSteps(registry);
  generalSteps(registry);
  return registry;
}

/** All scenarios of the suite (the @wip one included; filter with isWip). */
export function compatScenarios() {
  return existsSync(featuresRoot) ? loadScenarios(featuresRoot) : [];
}

/** A fresh world per scenario: its spec version (from the folder), a temporary directory, cleanups. */
function makeWorld(scenario) {
  const dir = mkdtempSync(join(tmpdir(), 'covenant-compat-'));
  return {
    version: scenario.uri.split('/')[0],
    dir,
    cleanups: [() => rmSync(dir, { recursive: true, force: true })],
  };
}

/** Runs one scenario with the suite's registry. */
export function runCompatScenario(scenario, registry = compatRegistry()) {
  return runScenario(scenario, registry, makeWorld);
}

/**
 * Runs every runnable scenario. Resolves to `{ total, passed, failed, skipped, results }`, where
 * `failed` lists scenario ids and `skipped` the @wip ones; `byVersion` counts per spec version.
 */
export async function runCompatSuite() {
  const registry = compatRegistry();
  const scenarios = compatScenarios();
  const results = [];
  for (const scenario of scenarios.filter((s) => !isWip(s))) {
    results.push({ ...(await runCompatScenario(scenario, registry)), version: scenario.uri.split('/')[0] });
  }
  const byVersion = {};
  for (const r of results) {
    byVersion[r.version] ??= { total: 0, passed: 0 };
    byVersion[r.version].total += 1;
    if (r.ok) byVersion[r.version].passed += 1;
  }
  return {
    total: results.length,
    passed: results.filter((r) => r.ok).length,
    failed: results.filter((r) => !r.ok).map((r) => r.id),
    skipped: scenarios.filter(isWip).map((s) => s.id),
    byVersion,
    results,
  };
}
