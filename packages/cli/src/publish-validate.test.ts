import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cleanEnv,
  officialPactBrokerBin,
  pactBrokerBin,
  pactJson,
  runCli,
  startTestBroker,
  tempDir,
} from '@covenant/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pactFindings } from './pact-validation.js';

/**
 * `publish --validate` and `--strict`: fields the Pact specification does not define, and pacts
 * without interactions, are warnings, or (strict) an error before anything is published.
 */
const official = officialPactBrokerBin;

let broker: Awaited<ReturnType<typeof startTestBroker>>;
const dir = tempDir();
let env: Record<string, string>;
const cli = (...args: string[]) => runCli(args, { env, cwd: dir.path, binary: pactBrokerBin });

const pact = (consumer: string) =>
  pactJson(consumer, 'Orders') as { interactions: Array<Record<string, unknown>> };
/** A pact whose first interaction has a misspelt field, and one with a stray top-level field. */
function writeFiles(consumer: string) {
  const misspelt = pact(consumer);
  misspelt.interactions[0] = { ...misspelt.interactions[0], respones: { status: 404 } };
  writeFileSync(join(dir.path, `${consumer}-misspelt.json`), JSON.stringify(misspelt));
  writeFileSync(join(dir.path, `${consumer}-clean.json`), JSON.stringify(pact(consumer)));
  writeFileSync(
    join(dir.path, `${consumer}-stray.json`),
    JSON.stringify({ ...pact(consumer), generatedBy: 'me' }),
  );
}

beforeAll(async () => {
  broker = await startTestBroker();
  env = cleanEnv({ PACT_BROKER_BASE_URL: broker.url });
  for (const consumer of ['Web', 'Official', 'Ours']) writeFiles(consumer);
}, 20_000);
afterAll(async () => {
  await broker.stop();
  dir.remove();
});

const published = async (consumer: string, version: string) =>
  (await fetch(`${broker.url}/pacticipants/${consumer}/versions/${version}`)).status === 200;

describe('pactFindings', () => {
  it('finds unknown fields where they are, and a pact without interactions', () => {
    const misspelt = pact('Web');
    misspelt.interactions[0] = {
      ...misspelt.interactions[0],
      respones: {},
      request: { method: 'GET', path: '/', bdy: 1 },
    };
    expect(pactFindings(JSON.stringify({ ...misspelt, extra: true }))).toEqual([
      { path: '', message: "unexpected attribute 'extra'" },
      { path: '/interactions/0', message: "unexpected attribute 'respones'" },
      { path: '/interactions/0/request', message: "unexpected attribute 'bdy'" },
    ]);
    expect(pactFindings(JSON.stringify({ ...pact('Web'), interactions: [] }))).toEqual([
      { path: '/interactions', message: 'there are no interactions' },
    ]);
    expect(pactFindings(JSON.stringify(pact('Web')))).toEqual([]);
  });
});

describe('publish --validate / --strict', () => {
  it('warns and publishes with --validate', async () => {
    const run = await cli('publish', 'Web-misspelt.json', 'Web-clean.json', '-a', '1', '--validate');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      "warning: Web-misspelt.json /interactions/0: unexpected attribute 'respones'",
    );
    expect(run.stderr).not.toContain('Web-clean.json');
    expect(await published('Web', '1')).toBe(true);
  });

  it('refuses every file and publishes none with --strict', async () => {
    const run = await cli('publish', 'Web-clean.json', 'Web-stray.json', '-a', '2', '--validate', '--strict');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('COV_CLI_PACT_FILE_INVALID: nothing was published');
    expect(run.stderr).toContain("Web-stray.json /: unexpected attribute 'generatedBy'");
    expect(await published('Web', '2')).toBe(false);
    // a clean file passes strict validation
    expect((await cli('publish', 'Web-clean.json', '-a', '3', '--validate', '--strict')).code).toBe(0);
  });

  it.skipIf(!existsSync(official))(
    'succeeds and fails where the official CLI does',
    async () => {
      const steps = (consumer: string) => [
        [`${consumer}-clean.json`, '-a', '1', '--validate', '--strict'],
        [`${consumer}-misspelt.json`, '-a', '2', '--validate'],
        [`${consumer}-misspelt.json`, '-a', '3', '--validate', '--strict'],
        [`${consumer}-stray.json`, '-a', '4', '--validate', '--strict'],
      ];
      const endings: Array<[string, boolean, boolean]> = [];
      const ours = steps('Ours');
      for (const [index, step] of steps('Official').entries()) {
        const theirs = await runCli(['publish', ...step], { env, cwd: dir.path, binary: official });
        const mine = await cli('publish', ...ours[index]!);
        // the official CLI exits 2 on a validation error, Covenant 1 on every failure
        endings.push([step.slice(2).join(' '), theirs.code === 0, mine.code === 0]);
      }
      expect(endings.map(([step, , ok]) => [step, ok])).toEqual(endings.map(([step, ok]) => [step, ok]));
      expect(endings.map(([, , ok]) => ok)).toEqual([true, true, false, false]);
      // neither published what strict validation refused
      expect([await published('Official', '3'), await published('Ours', '3')]).toEqual([false, false]);
    },
    30_000,
  );
});
