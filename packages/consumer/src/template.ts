import {
  type Generator,
  isJsonNumber,
  type JsonObject,
  type JsonValue,
  type MatchingRule,
  ruleToJson,
} from '@covenant/core';
import { consumerError } from './errors.js';
import { exampleOf, isMatcher, type Matcher } from './matchers.js';

/** A template turned into pact-file parts: the example, and rules and generators keyed by path. */
export interface CompiledTemplate {
  example: JsonValue;
  /** Rules in pact-file form, keyed by path expression (`$.items[*].id`). */
  rules: JsonObject;
  generators: Record<string, Generator>;
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}['${key.replace(/'/g, "\\'")}']`;
}

function addRules(
  out: CompiledTemplate,
  path: string,
  matcher: Matcher<unknown>,
  rules: readonly MatchingRule[],
): void {
  if (rules.length === 0) return;
  out.rules[path] = { combine: matcher.combine, matchers: rules.map(ruleToJson) };
}

/**
 * Compiles a template (values and matchers, nested at will) rooted at `root` (`$` for bodies).
 * Throws COV_CONSUMER_BODY_INVALID for values JSON can't carry.
 *
 * @example compileTemplate({ id: integer(1) }).rules // { '$.id': { combine: 'AND', matchers: [{ match: 'integer' }] } }
 */
export function compileTemplate(template: unknown, root = '$'): CompiledTemplate {
  const out: CompiledTemplate = { example: null, rules: {}, generators: {} };
  const seen = new Set<object>();
  out.example = walk(template, root);
  return out;

  function walk(value: unknown, path: string): JsonValue {
    if (isMatcher(value)) return walkMatcher(value, path);
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) fail(path, `${value} is not a JSON number`);
      return value;
    }
    if (isJsonNumber(value)) return value;
    if (Array.isArray(value)) {
      if (seen.has(value)) fail(path, 'the value contains a cycle');
      seen.add(value);
      const items = value.map((v, i) => walk(v, `${path}[${i}]`));
      seen.delete(value);
      return items;
    }
    if (typeof value === 'object' && value.constructor !== Object && Object.getPrototypeOf(value) !== null) {
      if (value instanceof Date)
        fail(path, 'a Date is not JSON; use datetime(format, example) or an ISO string');
      fail(path, `a ${value.constructor?.name ?? 'non-plain'} object is not JSON`);
    }
    if (typeof value === 'object') {
      if (seen.has(value)) fail(path, 'the value contains a cycle');
      seen.add(value);
      const obj: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue;
        obj[k] = walk(v, childPath(path, k));
      }
      seen.delete(value);
      return obj;
    }
    return fail(path, value === undefined ? 'undefined is not JSON' : `a ${typeof value} is not JSON`);
  }

  function walkMatcher(matcher: Matcher<unknown>, path: string): JsonValue {
    if (matcher.generator) out.generators[path] = matcher.generator;
    const arrayContains = matcher.rules.find((r) => r.match === 'arrayContains');
    if (arrayContains) {
      const variants = (matcher.template as unknown[]).map((variant, index) => {
        const compiled = compileTemplate(variant);
        return { index, rules: compiled.rules, generators: compiled.generators, example: compiled.example };
      });
      out.rules[path] = {
        combine: 'AND',
        matchers: [
          {
            match: 'arrayContains',
            variants: variants.map((v) => ({
              index: v.index,
              rules: v.rules,
              ...(Object.keys(v.generators).length > 0
                ? { generators: v.generators as unknown as JsonObject }
                : {}),
            })),
          },
        ],
      };
      return variants.map((v) => v.example);
    }
    addRules(out, path, matcher, matcher.rules);
    if (matcher.each) {
      const count = matcher.each.count;
      const first = walk(matcher.each.template, `${path}[*]`);
      return Array.from({ length: count }, () => first);
    }
    if (matcher.template instanceof Uint8Array) return exampleOf(matcher.template);
    return walk(matcher.template, path);
  }

  function fail(path: string, why: string): never {
    throw consumerError('COV_CONSUMER_BODY_INVALID', `the body at ${path} cannot be serialised: ${why}`, {
      path,
      why,
    });
  }
}

/** The rule list (pact-file form) a single matcher puts on the value it stands for. */
export function ruleListOf(matcher: Matcher<unknown>): JsonObject {
  return { combine: matcher.combine, matchers: matcher.rules.map(ruleToJson) };
}
