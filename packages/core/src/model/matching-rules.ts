import type { JsonObject, JsonValue } from '../json/value.js';
import { isJsonObject } from '../json/value.js';
import { CATEGORY_BY_KEY } from './categories.js';
import { type PathToken, parsePath } from './path.js';

/** Status ranges a `statusCode` rule can name instead of a list of codes. */
export type StatusRange =
  | 'info'
  | 'success'
  | 'redirect'
  | 'clientError'
  | 'serverError'
  | 'nonError'
  | 'error';

/** One matching rule, as pact files write it (`{"match": "type", "min": 1}`), with its aliases normalised. */
export type MatchingRule =
  | { match: 'equality' }
  | { match: 'regex'; regex: string }
  | { match: 'type'; min?: number; max?: number }
  | { match: 'include'; value: string }
  | { match: 'number' | 'integer' | 'decimal' | 'null' | 'boolean' | 'notEmpty' | 'semver' | 'values' }
  | { match: 'date' | 'time' | 'datetime'; format?: string }
  | { match: 'contentType'; value: string }
  | { match: 'arrayContains'; variants: ArrayContainsVariant[] }
  | { match: 'statusCode'; status: StatusRange | number[] }
  | { match: 'eachKey' | 'eachValue'; rules: MatchingRule[]; value?: JsonValue }
  | { match: 'unknown'; name: string; config: JsonObject };

export interface ArrayContainsVariant {
  index: number;
  rules: RuleCategory;
  generators: JsonObject | undefined;
}

/** The rules of one path, combined with AND (all must pass, the default) or OR (any may pass). */
export interface RuleList {
  combine: 'AND' | 'OR';
  rules: MatchingRule[];
}

/** A path expression with its parsed tokens, e.g. `$.items[*].id`. */
export interface RulePath {
  expression: string;
  tokens: PathToken[];
}

/** Rules of one category: path expression (or header/query name) to rule list. */
export type RuleCategory = Map<string, { path: RulePath; list: RuleList }>;

export type RuleCategoryName = 'method' | 'path' | 'header' | 'query' | 'body' | 'status' | 'metadata';

/** All matching rules of one request, response or message, by category. */
export type MatchingRules = Partial<Record<RuleCategoryName, RuleCategory>>;

export class MatchingRuleError extends Error {}

const ALIASES: Record<string, string> = {
  'min-type': 'type',
  'max-type': 'type',
  min: 'type',
  max: 'type',
  real: 'decimal',
  timestamp: 'datetime',
  'content-type': 'contentType',
  'array-contains': 'arrayContains',
  'status-code': 'statusCode',
  'not-empty': 'notEmpty',
  'each-key': 'eachKey',
  'each-value': 'eachValue',
};

function numberField(json: JsonObject, key: string): number | undefined {
  const v = json[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' ? Number(v) : Number(v);
  if (!Number.isFinite(n)) throw new MatchingRuleError(`"${key}" must be a number, got ${JSON.stringify(v)}`);
  return n;
}

function stringField(json: JsonObject, key: string, name: string): string {
  const v = json[key];
  if (typeof v !== 'string') throw new MatchingRuleError(`a '${name}' rule needs a string "${key}"`);
  return v;
}

/**
 * Reads one rule from its pact-file JSON, accepting every alias and the legacy form without `match`
 * (`{"min": 1}`, `{"regex": "..."}`, `{"timestamp": "..."}`).
 */
export function ruleFromJson(json: JsonObject): MatchingRule {
  let name = typeof json.match === 'string' ? json.match : undefined;
  if (name === undefined) {
    if ('regex' in json) name = 'regex';
    else if ('min' in json || 'max' in json) name = 'type';
    else if ('timestamp' in json) return { match: 'datetime', format: String(json.timestamp) };
    else if ('date' in json) return { match: 'date', format: String(json.date) };
    else if ('time' in json) return { match: 'time', format: String(json.time) };
    else throw new MatchingRuleError(`a rule needs a "match" property, got ${JSON.stringify(json)}`);
  }
  name = ALIASES[name] ?? name;
  switch (name) {
    case 'equality':
    case 'number':
    case 'integer':
    case 'decimal':
    case 'null':
    case 'boolean':
    case 'notEmpty':
    case 'semver':
    case 'values':
      return { match: name };
    case 'regex':
      return { match: 'regex', regex: stringField(json, 'regex', 'regex') };
    case 'type': {
      const rule: { match: 'type'; min?: number; max?: number } = { match: 'type' };
      const min = numberField(json, 'min');
      const max = numberField(json, 'max');
      if (min !== undefined) rule.min = min;
      if (max !== undefined) rule.max = max;
      return rule;
    }
    case 'include':
      return { match: 'include', value: String(json.value ?? '') };
    case 'date':
    case 'time':
    case 'datetime': {
      const format = json.format ?? json[name] ?? json.timestamp;
      return typeof format === 'string' ? { match: name, format } : { match: name };
    }
    case 'contentType':
      return { match: 'contentType', value: stringField(json, 'value', 'contentType') };
    case 'arrayContains': {
      const variants = json.variants;
      if (!Array.isArray(variants))
        throw new MatchingRuleError(`an 'arrayContains' rule needs a "variants" array`);
      return {
        match: 'arrayContains',
        variants: variants.map((variant, i) => {
          if (!isJsonObject(variant))
            throw new MatchingRuleError(`arrayContains variant ${i} must be an object`);
          const rules = isJsonObject(variant.rules) ? categoryFromJson(variant.rules, 'body') : new Map();
          return {
            index: numberField(variant, 'index') ?? i,
            rules,
            generators: isJsonObject(variant.generators) ? variant.generators : undefined,
          };
        }),
      };
    }
    case 'statusCode': {
      const status = json.status;
      if (Array.isArray(status)) return { match: 'statusCode', status: status.map((s) => Number(s)) };
      if (typeof status === 'string' && STATUS_RANGES.includes(status as StatusRange))
        return { match: 'statusCode', status: status as StatusRange };
      throw new MatchingRuleError(
        `a 'statusCode' rule needs "status" to be one of ${STATUS_RANGES.join(', ')} or a list of codes`,
      );
    }
    case 'eachKey':
    case 'eachValue': {
      const rules = Array.isArray(json.rules)
        ? json.rules.map((r) => {
            if (!isJsonObject(r)) throw new MatchingRuleError(`'${name}' rules must be objects`);
            return ruleFromJson(r);
          })
        : [];
      const rule: { match: 'eachKey' | 'eachValue'; rules: MatchingRule[]; value?: JsonValue } = {
        match: name,
        rules,
      };
      if (json.value !== undefined) rule.value = json.value;
      return rule;
    }
    default:
      return { match: 'unknown', name, config: json };
  }
}

export const STATUS_RANGES: readonly StatusRange[] = [
  'info',
  'success',
  'redirect',
  'clientError',
  'serverError',
  'nonError',
  'error',
];

/** Writes one rule in pact-file form. `legacyType` writes `min`/`max` rules the V2 way. */
export function ruleToJson(rule: MatchingRule): JsonObject {
  switch (rule.match) {
    case 'type': {
      const out: JsonObject = { match: 'type' };
      if (rule.min !== undefined) out.min = rule.min;
      if (rule.max !== undefined) out.max = rule.max;
      return out;
    }
    case 'date':
    case 'time':
    case 'datetime': {
      const out: JsonObject = { match: rule.match };
      if (rule.format !== undefined) out.format = rule.format;
      return out;
    }
    case 'arrayContains':
      return {
        match: 'arrayContains',
        variants: rule.variants.map((v) => {
          const out: JsonObject = { index: v.index, rules: categoryToJson(v.rules, 'body') as JsonObject };
          if (v.generators) out.generators = v.generators;
          return out;
        }),
      };
    case 'statusCode':
      return { match: 'statusCode', status: Array.isArray(rule.status) ? [...rule.status] : rule.status };
    case 'eachKey':
    case 'eachValue': {
      const out: JsonObject = { match: rule.match, rules: rule.rules.map(ruleToJson) };
      if (rule.value !== undefined) out.value = rule.value;
      return out;
    }
    case 'unknown':
      return { ...rule.config, match: rule.name };
    default:
      return { ...rule } as JsonObject;
  }
}

function makePath(expression: string): RulePath {
  const parsed = parsePath(expression);
  if (!parsed.ok) throw new MatchingRuleError(parsed.error);
  return { expression, tokens: parsed.tokens };
}

function ruleListFromJson(json: JsonValue, where: string): RuleList {
  if (!isJsonObject(json)) throw new MatchingRuleError(`rules at ${where} must be an object`);
  if (Array.isArray(json.matchers)) {
    const combine = json.combine === 'OR' ? 'OR' : 'AND';
    return {
      combine,
      rules: json.matchers.map((m) => {
        if (!isJsonObject(m)) throw new MatchingRuleError(`a matcher at ${where} must be an object`);
        return ruleFromJson(m);
      }),
    };
  }
  return { combine: 'AND', rules: [ruleFromJson(json)] };
}

function categoryFromJson(json: JsonObject, category: RuleCategoryName): RuleCategory {
  const result: RuleCategory = new Map();
  for (const [key, value] of Object.entries(json)) {
    const expression = category === 'header' || category === 'query' || category === 'metadata' ? key : key;
    result.set(key, { path: makePath(expression), list: ruleListFromJson(value, `${category} ${key}`) });
  }
  return result;
}

const CATEGORY_NAMES: Readonly<Record<string, RuleCategoryName>> = {
  ...CATEGORY_BY_KEY,
  metaData: 'metadata',
};

function singleList(category: RuleCategory | undefined, list: RuleList): RuleCategory {
  const out = category ?? new Map();
  out.set('', { path: makePath('$'), list });
  return out;
}

/**
 * Reads the `matchingRules` of a request, response or message. V2 files key rules by
 * `$.body…`, `$.headers.X`, `$.query.x`, `$.path`; V3/V4 files group them by category.
 * Throws {@link MatchingRuleError} with what was wrong.
 */
export function matchingRulesFromJson(json: JsonValue | undefined): MatchingRules {
  const rules: MatchingRules = {};
  if (json === undefined || json === null) return rules;
  if (!isJsonObject(json)) throw new MatchingRuleError('matchingRules must be an object');
  const keys = Object.keys(json);
  if (keys.length > 0 && keys[0]!.startsWith('$')) {
    for (const key of keys) {
      const list = ruleListFromJson(json[key]!, key);
      const match = /^\$\.([^.[]+)(.*)$/.exec(key);
      const catName = match ? CATEGORY_NAMES[match[1]!] : undefined;
      if (!match || !catName) throw new MatchingRuleError(`unknown matching rule path '${key}'`);
      const rest = match[2]!;
      if (catName === 'path' || catName === 'status' || catName === 'method') {
        rules[catName] = singleList(rules[catName], list);
      } else if (catName === 'body') {
        const expression = `$${rest}`;
        (rules.body ??= new Map()).set(expression, { path: makePath(expression), list });
      } else {
        const name = rest.replace(/^\./, '').replace(/^\['(.*)'\]$/, '$1');
        const category = (rules[catName] ??= new Map());
        category.set(name, { path: makePath(name), list });
      }
    }
    return rules;
  }
  for (const key of keys) {
    const catName = CATEGORY_NAMES[key] ?? 'body';
    const value = json[key]!;
    if (catName === 'path' || catName === 'status' || catName === 'method') {
      if (isJsonObject(value) && Object.keys(value).length === 0) continue;
      // some writers (pact-js) key these by path too: {"status": {"$": {"matchers": [...]}}}
      const keyed =
        isJsonObject(value) &&
        !('matchers' in value) &&
        !('match' in value) &&
        Object.keys(value).every((k) => k.startsWith('$') || k === '');
      const list = keyed ? Object.values(value as JsonObject)[0]! : value;
      rules[catName] = singleList(rules[catName], ruleListFromJson(list, key));
      continue;
    }
    if (!isJsonObject(value)) throw new MatchingRuleError(`matchingRules.${key} must be an object`);
    const category = categoryFromJson(value, catName);
    const existing = rules[catName];
    if (existing) for (const [k, v] of category) existing.set(k, v);
    else rules[catName] = category;
  }
  return rules;
}

function listToJson(list: RuleList): JsonObject {
  return { combine: list.combine, matchers: list.rules.map(ruleToJson) };
}

function categoryToJson(category: RuleCategory, name: RuleCategoryName): JsonValue {
  if (name === 'path' || name === 'status' || name === 'method') {
    const only = category.get('');
    return only ? listToJson(only.list) : {};
  }
  const out: JsonObject = {};
  for (const [key, { list }] of category) out[key] = listToJson(list);
  return out;
}

/**
 * Writes rules in pact-file form: V3/V4 categorised (`bodyCategory` names the body's
 * category, `content` for V4 messages), V2 flat with the first rule of each path only.
 */
export function matchingRulesToJson(
  rules: MatchingRules,
  format: 'v2' | 'v3',
  bodyCategory: 'body' | 'content' = 'body',
): JsonObject | undefined {
  const out: JsonObject = {};
  for (const name of Object.keys(rules) as RuleCategoryName[]) {
    const category = rules[name];
    if (!category || category.size === 0) continue;
    if (format === 'v3') {
      out[name === 'body' ? bodyCategory : name] = categoryToJson(category, name);
      continue;
    }
    for (const [key, { list }] of category) {
      const first = list.rules[0];
      if (!first) continue;
      const json = ruleToJson(first);
      let path: string;
      if (name === 'body') path = `$.body${key.replace(/^\$/, '')}`;
      else if (name === 'path' || name === 'status' || name === 'method') path = `$.${name}`;
      else path = `$.${name === 'header' ? 'headers' : name}.${key}`;
      out[path] = json;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** True when there are no rules at all. */
export function hasNoRules(rules: MatchingRules): boolean {
  return Object.values(rules).every((c) => !c || c.size === 0);
}
