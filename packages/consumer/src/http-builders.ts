import {
  type Body,
  binaryBody,
  type Generator,
  type Generators,
  generatorsFromJson,
  type Headers,
  type JsonObject,
  jsonBody,
  type MatchingRules,
  matchingRulesFromJson,
  type Query,
  textBody,
  utf8Encode,
} from '@covenant/core';
import { consumerError } from './errors.js';
import { exampleOf, isMatcher, type Matcher } from './matchers.js';
import { compileTemplate, ruleListOf } from './template.js';

/** A header or query value: a string, a matcher of strings, or several of them. */
export type NamedValue =
  | string
  | Matcher<string | number | boolean>
  | Array<string | Matcher<string | number | boolean>>;

/** One part of a multipart body. */
export interface MultipartPart {
  name: string;
  content: string | Uint8Array;
  contentType?: string;
  filename?: string;
}

/** What the request and response builders collect. */
interface Collected {
  headers: Headers | undefined;
  body: Body;
  rules: Record<string, JsonObject>;
  generators: Record<string, Record<string, Generator>>;
}

function asValues(
  name: string,
  value: NamedValue,
  what: string,
): Array<string | Matcher<string | number | boolean>> {
  const list = Array.isArray(value) ? value : [value];
  for (const v of list) {
    if (typeof v !== 'string' && !isMatcher(v)) {
      throw consumerError(
        'COV_CONSUMER_INTERACTION_INVALID',
        `${what} '${name}' must be a string or a string matcher, got ${JSON.stringify(v)}`,
      );
    }
  }
  return list;
}

function hasHeader(headers: Headers | undefined, name: string): boolean {
  return !!headers && Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase());
}

abstract class PartBuilder {
  protected readonly collected: Collected = {
    headers: undefined,
    body: { kind: 'missing' },
    rules: {},
    generators: {},
  };

  protected addNamed(
    category: 'header' | 'query',
    target: Record<string, string[]>,
    values: Record<string, NamedValue>,
  ): void {
    for (const [name, value] of Object.entries(values)) {
      const list = asValues(name, value, category === 'header' ? 'header' : 'query parameter');
      target[name] = list.map((v) => String(exampleOf(v)));
      const matcher = list.find((v): v is Matcher<string | number | boolean> => isMatcher(v));
      if (matcher) {
        (this.collected.rules[category] ??= {})[name] = ruleListOf(matcher);
        if (matcher.generator) (this.collected.generators[category] ??= {})[name] = matcher.generator;
      }
    }
  }

  /** Headers (names as given; values strings or matchers). */
  headers(headers: Record<string, NamedValue>): this {
    this.collected.headers ??= {};
    this.addNamed('header', this.collected.headers, headers);
    return this;
  }

  private setContentType(contentType: string): void {
    if (!hasHeader(this.collected.headers, 'content-type')) {
      this.collected.headers = { ...(this.collected.headers ?? {}), 'Content-Type': [contentType] };
    }
  }

  private setBodyRules(rules: JsonObject, generators: Record<string, Generator>): void {
    if (Object.keys(rules).length > 0) this.collected.rules.body = rules;
    if (Object.keys(generators).length > 0) this.collected.generators.body = generators;
  }

  /**
   * A JSON body (values and matchers at any depth); sets Content-Type to `application/json` unless given.
   *
   * @example res.jsonBody({ id: uuid(), name: like('UserA') })
   */
  jsonBody(body: unknown, contentType = 'application/json'): this {
    const compiled = compileTemplate(body);
    this.setContentType(contentType);
    this.collected.body = jsonBody(compiled.example, contentType);
    this.setBodyRules(compiled.rules, compiled.generators);
    return this;
  }

  /** A body of any content type: a string, bytes, or (for JSON types) a template. */
  body(contentType: string, data: string | Uint8Array | Matcher<unknown> | object): this {
    if (typeof data === 'string') {
      this.setContentType(contentType);
      this.collected.body = textBody(data, contentType);
    } else if (data instanceof Uint8Array) {
      this.setContentType(contentType);
      this.collected.body = binaryBody(data, contentType);
    } else if (isMatcher(data) && !/json/i.test(contentType)) {
      const example = exampleOf(data);
      this.setContentType(contentType);
      this.collected.body =
        typeof example === 'string'
          ? textBody(example, contentType)
          : binaryBody(utf8Encode(String(example)), contentType);
      const compiled = compileTemplate(data);
      this.setBodyRules(compiled.rules, compiled.generators);
    } else {
      this.jsonBody(data, contentType);
    }
    return this;
  }

  /** A plain text body. */
  textBody(text: string, contentType = 'text/plain'): this {
    return this.body(contentType, text);
  }

  /** An XML body, given as its text. */
  xmlBody(xml: string, contentType = 'application/xml'): this {
    return this.body(contentType, xml);
  }

  /** A form-urlencoded body; values may be matchers. */
  formBody(fields: Record<string, string | Matcher<string>>): this {
    const text = Object.entries(fields)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(exampleOf(v)))}`)
      .join('&');
    const compiled = compileTemplate(fields);
    this.body('application/x-www-form-urlencoded', text);
    this.setBodyRules(compiled.rules, compiled.generators);
    return this;
  }

  /** A binary body. */
  binaryBody(bytes: Uint8Array, contentType = 'application/octet-stream'): this {
    return this.body(contentType, bytes);
  }

  /** A multipart/form-data body built from parts. */
  multipartBody(parts: MultipartPart[], boundary = `covenant-${Math.random().toString(16).slice(2)}`): this {
    const chunks: Uint8Array[] = [];
    for (const part of parts) {
      const disposition = `form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}`;
      const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.contentType ? `Content-Type: ${part.contentType}\r\n` : ''}\r\n`;
      chunks.push(
        utf8Encode(head),
        typeof part.content === 'string' ? utf8Encode(part.content) : part.content,
        utf8Encode('\r\n'),
      );
    }
    chunks.push(utf8Encode(`--${boundary}--\r\n`));
    const size = chunks.reduce((n, c) => n + c.length, 0);
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const c of chunks) {
      bytes.set(c, offset);
      offset += c.length;
    }
    return this.body(`multipart/form-data; boundary=${boundary}`, bytes);
  }

  /** Raw matching rules in V3/V4 pact-file form, merged over those the matchers produced. */
  matchingRules(rules: Record<string, JsonObject>): this {
    for (const [category, value] of Object.entries(rules)) {
      this.collected.rules[category] = { ...(this.collected.rules[category] ?? {}), ...value };
    }
    return this;
  }

  protected built(
    extraRules: Record<string, JsonObject>,
    extraGenerators: Record<string, unknown>,
  ): {
    headers: Headers | undefined;
    body: Body;
    matchingRules: MatchingRules;
    generators: Generators;
  } {
    const rules = { ...this.collected.rules, ...extraRules };
    return {
      headers: this.collected.headers,
      body: this.collected.body,
      matchingRules: matchingRulesFromJson(rules as never),
      generators: generatorsFromJson({ ...this.collected.generators, ...extraGenerators } as never),
    };
  }
}

/** Builds the request of an HTTP interaction: query, headers and body. */
export class RequestBuilder extends PartBuilder {
  private queryValues: Query | undefined;

  /** Query parameters; values may be matchers or lists (repeated parameters). */
  query(query: Record<string, NamedValue>): this {
    this.queryValues ??= {};
    this.addNamed('query', this.queryValues, query);
    return this;
  }

  /** @internal */
  build(method: string, path: string | Matcher<string>) {
    const extraRules: Record<string, JsonObject> = {};
    const extraGenerators: Record<string, unknown> = {};
    if (isMatcher(path)) {
      extraRules.path = ruleListOf(path);
      if (path.generator) extraGenerators.path = path.generator;
    }
    return {
      method: method.toUpperCase(),
      path: String(exampleOf(path)),
      query: this.queryValues,
      ...this.built(extraRules, extraGenerators),
    };
  }
}

/** Builds the response of an HTTP interaction: headers and body. */
export class ResponseBuilder extends PartBuilder {
  /** @internal */
  build(status: number | Matcher<number>) {
    const extraRules: Record<string, JsonObject> = {};
    const extraGenerators: Record<string, unknown> = {};
    if (isMatcher(status)) {
      extraRules.status = ruleListOf(status);
      if (status.generator) extraGenerators.status = status.generator;
    }
    return { status: Number(exampleOf(status)), ...this.built(extraRules, extraGenerators) };
  }
}
