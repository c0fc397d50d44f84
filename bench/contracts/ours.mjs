// One timed comparison by Covenant: node ours.mjs OPENAPI.json PACT.json → a JSON line
// { ms, results: [[code, type, description], ...] }. The clock starts once the files are parsed.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ContractComparator } from '@covenant/contracts';

const [openapiFile, pactFile] = process.argv.slice(2);
const openapi = JSON.parse(readFileSync(openapiFile, 'utf8'));
const pact = JSON.parse(readFileSync(pactFile, 'utf8'));
const start = performance.now();
const results = new ContractComparator({ openapi }).compare(pact);
const ms = performance.now() - start;
console.log(
  JSON.stringify({
    ms,
    rssMb: process.resourceUsage().maxRSS / 1024,
    results: results.map((r) => [r.code, r.type, r.interaction.description]),
  }),
);
