/**
 * How deeply a request's JSON may nest. Far beyond any real pact or webhook, and far below where
 * the broker's recursive work (canonical hashing, JSON.stringify, rendering) would overflow the stack.
 */
export const MAX_JSON_DEPTH = 512;

/** Whether `value` nests objects and arrays deeper than `max`, found without recursion. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
