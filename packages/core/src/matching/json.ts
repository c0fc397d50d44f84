import {
  isJsonObject,
  type JsonObject,
  type JsonValue,
  jsonEquals,
  jsonKind,
  jsonTypeName,
} from '../json/value.js';
import type { MatchingRule, RuleCategory } from '../model/matching-rules.js';
import { formatPath, type PathSegment } from '../model/path.js';
import { show, showTyped } from './describe.js';
import type { Mismatch, MismatchCategory } from './mismatch.js';
import { applyRule, applyRuleList, type RuleFailure } from './rules.js';
import { type SelectedRules, selectRules } from './select.js';

/** How a JSON comparison treats keys the expectation doesn't mention. */
export interface JsonCompareOptions {
  /** Requests are strict (false); responses and messages allow extra keys (true). */
  allowUnexpectedKeys: boolean;
  /** The category mismatches are reported under. */
  category: MismatchCategory;
}

/**
 * Compares an expected JSON value (with its rules) against an actual one, collecting every mismatch.
 * Cost is linear in the size of the actual value (times the number of rules).
 */
export function compareJson(
  expected: JsonValue,
  actual: JsonValue,
  rules: RuleCategory | undefined,
  options: JsonCompareOptions,
  root: PathSegment[] = [],
): Mismatch[] {
  const mismatches: Mismatch[] = [];
  new JsonComparison(rules, options, mismatches, [...root]).compare(expected, actual);
  return mismatches;
}

class JsonComparison {
  constructor(
    private readonly rules: RuleCategory | undefined,
    private readonly options: JsonCompareOptions,
    private readonly out: Mismatch[],
    /** The current location, pushed and popped as the walk descends (no per-node copies). */
    private readonly path: PathSegment[],
  ) {}

  private child(segment: PathSegment, expected: JsonValue, actual: JsonValue): void {
    this.path.push(segment);
    this.compare(expected, actual);
    this.path.pop();
  }

  compare(expected: JsonValue, actual: JsonValue): void {
    const path = this.path;
    if (isJsonObject(expected) && isJsonObject(actual)) {
      this.compareMaps(expected, actual);
      return;
    }
    if (Array.isArray(expected) && Array.isArray(actual)) {
      this.compareLists(expected, actual);
      return;
    }
    const selected = selectRules(this.rules, path);
    if (selected) {
      this.applyRules(path, selected, expected, actual);
      return;
    }
    if (!jsonEquals(expected, actual)) {
      const sameKind = jsonKind(expected) === jsonKind(actual);
      this.report(
        path,
        sameKind ? 'VALUE_MISMATCH' : 'TYPE_MISMATCH',
        expected,
        actual,
        sameKind ||
          (expected !== null && actual !== null && typeof expected !== 'object' && typeof actual !== 'object')
          ? `Expected ${showTyped(expected)} but received ${showTyped(actual)}`
          : `Type mismatch: Expected ${jsonTypeName(expected)} ${show(expected)} but received ${jsonTypeName(actual)} ${show(actual)}`,
      );
    }
  }

  private applyRules(
    path: PathSegment[],
    selected: SelectedRules,
    expected: JsonValue,
    actual: JsonValue,
  ): void {
    const failures = applyRuleList(selected.list, expected, actual, selected.cascaded);
    for (const failure of failures) this.reportRule(path, failure, expected, actual);
  }

  private compareMaps(expected: JsonObject, actual: JsonObject): void {
    const path = this.path;
    const selected = selectRules(this.rules, path);
    if (selected) {
      const exact = !selected.cascaded;
      const structural = exact ? selected.list.rules.filter(isMapStructural) : [];
      const plain = selected.list.rules.filter((r) => !isMapStructural(r));
      if (plain.length > 0) {
        const failures = applyRuleList(
          { combine: selected.list.combine, rules: plain },
          expected,
          actual,
          selected.cascaded,
        );
        for (const failure of failures) this.reportRule(path, failure, expected, actual);
      }
      if (structural.length > 0) {
        this.compareMapValues(expected, actual, structural);
        return;
      }
    }
    const expectedKeys = Object.keys(expected);
    const actualKeys = Object.keys(actual);
    if (
      expectedKeys.length === 0 &&
      actualKeys.length > 0 &&
      !this.options.allowUnexpectedKeys &&
      !selected
    ) {
      this.report(
        path,
        'KEY_UNEXPECTED',
        expected,
        actual,
        `Expected an empty Map but received ${show(actual)}`,
      );
      return;
    }
    const missing = expectedKeys.filter((k) => !Object.hasOwn(actual, k));
    const unexpected = this.options.allowUnexpectedKeys
      ? []
      : actualKeys.filter((k) => !Object.hasOwn(expected, k));
    if (missing.length > 0 || unexpected.length > 0) {
      const code = missing.length > 0 ? 'KEY_MISSING' : 'KEY_UNEXPECTED';
      const message = this.options.allowUnexpectedKeys
        ? `Actual map is missing the following keys: ${missing.join(', ')}`
        : `Expected a Map with keys [${expectedKeys.join(', ')}] but received one with keys [${actualKeys.join(', ')}]`;
      this.report(path, code, expected, actual, message);
    }
    for (const key of expectedKeys) {
      if (Object.hasOwn(actual, key)) this.child(key, expected[key]!, actual[key]!);
    }
  }

  /** `values`, `eachKey`, `eachValue`: keys are free, every actual value is held to the example. */
  private compareMapValues(expected: JsonObject, actual: JsonObject, rules: MatchingRule[]): void {
    const path = this.path;
    const example = Object.values(expected)[0];
    for (const rule of rules) {
      if (rule.match === 'eachKey') {
        for (const key of Object.keys(actual)) {
          for (const keyRule of rule.rules) {
            const failure = applyRule(keyRule, key, key, false);
            if (failure) this.reportRule([...path, key], failure, key, key);
          }
        }
      } else if (rule.match === 'eachValue') {
        for (const [key, value] of Object.entries(actual)) {
          const ex = (expected[key] ?? example ?? rule.value ?? null) as JsonValue;
          for (const valueRule of rule.rules) {
            const failure = applyRule(valueRule, ex, value, false);
            if (failure) this.reportRule([...path, key], failure, ex, value);
          }
          if (isJsonObject(value) || Array.isArray(value)) this.child(key, ex, value);
        }
      }
    }
    // `values` holds every value to the example (as the official verifier does); `eachKey` alone
    // constrains keys only, and `eachValue` has checked the values above
    if (!rules.some((r) => r.match === 'eachValue') && rules.some((r) => r.match === 'values')) {
      for (const [key, value] of Object.entries(actual)) {
        const ex = expected[key] ?? example;
        if (ex !== undefined) this.child(key, ex, value);
      }
    }
  }

  private compareLists(expected: JsonValue[], actual: JsonValue[]): void {
    const path = this.path;
    const selected = selectRules(this.rules, path);
    if (!selected || selected.list.rules.every((r) => r.match === 'equality')) {
      if (selected) {
        this.applyRules(path, selected, expected, actual);
        return;
      }
      if (expected.length === 0 && actual.length > 0) {
        this.report(
          path,
          'LENGTH_MISMATCH',
          expected,
          actual,
          `Expected an empty List but received ${show(actual)}`,
        );
        return;
      }
      if (expected.length !== actual.length) {
        this.report(
          path,
          'LENGTH_MISMATCH',
          expected,
          actual,
          `Expected a List with ${expected.length} elements but received ${actual.length} elements`,
        );
      }
      const n = Math.min(expected.length, actual.length);
      for (let i = 0; i < n; i++) this.child(i, expected[i]!, actual[i]!);
      return;
    }
    const arrayContains = selected.cascaded
      ? []
      : selected.list.rules.filter((r) => r.match === 'arrayContains');
    const others = selected.list.rules.filter((r) => r.match !== 'arrayContains');
    if (others.length > 0) {
      const failures = applyRuleList(
        { combine: selected.list.combine, rules: others },
        expected,
        actual,
        selected.cascaded,
      );
      for (const failure of failures) this.reportRule(path, failure, expected, actual);
    }
    for (const rule of arrayContains)
      if (rule.match === 'arrayContains') this.arrayContains(path, rule, expected, actual);
    if (arrayContains.length > 0) return;
    if (others.some((r) => r.match === 'eachValue') && !selected.cascaded) {
      const eachValue = others.find((r) => r.match === 'eachValue');
      if (eachValue?.match === 'eachValue') {
        actual.forEach((value, i) => {
          const ex = expected[i] ?? expected[0] ?? eachValue.value ?? null;
          for (const valueRule of eachValue.rules) {
            const failure = applyRule(valueRule, ex, value, false);
            if (failure) this.reportRule([...path, i], failure, ex, value);
          }
          if (isJsonObject(value) || Array.isArray(value)) this.child(i, ex, value);
        });
        return;
      }
    }
    // each-like: every actual element is held to the example at its index, or the first one
    if (expected.length === 0) return;
    for (let i = 0; i < actual.length; i++) this.child(i, expected[i] ?? expected[0]!, actual[i]!);
  }

  private arrayContains(
    path: PathSegment[],
    rule: Extract<MatchingRule, { match: 'arrayContains' }>,
    expected: JsonValue[],
    actual: JsonValue[],
  ): void {
    for (const variant of rule.variants) {
      const example = expected[variant.index];
      if (example === undefined) continue;
      const found = actual.some(
        (item) =>
          compareJson(example, item, variant.rules, { ...this.options, allowUnexpectedKeys: true }).length ===
          0,
      );
      if (!found) {
        this.report(
          path,
          'RULE_FAILED',
          example,
          actual,
          `Variant at index ${variant.index} (${show(example)}) was not found in the actual list`,
          rule,
        );
      }
    }
  }

  private reportRule(
    path: PathSegment[],
    failure: RuleFailure,
    expected: JsonValue,
    actual: JsonValue,
  ): void {
    this.report(
      path,
      failure.invalid ? 'RULE_INVALID' : 'RULE_FAILED',
      expected,
      actual,
      failure.message,
      failure.rule,
    );
  }

  private report(
    path: PathSegment[],
    code: Mismatch['code'],
    expected: JsonValue,
    actual: JsonValue,
    message: string,
    rule?: MatchingRule,
  ): void {
    const mismatch: Mismatch = {
      category: this.options.category,
      code,
      path: formatPath(path),
      expected,
      actual,
      message,
    };
    if (rule) mismatch.rule = rule;
    this.out.push(mismatch);
  }
}

function isMapStructural(rule: MatchingRule): boolean {
  return rule.match === 'values' || rule.match === 'eachKey' || rule.match === 'eachValue';
}
