// The floor under the consumer suite on this machine: N bare GETs with the benchmark's client
// (node:http, a new connection per request) against plain node:http servers, no Covenant. With
// `per-test-server`, each request gets a server started and stopped for it (what pact-js and the
// Covenant suite each pay per test); otherwise one server answers all of them.
// Prints {"ms": n, "rssMb": n, "requests": n}.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { getJson } from './client.mjs';

const n = Number(process.argv[2]);
const perTestServer = process.argv[3] === 'per-test-server';
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
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};
const stop = (server) =>
  new Promise((resolve) => {
    server.close(resolve);
    server.closeAllConnections();
  });

let shared = perTestServer ? undefined : await listen();
const start = performance.now();
for (let i = 0; i < n; i++) {
  const server = shared ?? (await listen());
  const { body: got } = await getJson(`http://127.0.0.1:${server.address().port}/items/${i}`);
  if (got.id !== 1) throw new Error(`wrong body ${JSON.stringify(got)}`);
  if (!shared) await stop(server);
}
const ms = performance.now() - start;
if (shared) await stop(shared);
shared = undefined;
console.log(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, requests: n }));
