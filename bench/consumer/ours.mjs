// One consumer suite of N interactions with Covenant: one test per interaction, one pact file.
// Prints {"ms": n, "rssMb": n, "interactions": n} (time from making the pact to the written pact file).
// The client uses Node's default agent, which keeps connections (as fetch, axios and got do) and so
// reuses one across tests on the pooled mock servers; with a third argument `new-connection` it
// opens a new connection per request instead. `intercept` runs the suite in-process
// (transport: 'intercept', no socket) with the same node:http client; `intercept-fetch` the same
// with the global fetch as the client.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { integer, like, Pact } from '@covenant/consumer';
import { getJson } from './client.mjs';

const n = Number(process.argv[2]);
const dir = process.argv[3];
const mode = process.argv[4];
const agent = mode === 'new-connection' ? false : undefined;
const transport = mode?.startsWith('intercept') ? 'intercept' : 'socket';
const get =
  mode === 'intercept-fetch'
    ? async (url) => ({ body: await (await fetch(url)).json() })
    : (url) => getJson(url, agent);
await rm(dir, { recursive: true, force: true });
// the clock starts before the suite's set-up: work done when the pact is made counts too
const start = performance.now();
// CPU time too: on a shared, loaded machine it varies far less than the wall clock
const cpuStart = process.cpuUsage();
const pact = new Pact({
  consumer: 'BenchConsumer',
  provider: 'BenchProvider',
  dir,
  logLevel: 'off',
  transport,
});
for (let i = 0; i < n; i++) {
  await pact
    .addInteraction()
    .given('item exists', { id: i })
    .uponReceiving(`a request for item ${i}`)
    .withRequest('GET', `/items/${i}`)
    .willRespondWith(200, (res) => res.jsonBody({ id: integer(i), name: like(`item ${i}`) }))
    .executeTest(async (server) => {
      const { body } = await get(`${server.url}/items/${i}`);
      if (body.id !== i) throw new Error(`wrong body ${JSON.stringify(body)}`);
    });
}
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
const written = JSON.parse(await readFile(pact.pactFile, 'utf8'));
console.log(
  JSON.stringify({
    ms,
    cpuMs,
    rssMb: process.resourceUsage().maxRSS / 1024,
    interactions: written.interactions.length,
    file: join(dir),
  }),
);
