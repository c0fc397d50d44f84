/** Option parsers the commands share: commander calls them with each value given. */
import { MAX_TIMEOUT_MS } from '@covenant/broker-client';
import { InvalidArgumentError } from 'commander';

/** A repeatable option whose values may also be comma-separated: `-t a -t b,c` → `['a', 'b', 'c']`. */
export function commaList(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

/** A TCP port, 0 (a free one) to 65535. */
export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return n;
}

/** A whole number, 0 or more. */
export function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('give a whole number, 0 or more');
  return n;
}

/** A timeout in milliseconds, 1 to the longest a Node timer can wait (about 24 days). */
export function milliseconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > MAX_TIMEOUT_MS)
    throw new InvalidArgumentError(`give a whole number of milliseconds, from 1 to ${MAX_TIMEOUT_MS}`);
  return n;
}

/** A repeatable `'Name: value'` header option, collected into one record. */
export function header(value: string, previous: Record<string, string>): Record<string, string> {
  const colon = value.indexOf(':');
  if (colon <= 0) throw new InvalidArgumentError(`write a header as 'Name: value', not '${value}'`);
  return { ...previous, [value.slice(0, colon).trim()]: value.slice(colon + 1).trim() };
}
