import type { RuleCategory, RuleList } from '../model/matching-rules.js';
import { type PathSegment, pathWeight } from '../model/path.js';

const STRUCTURAL = new Set(['values', 'eachKey', 'eachValue', 'arrayContains']);

/** The rules that apply at a location, and whether they were inherited from a parent path. */
export interface SelectedRules {
  list: RuleList;
  /** True when the rule's path is shorter than the location: it cascades from a parent. */
  cascaded: boolean;
  expression: string;
}

/**
 * Picks the most specific rule list for a body or metadata location: the highest
 * weight × token count among rule paths that apply (pact-reference's weighting).
 */
export function selectRules(
  category: RuleCategory | undefined,
  segments: readonly PathSegment[],
): SelectedRules | undefined {
  if (!category || category.size === 0) return undefined;
  let best: SelectedRules | undefined;
  let bestScore = 0;
  for (const { path, list } of category.values()) {
    const weight = pathWeight(path.tokens, segments);
    if (weight === 0) continue;
    const score = weight * path.tokens.length;
    if (score > bestScore) {
      bestScore = score;
      best = { list, cascaded: path.tokens.length < segments.length + 1, expression: path.expression };
    }
  }
  if (best?.cascaded) {
    // values/eachKey/eachValue/arrayContains shape the container they sit on; they don't cascade
    const rules = best.list.rules.filter((r) => !STRUCTURAL.has(r.match));
    if (rules.length === 0) return undefined;
    if (rules.length < best.list.rules.length) best = { ...best, list: { ...best.list, rules } };
  }
  return best;
}

/** Whether any rule sits exactly on this location or below it (so structure must be compared leniently). */
export function hasRuleAtOrBelow(
  category: RuleCategory | undefined,
  segments: readonly PathSegment[],
): boolean {
  if (!category) return false;
  for (const { path } of category.values()) {
    if (
      path.tokens.length > segments.length &&
      pathWeight(path.tokens.slice(0, segments.length + 1), segments) > 0
    )
      return true;
  }
  return false;
}

/** Rules for a named item (header, query parameter, metadata key): `$.name` or the bare name, case as given. */
export function rulesForName(
  category: RuleCategory | undefined,
  name: string,
  ignoreCase = false,
): RuleList | undefined {
  if (!category) return undefined;
  const wanted = ignoreCase ? name.toLowerCase() : name;
  for (const [key, { path, list }] of category) {
    const first = path.tokens[1];
    const ruleName = path.tokens.length === 2 && first?.kind === 'field' ? first.name : key;
    if ((ignoreCase ? ruleName.toLowerCase() : ruleName) === wanted || key === name) return list;
  }
  return undefined;
}
