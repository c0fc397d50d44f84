// A small Gherkin runner for the Pact compatibility suite: parses feature files with
// @cucumber/gherkin, expands them into pickles (Backgrounds, Scenario Outlines and Examples
// included), and runs each step against definitions registered by Cucumber expression or regex.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';

/** Every `.feature` file under `root`, sorted, as paths. */
export function listFeatureFiles(root) {
  const out = [];
  const walk = (folder) => {
    for (const name of readdirSync(folder).sort()) {
      const full = join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.feature')) out.push(full);
    }
  };
  walk(root);
  return out;
}

/**
 * Parses the feature files under `root` into runnable scenarios:
 * `{ id, feature, name, uri, tags, steps: [{ keyword, text, dataTable?, docString? }] }`.
 * `uri` is relative to `root` (`V1/http_consumer.feature`); `id` is `uri: scenario name`, made
 * unique with an example number where an outline yields several pickles of one name.
 */
export function loadScenarios(root) {
  const scenarios = [];
  for (const file of listFeatureFiles(root)) {
    const uri = relative(root, file).split('\\').join('/');
    const newId = IdGenerator.incrementing();
    const parser = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher());
    const document = parser.parse(readFileSync(file, 'utf8'));
    const feature = document.feature;
    if (!feature) continue;
    // Keep each step's keyword (Given/When/Then) for reports: pickles only keep the text.
    const keywords = new Map();
    const collect = (steps) => {
      for (const step of steps) keywords.set(step.id, step.keyword.trim());
    };
    for (const child of feature.children) {
      if (child.background) collect(child.background.steps);
      if (child.scenario) collect(child.scenario.steps);
      if (child.rule) {
        for (const ruleChild of child.rule.children) {
          if (ruleChild.background) collect(ruleChild.background.steps);
          if (ruleChild.scenario) collect(ruleChild.scenario.steps);
        }
      }
    }
    const seen = new Map();
    for (const pickle of compile(document, uri, newId)) {
      const count = (seen.get(pickle.name) ?? 0) + 1;
      seen.set(pickle.name, count);
      scenarios.push({
        id: `${uri}: ${pickle.name}${count > 1 ? ` (${count})` : ''}`,
        feature: feature.name,
        name: pickle.name,
        uri,
        tags: pickle.tags.map((t) => t.name),
        steps: pickle.steps.map((step) => ({
          keyword: keywords.get(step.astNodeIds[0]) ?? '*',
          text: step.text,
          ...(step.argument?.dataTable
            ? { dataTable: step.argument.dataTable.rows.map((row) => row.cells.map((c) => c.value)) }
            : {}),
          ...(step.argument?.docString ? { docString: step.argument.docString.content } : {}),
        })),
      });
    }
  }
  return scenarios;
}

const PARAMETER_TYPES = {
  int: { pattern: '-?\\d+', parse: (s) => Number.parseInt(s, 10) },
  float: { pattern: '-?\\d*\\.?\\d+(?:[eE][-+]?\\d+)?', parse: (s) => Number.parseFloat(s) },
  word: { pattern: '[^\\s]+', parse: (s) => s },
  // The suite's own type: an ordinal such as `first`.
  numType: { pattern: '[a-z]+', parse: (s) => s },
  // A quoted string: the quotes are dropped and \" (or \') inside is unescaped.
  string: {
    pattern: '"(?:[^"\\\\]|\\\\.)*"|\'(?:[^\'\\\\]|\\\\.)*\'',
    parse: (s) => s.slice(1, -1).replace(/\\(["'\\])/g, '$1'),
  },
  '': { pattern: '.*', parse: (s) => s },
};

/**
 * Turns a Cucumber expression (`request {int} is made`, optional text `interaction(s)`,
 * alternatives `a/an`) into an anchored regex and the parsers of its parameters.
 */
export function compileExpression(expression) {
  const parsers = [];
  let source = '';
  let i = 0;
  while (i < expression.length) {
    const c = expression[i];
    if (c === '\\' && i + 1 < expression.length) {
      source += escapeRegex(expression[i + 1]);
      i += 2;
    } else if (c === '{') {
      const end = expression.indexOf('}', i);
      const name = expression.slice(i + 1, end);
      const type = PARAMETER_TYPES[name];
      if (!type) throw new Error(`unknown parameter type {${name}} in '${expression}'`);
      source += `(${type.pattern})`;
      parsers.push(type.parse);
      i = end + 1;
    } else if (c === '(') {
      const end = expression.indexOf(')', i);
      source += `(?:${escapeRegex(expression.slice(i + 1, end))})?`;
      i = end + 1;
    } else if (/\S/.test(c) && expression.slice(i).match(/^[^\s{(]+\/[^\s{(]+/)) {
      const word = expression.slice(i).match(/^[^\s{(]+/)[0];
      source += `(?:${word.split('/').map(escapeRegex).join('|')})`;
      i += word.length;
    } else {
      source += escapeRegex(c);
      i += 1;
    }
  }
  return { regex: new RegExp(`^${source}$`), parsers };
}

function escapeRegex(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Step definitions: `define(pattern, fn)`, where fn gets `(world, ...params, argument)`. */
export class StepRegistry {
  #steps = [];

  /** Registers a step by Cucumber expression (a string) or regex. */
  define(pattern, fn) {
    if (pattern instanceof RegExp) {
      this.#steps.push({ pattern: String(pattern), regex: pattern, parsers: undefined, fn });
    } else {
      const { regex, parsers } = compileExpression(pattern);
      this.#steps.push({ pattern, regex, parsers, fn });
    }
  }

  /** The one definition matching `text` with its arguments; throws when none or several match. */
  find(text) {
    const found = [];
    for (const step of this.#steps) {
      const m = step.regex.exec(text);
      if (!m) continue;
      const groups = m.slice(1);
      const args = step.parsers ? groups.map((g, k) => step.parsers[k](g)) : groups;
      found.push({ step, args });
    }
    if (found.length === 0) throw new UndefinedStepError(text);
    if (found.length > 1) {
      throw new Error(`ambiguous step '${text}': ${found.map((f) => f.step.pattern).join(' | ')}`);
    }
    return found[0];
  }
}

export class UndefinedStepError extends Error {
  constructor(text) {
    super(`undefined step: ${text}`);
    this.name = 'UndefinedStepError';
  }
}

/**
 * Runs one scenario: a fresh world from `makeWorld()`, each step in turn (a data table or doc
 * string is passed as the last argument), then every cleanup the steps registered on
 * `world.cleanups`, in reverse, whatever happened. Resolves to `{ id, ok, failedStep?, error? }`.
 */
export async function runScenario(scenario, registry, makeWorld) {
  const world = makeWorld(scenario);
  let failure;
  try {
    for (const step of scenario.steps) {
      try {
        const { step: definition, args } = registry.find(step.text);
        const argument = step.dataTable ?? step.docString;
        await definition.fn(world, ...args, ...(argument === undefined ? [] : [argument]));
      } catch (error) {
        failure = { failedStep: `${step.keyword} ${step.text}`, error };
        break;
      }
    }
  } finally {
    for (const cleanup of (world.cleanups ?? []).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        failure ??= { failedStep: '(cleanup)', error };
      }
    }
  }
  return failure ? { id: scenario.id, ok: false, ...failure } : { id: scenario.id, ok: true };
}
