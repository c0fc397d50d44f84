// pact-js 17.1.4's Verifier over the same pact: node pactjs.mjs <pactFile> <providerUrl> <url|inprocess>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { Verifier } = require('@pact-foundation/pact');
const [file, url, mode] = process.argv.slice(2);
const start = performance.now();
const output = await new Verifier({
  provider: 'BenchProvider',
  providerBaseUrl: url,
  pactUrls: [file],
  logLevel: 'error',
  ...(mode === 'url'
    ? { providerStatesSetupUrl: `${url}/_pact/provider_states` }
    : { stateHandlers: { 'an item exists': async () => undefined } }),
}).verifyProvider();
const ms = performance.now() - start;
const interactions = JSON.parse(readFileSync(file, 'utf8')).interactions.length;
if (typeof output !== 'string') throw new Error('verification did not complete');
console.log(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, interactions }));
