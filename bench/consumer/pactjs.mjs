// The same suite with pact-js in its fastest style (PactV3, one executeTest per interaction).
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { getJson } from './client.mjs';

const require = createRequire(import.meta.url);
const { PactV3, MatchersV3 } = require('@pact-foundation/pact');
const n = Number(process.argv[2]);
const dir = process.argv[3];
await rm(dir, { recursive: true, force: true });
// the clock starts before the suite's set-up: work done when the pact is made counts too
const start = performance.now();
const pact = new PactV3({ consumer: 'BenchConsumer', provider: 'BenchProvider', dir, logLevel: 'error' });
for (let i = 0; i < n; i++) {
  pact
    .given('item exists', { id: i })
    .uponReceiving(`a request for item ${i}`)
    .withRequest({ method: 'GET', path: `/items/${i}` })
    .willRespondWith({
      status: 200,
      body: { id: MatchersV3.integer(i), name: MatchersV3.like(`item ${i}`) },
    });
  await pact.executeTest(async (server) => {
    const { body } = await getJson(`${server.url}/items/${i}`);
    if (body.id !== i) throw new Error(`wrong body ${JSON.stringify(body)}`);
  });
}
const ms = performance.now() - start;
const written = JSON.parse(await readFile(`${dir}/BenchConsumer-BenchProvider.json`, 'utf8'));
console.log(
  JSON.stringify({
    ms,
    rssMb: process.resourceUsage().maxRSS / 1024,
    interactions: written.interactions.length,
  }),
);
