import { describe, expect, it } from 'vitest';
import type { IntegrationPair } from '../db/network-repo.js';
import { groupContaining, integrationsDot, relationshipsCsv } from './network.js';

const pair = (
  consumerId: number,
  consumer: string,
  providerId: number,
  provider: string,
): IntegrationPair => ({
  consumerId,
  consumer,
  providerId,
  provider,
});

// Web → Orders → Stock, Web → Users; Admin → Audit on its own
const pairs = [
  pair(4, 'Admin', 5, 'Audit'),
  pair(2, 'Orders', 3, 'Stock'),
  pair(1, 'Web', 2, 'Orders'),
  pair(1, 'Web', 6, 'Users'),
];

describe('the network data', () => {
  it('writes the reference relationships CSV, each line padded to the longest', () => {
    expect(relationshipsCsv(pairs)).toBe(
      [
        '4,Admin,1,1,0,1,5,0',
        '5,Audit,1,1,0,2,0,0',
        '2,Orders,1,1,0,3,3,0',
        '3,Stock,1,1,0,4,0,0',
        '1,Web,1,1,0,5,2,6',
        '6,Users,1,1,0,6,0,0',
        '',
      ].join('\n'),
    );
    expect(relationshipsCsv([])).toBe('');
    // a name with a comma or quote stays one field
    expect(relationshipsCsv([pair(1, 'A, "the" app', 2, 'B')])).toBe(
      '1,"A, ""the"" app",1,1,0,1,2\n2,B,1,1,0,2,0\n',
    );
  });

  it('finds the part of the network a pacticipant belongs to, through either side of a pact', () => {
    const names = (group: IntegrationPair[]) => group.map((p) => `${p.consumer}->${p.provider}`);
    expect(names(groupContaining(pairs, 'Stock'))).toEqual(['Orders->Stock', 'Web->Orders', 'Web->Users']);
    expect(names(groupContaining(pairs, 'Users'))).toEqual(['Orders->Stock', 'Web->Orders', 'Web->Users']);
    expect(names(groupContaining(pairs, 'Audit'))).toEqual(['Admin->Audit']);
    expect(groupContaining(pairs, 'Loner')).toEqual([]);
  });

  it('writes a Graphviz digraph whose node ids survive any name', () => {
    const dot = integrationsDot([pair(1, 'Web "shop"', 2, 'Api\\v1')]);
    expect(dot).toMatch(/^digraph \{\n/);
    expect(dot).toContain('  "Web \\"shop\\"" -> "Api\\\\v1";\n');
    expect(dot).toMatch(/\}\n$/);
  });
});
