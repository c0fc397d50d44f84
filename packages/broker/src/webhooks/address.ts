/**
 * IP addresses for the webhook allowlists: parsing into numbers, CIDR ranges, and the ranges a
 * webhook may not reach unless the host allowlist names them. Pure; uses node:net only to validate.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as a number: 32 bits for IPv4, 128 for IPv6. */
export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

/** A CIDR range such as `10.0.0.0/8` or `fc00::/7`. */
export interface IpRange {
  version: 4 | 6;
  base: bigint;
  prefix: number;
  /** As written in the configuration, for messages. */
  text: string;
}

const bits = (version: 4 | 6) => (version === 4 ? 32 : 128);

function parseIPv4(text: string): bigint {
  return text.split('.').reduce((sum, octet) => (sum << 8n) + BigInt(Number(octet)), 0n);
}

function parseIPv6(text: string): bigint {
  let rest = text;
  let tail: bigint[] = [];
  // an embedded IPv4 tail (::ffff:127.0.0.1) stands for the last two groups
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(rest);
  if (dotted) {
    const v4 = parseIPv4(dotted[1]!);
    tail = [v4 >> 16n, v4 & 0xffffn];
    rest = rest.slice(0, -dotted[1]!.length);
    if (rest.endsWith(':') && !rest.endsWith('::')) rest = rest.slice(0, -1);
  }
  const [head = '', after] = rest.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => BigInt(`0x${g}`)));
  const left = groups(head);
  const right = [...groups(after ?? ''), ...tail];
  const zeros = after === undefined ? [] : new Array<bigint>(8 - left.length - right.length).fill(0n);
  return [...left, ...zeros, ...right].reduce((sum, group) => (sum << 16n) + group, 0n);
}

/**
 * Parses an IP address in its canonical forms (`127.0.0.1`, `::1`, `[::1]`, `fe80::1%eth0`), or
 * undefined when the text is not one. Numeric shorthands (`2130706433`, `0177.0.0.1`, `127.1`) are
 * not addresses here: the URL parser has already turned them into dotted form in a URL's host.
 *
 * @example parseIp('::ffff:10.0.0.1') // → { version: 6, value: 0xffff0a000001n }
 */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (isIPv4(bare)) return { version: 4, value: parseIPv4(bare) };
  if (isIPv6(bare)) return { version: 6, value: parseIPv6(bare) };
  return undefined;
}

/**
 * Parses `address/prefix` (or a bare address, a range of one), or undefined when malformed.
 *
 * @example parseRange('100.64.0.0/10')
 */
export function parseRange(text: string): IpRange | undefined {
  const [addressText = '', prefixText, extra] = text.split('/');
  if (extra !== undefined) return undefined;
  const address = parseIp(addressText);
  if (!address) return undefined;
  const width = bits(address.version);
  const prefix = prefixText === undefined ? width : Number(prefixText);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) return undefined;
  const hostBits = BigInt(width - prefix);
  return { version: address.version, base: (address.value >> hostBits) << hostBits, prefix, text };
}

/** Whether the range holds the address (an IPv4 range never holds an IPv6 address, nor the reverse). */
export function rangeContains(range: IpRange, address: IpAddress): boolean {
  if (range.version !== address.version) return false;
  const hostBits = BigInt(bits(range.version) - range.prefix);
  return (address.value >> hostBits) << hostBits === range.base;
}

const range = (text: string) => parseRange(text)!;

/** IPv6 ranges that carry an IPv4 address in their low 32 bits. */
const IPV4_CARRIERS = [
  range('::ffff:0:0/96'), // IPv4-mapped
  range('::/96'), // IPv4-compatible (deprecated, still routed by some stacks)
  range('64:ff9b::/96'), // NAT64
];
const SIX_TO_FOUR = range('2002::/16');

/**
 * The IPv4 address an IPv6 address stands for, if any: `::ffff:127.0.0.1`, `::127.0.0.1`,
 * `64:ff9b::7f00:1` and 6to4's `2002:7f00:1::` all reach 127.0.0.1.
 */
export function embeddedIPv4(address: IpAddress): IpAddress | undefined {
  if (address.version !== 6) return undefined;
  // :: and ::1 lie in ::/96 but are IPv6's own unspecified and loopback addresses
  if (address.value <= 1n) return undefined;
  if (IPV4_CARRIERS.some((carrier) => rangeContains(carrier, address)))
    return { version: 4, value: address.value & 0xffffffffn };
  if (rangeContains(SIX_TO_FOUR, address)) return { version: 4, value: (address.value >> 80n) & 0xffffffffn };
  return undefined;
}

/**
 * What a webhook may not reach unless the host allowlist names it by IP or CIDR: this host, private
 * networks, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast and reserved
 * ranges. The reference broker blocks none of these by default.
 */
export const BLOCKED_RANGES: readonly IpRange[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/128',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
  'fec0::/10',
  'ff00::/8',
].map(range);

/**
 * The blocked range an address falls in (checking the IPv4 address an IPv6 form carries), or undefined.
 *
 * @example blockedRangeOf(parseIp('::ffff:169.254.169.254')!)?.text // → '169.254.0.0/16'
 */
export function blockedRangeOf(address: IpAddress): IpRange | undefined {
  const inner = embeddedIPv4(address);
  return BLOCKED_RANGES.find((r) => rangeContains(r, address) || (inner && rangeContains(r, inner)));
}
