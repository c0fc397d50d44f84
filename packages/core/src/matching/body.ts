import { isJsonObject } from '../json/value.js';
import { bodyBytes, bodyJson, bodyText, effectiveContentType, isEmptyBody } from '../model/body.js';
import { bytesEqual, toHex } from '../model/bytes.js';
import { type BodyKind, bodyKindOf, parseMediaType } from '../model/content-type.js';
import type { RuleCategory } from '../model/matching-rules.js';
import { parseQueryString } from '../model/query.js';
import type { Body } from '../model/types.js';
import { compareJson } from './json.js';
import { contentTypesMatch, detectContentType } from './magic.js';
import type { Mismatch } from './mismatch.js';
import { compareMultipart } from './multipart.js';
import { compareNamedValues } from './named-values.js';
import { applyRuleList } from './rules.js';
import { selectRules } from './select.js';
import { compareXml } from './xml.js';

export interface BodyCompareOptions {
  /** Requests are strict (false); responses and messages allow extra keys (true). */
  allowUnexpectedKeys: boolean;
}

function rootRule(rules: RuleCategory | undefined) {
  const selected = selectRules(rules, []);
  return selected && !selected.cascaded ? selected : undefined;
}

function mismatch(code: Mismatch['code'], message: string, expected?: unknown, actual?: unknown): Mismatch {
  const m: Mismatch = { category: 'body', code, path: '$', message };
  if (expected !== undefined) m.expected = expected;
  if (actual !== undefined) m.actual = actual;
  return m;
}

/**
 * Compares a body with its expectation: presence first (a missing expectation accepts anything,
 * an empty or null one accepts only nothing), then content type, then content by kind:
 * JSON, XML, text, form-urlencoded, multipart or binary.
 */
export function compareBody(
  expected: Body,
  actual: Body,
  rules: RuleCategory | undefined,
  options: BodyCompareOptions,
): Mismatch[] {
  if (expected.kind === 'missing') return [];
  const actualAbsent = actual.kind !== 'present' || isEmptyBody(actual);
  if (expected.kind === 'null' || isEmptyBody(expected)) {
    if (actualAbsent) return [];
    return [
      mismatch(
        'BODY_UNEXPECTED',
        `Expected an empty body but received '${preview(actual)}'`,
        '',
        preview(actual),
      ),
    ];
  }
  if (actualAbsent) {
    return [
      mismatch(
        'BODY_MISSING',
        `Expected a body '${preview(expected)}' but it was missing`,
        preview(expected),
      ),
    ];
  }
  if (expected.kind !== 'present' || actual.kind !== 'present') return [];
  const expectedType = effectiveContentType(expected);
  const actualType = effectiveContentType(actual);
  const root = rootRule(rules);
  const contentTypeRule = root?.list.rules.find((r) => r.match === 'contentType');
  if (contentTypeRule?.match === 'contentType') {
    const detected = detectContentType(bodyBytes(actual.content));
    if (!contentTypesMatch(contentTypeRule.value, detected)) {
      return [
        {
          ...mismatch(
            'RULE_FAILED',
            `Expected binary contents to have content type '${contentTypeRule.value}' but detected contents was '${detected}'`,
            contentTypeRule.value,
            detected,
          ),
          rule: contentTypeRule,
        },
      ];
    }
    return [];
  }
  if (expectedType && actualType && !compatibleTypes(expectedType, actualType)) {
    return [
      {
        category: 'body-content-type',
        code: 'BODY_CONTENT_TYPE_MISMATCH',
        path: '$',
        expected: expectedType,
        actual: actualType,
        message: `Expected a body of '${expectedType}' but the actual content type was '${actualType}'`,
      },
    ];
  }
  const kind: BodyKind = bodyKindOf(expectedType ?? actualType) ?? 'text';
  switch (kind) {
    case 'json': {
      const e = bodyJson(expected.content);
      if (!e.ok) return compareText(bodyText(expected.content), bodyText(actual.content), rules);
      const a = bodyJson(actual.content);
      if (!a.ok) {
        return [
          mismatch(
            'BODY_UNPARSEABLE',
            `The actual body is not valid JSON: ${a.message}`,
            undefined,
            preview(actual),
          ),
        ];
      }
      return compareJson(e.value, a.value, rules, {
        allowUnexpectedKeys: options.allowUnexpectedKeys,
        category: 'body',
      });
    }
    case 'xml':
      return compareXml(
        bodyText(expected.content),
        bodyText(actual.content),
        rules,
        options.allowUnexpectedKeys,
      );
    case 'form':
      return compareNamedValues(
        parseQueryString(bodyText(expected.content)),
        parseQueryString(bodyText(actual.content)),
        rules,
        { category: 'body', allowUnexpected: options.allowUnexpectedKeys, asPath: true },
      );
    case 'multipart':
      return compareMultipart(expected, actual, rules, options);
    case 'text':
      return compareText(bodyText(expected.content), bodyText(actual.content), rules);
    case 'binary':
      return compareBinary(
        bodyBytes(expected.content),
        bodyBytes(actual.content),
        expectedType,
        actualType,
        rules,
      );
  }
}

function compatibleTypes(expected: string, actual: string): boolean {
  const e = parseMediaType(expected);
  const a = parseMediaType(actual);
  if (!e || !a) return true;
  if (e.essence === a.essence) return true;
  const ek = bodyKindOf(expected);
  const ak = bodyKindOf(actual);
  return ek === ak && ek !== 'binary';
}

function compareText(expected: string, actual: string, rules: RuleCategory | undefined): Mismatch[] {
  const root = rootRule(rules);
  if (root) {
    return applyRuleList(root.list, expected, actual, false, 'string').map((f) => ({
      ...mismatch('RULE_FAILED', f.message, expected, actual),
      rule: f.rule,
    }));
  }
  if (expected === actual) return [];
  return [
    mismatch(
      'BODY_MISMATCH',
      `Expected body '${truncate(expected)}' to match '${truncate(actual)}' using equality but did not match`,
      expected,
      actual,
    ),
  ];
}

function describeBytes(bytes: Uint8Array, type: string | undefined): string {
  return `[${type ?? 'application/octet-stream'}, ${bytes.length} bytes, starting with ${toHex(bytes, 32)}]`;
}

function compareBinary(
  expected: Uint8Array,
  actual: Uint8Array,
  expectedType: string | undefined,
  actualType: string | undefined,
  rules: RuleCategory | undefined,
): Mismatch[] {
  const root = rootRule(rules);
  if (root) {
    const failures = applyRuleList(
      root.list,
      describeBytes(expected, expectedType),
      describeBytes(actual, actualType),
      false,
      'string',
    );
    return failures.map((f) => ({ ...mismatch('RULE_FAILED', f.message), rule: f.rule }));
  }
  if (bytesEqual(expected, actual)) return [];
  return [
    mismatch(
      'BODY_MISMATCH',
      `Actual body ${describeBytes(actual, actualType)} is not equal to the expected body ${describeBytes(expected, expectedType)}`,
      describeBytes(expected, expectedType),
      describeBytes(actual, actualType),
    ),
  ];
}

function truncate(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function preview(body: Body): string {
  if (body.kind !== 'present') return '';
  const c = body.content;
  if (c.type === 'binary') return describeBytes(c.bytes, body.contentType);
  if (c.type === 'json' && isJsonObject(c.value) && Object.keys(c.value).length === 0) return '{}';
  return truncate(bodyText(c));
}
