import { describe, expect, it } from 'vitest';
import { failedInteractionCount, interactionResults } from './test-results.js';

const interactions = [
  { id: 'a1', description: 'get an order' },
  { id: 'b2', description: 'list orders' },
  { id: 'c3', description: 'delete an order' },
];

describe('interactionResults', () => {
  it("reads pact-reference's and Covenant's list by interaction id, mismatches in words", () => {
    expect(
      interactionResults(
        [
          { interactionId: 'a1', success: true },
          {
            interactionId: 'b2',
            success: false,
            mismatches: [{ attribute: 'body', identifier: '$.id', description: 'Expected 1 but received 2' }],
          },
        ],
        interactions,
      ),
    ).toEqual([
      { status: 'passed', mismatches: [] },
      { status: 'failed', mismatches: ['$.id: Expected 1 but received 2'] },
      { status: 'unknown', mismatches: [] },
    ]);
  });

  it("reads pact-jvm's mismatches and exceptions", () => {
    const [first] = interactionResults(
      [
        {
          interactionId: 'a1',
          success: false,
          mismatches: [{ attribute: 'status', mismatch: 'expected status of 200 but was 500' }],
          exceptions: [{ message: 'Connection refused', exceptionClass: 'java.net.ConnectException' }],
        },
      ],
      interactions,
    );
    expect(first).toEqual({
      status: 'failed',
      mismatches: ['expected status of 200 but was 500', 'Connection refused'],
    });
  });

  it("reads the Ruby verifier's tests[] by description; any failed test fails the interaction", () => {
    const results = interactionResults(
      {
        tests: [
          { testDescription: 'has status 200', interactionDescription: 'get an order', status: 'passed' },
          {
            testDescription: 'has a body',
            interactionDescription: 'get an order',
            status: 'failed',
            exception: { message: 'expected "id" to be 1' },
          },
          { testDescription: 'has status 200', interactionDescription: 'list orders', status: 'passed' },
        ],
        summary: { testCount: 3, failureCount: 1 },
      },
      [
        { id: undefined, description: 'get an order' },
        { id: undefined, description: 'list orders' },
      ],
    );
    expect(results).toEqual([
      { status: 'failed', mismatches: ['expected "id" to be 1'] },
      { status: 'passed', mismatches: [] },
    ]);
  });

  it('says unknown for every interaction when there are no test results, or they are malformed', () => {
    for (const testResults of [undefined, null, 'text', {}, [1, null, { success: 'yes' }]])
      expect(interactionResults(testResults, interactions).map((r) => r.status)).toEqual([
        'unknown',
        'unknown',
        'unknown',
      ]);
  });
});

describe('failedInteractionCount', () => {
  it('counts each failed interaction once, in any verifier format', () => {
    expect(
      failedInteractionCount([
        { interactionId: 'a', success: false },
        { interactionId: 'b', success: false },
        { interactionId: 'c', success: true },
      ]),
    ).toBe(2);
    // Ruby reports each test: one interaction failing twice is one failed interaction
    expect(
      failedInteractionCount({
        tests: [
          { status: 'failed', interactionDescription: 'get an order' },
          { status: 'failed', interactionDescription: 'get an order' },
          { status: 'passed', interactionDescription: 'list orders' },
        ],
      }),
    ).toBe(1);
    expect(failedInteractionCount([{ interactionId: 'a', success: true }])).toBe(0);
  });

  it('says nothing when the results report no outcome', () => {
    for (const testResults of [undefined, null, 'text', {}, [], [{ success: 'yes' }]])
      expect(failedInteractionCount(testResults)).toBeUndefined();
  });
});
