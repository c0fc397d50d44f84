import { type JsonValue, pactFromJson } from '@covenant/core';
import { describe, expect, it } from 'vitest';
import type { VerifierOptions } from '../options.js';
import type { Reporter } from '../reporters.js';
import type { PactToVerify } from '../sources.js';
import { createVerifier, defaultStages } from '../verify.js';
import { resolveConfig } from './config.js';
import { createContext } from './context.js';
import { resultPublisher } from './publish.js';
import { verifyPact } from './run.js';

/** A V4 pact of asynchronous messages from Web, each given the states named. */
function messagePact(
  messages: Array<{ description: string; states?: string[]; contents: JsonValue }>,
): PactToVerify {
  const pact = pactFromJson(
    {
      consumer: { name: 'Web' },
      provider: { name: 'Orders' },
      interactions: messages.map((m) => ({
        type: 'Asynchronous/Messages',
        description: m.description,
        providerStates: (m.states ?? []).map((name) => ({ name })),
        contents: { content: m.contents, contentType: 'application/json' },
      })),
      metadata: { pactSpecification: { version: '4.0' } },
    },
    'pacts/web-orders.json',
  );
  return { pact, source: 'pacts/web-orders.json', pending: false, wip: false, notices: [], hal: undefined };
}

/** A reporter that writes down what it is told, in order. */
function recorder(): Reporter & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    pactStarted: (p) => seen.push(`started ${p.consumer}`),
    interactionFinished: (_p, i) => seen.push(`${i.status} ${i.description}`),
    pactFinished: (p) => seen.push(`finished ${p.consumer} ${p.success}`),
    finished: (r) => {
      seen.push(`done ${r.summary.passed}/${r.summary.interactions}`);
    },
  };
}

describe('verifyPact', () => {
  it('sets states up around each message, reports each interaction, and fails on a mismatch', async () => {
    const calls: string[] = [];
    const reporter = recorder();
    const options: VerifierOptions = {
      provider: 'Orders',
      pactUrls: ['pacts/'],
      reporters: [reporter],
      stateHandlers: {
        'an order exists': {
          setup: () => {
            calls.push('setup');
            return { id: 7 };
          },
          teardown: () => {
            calls.push('teardown');
          },
        },
      },
      messageProviders: {
        'an order was created': ({ stateValues }) => {
          calls.push('produce');
          return { contents: { id: stateValues.id } };
        },
        'an order was cancelled': () => ({ contents: { id: 'seven' } }),
      },
    };
    const config = resolveConfig(options, {});
    const context = createContext(config, resultPublisher(config, { pacts: [], broker: undefined }));
    try {
      const result = await verifyPact(
        context,
        messagePact([
          { description: 'an order was created', states: ['an order exists'], contents: { id: 7 } },
          { description: 'an order was cancelled', contents: { id: 7 } },
        ]),
      );
      expect(calls).toEqual(['setup', 'produce', 'teardown']);
      expect(result.interactions.map((i) => i.status)).toEqual(['passed', 'failed']);
      expect(result.interactions[1]!.mismatches[0]).toMatchObject({ path: '$.id' });
      expect(result.success).toBe(false);
      expect(reporter.seen).toEqual([
        'started Web',
        'passed an order was created',
        'failed an order was cancelled',
        'finished Web false',
      ]);
    } finally {
      context.close();
    }
  });

  it('records a producer that throws as the interaction failing with a coded error, and goes on', async () => {
    const config = resolveConfig(
      {
        provider: 'Orders',
        pactUrls: ['pacts/'],
        reporters: [],
        messageProviders: {
          'an order was created': () => {
            throw new Error('database down');
          },
          'an order was cancelled': () => ({ contents: { id: 7 } }),
        },
      },
      {},
    );
    const context = createContext(config, async () => {});
    try {
      const result = await verifyPact(
        context,
        messagePact([
          { description: 'an order was created', contents: { id: 7 } },
          { description: 'an order was cancelled', contents: { id: 7 } },
        ]),
      );
      expect(result.interactions[0]).toMatchObject({
        status: 'failed',
        errorCode: 'COV_VERIFIER_MESSAGE_PRODUCER_FAILED',
      });
      expect(result.interactions[1]!.status).toBe('passed');
    } finally {
      context.close();
    }
  });
});

describe('createVerifier', () => {
  it('runs the stages in order, with any stage replaced (here the loading of sources)', async () => {
    const reporter = recorder();
    const verify = createVerifier({
      ...defaultStages,
      loadSources: async () => ({
        pacts: [messagePact([{ description: 'an order was created', contents: { id: 7 } }])],
        broker: undefined,
      }),
    });
    const result = await verify({
      provider: 'Orders',
      pactUrls: ['nowhere/'],
      reporters: [reporter],
      messageProviders: { 'an order was created': () => ({ contents: { id: 7 } }) },
    });
    expect(result).toMatchObject({
      success: true,
      provider: 'Orders',
      summary: { interactions: 1, passed: 1 },
    });
    expect(reporter.seen).toEqual([
      'started Web',
      'passed an order was created',
      'finished Web true',
      'done 1/1',
    ]);
  });

  it('selects before it runs: a consumer filter that leaves nothing fails the run', async () => {
    const verify = createVerifier({
      ...defaultStages,
      loadSources: async () => ({
        pacts: [messagePact([{ description: 'an order was created', contents: {} }])],
        broker: undefined,
      }),
    });
    await expect(
      verify({
        provider: 'Orders',
        pactUrls: ['nowhere/'],
        reporters: [],
        messageProviders: {},
        env: { PACT_CONSUMER: 'Mobile' },
      }),
    ).rejects.toMatchObject({ code: 'COV_VERIFIER_NO_PACTS' });
  });
});
