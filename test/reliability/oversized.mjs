// Case 5: oversized and slow input. A body over the limit is answered 413 at the client (fetch and
// curl), up to 100 MB; the limit is advertised; slow clients (slowloris) do not stop normal requests.
import { execFile } from 'node:child_process';
import net from 'node:net';
import { createTestDatabase, percentile, request, sleep, spawnBroker } from './lib.mjs';

/** Sends `mb` MB over the limit through fetch (undici) and curl; each must see the 413. */
export async function oversizedBody({ kind, mb, log = () => {} }) {
  const database = await createTestDatabase(kind);
  const broker = spawnBroker({ database: database.location });
  const failures = [];
  try {
    const url = await broker.ready;
    const path = '/pacts/provider/p/consumer/c/version/1';
    const body = Buffer.alloc(mb * 1024 * 1024, 0x20);
    body[0] = 0x7b;
    let fetchStatus;
    try {
      const answer = await fetch(`${url}${path}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body,
      });
      fetchStatus = answer.status;
      await answer.arrayBuffer();
    } catch (error) {
      fetchStatus = `${error.message} (${error.cause?.code ?? error.cause?.message ?? ''})`;
    }
    if (fetchStatus !== 413) failures.push(`fetch ${mb} MB: ${fetchStatus}`);
    const curlStatus = await curlWithBody(`${url}${path}`, body);
    if (curlStatus !== '413') failures.push(`curl ${mb} MB: ${curlStatus}`);
    const index = await request(url, { path: '/', headers: { accept: 'application/hal+json' } });
    const advertised = index.headers['x-covenant-body-limit'];
    if (!advertised) failures.push('the index does not advertise the body limit (X-Covenant-Body-Limit)');
    const heartbeat = await request(url, { path: '/diagnostic/status/heartbeat' });
    if (heartbeat.status !== 200) failures.push(`heartbeat ${heartbeat.status}`);
    for (const f of failures) log(`  ${f}`);
    return {
      case: `oversized body ${mb} MB (${kind})`,
      ok: failures.length === 0,
      figure: `fetch ${fetchStatus}, curl ${curlStatus}, limit advertised ${advertised ?? 'no'}`,
      failures,
    };
  } finally {
    await broker.kill();
    await database.drop();
  }
}

function curlWithBody(url, body) {
  return new Promise((resolve) => {
    const child = execFile(
      'curl',
      [
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-X',
        'PUT',
        '-H',
        'content-type: application/json',
        '-H',
        'Expect:',
        '--data-binary',
        '@-',
        url,
      ],
      (error, stdout) => resolve(stdout.trim() || `curl exit ${error?.code}`),
    );
    child.stdin.on('error', () => {}); // the broker may stop reading once it has answered
    child.stdin.end(body);
  });
}

/**
 * `slow` clients each open a connection and send a header line every second, never finishing;
 * meanwhile normal requests must keep a p99 under 100 ms.
 */
export async function slowClients({ kind, slow, seconds = 5, log = () => {} }) {
  const database = await createTestDatabase(kind);
  const broker = spawnBroker({ database: database.location });
  const sockets = [];
  try {
    const url = await broker.ready;
    const { port } = new URL(url);
    for (let i = 0; i < slow; i++) {
      const socket = net.connect({ host: '127.0.0.1', port: Number(port) });
      socket.on('error', () => {});
      socket.write(`GET /pacticipants HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
      sockets.push(socket);
      if (i % 100 === 99) await sleep(10);
    }
    const drip = setInterval(() => {
      for (const s of sockets)
        if (!s.destroyed) s.write(`X-Slow-${Math.random().toString(36).slice(2, 6)}: 1\r\n`);
    }, 1000);
    const times = [];
    const errors = [];
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
      const answer = await request(url, {
        path: '/pacticipants',
        headers: { accept: 'application/hal+json' },
      });
      if (answer.status !== 200) errors.push(answer.status || answer.error?.message);
      times.push(answer.ms);
    }
    clearInterval(drip);
    const open = sockets.filter((s) => !s.destroyed).length;
    const p50 = percentile(times, 50);
    const p99 = percentile(times, 99);
    const failures = [...errors.slice(0, 5).map((e) => `a normal request failed: ${e}`)];
    if (p99 >= 100) failures.push(`p99 ${p99.toFixed(1)} ms is not under 100 ms`);
    for (const f of failures) log(`  ${f}`);
    return {
      case: `${slow} slow clients (${kind})`,
      ok: failures.length === 0,
      figure: `${times.length} normal requests in ${seconds} s: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, ${errors.length} errors; ${open} slow connections still open`,
      p50_ms: p50,
      p99_ms: p99,
      failures,
    };
  } finally {
    for (const s of sockets) s.destroy();
    await broker.kill();
    await database.drop();
  }
}
