import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileExpression, loadScenarios, runScenario, StepRegistry } from './gherkin-runner.mjs';

const dir = mkdtempSync(join(tmpdir(), 'covenant-gherkin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  join(dir, 'sample.feature'),
  `@suite
Feature: Sample
  Background:
    Given a counter at 1

  Scenario Outline: Adding <n>
    When <n> is added
    Then the counter is <total>

    Examples:
      | n | total |
      | 2 | 3     |
      | 5 | 6     |

  @tagged
  Scenario: Tables and doc strings
    Given these rows:
      | a | b |
      | 1 | 2 |
    And this text:
      """
      hello
      """
`,
);

describe('the Gherkin runner', () => {
  const scenarios = loadScenarios(dir);

  it('expands Backgrounds and Scenario Outlines with their Examples', () => {
    expect(scenarios.map((s) => s.name)).toEqual(['Adding 2', 'Adding 5', 'Tables and doc strings']);
    expect(scenarios[1]?.steps.map((s) => `${s.keyword} ${s.text}`)).toEqual([
      'Given a counter at 1',
      'When 5 is added',
      'Then the counter is 6',
    ]);
    expect(scenarios[2]?.tags).toEqual(['@suite', '@tagged']);
  });

  it('passes data tables and doc strings to the steps', () => {
    const steps = scenarios[2]?.steps ?? [];
    expect(steps[1]?.dataTable).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(steps[2]?.docString).toBe('hello');
  });

  it('compiles Cucumber expressions: parameters, escapes, optional text and alternatives', () => {
    const { regex, parsers } = compileExpression('a/an {string} has \\{{int}} item(s)');
    const match = regex.exec('an "x \\"y\\"" has {3} items');
    expect(match).not.toBeNull();
    expect(parsers.map((parse: (s: string) => unknown, i: number) => parse(match![i + 1]!))).toEqual([
      'x "y"',
      3,
    ]);
    expect(regex.test('a "x" has {1} item')).toBe(true);
    expect(regex.test('the "x" has {1} item')).toBe(false);
  });

  it('runs a scenario step by step, reports the failing step, and always runs the cleanups', async () => {
    const registry = new StepRegistry();
    const cleaned: string[] = [];
    registry.define('a counter at {int}', (world: { total: number }, n: number) => {
      world.total = n;
    });
    registry.define('{int} is added', (world: { total: number }, n: number) => {
      world.total += n;
    });
    registry.define('the counter is {int}', (world: { total: number }, n: number) => {
      if (world.total !== n) throw new Error(`the counter is ${world.total}`);
    });
    const makeWorld = () => ({ total: 0, cleanups: [() => void cleaned.push('done')] });
    expect(await runScenario(scenarios[0], registry, makeWorld)).toEqual({ id: scenarios[0]?.id, ok: true });
    const broken = {
      ...scenarios[0]!,
      steps: [...scenarios[0]!.steps.slice(0, 2), { keyword: 'Then', text: 'the counter is 9' }],
    };
    const result = await runScenario(broken, registry, makeWorld);
    expect(result).toMatchObject({ ok: false, failedStep: 'Then the counter is 9' });
    expect(String((result as { error: Error }).error.message)).toBe('the counter is 3');
    const undefinedStep = await runScenario(scenarios[2], registry, makeWorld);
    expect(String((undefinedStep as { error: Error }).error.message)).toBe('undefined step: these rows:');
    expect(cleaned).toEqual(['done', 'done', 'done']);
  });
});
