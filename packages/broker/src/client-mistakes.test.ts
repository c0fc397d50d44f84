// Client mistakes at the HTTP boundary: every one is answered with a 4xx in the broker's error
// shape, never a 500, and the broker keeps answering afterwards.
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { brokerHarness, databaseKinds, pactFixture } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { brokerErrors } from './errors.js';
import { startBroker } from './server.js';

const broker = brokerHarness((database) => startBroker({ port: 0, database }));
const { call } = broker;

async function expectHealthy() {
  const heartbeat = await fetch(`${broker.url}/diagnostic/status/heartbeat`);
  expect(heartbeat.status).toBe(200);
}

const pact = (consumer: string, provider: string) =>
  pactFixture({ consumer, provider, spec: 2, interactions: [{ description: 'a request', path: '/' }] });

describe.each(databaseKinds())('client mistakes (%s)', (kind) => {
  broker.runOn(kind);

  it('serves a pact whose consumer version is not Latin-1 (the version header is percent-encoded)', async () => {
    const version = 'v1-😀';
    const path = `/pacts/provider/HeaderProvider/consumer/HeaderConsumer/version/${encodeURIComponent(version)}`;
    expect((await call('PUT', path, pact('HeaderConsumer', 'HeaderProvider'))).status).toBe(201);
    for (const url of [path, '/pacts/provider/HeaderProvider/consumer/HeaderConsumer/latest']) {
      const got = await call('GET', url);
      expect(got.status, url).toBe(200);
      expect(got.json.consumer.name).toBe('HeaderConsumer');
      expect(decodeURIComponent(got.headers.get('x-pact-consumer-version')!)).toBe(version);
    }
    // a plain version keeps its header as it is
    await call('PUT', '/pacts/provider/HeaderProvider/consumer/HeaderConsumer/version/1.0.0+b%201', {
      ...pact('HeaderConsumer', 'HeaderProvider'),
    });
    const plain = await call('GET', '/pacts/provider/HeaderProvider/consumer/HeaderConsumer/latest');
    expect(plain.headers.get('x-pact-consumer-version')).toBe('1.0.0+b 1');
    await expectHealthy();
  });
  it('refuses a NUL character in a name, version, query or body with a 400 (PostgreSQL cannot store one)', async () => {
    const environment = await call('POST', '/environments', { name: 'nul-test', production: false });
    expect(environment.status).toBe(201);
    const uuid = environment.json.uuid as string;
    const paths: Array<[string, string, unknown?]> = [
      ['GET', '/pacticipants/a%00b'],
      ['PUT', '/pacticipants/a%00b', {}],
      ['GET', '/pacticipants/Foo/versions/1%00'],
      ['PUT', '/pacticipants/Foo/versions/1.0.0/tags/t%00', {}],
      ['GET', '/pacticipants/Foo/branches/b%00'],
      ['PUT', '/pacts/provider/Bar/consumer/Foo%00/version/1', pact('Foo\u0000', 'Bar')],
      ['GET', '/pacts/provider/Bar%00/consumer/Foo/latest'],
      ['POST', '/pacts/provider/Bar%00/for-verification', {}],
      ['GET', '/environments/%00'],
      ['POST', `/pacticipants/Foo%00/versions/1/deployed-versions/environment/${uuid}`, {}],
      ['GET', '/webhooks/%00'],
      ['GET', '/pacticipants/label/%00'],
      ['GET', '/pacts/provider/Bar/consumer/Foo%00/latest/badge'],
      ['GET', '/matrix?q[][pacticipant]=Foo%00&q[][version]=1'],
      ['GET', '/can-i-deploy?pacticipant=Foo&version=1%00&environment=nul-test'],
      ['POST', '/pacticipants', { name: 'a\u0000b' }],
      ['POST', '/environments', { name: 'e', production: false, displayName: 'x\u0000' }],
      ['PUT', '/pacticipants/Foo/versions/1', { branch: 'main\u0000' }],
      [
        'POST',
        '/contracts/publish',
        { pacticipantName: 'Foo', pacticipantVersionNumber: '1\u0000', contracts: [] },
      ],
    ];
    for (const [method, path, body] of paths) {
      const got = await call(method, path, body);
      expect(got.status, `${method} ${path}`).toBe(400);
      expect(got.text, `${method} ${path}`).toContain('NUL');
    }
    // the body's NUL is found with its place, whichever field holds it
    const inBody = await call('POST', '/environments', {
      name: 'e',
      production: false,
      displayName: 'x\u0000',
    });
    expect(inBody.json.error).toContain('$.displayName');
    await expectHealthy();
    // NUL inside pact content is only data: stored escaped, served back as it was
    const withNul = pact('NulConsumer', 'NulProvider');
    (withNul.interactions[0] as Record<string, unknown>).response = {
      status: 200,
      body: { text: 'a\u0000b' },
    };
    const published = await call(
      'PUT',
      '/pacts/provider/NulProvider/consumer/NulConsumer/version/1',
      withNul,
    );
    expect(published.status).toBe(201);
    const served = await call('GET', '/pacts/provider/NulProvider/consumer/NulConsumer/latest');
    expect(served.json.interactions[0].response.body.text).toBe('a\u0000b');
  });
  it('refuses pacts-for-verification fields of the wrong type with a 400 naming the field', async () => {
    expect(
      (
        await call(
          'PUT',
          '/pacts/provider/FvProvider/consumer/FvConsumer/version/1',
          pact('FvConsumer', 'FvProvider'),
        )
      ).status,
    ).toBe(201);
    const url = '/pacts/provider/FvProvider/for-verification';
    const cases: Array<[unknown, string, string]> = [
      [{ providerVersionTags: 'main' }, 'providerVersionTags', 'list of non-blank tag names'],
      [{ providerVersionTags: [5] }, 'providerVersionTags', 'list of non-blank tag names'],
      [{ providerVersionBranch: 5 }, 'providerVersionBranch', 'non-blank string'],
      [{ includePendingStatus: 'yes' }, 'includePendingStatus', 'true or false'],
      [{ includeWipPactsSince: 5 }, 'includeWipPactsSince', 'must be a date'],
      [{ includeWipPactsSince: 'last week' }, 'includeWipPactsSince', 'must be a date'],
      [
        { consumerVersionSelectors: [{ tag: 5 }] },
        'consumerVersionSelectors',
        'consumerVersionSelectors[0].tag must be a non-blank string',
      ],
      [
        { consumerVersionSelectors: [{ latest: 'x' }] },
        'consumerVersionSelectors',
        'consumerVersionSelectors[0].latest must be true or false',
      ],
      [
        { consumerVersionSelectors: [{ consumer: {} }] },
        'consumerVersionSelectors',
        'consumerVersionSelectors[0].consumer must be a non-blank string',
      ],
      [
        { consumerVersionSelectors: [[]] },
        'consumerVersionSelectors',
        'consumerVersionSelectors[0] must be an object',
      ],
    ];
    for (const [body, field, message] of cases) {
      const got = await call('POST', url, body);
      expect(got.status, JSON.stringify(body)).toBe(400);
      expect(got.json.errors[field].join(' '), JSON.stringify(body)).toContain(message);
    }
    await expectHealthy();
    // null stands for absent, as clients that serialise every field send it
    const lenient = await call('POST', url, {
      providerVersionBranch: null,
      providerVersionTags: null,
      includePendingStatus: null,
      includeWipPactsSince: null,
      consumerVersionSelectors: [{ latest: true, tag: null }],
    });
    expect(lenient.status).toBe(200);
    expect(lenient.json._embedded.pacts).toHaveLength(1);
  });
  it('refuses pacticipant and version fields of the wrong type instead of ignoring or clearing them', async () => {
    expect(
      (await call('PUT', '/pacticipants/Typed', { mainBranch: 'main', displayName: 'Typed' })).status,
    ).toBe(201);
    for (const body of [{ mainBranch: 5 }, { displayName: [] }, { repositoryUrl: {} }]) {
      for (const method of ['PUT', 'PATCH']) {
        const got = await call(method, '/pacticipants/Typed', body);
        expect(got.status, `${method} ${JSON.stringify(body)}`).toBe(400);
        expect(Object.keys(got.json.errors)).toEqual(Object.keys(body));
      }
    }
    const kept = await call('GET', '/pacticipants/Typed');
    expect(kept.json.mainBranch).toBe('main');
    expect(kept.json.displayName).toBe('Typed');
    for (const body of [[], 'Typed', { name: 5 }, { name: 'Typed2', displayName: 5 }]) {
      const got = await call('POST', '/pacticipants', body);
      expect(got.status, JSON.stringify(body)).toBe(400);
    }
    for (const body of [{ buildUrl: 5 }, { tags: 'prod' }, { tags: [5] }, { tags: [{ name: 5 }] }, []]) {
      const got = await call('PUT', '/pacticipants/Typed/versions/1.0.0', body);
      expect(got.status, JSON.stringify(body)).toBe(400);
    }
    expect((await call('GET', '/pacticipants/Typed/versions/1.0.0')).status).toBe(404);
    const tagged = await call('PUT', '/pacticipants/Typed/versions/1.0.0', {
      tags: ['prod', { name: 'test' }],
    });
    expect(tagged.status).toBe(201);
    expect(tagged.json._embedded.tags.map((t: { name: string }) => t.name).sort()).toEqual(['prod', 'test']);
    await expectHealthy();
  });
  it('refuses a repeated or malformed matrix and can-i-deploy parameter instead of answering for one of them', async () => {
    expect(
      (
        await call(
          'PUT',
          '/pacts/provider/MxProvider/consumer/MxConsumer/version/1',
          pact('MxConsumer', 'MxProvider'),
        )
      ).status,
    ).toBe(201);
    const cases: Array<[string, string]> = [
      [
        '/can-i-deploy?pacticipant=MxConsumer&pacticipant=MxProvider&version=1',
        'pacticipant is given more than once',
      ],
      ['/can-i-deploy?pacticipant=MxConsumer&version=1&version=2', 'version is given more than once'],
      ['/can-i-deploy?pacticipant=MxConsumer&version=1&to=a&to=b', 'to is given more than once'],
      [
        '/matrix?q[][pacticipant]=MxConsumer&q[][version]=1&latestby=cvp&latestby=cvpv',
        'latestby is given more than once',
      ],
      ['/matrix?q[pacticipant]=MxConsumer&q[pacticipant]=MxProvider', 'pacticipant is given more than once'],
      ['/matrix?q[][pacticipant]=MxConsumer&q[][latest]=maybe', "must be true or false, not 'maybe'"],
      ['/matrix?q[][pacticipant]=MxConsumer&q[][mainBranch]=yes', "must be true or false, not 'yes'"],
      [
        '/matrix?q[][pacticipant]=MxConsumer&q[][version]=1&latestby=cvp&latest=1&tag=prod',
        "latest must be true or false, not '1'",
      ],
    ];
    for (const [url, message] of cases) {
      const got = await call('GET', url);
      expect(got.status, url).toBe(400);
      expect(got.json.errors.join(' '), url).toContain(message);
    }
    // selectors repeat as q[][…]: still two selectors
    const two = await call(
      'GET',
      '/matrix?q[][pacticipant]=MxConsumer&q[][version]=1&q[][pacticipant]=MxProvider&q[][latest]=true',
    );
    expect(two.status).toBe(200);
    const once = await call('GET', '/can-i-deploy?pacticipant=MxConsumer&version=1&to=prod');
    expect(once.status).toBe(200);
    await expectHealthy();
  });
  it('gives every error response a stable code from the catalog and its hint, in both error shapes', async () => {
    const cases: Array<[string, string, unknown, Record<string, string>, number, string]> = [
      ['POST', '/pacticipants', '{"name":', {}, 400, 'COV_BROKER_BODY_INVALID_JSON'],
      ['POST', '/pacticipants', { name: 5 }, {}, 400, 'COV_BROKER_REQUEST_INVALID'],
      [
        'POST',
        '/pacticipants',
        'name=x',
        { 'Content-Type': 'text/plain' },
        415,
        'COV_BROKER_MEDIA_TYPE_UNSUPPORTED',
      ],
      [
        'POST',
        '/environments',
        JSON.stringify({ name: 'x'.repeat(11 * 1024 * 1024) }),
        {},
        413,
        'COV_BROKER_BODY_TOO_LARGE',
      ],
      ['GET', '/pacticipants/Nobody', undefined, {}, 404, 'COV_BROKER_NOT_FOUND'],
      ['GET', '/environments/not-a-uuid', undefined, {}, 404, 'COV_BROKER_NOT_FOUND'],
      ['GET', '/no/such/resource', undefined, {}, 404, 'COV_BROKER_NOT_FOUND'],
      ['GET', '/can-i-deploy', undefined, {}, 400, 'COV_BROKER_REQUEST_INVALID'],
      ['POST', '/pacts/provider/P/for-verification', [], {}, 400, 'COV_BROKER_REQUEST_INVALID'],
      ['DELETE', '/matrix', undefined, {}, 405, 'COV_BROKER_METHOD_NOT_ALLOWED'],
      ['GET', '/pacticipants/%FF', undefined, {}, 400, 'COV_BROKER_REQUEST_INVALID'],
      ['PUT', '/pacticipants/Foo/versions/%E0%A4%A', {}, {}, 400, 'COV_BROKER_REQUEST_INVALID'],
      ['GET', `/pacticipants/${'x'.repeat(1001)}`, undefined, {}, 414, 'COV_BROKER_REQUEST_MALFORMED'],
    ];
    for (const [method, path, body, headers, status, code] of cases) {
      for (const accept of ['application/hal+json', 'application/problem+json']) {
        const got = await call(method, path, body, { ...headers, Accept: accept });
        const what = `${method} ${path} (${accept})`;
        expect(got.status, what).toBe(status);
        expect(got.json?.code, what).toBe(code);
        expect(got.json.hint, what).toBe(brokerErrors[code as keyof typeof brokerErrors].hint);
        if (accept === 'application/problem+json') expect(got.json.status, what).toBe(status);
        else expect(got.json.error ?? got.json.errors, what).toBeTruthy();
      }
    }
    await expectHealthy();
  });

  it('answers a method the resource does not offer with 405 and Allow', async () => {
    const got = await call('PUT', '/environments', {});
    expect(got.status).toBe(405);
    expect(got.json.code).toBe('COV_BROKER_METHOD_NOT_ALLOWED');
    const allowed = (header: string | null) => new Set(header?.split(',').map((m) => m.trim()));
    expect(allowed(got.headers.get('allow'))).toEqual(new Set(['GET', 'HEAD', 'POST']));
    // the message names the method refused and the ones allowed
    expect(got.json.error).toContain('PUT');
    for (const method of ['GET', 'HEAD', 'POST']) expect(got.json.error).toContain(method);
    const templated = await call('POST', '/pacticipants/Foo/versions/1/tags/prod', {});
    expect(templated.status).toBe(405);
    expect(templated.headers.get('allow')).toContain('PUT');
  });

  it('answers a URL too large, in one segment (414) or with the headers (431), with one code and each its own problem type', async () => {
    const accept = { Accept: 'application/problem+json' };
    const segment = await call('GET', `/pacticipants/${'x'.repeat(1001)}`, undefined, accept);
    const whole = await call('GET', `/pacticipants?q=${'x'.repeat(20_000)}`, undefined, accept);
    expect([segment.status, whole.status]).toEqual([414, 431]);
    expect(segment.json.code).toBe('COV_BROKER_REQUEST_MALFORMED');
    expect(whole.json.code).toBe(segment.json.code);
    expect(segment.json.detail).toContain('1000');
    expect(segment.json.type).toMatch(/\/problems\/uri-too-long$/);
    await expectHealthy();
  });
  it("answers requests Node's HTTP parser refuses (huge headers, not HTTP) in the broker's shape, and keeps serving", async () => {
    const huge = await call('GET', '/pacticipants', undefined, { Cookie: 'a'.repeat(20_000) });
    expect(huge.status).toBe(431);
    expect(huge.json.code).toBe('COV_BROKER_REQUEST_MALFORMED');
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(broker.running.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk;
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)).code).toBe('COV_BROKER_REQUEST_MALFORMED');
    await expectHealthy();
  });

  it('tells missing credentials from refused ones, with codes, when auth is configured', async () => {
    const secured = await startBroker({
      port: 0,
      database: ':memory:',
      auth: {
        readWrite: { username: 'writer', password: 'w' },
        readOnly: { username: 'reader', password: 'r' },
        tokens: { readWrite: ['t0ken'] },
      },
    });
    try {
      const basic = (user: string, password: string) =>
        `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      const ask = async (authorization: string | undefined, method = 'GET') => {
        const response = await fetch(`${secured.url}/pacticipants`, {
          method,
          headers: {
            ...(authorization ? { Authorization: authorization } : {}),
            'Content-Type': 'application/json',
          },
          ...(method === 'POST' ? { body: '{"name":"X"}' } : {}),
        });
        return { status: response.status, json: (await response.json()) as Record<string, string> };
      };
      const cases: Array<[string | undefined, string, number, string, string]> = [
        [undefined, 'GET', 401, 'COV_BROKER_UNAUTHORIZED', 'needs credentials'],
        [
          basic('writer', 'wrong'),
          'GET',
          401,
          'COV_BROKER_UNAUTHORIZED',
          'username and password sent are not accepted',
        ],
        ['Basic !!!', 'GET', 401, 'COV_BROKER_UNAUTHORIZED', 'not accepted'],
        ['Bearer nope', 'GET', 401, 'COV_BROKER_UNAUTHORIZED', 'bearer token sent is not accepted'],
        ['Token t0ken', 'GET', 401, 'COV_BROKER_UNAUTHORIZED', "not 'Token' credentials"],
        [basic('reader', 'r'), 'POST', 403, 'COV_BROKER_FORBIDDEN', 'may only read'],
      ];
      for (const [authorization, method, status, code, message] of cases) {
        const got = await ask(authorization, method);
        expect(got.status, `${authorization} ${method}`).toBe(status);
        expect(got.json.code).toBe(code);
        expect(got.json.error).toContain(message);
      }
      expect((await ask('Bearer t0ken', 'POST')).status).toBe(201);
    } finally {
      await secured.close();
    }
  });
  it('refuses contracts/publish fields of the wrong type, and takes null as absent', async () => {
    const content = Buffer.from(JSON.stringify(pact('CpConsumer', 'CpProvider'))).toString('base64');
    const body = (extra: Record<string, unknown>, contract: Record<string, unknown> = {}) => ({
      pacticipantName: 'CpConsumer',
      pacticipantVersionNumber: '1',
      contracts: [
        {
          consumerName: 'CpConsumer',
          providerName: 'CpProvider',
          specification: 'pact',
          contentType: 'application/json',
          content,
          ...contract,
        },
      ],
      ...extra,
    });
    const cases: Array<[Record<string, unknown>, Record<string, unknown>, string, string]> = [
      [{ buildUrl: 5 }, {}, 'buildUrl', 'buildUrl'],
      [{}, { onConflict: 'replace' }, 'contracts', 'contracts[0].onConflict'],
      [{ tags: 'prod' }, {}, 'tags', 'tags'],
    ];
    for (const [extra, contract, field, named] of cases) {
      const got = await call('POST', '/contracts/publish', body(extra, contract));
      expect(got.status, JSON.stringify(extra)).toBe(400);
      expect(got.json.code).toBe('COV_BROKER_REQUEST_INVALID');
      expect(Object.keys(got.json.errors)).toEqual([field]);
      expect(got.json.errors[field].join()).toContain(named);
    }
    for (const notAnObject of ['[]', '"publish"', '42']) {
      const got = await call('POST', '/contracts/publish', notAnObject);
      expect(got.status).toBe(400);
      expect(got.json.code).toBe('COV_BROKER_REQUEST_INVALID');
      // the message names the fields the resource expects
      expect(got.json.errors.body.join()).toContain('pacticipantVersionNumber');
    }
    expect((await call('GET', '/pacticipants/CpConsumer')).status).toBe(404);
    const nulls = await call(
      'POST',
      '/contracts/publish',
      body({ branch: null, tags: null, buildUrl: null }),
    );
    expect(nulls.status).toBe(200);
  });
  it('refuses a body that is not a JSON object the same way on every resource that takes one', async () => {
    const writes: Array<[string, string]> = [
      ['POST', '/pacticipants'],
      ['PATCH', '/pacticipants/ObjConsumer'],
      ['PUT', '/pacticipants/ObjConsumer/versions/1'],
      ['POST', '/pacts/provider/ObjProvider/for-verification'],
      ['POST', '/contracts/publish'],
    ];
    for (const [method, path] of writes) {
      const got = await call(method, path, '[1]');
      expect(got.status, `${method} ${path}`).toBe(400);
      expect(got.json.code, `${method} ${path}`).toBe('COV_BROKER_REQUEST_INVALID');
      expect(Object.keys(got.json.errors), `${method} ${path}`).toEqual(['body']);
    }
    expect((await call('GET', '/pacticipants/ObjConsumer')).status).toBe(404);
  });
  it("names the deprecated 'target' field when it is the one of the wrong type in a recorded deployment", async () => {
    expect(
      (
        await call(
          'PUT',
          '/pacts/provider/DpProvider/consumer/DpConsumer/version/1',
          pact('DpConsumer', 'DpProvider'),
        )
      ).status,
    ).toBe(201);
    const environment = await call('POST', '/environments', { name: 'dp-test', production: false });
    const url = `/pacticipants/DpConsumer/versions/1/deployed-versions/environment/${environment.json.uuid}`;
    const target = await call('POST', url, { target: 5 });
    expect(target.status).toBe(400);
    expect(target.json.code).toBe('COV_BROKER_REQUEST_INVALID');
    expect(Object.keys(target.json.errors)).toEqual(['target']);
    expect(target.json.errors.target.join()).toContain('string');
    const instance = await call('POST', url, { applicationInstance: [] });
    expect(instance.status).toBe(400);
    expect(Object.keys(instance.json.errors)).toEqual(['applicationInstance']);
  });
  it('refuses JSON nested deeper than 512 levels with a 400 (it overflowed the stack: 500), and serves a pact at the limit', async () => {
    const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    // the interaction body starts 4 levels below the pact's top
    const pactText = (depth: number, consumer = 'DeepConsumer') =>
      `{"consumer":{"name":"${consumer}"},"provider":{"name":"DeepProvider"},"interactions":[{"description":"deep","request":{"method":"GET","path":"/"},"response":{"status":200,"body":${nested(depth)}}}],"metadata":{"pactSpecification":{"version":"2.0.0"}}}`;
    const atLimit = await call(
      'PUT',
      '/pacts/provider/DeepProvider/consumer/DeepConsumer/version/1',
      pactText(508),
    );
    expect(atLimit.status).toBe(201);
    const served = await call('GET', '/pacts/provider/DeepProvider/consumer/DeepConsumer/version/1');
    expect(served.status).toBe(200);
    const page = await call(
      'GET',
      '/pacts/provider/DeepProvider/consumer/DeepConsumer/version/1',
      undefined,
      {
        Accept: 'text/html',
      },
    );
    expect(page.status).toBe(200);
    for (const depth of [509, 20_000]) {
      const tooDeep = await call(
        'PUT',
        `/pacts/provider/DeepProvider/consumer/DeepConsumer/version/d${depth}`,
        pactText(depth),
      );
      expect(tooDeep.status, `pact body ${depth} deep`).toBe(400);
      expect(tooDeep.json.code).toBe('COV_BROKER_REQUEST_INVALID');
      expect(tooDeep.json.error).toContain('512');
    }
    const webhook = await call(
      'POST',
      '/webhooks',
      `{"request":{"method":"POST","url":"http://localhost/x","body":${nested(20_000)}},"events":[{"name":"contract_published"}]}`,
    );
    expect(webhook.status).toBe(400);
    const published = await call('POST', '/contracts/publish', {
      pacticipantName: 'DeepConsumer',
      pacticipantVersionNumber: '2',
      contracts: [
        {
          consumerName: 'DeepConsumer',
          providerName: 'DeepProvider',
          specification: 'pact',
          contentType: 'application/json',
          content: Buffer.from(pactText(20_000)).toString('base64'),
        },
      ],
    });
    expect(published.status).toBe(400);
    expect(published.json.errors.contracts).toHaveLength(1);
    expect(published.json.errors.contracts[0]).toContain('contracts[0].content');
    expect(published.json.errors.contracts[0]).toContain('512');
    await expectHealthy();
  });
  it('reads JSON under every JSON media type, with parameters and in any case, and nothing else as JSON', async () => {
    for (const contentType of [
      'application/json',
      'application/JSON; charset=utf-8',
      'application/hal+json',
      'application/vnd.pactbrokerextended.v1+json;charset=UTF-8',
    ]) {
      const name = `Typed ${contentType.length}`;
      const got = await call('POST', '/pacticipants', { name }, { 'Content-Type': contentType });
      expect(got.status, contentType).toBe(201);
    }
    for (const contentType of ['application/jsonx', 'application/json-seq', 'text/json+html']) {
      const got = await call('POST', '/pacticipants', { name: 'NotJson' }, { 'Content-Type': contentType });
      expect(got.status, contentType).toBe(415);
      expect(got.json.code).toBe('COV_BROKER_MEDIA_TYPE_UNSUPPORTED');
    }
  });
  it('reads a JSON body that starts with a UTF-8 byte order mark', async () => {
    const got = await call('POST', '/pacticipants', '\uFEFF{"name":"BomClient"}');
    expect(got.status).toBe(201);
    expect(got.json.name).toBe('BomClient');
  });
  it('refuses a name longer than a URL path segment may be, so nothing is created that no URL can reach', async () => {
    const long = 'n'.repeat(1001);
    const content = Buffer.from(JSON.stringify(pact(long, 'LongProvider'))).toString('base64');
    const cases: Array<[string, string, unknown]> = [
      ['POST', '/pacticipants', { name: long }],
      [
        'POST',
        '/contracts/publish',
        {
          pacticipantName: long,
          pacticipantVersionNumber: '1',
          contracts: [
            {
              consumerName: long,
              providerName: 'LongProvider',
              specification: 'pact',
              contentType: 'application/json',
              content,
            },
          ],
        },
      ],
      [
        'POST',
        '/contracts/publish',
        {
          pacticipantName: 'LongConsumer',
          pacticipantVersionNumber: '1',
          branch: long,
          contracts: [
            {
              consumerName: 'LongConsumer',
              providerName: 'LongProvider',
              specification: 'pact',
              contentType: 'application/json',
              content: Buffer.from(JSON.stringify(pact('LongConsumer', 'LongProvider'))).toString('base64'),
            },
          ],
        },
      ],
      ['PUT', '/pacticipants/LongConsumer/versions/1', { tags: [long] }],
    ];
    for (const [method, path, body] of cases) {
      const got = await call(method, path, body);
      expect(got.status, `${method} ${path}`).toBe(400);
      expect(got.text).toContain('must be at most 1000 characters (got 1001)');
    }
    expect((await call('GET', '/pacticipants/LongConsumer')).status).toBe(404);
    const atLimit = await call('POST', '/pacticipants', { name: 'n'.repeat(1000) });
    expect(atLimit.status).toBe(201);
    expect((await call('GET', `/pacticipants/${'n'.repeat(1000)}`)).status).toBe(200);
  });
  it('names the contracts/publish field whose name is too long, and creates nothing', async () => {
    const long = 'n'.repeat(1001);
    const contract = (providerName: string) => ({
      consumerName: 'FieldConsumer',
      providerName,
      specification: 'pact',
      contentType: 'application/json',
      content: Buffer.from(JSON.stringify(pact('FieldConsumer', providerName))).toString('base64'),
    });
    const body = (extra: Record<string, unknown>, providerName = 'FieldProvider') => ({
      pacticipantName: 'FieldConsumer',
      pacticipantVersionNumber: '1',
      contracts: [contract(providerName)],
      ...extra,
    });
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [body({ pacticipantVersionNumber: long }), 'pacticipantVersionNumber', 'pacticipantVersionNumber'],
      [body({ branch: long }), 'branch', 'branch'],
      [body({ tags: ['ok', long] }), 'tags', 'tags[1]'],
      [body({}, long), 'contracts', 'contracts[0].providerName'],
    ];
    for (const [sent, field, named] of cases) {
      const got = await call('POST', '/contracts/publish', sent);
      expect(got.status, field).toBe(400);
      expect(got.json.code).toBe('COV_BROKER_REQUEST_INVALID');
      expect(Object.keys(got.json.errors), field).toEqual([field]);
      expect(got.json.errors[field].join(), field).toContain(named);
      expect(got.json.errors[field].join(), field).toContain('(got 1001)');
    }
    const consumer = await call('POST', '/contracts/publish', {
      ...body({}),
      pacticipantName: long,
      contracts: [{ ...contract('FieldProvider'), consumerName: long }],
    });
    expect(Object.keys(consumer.json.errors)).toEqual(['pacticipantName']);
    expect((await call('GET', '/pacticipants/FieldConsumer')).status).toBe(404);
    expect((await call('GET', '/pacticipants/FieldProvider')).status).toBe(404);
  });
  it('refuses a compressed body with a 415 that says to send it uncompressed', async () => {
    const response = await fetch(`${broker.url}/pacticipants`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: gzipSync('{"name":"Zipped"}'),
    });
    expect(response.status).toBe(415);
    const json = (await response.json()) as Record<string, string>;
    expect(json.code).toBe('COV_BROKER_MEDIA_TYPE_UNSUPPORTED');
    expect(json.error).toContain('send the body uncompressed');
    expect((await call('GET', '/pacticipants/Zipped')).status).toBe(404);
  });
  it('answers a request whose body stops arriving with 408 once the request timeout passes, instead of waiting forever', async () => {
    const patient = await startBroker({ port: 0, database: ':memory:', requestTimeout: 300 });
    try {
      const started = Date.now();
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(patient.port, '127.0.0.1', () =>
          socket.write(
            'POST /pacticipants HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name"',
          ),
        );
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk;
        });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 408 /);
      expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)).code).toBe('COV_BROKER_REQUEST_MALFORMED');
      expect(Date.now() - started).toBeLessThan(3000);
      expect((await fetch(`${patient.url}/diagnostic/status/heartbeat`)).status).toBe(200);
    } finally {
      await patient.close();
    }
  });
});
