import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCKED_RANGES, blockedRangeOf, parseIp } from './address.js';

/** An IPv4 address inside a blocked IPv4 range, as four octets. */
const blockedV4 = fc
  .constantFrom(...BLOCKED_RANGES.filter((r) => r.version === 4))
  .chain((range) =>
    fc.bigInt({ min: 0n, max: (1n << BigInt(32 - range.prefix)) - 1n }).map((offset) => range.base + offset),
  )
  .map((value) => [24n, 16n, 8n, 0n].map((shift) => Number((value >> shift) & 0xffn)));

const dotted = (octets: number[]) => octets.join('.');
const hex = (octets: number[]) =>
  `${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}`;

describe('blocked addresses, whatever their written form', () => {
  it('blocks every address of a blocked IPv4 range, dotted, mapped, compatible, NAT64 and 6to4', () => {
    fc.assert(
      fc.property(blockedV4, (octets) => {
        const forms = [
          dotted(octets),
          `::ffff:${dotted(octets)}`,
          `::ffff:${hex(octets)}`,
          `64:ff9b::${hex(octets)}`,
          `2002:${hex(octets)}::1`,
          `::${dotted(octets)}`, // IPv4-compatible (::0.0.0.1 is ::1, blocked as IPv6 loopback)
        ];
        for (const form of forms) expect(blockedRangeOf(parseIp(form)!), form).toBeDefined();
      }),
    );
  });

  it('blocks the numeric shorthands of loopback once a URL has normalised them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0x7f000000, max: 0x7fffffff }), (n) => {
        const forms = [
          `http://${n}/`,
          `http://0x${n.toString(16)}/`,
          `http://0${n.toString(8)}/`,
          `http://127.${n & 0xffffff}/`,
        ];
        for (const form of forms) {
          const host = new URL(form).hostname;
          expect(blockedRangeOf(parseIp(host)!), form).toBeDefined();
        }
      }),
    );
  });

  it('lets a public unicast IPv4 address through', () => {
    const publicV4 = fc
      .tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.nat(255))
      .filter(
        ([a, b]) =>
          ![0, 10, 127].includes(a) &&
          !(a === 100 && b >= 64 && b < 128) &&
          !(a === 169 && b === 254) &&
          !(a === 172 && b >= 16 && b < 32) &&
          !(a === 192 && (b === 168 || b === 0)) &&
          !(a === 198 && (b === 18 || b === 19)),
      );
    fc.assert(
      fc.property(publicV4, (octets) => {
        expect(blockedRangeOf(parseIp(dotted(octets))!)).toBeUndefined();
      }),
    );
  });
});
