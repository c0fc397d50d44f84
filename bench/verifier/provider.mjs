// The provider both verifiers run against: items by id, and the seed-style state-change endpoint.
// Prints its URL on stdout; runs until killed.
import http from 'node:http';

const items = new Map();
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/_pact/provider_states') {
      const { state, params, action } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      if (state && action !== 'teardown')
        items.set(String(params?.id), { id: Number(params?.id), name: `item ${params?.id}` });
      res.setHeader('Content-Type', 'application/json');
      res.end('{}');
      return;
    }
    const match = /^\/items\/(\d+)$/.exec(req.url ?? '');
    const item = match
      ? (items.get(match[1]) ?? { id: Number(match[1]), name: `item ${match[1]}` })
      : undefined;
    if (!item) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ ...item, tags: ['a', 'b'], price: 12.5 }));
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}`));
