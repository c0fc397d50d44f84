// One timed comparison by @pactflow/openapi-pact-comparator 2.3.1: same arguments and output as
// ours.mjs. The clock starts once the files are parsed.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Comparator } from '@pactflow/openapi-pact-comparator';

const [openapiFile, pactFile] = process.argv.slice(2);
const oas = JSON.parse(readFileSync(openapiFile, 'utf8'));
const pact = JSON.parse(readFileSync(pactFile, 'utf8'));
const start = performance.now();
const comparator = new Comparator({ oas });
const results = [];
for await (const r of comparator.compare(pact)) results.push(r);
const ms = performance.now() - start;
console.log(
  JSON.stringify({
    ms,
    rssMb: process.resourceUsage().maxRSS / 1024,
    results: results.map((r) => [r.code, r.type, r.mockDetails?.interactionDescription ?? null]),
  }),
);
