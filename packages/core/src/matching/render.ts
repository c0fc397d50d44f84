import { type JsonValue, stringifyJson } from '../json/value.js';
import { type MatchingRule, ruleToJson } from '../model/matching-rules.js';
import type { Mismatch } from './mismatch.js';

export interface RenderOptions {
  /** ANSI colours (red for actual, green for expected). Default: false. */
  color?: boolean;
  /** Indentation put before every line. */
  indent?: string;
}

const paint = (on: boolean, code: number, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

function showValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const text = stringifyJson(value as JsonValue);
    return text.length > 200 ? `${text.slice(0, 197)}...` : text;
  } catch {
    return String(value);
  }
}

/** The rule that failed as the pact file writes it: `type {"min":1}`, `integer`. */
function ruleAsWritten(m: Mismatch): string | undefined {
  if (!m.rule) return undefined;
  const json = ruleToJson(m.rule);
  const { match, ...options } = json;
  const extra = Object.keys(options).length > 0 ? ` ${stringifyJson(options)}` : '';
  return `${String(match)}${extra}`;
}

/**
 * A matching rule in words, for people reading a pact (the broker's pact page).
 *
 * @example describeRule({ match: 'type', min: 1 }) // 'same type as the example (at least 1 items)'
 * @example describeRule({ match: 'regex', regex: '\\d+' }) // 'matches the regular expression /\\d+/'
 */
export function describeRule(rule: MatchingRule): string {
  switch (rule.match) {
    case 'equality':
      return 'equal to the example';
    case 'regex':
      return `matches the regular expression /${rule.regex}/`;
    case 'type': {
      const bounds = [
        rule.min !== undefined ? `at least ${rule.min}` : '',
        rule.max !== undefined ? `at most ${rule.max}` : '',
      ].filter(Boolean);
      return `same type as the example${bounds.length ? ` (${bounds.join(', ')} items)` : ''}`;
    }
    case 'include':
      return `includes "${rule.value}"`;
    case 'number':
      return 'any number';
    case 'integer':
      return 'any integer';
    case 'decimal':
      return 'any decimal number';
    case 'null':
      return 'null';
    case 'boolean':
      return 'any boolean';
    case 'notEmpty':
      return 'present and not empty';
    case 'semver':
      return 'a semantic version';
    case 'values':
      return 'values match, keys may differ';
    case 'date':
    case 'time':
    case 'datetime':
      return `a ${rule.match === 'datetime' ? 'date-time' : rule.match}${rule.format ? ` in the format ${rule.format}` : ''}`;
    case 'contentType':
      return `content of type ${rule.value}`;
    case 'arrayContains':
      return `contains items matching ${rule.variants.length} variant${rule.variants.length === 1 ? '' : 's'}`;
    case 'statusCode':
      return `a status ${Array.isArray(rule.status) ? `in ${rule.status.join(', ')}` : `of the ${rule.status} class`}`;
    case 'eachKey':
    case 'eachValue':
      return `each ${rule.match === 'eachKey' ? 'key' : 'value'}: ${rule.rules.map(describeRule).join(' and ')}`;
    case 'unknown':
      return `${rule.name} ${JSON.stringify(rule.config)}`;
  }
}

const CATEGORY_LABELS: Record<Mismatch['category'], string> = {
  method: 'method',
  path: 'path',
  query: 'query',
  header: 'header',
  body: 'body',
  'body-content-type': 'body content type',
  status: 'status',
  metadata: 'metadata',
};

/**
 * Renders mismatches for people: one block per mismatch with where it is, the rule that
 * failed, and the expected (green) and actual (red) values.
 *
 * @example console.log(renderMismatches(result.mismatches, { color: process.stdout.isTTY }))
 */
export function renderMismatches(mismatches: readonly Mismatch[], options: RenderOptions = {}): string {
  const color = options.color ?? false;
  const indent = options.indent ?? '';
  const lines: string[] = [];
  mismatches.forEach((m, i) => {
    const where = m.path ? `${CATEGORY_LABELS[m.category]} ${m.path}` : CATEGORY_LABELS[m.category];
    lines.push(`${indent}${i + 1}) ${paint(color, 1, where)} ${paint(color, 2, `[${m.code}]`)}`);
    lines.push(`${indent}   ${m.message}`);
    const rule = ruleAsWritten(m);
    if (rule) lines.push(`${indent}   rule:     ${rule}`);
    if (m.expected !== undefined || m.actual !== undefined) {
      lines.push(`${indent}   ${paint(color, 32, `- expected: ${showValue(m.expected)}`)}`);
      lines.push(`${indent}   ${paint(color, 31, `+ actual:   ${showValue(m.actual)}`)}`);
    }
  });
  return lines.join('\n');
}

/** Mismatches as plain JSON data (rules in their pact-file form), for reporters and tools. */
export function mismatchesToJson(mismatches: readonly Mismatch[]): JsonValue[] {
  return mismatches.map((m) => {
    const out: Record<string, JsonValue> = {
      category: m.category,
      code: m.code,
      path: m.path,
      message: m.message,
    };
    if (m.expected !== undefined) out.expected = toJsonValue(m.expected);
    if (m.actual !== undefined) out.actual = toJsonValue(m.actual);
    if (m.rule) out.rule = ruleToJson(m.rule);
    return out;
  });
}

function toJsonValue(value: unknown): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  try {
    return JSON.parse(stringifyJson(value as JsonValue)) as JsonValue;
  } catch {
    return String(value);
  }
}
