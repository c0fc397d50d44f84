import { describe, expect, it } from 'vitest';
import { ruleFromJson } from '../model/matching-rules.js';
import { describeRule, renderMismatches } from './render.js';

describe('describeRule', () => {
  it.each([
    [{ match: 'type', min: 1 }, 'same type as the example (at least 1 items)'],
    [{ match: 'type' }, 'same type as the example'],
    [{ match: 'regex', regex: '\\d+' }, 'matches the regular expression /\\d+/'],
    [{ match: 'integer' }, 'any integer'],
    [{ match: 'datetime', format: "yyyy-MM-dd'T'HH:mm" }, "a date-time in the format yyyy-MM-dd'T'HH:mm"],
    [{ match: 'statusCode', status: 'success' }, 'a status of the success class'],
    [
      { match: 'eachValue', rules: [{ match: 'type' }, { match: 'regex', regex: 'a' }] },
      'each value: same type as the example and matches the regular expression /a/',
    ],
  ])('puts %j in words', (json, words) => {
    expect(describeRule(ruleFromJson(json))).toBe(words);
  });
});

describe('renderMismatches', () => {
  it('shows the failed rule as the pact writes it, next to the expected and actual values', () => {
    const text = renderMismatches([
      {
        category: 'body',
        code: 'RULE_FAILED',
        path: '$.id',
        message: 'Expected an integer',
        expected: 1,
        actual: 'x',
        rule: ruleFromJson({ match: 'integer' }),
      },
    ]);
    expect(text.split('\n')).toEqual([
      '1) body $.id [RULE_FAILED]',
      '   Expected an integer',
      '   rule:     integer',
      '   - expected: 1',
      '   + actual:   "x"',
    ]);
  });
});
