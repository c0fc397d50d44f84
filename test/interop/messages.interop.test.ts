// Message pacts across implementations: pact-js 17.1.4 (its Rust core) writes message pacts that
// Covenant's verifier checks, and message pacts Covenant writes are checked by the official
// verifier's message mode (pact-js's MessageProviderPact, which runs the Rust verifier against an
// HTTP message proxy it starts itself).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { like, MessagePact, regex } from '../../packages/consumer/dist/index.js';
import { type Pact, pactFromJson, pactToText } from '../../packages/core/dist/index.js';
import { type MessageProviders, verifyProvider } from '../../packages/verifier/dist/index.js';

process.env.PACT_DO_NOT_TRACK = 'true';
const require = createRequire(import.meta.url);
const pactJs = require('@pact-foundation/pact') as typeof import('@pact-foundation/pact');

const dir = mkdtempSync(join(tmpdir(), 'covenant-interop-messages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The seed's message: a document event that DetectContentLambda handles. */
interface DocumentEvent {
  event: string;
  documentName: string;
  creator: string;
  documentType: string;
}
const event: DocumentEvent = {
  event: 'ObjectCreated:Put',
  documentName: 'document.doc',
  creator: 'TP',
  documentType: 'microsoft-word',
};

/** The seed's consumer handler: rejects anything but a Word document. */
function handleDocument(message: DocumentEvent): void {
  if (message.documentType !== 'microsoft-word') throw new Error('Not correct document type');
}

const goodProducers: MessageProviders = {
  'A document created successfully': () => ({
    contents: { ...event, documentName: 'report.doc', creator: 'someone else' },
    metadata: { 'Content-Type': 'application/json', topic: 'documents' },
  }),
};
const wrongProducers: MessageProviders = {
  'A document created successfully': () => ({
    contents: { ...event, documentType: 'pdf' },
    metadata: { 'Content-Type': 'application/json', topic: 'documents' },
  }),
};

/** What a pact-js consumer of ContentProvider is made with: its name, and this file's folder. */
const officialConsumer = (consumer: string) =>
  ({ consumer, provider: 'ContentProvider', dir, logLevel: 'error' }) as const;

/** The seed message's content with the consumer's matchers (pact-js's MatchersV3). */
function matchedDocument() {
  const { MatchersV3 } = pactJs;
  return {
    event: MatchersV3.like(event.event),
    documentName: MatchersV3.regex('.+\\.doc', event.documentName),
    creator: MatchersV3.like(event.creator),
    documentType: event.documentType,
  };
}

function verifyWithCovenant(pactFile: string, messageProviders: MessageProviders) {
  return verifyProvider({
    provider: 'ContentProvider',
    pactUrls: [pactFile],
    messageProviders,
    reporters: [],
  });
}

describe('message pacts written by pact-js verify with Covenant', () => {
  it('V3 (MessageConsumerPact): passes with a correct producer, fails with a wrong one', async () => {
    const { MatchersV3 } = pactJs;
    const consumer = new pactJs.MessageConsumerPact(officialConsumer('DetectContentLambdaV3'));
    await consumer
      .given('A document was uploaded')
      .expectsToReceive('A document created successfully')
      .withContent(matchedDocument())
      .withMetadata({ 'Content-Type': 'application/json', topic: MatchersV3.regex('[a-z]+', 'documents') })
      .verify(pactJs.synchronousBodyHandler((body) => handleDocument(body as unknown as DocumentEvent)));
    const file = join(dir, 'DetectContentLambdaV3-ContentProvider.json');
    expect(JSON.parse(readFileSync(file, 'utf8')).messages).toHaveLength(1);

    const passed = await verifyWithCovenant(file, goodProducers);
    expect(passed.success).toBe(true);
    expect(passed.summary).toMatchObject({ interactions: 1, passed: 1 });
    const failed = await verifyWithCovenant(file, wrongProducers);
    expect(failed.success).toBe(false);
    expect(failed.pacts[0]!.interactions[0]!.mismatches.map((m) => [m.category, m.path])).toEqual([
      ['body', '$.documentType'],
    ]);
  });

  it('V4 asynchronous message (PactV4): passes with a correct producer, fails on a metadata rule', async () => {
    const { MatchersV3 } = pactJs;
    const pact = new pactJs.PactV4(officialConsumer('DetectContentLambdaV4'));
    await pact
      .addAsynchronousInteraction()
      .given('A document was uploaded')
      .expectsToReceive('A document created successfully', (builder) => {
        builder.withJSONContent(matchedDocument()).withMetadata({
          'Content-Type': 'application/json',
          topic: MatchersV3.regex('[a-z]+', 'documents'),
        });
      })
      .executeTest(async (message) => handleDocument(message.contents.content as unknown as DocumentEvent));
    const file = join(dir, 'DetectContentLambdaV4-ContentProvider.json');
    expect(JSON.parse(readFileSync(file, 'utf8')).interactions[0].type).toBe('Asynchronous/Messages');

    expect((await verifyWithCovenant(file, goodProducers)).success).toBe(true);
    const badTopic = await verifyWithCovenant(file, {
      'A document created successfully': () => ({
        contents: event,
        metadata: { 'Content-Type': 'application/json', topic: 'Documents 2' },
      }),
    });
    expect(badTopic.success).toBe(false);
    expect(badTopic.pacts[0]!.interactions[0]!.mismatches).toEqual([
      expect.objectContaining({ category: 'metadata', path: 'topic', actual: 'Documents 2' }),
    ]);
  });

  it('V4 synchronous message (PactV4): the producer gets the request; a wrong response fails', async () => {
    const { MatchersV3 } = pactJs;
    const pact = new pactJs.PactV4(officialConsumer('DetectContentLambdaSync'));
    await pact
      .addSynchronousInteraction('a document type request')
      .given('A document was uploaded')
      .withRequest((request) => {
        request.withJSONContent({ documentName: MatchersV3.like('document.doc') });
      })
      .withResponse((response) => {
        response
          .withJSONContent({ documentType: MatchersV3.regex('microsoft-(word|excel)', 'microsoft-word') })
          .withMetadata({ 'Content-Type': 'application/json' });
      })
      .executeTest(async () => undefined);
    const file = join(dir, 'DetectContentLambdaSync-ContentProvider.json');
    expect(JSON.parse(readFileSync(file, 'utf8')).interactions[0].type).toBe('Synchronous/Messages');

    const requests: unknown[] = [];
    const respond = (documentType: string): MessageProviders => ({
      'a document type request': ({ request }) => {
        requests.push(request?.contents);
        return { contents: { documentType }, metadata: { 'Content-Type': 'application/json' } };
      },
    });
    expect((await verifyWithCovenant(file, respond('microsoft-excel'))).success).toBe(true);
    expect(requests).toEqual([{ documentName: 'document.doc' }]);
    const failed = await verifyWithCovenant(file, respond('pdf'));
    expect(failed.pacts[0]!.interactions[0]!.mismatches.map((m) => [m.path, m.code])).toEqual([
      ['$.documentType', 'RULE_FAILED'],
    ]);
  });
});

describe("Covenant's HTTP message mode speaks the official message-proxy protocol", () => {
  it("verifies a pact-js pact against pact-js's own message proxy (the app its verifier POSTs to)", async () => {
    // The Express app pact-js's Verifier starts for message providers (not in the package's public index).
    const { setupMessageProxyApplication } =
      require('@pact-foundation/pact/src/dsl/verifier/proxy/messages') as {
        setupMessageProxyApplication: (config: object) => http.RequestListener;
      };
    let documentType = 'microsoft-word';
    const server = http.createServer(
      setupMessageProxyApplication({
        messageProviders: {
          'A document created successfully': pactJs.providerWithMetadata(() => ({ ...event, documentType }), {
            'Content-Type': 'application/json',
            topic: 'documents',
          }),
        },
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // the V3 pact pact-js wrote in the first test of this file
    const file = join(dir, 'DetectContentLambdaV3-ContentProvider.json');
    try {
      const verify = () =>
        verifyProvider({ provider: 'ContentProvider', pactUrls: [file], messageUrl: url, reporters: [] });
      expect((await verify()).success).toBe(true);
      documentType = 'pdf';
      const failed = await verify();
      expect(failed.pacts[0]!.interactions[0]!.mismatches.map((m) => m.path)).toEqual(['$.documentType']);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

/**
 * A V4 message pact as Covenant's writer (core `pactToText`) writes it: the async seed message
 * with a type rule and a metadata regex. Written from Covenant's model, not hand-made JSON.
 */
async function covenantMessagePact(version: 'V3' | 'V4'): Promise<string> {
  const pact: Pact = pactFromJson({
    consumer: { name: `DetectContentLambdaCovenant${version}` },
    provider: { name: 'ContentProvider' },
    interactions: [
      {
        type: 'Asynchronous/Messages',
        description: 'A document created successfully',
        providerStates: [{ name: 'A document was uploaded' }],
        contents: { content: event, contentType: 'application/json', encoded: false },
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
  });
  const file = join(dir, `covenant-${version}.json`);
  await writeFile(file, pactToText(pact, version));
  return file;
}

describe("message pacts written by Covenant verify with the official verifier's message mode", () => {
  for (const version of ['V3', 'V4'] as const) {
    it(`${version}: MessageProviderPact passes with a correct producer and fails with a wrong one`, async () => {
      const file = await covenantMessagePact(version);
      const states: string[] = [];
      const official = (documentType: string) =>
        new pactJs.MessageProviderPact({
          provider: 'ContentProvider',
          pactUrls: [file],
          logLevel: 'error',
          stateHandlers: {
            'A document was uploaded': async (state) => {
              states.push(state);
            },
          },
          messageProviders: {
            'A document created successfully': pactJs.providerWithMetadata(
              () => ({ ...event, documentName: 'report.doc', documentType }),
              { contentType: 'application/json', topic: 'uploads' },
            ),
          },
        }).verify();
      await expect(official('microsoft-word')).resolves.toBeDefined();
      expect(states).toEqual(['A document was uploaded']);
      await expect(official('pdf')).rejects.toThrow(/documentType/);
    });
  }

  it("V4 synchronous message: pact-js's Verifier (messageProviders) gets the request and checks the response", async () => {
    const pact: Pact = pactFromJson({
      consumer: { name: 'DetectContentLambdaCovenantSync' },
      provider: { name: 'ContentProvider' },
      interactions: [
        {
          type: 'Synchronous/Messages',
          description: 'a document type request',
          providerStates: [{ name: 'A document was uploaded' }],
          request: {
            contents: { content: { documentName: 'document.doc' }, contentType: 'application/json' },
          },
          response: [
            {
              contents: { content: { documentType: 'microsoft-word' }, contentType: 'application/json' },
              metadata: { contentType: 'application/json' },
              matchingRules: {
                content: {
                  '$.documentType': { combine: 'AND', matchers: [{ match: 'regex', regex: 'microsoft-.+' }] },
                },
              },
            },
          ],
        },
      ],
      metadata: { pactSpecification: { version: '4.0' } },
    });
    const file = join(dir, 'covenant-sync.json');
    await writeFile(file, pactToText(pact, 'V4'));
    const requests: unknown[] = [];
    const official = (documentType: string) =>
      new pactJs.Verifier({
        provider: 'ContentProvider',
        pactUrls: [file],
        logLevel: 'error',
        stateHandlers: { 'A document was uploaded': async () => undefined },
        messageProviders: {
          'a document type request': (message) => {
            requests.push(message.content);
            return pactJs.providerWithMetadata(() => ({ documentType }), { contentType: 'application/json' })(
              message,
            );
          },
        },
      }).verifyProvider();
    await expect(official('microsoft-excel')).resolves.toBeDefined();
    expect(requests).toEqual([{ documentName: 'document.doc' }]);
    await expect(official('pdf')).rejects.toThrow(/documentType/);
  });

  for (const spec of [3, 4] as const) {
    it(`V${spec} written by MessagePact (the consumer DSL): MessageProviderPact passes and fails as it should`, async () => {
      const consumer = new MessagePact({
        consumer: `DetectContentLambdaDsl${spec}`,
        provider: 'ContentProvider',
        dir,
        spec,
      });
      await consumer
        .given('A document was uploaded')
        .expectsToReceive('A document created successfully')
        .withContent({
          event: like(event.event),
          documentName: regex('.+\\.doc', event.documentName),
          creator: like(event.creator),
          documentType: event.documentType,
        })
        .withMetadata({ 'Content-Type': 'application/json', topic: regex('[a-z]+', 'documents') })
        .verify((message) => handleDocument(message.contents));
      const official = (documentType: string) =>
        new pactJs.MessageProviderPact({
          provider: 'ContentProvider',
          pactUrls: [consumer.pactFile],
          logLevel: 'error',
          messageProviders: {
            'A document created successfully': pactJs.providerWithMetadata(
              () => ({ ...event, documentName: 'q3.doc', creator: 'PM', documentType }),
              { 'Content-Type': 'application/json', topic: 'uploads' },
            ),
          },
        }).verify();
      await expect(official('microsoft-word')).resolves.toBeDefined();
      await expect(official('pdf')).rejects.toThrow(/documentType/);
    });
  }

  it("V4 synchronous message written by MessagePact: pact-js's Verifier passes and fails as it should", async () => {
    const consumer = new MessagePact({
      consumer: 'DetectContentLambdaDslSync',
      provider: 'ContentProvider',
      dir,
    });
    await consumer
      .addSynchronousMessage('a request for the type of a document')
      .withRequest((request) => request.withContent({ documentName: like('document.doc') }))
      .withResponse((response) =>
        response
          .withContent({ documentType: regex('microsoft-(word|excel)', 'microsoft-word') })
          .withMetadata({ 'Content-Type': 'application/json' }),
      )
      .executeTest(({ responses }) => handleDocument(responses[0]!.contents as DocumentEvent));
    const official = (documentType: string) =>
      new pactJs.Verifier({
        provider: 'ContentProvider',
        pactUrls: [consumer.pactFile],
        logLevel: 'error',
        messageProviders: {
          'a request for the type of a document': pactJs.providerWithMetadata(() => ({ documentType }), {
            'Content-Type': 'application/json',
          }),
        },
      }).verifyProvider();
    await expect(official('microsoft-excel')).resolves.toBeDefined();
    await expect(official('pdf')).rejects.toThrow(/documentType/);
  });
});
