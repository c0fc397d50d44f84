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

/**
 * The same CI script run by the official `pact-broker` CLI (when test/interop has it installed) and
 * by Covenant's `pact-broker` alias, against one broker: every step must end the same way.
 */
const official = officialPactBrokerBin;

let broker: Awaited<ReturnType<typeof startTestBroker>>;
const dir = tempDir();

beforeAll(async () => {
  broker = await startTestBroker();
  writeFileSync(join(dir.path, 'web-orders.json'), JSON.stringify(pactJson('Web', 'Orders')));
}, 20_000);
afterAll(async () => {
  await broker.stop();
  dir.remove();
});

describe.skipIf(!existsSync(official))('a CI script written for the official pact-broker CLI', () => {
  it('ends each step as the official CLI does', async () => {
    const env = cleanEnv({ PACT_BROKER_BASE_URL: broker.url });
    // each CLI works on its own names, so neither sees the other's effects
    const script = (suffix: string) => {
      const web1 = ['--pacticipant', 'Web', '--version', `1${suffix}`];
      const staging = `staging${suffix}`;
      return [
        ['create-environment', '--name', staging, '--display-name', 'Staging'],
        [
          'publish',
          'web-orders.json',
          '--consumer-app-version',
          `1${suffix}`,
          '--branch',
          'main',
          '--tag',
          'dev',
        ],
        ['can-i-deploy', ...web1, '--to-environment', staging],
        ['can-i-deploy', '--pacticipant', 'Orders', '--latest', '--to-environment', staging],
        ['record-deployment', ...web1, '--environment', staging],
        ['record-release', ...web1, '--environment', staging],
        [
          'record-deployment',
          '--pacticipant',
          'Web',
          '--version',
          'no-such-version',
          '--environment',
          staging,
        ],
        ['can-i-deploy', ...web1, '--to-environment', 'no-such-environment'],
        // Orders has no main-branch version that verified Web 1: not yet mergeable
        ['can-i-merge', ...web1],
        ['can-i-merge', ...web1, '--dry-run'],
      ];
    };
    const endings: Array<[string, number | null, number | null]> = [];
    const theirs = script('-official');
    const ours = script('-covenant');
    for (const [index, step] of theirs.entries()) {
      const officialRun = await runCli(step, { env, cwd: dir.path, binary: official });
      const covenantRun = await runCli(ours[index]!, { env, cwd: dir.path, binary: pactBrokerBin });
      endings.push([step[0]!, officialRun.code, covenantRun.code]);
    }
    expect(endings.map(([step, theirCode]) => [step, theirCode])).toEqual(
      endings.map(([step, , ourCode]) => [step, ourCode]),
    );
    // and the script did something: published, deployed and released (Orders has no version to ask about)
    expect(endings.map(([, , ourCode]) => ourCode)).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 1, 0]);
  }, 60_000);

  it('ends each step of the resource commands as the official CLI does', async () => {
    const env = cleanEnv({ PACT_BROKER_BASE_URL: broker.url });
    const environment = async (name: string) => {
      const created = await fetch(`${broker.url}/environments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, production: false }),
      });
      return ((await created.json()) as { uuid: string }).uuid;
    };
    const script = async (suffix: string) => {
      const web = `Web${suffix}`;
      const uuid = await environment(`qa${suffix}`);
      const app = (version: string) => ['--pacticipant', web, '--version', version];
      return [
        ['publish', 'web-orders.json', '--consumer-app-version', '1', '--branch', 'main', '--tag', 'dev'],
        ['create-or-update-pacticipant', '--name', web, '--main-branch', 'main'],
        ['list-pacticipants'],
        ['describe-pacticipant', '--name', web],
        ['describe-pacticipant', '--name', `nobody${suffix}`],
        ['list-latest-pact-versions'],
        ['get-pacts', '--provider', 'Orders'],
        ['get-pacts', '--provider', 'Orders', '--branch', 'main', '--latest'],
        ['get-pacts', '--provider', `nobody${suffix}`],
        ['provider-states', 'list', '--provider', 'Orders'],
        ['create-or-update-version', ...app('2'), '--branch', 'feat'],
        ['create-version-tag', ...app('2'), '--tag', 'qa'],
        ['delete-version-tag', ...app('2'), '--tag', 'qa'],
        ['delete-branch', '--pacticipant', web, '--branch', 'feat'],
        ['delete-branch', '--pacticipant', web, '--branch', 'feat'],
        ['delete-branch', '--pacticipant', web, '--branch', 'feat', '--error-when-not-found', 'true'],
        ['describe-environment', '--uuid', uuid],
        ['delete-environment', '--uuid', uuid],
        ['describe-environment', '--uuid', uuid],
      ];
    };
    const theirs = await script('-official');
    const ours = await script('-covenant');
    // the pact names Web as its consumer: each run publishes it under its own name
    for (const [steps, suffix] of [
      [theirs, '-official'],
      [ours, '-covenant'],
    ] as const) {
      const file = `web${suffix}.json`;
      const pact = pactJson('Web', 'Orders') as { consumer: { name: string } };
      writeFileSync(join(dir.path, file), JSON.stringify({ ...pact, consumer: { name: `Web${suffix}` } }));
      steps[0]![1] = file;
    }
    const endings: Array<[string, number | null, number | null]> = [];
    for (const [index, step] of theirs.entries()) {
      const officialRun = await runCli(step, { env, cwd: dir.path, binary: official });
      const covenantRun = await runCli(ours[index]!, { env, cwd: dir.path, binary: pactBrokerBin });
      endings.push([step.slice(0, 2).join(' '), officialRun.code, covenantRun.code]);
    }
    expect(endings.map(([step, , ourCode]) => [step, ourCode])).toEqual(
      endings.map(([step, theirCode]) => [step, theirCode]),
    );
    expect(endings.filter(([, , ourCode]) => ourCode !== 0).map(([step]) => step)).toEqual([
      'describe-pacticipant --name',
      'get-pacts --provider',
      'delete-branch --pacticipant',
      'describe-environment --uuid',
    ]);
  }, 120_000);
});
