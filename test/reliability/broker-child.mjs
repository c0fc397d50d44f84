// One broker in its own process, so a case can SIGKILL it: options as JSON in argv[2]; says
// `READY <url>` on stderr once it listens; its pino log (when `logger` is on) goes to stdout.
import { startBroker } from '@covenant/broker';

const options = JSON.parse(process.argv[2] ?? '{}');
const broker = await startBroker({ host: '127.0.0.1', port: 0, ...options });
process.stderr.write(`READY ${broker.url}\n`);
process.on('SIGTERM', () => {
  broker.close().then(() => process.exit(0));
});
