/**
 * Provider contracts are open-ended documents (any extension field may appear), so the comparison
 * walks them as plain JSON. `Json` names that on purpose, in one place.
 */
// biome-ignore lint/suspicious/noExplicitAny: OpenAPI and AsyncAPI documents are walked structurally.
export type Json = any;

/** True for a JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of a JSON value (documents come from JSON or YAML, so no cycles in the data). */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * Deep merge the way OpenAPI's allOf is commonly flattened: objects merge key by key, arrays merge
 * index by index (the comparator's behaviour, which the conformance cases rely on).
 */
export function mergeDeep(target: Json, source: Json): Json {
  if (source === undefined) return target;
  if (Array.isArray(source)) {
    const out: Json[] = Array.isArray(target) ? [...target] : [];
    source.forEach((item, i) => {
      out[i] = mergeDeep(out[i], item);
    });
    return out;
  }
  if (isObject(source)) {
    const out: Record<string, Json> = isObject(target) ? { ...target } : {};
    for (const [key, value] of Object.entries(source)) out[key] = mergeDeep(out[key], value);
    return out;
  }
  return source;
}
