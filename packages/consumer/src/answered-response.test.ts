import { join } from 'node:path';
import { tempDirEachTest } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { Pact } from './pact-node.js';

let dir: string;
tempDirEachTest('covenant-answered-', (path) => {
  dir = path;
});

const BODY = { id: 7, name: 'café' };

/** A Pact whose mock answers in process, through the global fetch. */
const inProcessPact = () =>
  new Pact({
    consumer: 'Web',
    provider: 'Orders',
    dir: join(dir, 'pacts'),
    logLevel: 'off',
    transport: 'intercept',
  });

/** Runs one in-process test whose mock answers BODY; `read` gets what the global fetch returned. */
async function withAnswer(read: (response: Response, url: string) => Promise<void>): Promise<void> {
  await inProcessPact()
    .addInteraction()
    .uponReceiving('a request for order 7')
    .withRequest('GET', '/orders/7')
    .willRespondWith(200, (res) => res.jsonBody(BODY))
    .executeTest(async (server) => {
      const url = `${server.url}/orders/7`;
      await read(await fetch(url), url);
    });
}

describe('in-process fetch responses', () => {
  it('read once as json or text, and refuse a second read as Fetch does', async () => {
    await withAnswer(async (response, url) => {
      expect(response).toBeInstanceOf(Response);
      expect(response.url).toBe(url);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.bodyUsed).toBe(false);
      expect(await response.json()).toEqual(BODY);
      expect(response.bodyUsed).toBe(true);
      await expect(response.text()).rejects.toThrow(TypeError);
      await expect(response.arrayBuffer()).rejects.toThrow(TypeError);
      expect(() => response.clone()).toThrow(TypeError);
      // the stream of a body already read is used up
      expect(response.body?.locked || (await response.body?.getReader().read())?.done).toBe(true);
    });
  });

  it('give the body as a stream, bytes, a blob and a clone, each read once', async () => {
    await withAnswer(async (response, url) => {
      const copy = response.clone();
      expect(copy.url).toBe(url);
      expect(await copy.text()).toBe(JSON.stringify(BODY));
      const reader = response.body!.getReader();
      const chunks: Uint8Array[] = [];
      for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
      expect(JSON.parse(Buffer.concat(chunks).toString('utf8'))).toEqual(BODY);
      expect(response.bodyUsed).toBe(true);
      await expect(response.json()).rejects.toThrow(TypeError);
    });
    await withAnswer(async (response) => {
      expect(new TextDecoder().decode(await response.arrayBuffer())).toBe(JSON.stringify(BODY));
    });
    await withAnswer(async (response) => {
      const blob = await response.blob();
      expect(blob.type).toBe('application/json');
      expect(JSON.parse(await blob.text())).toEqual(BODY);
    });
  });

  it('follow a redirect the mock answers, as fetch does', async () => {
    const error = await inProcessPact()
      .addInteraction()
      .uponReceiving('a request by an old link')
      .withRequest('GET', '/old')
      .willRespondWith(302, (res) => res.headers({ Location: '/new' }))
      .executeTest(async (server) => {
        await fetch(`${server.url}/old`);
      })
      .catch((e: unknown) => e);
    // the mock expected only /old: the followed request is reported
    expect(error).toMatchObject({ code: 'COV_CONSUMER_MOCK_MISMATCH' });
    expect((error as Error).message).toContain('GET /new');
  });
});
