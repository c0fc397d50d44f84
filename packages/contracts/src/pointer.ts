import { isObject, type Json } from './json.js';

/** The segments of a local reference (`#/components/schemas/Pet` → components, schemas, Pet). */
export function refSegments(ref: string): string[] {
  let segments = segmentsByRef.get(ref);
  if (segments === undefined) {
    const path = ref.startsWith('#') ? ref.slice(1) : ref;
    segments =
      path === '' || path === '/'
        ? []
        : path
            .slice(path.startsWith('/') ? 1 : 0)
            .split('/')
            .map((s) => decodeURIComponent(s.replaceAll('~1', '/').replaceAll('~0', '~')));
    if (segmentsByRef.size >= 10_000) segmentsByRef.clear();
    segmentsByRef.set(ref, segments);
  }
  return segments;
}

// Documents repeat the same few references many times; each is split once.
const segmentsByRef = new Map<string, string[]>();

/** The value at `segments` inside `doc`, or undefined when any step is missing. */
export function valueAt(doc: Json, segments: readonly string[]): Json {
  let node = doc;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = node[segment];
  }
  return node;
}

/** Writes `value` at `segments` inside `doc`, creating objects on the way. */
export function setValueAt(doc: Record<string, Json>, segments: readonly string[], value: Json): void {
  let node = doc;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) {
      node[segment] = value;
      return;
    }
    if (!isObject(node[segment])) node[segment] = {};
    node = node[segment];
  });
}

/**
 * Follows a chain of `$ref`s from `node` (a ref to a ref to …) and gives the final target and the
 * last reference followed. A broken or circular chain gives `target: undefined`.
 */
export function followRefs(node: Json, doc: Json): { target: Json; ref: string | undefined } {
  let current = node;
  let last: string | undefined;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === 'string') {
    const ref: string = current.$ref;
    if (seen.has(ref)) return { target: undefined, ref: undefined };
    seen.add(ref);
    last = ref;
    current = valueAt(doc, refSegments(ref));
  }
  return { target: current, ref: last };
}

/** `node` with its `$ref` chain followed; `node` itself when it has no ref or the ref is broken. */
export function deref(node: Json, doc: Json): Json {
  return followRefs(node, doc).target ?? node;
}

/** Inlines every `$ref` in `node` (a ref met again on its own path becomes `{}`, so cycles end). */
export function inlineRefs(node: Json, doc: Json, onPath: ReadonlySet<string> = new Set()): Json {
  if (Array.isArray(node)) return node.map((item) => inlineRefs(item, doc, onPath));
  if (!isObject(node)) return node;
  if (typeof node.$ref === 'string') {
    if (onPath.has(node.$ref)) return {};
    return inlineRefs(valueAt(doc, refSegments(node.$ref)), doc, new Set([...onPath, node.$ref]));
  }
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) out[key] = inlineRefs(value, doc, onPath);
  return out;
}
