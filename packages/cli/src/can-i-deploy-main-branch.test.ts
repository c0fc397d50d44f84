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
 * can-i-deploy's `--no-main-branch` and `--skip-main-branch`, the official CLI's: they take a value,
 * leave the question unchanged, and contradict `--main-branch` for the same application.
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
    ['publish', 'web-orders.json', '--consumer-app-version', '1', '--branch', 'main'],
    ['create-or-update-version', '--pacticipant', 'Lonely', '--version', '1', '--branch', 'main'],
  ];
  for (const step of steps) expect((await cli(...step)).code, step.join(' ')).toBe(0);
}, 30_000);
afterAll(async () => {
  await broker.stop();
  dir.remove();
});

const ask = (app: string, ...flags: string[]) =>
  cli('can-i-deploy', '-a', app, '-e', '1', ...flags, '--to-environment', 'production', '-o', 'json');

describe('can-i-deploy --no-main-branch / --skip-main-branch', () => {
  it('gives the same answer as without them', async () => {
    for (const app of ['Lonely', 'Web']) {
      const plain = await ask(app);
      for (const flag of ['--no-main-branch', '--skip-main-branch']) {
        const run = await ask(app, flag, 'true');
        expect([run.code, JSON.parse(run.stdout)]).toEqual([plain.code, JSON.parse(plain.stdout)]);
      }
    }
    // a yes and a no: the flags were asked about both
    expect((await ask('Lonely')).code).toBe(0);
    expect((await ask('Web')).code).toBe(1);
    // eight CLI processes one after another: past Vitest's 5 s default on a loaded machine
  }, 30_000);

  it('refuses them with --main-branch for the same application, in either order', async () => {
    for (const flags of [
      ['--main-branch', '--skip-main-branch', 'true'],
      ['--no-main-branch', 'true', '--main-branch'],
    ]) {
      const run = await cli('can-i-deploy', '-a', 'Web', ...flags, '--to-environment', 'production');
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /COV_CLI_OPTIONS_INVALID: --main-branch and --(no|skip)-main-branch contradict/,
      );
    }
  });

  it.skipIf(!existsSync(official))(
    'ends as the official CLI does',
    async () => {
      const steps = [
        ['-a', 'Lonely', '-e', '1', '--no-main-branch', 'true'],
        ['-a', 'Lonely', '-e', '1', '--skip-main-branch', 'false'],
        ['--no-main-branch', 'true', '-a', 'Lonely', '-e', '1'],
        ['-a', 'Web', '-e', '1', '--skip-main-branch', 'true'],
        ['-a', 'Web', '--no-main-branch', 'true'],
      ];
      const endings: Array<[string, number | null, number | null]> = [];
      for (const step of steps) {
        const args = ['can-i-deploy', ...step, '--to-environment', 'production'];
        const theirs = await runCli(args, { env, cwd: dir.path, binary: official });
        endings.push([step.join(' '), theirs.code, (await cli(...args)).code]);
      }
      expect(endings.map(([step, , ours]) => [step, ours])).toEqual(
        endings.map(([step, theirs]) => [step, theirs]),
      );
      expect(endings.map(([, , ours]) => ours)).toEqual([0, 0, 0, 1, 1]);
    },
    30_000,
  );
});
