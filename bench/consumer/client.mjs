// The consumer code under test in the benchmark: a minimal JSON GET over node:http, the same for
// Covenant and pact-js, so client overhead (undici's per-origin pool) doesn't drown the comparison.
import http from 'node:http';

/**
 * `agent` as node:http takes it. Left out (the compared rows), Node's default agent is used, which
 * keeps connections open for reuse, as fetch, axios and got do by default; `false` opens a new
 * connection per request.
 */
export function getJson(url, agent) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, agent === undefined ? {} : { agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('error', reject);
  });
}
