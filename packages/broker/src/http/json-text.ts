/**
 * How deeply a request's JSON may nest. Far beyond any real pact or webhook, and far below where
 * the broker's recursive work (canonical hashing, JSON.stringify, rendering) would overflow the stack.
 */
export const MAX_JSON_DEPTH = 512;

/** JSON text as read: its value, or why it was refused (`message` says so without naming the text). */
export type JsonText =
  | {
      ok: true;
      value: unknown /** The path of the first key or string with NUL, when asked for. */;
      nulAt?: string;
    }
  | { ok: false; reason: 'syntax' | 'depth'; message: string };

/**
 * Reads JSON text as the broker takes it anywhere (a request body, a pact inside one): a UTF-8 byte
 * order mark (as Windows tools write) is not part of the JSON, and objects and arrays may nest at
 * most MAX_JSON_DEPTH deep. With `nul`, also finds the first key or string holding a NUL character,
 * in the same walk.
 *
 * @example const read = readJsonText('{"a":[1]}'); // { ok: true, value: { a: [1] } }
 */
export function readJsonText(text: string, options: { nul?: boolean } = {}): JsonText {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, reason: 'syntax', message: (error as Error).message };
  }
  const facts = inspectJson(value, options.nul === true);
  if (facts.tooDeep)
    return {
      ok: false,
      reason: 'depth',
      message: `nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`,
    };
  return facts.nulAt === undefined ? { ok: true, value } : { ok: true, value, nulAt: facts.nulAt };
}

/** One step of the walk; its JSON path is built from `parent` and `key` only when it is needed. */
interface Step {
  value: unknown;
  depth: number;
  parent?: Step;
  key?: string | number;
}

const pathOf = (step: Step): string => {
  const keys: Array<string | number> = [];
  for (let at: Step | undefined = step; at?.key !== undefined; at = at.parent) keys.push(at.key);
  return `$${keys
    .reverse()
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`))
    .join('')}`;
};

/**
 * Whether `value` nests objects and arrays deeper than MAX_JSON_DEPTH and, with `nul`, where its
 * first key or string holding NUL is: one walk, without recursion (a body 20 000 deep would
 * overflow the stack).
 */
function inspectJson(value: unknown, nul: boolean): { tooDeep: boolean; nulAt?: string } {
  let nulAt: string | undefined;
  const stack: Step[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const item = step.value;
    if (typeof item === 'string') {
      if (nul && nulAt === undefined && item.includes('\u0000')) nulAt = pathOf(step);
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (step.depth + 1 > MAX_JSON_DEPTH) return { tooDeep: true };
    if (Array.isArray(item)) {
      item.forEach((child, i) => {
        if (child !== null && (typeof child === 'object' || (nul && typeof child === 'string')))
          stack.push({ value: child, depth: step.depth + 1, parent: step, key: i });
      });
    } else {
      for (const [key, child] of Object.entries(item)) {
        if (nul && nulAt === undefined && key.includes('\u0000')) nulAt = pathOf(step);
        if (child !== null && (typeof child === 'object' || (nul && typeof child === 'string')))
          stack.push({ value: child, depth: step.depth + 1, parent: step, key });
      }
    }
  }
  return nulAt === undefined ? { tooDeep: false } : { tooDeep: false, nulAt };
}
