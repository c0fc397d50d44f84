// Steps for the message features: consumers through MessagePact (V3 message pacts, V4
// asynchronous and synchronous messages), providers verified with Covenant's verifier and
// in-process message producers, provider states through a real state-change endpoint.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { integer, MessagePact } from '@covenant/consumer';
import { effectiveContentType, jsonEquals, pactToText, readPact } from '@covenant/core';
import {
  coreBody,
  isKindOf,
  json,
  jsonNotation,
  ordinal,
  parseBodyNotation,
  rulesFrom,
  tableKeyValues,
  tableRows,
  valueAt,
} from '../support.mjs';
import { checkStateParams, stateParams } from './http-consumer.mjs';
import { commentsFrom, startProvider } from './http-provider.mjs';

/** A metadata value from the suite: `JSON: …` is JSON, anything else a string. */
function metadataValue(value) {
  const v = value.trim();
  return v.startsWith('JSON: ') ? json(v.slice(6)) : value;
}

function sameJson(a, b) {
  return jsonEquals(json(JSON.stringify(a)), json(JSON.stringify(b)));
}

/**
 * The suite's generators fixtures as DSL matchers: the one generator the message features use,
 * RandomInt, is the `integer()` matcher without an example (it generates an integer).
 */
function matcherFor(generator) {
  if (generator.type === 'RandomInt') return integer();
  throw new Error(`no DSL matcher for a ${generator.type} generator`);
}

/** A message part: `{ notation, template?, metadata }` from body/generators/metadata columns. */
function messagePart(row) {
  const part = { notation: parseBodyNotation(row.body ?? ''), metadata: {} };
  const generators = row.generators ? jsonNotation(row.generators) : {};
  if (part.notation && /json/.test(part.notation.contentType ?? '')) {
    let template = JSON.parse(Buffer.from(part.notation.bytes).toString('utf8'));
    for (const [path, generator] of Object.entries(generators.body ?? {})) {
      template = replaceAt(template, path, matcherFor(generator));
    }
    part.template = template;
  }
  if (row.metadata) part.metadata = json(row.metadata);
  for (const [key, generator] of Object.entries(generators.metadata ?? {}))
    part.metadata[key] = matcherFor(generator);
  return part;
}

function replaceAt(value, path, replacement) {
  const key = path.replace(/^\$\./, '');
  if (key.includes('.') || key.includes('[')) throw new Error(`unsupported generator path ${path}`);
  return { ...value, [key]: replacement };
}

function partFromNotation(value) {
  // "basic" names basic.json; "basic.json" and "file: x" name the file; "JSON: …" is inline.
  const spelled = /^(file|JSON): /.test(value)
    ? value
    : `file: ${value.endsWith('.json') ? value : `${value}.json`}`;
  const notation = parseBodyNotation(spelled);
  return {
    notation,
    template: /json/.test(notation.contentType ?? '')
      ? JSON.parse(Buffer.from(notation.bytes).toString('utf8'))
      : undefined,
    metadata: {},
  };
}

/** Puts a part's content and metadata on a MessageBuilder (or an async chain, which has the same steps). */
function withPart(builder, part) {
  let out = builder;
  if (Object.keys(part.metadata).length > 0 && typeof out.withMetadata === 'function' && !part.notation) {
    out = out.withMetadata(part.metadata);
  }
  const notation = part.notation;
  if (part.template !== undefined) out = out.withJSONContent(part.template, notation.contentType);
  else if (!notation) out = out.withJSONContent({});
  else if (/^text\/|xml/.test(notation.contentType ?? ''))
    out = out.withContent(notation.contentType, Buffer.from(notation.bytes).toString('utf8'));
  else out = out.withBinaryContent(notation.bytes, notation.contentType);
  if (Object.keys(part.metadata).length > 0 && notation) out = out.withMetadata(part.metadata);
  return out;
}

function newMessagePact(world) {
  return new MessagePact({
    consumer: 'C',
    provider: 'P',
    dir: world.dir,
    spec: world.version === 'V3' ? 3 : 4,
  });
}

/** Runs the message being defined through MessagePact with `handler`; records the outcome. */
async function processMessage(world, handler) {
  const m = world.messageDsl;
  const pact = newMessagePact(world);
  world.pactFile = pact.pactFile;
  try {
    if (m.kind === 'async') {
      let chain = pact.addAsynchronousMessage();
      for (const s of m.states) chain = chain.given(s.name, s.params);
      let described = chain.expectsToReceive('a message');
      if (m.key) described = described.key(m.key);
      if (m.pending) described = described.pending();
      for (const text of m.comments) described = described.comment(text);
      await withPart(described, m.message).verify(async (message) => {
        world.received = message;
        await handler(message);
      });
    } else {
      let chain = pact.addSynchronousMessage('a synchronous message');
      for (const s of m.states) chain = chain.given(s.name, s.params);
      if (m.key) chain = chain.key(m.key);
      if (m.pending) chain = chain.pending();
      for (const text of m.comments) chain = chain.comment(text);
      let ready = chain.withRequest((req) => {
        withPart(req, m.request);
      });
      const responses = m.responses.length ? m.responses : [{ notation: undefined, metadata: {} }];
      for (const response of responses)
        ready = ready.withResponse((res) => {
          withPart(res, response);
        });
      await ready.executeTest(async (messages) => {
        world.receivedSync = messages;
        world.received = messages.responses[0];
        await handler(messages);
      });
    }
    world.consumerPassed = true;
  } catch (error) {
    world.consumerPassed = false;
    world.consumerError = error;
  }
}

export async function generateMessagePact(world) {
  await processMessage(world, () => undefined);
  if (!world.consumerPassed) throw world.consumerError;
  return world.pactFile;
}

function pactMessages(world) {
  if (!existsSync(world.pactFile)) throw new Error('no pact file was written');
  const pact = JSON.parse(readFileSync(world.pactFile, 'utf8'));
  return pact.messages ?? pact.interactions ?? [];
}

/** A pact-file message's contents as plain data (V3 `contents`, V4 `{content, contentType}`). */
function pactContents(contents) {
  if (contents && typeof contents === 'object' && 'content' in contents && 'contentType' in contents) {
    if (contents.encoded === 'base64') return Buffer.from(contents.content, 'base64');
    return contents.content;
  }
  return contents;
}

/**
 * The content type the pact file gives a message, read as the specification says: a V3 message
 * with JSON contents and no contentType metadata is application/json. `part` picks a synchronous
 * message's request or first response.
 */
function pactContentType(world, which, part) {
  const pact = readPact(readFileSync(world.pactFile, 'utf8'), world.pactFile);
  const interaction = pact.interactions[ordinal(which)];
  if (!interaction) throw new Error(`no ${which} interaction`);
  const message =
    part === 'request' ? interaction.request : part === 'response' ? interaction.response?.[0] : interaction;
  return message?.contents ? effectiveContentType(message.contents) : undefined;
}

/** Does `actual` (plain data from a pact or a handler) hold the document the notation names? */
function holdsDocument(actual, value) {
  const part = partFromNotation(value);
  if (part.template !== undefined) {
    const data = typeof actual === 'string' ? JSON.parse(actual) : actual;
    return sameJson(data, part.template);
  }
  const expected = Buffer.from(part.notation.bytes);
  const got = typeof actual === 'string' ? Buffer.from(actual) : Buffer.from(actual ?? []);
  return expected.equals(got);
}

function checkMetadata(metadata, key, value) {
  if (!sameJson(metadata?.[key], metadataValue(value)))
    throw new Error(`metadata ${key} is ${JSON.stringify(metadata?.[key])}, expected ${value}`);
}

function checkKind(value, kind) {
  if (!isKindOf(kind, value)) throw new Error(`${JSON.stringify(value)} is not ${kind}`);
}

// --- provider side ---

/** A message as a producer returns it, from the suite's notation and metadata. */
function produced(value, metadata = {}) {
  const notation = parseBodyNotation(value);
  const ct = notation?.contentType ?? 'text/plain';
  let contents;
  if (/json/.test(ct)) contents = JSON.parse(Buffer.from(notation.bytes).toString('utf8'));
  else if (/^text\/|xml/.test(ct)) contents = Buffer.from(notation.bytes).toString('utf8');
  else contents = Buffer.from(notation.bytes);
  return { contents, metadata: { contentType: ct, ...metadata } };
}

/** A core asynchronous message interaction for a pact file the verifier reads. */
function messageInteraction(
  description,
  value,
  { metadata = {}, rules = '', states = [], pending = false, comments } = {},
) {
  const notation = parseBodyNotation(value);
  return {
    type: 'Asynchronous/Messages',
    description,
    providerStates: states,
    pending,
    ...(comments ? { comments } : {}),
    contents: coreBody(notation),
    metadata: { ...(notation?.contentType ? { contentType: notation.contentType } : {}), ...metadata },
    matchingRules: rulesFrom(rules),
    generators: {},
  };
}

async function ensureMessageProvider(world) {
  if (!world.provider) await startProvider(world, () => undefined);
  world.messageProviders ??= {};
}

function writeMessagePact(world, interaction) {
  world.messagePactFiles ??= [];
  const consumer = `c_${interaction.description}_${world.messagePactFiles.length + 1}`;
  const file = join(world.dir, `${consumer}-p.json`);
  const pact = {
    consumer: { name: consumer },
    provider: { name: 'p' },
    interactions: [interaction],
    metadata: {},
    specification: world.version,
  };
  writeFileSync(file, pactToText(pact, world.version === 'V4' ? 'V4' : 'V3'));
  world.messagePactFiles.push(file);
}

function metadataFromTable(table) {
  return Object.fromEntries(Object.entries(tableKeyValues(table)).map(([k, v]) => [k, metadataValue(v)]));
}

/** `Origin=AXP-1000; TagData=JSON: {…}` → metadata. */
function metadataFromText(text) {
  const out = {};
  for (const piece of text.split(/;\s*(?=[\w-]+=)/)) {
    const eq = piece.indexOf('=');
    out[piece.slice(0, eq).trim()] = metadataValue(piece.slice(eq + 1));
  }
  return out;
}

/** Registers the message steps. */
export function messageSteps(registry) {
  const define = registry.define.bind(registry);
  const empty = () => ({ notation: undefined, metadata: {} });

  // --- consumer: defining the message ---
  const asyncDsl = (world) => {
    world.messageDsl = { kind: 'async', states: [], comments: [], message: empty() };
  };
  define('a message integration is being defined for a consumer test', asyncDsl);
  define('a message interaction is being defined for a consumer test', asyncDsl);
  define('a synchronous message interaction is being defined for a consumer test', (world) => {
    world.messageDsl = { kind: 'sync', states: [], comments: [], request: empty(), responses: [] };
  });
  define('a message is defined', () => undefined);
  define('the message payload contains the {string} JSON document', (world, name) => {
    world.messageDsl.message = { ...partFromNotation(name), metadata: world.messageDsl.message.metadata };
  });
  define('the message contains the following metadata:', (world, table) => {
    Object.assign(world.messageDsl.message.metadata, metadataFromTable(table));
  });
  define('the message is configured with the following:', (world, table) => {
    world.messageDsl.message = messagePart(tableRows(table)[0]);
  });
  define('the message request payload contains the {string} JSON document', (world, name) => {
    world.messageDsl.request = { ...partFromNotation(name), metadata: world.messageDsl.request.metadata };
  });
  define('the message response payload contains the {string} document', (world, value) => {
    world.messageDsl.responses.push(partFromNotation(value));
  });
  define('the message request contains the following metadata:', (world, table) => {
    Object.assign(world.messageDsl.request.metadata, metadataFromTable(table));
  });
  define('the message request is configured with the following:', (world, table) => {
    world.messageDsl.request = messagePart(tableRows(table)[0]);
  });
  define('the message response is configured with the following:', (world, table) => {
    world.messageDsl.responses.push(messagePart(tableRows(table)[0]));
  });
  for (const what of ['message', 'synchronous message']) {
    define(`a provider state {string} for the ${what} is specified`, (world, name) =>
      world.messageDsl.states.push({ name }),
    );
    define(
      `a provider state {string} for the ${what} is specified with the following data:`,
      (world, name, table) => world.messageDsl.states.push({ name, params: stateParams(table) }),
    );
  }
  for (const what of ['message', 'synchronous message']) {
    define(`a key of {string} is specified for the ${what} interaction`, (world, key) => {
      world.messageDsl.key = key;
    });
    define(`the ${what} interaction is marked as pending`, (world) => {
      world.messageDsl.pending = true;
    });
    define(`a comment {string} is added to the ${what} interaction`, (world, text) =>
      world.messageDsl.comments.push(text),
    );
  }

  // --- consumer: processing ---
  define('the message is successfully processed', (world) => processMessage(world, () => undefined));
  define('the message is NOT successfully processed with a {string} exception', (world, text) =>
    processMessage(world, () => {
      throw new Error(text);
    }),
  );
  define('the consumer test will have passed', (world) => {
    if (!world.consumerPassed) throw world.consumerError;
  });
  define('the consumer test will have failed', (world) => {
    if (world.consumerPassed) throw new Error('the consumer test passed');
  });
  define('the consumer test error will be {string}', (world, text) => {
    if (world.consumerError?.message !== text)
      throw new Error(`the error is ${world.consumerError?.message}`);
  });
  define('a Pact file for the message interaction will have been written', (world) => {
    if (!existsSync(world.pactFile)) throw new Error(`no pact file: ${world.consumerError?.message ?? ''}`);
  });
  define('a Pact file for the message interaction will NOT have been written', (world) => {
    if (existsSync(world.pactFile)) throw new Error('a pact file was written');
  });

  // --- consumer: what the handler received ---
  define('the received message payload will contain the {string} JSON document', (world, name) => {
    if (!holdsDocument(world.received.contents, name))
      throw new Error(`received ${JSON.stringify(world.received.contents)}`);
  });
  define('the received message payload will contain the {string} document', (world, value) => {
    if (!holdsDocument(world.received.contents, value))
      throw new Error(`received ${String(world.received.contents)}`);
  });
  define('the received message content type will be {string}', (world, type) => {
    if (world.received.contentType !== type)
      throw new Error(`the content type is ${world.received.contentType}`);
  });
  define('the received message metadata will contain {string} == {string}', (world, key, value) =>
    checkMetadata(world.received.metadata, key, value),
  );
  define('the received message request metadata will contain {string} == {string}', (world, key, value) =>
    checkMetadata(world.receivedSync.request.metadata, key, value),
  );
  define('the received message response metadata will contain {string} == {string}', (world, key, value) =>
    checkMetadata(world.receivedSync.responses[0].metadata, key, value),
  );
  define(
    'the received message metadata will contain {string} replaced with an {string}',
    (world, key, kind) => checkKind(world.received.metadata[key], kind),
  );
  define(
    'the received message request metadata will contain {string} replaced with an {string}',
    (world, key, kind) => checkKind(world.receivedSync.request.metadata[key], kind),
  );
  define(
    'the received message response metadata will contain {string} replaced with an {string}',
    (world, key, kind) => checkKind(world.receivedSync.responses[0].metadata[key], kind),
  );
  define('the message contents for {string} will have been replaced with an {string}', (world, path, kind) =>
    checkKind(valueAt(world.received.contents, path), kind),
  );
  define(
    'the message request contents for {string} will have been replaced with an {string}',
    (world, path, kind) => checkKind(valueAt(world.receivedSync.request.contents, path), kind),
  );
  define(
    'the message response contents for {string} will have been replaced with an {string}',
    (world, path, kind) => checkKind(valueAt(world.receivedSync.responses[0].contents, path), kind),
  );

  // --- consumer: the pact file ---
  define('the pact file will contain {int} message interaction', (world, n) => {
    const count = pactMessages(world).length;
    if (count !== n) throw new Error(`${count} messages, not ${n}`);
  });
  const nth = (world, which) => {
    const message = pactMessages(world)[ordinal(which)];
    if (!message) throw new Error(`no ${which} message`);
    return message;
  };
  define(
    'the {numType} message in the pact file will contain the {string} document',
    (world, which, name) => {
      const message = nth(world, which);
      if (!holdsDocument(pactContents(message.contents), name))
        throw new Error(`contents ${JSON.stringify(message.contents)}`);
    },
  );
  define('the {numType} message in the pact file content type will be {string}', (world, which, type) => {
    const actual = pactContentType(world, which);
    if (actual !== type) throw new Error(`the content type is ${actual}`);
  });
  define(
    'the {numType} message in the pact file will contain the message metadata {string} == {string}',
    (world, which, key, value) => checkMetadata(nth(world, which).metadata, key, value),
  );
  define(
    'the {numType} message in the pact file will contain the request message metadata {string} == {string}',
    (world, which, key, value) => checkMetadata(nth(world, which).request.metadata, key, value),
  );
  const stateCount = (world, which, n) => {
    const count = (nth(world, which).providerStates ?? []).length;
    if (count !== n) throw new Error(`${count} provider states, not ${n}`);
  };
  define('the {numType} message in the pact file will contain {int} provider state', stateCount);
  define('the {numType} message in the pact file will contain {int} provider states', stateCount);
  define(
    'the {numType} message in the Pact file will contain provider state {string}',
    (world, which, name) => {
      if (!(nth(world, which).providerStates ?? []).some((s) => s.name === name))
        throw new Error(`no provider state '${name}'`);
    },
  );
  define(
    'the provider state {string} for the message will contain the following parameters:',
    (world, name, table) => checkStateParams(nth(world, 'first'), name, table),
  );
  define(
    'the {numType} interaction in the pact file will contain the {string} document as the request',
    (world, which, value) => {
      const message = nth(world, which);
      if (!holdsDocument(pactContents(message.request.contents), value))
        throw new Error(`request ${JSON.stringify(message.request)}`);
    },
  );
  define(
    'the {numType} interaction in the pact file will contain the {string} document as a response',
    (world, which, value) => {
      const message = nth(world, which);
      if (!holdsDocument(pactContents(message.response[0].contents), value))
        throw new Error(`response ${JSON.stringify(message.response)}`);
    },
  );
  define(
    'the {numType} interaction in the pact file will contain the {string} document as the {numType} response message',
    (world, which, value, index) => {
      const response = nth(world, which).response[ordinal(index)];
      if (!response || !holdsDocument(pactContents(response.contents), value))
        throw new Error(`response ${JSON.stringify(response)}`);
    },
  );
  define(
    'the {numType} interaction in the pact file will contain {int} response messages',
    (world, which, n) => {
      const count = nth(world, which).response.length;
      if (count !== n) throw new Error(`${count} responses`);
    },
  );
  define(
    'the {numType} interaction in the pact file request content type will be {string}',
    (world, which, type) => {
      const actual = pactContentType(world, which, 'request');
      if (actual !== type) throw new Error(`the request content type is ${actual}`);
    },
  );
  define(
    'the {numType} interaction in the pact file response content type will be {string}',
    (world, which, type) => {
      const actual = pactContentType(world, which, 'response');
      if (actual !== type) throw new Error(`the response content type is ${actual}`);
    },
  );

  // --- provider ---
  const producer = async (world, description, value, metadata) => {
    await ensureMessageProvider(world);
    world.messageProviders[description] = () => {
      world.provider.log.push({ kind: 'message', description });
      return produced(value, metadata);
    };
  };
  define(
    'a provider is started that can generate the {string} message with {string}',
    (world, description, value) => producer(world, description, value),
  );
  define(
    'a provider is started that can generate the {string} message with {string} and the following metadata:',
    (world, description, value, table) => producer(world, description, value, metadataFromTable(table)),
  );
  define('a Pact file for {string}:{string} is to be verified', (world, description, value) =>
    writeMessagePact(world, messageInteraction(description, value)),
  );
  define(
    'a Pact file for {string}:{string} is to be verified with provider state {string}',
    (world, description, value, state) =>
      writeMessagePact(world, messageInteraction(description, value, { states: [{ name: state }] })),
  );
  define(
    'a Pact file for {string}:{string} is to be verified with the following metadata:',
    (world, description, value, table) =>
      writeMessagePact(world, messageInteraction(description, value, { metadata: metadataFromTable(table) })),
  );
  define(
    'a Pact file for {string}:{string} is to be verified, but is marked pending',
    (world, description, value) =>
      writeMessagePact(world, messageInteraction(description, value, { pending: true })),
  );
  define(
    'a Pact file for {string}:{string} is to be verified with the following comments:',
    (world, description, value, table) =>
      writeMessagePact(world, messageInteraction(description, value, { comments: commentsFrom(table) })),
  );
  define('a Pact file for {string} is to be verified with the following:', (world, description, table) => {
    const fields = Object.fromEntries(table.map((row) => [row[0], row[1] ?? '']));
    writeMessagePact(
      world,
      messageInteraction(description, fields.body ?? '', {
        rules: fields['matching rules'] ?? '',
        metadata: fields.metadata ? metadataFromText(fields.metadata) : {},
      }),
    );
  });
}
