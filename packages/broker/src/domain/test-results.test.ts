import { describe, expect, it } from 'vitest';
import { interactionResults } from './test-results.js';

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
