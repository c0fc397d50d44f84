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
 * `describe-version --environment [--deployed|--released]`: the versions of an application that are
 * in an environment now, read from a real broker through the built binary.
 */
const official = officialPactBrokerBin;

let broker: Awaited<ReturnType<typeof startTestBroker>>;
const dir = tempDir();
let env: Record<string, string>;
const cli = (...args: string[]) => runCli(args, { env, cwd: dir.path, binary: pactBrokerBin });

beforeAll(async () => {
  broker = await startTestBroker();
  env = cleanEnv({ PACT_BROKER_BASE_URL: broker.url });
  writeFileSync(join(dir.path, 'web-orders.json'), JSON.stringify(pactJson('Web', 'Orders')));
  const steps = [
    ['create-environment', '--name', 'production'],
    ['create-environment', '--name', 'test'],
    ['publish', 'web-orders.json', '--consumer-app-version', '1', '--branch', 'main'],
    ['publish', 'web-orders.json', '--consumer-app-version', '2', '--branch', 'main'],
    ['publish', 'web-orders.json', '--consumer-app-version', '3', '--branch', 'main'],
    ['record-deployment', '-a', 'Web', '-e', '1', '--environment', 'production'],
    [
      'record-deployment',
      '-a',
      'Web',
      '-e',
      '2',
      '--environment',
      'production',
      '--application-instance',
      'eu',
    ],
    ['record-release', '-a', 'Web', '-e', '3', '--environment', 'production'],
  ];
  for (const step of steps) expect((await cli(...step)).code, step.join(' ')).toBe(0);
}, 30_000);
afterAll(async () => {
  await broker.stop();
  dir.remove();
});

const listed = async (...args: string[]) => {
  const run = await cli('describe-version', '-a', 'Web', ...args, '-o', 'json');
  expect(run.code, run.stderr).toBe(0);
  return (
    JSON.parse(run.stdout) as Array<{ version: string; status: string; applicationInstance: string | null }>
  )
    .map((v) => `${v.version} ${v.status} ${v.applicationInstance ?? '-'}`)
    .sort();
};

describe('describe-version --environment', () => {
  it('lists the versions deployed and released there, or only one kind', async () => {
    expect(await listed('--environment', 'production')).toEqual([
      '1 deployed -',
      '2 deployed eu',
      '3 released -',
    ]);
    expect(await listed('--environment', 'production', '--deployed')).toEqual([
      '1 deployed -',
      '2 deployed eu',
    ]);
    expect(await listed('--environment', 'production', '--released')).toEqual(['3 released -']);
    expect(await listed('--environment', 'test')).toEqual([]);
  });

  it('prints a table by default and only the numbers with -o id', async () => {
    const text = await cli('describe-version', '-a', 'Web', '--environment', 'production', '--released');
    expect(text.stdout).toMatch(/VERSION\s+\|\s+STATUS\s+\|\s+ENVIRONMENT/);
    expect(text.stdout).toMatch(/3\s+\|\s+released\s+\|\s+production/);
    const ids = await cli(
      'describe-version',
      '-a',
      'Web',
      '--environment',
      'production',
      '--deployed',
      '-o',
      'id',
    );
    expect(ids.stdout.trim().split('\n').sort()).toEqual(['1', '2']);
  });

  it('does not list another application of the environment', async () => {
    expect(
      (await cli('describe-version', '-a', 'Orders', '--environment', 'production', '-o', 'id')).stdout,
    ).toBe('');
  });

  it('names an unknown environment, and refuses --deployed without an environment', async () => {
    const unknown = await cli('describe-version', '-a', 'Web', '--environment', 'staging');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("COV_BROKER_CLIENT_NOT_FOUND: the broker has no environment 'staging'");
    const alone = await cli('describe-version', '-a', 'Web', '--deployed');
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain(
      'COV_CLI_OPTIONS_INVALID: --deployed filters the versions of an environment',
    );
  });

  it.skipIf(!existsSync(official))(
    'ends as the official CLI does',
    async () => {
      const steps = [
        ['--environment', 'production'],
        ['--environment', 'production', '--deployed'],
        ['--environment', 'production', '--released', '-o', 'json'],
        ['--environment', 'test'],
        ['--environment', 'staging'],
      ];
      for (const step of steps) {
        const args = ['describe-version', '-a', 'Web', ...step];
        const theirs = await runCli(args, { env, cwd: dir.path, binary: official });
        expect((await cli(...args)).code, step.join(' ')).toBe(theirs.code);
      }
    },
    30_000,
  );
});
