import type { JsonObject } from '@covenant/core';
import { consumerError } from './errors.js';
import type { RequestBuilder } from './http-builders.js';
import { exampleOf, isMatcher, type Matcher } from './matchers.js';
import { ruleListOf } from './template.js';

/** An attribute's or a text's value: a string (or number, boolean), or a matcher of one. */
export type XmlValue = string | number | boolean | Matcher<string | number | boolean>;

/** How many copies of an `eachLike` element the example holds, and the least the provider may send. */
export interface EachLikeOptions {
  /** The fewest elements allowed. Default 1. */
  min?: number;
  /** How many copies the example holds. Default `min`, at least 1. */
  examples?: number;
}

type Node = { kind: 'element'; element: XmlElement } | { kind: 'text'; value: XmlValue };

const NAME = /^[A-Za-z_][-.\w]*(?::[A-Za-z_][-.\w]*)?$/;

function checkName(name: string, what: string): void {
  if (!NAME.test(name)) {
    throw consumerError(
      'COV_CONSUMER_BODY_INVALID',
      `'${name}' is not an XML ${what} name (a letter or _ first, then letters, digits, - . _, with one optional prefix:)`,
      { name },
    );
  }
}

function escapeXml(text: string, quote: boolean): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return quote ? escaped.replace(/"/g, '&quot;') : escaped;
}

/** The local part of a prefixed name: XML rule paths name elements without their prefix. */
const localOf = (name: string) => name.slice(name.indexOf(':') + 1);

/** A path step, in bracket form when it is not a plain name. */
const step = (path: string, key: string) =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}['${key}']`;

/**
 * An element being built (pact-js's `XmlElement`): attributes, child elements, text, and
 * `eachLike` children; values may be matchers. `XmlBuilder.build` hands the root one to its
 * function, and each child's content function gets its own.
 *
 * @example
 * new XmlBuilder('1.0', 'UTF-8', 'order').build((order) =>
 *   order.setAttributes({ id: integer(7) }).appendElement('status', {}, string('open')),
 * );
 */
export class XmlElement {
  private readonly attributes = new Map<string, XmlValue>();
  private readonly children: Node[] = [];
  private eachLikeOf: { name: string; min: number; examples: number } | undefined;

  constructor(readonly name: string) {
    checkName(name, 'element');
  }

  /** Sets attributes (values or matchers), e.g. `{ id: integer(7), 'xmlns:ns1': 'urn:orders' }`. */
  setAttributes(attributes: Record<string, XmlValue>): this {
    for (const [name, value] of Object.entries(attributes)) {
      checkName(name, 'attribute');
      this.attributes.set(name, value);
    }
    return this;
  }

  /**
   * Appends a child element: its attributes, then its text (a value or matcher) or a function
   * that builds its content.
   *
   * @example order.appendElement('customer', { id: uuid() }, (c) => c.appendElement('name', {}, string('Ann')))
   */
  appendElement(
    name: string,
    attributes: Record<string, XmlValue> = {},
    content?: XmlValue | ((element: XmlElement) => unknown),
  ): this {
    this.children.push({ kind: 'element', element: XmlElement.of(name, attributes, content) });
    return this;
  }

  /** Appends text (a value or a matcher of it). */
  appendText(value: XmlValue): this {
    this.children.push({ kind: 'text', value });
    return this;
  }

  /**
   * Appends elements like the one built, each held to it by type: the provider may send `min`
   * or more. The element should be its parent's only kind of child (rules in XML name the
   * parent's children, not one name among them).
   *
   * @example order.eachLike('line', { sku: regex(/[A-Z]+-\d+/, 'ABC-1') }, (l) => l.appendText(string('2')), { min: 1, examples: 2 })
   */
  eachLike(
    name: string,
    attributes: Record<string, XmlValue> = {},
    content?: XmlValue | ((element: XmlElement) => unknown),
    options: EachLikeOptions = {},
  ): this {
    const min = options.min ?? 1;
    const examples = options.examples ?? Math.max(min, 1);
    if (!Number.isInteger(min) || min < 0 || !Number.isInteger(examples) || examples < Math.max(min, 1)) {
      throw consumerError(
        'COV_CONSUMER_MATCHER_INVALID',
        `eachLike('${name}'): min must be a whole number of 0 or more and examples a whole number of at least max(min, 1), got min ${min}, examples ${examples}`,
        { matcher: 'eachLike' },
      );
    }
    const element = XmlElement.of(name, attributes, content);
    element.eachLikeOf = { name, min, examples };
    this.children.push({ kind: 'element', element });
    return this;
  }

  private static of(
    name: string,
    attributes: Record<string, XmlValue>,
    content: XmlValue | ((element: XmlElement) => unknown) | undefined,
  ): XmlElement {
    const element = new XmlElement(name).setAttributes(attributes);
    if (typeof content === 'function') content(element);
    else if (content !== undefined) element.appendText(content);
    return element;
  }

  /** @internal The element's XML text and its rules (pact-file form), under `path`. */
  render(parentPath: string, rules: JsonObject): string {
    const path = step(parentPath, localOf(this.name));
    let attributes = '';
    for (const [name, value] of this.attributes) {
      attributes += ` ${name}="${escapeXml(String(exampleOf(value)), true)}"`;
      if (isMatcher(value)) rules[step(path, `@${localOf(name)}`)] = ruleListOf(value);
    }
    let content = '';
    let textRule: Matcher<unknown> | undefined;
    for (const child of this.children) {
      if (child.kind === 'text') {
        content += escapeXml(String(exampleOf(child.value)), false);
        if (isMatcher(child.value)) textRule = child.value;
        continue;
      }
      const each = child.element.eachLikeOf;
      const text = child.element.render(path, rules);
      if (each) {
        // as the spec's XML cases: a size rule on the parent, a type rule on the element
        rules[path] = { combine: 'AND', matchers: [{ match: 'type', min: each.min }] };
        rules[step(path, localOf(each.name))] ??= { combine: 'AND', matchers: [{ match: 'type' }] };
      }
      content += text.repeat(each?.examples ?? 1);
    }
    if (textRule) rules[step(path, '#text')] = ruleListOf(textRule);
    return content === ''
      ? `<${this.name}${attributes}/>`
      : `<${this.name}${attributes}>${content}</${this.name}>`;
  }
}

/** An XML body and its matching rules, ready for a request or response. */
export interface XmlDocument {
  /** The example document, with its XML declaration. */
  readonly xml: string;
  /** The body's matching rules in pact-file form, keyed by path (`$.order['@id']`). */
  readonly rules: JsonObject;
  /** Sets the body (`application/xml` unless another type is given) and its rules on a request or response builder. */
  applyTo<B extends Pick<RequestBuilder, 'xmlBody' | 'matchingRules'>>(builder: B, contentType?: string): B;
}

/**
 * Builds an XML body with matchers (pact-js's `XmlBuilder`), in place of XML text plus
 * hand-written rules.
 *
 * @example
 * const order = new XmlBuilder('1.0', 'UTF-8', 'order').build((o) => {
 *   o.setAttributes({ id: integer(7) });
 *   o.eachLike('line', { sku: regex(/[A-Z]+-\d+/, 'ABC-1') }, undefined, { min: 1 });
 * });
 * pact.addInteraction().uponReceiving('an order').withRequest('GET', '/orders/7')
 *   .willRespondWith(200, (res) => order.applyTo(res));
 */
export class XmlBuilder {
  constructor(
    private readonly version: string,
    private readonly charset: string,
    private readonly rootName: string,
  ) {
    checkName(rootName, 'element');
  }

  /** Builds the root element with `build`, and returns the document. */
  build(build: (root: XmlElement) => unknown): XmlDocument {
    const root = new XmlElement(this.rootName);
    build(root);
    const rules: JsonObject = {};
    const xml = `<?xml version="${escapeXml(this.version, true)}" encoding="${escapeXml(this.charset, true)}"?>${root.render('$', rules)}`;
    return {
      xml,
      rules,
      applyTo(builder, contentType = 'application/xml') {
        builder.xmlBody(xml, contentType);
        if (Object.keys(rules).length > 0) builder.matchingRules({ body: rules });
        return builder;
      },
    };
  }
}
