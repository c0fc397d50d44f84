import { describe, expect, it } from 'vitest';
import { matchingRulesFromJson } from '../model/matching-rules.js';
import { compareHeaders } from './headers.js';

const digits = matchingRulesFromJson({
  header: { 'X-Test': { matchers: [{ match: 'regex', regex: '\\d{1,4}' }] } },
}).header;

describe('compareHeaders with a rule on a repeated header', () => {
  it('applies the rule to each value of a comma-joined repeated header', () => {
    expect(compareHeaders({ 'X-Test': ['1000'] }, { 'x-test': ['1000, 1234, 9999'] }, digits)).toEqual([]);
  });

  it('reports the one value that fails, not the joined header', () => {
    const mismatches = compareHeaders({ 'X-Test': ['1000'] }, { 'x-test': ['1000, 1234, 9999ABC'] }, digits);
    expect(mismatches).toHaveLength(1);
    expect(mismatches[0]).toMatchObject({ code: 'RULE_FAILED', path: 'X-Test', actual: '9999ABC' });
  });

  it('still applies the rule to the whole value when that matches', () => {
    const joined = matchingRulesFromJson({
      header: { Accept: { matchers: [{ match: 'regex', regex: 'a, b' }] } },
    }).header;
    expect(compareHeaders({ Accept: ['a, b'] }, { accept: ['a, b'] }, joined)).toEqual([]);
  });
});
