import type { ComparisonConfig } from './config.js';
import { STANDARD_REQUEST_HEADERS, STANDARD_RESPONSE_HEADERS } from './headers.js';
import { isObject, type Json } from './json.js';
import { excusedByMatchers } from './matchers.js';
import { bodyTreatment, findMediaType, VALIDATABLE_MEDIA_TYPES } from './media-types.js';
import type { HttpCase } from './pact.js';
import { deref } from './pointer.js';
import { parseQuery } from './query.js';
import type { ContractResult, ResultCode } from './result.js';
import { Router, type RouteTarget } from './router.js';
import { forReceivedBody, type SharedSchemas, sharedSchemas, toJsonSchema } from './schema.js';
import { failureText, instanceSuffix, schemaSuffix, type Validators } from './validator.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'];
const SWAGGER2_SEPARATORS: Record<string, string> = { ssv: ' ', tsv: '\t', pipes: '|' };

/** An operation with what it inherits from its path item and the document merged in. */
interface Operation extends RouteTarget {
  parameters: Json[];
  consumes: string[] | undefined;
  produces: string[] | undefined;
  security: Json[] | undefined;
  requestBody: Json;
  responses: Record<string, Json>;
  /** Worked out on first use, then kept: */
  consumesAll?: string[];
  producesAll?: string[];
  producesByStatus?: Map<string, string[]>;
  standardHeaders?: string[];
}

interface Checking {
  c: HttpCase;
  op: Operation;
  /** `[root].paths./pets/{id}.get`, where the operation's spec locations start. */
  at: string;
  /** A failing response (4xx, 5xx) is not checked for request details the provider rejects anyway. */
  validRequest: boolean;
}

/**
 * Compares HTTP interactions with one OpenAPI 3.x or Swagger 2.0 document. Build it once per
 * document: routes and compiled schemas are reused for every interaction and pact compared.
 */
export class OpenApiComparison {
  readonly #router: Router;
  readonly #isOpenApi3: boolean;
  readonly #securitySchemes: Record<string, Json>;

  constructor(
    private readonly doc: Json,
    private readonly config: ComparisonConfig,
    private readonly coercing: Validators,
    private readonly strict: Validators,
  ) {
    this.#isOpenApi3 = typeof doc.openapi === 'string';
    this.#securitySchemes = doc.securityDefinitions ?? doc.components?.securitySchemes ?? {};
    this.#router = new Router(config.caseInsensitive);
    // Swagger 2's `basePath: /` (a common default) prefixes nothing.
    const basePath = (config.basePath ?? (typeof doc.basePath === 'string' ? doc.basePath : '')).replace(
      /\/+$/,
      '',
    );
    for (const [path, item] of Object.entries<Json>(isObject(doc.paths) ? doc.paths : {})) {
      if (!isObject(item)) continue;
      for (const method of Object.keys(item)) {
        if (!METHODS.includes(method.toLowerCase()) || !isObject(item[method])) continue;
        const operation = item[method];
        const parameters: Json[] = [];
        for (const p of [...(operation.parameters ?? []), ...(item.parameters ?? [])]) {
          const resolved = deref(p, doc);
          if (!parameters.some((q) => q.name === resolved?.name && q.in === resolved?.in))
            parameters.push(resolved);
        }
        this.#router.add(method, this.normalisePath(basePath + path), {
          path,
          method,
          operation,
          parameters,
          consumes: operation.consumes ?? doc.consumes,
          produces: operation.produces ?? doc.produces,
          security: operation.security ?? doc.security,
          requestBody: deref(operation.requestBody ?? {}, doc),
          responses: isObject(operation.responses) ? operation.responses : {},
        } as Operation);
      }
    }
  }

  /** The results for one HTTP interaction of a pact. */
  compare(c: HttpCase): ContractResult[] {
    let path = c.path.startsWith('/') ? c.path : `/${c.path}`;
    if (this.config.noPercentEncoding) path = path.replaceAll('%', '%25');
    const found = path.includes('?') ? undefined : this.#router.find(c.method, this.normalisePath(path));
    const unknownRoute = (): ContractResult =>
      result(
        c,
        'request.path-or-method.unknown',
        `Path or method not defined in spec file: ${c.method} ${c.path}`,
        {
          pact: `[root].interactions[${c.index}].request.path`,
          spec: '[root].paths',
        },
      );
    if (!found) return [unknownRoute()];
    const op = found.target as Operation;
    const ctx: Checking = { c, op, at: `[root].paths.${op.path}.${op.method}`, validRequest: c.status < 400 };

    const pathFailures = this.checkPathParameters(ctx, found.params);
    if (pathFailures > 0) return Array.from({ length: pathFailures }, unknownRoute);

    const out: ContractResult[] = [];
    out.push(...this.checkSecurity(ctx));
    const requestHeaders = this.checkRequestHeaders(ctx);
    out.push(...requestHeaders);
    out.push(...this.checkQuery(ctx));
    if (!requestHeaders.some((r) => r.code === 'request.content-type.incompatible')) {
      out.push(...this.checkRequestBody(ctx));
    }
    const responseHeaders = this.checkResponseHeaders(ctx);
    out.push(...responseHeaders);
    if (!responseHeaders.some((r) => r.code === 'response.content-type.incompatible')) {
      out.push(...this.checkResponse(ctx));
    }
    return out;
  }

  #sentShared: SharedSchemas | undefined;
  #receivedShared: SharedSchemas | undefined;

  /** A schema for what the consumer sends (parameters, request bodies), sharing the document's schemas. */
  private requestSchema(schema: Json, validators: Validators): Json {
    if (!hasRef(schema)) return toJsonSchema(schema, this.doc);
    this.#sentShared ??= sharedSchemas(this.doc, 'covenant:sent', false);
    validators.share(this.#sentShared);
    return toJsonSchema(schema, this.doc, this.#sentShared);
  }

  /** A schema for a response body, tightened (see forReceivedBody), sharing the document's schemas. */
  private receivedSchema(schema: Json): Json {
    if (!hasRef(schema)) return forReceivedBody(toJsonSchema(schema, this.doc));
    this.#receivedShared ??= sharedSchemas(this.doc, 'covenant:received', true);
    this.strict.share(this.#receivedShared);
    return forReceivedBody(toJsonSchema(schema, this.doc, this.#receivedShared));
  }

  private normalisePath(path: string): string {
    let out = path;
    if (this.config.ignoreDuplicateSlashes) out = out.replace(/\/{2,}/g, '/');
    if (this.config.ignoreTrailingSlash && out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
    return out;
  }

  /** A parameter's schema: OpenAPI 3's `schema`, or Swagger 2's parameter fields themselves. */
  private parameterSchema(parameter: Json): Json {
    if (parameter.schema) return parameter.schema;
    const { name: _n, in: _i, description: _d, required: _r, ...schema } = parameter;
    return schema;
  }

  private parameterValidation(parameter: Json, value: unknown, checkEmptySchema: boolean): () => Json {
    const schema = this.parameterSchema(parameter);
    return () =>
      checkEmptySchema && this.config.noValidateComplexParameters && isStructured(schema, this.doc) && value
        ? {}
        : this.requestSchema(schema, this.coercing);
  }

  /** How many ways the path's parameters fail their schemas (each one reads as an unknown path). */
  private checkPathParameters(ctx: Checking, params: Record<string, string>): number {
    let failures = 0;
    ctx.op.parameters.forEach((parameter, i) => {
      if (parameter?.in !== 'path') return;
      const name = String(parameter.name).replaceAll('-', '');
      if (!(name in params)) return;
      const schema = this.parameterSchema(parameter);
      const raw = params[name];
      const value = schema?.type === 'string' ? raw : parseStyledValue(raw);
      let separator = ',';
      if (parameter.explode && parameter.style?.toLowerCase() === 'label') separator = '.';
      if (parameter.explode && parameter.style?.toLowerCase() === 'matrix') separator = ';';
      const input = schema.type === 'array' && typeof value === 'string' ? value.split(separator) : value;
      failures += this.coercing.check(
        `${ctx.at}.parameters[${i}]${!!value}`,
        this.parameterValidation(parameter, value, true),
        input,
      ).length;
    });
    return failures;
  }

  private checkSecurity(ctx: Checking): ContractResult[] {
    const { c, op } = ctx;
    if (!ctx.validRequest) return [];
    const query = parseQuery(c.query, { commas: false, dots: false });
    const missing: ContractResult[] = [];
    const missingHeader = () =>
      result(
        c,
        'request.authorization.missing',
        'Request Authorization header is missing but is required by the spec file',
        {
          pact: `[root].interactions[${c.index}].request.headers`,
          spec: ctx.at,
        },
      );
    for (const requirement of op.security ?? []) {
      if (!isObject(requirement)) continue;
      if (Object.keys(requirement).length === 0) return [];
      for (const name of Object.keys(requirement)) {
        const scheme = this.#securitySchemes[name];
        const type = String(scheme?.type ?? '').toLowerCase();
        const authorization = c.requestHeaders.get('authorization');
        if (type === 'apikey') {
          const where = String(scheme.in ?? '').toLowerCase();
          if (where === 'cookie') return [];
          if (where === 'header') {
            if (c.requestHeaders.has(String(scheme.name).toLowerCase())) return [];
            missing.push(missingHeader());
          } else if (where === 'query') {
            if (query[scheme.name] !== undefined) return [];
            missing.push(
              result(
                c,
                'request.authorization.missing',
                'Request Authorization query is missing but is required by the spec file',
                {
                  pact: `[root].interactions[${c.index}].request.query`,
                  spec: ctx.at,
                },
              ),
            );
          }
        } else if (type === 'basic' || type === 'http') {
          const expected = type === 'basic' ? 'basic' : String(scheme.scheme ?? '').toLowerCase();
          const ok = this.config.noAuthorizationSchema
            ? authorization !== undefined
            : (expected === 'basic' || expected === 'bearer') &&
              (authorization ?? '').toLowerCase().startsWith(`${expected} `);
          if (ok) return [];
          missing.push(missingHeader());
        } else if (type === 'mutualtls' || type === 'oauth2' || type === 'openidconnect') {
          return [];
        }
      }
    }
    return missing;
  }

  private requestMediaTypes(op: Operation): string[] {
    op.consumesAll ??= op.consumes ?? Object.keys(op.requestBody?.content ?? {});
    return op.consumesAll;
  }

  private responseMediaTypes(op: Operation, status: string | number): string[] {
    op.producesByStatus ??= new Map();
    let types = op.producesByStatus.get(String(status));
    if (!types) {
      types = op.produces ?? Object.keys(deref(op.responses[status] ?? {}, this.doc)?.content ?? {});
      op.producesByStatus.set(String(status), types);
    }
    return types;
  }

  /** Every media type any response of the operation produces. */
  private producedAnywhere(op: Operation): string[] {
    op.producesAll ??=
      op.produces ?? Object.keys(op.responses).flatMap((status) => this.responseMediaTypes(op, status));
    return op.producesAll;
  }

  /** The standard request headers the operation does not declare (they need no declaration). */
  private undeclaredStandardHeaders(op: Operation): string[] {
    op.standardHeaders ??= STANDARD_REQUEST_HEADERS.filter(
      (name) => !op.parameters.some((p) => p?.in === 'header' && String(p.name).toLowerCase() === name),
    );
    return op.standardHeaders;
  }

  private checkRequestHeaders(ctx: Checking): ContractResult[] {
    const { c, op, at } = ctx;
    const out: ContractResult[] = [];
    const headers = new Map(c.requestHeaders);
    const pactAt = (name: string) => `[root].interactions[${c.index}].request.headers.${name}`;
    const consumes = this.requestMediaTypes(op);
    const producesAnywhere = this.producedAnywhere(op);
    const producesForStatus = this.responseMediaTypes(op, c.status);

    const accept = headers.get('accept')?.split(';')[0] ?? '';
    if (accept && producesAnywhere.length === 0) {
      out.push(
        result(
          c,
          'request.accept.unknown',
          'Request Accept header is defined but the spec does not specify any mime-types to produce',
          {
            pact: pactAt('accept'),
            spec: at,
          },
        ),
      );
    }
    if (accept && producesForStatus.length > 0 && !findMediaType(accept, producesAnywhere)) {
      out.push(
        result(
          c,
          'request.accept.incompatible',
          'Request Accept header is incompatible with the mime-types the spec defines to produce',
          {
            pact: pactAt('accept'),
            spec: at,
          },
        ),
      );
    }

    const contentType = headers.get('content-type')?.split(';')[0] ?? '';
    if (contentType && consumes.length === 0) {
      out.push(
        result(
          c,
          'request.content-type.unknown',
          'Request content-type header is defined but the spec does not specify any mime-types to consume',
          {
            pact: pactAt('content-type'),
            spec: at,
          },
        ),
      );
    }
    if (contentType && consumes.length > 0 && !findMediaType(contentType, consumes)) {
      out.push(
        result(
          c,
          'request.content-type.incompatible',
          'Request Content-Type header is incompatible with the mime-types the spec accepts to consume',
          {
            pact: pactAt('content-type'),
            spec: `${at}.requestBody.content`,
          },
        ),
      );
    }
    if (!contentType && consumes.length > 0 && c.requestBody) {
      out.push(
        result(
          c,
          'request.content-type.missing',
          'Request content type header is not defined but spec specifies mime-types to consume',
          {
            pact: pactAt('content-type'),
            spec: at,
          },
        ),
      );
    }

    const securityHeaders: string[] = [];
    if (ctx.validRequest) {
      for (const requirement of op.security ?? []) {
        for (const name of Object.keys(requirement ?? {})) {
          const scheme = this.#securitySchemes[name];
          if (scheme?.type === 'apiKey' && scheme.in === 'header')
            securityHeaders.push(String(scheme.name).toLowerCase());
        }
      }
    }

    op.parameters.forEach((parameter, i) => {
      if (parameter?.in !== 'header') return;
      const name = String(parameter.name).toLowerCase();
      const raw = headers.get(name);
      const declared = parameter.schema;
      const isString =
        declared?.type === 'string' ||
        declared?.anyOf?.some((s: Json) => s?.type === 'string') ||
        declared?.oneOf?.some((s: Json) => s?.type === 'string');
      const value = raw === undefined ? undefined : isString ? raw : parseStyledValue(raw);
      if (value !== undefined && ctx.validRequest) {
        const key = `${at}.parameters[${i}]`;
        const failures = this.coercing.check(
          `${key}${!!value}`,
          this.parameterValidation(parameter, value, true),
          value,
        );
        out.push(
          ...failures.map((f) =>
            result(
              c,
              'request.header.incompatible',
              `Value is incompatible with the parameter defined in the spec file: ${failureText(f)}`,
              {
                pact: `${pactAt(parameter.name)}${instanceSuffix(f)}`,
                spec: `${key}.schema.${schemaSuffix(f)}`,
              },
            ),
          ),
        );
      }
      if (value === undefined && parameter.required && ctx.validRequest) {
        out.push(
          result(
            c,
            'request.header.incompatible',
            `Value is incompatible with the parameter defined in the spec file: must have required property '${parameter.name}'`,
            { pact: pactAt(parameter.name), spec: `${at}.parameters[${i}]` },
          ),
        );
      }
      headers.delete(name);
    });

    for (const name of this.undeclaredStandardHeaders(op)) headers.delete(name);
    if (ctx.validRequest) {
      for (const name of headers.keys()) {
        if (securityHeaders.includes(name)) continue;
        out.push(
          result(c, 'request.header.unknown', `Request header is not defined in the spec file: ${name}`, {
            pact: pactAt(name),
            spec: at,
          }),
        );
      }
    }
    return out;
  }

  private checkQuery(ctx: Checking): ContractResult[] {
    const { c, op, at } = ctx;
    const out: ContractResult[] = [];
    const legacy = this.config.legacyParser;
    const parsed = parseQuery(c.query, { commas: !legacy, dots: !legacy });
    const unparsed = parseQuery(c.query, { commas: false, dots: false });
    op.parameters.forEach((parameter, i) => {
      if (parameter?.in !== 'query') return;
      const name = parameter.name;
      const schema = this.parameterSchema(parameter);
      if (parameter.schema?.type === 'string') parsed[name] = unparsed[name];
      const value = parsed[name];
      if ((value !== undefined || parameter.required) && ctx.validRequest) {
        const key = `${at}.parameters[${i}]`;
        const separator = this.#isOpenApi3 ? ',' : (SWAGGER2_SEPARATORS[schema.collectionFormat] ?? ',');
        let input = schema.type === 'array' && typeof value === 'string' ? value.split(separator) : value;
        if (this.config.castObjectsInPact && value === '[object Object]') input = {};
        const failures = this.coercing.check(
          `${key}${!!value}`,
          this.parameterValidation(parameter, value, this.#isOpenApi3),
          input,
        );
        out.push(
          ...failures.map((f) =>
            result(
              c,
              'request.query.incompatible',
              `Value is incompatible with the parameter defined in the spec file: ${failureText(f)}`,
              {
                pact: `[root].interactions[${c.index}].request.query.${name}${instanceSuffix(f)}`,
                spec: `${key}.schema.${schemaSuffix(f)}`,
              },
            ),
          ),
        );
      }
      delete parsed[name];
    });
    if (!ctx.validRequest) return out;
    const securityQueries = new Set<string>();
    for (const requirement of op.security ?? []) {
      for (const schemeName of Object.keys(requirement ?? {})) {
        const scheme = this.#securitySchemes[schemeName];
        if (scheme?.type === 'apiKey' && scheme.in === 'query') securityQueries.add(scheme.name);
      }
    }
    for (const name of Object.keys(parsed)) {
      if (securityQueries.has(name)) continue;
      out.push(
        result(c, 'request.query.unknown', `Query parameter is not defined in the spec file: ${name}`, {
          pact: `[root].interactions[${c.index}].request.query.${name}`,
          spec: at,
        }),
      );
    }
    return out;
  }

  private checkRequestBody(ctx: Checking): ContractResult[] {
    const { c, op, at } = ctx;
    const body = c.requestBody;
    const consumes = this.requestMediaTypes(op);
    const declaredType = c.requestHeaders.get('content-type') ?? '';
    const mediaType = declaredType
      ? (findMediaType(declaredType, consumes) ?? declaredType)
      : 'application/json';
    const bodyParameter = deref(op.parameters.find((p) => p?.in === 'body') ?? {}, this.doc);
    const content = op.requestBody?.content;
    const contentKey = isObject(content) ? findMediaType(mediaType, Object.keys(content)) : undefined;
    const schema = (contentKey ? content[contentKey]?.schema : undefined) ?? bodyParameter?.schema;
    const required = op.requestBody?.required || bodyParameter?.required;
    if (!required && body === undefined) return [];

    const validatable = VALIDATABLE_MEDIA_TYPES.filter(
      (t) => t !== 'multipart/form-data' || !this.config.disableMultipartFormdata,
    );
    const treatment = bodyTreatment(mediaType, body, validatable);
    if (treatment === 'skip') return [];
    const pactAt = `[root].interactions[${c.index}].request.body`;
    if (treatment === 'warn') {
      if (!ctx.validRequest) return [];
      return [
        result(
          c,
          'request.body.unvalidatable',
          `Body with content type '${mediaType}' is not supported by the spec comparator`,
          {
            pact: pactAt,
            spec: `${at}.requestBody.content`,
          },
        ),
      ];
    }
    const jsonGate = this.config.noValidateRequestBodyUnlessApplicationJson
      ? !!findMediaType('application/json', consumes)
      : true;
    const out: ContractResult[] = [];
    if (schema && ctx.validRequest && jsonGate) {
      const value = parseFormBody(body, declaredType, this.config.legacyParser);
      const key = `${at}.requestBody.content.${mediaType}`;
      const failures = this.strict
        .check(key, () => this.requestSchema(schema, this.strict), value)
        .filter((f) => !excusedByMatchers(f, c.requestRules));
      out.push(
        ...failures.map((f) =>
          result(
            c,
            'request.body.incompatible',
            `Request body is incompatible with the request body schema in the spec file: ${failureText(f)}`,
            {
              pact: `${pactAt}${instanceSuffix(f)}`,
              spec: `${key}.schema.${schemaSuffix(f)}`,
            },
          ),
        ),
      );
    }
    const unknownGate = this.config.noValidateRequestBodyUnlessApplicationJson
      ? !!findMediaType('application/json', consumes) || consumes.length === 0
      : true;
    if (body && !schema && ctx.validRequest && unknownGate) {
      out.push(
        result(c, 'request.body.unknown', 'No matching schema found for request body', {
          pact: pactAt,
          spec: `${at}.requestBody.content`,
        }),
      );
    }
    return out;
  }

  private responseFor(op: Operation, status: number): { response: Json; exact: boolean } | undefined {
    const exact = op.responses[status] ?? op.responses[`${Math.floor(status / 100)}XX`];
    if (exact) return { response: exact, exact: true };
    return op.responses.default ? { response: op.responses.default, exact: false } : undefined;
  }

  private checkResponseHeaders(ctx: Checking): ContractResult[] {
    const { c, op, at } = ctx;
    const found = this.responseFor(op, c.status);
    if (!found) return [];
    const response = deref(found.response, this.doc);
    const out: ContractResult[] = [];
    const headers = new Map(c.responseHeaders);
    const pactAt = (name: string) => `[root].interactions[${c.index}].response.headers.${name}`;
    const produces = op.produces ?? Object.keys(response?.content ?? {});
    const contentType = headers.get('content-type')?.split(';')[0] ?? '';
    if (contentType && produces.length === 0) {
      out.push(
        result(
          c,
          'response.content-type.unknown',
          'Response Content-Type header is defined but the spec does not specify any mime-types to produce',
          {
            pact: pactAt('content-type'),
            spec: at,
          },
        ),
      );
    }
    if (contentType && produces.length > 0 && !findMediaType(contentType, produces)) {
      out.push(
        result(
          c,
          'response.content-type.incompatible',
          'Response Content-Type header is incompatible with the mime-types the spec defines to produce',
          {
            pact: pactAt('content-type'),
            spec: `${at}.responses.${c.status}.content`,
          },
        ),
      );
    }
    headers.delete('content-type');

    for (const [name, header] of Object.entries<Json>(isObject(response?.headers) ? response.headers : {})) {
      const lower = name.toLowerCase();
      const value = headers.get(lower);
      const resolved = deref(header, this.doc);
      const schema = resolved?.schema ?? header;
      if (value !== undefined && schema) {
        const key = `${at}.responses.${c.status}.headers.${name}`;
        const failures = this.coercing.check(key, () => this.requestSchema(schema, this.coercing), value);
        out.push(
          ...failures.map((f) =>
            result(
              c,
              'response.header.incompatible',
              `Value is incompatible with the parameter defined in the spec file: ${failureText(f)}`,
              {
                pact: `${pactAt(name)}${instanceSuffix(f)}`,
                spec: `${key}.schema.${schemaSuffix(f)}`,
              },
            ),
          ),
        );
      }
      headers.delete(lower);
    }
    for (const name of STANDARD_RESPONSE_HEADERS) {
      if (!headers.has(name)) continue;
      out.push(
        result(
          c,
          'response.header.undefined',
          `Standard http response header is not defined in the spec file: ${name}`,
          {
            pact: pactAt(name),
            spec: at,
          },
        ),
      );
      headers.delete(name);
    }
    for (const name of headers.keys()) {
      out.push(
        result(c, 'response.header.unknown', `Response header is not defined in the spec file: ${name}`, {
          pact: pactAt(name),
          spec: `${at}.responses.${c.status}.headers`,
        }),
      );
    }
    return out;
  }

  private checkResponse(ctx: Checking): ContractResult[] {
    const { c, op, at } = ctx;
    const pactAt = `[root].interactions[${c.index}].response`;
    const found = this.responseFor(op, c.status);
    if (!found) {
      return [
        result(c, 'response.status.unknown', `Response status code not defined in spec file: ${c.status}`, {
          pact: `${pactAt}.status`,
          spec: `${at}.responses`,
        }),
      ];
    }
    const out: ContractResult[] = [];
    if (!found.exact) {
      out.push(
        result(
          c,
          'response.status.default',
          `Response status code matched default response in spec file: ${c.status}`,
          {
            pact: `${pactAt}.status`,
            spec: `${at}.responses`,
          },
        ),
      );
    }
    const response = deref(found.response, this.doc);
    const produces: string[] = op.produces ?? Object.keys(response?.content ?? {});
    const mediaType =
      findMediaType(c.requestHeaders.get('accept') || 'application/json', produces) ??
      produces[0] ??
      'application/json';
    const content = response?.content;
    const contentKey = isObject(content) ? findMediaType(mediaType, Object.keys(content)) : undefined;
    const schema = response?.schema ?? (contentKey ? content[contentKey]?.schema : undefined);
    const body = c.responseBody;
    const treatment = bodyTreatment(mediaType, body);
    if (treatment === 'warn') {
      out.push(
        result(
          c,
          'response.body.unvalidatable',
          `Body with content type '${mediaType}' is not supported by the spec comparator`,
          {
            pact: `${pactAt}.body`,
            spec: `${at}.responses.${c.status}.content`,
          },
        ),
      );
    } else if (treatment === 'validate' && body) {
      if (!schema) {
        out.push(
          result(c, 'response.body.unknown', 'No matching schema found for response body', {
            pact: `${pactAt}.body`,
            spec: `${at}.responses.${c.status}.content`,
          }),
        );
      } else {
        const key = `${at}.responses.${c.status}.content.${mediaType}`;
        const failures = this.strict
          .check(key, () => this.receivedSchema(schema), body)
          .filter((f) => !excusedByMatchers(f, c.responseRules));
        out.push(
          ...failures.map((f) =>
            result(
              c,
              'response.body.incompatible',
              `Response body is incompatible with the response body schema in the spec file: ${failureText(f)}`,
              {
                pact: `${pactAt}.body${instanceSuffix(f)}`,
                spec: `${key}.schema.${schemaSuffix(f)}`,
              },
            ),
          ),
        );
      }
    }
    return out;
  }
}

function result(
  c: HttpCase,
  code: ResultCode,
  message: string,
  where: { pact: string; spec: string },
  type: ContractResult['type'] = WARNING_CODES.has(code) ? 'warning' : 'error',
): ContractResult {
  return {
    code,
    type,
    message,
    interaction: { index: c.index, description: c.description, state: c.state },
    pactLocation: where.pact,
    specLocation: where.spec,
  };
}

const WARNING_CODES = new Set<ResultCode>([
  'request.accept.unknown',
  'request.body.unknown',
  'request.body.unvalidatable',
  'request.content-type.missing',
  'request.content-type.unknown',
  'request.header.unknown',
  'request.query.unknown',
  'response.body.unvalidatable',
  'response.content-type.unknown',
  'response.header.undefined',
  'response.status.default',
]);

/** Whether a schema refers to another anywhere inside it. */
function hasRef(node: Json): boolean {
  if (Array.isArray(node)) return node.some(hasRef);
  if (!isObject(node)) return false;
  return typeof node.$ref === 'string' || Object.values(node).some(hasRef);
}

/** Whether a parameter's schema is an array or an object (the ones "complex" switches concern). */
function isStructured(schema: Json, doc: Json): boolean {
  if (schema === undefined) return true;
  const resolved = deref(schema, doc);
  return resolved?.type === 'array' || resolved?.type === 'object';
}

/** A path or header value in OpenAPI's simple style: `a=1,b=2` is an object, `1,2` an array. */
function parseStyledValue(raw: string | undefined): unknown {
  if (!raw) return raw;
  if (raw.includes('=')) return parseQuery(raw.replaceAll(',', '&'), { commas: true, dots: true });
  if (raw.includes(',')) return raw.split(',');
  return raw;
}

/** Form bodies arrive as text in a pact; their fields are what the schema describes. */
function parseFormBody(body: unknown, contentType: string, legacy: boolean): unknown {
  if (typeof body !== 'string') return body;
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return parseQuery(body, { commas: !legacy, dots: !legacy });
  }
  const boundary = /boundary=(.*)/.exec(contentType)?.[1];
  if (contentType.includes('multipart/form-data') && boundary) return parseMultipart(body, boundary);
  return body;
}

function parseMultipart(body: string, boundary: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const part of body.split(`--${boundary}`)) {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const head = part.slice(0, split);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    if (name === undefined) continue;
    fields[name] = part
      .slice(split)
      .replace(/^\r?\n\r?\n/, '')
      .replace(/\r?\n$/, '');
  }
  return fields;
}
