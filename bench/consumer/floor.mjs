// The floor under the consumer suite on this machine: N bare GETs with the benchmark's client
// against plain node:http servers, no Covenant. With `per-test-server`, each request gets a server
// started and stopped for it (what pact-js pays per test); otherwise one server answers all of
// them. The client keeps its connections (Node's default agent, as in the compared rows) unless
// the third argument is `new-connection`. The clock starts before the first server listens, as the
// suites' clocks start before their set-up.
// Prints {"ms": n, "rssMb": n, "requests": n}.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { getJson } from './client.mjs';

const n = Number(process.argv[2]);
const perTestServer = process.argv[3] === 'per-test-server';
const agent = process.argv[4] === 'new-connection' ? false : undefined;
const body = '{"id":1,"name":"item 1"}';
const answer = (req, res) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('Content-Type', 'application/json');
    res.end(body);
  });
};
const listen = async () => {
  const server = http.createServer(answer);
  // node:http clients reuse a connection only when the announced keep-alive timeout exceeds 1 s
  server.keepAliveTimeout = 5000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};
const stop = (server) =>
  new Promise((resolve) => {
    server.close(resolve);
    server.closeAllConnections();
  });

const start = performance.now();
// CPU time too: on a shared, loaded machine it varies far less than the wall clock
const cpuStart = process.cpuUsage();
let shared = perTestServer ? undefined : await listen();
for (let i = 0; i < n; i++) {
  const server = shared ?? (await listen());
  const { body: got } = await getJson(`http://127.0.0.1:${server.address().port}/items/${i}`, agent);
  if (got.id !== 1) throw new Error(`wrong body ${JSON.stringify(got)}`);
  if (!shared) await stop(server);
}
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
if (shared) await stop(shared);
shared = undefined;
console.log(JSON.stringify({ ms, cpuMs, rssMb: process.resourceUsage().maxRSS / 1024, requests: n }));
