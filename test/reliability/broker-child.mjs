// One broker in its own process, so a case can SIGKILL it: options as JSON in argv[2]; says
// `READY <url>` on stderr once it listens; its pino log (when `logger` is on) goes to stdout.
import { startBroker } from '@covenant/broker';

const options = JSON.parse(process.argv[2] ?? '{}');
const broker = await startBroker({ host: '127.0.0.1', port: 0, ...options });
process.stderr.write(`READY ${broker.url}\n`);
// SIGUSR2: a full garbage collection (when run with --expose-gc), then `HEAP <heap used> <external> <rss>`
// in bytes on stderr, so the soak tells memory the broker holds from memory V8 has not given back
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  const { heapUsed, external, rss } = process.memoryUsage();
  process.stderr.write(`HEAP ${heapUsed} ${external} ${rss}\n`);
});
process.on('SIGTERM', () => {
  broker.close().then(() => process.exit(0));
});
