import { type MatchingRule, type PathSegment, pathWeight, type RuleCategory } from '@covenant/core';
import type { ErrorObject } from 'ajv';

/**
 * Whether a pact's matching rules excuse a schema failure of its example. A pact's example stands
 * for the values its matchers allow, so a failure that belongs to the example alone is not an
 * incompatibility:
 * - an array under a type matcher (`eachLike`) stands for arrays of any length whose items are
 *   like the example's, so its length (`minItems`/`maxItems`) is not held against it;
 * - a string under a regex matcher stands for the strings the regex matches, so an `enum` or
 *   `const` it fails is excused when one of the spec's values matches the regex.
 * Rules that sit exactly on the failing value count; their items are still checked one by one.
 *
 * @example
 * // body {"tags": ["a"]} with "$.tags": eachLike, schema tags.minItems 2 → excused
 */
export function excusedByMatchers(error: ErrorObject, rules: RuleCategory | undefined): boolean {
  if (!rules || rules.size === 0) return false;
  const applying = rulesAt(rules, instanceSegments(error.instancePath));
  if (applying.length === 0) return false;
  if (error.keyword === 'minItems' || error.keyword === 'maxItems') {
    return applying.some((r) => r.match === 'type');
  }
  if (error.keyword === 'enum' || error.keyword === 'const') {
    const params = error.params as { allowedValues?: unknown[]; allowedValue?: unknown };
    const allowed = params.allowedValues ?? [params.allowedValue];
    return applying.some(
      (r) => r.match === 'regex' && allowed.some((v) => typeof v === 'string' && fullMatch(r.regex, v)),
    );
  }
  return false;
}

/** The rules whose path names exactly this location (the most specific when several do). */
function rulesAt(rules: RuleCategory, segments: PathSegment[]): MatchingRule[] {
  let best: MatchingRule[] = [];
  let bestScore = 0;
  for (const { path, list } of rules.values()) {
    if (path.tokens.length !== segments.length + 1) continue;
    const score = pathWeight(path.tokens, segments);
    if (score > bestScore) {
      bestScore = score;
      best = list.rules;
    }
  }
  return best;
}

function instanceSegments(instancePath: string): PathSegment[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function fullMatch(regex: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${regex})$`).test(value);
  } catch {
    return false;
  }
}
