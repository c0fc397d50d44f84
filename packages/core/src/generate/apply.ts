import { coreError } from '../errors.js';
import { isJsonObject, type JsonValue } from '../json/value.js';
import { bodyJson, jsonBody } from '../model/body.js';
import { bodyKindOf } from '../model/content-type.js';
import { type PathToken, parsePath } from '../model/path.js';
import type {
  Body,
  Generator,
  Headers,
  HttpRequest,
  HttpResponse,
  MessageContents,
  Query,
} from '../model/types.js';
import { type GeneratorContext, type GeneratorMode, generateValue } from './value.js';

function produce(
  generator: Generator,
  original: JsonValue | undefined,
  mode: GeneratorMode,
  context: GeneratorContext,
  where: string,
) {
  const result = generateValue(generator, original, mode, context);
  if (result.ok === false) {
    throw coreError(
      'COV_CORE_GENERATOR_INVALID',
      `the ${generator.type} generator at ${where} failed: ${result.error}`,
      {
        where,
        generator,
      },
    );
  }
  return result.ok === 'skip' ? undefined : result.value;
}

/** Replaces every value in `root` that the path selects (wildcards included) with `make(old)`. */
function replaceAt(
  root: JsonValue,
  tokens: PathToken[],
  make: (old: JsonValue) => JsonValue | undefined,
): JsonValue {
  const visit = (value: JsonValue, i: number): JsonValue => {
    if (i === tokens.length) return make(value) ?? value;
    const token = tokens[i]!;
    if (Array.isArray(value)) {
      if (token.kind === 'index') {
        if (token.index >= value.length) return value;
        const copy = [...value];
        copy[token.index] = visit(value[token.index]!, i + 1);
        return copy;
      }
      if (token.kind === 'star' || token.kind === 'starIndex') return value.map((v) => visit(v, i + 1));
      return value;
    }
    if (isJsonObject(value)) {
      if (token.kind === 'field') {
        if (!Object.hasOwn(value, token.name)) return value;
        return { ...value, [token.name]: visit(value[token.name]!, i + 1) };
      }
      if (token.kind === 'star' || token.kind === 'starIndex') {
        const copy: Record<string, JsonValue> = {};
        for (const [k, v] of Object.entries(value)) copy[k] = visit(v, i + 1);
        return copy;
      }
    }
    return value;
  };
  return visit(root, tokens[0]?.kind === 'root' ? 1 : 0);
}

function applyToBody(
  body: Body,
  generators: Map<string, Generator> | undefined,
  mode: GeneratorMode,
  context: GeneratorContext,
): Body {
  if (!generators || generators.size === 0 || body.kind !== 'present') return body;
  const kind = bodyKindOf(body.contentType) ?? (body.content.type === 'json' ? 'json' : undefined);
  if (kind !== 'json') return body;
  const parsed = bodyJson(body.content);
  if (!parsed.ok) return body;
  let value = parsed.value;
  for (const [expression, generator] of generators) {
    const path = parsePath(expression);
    if (!path.ok) throw coreError('COV_CORE_GENERATOR_INVALID', path.error, { expression });
    value = replaceAt(value, path.tokens, (old) =>
      produce(generator, old, mode, context, `body ${expression}`),
    );
  }
  return {
    ...jsonBody(value, body.contentType),
    ...(body.contentTypeHint ? { contentTypeHint: body.contentTypeHint } : {}),
  };
}

function applyToNamed<T extends Headers | Query>(
  values: T | undefined,
  generators: Map<string, Generator> | undefined,
  mode: GeneratorMode,
  context: GeneratorContext,
  what: string,
): T | undefined {
  if (!generators || generators.size === 0) return values;
  const out: Record<string, string[]> = { ...(values ?? {}) };
  for (const [name, generator] of generators) {
    const key =
      Object.keys(out).find((k) =>
        what === 'header' ? k.toLowerCase() === name.toLowerCase() : k === name,
      ) ?? name;
    const existing = out[key] ?? [];
    const generated = (existing.length > 0 ? existing : [undefined]).map((old) => {
      const v = produce(generator, old, mode, context, `${what} ${name}`);
      return v === undefined ? old : typeof v === 'string' ? v : String(v);
    });
    const defined = generated.filter((v): v is string => v !== undefined);
    if (defined.length > 0) out[key] = defined;
  }
  return out as T;
}

function single(generators: Map<string, Generator> | undefined): Generator | undefined {
  return generators?.get('');
}

/**
 * Returns a copy of the request with its generators applied (random values, provider state
 * values, dates…). Generators of the other mode are left alone.
 *
 * @example
 * const request = generateRequest(interaction.request, 'provider', { providerState: { id: 42 } });
 */
export function generateRequest(
  request: HttpRequest,
  mode: GeneratorMode,
  context: GeneratorContext = {},
): HttpRequest {
  const g = request.generators;
  const pathGenerator = single(g.path);
  const path = pathGenerator ? produce(pathGenerator, request.path, mode, context, 'path') : undefined;
  const methodGenerator = single(g.method);
  const method = methodGenerator
    ? produce(methodGenerator, request.method, mode, context, 'method')
    : undefined;
  return {
    ...request,
    method: typeof method === 'string' ? method : request.method,
    path: path === undefined ? request.path : String(path),
    query: applyToNamed(request.query, g.query, mode, context, 'query'),
    headers: applyToNamed(request.headers, g.header, mode, context, 'header'),
    body: applyToBody(request.body, g.body, mode, context),
  };
}

/** Returns a copy of the response with its generators applied. */
export function generateResponse(
  response: HttpResponse,
  mode: GeneratorMode,
  context: GeneratorContext = {},
): HttpResponse {
  const g = response.generators;
  const statusGenerator = single(g.status);
  const status = statusGenerator
    ? produce(statusGenerator, response.status ?? 200, mode, context, 'status')
    : undefined;
  return {
    ...response,
    status: status === undefined ? response.status : Number(status),
    headers: applyToNamed(response.headers, g.header, mode, context, 'header'),
    body: applyToBody(response.body, g.body, mode, context),
  };
}

/** Returns a copy of the message with generators applied to its contents and metadata. */
export function generateMessage(
  message: MessageContents,
  mode: GeneratorMode,
  context: GeneratorContext = {},
): MessageContents {
  const g = message.generators;
  let metadata = message.metadata;
  if (g.metadata && g.metadata.size > 0) {
    metadata = { ...metadata };
    for (const [key, generator] of g.metadata) {
      const v = produce(generator, metadata[key], mode, context, `metadata ${key}`);
      if (v !== undefined) metadata[key] = v;
    }
  }
  return { ...message, metadata, contents: applyToBody(message.contents, g.body, mode, context) };
}

export type { GeneratorContext, GeneratorMode } from './value.js';
