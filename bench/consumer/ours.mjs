// One consumer suite of N interactions with Covenant: one test per interaction, one pact file.
// Prints {"ms": n, "rssMb": n, "interactions": n} (time from making the pact to the written pact file).
// With a third argument `keep-alive` the client keeps its connections (as fetch does), which the
// pooled mock servers let it reuse from test to test; the compared rows run without it.
import { readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { integer, like, Pact } from '@covenant/consumer';
import { getJson } from './client.mjs';

const n = Number(process.argv[2]);
const dir = process.argv[3];
const agent = process.argv[4] === 'keep-alive' ? new http.Agent({ keepAlive: true }) : false;
await rm(dir, { recursive: true, force: true });
// the clock starts before the suite's set-up: work done when the pact is made counts too
const start = performance.now();
const pact = new Pact({ consumer: 'BenchConsumer', provider: 'BenchProvider', dir, logLevel: 'off' });
for (let i = 0; i < n; i++) {
  await pact
    .addInteraction()
    .given('item exists', { id: i })
    .uponReceiving(`a request for item ${i}`)
    .withRequest('GET', `/items/${i}`)
    .willRespondWith(200, (res) => res.jsonBody({ id: integer(i), name: like(`item ${i}`) }))
    .executeTest(async (server) => {
      const { body } = await getJson(`${server.url}/items/${i}`, agent);
      if (body.id !== i) throw new Error(`wrong body ${JSON.stringify(body)}`);
    });
}
const ms = performance.now() - start;
if (agent) agent.destroy();
const written = JSON.parse(await readFile(pact.pactFile, 'utf8'));
console.log(
  JSON.stringify({
    ms,
    rssMb: process.resourceUsage().maxRSS / 1024,
    interactions: written.interactions.length,
    file: join(dir),
  }),
);
