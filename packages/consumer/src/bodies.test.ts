import { readFile } from 'node:fs/promises';
import https from 'node:https';
import { readPact } from '@covenant/core';
import { selfSignedCertificate, tempDirEachTest } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { contentType, integer, regex } from './matchers.js';
import { Pact } from './pact-node.js';

let dir: string;
tempDirEachTest('covenant-bodies-', (path) => {
  dir = path;
});

const pact = (extra: Partial<ConstructorParameters<typeof Pact>[0]> = {}) =>
  new Pact({ consumer: 'Bodies', provider: 'Api', dir, logLevel: 'off', ...extra });

describe('request and response bodies', () => {
  it('XML: matches and serves XML', async () => {
    await pact()
      .addInteraction()
      .uponReceiving('an XML post')
      .withRequest('POST', '/xml', (req) => req.xmlBody('<order id="1"><item>pen</item></order>'))
      .willRespondWith(201, (res) => res.xmlBody('<ok/>'))
      .executeTest(async (s) => {
        const r = await fetch(`${s.url}/xml`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/xml' },
          body: '<?xml version="1.0"?><order id="1">\n  <item>pen</item>\n</order>',
        });
        expect(r.status).toBe(201);
        expect(await r.text()).toBe('<ok/>');
      });
  });

  it('form-urlencoded: matches fields with rules', async () => {
    await pact()
      .addInteraction()
      .uponReceiving('a form')
      .withRequest('POST', '/form', (req) => req.formBody({ name: 'Mary', age: regex('\\d+', '3') }))
      .willRespondWith(204)
      .executeTest(async (s) => {
        const r = await fetch(`${s.url}/form`, {
          method: 'POST',
          body: new URLSearchParams({ name: 'Mary', age: '42' }),
        });
        expect(r.status).toBe(204);
      });
  });

  it('text and binary bodies', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    await pact()
      .addInteraction()
      .uponReceiving('an upload')
      .withRequest('PUT', '/image', (req) => req.body('image/png', contentType('image/png', png)))
      .willRespondWith(200, (res) => res.textBody('stored'))
      .executeTest(async (s) => {
        const other = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9]);
        const r = await fetch(`${s.url}/image`, {
          method: 'PUT',
          headers: { 'Content-Type': 'image/png' },
          body: other,
        });
        expect(await r.text()).toBe('stored');
      });
  });

  it('multipart: matches parts by name', async () => {
    await pact()
      .addInteraction()
      .uponReceiving('a multipart upload')
      .withRequest('POST', '/upload', (req) =>
        req.multipartBody([
          { name: 'meta', contentType: 'application/json', content: '{"n":1}' },
          { name: 'file', filename: 'a.txt', contentType: 'text/plain', content: 'hello' },
        ]),
      )
      .willRespondWith(200)
      .executeTest(async (s) => {
        const form = new FormData();
        form.append('meta', new Blob(['{"n":1}'], { type: 'application/json' }));
        form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'a.txt');
        const r = await fetch(`${s.url}/upload`, { method: 'POST', body: form });
        expect(r.status).toBe(200);
      });
  });

  it('headers, repeated query parameters, and a path matcher', async () => {
    const p = pact();
    await p
      .addInteraction()
      .uponReceiving('a filtered list')
      .withRequest('GET', regex('/items/\\d+', '/items/1'), (req) =>
        req.query({ tag: ['a', 'b'], limit: integer(10) }).headers({ 'X-Trace': regex('[a-f0-9]+', 'abc') }),
      )
      .willRespondWith(200, (res) => res.headers({ 'Cache-Control': 'no-store' }).jsonBody([]))
      .executeTest(async (s) => {
        const r = await fetch(`${s.url}/items/77?tag=a&tag=b&limit=5`, { headers: { 'x-trace': 'ff00' } });
        expect(r.headers.get('cache-control')).toBe('no-store');
      });
    const json = JSON.parse(await readFile(p.pactFile, 'utf8'));
    expect(json.interactions[0].request.matchingRules).toEqual({
      path: { combine: 'AND', matchers: [{ match: 'regex', regex: '/items/\\d+' }] },
      query: { limit: { combine: 'AND', matchers: [{ match: 'integer' }] } },
      header: { 'X-Trace': { combine: 'AND', matchers: [{ match: 'regex', regex: '[a-f0-9]+' }] } },
    });
    expect(readPact(await readFile(p.pactFile, 'utf8')).interactions).toHaveLength(1);
  });

  it('serves HTTPS with the given key and certificate', async () => {
    const { key, cert } = selfSignedCertificate(dir);
    const tls = { key, cert };
    await pact({ tls })
      .addInteraction()
      .uponReceiving('a secure ping')
      .withRequest('GET', '/secure')
      .willRespondWith(200, (res) => res.jsonBody({ ok: true }))
      .executeTest(async (s) => {
        expect(s.url.startsWith('https://')).toBe(true);
        const body = await new Promise<string>((resolve, reject) => {
          https
            .get(`${s.url}/secure`, { ca: tls.cert }, (res) => {
              let text = '';
              res.on('data', (c) => {
                text += c;
              });
              res.on('end', () => resolve(text));
            })
            .on('error', reject);
        });
        expect(JSON.parse(body)).toEqual({ ok: true });
      });
  });
});
