import { type JsonValue, stringifyJson } from '../json/value.js';
import { ruleToJson } from '../model/matching-rules.js';
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

function describeRule(m: Mismatch): string | undefined {
  if (!m.rule) return undefined;
  const json = ruleToJson(m.rule);
  const { match, ...options } = json;
  const extra = Object.keys(options).length > 0 ? ` ${stringifyJson(options)}` : '';
  return `${String(match)}${extra}`;
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
    const rule = describeRule(m);
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
