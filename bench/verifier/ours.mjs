// Covenant's verifier over a pact file: node ours.mjs <pactFile> <providerUrl> <url|inprocess>
import { performance } from 'node:perf_hooks';
import { verifyProvider } from '@covenant/verifier';

const [file, url, mode] = process.argv.slice(2);
const start = performance.now();
const result = await verifyProvider({
  provider: 'BenchProvider',
  providerBaseUrl: url,
  pactUrls: [file],
  ...(mode === 'url'
    ? { stateChangeUrl: `${url}/_pact/provider_states` }
    : { stateHandlers: { 'an item exists': () => undefined } }),
  reporters: [],
});
const ms = performance.now() - start;
if (!result.success) throw new Error(`verification failed: ${JSON.stringify(result.summary)}`);
console.log(
  JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, interactions: result.summary.passed }),
);
