import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AsynchronousMessageInteraction,
  CovenantError,
  jsonBody,
  matchMessage,
  pactToJson,
  readPact,
} from '@covenant/core';
import { tempDirEachTest } from '@covenant/test-support';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { integer, like, regex, uuid } from './matchers.js';
import {
  type AsyncMessageReady,
  MessagePact,
  type MessagePactOptions,
  type ReceivedMessage,
  type SyncMessageReady,
} from './message.js';
import { Pact } from './pact-node.js';

let dir: string;
tempDirEachTest('covenant-message-', (path) => {
  dir = path;
});

function messagePact(extra: Partial<MessagePactOptions> = {}) {
  return new MessagePact({
    consumer: 'DetectContentLambda',
    provider: 'ContentProvider',
    dir,
    fileNameStyle: 'lowercase',
    ...extra,
  });
}

/** The pact file as plain JSON, to assert on its exact layout. */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk the file's JSON freely
async function rawPact(file: string): Promise<Record<string, any>> {
  return JSON.parse(await readFile(file, 'utf8'));
}

/** One message of a raw pact as core reads it back. */
function readBackMessage(raw: unknown, description: string): AsynchronousMessageInteraction {
  const found = readPact(JSON.stringify(raw)).interactions.find((i) => i.description === description);
  return found as AsynchronousMessageInteraction;
}

/** A raw pact's interactions (or V3 messages), by description. */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk the file's JSON freely
function byDescriptionOf(interactions: Array<Record<string, unknown>>): Record<string, any> {
  return Object.fromEntries(interactions.map((i) => [i.description, i]));
}

/** Runs an HTTP interaction (document 1 is not found) with `http`, which writes it to its pact. */
function requestMissingDocument(http: Pact): Promise<unknown> {
  return http
    .addInteraction()
    .uponReceiving('a request for document 1')
    .withRequest('GET', '/documents/1')
    .willRespondWith(404)
    .executeTest(async (server) => {
      await fetch(`${server.url}/documents/1`);
    });
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof CovenantError ? error.code : `not coded: ${String(error)}`;
  }
  return undefined;
}

// ---- the seed's consumer: a lambda that handles "document created" events ----------------------

interface DocumentEvent {
  event: string;
  bucket: string;
  key: string;
  documentType: string;
}

class CustomError extends Error {
  override readonly name = 'CustomError';
}

/** The seed's MessageHandler: only Word documents are accepted. */
function detectContent(event: DocumentEvent): string {
  if (event.documentType !== 'microsoft-word') throw new CustomError('Not correct document type');
  return `processing ${event.key}`;
}

describe.each([
  { spec: 3 as const, version: '3.0.0', list: 'messages' },
  { spec: 4 as const, version: '4.0', list: 'interactions' },
])("the seed's message scenario (V$spec)", ({ spec, version, list }) => {
  it('writes the pact when the handler accepts the message', async () => {
    const pact = messagePact({ spec });
    const result = await pact
      .given('A document created successfully')
      .expectsToReceive('a document created event')
      .withContent<DocumentEvent>({
        event: 'ObjectCreated:Put',
        bucket: like('bucket_name'),
        key: regex(/.+\.(doc|docx)/, 'path_to_file_in_s3.doc'),
        documentType: 'microsoft-word',
      })
      .withMetadata({ 'Content-Type': 'application/json' })
      .verify((message) => detectContent(message.contents));
    expect(result).toBe('processing path_to_file_in_s3.doc');

    expect(pact.pactFile).toBe(join(dir, 'detectcontentlambda-contentprovider.json'));
    const raw = await rawPact(pact.pactFile);
    expect(raw.metadata.pactSpecification.version).toBe(version);
    expect(raw[list]).toHaveLength(1);
    const written = raw[list][0];
    expect(written.description).toBe('a document created event');
    expect(written.providerStates).toEqual([{ name: 'A document created successfully' }]);
    expect(written.metadata).toEqual({ 'Content-Type': 'application/json' });
    const content = spec === 3 ? written.contents : written.contents.content;
    expect(content).toEqual({
      event: 'ObjectCreated:Put',
      bucket: 'bucket_name',
      key: 'path_to_file_in_s3.doc',
      documentType: 'microsoft-word',
    });
    // V4 keeps message content rules under `content` (the V4 spec), V3 under `body`
    const category = spec === 3 ? 'body' : 'content';
    expect(written.matchingRules[category]).toEqual({
      '$.bucket': { combine: 'AND', matchers: [{ match: 'type' }] },
      '$.key': { combine: 'AND', matchers: [{ match: 'regex', regex: '.+\\.(doc|docx)' }] },
    });
    if (spec === 4) {
      expect(written.type).toBe('Asynchronous/Messages');
      expect(written.contents.contentType).toBe('application/json');
    }
  });

  it('fails with the handler’s own error and writes nothing when it rejects the message', async () => {
    const pact = messagePact({ spec });
    const run = pact
      .given('A document created successfully')
      .expectsToReceive('a document created event for a spreadsheet')
      .withContent({
        event: 'ObjectCreated:Put',
        bucket: 'bucket_name',
        key: 'path_to_file_in_s3.xlsx',
        documentType: 'microsoft-excel',
      })
      .withMetadata({ 'Content-Type': 'application/json' })
      .verify((message) => detectContent(message.contents));
    await expect(run).rejects.toThrow(CustomError);
    await expect(run).rejects.toThrow('Not correct document type');
    expect(existsSync(pact.pactFile)).toBe(false);
  });

  it('reads back what it wrote, and writes it again unchanged', async () => {
    const pact = messagePact({ spec });
    await pact
      .given('a user exists', { username: 'Test', age: 66 })
      .given('state two')
      .expectsToReceive('a user event')
      .withContent({ id: integer(7), name: like('Test Guy'), tags: ['a'] })
      .withMetadata({ queue: 'users', priority: integer(5), trace: regex(/[0-9a-f]+/, 'abc123') })
      .verify(() => undefined);
    const text = await readFile(pact.pactFile, 'utf8');
    const model = readPact(text);
    const i = model.interactions[0] as AsynchronousMessageInteraction;
    expect(i.type).toBe('Asynchronous/Messages');
    expect(i.providerStates).toEqual([
      { name: 'a user exists', params: { username: 'Test', age: 66 } },
      { name: 'state two' },
    ]);
    expect(i.metadata).toEqual({ queue: 'users', priority: 5, trace: 'abc123' });
    expect([...(i.matchingRules.body?.keys() ?? [])]).toEqual(['$.id', '$.name']);
    expect([...(i.matchingRules.metadata?.keys() ?? [])]).toEqual(['priority', 'trace']);
    const again = pactToJson(model, spec === 3 ? 'V3' : 'V4');
    expect(again).toEqual(JSON.parse(text));
  });
});

describe('MessagePact (asynchronous messages)', () => {
  it('hands the handler the message with generators applied, and the file keeps the example', async () => {
    const pact = messagePact();
    let received: ReceivedMessage<{ id: number; name: string }> | undefined;
    await pact
      .given('an order exists')
      .expectsToReceive('an order event')
      .withContent({ id: integer(), name: 'order' })
      .withMetadata({ messageId: uuid() })
      .verify((message) => {
        received = message;
      });
    expect(received?.description).toBe('an order event');
    expect(received?.providerStates).toEqual([{ name: 'an order exists' }]);
    expect(received?.contentType).toBe('application/json');
    expect(Number.isInteger(received?.contents.id)).toBe(true);
    expect(received?.contents.name).toBe('order');
    expect(String(received?.metadata.messageId)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    const written = (await rawPact(pact.pactFile)).interactions[0];
    expect(written.contents.content).toEqual({ id: 101, name: 'order' });
    expect(written.generators).toEqual({
      body: { '$.id': { type: 'RandomInt', min: 0, max: 2147483647 } },
      metadata: { messageId: { type: 'Uuid' } },
    });

    // what the handler received satisfies the contract, as a provider's message must
    const expected = readPact(await readFile(pact.pactFile, 'utf8'))
      .interactions[0] as AsynchronousMessageInteraction;
    const actual = { contents: jsonBody(received?.contents as never), metadata: received?.metadata as never };
    expect(matchMessage(expected, actual).ok).toBe(true);
  });

  it('carries text and binary content, with their content types', async () => {
    const pact = messagePact();
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]);
    let text: string | undefined;
    let binary: Uint8Array | undefined;
    await pact
      .expectsToReceive('a plain text note')
      .withTextContent(regex(/hello .+/, 'hello world'))
      .verify((m) => {
        text = m.contents;
        expect(m.contentType).toBe('text/plain');
      });
    await pact
      .expectsToReceive('a pdf document')
      .withContent('application/pdf', bytes)
      .verify((m) => {
        binary = m.contents;
        expect(m.contentType).toBe('application/pdf');
      });
    expect(text).toBe('hello world');
    expect(binary).toEqual(bytes);
    const raw = await rawPact(pact.pactFile);
    const byDescription = byDescriptionOf(raw.interactions);
    expect(byDescription['a plain text note'].contents).toEqual({
      content: 'hello world',
      contentType: 'text/plain',
      encoded: false,
    });
    expect(byDescription['a plain text note'].matchingRules.content).toEqual({
      $: { combine: 'AND', matchers: [{ match: 'regex', regex: 'hello .+' }] },
    });
    expect(byDescription['a pdf document'].contents).toEqual({
      content: Buffer.from(bytes).toString('base64'),
      contentType: 'application/pdf',
      encoded: 'base64',
    });
    expect(readBackMessage(raw, 'a pdf document').contents).toEqual({
      kind: 'present',
      contentType: 'application/pdf',
      content: { type: 'binary', bytes },
    });
  });

  it('carries JSON content of a vendor content type, matchers included', async () => {
    for (const spec of [3, 4] as const) {
      const pact = messagePact({ spec, consumer: `DetectContentLambdaV${spec}` });
      await pact
        .expectsToReceive('a vendor document event')
        .withContent('application/vnd.document+json', { id: integer(3), kind: 'word' })
        .verify((m) => {
          expect(m.contentType).toBe('application/vnd.document+json');
          expect(m.contents).toEqual({ id: 3, kind: 'word' });
        });
      const back = readPact(await readFile(pact.pactFile, 'utf8'))
        .interactions[0] as AsynchronousMessageInteraction;
      expect(back.contents).toEqual({
        kind: 'present',
        contentType: 'application/vnd.document+json',
        content: { type: 'json', value: { id: 3, kind: 'word' } },
      });
      expect([...(back.matchingRules.body?.keys() ?? [])]).toEqual(['$.id']);
    }
  });

  it('records a non-JSON content type in a V3 message’s metadata, where V3 keeps it', async () => {
    const pact = messagePact({ spec: 3 });
    const bytes = new Uint8Array([1, 2, 3, 250]);
    await pact
      .expectsToReceive('raw bytes')
      .withBinaryContent(bytes)
      .verify(() => undefined);
    await pact
      .expectsToReceive('a JSON string')
      .withContent('just a string')
      .verify(() => undefined);
    await pact
      .expectsToReceive('xml text')
      .withContent('application/xml', '<doc type="word"/>')
      .withMetadata({ contentType: 'application/xml' })
      .verify(() => undefined);
    const raw = await rawPact(pact.pactFile);
    const byDescription = byDescriptionOf(raw.messages);
    expect(byDescription['raw bytes']).toMatchObject({
      contents: Buffer.from(bytes).toString('base64'),
      metadata: { contentType: 'application/octet-stream' },
    });
    expect(byDescription['xml text'].metadata).toEqual({ contentType: 'application/xml' });
    // a bare string would read back as text without its JSON content type
    expect(byDescription['a JSON string'].metadata).toEqual({ contentType: 'application/json' });
    expect(readBackMessage(raw, 'a JSON string').contents).toMatchObject({
      content: { type: 'json', value: 'just a string' },
    });
    expect(readBackMessage(raw, 'raw bytes').contents).toEqual({
      kind: 'present',
      contentType: 'application/octet-stream',
      content: { type: 'binary', bytes },
    });
  });

  it('writes the V4 interaction metadata: pending, comments, test name and key', async () => {
    const pact = messagePact();
    await pact
      .addAsynchronousMessage()
      .expectsToReceive('a pending message')
      .pending()
      .comment('this is a comment')
      .testName('message.test.ts pending')
      .key('123ABC')
      .withContent({ a: 1 })
      .executeTest(() => undefined);
    const written = (await rawPact(pact.pactFile)).interactions[0];
    expect(written).toMatchObject({
      type: 'Asynchronous/Messages',
      key: '123ABC',
      pending: true,
      comments: { text: ['this is a comment'], testname: 'message.test.ts pending' },
    });
  });

  it('adds messages to the file over several tests and refuses a changed message with the same description', async () => {
    const pact = messagePact();
    for (const n of [1, 2, 3]) {
      await pact
        .expectsToReceive(`event ${n}`)
        .withContent({ n })
        .verify(() => undefined);
    }
    await pact
      .expectsToReceive('event 2')
      .withContent({ n: 2 })
      .verify(() => undefined);
    const run = pact
      .expectsToReceive('event 2')
      .withContent({ n: 'two' })
      .verify(() => undefined);
    await expect(run).rejects.toMatchObject({ code: 'COV_CONSUMER_PACT_CONFLICT' });
    const model = readPact(await readFile(pact.pactFile, 'utf8'));
    expect(model.interactions.map((i) => i.description).sort()).toEqual(['event 1', 'event 2', 'event 3']);
  });

  it('shares one V4 pact file with HTTP interactions of the same consumer and provider', async () => {
    const http = new Pact({
      consumer: 'DetectContentLambda',
      provider: 'ContentProvider',
      dir,
      logLevel: 'off',
    });
    const messages = new MessagePact({ consumer: 'DetectContentLambda', provider: 'ContentProvider', dir });
    expect(messages.pactFile).toBe(http.pactFile);
    await messages
      .expectsToReceive('a document created event')
      .withContent({ documentType: 'microsoft-word' })
      .verify(() => undefined);
    await http
      .addInteraction()
      .uponReceiving('a request for document 1')
      .withRequest('GET', '/documents/1')
      .willRespondWith(200, (res) => res.jsonBody({ documentType: 'microsoft-word' }))
      .executeTest(async (server) => {
        expect((await fetch(`${server.url}/documents/1`)).status).toBe(200);
      });
    await messages
      .addSynchronousMessage('a request for the type of document 1')
      .withRequest((req) => req.withContent({ id: 1 }))
      .withResponse((res) => res.withContent({ documentType: 'microsoft-word' }))
      .executeTest(() => undefined);
    const model = readPact(await readFile(http.pactFile, 'utf8'));
    expect(model.specification).toBe('V4');
    expect(model.interactions.map((i) => i.type).sort()).toEqual([
      'Asynchronous/Messages',
      'Synchronous/HTTP',
      'Synchronous/Messages',
    ]);
  });

  it('refuses V3 HTTP interactions in a file of V3 messages (the writer guards both ways)', async () => {
    const names = { consumer: 'V3Mixed', provider: 'Documents', dir, spec: 3 } as const;
    await new MessagePact(names)
      .expectsToReceive('a document deleted event')
      .withContent({ id: 1 })
      .verify(() => undefined);
    const http = new Pact({ ...names, logLevel: 'off' });
    const before = await readFile(http.pactFile, 'utf8');
    const run = requestMissingDocument(http);
    await expect(run).rejects.toMatchObject({
      code: 'COV_CONSUMER_MESSAGE_SPEC_UNSUPPORTED',
      message: expect.stringContaining(
        "already holds messages, so it cannot take the HTTP interaction 'a request for document 1'",
      ),
    });
    expect(await readFile(http.pactFile, 'utf8')).toBe(before);
  });

  it('refuses V3 messages in a file of V3 HTTP interactions, and V2 altogether', async () => {
    const http = new Pact({
      consumer: 'DetectContentLambda',
      provider: 'ContentProvider',
      dir,
      spec: 3,
      logLevel: 'off',
    });
    await requestMissingDocument(http);
    const before = await readFile(http.pactFile, 'utf8');
    const v3 = new MessagePact({
      consumer: 'DetectContentLambda',
      provider: 'ContentProvider',
      dir,
      spec: 3,
    });
    const run = v3
      .expectsToReceive('a document created event')
      .withContent({ a: 1 })
      .verify(() => undefined);
    await expect(run).rejects.toMatchObject({
      code: 'COV_CONSUMER_MESSAGE_SPEC_UNSUPPORTED',
      message: expect.stringContaining(
        "already holds HTTP interactions, so it cannot take the message 'a document created event'",
      ),
    });
    expect(await readFile(http.pactFile, 'utf8')).toBe(before);

    // in overwrite mode the first write of the process replaces the file, whoever wrote it and
    // when (here a merge-mode Pact of this same process, a moment ago): the messages replace it
    await new MessagePact({
      consumer: 'DetectContentLambda',
      provider: 'ContentProvider',
      dir,
      spec: 3,
      mode: 'overwrite',
    })
      .expectsToReceive('a document created event')
      .withContent({ a: 1 })
      .verify(() => undefined);
    const replaced = await rawPact(http.pactFile);
    expect(replaced.interactions).toBeUndefined();
    expect(replaced.messages.map((m: { description: string }) => m.description)).toEqual([
      'a document created event',
    ]);

    expect(codeOf(() => messagePact({ spec: 2 as never }))).toBe('COV_CONSUMER_MESSAGE_SPEC_UNSUPPORTED');
    expect(codeOf(() => messagePact({ spec: 3 }).addSynchronousMessage('a request'))).toBe(
      'COV_CONSUMER_MESSAGE_SPEC_UNSUPPORTED',
    );
  });
});

describe('MessagePact (synchronous messages)', () => {
  interface DocumentRequest {
    id: number;
  }
  interface DocumentType {
    documentType: string;
  }

  /** The consumer's code: asks for a document's type over some request/reply transport. */
  async function documentType(
    id: number,
    send: (request: DocumentRequest) => Promise<DocumentType>,
  ): Promise<string> {
    const reply = await send({ id });
    if (reply.documentType !== 'microsoft-word') throw new CustomError('Not correct document type');
    return reply.documentType;
  }

  it('hands the test the request and every response, and writes a V4 Synchronous/Messages interaction', async () => {
    const pact = messagePact();
    const type = await pact
      .addSynchronousMessage('a request for the type of document 7')
      .given('document 7 exists', { id: 7 })
      .comment('request/reply over the document queue')
      .withRequest((req) =>
        req.withContent<DocumentRequest>({ id: integer(7) }).withMetadata({ replyTo: 'documents.reply' }),
      )
      .withResponse((res) =>
        res
          .withContent<DocumentType>({ documentType: like('microsoft-word') })
          .withMetadata({ status: 'ok' }),
      )
      .withResponse((res) => res.withContent('application/xml', '<type>microsoft-word</type>'))
      .executeTest(async ({ request, responses, description }) => {
        expect(description).toBe('a request for the type of document 7');
        expect(request.metadata).toEqual({ replyTo: 'documents.reply' });
        expect(responses).toHaveLength(2);
        expect(responses[1]?.contents).toBe('<type>microsoft-word</type>');
        expect(responses[1]?.contentType).toBe('application/xml');
        const first = responses[0]!.contents as DocumentType;
        return documentType(request.contents.id, async () => first);
      });
    expect(type).toBe('microsoft-word');

    const written = (await rawPact(pact.pactFile)).interactions[0];
    expect(written).toMatchObject({
      type: 'Synchronous/Messages',
      description: 'a request for the type of document 7',
      providerStates: [{ name: 'document 7 exists', params: { id: 7 } }],
      comments: { text: ['request/reply over the document queue'] },
      request: {
        contents: { content: { id: 7 }, contentType: 'application/json', encoded: false },
        metadata: { replyTo: 'documents.reply' },
        matchingRules: { content: { '$.id': { combine: 'AND', matchers: [{ match: 'integer' }] } } },
      },
    });
    expect(written.response).toHaveLength(2);
    expect(written.response[0].contents.content).toEqual({ documentType: 'microsoft-word' });
    expect(written.response[0].metadata).toEqual({ status: 'ok' });
    expect(written.response[1].contents).toEqual({
      content: '<type>microsoft-word</type>',
      contentType: 'application/xml',
      encoded: false,
    });
    const text = await readFile(pact.pactFile, 'utf8');
    expect(pactToJson(readPact(text), 'V4')).toEqual(JSON.parse(text));
  });

  it('applies generators to the request and the responses', async () => {
    const pact = messagePact();
    await pact
      .addSynchronousMessage('a numbered request')
      .withRequest((req) => req.withContent({ one: integer() }).withMetadata({ ID: integer() }))
      .withResponse((res) => res.withContent({ one: integer() }))
      .executeTest(({ request, responses }) => {
        expect(Number.isInteger(request.contents.one)).toBe(true);
        expect(Number.isInteger(request.metadata.ID)).toBe(true);
        expect(Number.isInteger(responses[0]?.contents.one)).toBe(true);
      });
  });

  it('fails with the test’s own error and writes nothing when the consumer rejects the reply', async () => {
    const pact = messagePact();
    const run = pact
      .addSynchronousMessage('a request for the type of document 8')
      .withRequest((req) => req.withContent({ id: 8 }))
      .withResponse((res) => res.withContent({ documentType: 'microsoft-excel' }))
      .executeTest(({ request, responses }) =>
        documentType(request.contents.id, async () => responses[0]!.contents),
      );
    await expect(run).rejects.toThrow(CustomError);
    expect(existsSync(pact.pactFile)).toBe(false);
  });
});

describe('MessagePact bad input', () => {
  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = cycle;

  it.each([
    ['a function', { handler: () => 1 }, '$.handler', 'a function is not JSON'],
    ['a BigInt', { big: 10n }, '$.big', 'a bigint is not JSON'],
    ['a cycle', cycle, '$.self', 'cycle'],
    ['a Date', { at: new Date(0) }, '$.at', 'a Date is not JSON'],
  ])('content holding %s is a coded error naming the path', (_what, content, path, why) => {
    let error: unknown;
    try {
      messagePact().expectsToReceive('an event').withContent(content);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CovenantError);
    expect((error as CovenantError).code).toBe('COV_CONSUMER_MESSAGE_CONTENT_INVALID');
    expect((error as CovenantError).message).toContain(`the message content at ${path} cannot be serialised`);
    expect((error as CovenantError).message).toContain(why);
  });

  it('rejects unserialisable metadata, and matchers nested inside a metadata value', () => {
    const start = () => messagePact().expectsToReceive('an event');
    expect(codeOf(() => start().withMetadata({ big: 1n }))).toBe('COV_CONSUMER_MESSAGE_CONTENT_INVALID');
    expect(codeOf(() => start().withMetadata({ nested: { id: integer(1) } }))).toBe(
      'COV_CONSUMER_MESSAGE_INVALID',
    );
    expect(codeOf(() => start().withMetadata('text' as never))).toBe('COV_CONSUMER_MESSAGE_INVALID');
    // a matcher around the whole value is fine
    expect(codeOf(() => start().withMetadata({ nested: like({ id: 1 }) }))).toBeUndefined();
  });

  it('rejects a missing description, a bad state, a bad content type and a handler that is not a function', async () => {
    const pact = messagePact();
    expect(codeOf(() => pact.expectsToReceive(''))).toBe('COV_CONSUMER_MESSAGE_INVALID');
    expect(codeOf(() => pact.expectsToReceive(undefined as never))).toBe('COV_CONSUMER_MESSAGE_INVALID');
    expect(codeOf(() => pact.addSynchronousMessage('  '))).toBe('COV_CONSUMER_MESSAGE_INVALID');
    expect(codeOf(() => pact.given(''))).toBe('COV_CONSUMER_MESSAGE_INVALID');
    expect(codeOf(() => pact.given('a state', { when: () => 1 }))).toBe('COV_CONSUMER_MESSAGE_INVALID');
    expect(codeOf(() => pact.given('a state', { at: new Date(0) }))).toBe('COV_CONSUMER_MESSAGE_INVALID');
    expect(codeOf(() => pact.given('a state', [1] as never))).toBe('COV_CONSUMER_MESSAGE_INVALID');
    expect(codeOf(() => pact.given('a state', { n: 1n }))).toBe('COV_CONSUMER_MESSAGE_INVALID');
    expect(codeOf(() => pact.given('a state', cycle))).toBe('COV_CONSUMER_MESSAGE_INVALID');
    expect(codeOf(() => pact.expectsToReceive('x').withContent('json', 'text'))).toBe(
      'COV_CONSUMER_MESSAGE_INVALID',
    );
    const ready = pact.expectsToReceive('an event').withContent({ a: 1 });
    await expect(ready.verify('not a function' as never)).rejects.toMatchObject({
      code: 'COV_CONSUMER_MESSAGE_INVALID',
    });
    expect(codeOf(() => new MessagePact({ consumer: '', provider: 'p' }))).toBe(
      'COV_CONSUMER_MESSAGE_INVALID',
    );
  });

  it('catches steps skipped from JavaScript, where the types cannot', async () => {
    const pact = messagePact();
    const noDescription = pact.addAsynchronousMessage() as unknown as {
      withContent(c: unknown): { verify(h: () => void): Promise<void> };
    };
    await expect(noDescription.withContent({ a: 1 }).verify(() => undefined)).rejects.toMatchObject({
      code: 'COV_CONSUMER_MESSAGE_INVALID',
    });
    const noContent = pact.expectsToReceive('an event') as unknown as {
      verify(h: () => void): Promise<void>;
    };
    await expect(noContent.verify(() => undefined)).rejects.toThrow(/has no content: call withContent\(\)/);
    const noResponse = pact
      .addSynchronousMessage('a request')
      .withRequest((r) => r.withContent({})) as unknown as { executeTest(t: () => void): Promise<void> };
    await expect(noResponse.executeTest(() => undefined)).rejects.toMatchObject({
      code: 'COV_CONSUMER_MESSAGE_INVALID',
    });
    expect(existsSync(pact.pactFile)).toBe(false);
  });

  it('wraps a thrown non-Error in a coded error that keeps it as the cause', async () => {
    const pact = messagePact();
    const run = pact
      .expectsToReceive('an event')
      .withContent({ a: 1 })
      .verify(() => {
        throw 'nope';
      });
    await expect(run).rejects.toMatchObject({ code: 'COV_CONSUMER_MESSAGE_HANDLER_FAILED', cause: 'nope' });
    expect(existsSync(pact.pactFile)).toBe(false);
  });

  it('leaves an existing pact file untouched when a handler fails', async () => {
    const pact = messagePact();
    await pact
      .expectsToReceive('event 1')
      .withContent({ n: 1 })
      .verify(() => undefined);
    const before = await readFile(pact.pactFile, 'utf8');
    await expect(
      pact
        .expectsToReceive('event 2')
        .withContent({ n: 2 })
        .verify(async () => {
          throw new CustomError('rejected');
        }),
    ).rejects.toThrow('rejected');
    expect(await readFile(pact.pactFile, 'utf8')).toBe(before);
  });

  it('only offers the steps in order, and types what the handler receives (checked by tsc)', () => {
    const pact = messagePact();
    const ready = pact.expectsToReceive('an event').withContent({ id: integer(1), name: 'x' });
    expectTypeOf(ready).toEqualTypeOf<AsyncMessageReady<{ id: number; name: string }>>();
    expectTypeOf(ready).not.toHaveProperty('given');
    expectTypeOf(pact.expectsToReceive('an event')).not.toHaveProperty('verify');
    expectTypeOf(
      pact.expectsToReceive('an event').withContent('application/vnd.document+json', { id: integer(1) }),
    ).toEqualTypeOf<AsyncMessageReady<{ id: number }>>();
    expectTypeOf(pact.expectsToReceive('an event').withContent('text/csv', 'a,b')).toEqualTypeOf<
      AsyncMessageReady<string>
    >();
    const withRequest = pact.addSynchronousMessage('a request').withRequest((r) => r.withContent({ id: 1 }));
    expectTypeOf(withRequest).not.toHaveProperty('executeTest');
    expectTypeOf(withRequest.withResponse((r) => r.withTextContent('ok'))).toEqualTypeOf<
      SyncMessageReady<{ id: number }, string>
    >();
    // Never run: these lines only have to fail type-checking.
    const misuse = () => {
      // @ts-expect-error the content comes after the description
      pact.addAsynchronousMessage().withContent({ a: 1 });
      // @ts-expect-error a message needs content before verify
      pact.expectsToReceive('an event').verify(() => undefined);
      // @ts-expect-error given comes before expectsToReceive
      pact.expectsToReceive('an event').given('a state');
      // @ts-expect-error a synchronous message needs a request before its responses
      pact.addSynchronousMessage('a request').withResponse((r) => r);
      pact
        .addSynchronousMessage('a request')
        .withRequest((r) => r)
        // @ts-expect-error and at least one response before executeTest
        .executeTest(() => undefined);
      pact
        .expectsToReceive('an event')
        .withContent({ id: integer(1) })
        // @ts-expect-error the handler receives the content's type: id is a number
        .verify((m) => m.contents.id.toUpperCase());
      pact
        .expectsToReceive('an event')
        // @ts-expect-error withContent<T> checks the template against T
        .withContent<DocumentEvent>({ documentType: 1 });
    };
    expectTypeOf(misuse).toBeFunction();
  });
});
