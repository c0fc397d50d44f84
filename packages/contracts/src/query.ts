import type { Json } from './json.js';

/**
 * How a query string reads as parameters, in the form OpenAPI's styles produce: `a=1&a=2` and
 * (with `commas`) `a=1,2` are arrays, `a[b]=1` and (with `dots`) `a.b=1` are objects, `a[]=1` and
 * `a[0]=1` are arrays. Keys and values are percent-decoded (`+` is a space).
 *
 * @example
 * parseQuery('id=1,2&filter.name=x', { commas: true, dots: true }) // { id: ['1', '2'], filter: { name: 'x' } }
 */
export function parseQuery(text: string, options: { commas: boolean; dots: boolean }): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = decode(eq < 0 ? piece : piece.slice(0, eq));
    const raw = eq < 0 ? '' : decode(piece.slice(eq + 1));
    const value: Json = options.commas && raw.includes(',') ? raw.split(',') : raw;
    assign(out, keyPath(key, options.dots), value);
  }
  return out;
}

function decode(text: string): string {
  const spaced = text.replaceAll('+', ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** `a[b][]` → ['a', 'b', ''], and with dots `a.b` → ['a', 'b']. */
function keyPath(key: string, dots: boolean): string[] {
  const dotted = dots ? key.replace(/\.([^.[]+)/g, '[$1]') : key;
  const open = dotted.indexOf('[');
  if (open <= 0) return [dotted];
  const groups = [...dotted.slice(open).matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!);
  // Text after the last bracket group is not part of the key (as qs-style parsers read it).
  return groups.length === 0 ? [dotted] : [dotted.slice(0, open), ...groups];
}

function assign(target: Record<string, Json>, path: string[], value: Json): void {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) {
    const existing = target[head];
    target[head] = existing === undefined ? value : ([] as Json[]).concat(existing, value);
    return;
  }
  const next = rest[0]!;
  const wantsArray = next === '' || /^\d+$/.test(next);
  let child = target[head];
  if (child === undefined || typeof child !== 'object') child = target[head] = wantsArray ? [] : {};
  if (Array.isArray(child)) {
    if (next === '' && rest.length === 1) {
      child.push(...([] as Json[]).concat(value));
      return;
    }
    if (!wantsArray) {
      child = target[head] = Object.fromEntries(child.map((v, i) => [String(i), v]));
    } else {
      const index = next === '' ? child.length : Number(next);
      if (rest.length === 1) {
        child[index] = child[index] === undefined ? value : ([] as Json[]).concat(child[index], value);
        return;
      }
      const holder: Record<string, Json> = { [String(index)]: child[index] };
      assign(holder, [String(index), ...rest.slice(1)], value);
      child[index] = holder[String(index)];
      return;
    }
  }
  assign(child as Record<string, Json>, rest, value);
}
