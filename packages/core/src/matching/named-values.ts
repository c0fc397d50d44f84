import type { RuleCategory, RuleList } from '../model/matching-rules.js';
import { formatPath } from '../model/path.js';
import type { Query } from '../model/types.js';
import type { Mismatch } from './mismatch.js';
import { applyRuleList } from './rules.js';
import { rulesForName, selectRules } from './select.js';

export interface NamedValuesOptions {
  category: 'query' | 'body';
  allowUnexpected: boolean;
  /** Form bodies key their rules by body path (`$.name`); query rules are keyed by name. */
  asPath: boolean;
}

/**
 * Compares name → value-list maps (query strings, form bodies): every expected name must be
 * present; with a rule each actual value is held to it, without one the values must be equal and in order.
 */
export function compareNamedValues(
  expected: Query,
  actual: Query,
  rules: RuleCategory | undefined,
  options: NamedValuesOptions,
): Mismatch[] {
  const out: Mismatch[] = [];
  const label = options.category === 'query' ? 'query parameter' : 'form field';
  const code = (kind: 'MISSING' | 'UNEXPECTED' | 'MISMATCH'): Mismatch['code'] =>
    options.category === 'query' ? `QUERY_${kind}` : kind === 'MISMATCH' ? 'VALUE_MISMATCH' : `KEY_${kind}`;
  const where = (name: string, index?: number) =>
    options.asPath ? formatPath(index === undefined ? [name] : [name, index]) : name;
  const ruleFor = (name: string, index: number): { list: RuleList; cascaded: boolean } | undefined => {
    if (options.asPath) {
      const selected = selectRules(rules, [name, index]);
      return selected ? { list: selected.list, cascaded: false } : undefined;
    }
    const list = rulesForName(rules, name) ?? rulesForName(rules, `${name}[${index}]`);
    return list ? { list, cascaded: false } : undefined;
  };

  for (const [name, expectedValues] of Object.entries(expected)) {
    const actualValues = actual[name];
    if (actualValues === undefined) {
      out.push({
        category: options.category,
        code: code('MISSING'),
        path: where(name),
        expected: expectedValues,
        message: `Expected ${label} '${name}' but was missing`,
      });
      continue;
    }
    const hasRule = ruleFor(name, 0) !== undefined;
    if (!hasRule && expectedValues.length !== actualValues.length) {
      out.push({
        category: options.category,
        code: code('MISMATCH'),
        path: where(name),
        expected: expectedValues,
        actual: actualValues,
        message: `Expected ${label} '${name}' with ${expectedValues.length} value(s) [${expectedValues.join(', ')}] but received ${actualValues.length} value(s) [${actualValues.join(', ')}]`,
      });
    }
    actualValues.forEach((value, i) => {
      const example = expectedValues[i] ?? expectedValues[0];
      if (example === undefined) return;
      const rule = ruleFor(name, i);
      if (rule) {
        for (const failure of applyRuleList(rule.list, example, value, rule.cascaded, 'string')) {
          out.push({
            category: options.category,
            code: failure.invalid ? 'RULE_INVALID' : 'RULE_FAILED',
            path: where(name, i),
            expected: example,
            actual: value,
            rule: failure.rule,
            message: `${failure.message} for ${label} '${name}'`,
          });
        }
      } else if (i < expectedValues.length && example !== value) {
        out.push({
          category: options.category,
          code: code('MISMATCH'),
          path: where(name, i),
          expected: example,
          actual: value,
          message: `Expected '${example}' but received '${value}' for ${label} '${name}'`,
        });
      }
    });
  }
  if (!options.allowUnexpected) {
    for (const [name, values] of Object.entries(actual)) {
      if (Object.hasOwn(expected, name)) continue;
      out.push({
        category: options.category,
        code: code('UNEXPECTED'),
        path: where(name),
        actual: values,
        message: `Unexpected ${label} '${name}' received`,
      });
    }
  }
  return out;
}
