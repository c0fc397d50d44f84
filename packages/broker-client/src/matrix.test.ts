import { describe, expect, it } from 'vitest';
import { matrixQueryString, readMatrix } from './matrix.js';

describe('matrixQueryString', () => {
  it('asks as the official CLI does: one selector to an environment, by provider version', () => {
    expect(
      decodeURIComponent(
        matrixQueryString({ selectors: [{ pacticipant: 'Web App', version: '1.0' }], toEnvironment: 'prod' }),
      ),
    ).toBe('q[][pacticipant]=Web App&q[][version]=1.0&latestby=cvpv&environment=prod');
  });

  it('one selector with no target means the latest of everything else; a tag target adds latest and tag', () => {
    expect(matrixQueryString({ selectors: [{ pacticipant: 'Web', branch: 'main' }] })).toBe(
      'q[][pacticipant]=Web&q[][branch]=main&latestby=cvp&latest=true',
    );
    expect(
      matrixQueryString({ selectors: [{ pacticipant: 'Web', latest: true, tag: 'dev' }], toTag: 'prod' }),
    ).toBe('q[][pacticipant]=Web&q[][latest]=true&q[][tag]=dev&latestby=cvp&latest=true&tag=prod');
  });

  it("a selector of an environment's versions sends q[][environment], as the broker reads it", () => {
    expect(
      matrixQueryString({
        selectors: [
          { pacticipant: 'Web', version: '1' },
          { pacticipant: 'Api', environment: 'prod' },
        ],
      }),
    ).toBe('q[][pacticipant]=Web&q[][version]=1&q[][pacticipant]=Api&q[][environment]=prod&latestby=cvpv');
  });

  it('several selectors are compared with each other, ignoring the ignored', () => {
    expect(
      matrixQueryString({
        selectors: [
          { pacticipant: 'Web', version: '1' },
          { pacticipant: 'Api', mainBranch: true },
        ],
        ignore: [{ pacticipant: 'Auth' }, { pacticipant: 'Mail', version: '2' }],
      }),
    ).toBe(
      'q[][pacticipant]=Web&q[][version]=1&q[][pacticipant]=Api&q[][mainBranch]=true&latestby=cvpv' +
        '&ignore[][pacticipant]=Auth&ignore[][pacticipant]=Mail&ignore[][version]=2',
    );
  });
});

describe('readMatrix', () => {
  it('reads the summary, notices and rows; a missing verification or version stays undefined', () => {
    const result = readMatrix({
      summary: { deployable: null, reason: 'missing', success: 1, failed: 0, unknown: 1 },
      notices: [{ type: 'error', text: 'There is no verified pact' }],
      matrix: [
        {
          consumer: { name: 'Web', version: { number: '1' } },
          provider: { name: 'Api', version: { number: '5' } },
          pact: { _links: { self: { href: 'http://b/pacts/1' } } },
          verificationResult: {
            success: true,
            verifiedAt: '2026-01-01',
            _links: { self: { href: 'http://b/v/1' } },
          },
        },
        {
          consumer: { name: 'Web', version: { number: '1' } },
          provider: { name: 'Auth', version: null },
          verificationResult: null,
          ignored: true,
        },
      ],
    });
    expect(result.deployable).toBeUndefined();
    expect(result.counts).toEqual({ success: 1, failed: 0, unknown: 1, ignored: 0 });
    expect(result.notices).toEqual([{ type: 'error', text: 'There is no verified pact' }]);
    expect(result.rows[0]).toEqual({
      consumer: { name: 'Web', version: '1' },
      provider: { name: 'Api', version: '5' },
      pactUrl: 'http://b/pacts/1',
      verification: { success: true, verifiedAt: '2026-01-01', url: 'http://b/v/1' },
      ignored: false,
    });
    expect(result.rows[1]).toMatchObject({
      provider: { name: 'Auth', version: undefined },
      verification: undefined,
      ignored: true,
    });
    expect(readMatrix({ summary: { deployable: true } }).deployable).toBe(true);
  });
});
