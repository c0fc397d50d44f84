// The consumer code under test in the benchmark: a minimal JSON GET over node:http, the same for
// Covenant and pact-js, so client overhead (undici's per-origin pool) doesn't drown the comparison.
import http from 'node:http';

// `agent` false (the default, used by both suites in the compared rows): a new connection per request.
export function getJson(url, agent = false) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
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
