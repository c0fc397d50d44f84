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
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { program } from './program.js';

/** `-o pretty`, the official CLI's indented JSON: taken by every command that has `-o`, printed as json. */
const official = officialPactBrokerBin;

let broker: Awaited<ReturnType<typeof startTestBroker>>;
const dir = tempDir();
let env: Record<string, string>;
const cli = (...args: string[]) => runCli(args, { env, cwd: dir.path, binary: pactBrokerBin });

beforeAll(async () => {
  broker = await startTestBroker();
  env = cleanEnv({ PACT_BROKER_BASE_URL: broker.url });
  writeFileSync(join(dir.path, 'web-orders.json'), JSON.stringify(pactJson('Web', 'Orders')));
  for (const step of [
    ['create-environment', '--name', 'production'],
    ['publish', 'web-orders.json', '--consumer-app-version', '1', '--branch', 'main'],
  ])
    expect((await cli(...step)).code, step.join(' ')).toBe(0);
}, 20_000);
afterAll(async () => {
  await broker.stop();
  dir.remove();
});

/** Every command (and subcommand) of the program, with its path. */
function allCommands(command: Command, path: string[] = []): Array<[string, Command]> {
  return command.commands.flatMap((sub) => [
    [[...path, sub.name()].join(' '), sub] as [string, Command],
    ...allCommands(sub, [...path, sub.name()]),
  ]);
}

describe('-o pretty', () => {
  it('is a choice of every command that has -o', () => {
    const withOutput = allCommands(program()).filter(([, command]) =>
      command.options.some((option) => option.long === '--output'),
    );
    expect(withOutput.length).toBeGreaterThan(15);
    const without = withOutput
      .filter(
        ([, command]) => !command.options.find((o) => o.long === '--output')?.argChoices?.includes('pretty'),
      )
      .map(([name]) => name);
    expect(without).toEqual([]);
  });

  it('prints what -o json prints', async () => {
    for (const args of [
      ['list-environments'],
      ['describe-version', '-a', 'Web', '-e', '1'],
      ['can-i-deploy', '-a', 'Web', '-e', '1', '--to-environment', 'production'],
      ['pact', 'validate', 'web-orders.json'],
    ]) {
      const pretty = await cli(...args, '-o', 'pretty');
      const json = await cli(...args, '-o', 'json');
      expect([pretty.code, pretty.stdout], args.join(' ')).toEqual([json.code, json.stdout]);
      // indented, as the official CLI's pretty is
      expect(pretty.stdout).toMatch(/^[[{]\n {2}/);
    }
    // eight CLI processes one after another: past Vitest's 5 s default on a loaded machine
  }, 30_000);

  it('still refuses a format no command has', async () => {
    const run = await cli('list-environments', '-o', 'yaml');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('COV_CLI_OPTIONS_INVALID');
    expect(run.stderr).toContain('Allowed choices are text, table, json, pretty');
  });

  it.skipIf(!existsSync(official))(
    'ends as the official CLI does where it has pretty',
    async () => {
      for (const args of [
        ['list-environments', '-o', 'pretty'],
        ['publish', 'web-orders.json', '--consumer-app-version', '2', '-o', 'pretty'],
        ['record-deployment', '-a', 'Web', '-e', '1', '--environment', 'production', '-o', 'pretty'],
      ]) {
        const theirs = await runCli(args, { env, cwd: dir.path, binary: official });
        expect((await cli(...args)).code, args.join(' ')).toBe(theirs.code);
      }
    },
    30_000,
  );
});
