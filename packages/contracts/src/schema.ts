import { cloneJson, isObject, type Json, mergeDeep } from './json.js';
import { deref, refSegments, setValueAt, valueAt } from './pointer.js';

/** The keywords under which a schema holds sub-schemas that the transforms below walk. */
function eachSubschema(schema: Json, visit: (sub: Json) => void): void {
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[key])) schema[key].forEach(visit);
  }
  if (isObject(schema.properties)) Object.values(schema.properties).forEach(visit);
  for (const key of ['not', 'items', 'additionalProperties'] as const) {
    if (schema[key] !== undefined) visit(schema[key]);
  }
}

/** Visits `schema` and its sub-schemas, children first, without following references. */
function walk(schema: Json, visit: (s: Record<string, Json>) => void): void {
  if (!isObject(schema)) return;
  eachSubschema(schema, (sub) => walk(sub, visit));
  visit(schema);
}

/**
 * Turns an OpenAPI schema (3.0, 3.1 or Swagger 2's dialect) into a JSON Schema Ajv validates as
 * the document means it:
 * - `nullable: true` adds `null` to the type;
 * - boolean `exclusiveMinimum`/`exclusiveMaximum` (draft-04) become the numeric form;
 * - a `discriminator` makes its property required (and is dropped where there is no `oneOf`);
 * - `allOf` is merged into one schema (OpenAPI documents use it to extend a base);
 * - every schema it references is copied in at its own location (`#/components/schemas/Pet` lands
 *   at `components.schemas.Pet` of the result), so local `$ref`s, circular ones too, resolve
 *   inside the result.
 *
 * @example
 * const schema = toJsonSchema({ $ref: '#/components/schemas/Pet' }, openapiDocument);
 * new Ajv().compile(schema);
 */
export function toJsonSchema(original: Json, doc: Json, shared?: SharedSchemas): Json {
  const pending: string[] = [];
  const seen = new Set<string>();
  const collect = (s: Record<string, Json>) => {
    if (shared || typeof s.$ref !== 'string' || seen.has(s.$ref)) return;
    seen.add(s.$ref);
    pending.push(s.$ref);
  };
  const copied: string[] = [];
  const adapt = (s: Json) => {
    if (!isObject(s)) return;
    delete s.description;
    delete s.example;
    walk(s, (node) => {
      fixDiscriminator(node);
      collect(node);
      fixNullable(node, doc);
      fixExclusiveBounds(node);
    });
  };

  const schema = isObject(original) ? cloneJson(original) : original;
  adapt(schema);
  while (pending.length > 0) {
    const ref = pending.shift()!;
    copied.push(ref);
    const segments = refSegments(ref);
    if (segments.length === 0 || !isObject(schema)) continue;
    const target = cloneJson(valueAt(doc, segments) ?? {});
    adapt(target);
    setValueAt(schema, segments, target);
  }
  if (!isObject(schema)) return schema;
  if (!shared) return flattenAllOf(schema, copied);
  return pointRefsAt(flattenAllOf(schema, [], shared.root), shared.id);
}

/**
 * The schemas of a document that other schemas reference, prepared once (as {@link toJsonSchema}
 * prepares them) and registered with Ajv under `id`, so that each operation's schema refers to them
 * instead of carrying, and compiling, its own copies.
 */
export interface SharedSchemas {
  id: string;
  root: Record<string, Json>;
}

/**
 * Prepares every schema the document references (`received`: tightened for bodies the consumer
 * receives, see {@link forReceivedBody}).
 *
 * @example
 * const shared = sharedSchemas(openapiDocument, 'covenant:request', false);
 * ajv.addSchema(shared.root, shared.id);
 * ajv.compile(toJsonSchema(operationSchema, openapiDocument, shared));
 */
export function sharedSchemas(doc: Json, id: string, received: boolean): SharedSchemas {
  const refs = new Set<string>();
  const find = (node: Json): void => {
    if (Array.isArray(node)) node.forEach(find);
    else if (isObject(node)) {
      if (typeof node.$ref === 'string' && node.$ref.startsWith('#/')) refs.add(node.$ref);
      Object.values(node).forEach(find);
    }
  };
  find(doc);
  // One schema referencing them all pulls every target (and what they reference) into its root.
  const seed = { anyOf: [...refs].map(($ref) => ({ $ref })) };
  const prepared = toJsonSchema(seed, doc);
  const root = received ? forReceivedBody(prepared) : prepared;
  delete root.anyOf;
  return { id, root };
}

/** Turns local references (`#/components/…`) into references to the shared schemas (`id#/components/…`). */
function pointRefsAt(node: Json, id: string): Json {
  if (Array.isArray(node)) return node.map((item) => pointRefsAt(item, id));
  if (!isObject(node)) return node;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#')
        ? `${id}${value}`
        : pointRefsAt(value, id);
  }
  return out;
}

function fixDiscriminator(s: Record<string, Json>): void {
  if (s.discriminator?.propertyName && s.oneOf) {
    s.required = [...new Set([...(s.required ?? []), s.discriminator.propertyName])];
  }
  if (s.discriminator && !s.oneOf) delete s.discriminator;
  // Ajv finds each branch's tag value from its `const`/`enum`; it refuses an explicit mapping.
  if (isObject(s.discriminator) && s.discriminator.mapping) {
    const { mapping: _mapping, ...rest } = s.discriminator;
    s.discriminator = rest;
  }
}

function fixNullable(s: Record<string, Json>, doc: Json): void {
  if (typeof s.$ref === 'string') {
    if (s.nullable && !s.type) s.type = deref(s, doc)?.type;
    return;
  }
  if (s.nullable && !s.type) s.type = 'object';
  if (s.nullable && !Array.isArray(s.type)) s.type = [s.type, 'null'];
}

function fixExclusiveBounds(s: Record<string, Json>): void {
  for (const [exclusive, bound] of [
    ['exclusiveMaximum', 'maximum'],
    ['exclusiveMinimum', 'minimum'],
  ] as const) {
    if (s[exclusive] === true) {
      s[exclusive] = s[bound];
      delete s[bound];
    } else if (s[exclusive] === false) {
      delete s[exclusive];
    }
  }
}

/**
 * Merges `allOf` branches (following their `$ref`s inside `lookupRoot`) into the schema holding
 * them. `expanding` holds the references being inlined on the way down, so a circular schema
 * keeps its `$ref` where it comes back to itself instead of being inlined forever.
 */
function flattenAllOf(root: Record<string, Json>, refs: string[], lookupRoot: Json = root): Json {
  const flat = (s: Json, expanding: ReadonlySet<string> = new Set()): Json => {
    if (!isObject(s)) return s;
    const inner = (sub: Json) => flat(sub, expanding);
    if (Array.isArray(s.allOf)) {
      const { allOf, ...others } = s;
      return allOf.reduce((merged: Json, branch: Json) => {
        let resolved = branch;
        let within = expanding;
        if (isObject(branch) && typeof branch.$ref === 'string') {
          const { $ref, ...siblings } = branch;
          if (expanding.has($ref)) return merged;
          resolved = { ...siblings, ...valueAt(lookupRoot, refSegments($ref)) };
          within = new Set([...expanding, $ref]);
        }
        return mergeDeep(merged, inlinePropertyRefs(flat(resolved, within), within));
      }, others as Json);
    }
    if (isObject(s.properties)) {
      for (const key of Object.keys(s.properties)) s.properties[key] = inner(s.properties[key]);
      return s;
    }
    for (const key of ['oneOf', 'anyOf', 'not', 'items', 'additionalProperties']) {
      if (s[key]) return { ...s, [key]: Array.isArray(s[key]) ? s[key].map(inner) : inner(s[key]) };
    }
    return s;
  };
  // Properties that are a bare $ref are inlined before merging, so two branches defining the same
  // property do not merge into a { $ref, properties } hybrid.
  const inlinePropertyRefs = (s: Json, expanding: ReadonlySet<string>): Json => {
    if (!isObject(s) || !isObject(s.properties)) return s;
    let changed = false;
    const properties: Record<string, Json> = {};
    for (const [key, prop] of Object.entries(s.properties)) {
      const ref = isObject(prop) && Object.keys(prop).length === 1 ? prop.$ref : undefined;
      const target =
        typeof ref === 'string' && !expanding.has(ref) ? valueAt(lookupRoot, refSegments(ref)) : undefined;
      properties[key] = target ? flat(target, new Set([...expanding, ref as string])) : prop;
      changed ||= target !== undefined;
    }
    return changed ? { ...s, properties } : s;
  };

  const flattened = flat(root);
  for (const ref of refs) {
    const segments = refSegments(ref);
    if (segments.length > 0) setValueAt(flattened, segments, flat(valueAt(root, segments), new Set([ref])));
  }
  return flattened;
}

/**
 * Tightens a schema for a body the consumer receives: an object may not carry properties the
 * schema does not name (the consumer would rely on something the provider never promised), and
 * `required` is dropped (a consumer need not read every field). `oneOf` schemas keep `required`,
 * which discriminators need. References inside `schema` are followed (each once).
 *
 * @example
 * forReceivedBody({ type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] })
 * // { type: 'object', properties: {…}, additionalProperties: false }
 */
export function forReceivedBody(schema: Json): Json {
  visitResolved(schema, (s) => {
    if (
      (s.additionalProperties === undefined || s.additionalProperties === true) &&
      !s.oneOf &&
      !s.allOf &&
      !s.anyOf &&
      s.type === 'object'
    ) {
      s.additionalProperties = false;
    }
  });
  visitResolved(schema, (s) => {
    if (!s.oneOf) delete s.required;
  });
  return schema;
}

function visitResolved(root: Json, visit: (s: Record<string, Json>) => void): void {
  const seen = new Set<string>();
  const go = (node: Json) => {
    if (!isObject(node)) return;
    if (typeof node.$ref === 'string') {
      if (seen.has(node.$ref)) return;
      seen.add(node.$ref);
    }
    const s = deref(node, root);
    if (!isObject(s)) return;
    if (node.nullable) {
      s.nullable = node.nullable;
      if (!s.type) s.type = 'object';
    }
    eachSubschema(s, go);
    visit(s);
  };
  go(root);
}
