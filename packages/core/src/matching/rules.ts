import {
  isIntegerNumber,
  isJsonNumber,
  isJsonObject,
  type JsonValue,
  jsonEquals,
  jsonKind,
  valueAsText,
} from '../json/value.js';
import type { MatchingRule, RuleList, StatusRange } from '../model/matching-rules.js';
import { compileWholeMatch } from '../regex/index.js';
import {
  type CompiledPattern,
  compileJavaPattern,
  DEFAULT_DATE_FORMAT,
  DEFAULT_DATETIME_FORMAT,
  DEFAULT_TIME_FORMAT,
  matchesJavaPattern,
} from '../time/index.js';
import { show, showTyped } from './describe.js';

/**
 * Where a value comes from. Bodies and metadata are typed JSON; query, header and path values are
 * always strings, so numeric and boolean matchers parse them instead of checking their JSON type.
 */
export type ValueOrigin = 'json' | 'string';

export interface RuleFailure {
  rule: MatchingRule;
  message: string;
  /** True when the rule itself is unusable (a regex JavaScript can't run), not the value. */
  invalid?: boolean;
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function sameType(expected: JsonValue, actual: JsonValue): boolean {
  const e = jsonKind(expected);
  const a = jsonKind(actual);
  if (e === a) return true;
  return (e === 'integer' || e === 'decimal') && (a === 'integer' || a === 'decimal');
}

function sizeOf(value: JsonValue): number | undefined {
  if (Array.isArray(value)) return value.length;
  if (isJsonObject(value)) return Object.keys(value).length;
  return undefined;
}

/**
 * Applies one rule to one value. Returns undefined when the value passes.
 * `cascaded` means the rule was inherited from a parent path, where size limits don't apply.
 */
export function applyRule(
  rule: MatchingRule,
  expected: JsonValue,
  actual: JsonValue,
  cascaded: boolean,
  origin: ValueOrigin = 'json',
): RuleFailure | undefined {
  const fail = (message: string): RuleFailure => ({ rule, message });
  switch (rule.match) {
    case 'equality':
      return jsonEquals(expected, actual)
        ? undefined
        : fail(`Expected ${showTyped(actual)} to be equal to ${showTyped(expected)}`);
    case 'regex': {
      if (Array.isArray(actual) || isJsonObject(actual)) return undefined;
      const compiled = compileWholeMatch(rule.regex);
      if (!compiled.ok) return { rule, message: compiled.error, invalid: true };
      const text = actual === null ? '' : valueAsText(actual);
      return compiled.regex.test(text)
        ? undefined
        : fail(`Expected ${show(actual)} to match '${rule.regex}'`);
    }
    case 'type': {
      if (origin === 'string' && typeof actual === 'string') return undefined;
      if (!sameType(expected, actual)) {
        return fail(`Expected ${showTyped(actual)} to be the same type as ${showTyped(expected)}`);
      }
      if (!cascaded) {
        const size = sizeOf(actual);
        if (size !== undefined && Array.isArray(actual)) {
          if (rule.min !== undefined && size < rule.min) {
            return fail(`Expected ${show(actual)} (size ${size}) to have minimum size of ${rule.min}`);
          }
          if (rule.max !== undefined && size > rule.max) {
            return fail(`Expected ${show(actual)} (size ${size}) to have maximum size of ${rule.max}`);
          }
        }
      }
      return undefined;
    }
    case 'include': {
      const text = actual === null ? '' : valueAsText(actual);
      return text.includes(rule.value)
        ? undefined
        : fail(`Expected ${show(actual)} to include '${rule.value}'`);
    }
    case 'number':
    case 'integer':
    case 'decimal':
      return numericRule(rule.match, actual, origin) ? undefined : fail(numericMessage(rule.match, actual));
    case 'null':
      return actual === null ? undefined : fail(`Expected ${showTyped(actual)} to be a null value`);
    case 'boolean':
      return typeof actual === 'boolean' || actual === 'true' || actual === 'false'
        ? undefined
        : fail(`Expected ${showTyped(actual)} to be a boolean value`);
    case 'date':
    case 'time':
    case 'datetime': {
      const format =
        rule.format ??
        (rule.match === 'date'
          ? DEFAULT_DATE_FORMAT
          : rule.match === 'time'
            ? DEFAULT_TIME_FORMAT
            : DEFAULT_DATETIME_FORMAT);
      if (typeof actual !== 'string')
        return fail(`Expected ${showTyped(actual)} to be a ${rule.match} string matching '${format}'`);
      const compiled = compiledPattern(format);
      if ('error' in compiled)
        return {
          rule,
          message: `'${format}' is not a valid date/time format: ${compiled.error}`,
          invalid: true,
        };
      const parsed = matchesJavaPattern(compiled, actual);
      return parsed.ok ? undefined : fail(parsed.reason);
    }
    case 'notEmpty': {
      const empty =
        actual === null ||
        actual === '' ||
        (Array.isArray(actual) && actual.length === 0) ||
        (isJsonObject(actual) && Object.keys(actual).length === 0);
      if (empty) return fail(`Expected ${showTyped(actual)} to not be empty`);
      // A non-empty value must still be a list where the example is a list (a map where a map):
      // a string is no stand-in for a list. Scalars only need to be present, as before.
      const container = Array.isArray(expected) || isJsonObject(expected);
      if (origin === 'json' && container && !sameType(expected, actual))
        return fail(
          `Type mismatch: Expected ${showTyped(actual)} to be the same type as ${showTyped(expected)}`,
        );
      return undefined;
    }
    case 'semver':
      return typeof actual === 'string' && SEMVER.test(actual)
        ? undefined
        : fail(`'${actual === null ? 'null' : valueAsText(actual)}' is not a valid semantic version`);
    case 'contentType':
      // content types are checked on whole bodies; on a JSON value only the declared type can be compared
      return undefined;
    case 'values':
    case 'eachKey':
    case 'eachValue':
    case 'arrayContains':
      // structural rules: handled where maps and lists are compared
      return undefined;
    case 'statusCode':
      return isJsonNumber(actual) && statusMatches(rule.status, Number(actual))
        ? undefined
        : fail(statusMessage(rule.status, actual));
    case 'unknown':
      return {
        rule,
        message: `Covenant has no '${rule.name}' matcher (is it from a plugin?)`,
        invalid: true,
      };
  }
}

// Rules are applied to every element of large bodies: compile each date/time format once.
const patternCache = new Map<string, CompiledPattern | { error: string }>();
function compiledPattern(format: string): CompiledPattern | { error: string } {
  let compiled = patternCache.get(format);
  if (!compiled) {
    if (patternCache.size > 500) patternCache.clear();
    compiled = compileJavaPattern(format);
    patternCache.set(format, compiled);
  }
  return compiled;
}

function numericRule(
  kind: 'number' | 'integer' | 'decimal',
  actual: JsonValue,
  origin: ValueOrigin,
): boolean {
  if (isJsonNumber(actual)) {
    if (kind === 'number') return true;
    return kind === 'integer' ? isIntegerNumber(actual) : !isIntegerNumber(actual);
  }
  if (origin === 'string' && typeof actual === 'string') {
    if (kind === 'integer') return /^-?\d+$/.test(actual);
    if (kind === 'decimal') return /^-?\d*\.\d+$|^-?\d+\.\d*$/.test(actual) || /^-?\d+$/.test(actual);
    return actual.trim() !== '' && Number.isFinite(Number(actual));
  }
  return false;
}

function numericMessage(kind: 'number' | 'integer' | 'decimal', actual: JsonValue): string {
  const what = kind === 'number' ? 'a number' : kind === 'integer' ? 'an integer number' : 'a decimal number';
  return `Expected ${showTyped(actual)} to be ${what}`;
}

const RANGE_LABELS: Record<StatusRange, string> = {
  info: 'an Informational response (100–199)',
  success: 'a Successful response (200–299)',
  redirect: 'a Redirect response (300–399)',
  clientError: 'a Client Error response (400–499)',
  serverError: 'a Server Error response (500–599)',
  nonError: 'a non-error response (< 400)',
  error: 'an error response (>= 400)',
};

/** Whether a status code is in a named range or list. */
export function statusMatches(status: StatusRange | number[], code: number): boolean {
  if (Array.isArray(status)) return status.includes(code);
  switch (status) {
    case 'info':
      return code >= 100 && code < 200;
    case 'success':
      return code >= 200 && code < 300;
    case 'redirect':
      return code >= 300 && code < 400;
    case 'clientError':
      return code >= 400 && code < 500;
    case 'serverError':
      return code >= 500 && code < 600;
    case 'nonError':
      return code < 400;
    case 'error':
      return code >= 400;
  }
}

function statusMessage(status: StatusRange | number[], actual: JsonValue): string {
  const label = Array.isArray(status) ? `one of ${status.join(', ')}` : RANGE_LABELS[status];
  return `Expected status code ${show(actual)} to be ${label}`;
}

/**
 * Applies a rule list (AND: every rule; OR: any rule) and returns the failures
 * (none when the value passes).
 */
export function applyRuleList(
  list: RuleList,
  expected: JsonValue,
  actual: JsonValue,
  cascaded: boolean,
  origin: ValueOrigin = 'json',
): RuleFailure[] {
  const failures: RuleFailure[] = [];
  for (const rule of list.rules) {
    const failure = applyRule(rule, expected, actual, cascaded, origin);
    if (!failure) {
      if (list.combine === 'OR') return [];
      continue;
    }
    failures.push(failure);
  }
  if (list.combine === 'OR' && failures.length < list.rules.length) return [];
  return failures;
}
