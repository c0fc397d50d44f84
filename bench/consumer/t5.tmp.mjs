import { rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import {
  integer,
  like,
  MockServer,
  RequestBuilder,
  ResponseBuilder,
  writeInteractions,
} from '@covenant/consumer';
import { getJson } from './client.mjs';

await rm('/tmp/t5', { recursive: true, force: true });
const N = 1000;
let s = performance.now();
const its = [];
for (let i = 0; i < N; i++) {
  const req = new RequestBuilder().build('GET', `/items/${i}`);
  const rb = new ResponseBuilder();
  rb.jsonBody({ id: integer(i), name: like(`item ${i}`) });
  its.push({
    type: 'Synchronous/HTTP',
    description: `a request for item ${i}`,
    providerStates: [{ name: 'item exists', params: { id: i } }],
    pending: false,
    request: req,
    response: rb.build(200),
  });
}
console.log('define', ((performance.now() - s) / N).toFixed(3));
s = performance.now();
for (let i = 0; i < N; i++) {
  const server = await MockServer.start([its[i]]);
  await getJson(`${server.info.url}/items/${i}`);
  await server.stop();
}
console.log('server+request', ((performance.now() - s) / N).toFixed(3));
s = performance.now();
for (let i = 0; i < N; i++) {
  const server = await MockServer.start([its[i]]);
  await server.stop();
}
console.log('server only', ((performance.now() - s) / N).toFixed(3));
s = performance.now();
for (let i = 0; i < N; i++)
  await writeInteractions({ consumer: 'C', provider: 'P', dir: '/tmp/t5' }, [its[i]]);
console.log('write', ((performance.now() - s) / N).toFixed(3));
