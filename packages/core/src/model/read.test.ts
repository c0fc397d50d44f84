import { describe, expect, it } from 'vitest';
import { CovenantError } from '../errors.js';
import { JsonNumber, stringifyJson } from '../json/value.js';
import { pactFromJson, readPact } from './read.js';
import { pactToJson, pactToText } from './write.js';

const v2 = {
  consumer: { name: 'web' },
  provider: { name: 'api' },
  interactions: [
    {
      description: 'a request for alligators',
      providerState: 'alligators exist',
      request: {
        method: 'get',
        path: '/alligators',
        query: 'name=Mary&age=3',
        headers: { Accept: 'application/json' },
      },
      response: {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: { alligators: [{ name: 'Mary', weight: 100.0 }] },
        matchingRules: {
          '$.body.alligators': { min: 1 },
          '$.body.alligators[*].name': { match: 'type' },
          '$.headers.Content-Type': { match: 'regex', regex: 'application/json.*' },
        },
      },
    },
  ],
  metadata: { pactSpecification: { version: '2.0.0' } },
};

describe('readPact', () => {
  it('reads a V2 pact into the model', () => {
    const pact = readPact(stringifyJson(v2 as never));
    expect(pact.specification).toBe('V2');
    const [i] = pact.interactions;
    expect(i?.type).toBe('Synchronous/HTTP');
    if (i?.type !== 'Synchronous/HTTP') return;
    expect(i.request.method).toBe('GET');
    expect(i.request.query).toEqual({ name: ['Mary'], age: ['3'] });
    expect(i.providerStates).toEqual([{ name: 'alligators exist' }]);
    expect(i.response.matchingRules.body?.get('$.alligators')?.list.rules).toEqual([
      { match: 'type', min: 1 },
    ]);
    expect(i.response.matchingRules.header?.get('Content-Type')?.list.rules[0]).toEqual({
      match: 'regex',
      regex: 'application/json.*',
    });
  });

  it('keeps 100.0 apart from 100 and big integers exact', () => {
    const pact = readPact(
      '{"consumer":{"name":"a"},"provider":{"name":"b"},"interactions":[{"description":"d","request":{"method":"GET","path":"/"},"response":{"status":200,"body":{"price":100.0,"id":12345678901234567890}}}],"metadata":{"pactSpecification":{"version":"3.0.0"}}}',
    );
    const i = pact.interactions[0]!;
    if (
      i.type !== 'Synchronous/HTTP' ||
      i.response.body.kind !== 'present' ||
      i.response.body.content.type !== 'json'
    )
      throw new Error('shape');
    const body = i.response.body.content.value as Record<string, unknown>;
    expect(body.price).toBeInstanceOf(JsonNumber);
    expect((body.price as JsonNumber).text).toBe('100.0');
    expect((body.id as JsonNumber).text).toBe('12345678901234567890');
    expect(pactToText(pact, 'V3')).toContain('"id": 12345678901234567890');
    expect(pactToText(pact, 'V3')).toContain('"price": 100.0');
  });

  it('names the file, the JSON path and what was expected for a malformed pact', () => {
    const bad = {
      ...v2,
      interactions: [{ description: 'x', request: { method: 1, path: '/' }, response: { status: 200 } }],
    };
    let error: unknown;
    try {
      pactFromJson(bad as never, 'pacts/web-api.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CovenantError);
    const e = error as CovenantError;
    expect(e.code).toBe('COV_CORE_PACT_INVALID');
    expect(e.message).toContain('pacts/web-api.json');
    expect(e.message).toContain('$.interactions[0].request.method');
    expect(e.message).toContain('expected an HTTP method string');
  });

  it('reports invalid JSON with line and column, not a stack trace', () => {
    expect(() => readPact('{\n  "consumer": {"name": "a"},\n  oops\n}', 'x.json')).toThrowError(
      /COV_CORE_JSON_SYNTAX: x.json is not valid JSON: .* line 3, column 3/,
    );
  });

  it('rejects an unknown specification version with its own code', () => {
    expect(() =>
      pactFromJson({ ...v2, metadata: { pactSpecification: { version: '9.0.0' } } } as never),
    ).toThrowError(/COV_CORE_PACT_VERSION_UNSUPPORTED/);
  });

  it('reports a malformed matching rule with where it is', () => {
    const bad = structuredClone(v2) as unknown as {
      interactions: Array<{ response: { matchingRules: unknown } }>;
    };
    bad.interactions[0]!.response.matchingRules = {
      body: { '$.a': { matchers: [{ match: 'statusCode', status: 'great' }] } },
    };
    expect(() => pactFromJson(bad as never, 'p.json')).toThrowError(
      /COV_CORE_MATCHING_RULE_INVALID: p.json \$.interactions\[0\].response.matchingRules/,
    );
  });
});

const v4 = {
  consumer: { name: 'c' },
  provider: { name: 'p' },
  interactions: [
    {
      type: 'Synchronous/HTTP',
      description: 'http',
      key: 'k1',
      pending: true,
      comments: { text: ['a comment'], testname: 'my test' },
      providerStates: [{ name: 'state', params: { id: 7 } }],
      request: {
        method: 'POST',
        path: '/x',
        query: { a: ['1', '2'] },
        headers: { 'Content-Type': ['application/json'] },
        body: { content: { a: 1 }, contentType: 'application/json', encoded: false },
        matchingRules: { body: { '$.a': { combine: 'AND', matchers: [{ match: 'integer' }] } } },
        generators: { body: { '$.a': { type: 'RandomInt', min: 0, max: 10 } } },
      },
      response: {
        status: 201,
        headers: {},
        body: { content: 'AAEC', contentType: 'application/octet-stream', encoded: 'base64' },
      },
      pluginConfiguration: { foo: { bar: 1 } },
    },
    {
      type: 'Asynchronous/Messages',
      description: 'async',
      pending: false,
      contents: { content: 'hello', contentType: 'text/plain', encoded: false },
      metadata: { topic: 't' },
      matchingRules: { content: { $: { combine: 'AND', matchers: [{ match: 'regex', regex: 'h.*' }] } } },
    },
    {
      type: 'Synchronous/Messages',
      description: 'sync',
      pending: false,
      request: {
        contents: { content: { q: 1 }, contentType: 'application/json', encoded: false },
        metadata: {},
      },
      response: [
        {
          contents: { content: { r: 2 }, contentType: 'application/json', encoded: false },
          metadata: { m: 'x' },
        },
      ],
    },
  ],
  metadata: { pactSpecification: { version: '4.0' }, pactRust: { models: '1.0' } },
};

describe('V4 round trip', () => {
  it('reads every interaction type and writes back what the spec defines', () => {
    const pact = pactFromJson(v4 as never);
    expect(pact.interactions.map((i) => i.type)).toEqual([
      'Synchronous/HTTP',
      'Asynchronous/Messages',
      'Synchronous/Messages',
    ]);
    const written = JSON.parse(JSON.stringify(pactToJson(pact, 'V4')));
    expect(written).toEqual(v4);
  });

  it('is stable: reading what it wrote gives the same file', () => {
    const once = pactToText(pactFromJson(v4 as never), 'V4');
    const twice = pactToText(readPact(once), 'V4');
    expect(twice).toBe(once);
  });

  it('writes V3 message pacts and refuses mixed V3 pacts with a clear error', () => {
    const pact = pactFromJson(v4 as never);
    expect(() => pactToJson(pact, 'V3')).toThrowError(/COV_CORE_WRITE_UNSUPPORTED/);
    const messages = {
      ...pact,
      interactions: pact.interactions.filter((i) => i.type === 'Asynchronous/Messages'),
    };
    const v3 = pactToJson(messages, 'V3') as Record<string, unknown>;
    expect(v3.messages).toEqual([
      {
        description: 'async',
        contents: 'hello',
        metadata: { topic: 't' },
        matchingRules: { body: { $: { combine: 'AND', matchers: [{ match: 'regex', regex: 'h.*' }] } } },
      },
    ]);
  });

  it("takes a V3 message's content type from its metadata whatever the key's letter case", () => {
    const contentTypeOf = (metadata: Record<string, string>) => {
      const pact = pactFromJson({
        consumer: { name: 'c' },
        provider: { name: 'p' },
        messages: [{ description: 'm', contents: '<a/>', metadata }],
        metadata: { pactSpecification: { version: '3.0.0' } },
      } as never);
      const message = pact.interactions[0]!;
      if (message.type !== 'Asynchronous/Messages') throw new Error(`read as ${message.type}`);
      return message.contents.kind === 'present' ? message.contents.contentType : 'missing';
    };
    expect(contentTypeOf({ 'CONTENT-TYPE': 'application/xml' })).toBe('application/xml');
    expect(contentTypeOf({ ContentType: 'application/xml' })).toBe('application/xml');
    expect(contentTypeOf({ topic: 'x', contentType: 'text/plain', 'Content-Type': 'application/xml' })).toBe(
      'text/plain',
    );
    expect(contentTypeOf({ content_type: 'application/xml' })).not.toBe('application/xml');
  });

  it('writes V2 with flat $.body rules and the first provider state', () => {
    const pact = pactFromJson(v4 as never);
    const http = { ...pact, interactions: pact.interactions.slice(0, 1) };
    const out = JSON.parse(JSON.stringify(pactToJson(http, 'V2')));
    expect(out.interactions[0].providerState).toBe('state');
    expect(out.interactions[0].request.query).toBe('a=1&a=2');
    expect(out.interactions[0].request.matchingRules).toEqual({ '$.body.a': { match: 'integer' } });
    expect(out.metadata.pactSpecification.version).toBe('2.0.0');
  });
});
