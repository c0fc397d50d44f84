import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { like, MessagePact, regex } from '@covenant/consumer';
import { CovenantError } from '@covenant/core';
import { pactFixture, tempDirEachTest } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import type { MessageProviders } from './messages.js';
import { consoleReporter, jsonReporter, junitReporter } from './reporters.js';
import { type VerifierOptions, verifyProvider } from './verify.js';

let dir: string;
tempDirEachTest('covenant-verifier-messages-', (path) => {
  dir = path;
});

async function pactFile(pact: object, name = 'pact.json'): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(pact));
  return file;
}

/** Checks that the run's one interaction failed with exactly one mismatch, this one. */
function expectOnlyMismatch(result: Awaited<ReturnType<typeof verifyProvider>>, mismatch: object) {
  const failure = result.pacts[0]!.interactions[0]!;
  expect(failure.status).toBe('failed');
  expect(failure.mismatches).toEqual([expect.objectContaining(mismatch)]);
}

async function verify(pact: object, options: Partial<VerifierOptions>) {
  return verifyProvider({
    provider: 'ContentProvider',
    pactUrls: [await pactFile(pact)],
    reporters: [],
    ...options,
  });
}

const document = {
  event: 'ObjectCreated:Put',
  documentName: 'document.doc',
  creator: 'TP',
  documentType: 'microsoft-word',
};

/** The seed's message contract (DetectContentLambda ← ContentProvider), as a V3 message pact. */
const seedV3 = {
  consumer: { name: 'DetectContentLambda' },
  provider: { name: 'ContentProvider' },
  messages: [
    {
      description: 'A document created successfully',
      providerStates: [{ name: 'A document was uploaded' }],
      contents: document,
      metaData: { 'Content-Type': 'application/json' },
      matchingRules: {
        body: {
          '$.documentName': { combine: 'AND', matchers: [{ match: 'regex', regex: '.+\\.doc' }] },
          '$.creator': { combine: 'AND', matchers: [{ match: 'type' }] },
        },
      },
    },
  ],
  metadata: { pactSpecification: { version: '3.0.0' } },
};

/** The same contract as Covenant and pact-js write it in V4. */
const seedV4 = {
  consumer: { name: 'DetectContentLambda' },
  provider: { name: 'ContentProvider' },
  interactions: [
    {
      type: 'Asynchronous/Messages',
      description: 'A document created successfully',
      providerStates: [{ name: 'A document was uploaded', params: { name: 'report.doc' } }],
      pending: false,
      contents: { content: document, contentType: 'application/json', encoded: false },
      metadata: { contentType: 'application/json', topic: 'documents' },
      matchingRules: {
        content: {
          '$.documentName': { combine: 'AND', matchers: [{ match: 'regex', regex: '.+\\.doc' }] },
        },
        metadata: { topic: { combine: 'AND', matchers: [{ match: 'regex', regex: '[a-z]+' }] } },
      },
    },
  ],
  metadata: { pactSpecification: { version: '4.0' } },
};

describe('asynchronous messages produced in-process', () => {
  for (const [version, pact] of [
    ['V3', seedV3],
    ['V4', seedV4],
  ] as const) {
    it(`${version}: passes with the right producer and fails with a wrong document type`, async () => {
      const good: MessageProviders = {
        'A document created successfully': () => ({
          contents: { ...document, documentName: 'other.doc' },
          metadata: { contentType: 'application/json', topic: 'uploads' },
        }),
      };
      const passed = await verify(pact, { messageProviders: good });
      expect(passed.success).toBe(true);
      expect(passed.summary).toMatchObject({ interactions: 1, passed: 1, failed: 0, skipped: 0 });

      const wrong = await verify(pact, {
        messageProviders: {
          'A document created successfully': async () => ({
            contents: { ...document, documentType: 'pdf' },
            metadata: { contentType: 'application/json', topic: 'documents' },
          }),
        },
      });
      expect(wrong.success).toBe(false);
      expectOnlyMismatch(wrong, {
        category: 'body',
        path: '$.documentType',
        expected: 'microsoft-word',
        actual: 'pdf',
      });
    });
  }

  it('runs the state handlers first and gives the producer the states and their values', async () => {
    const calls: string[] = [];
    const result = await verify(seedV4, {
      stateHandlers: {
        'A document was uploaded': {
          setup: (params) => {
            calls.push(`setup ${String(params.name)}`);
            return { uploaded: params.name ?? null };
          },
          teardown: () => {
            calls.push('teardown');
          },
        },
      },
      messageProviders: {
        'A document created successfully': ({ providerStates, stateValues }) => {
          calls.push(`produce ${providerStates.map((s) => s.name).join()} ${String(stateValues.uploaded)}`);
          return {
            contents: { ...document, documentName: String(stateValues.uploaded) },
            metadata: { contentType: 'application/json', topic: 'documents' },
          };
        },
      },
    });
    expect(result.success).toBe(true);
    expect(calls).toEqual(['setup report.doc', 'produce A document was uploaded report.doc', 'teardown']);
  });

  it('chooses a producer by provider state, falling back to otherwise', async () => {
    const pact = {
      ...seedV4,
      interactions: [
        seedV4.interactions[0],
        { ...seedV4.interactions[0], providerStates: [{ name: 'a spreadsheet was uploaded' }] },
        { ...seedV4.interactions[0], providerStates: [] },
      ],
    };
    const used: string[] = [];
    const message = (documentType: string) => ({
      contents: { ...document, documentType },
      metadata: { contentType: 'application/json', topic: 'documents' },
    });
    const result = await verify(pact, {
      messageProviders: {
        'A document created successfully': {
          byState: {
            'A document was uploaded': () => {
              used.push('document');
              return message('microsoft-word');
            },
            'a spreadsheet was uploaded': () => {
              used.push('spreadsheet');
              return message('excel');
            },
          },
          otherwise: () => {
            used.push('otherwise');
            return message('microsoft-word');
          },
        },
      },
    });
    expect(used).toEqual(['document', 'spreadsheet', 'otherwise']);
    expect(result.pacts[0]!.interactions.map((i) => i.status)).toEqual(['passed', 'failed', 'passed']);
  });

  it('reports a metadata mismatch with its key, the expected and the actual value', async () => {
    const result = await verify(seedV4, {
      messageProviders: {
        'A document created successfully': () => ({
          contents: document,
          metadata: { contentType: 'application/json', topic: 'Documents-2' },
        }),
      },
    });
    expectOnlyMismatch(result, {
      category: 'metadata',
      path: 'topic',
      expected: 'documents',
      actual: 'Documents-2',
    });
    const missing = await verify(seedV4, {
      messageProviders: { 'A document created successfully': () => ({ contents: document }) },
    });
    expect(missing.pacts[0]!.interactions[0]!.mismatches.map((m) => [m.code, m.path])).toEqual([
      ['METADATA_MISSING', 'contentType'],
      ['METADATA_MISSING', 'topic'],
    ]);
  });

  it('contents already serialised (JSON text or bytes) are read by their content type', async () => {
    const statusOf = async (contents: unknown) =>
      (
        await verify(seedV3, {
          messageProviders: {
            'A document created successfully': () => ({
              contents,
              metadata: { 'Content-Type': 'application/json' },
            }),
          },
        })
      ).pacts[0]!.interactions[0]!;
    expect((await statusOf(JSON.stringify(document))).status).toBe('passed');
    expect((await statusOf(Buffer.from(JSON.stringify(document)))).status).toBe('passed');
    const wrong = await statusOf(JSON.stringify({ ...document, documentType: 'pdf' }));
    expect(wrong.mismatches.map((m) => m.path)).toEqual(['$.documentType']);
    const garbled = await statusOf('{"event": ');
    expect(garbled.mismatches.map((m) => m.code)).toEqual(['BODY_UNPARSEABLE']);
  });

  it('a pending message interaction fails without failing the run; comments are kept', async () => {
    const pact = {
      ...seedV4,
      interactions: [
        {
          ...seedV4.interactions[0],
          pending: true,
          comments: { text: ['comment one'], testname: 'compatibility-suite' },
        },
      ],
    };
    const lines: string[] = [];
    const result = await verify(pact, {
      messageProviders: { 'A document created successfully': () => ({ contents: { other: true } }) },
      reporters: [consoleReporter({ write: (t) => lines.push(t), color: false })],
    });
    expect(result.success).toBe(true);
    expect(result.pacts[0]!.interactions[0]!.status).toBe('pending-failed');
    const output = lines.join('');
    expect(output).toContain('Comment: comment one');
    expect(output).toContain('Test Name: compatibility-suite');
  });
});

describe('bad input to message verification', () => {
  it('a description without a producer names the producers there are and the closest', async () => {
    const result = await verify(seedV4, {
      messageProviders: {
        'A document created sucessfully': () => ({ contents: document }),
        'A document deleted successfully': () => ({ contents: document }),
      },
    });
    const failed = result.pacts[0]!.interactions[0]!;
    expect(failed.status).toBe('failed');
    expect(failed.errorCode).toBe('COV_VERIFIER_MESSAGE_PRODUCER_MISSING');
    expect(failed.error).toContain("no message producer for 'A document created successfully'");
    expect(failed.error).toContain("'A document deleted successfully'");
    expect(failed.error).toContain("Did you mean 'A document created sucessfully'?");
  });

  it("a description named like an Object method ('constructor') is not mistaken for a producer", async () => {
    const pact = { ...seedV4, interactions: [{ ...seedV4.interactions[0], description: 'constructor' }] };
    const result = await verify(pact, { messageProviders: {} });
    expect(result.pacts[0]!.interactions[0]!.errorCode).toBe('COV_VERIFIER_MESSAGE_PRODUCER_MISSING');
  });

  it('a byState entry without a producer for the states says which states it covers', async () => {
    const result = await verify(seedV4, {
      messageProviders: {
        'A document created successfully': { byState: { 'no documents': () => ({ contents: {} }) } },
      },
    });
    const failed = result.pacts[0]!.interactions[0]!;
    expect(failed.errorCode).toBe('COV_VERIFIER_MESSAGE_PRODUCER_MISSING');
    expect(failed.error).toContain("given 'A document was uploaded'");
    expect(failed.error).toContain("'no documents'");
  });

  it('a producer that throws fails the interaction with its error; the next interaction still runs', async () => {
    const pact = {
      ...seedV4,
      interactions: [seedV4.interactions[0], { ...seedV4.interactions[0], description: 'the next one' }],
    };
    const result = await verify(pact, {
      messageProviders: {
        'A document created successfully': () => {
          throw new TypeError('cannot read the bucket');
        },
        'the next one': () => ({
          contents: document,
          metadata: { contentType: 'application/json', topic: 'a' },
        }),
      },
    });
    const [thrown, next] = result.pacts[0]!.interactions;
    expect(thrown!.errorCode).toBe('COV_VERIFIER_MESSAGE_PRODUCER_FAILED');
    expect(thrown!.error).toContain('threw TypeError: cannot read the bucket');
    expect(thrown!.error).toContain('messages.test.ts');
    expect(next!.status).toBe('passed');
  });

  it('a producer that never finishes fails after timeoutMs instead of hanging the run', async () => {
    const result = await verify(seedV4, {
      timeoutMs: 50,
      messageProviders: { 'A document created successfully': () => new Promise<never>(() => undefined) },
    });
    const failed = result.pacts[0]!.interactions[0]!;
    expect(failed.errorCode).toBe('COV_VERIFIER_MESSAGE_PRODUCER_FAILED');
    expect(failed.error).toContain('did not finish within 50 ms');
  });

  it.each([
    ['a function', { ...document, save: () => undefined }, 'a function at contents.save'],
    ['NaN', { ...document, size: Number.NaN }, 'NaN at contents.size'],
    ['a Map', { ...document, tags: new Map([['a', 1]]) }, 'a Map at contents.tags'],
    ['a symbol in a list', { ...document, list: [1, Symbol('x')] }, 'a symbol at contents.list[1]'],
  ])('contents holding %s are refused, naming where', async (_what, contents, where) => {
    const result = await verify(seedV4, {
      messageProviders: { 'A document created successfully': () => ({ contents }) },
    });
    const failed = result.pacts[0]!.interactions[0]!;
    expect(failed.errorCode).toBe('COV_VERIFIER_MESSAGE_NOT_SERIALISABLE');
    expect(failed.error).toContain(where);
  });

  it('refuses circular contents and unserialisable metadata; Dates and bigints serialise as JSON does', async () => {
    const circular: Record<string, unknown> = { ...document };
    circular.self = circular;
    const cycle = await verify(seedV4, {
      messageProviders: { 'A document created successfully': () => ({ contents: circular }) },
    });
    expect(cycle.pacts[0]!.interactions[0]!.error).toContain('a circular reference at contents.self');
    const metadata = await verify(seedV4, {
      messageProviders: {
        'A document created successfully': () => ({ contents: document, metadata: { topic: () => 'x' } }),
      },
    });
    expect(metadata.pacts[0]!.interactions[0]!.error).toContain('a function at metadata.topic');

    const pact = {
      ...seedV4,
      interactions: [
        {
          ...seedV4.interactions[0],
          contents: {
            content: { at: '2024-01-31T10:00:00.000Z', big: 'BIG' },
            contentType: 'application/json',
          },
          matchingRules: {},
          metadata: {},
        },
      ],
    };
    // a number beyond 2^53, as written in the pact file: the bigint must equal it exactly
    const file = join(dir, 'big.json');
    await writeFile(file, JSON.stringify(pact).replace('"BIG"', '12345678901234567890'));
    const ok = await verifyProvider({
      provider: 'ContentProvider',
      pactUrls: [file],
      reporters: [],
      messageProviders: {
        'A document created successfully': () => ({
          contents: { at: new Date('2024-01-31T10:00:00Z'), big: 12345678901234567890n, dropped: undefined },
        }),
      },
    });
    expect(ok.pacts[0]!.interactions[0]!.mismatches).toEqual([]);
  });

  it('an object returned for XML contents is refused: XML is given as text', async () => {
    const pact = {
      ...seedV4,
      interactions: [
        {
          ...seedV4.interactions[0],
          contents: { content: '<doc/>', contentType: 'application/xml', encoded: false },
          matchingRules: {},
          metadata: {},
        },
      ],
    };
    const result = await verify(pact, {
      messageProviders: { 'A document created successfully': () => ({ contents: { doc: '' } }) },
    });
    const failed = result.pacts[0]!.interactions[0]!;
    expect(failed.errorCode).toBe('COV_VERIFIER_MESSAGE_NOT_SERIALISABLE');
    expect(failed.error).toContain('of type application/xml');
  });

  it('a producer returning something other than a message, or a list for an async message, is told the shape', async () => {
    const raw = await verify(seedV4, {
      messageProviders: { 'A document created successfully': () => document as never },
    });
    expect(raw.pacts[0]!.interactions[0]!.errorCode).toBe('COV_VERIFIER_MESSAGE_INVALID');
    expect(raw.pacts[0]!.interactions[0]!.error).toContain('a producer returns { contents, metadata? }');
    const list = await verify(seedV4, {
      messageProviders: { 'A document created successfully': () => [{ contents: document }] },
    });
    expect(list.pacts[0]!.interactions[0]!.error).toContain('an asynchronous message is one message');
  });

  it('options: a message-only run needs no base URL; HTTP interactions, a path messageUrl and bad producers do', async () => {
    const httpPact = pactFixture({
      consumer: 'C',
      provider: 'ContentProvider',
      interactions: [{ description: 'a request', path: '/' }],
    });
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: unknown) => (e instanceof CovenantError ? `${e.code}: ${e.detail}` : String(e)),
      );
    expect(await codeOf(verify(httpPact, { messageProviders: {} }))).toMatch(
      /^COV_VERIFIER_OPTIONS_INVALID: .*has HTTP interactions, but no providerBaseUrl/,
    );
    expect(await codeOf(verify(seedV4, {}))).toMatch(
      /^COV_VERIFIER_OPTIONS_INVALID: nothing to verify against/,
    );
    expect(await codeOf(verify(seedV4, { messageUrl: '/_pact/message' }))).toMatch(
      /^COV_VERIFIER_OPTIONS_INVALID: messageUrl '\/_pact\/message' is a path/,
    );
    expect(await codeOf(verify(seedV4, { messageUrl: 'not a url' }))).toMatch(/neither a URL nor a path/);
    expect(
      await codeOf(verify(seedV4, { messageProviders: { 'A document created successfully': 'x' as never } })),
    ).toMatch(/messageProviders\['A document created successfully'\] must be a function/);
  });
});

describe('synchronous messages', () => {
  const syncPact = {
    consumer: { name: 'DetectContentLambda' },
    provider: { name: 'ContentProvider' },
    interactions: [
      {
        type: 'Synchronous/Messages',
        description: 'a document type request',
        providerStates: [{ name: 'a document exists' }],
        pending: false,
        request: {
          contents: {
            content: { documentName: 'document.doc' },
            contentType: 'application/json',
            encoded: false,
          },
          metadata: { requestId: 'r-1' },
        },
        response: [
          {
            contents: {
              content: { documentType: 'microsoft-word' },
              contentType: 'application/json',
              encoded: false,
            },
            metadata: { contentType: 'application/json' },
          },
          {
            contents: { content: 'done', contentType: 'text/plain', encoded: false },
          },
        ],
      },
    ],
    metadata: { pactSpecification: { version: '4.0' } },
  };

  it('gives the producer the request and matches each expected response', async () => {
    let seen: unknown;
    const result = await verify(syncPact, {
      messageProviders: {
        'a document type request': ({ request }) => {
          seen = request;
          return [
            { contents: { documentType: 'microsoft-word' }, metadata: { contentType: 'application/json' } },
            { contents: 'done', metadata: { contentType: 'text/plain' } },
          ];
        },
      },
    });
    expect(seen).toEqual({ contents: { documentName: 'document.doc' }, metadata: { requestId: 'r-1' } });
    expect(result.pacts[0]!.interactions[0]!.mismatches).toEqual([]);
    expect(result.success).toBe(true);
  });

  it('names the response that differs, and a missing response', async () => {
    const result = await verify(syncPact, {
      messageProviders: {
        'a document type request': () => [
          { contents: { documentType: 'microsoft-word' }, metadata: { contentType: 'application/json' } },
          { contents: 'not done' },
        ],
      },
    });
    const [mismatch] = result.pacts[0]!.interactions[0]!.mismatches;
    expect(mismatch!.message).toMatch(/^Response 2: /);
    const short = await verify(syncPact, {
      messageProviders: {
        'a document type request': () => ({
          contents: { documentType: 'microsoft-word' },
          metadata: { contentType: 'application/json' },
        }),
      },
    });
    expect(short.pacts[0]!.interactions[0]!.mismatches).toEqual([
      expect.objectContaining({ code: 'LENGTH_MISMATCH', expected: 2, actual: 1 }),
    ]);
  });
});

/** A message provider in "another process": the HTTP contract the official verifiers use. */
async function messageEndpoint(
  handle: (body: { description: string; providerStates?: unknown; request?: unknown }) => {
    status?: number;
    contentType?: string;
    metadataHeader?: string;
    body: Buffer | string;
  },
) {
  const received: unknown[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      received.push({
        method: req.method,
        url: req.url,
        contentType: req.headers['content-type'],
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        body,
      });
      const answer = handle(body);
      res.statusCode = answer.status ?? 200;
      if (answer.contentType) res.setHeader('Content-Type', answer.contentType);
      if (answer.metadataHeader) res.setHeader('Pact-Message-Metadata', answer.metadataHeader);
      res.end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const base64Json = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64');

describe('messages over HTTP from a provider in another process', () => {
  it('POSTs {description, providerStates}, reads the body and the Pact-Message-Metadata header', async () => {
    let documentType = 'microsoft-word';
    const endpoint = await messageEndpoint(() => ({
      contentType: 'application/json; charset=utf-8',
      metadataHeader: base64Json({ topic: 'documents' }),
      body: JSON.stringify({ ...document, documentType }),
    }));
    try {
      const passed = await verify(seedV4, {
        providerBaseUrl: endpoint.url,
        messageUrl: '/_pact/message',
        customHeaders: { Authorization: 'Bearer token' },
      });
      expect(passed.success).toBe(true);
      expect(endpoint.received).toEqual([
        {
          method: 'POST',
          url: '/_pact/message',
          contentType: 'application/json',
          authorization: 'Bearer token',
          body: {
            description: 'A document created successfully',
            providerStates: [{ name: 'A document was uploaded', params: { name: 'report.doc' } }],
          },
        },
      ]);
      documentType = 'pdf';
      const failed = await verify(seedV3, { messageUrl: `${endpoint.url}/` });
      expect(failed.success).toBe(false);
      expect(failed.pacts[0]!.interactions[0]!.mismatches.map((m) => m.path)).toEqual(['$.documentType']);
    } finally {
      await endpoint.close();
    }
  });

  it('sends a synchronous message its request and matches the one response', async () => {
    const endpoint = await messageEndpoint(() => ({
      contentType: 'application/json',
      body: JSON.stringify({ documentType: 'microsoft-word' }),
    }));
    const pact = {
      consumer: { name: 'DetectContentLambda' },
      provider: { name: 'ContentProvider' },
      interactions: [
        {
          type: 'Synchronous/Messages',
          description: 'a document type request',
          request: {
            contents: { content: { documentName: 'document.doc' }, contentType: 'application/json' },
          },
          response: [
            { contents: { content: { documentType: 'microsoft-word' }, contentType: 'application/json' } },
          ],
        },
      ],
      metadata: { pactSpecification: { version: '4.0' } },
    };
    try {
      const result = await verify(pact, { messageUrl: endpoint.url });
      expect(result.success).toBe(true);
      const sent = (endpoint.received[0] as { body: { request: { contents: { content: unknown } } } }).body;
      expect(sent.request.contents.content).toEqual({ documentName: 'document.doc' });
    } finally {
      await endpoint.close();
    }
  });

  it('an endpoint error or a garbled metadata header is a coded failure', async () => {
    let mode: 'error' | 'garbled' = 'error';
    const endpoint = await messageEndpoint(() =>
      mode === 'error'
        ? { status: 500, body: 'No handler found for message' }
        : {
            contentType: 'application/json',
            metadataHeader: 'not base64 json!',
            body: JSON.stringify(document),
          },
    );
    try {
      const error = (await verify(seedV4, { messageUrl: endpoint.url })).pacts[0]!.interactions[0]!;
      expect(error.errorCode).toBe('COV_VERIFIER_MESSAGE_ENDPOINT_FAILED');
      expect(error.error).toContain('answered 500');
      expect(error.error).toContain('No handler found for message');
      mode = 'garbled';
      const garbled = (await verify(seedV4, { messageUrl: endpoint.url })).pacts[0]!.interactions[0]!;
      expect(garbled.errorCode).toBe('COV_VERIFIER_MESSAGE_INVALID');
      expect(garbled.error).toContain('Pact-Message-Metadata');
    } finally {
      await endpoint.close();
    }
  });

  it("a content-type in the Pact-Message-Metadata header wins over the response's Content-Type, whatever its spelling", async () => {
    let key = 'content-type';
    // the framework's default Content-Type is wrong; the metadata header says what the message is
    const endpoint = await messageEndpoint(() => ({
      contentType: 'text/plain',
      metadataHeader: base64Json({ [key]: 'application/json', topic: 'documents' }),
      body: JSON.stringify(document),
    }));
    try {
      for (key of ['content-type', 'Content-Type', 'contentType']) {
        const result = await verify(seedV4, { messageUrl: endpoint.url });
        expect({ key, mismatches: result.pacts[0]!.interactions[0]!.mismatches }).toEqual({
          key,
          mismatches: [],
        });
      }
    } finally {
      await endpoint.close();
    }
  });

  it('an endpoint that refuses the connection is named as the messageUrl, not as providerBaseUrl', async () => {
    const endpoint = await messageEndpoint(() => ({ body: '' }));
    await endpoint.close(); // the port is free now: connecting to it is refused
    const messageUrl = `${endpoint.url}/_pact/message`;
    // a message-only run has no providerBaseUrl to blame
    const unreachable = (await verify(seedV4, { messageUrl })).pacts[0]!.interactions[0]!;
    expect(unreachable.status).toBe('failed');
    expect(unreachable.errorCode).toBe('COV_VERIFIER_MESSAGE_ENDPOINT_FAILED');
    expect(unreachable.error).toContain(`the message endpoint ${messageUrl} (messageUrl)`);
    expect(unreachable.error).toContain('nothing answers at');
    expect(unreachable.error).toContain('ECONNREFUSED');
    expect(unreachable.error).toContain('check messageUrl');
    expect(unreachable.error).not.toContain('providerBaseUrl');
  });

  it('in-process producers win; other descriptions go to the endpoint', async () => {
    const endpoint = await messageEndpoint(() => ({ contentType: 'text/plain', body: 'from the endpoint' }));
    const pact = {
      consumer: { name: 'C' },
      provider: { name: 'ContentProvider' },
      interactions: ['in process', 'over http'].map((description) => ({
        type: 'Asynchronous/Messages',
        description,
        contents: {
          content: description === 'in process' ? 'from the producer' : 'from the endpoint',
          contentType: 'text/plain',
        },
      })),
      metadata: { pactSpecification: { version: '4.0' } },
    };
    try {
      const result = await verify(pact, {
        messageUrl: endpoint.url,
        messageProviders: { 'in process': () => ({ contents: 'from the producer' }) },
      });
      expect(result.success).toBe(true);
      expect(endpoint.received.map((r) => (r as { body: { description: string } }).body.description)).toEqual(
        ['over http'],
      );
    } finally {
      await endpoint.close();
    }
  });
});

describe('mixed pacts', () => {
  const mixed = {
    consumer: { name: 'DetectContentLambda' },
    provider: { name: 'ContentProvider' },
    interactions: [
      {
        type: 'Synchronous/HTTP',
        description: 'a request for the document list',
        request: { method: 'GET', path: '/documents' },
        response: {
          status: 200,
          headers: { 'Content-Type': ['application/json'] },
          body: { content: ['document.doc'], contentType: 'application/json' },
        },
      },
      seedV4.interactions[0],
    ],
    metadata: { pactSpecification: { version: '4.0' } },
  };
  const producers: MessageProviders = {
    'A document created successfully': () => ({
      contents: document,
      metadata: { contentType: 'application/json', topic: 'documents' },
    }),
  };

  async function documentsApi() {
    const server = http.createServer((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(['document.doc']));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => new Promise<void>((r) => server.close(() => r())),
    };
  }

  it('verifies HTTP and message interactions in one run and reports both (console, JSON, JUnit)', async () => {
    const api = await documentsApi();
    const lines: string[] = [];
    try {
      const result = await verify(mixed, {
        providerBaseUrl: api.url,
        messageProviders: producers,
        reporters: [
          consoleReporter({ write: (t) => lines.push(t), color: false }),
          jsonReporter(join(dir, 'out/result.json')),
          junitReporter(join(dir, 'out/junit.xml')),
        ],
      });
      expect(result.success).toBe(true);
      expect(result.summary).toMatchObject({ interactions: 2, passed: 2, skipped: 0 });
      expect(lines.join('')).toContain(
        "A document created successfully given 'A document was uploaded' ... OK",
      );
      const json = JSON.parse(await readFile(join(dir, 'out/result.json'), 'utf8'));
      expect(json.pacts[0].interactions.map((i: { status: string }) => i.status)).toEqual([
        'passed',
        'passed',
      ]);
      const junit = await readFile(join(dir, 'out/junit.xml'), 'utf8');
      expect(junit).toContain('tests="2" failures="0"');
      expect(junit).toContain('name="A document created successfully given A document was uploaded"');
    } finally {
      await api.close();
    }
  });
});

/** The seed's consumer handler (DetectContentLambda): only Word documents are processed. */
function detectContent(message: { documentType: string }): string {
  if (message.documentType !== 'microsoft-word') throw new Error('Not correct document type');
  return 'processed';
}

describe("the seed's message scenario with pacts written by @covenant/consumer", () => {
  for (const spec of [3, 4] as const) {
    it(`V${spec}: the consumer writes the pact, the right producer passes and a wrong document type fails`, async () => {
      const pact = new MessagePact({
        consumer: 'DetectContentLambda',
        provider: 'ContentProvider',
        dir,
        spec,
      });
      await pact
        .given('A document was uploaded')
        .expectsToReceive('A document created successfully')
        .withContent({
          event: like('ObjectCreated:Put'),
          documentName: regex('.+\\.doc', 'document.doc'),
          creator: like('TP'),
          documentType: 'microsoft-word',
        })
        .withMetadata({ 'Content-Type': 'application/json', topic: regex('[a-z]+', 'documents') })
        .verify((message) => detectContent(message.contents));
      const producing = (documentType: string): MessageProviders => ({
        'A document created successfully': () => ({
          contents: {
            event: 'ObjectCreated:Put',
            documentName: 'q3-report.doc',
            creator: 'PM',
            documentType,
          },
          metadata: { 'Content-Type': 'application/json', topic: 'uploads' },
        }),
      });
      const options = { provider: 'ContentProvider', pactUrls: [pact.pactFile], reporters: [] };
      expect(
        (await verifyProvider({ ...options, messageProviders: producing('microsoft-word') })).success,
      ).toBe(true);
      const failed = await verifyProvider({ ...options, messageProviders: producing('pdf') });
      expect(failed.success).toBe(false);
      expect(failed.pacts[0]!.interactions[0]!.mismatches.map((m) => [m.path, m.expected, m.actual])).toEqual(
        [['$.documentType', 'microsoft-word', 'pdf']],
      );
    });
  }

  it('V4 synchronous: the producer answers the request the consumer wrote', async () => {
    const pact = new MessagePact({ consumer: 'DetectContentLambda', provider: 'ContentProvider', dir });
    await pact
      .addSynchronousMessage('a request for the type of a document')
      .given('A document was uploaded')
      .withRequest((request) => request.withContent({ documentName: like('document.doc') }))
      .withResponse((response) =>
        response
          .withContent({ documentType: regex('microsoft-(word|excel)', 'microsoft-word') })
          .withMetadata({ 'Content-Type': 'application/json' }),
      )
      .executeTest(({ responses }) => detectContent(responses[0]!.contents));
    const typeOf: Record<string, string> = {
      'document.doc': 'microsoft-word',
      'sheet.xls': 'microsoft-excel',
    };
    const answering = (fallback: string): MessageProviders => ({
      'a request for the type of a document': ({ request }) => {
        const name = (request?.contents as { documentName?: string } | undefined)?.documentName ?? '';
        return {
          contents: { documentType: typeOf[name] ?? fallback },
          metadata: { 'Content-Type': 'application/json' },
        };
      },
    });
    const options = { provider: 'ContentProvider', pactUrls: [pact.pactFile], reporters: [] };
    expect((await verifyProvider({ ...options, messageProviders: answering('pdf') })).success).toBe(true);
    const wrong = await verifyProvider({
      ...options,
      messageProviders: {
        'a request for the type of a document': () => ({
          contents: { documentType: 'pdf' },
          metadata: { 'Content-Type': 'application/json' },
        }),
      },
    });
    expect(wrong.pacts[0]!.interactions[0]!.mismatches.map((m) => [m.path, m.code])).toEqual([
      ['$.documentType', 'RULE_FAILED'],
    ]);
  });
});

/** The Pact compatibility suite's message provider fixtures, read in place. */
const fixtures = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'shared',
  'conformance',
  'pact-compatibility-suite',
  'fixtures',
);
describe.skipIf(!existsSync(fixtures))('compatibility-suite message bodies', () => {
  const fixture = (name: string) => readFileSync(join(fixtures, name));
  /** The suite's XML fixtures wrap the body and its content type. */
  const xmlFixture = (name: string) =>
    /<contents><!\[CDATA\[([\s\S]*?)\]\]>/.exec(fixture(name).toString('utf8'))![1]!;
  const pactWith = (contents: object, rules: object = {}, metadata: object = {}) => ({
    consumer: { name: 'C' },
    provider: { name: 'ContentProvider' },
    messages: [
      { description: 'basic', contents: undefined, ...contents, matchingRules: rules, metaData: metadata },
    ],
    metadata: { pactSpecification: { version: '3.0.0' } },
  });
  const run = (pact: object, produced: { contents: unknown; metadata?: Record<string, unknown> }) =>
    verify(pact, { messageProviders: { basic: () => produced } }).then((r) => r.pacts[0]!.interactions[0]!);

  it('JSON bodies, with an include rule (positive and negative)', async () => {
    const basic = JSON.parse(fixture('basic.json').toString('utf8'));
    expect((await run(pactWith({ contents: basic }), { contents: basic })).status).toBe('passed');
    const rules = JSON.parse(fixture('include-matcher-v3.json').toString('utf8'));
    const basic2 = JSON.parse(fixture('basic2.json').toString('utf8'));
    const basic3 = JSON.parse(fixture('basic3.json').toString('utf8'));
    expect((await run(pactWith({ contents: basic }, rules), { contents: basic2 })).status).toBe('passed');
    expect((await run(pactWith({ contents: basic }, rules), { contents: basic3 })).status).toBe('failed');
    expect((await run(pactWith({ contents: basic }), { contents: { one: 'a', two: 'c' } })).status).toBe(
      'failed',
    );
  });

  it('XML, text and binary bodies (positive and negative)', async () => {
    const xml = { 'Content-Type': 'application/xml' };
    const one = xmlFixture('xml-body.xml');
    const two = xmlFixture('xml2-body.xml');
    expect((await run(pactWith({ contents: one }, {}, xml), { contents: one, metadata: xml })).status).toBe(
      'passed',
    );
    const differs = await run(pactWith({ contents: one }, {}, xml), { contents: two, metadata: xml });
    expect(differs.mismatches.map((m) => m.category)).toEqual(['body', 'body']);
    const text = { 'Content-Type': 'text/plain' };
    const hello = { contents: 'Hello World', metadata: text };
    expect((await run(pactWith({ contents: 'Hello World' }, {}, text), hello)).status).toBe('passed');
    expect((await run(pactWith({ contents: 'Hello Jupiter' }, {}, text), hello)).status).toBe('failed');
    const jpeg = { contentType: 'image/jpeg' };
    const rat = fixture('rat.jpg');
    const binary = (bytes: Buffer) => ({
      consumer: { name: 'C' },
      provider: { name: 'ContentProvider' },
      interactions: [
        {
          type: 'Asynchronous/Messages',
          description: 'basic',
          contents: { content: bytes.toString('base64'), contentType: 'image/jpeg', encoded: 'base64' },
          metadata: jpeg,
        },
      ],
      metadata: { pactSpecification: { version: '4.0' } },
    });
    expect((await run(binary(rat), { contents: rat, metadata: jpeg })).status).toBe('passed');
    expect((await run(binary(fixture('spider.jpg')), { contents: rat, metadata: jpeg })).status).toBe(
      'failed',
    );
  });

  it('metadata with a regex rule (positive and negative)', async () => {
    const rules = JSON.parse(fixture('regex-matcher-metadata.json').toString('utf8'));
    const basic = JSON.parse(fixture('basic.json').toString('utf8'));
    const expected = { Origin: 'AXP-1000', TagData: { ID: '123', weight: 100.5 } };
    const pact = pactWith({ contents: basic }, rules, expected);
    const produce = (origin: string) => ({
      contents: basic,
      metadata: { Origin: origin, TagData: { ID: '123', weight: 100.5 } },
    });
    expect((await run(pact, produce('AAA-123'))).status).toBe('passed');
    const failed = await run(pact, produce('AAAB-123'));
    expect(failed.mismatches.map((m) => [m.category, m.path])).toEqual([['metadata', 'Origin']]);
  });
});
