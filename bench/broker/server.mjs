// The broker under test, in its own process: node server.mjs <database>. Prints its URL; on SIGTERM
// prints {"maxRssMb": n} and exits.
import { startBroker } from '@covenant/broker';

const broker = await startBroker({ port: 0, database: process.argv[2], logger: false });
console.log(broker.url);
process.on('SIGTERM', async () => {
  await broker.close();
  console.log(JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
});
