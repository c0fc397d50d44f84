import type { MatchingRule, RuleCategory } from '../model/matching-rules.js';
import { formatPath, type PathSegment } from '../model/path.js';
import { parseXml, textContent, type XmlElement } from '../xml/index.js';
import type { Mismatch } from './mismatch.js';
import { applyRuleList } from './rules.js';
import { selectRules } from './select.js';

/**
 * Compares XML bodies. Paths name elements (`$.animals.alligator`), attributes (`['@name']`)
 * and text (`['#text']`). Element order only matters among siblings of the same name; namespace
 * prefixes don't matter, namespace URIs do. Requests are strict about unexpected attributes and
 * elements, responses and messages are not.
 */
export function compareXml(
  expectedText: string,
  actualText: string,
  rules: RuleCategory | undefined,
  allowUnexpected: boolean,
): Mismatch[] {
  const out: Mismatch[] = [];
  const expected = parseXml(expectedText);
  if (!expected.ok) {
    out.push({
      category: 'body',
      code: 'BODY_UNPARSEABLE',
      path: '$',
      expected: expectedText,
      message: `The expected XML body is not valid XML: ${expected.error} (line ${expected.line}, column ${expected.column})`,
    });
    return out;
  }
  const actual = parseXml(actualText);
  if (!actual.ok) {
    out.push({
      category: 'body',
      code: 'BODY_UNPARSEABLE',
      path: '$',
      actual: actualText,
      message: `The actual body is not valid XML: ${actual.error} (line ${actual.line}, column ${actual.column})`,
    });
    return out;
  }
  new XmlComparison(withoutIndexWildcards(rules), allowUnexpected, out).compareElement(
    [],
    expected.root,
    actual.root,
  );
  return out;
}

/**
 * XML locations have no list indices (`$.animals.alligator` names every alligator), so a `[*]`
 * written JSON-style (`$.animals[*].alligator`) is read as no step at all.
 */
function withoutIndexWildcards(rules: RuleCategory | undefined): RuleCategory | undefined {
  if (!rules) return rules;
  let changed = false;
  const out: RuleCategory = new Map();
  for (const [key, entry] of rules) {
    const tokens = entry.path.tokens.filter((t) => t.kind !== 'starIndex');
    if (tokens.length !== entry.path.tokens.length) changed = true;
    out.set(key, { ...entry, path: { ...entry.path, tokens } });
  }
  return changed ? out : rules;
}

function sameName(a: XmlElement, b: XmlElement): boolean {
  return a.name.local === b.name.local && a.name.namespace === b.name.namespace;
}

function displayName(e: XmlElement): string {
  return e.name.namespace ? `{${e.name.namespace}}${e.name.local}` : e.name.local;
}

function childElements(e: XmlElement): XmlElement[] {
  return e.children.filter((c): c is XmlElement => c.kind === 'element');
}

class XmlComparison {
  constructor(
    private readonly rules: RuleCategory | undefined,
    private readonly allowUnexpected: boolean,
    private readonly out: Mismatch[],
  ) {}

  compareElement(parent: PathSegment[], expected: XmlElement, actual: XmlElement): void {
    const path = [...parent, expected.name.local];
    if (!sameName(expected, actual)) {
      this.report(
        path,
        'VALUE_MISMATCH',
        displayName(expected),
        displayName(actual),
        `Expected element ${displayName(expected)} but received ${displayName(actual)}`,
      );
      return;
    }
    this.compareAttributes(path, expected, actual);
    this.compareChildren(path, expected, actual);
    this.compareText(path, expected, actual);
  }

  private compareAttributes(path: PathSegment[], expected: XmlElement, actual: XmlElement): void {
    const find = (e: XmlElement, local: string, ns: string | undefined) =>
      e.attributes.find((a) => a.name.local === local && a.name.namespace === ns);
    for (const attr of expected.attributes) {
      const attrPath = [...path, `@${attr.name.local}`];
      const other = find(actual, attr.name.local, attr.name.namespace);
      if (!other) {
        this.report(
          attrPath,
          'KEY_MISSING',
          attr.value,
          undefined,
          `Expected ${attr.qualifiedName}='${attr.value}' but was missing`,
        );
        continue;
      }
      this.compareString(attrPath, attr.value, other.value, `attribute ${attr.qualifiedName}`);
    }
    if (!this.allowUnexpected) {
      for (const attr of actual.attributes) {
        if (!find(expected, attr.name.local, attr.name.namespace)) {
          this.report(
            [...path, `@${attr.name.local}`],
            'KEY_UNEXPECTED',
            undefined,
            attr.value,
            `Did not expect an attribute ${attr.qualifiedName}='${attr.value}'`,
          );
        }
      }
    }
  }

  private compareChildren(path: PathSegment[], expected: XmlElement, actual: XmlElement): void {
    const expectedChildren = childElements(expected);
    const actualChildren = childElements(actual);
    const selected = selectRules(this.rules, path);
    if (
      selected?.list.rules.some((r) => r.match === 'type' || r.match === 'eachValue' || r.match === 'values')
    ) {
      // each-like: every actual child is held to the example at its index, or the first one
      if (!selected.cascaded) this.checkSize(path, selected.list.rules, actualChildren.length);
      if (expectedChildren.length === 0) return;
      actualChildren.forEach((child, i) => {
        this.compareElement(path, expectedChildren[i] ?? expectedChildren[0]!, child);
      });
      return;
    }
    const groups = new Map<string, { expected: XmlElement[]; actual: XmlElement[] }>();
    const key = (e: XmlElement) => `${e.name.namespace ?? ''}|${e.name.local}`;
    for (const e of expectedChildren) {
      const g = groups.get(key(e)) ?? { expected: [], actual: [] };
      g.expected.push(e);
      groups.set(key(e), g);
    }
    for (const a of actualChildren) {
      const g = groups.get(key(a));
      if (g) g.actual.push(a);
      else if (!this.allowUnexpected) {
        this.report(
          [...path, a.name.local],
          'KEY_UNEXPECTED',
          undefined,
          displayName(a),
          `Did not expect a child element <${displayName(a)}>`,
        );
      }
    }
    for (const g of groups.values()) {
      const first = g.expected[0]!;
      if (
        g.actual.length < g.expected.length ||
        (g.actual.length > g.expected.length && !this.allowUnexpected)
      ) {
        this.report(
          [...path, first.name.local],
          'LENGTH_MISMATCH',
          g.expected.length,
          g.actual.length,
          `Expected ${g.expected.length} <${displayName(first)}> child element(s) but received ${g.actual.length}`,
        );
      }
      const n = Math.min(g.expected.length, g.actual.length);
      for (let i = 0; i < n; i++) this.compareElement(path, g.expected[i]!, g.actual[i]!);
    }
  }

  private checkSize(path: PathSegment[], rules: MatchingRule[], size: number): void {
    for (const rule of rules) {
      if (rule.match !== 'type') continue;
      if (rule.min !== undefined && size < rule.min) {
        this.report(
          path,
          'RULE_FAILED',
          rule.min,
          size,
          `Expected ${size} child elements to have minimum size of ${rule.min}`,
        );
      }
      if (rule.max !== undefined && size > rule.max) {
        this.report(
          path,
          'RULE_FAILED',
          rule.max,
          size,
          `Expected ${size} child elements to have maximum size of ${rule.max}`,
        );
      }
    }
  }

  private compareText(path: PathSegment[], expected: XmlElement, actual: XmlElement): void {
    const e = textContent(expected);
    const a = textContent(actual);
    const textPath = [...path, '#text'];
    const selected = selectRules(this.rules, textPath);
    if (selected) {
      if (e === '' && a === '') return;
      for (const failure of applyRuleList(selected.list, e, a, selected.cascaded, 'string')) {
        this.report(textPath, 'RULE_FAILED', e, a, failure.message);
      }
      return;
    }
    if (e !== a) {
      this.report(textPath, 'VALUE_MISMATCH', e, a, `Expected text '${e}' but received '${a}'`);
    }
  }

  private compareString(path: PathSegment[], expected: string, actual: string, what: string): void {
    const selected = selectRules(this.rules, path);
    if (selected) {
      for (const failure of applyRuleList(selected.list, expected, actual, selected.cascaded, 'string')) {
        this.report(path, 'RULE_FAILED', expected, actual, failure.message);
      }
      return;
    }
    if (expected !== actual) {
      this.report(
        path,
        'VALUE_MISMATCH',
        expected,
        actual,
        `Expected ${what} '${expected}' but received '${actual}'`,
      );
    }
  }

  private report(
    path: PathSegment[],
    code: Mismatch['code'],
    expected: unknown,
    actual: unknown,
    message: string,
  ): void {
    this.out.push({ category: 'body', code, path: formatPath(path), expected, actual, message });
  }
}
