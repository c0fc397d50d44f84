import { spawn } from 'node:child_process';
import { bin, cleanEnv, pactBrokerBin, runCli } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { program } from './program.js';

const commands = [
  'broker',
  'publish',
  'can-i-deploy',
  'can-i-merge',
  'record-deployment',
  'record-undeployment',
  'record-release',
  'record-support-ended',
  'create-environment',
  'update-environment',
  'list-environments',
  'describe-version',
  'create-version-tag',
  'create-or-update-pacticipant',
  'create-webhook',
  'create-or-update-webhook',
  'delete-webhook',
  'test-webhook',
  'generate-uuid',
  'verify',
  'stub',
  'pact',
  'compare',
  'publish-provider-contract',
  'version',
  'list-pacticipants',
  'describe-pacticipant',
  'list-latest-pact-versions',
  'get-pacts',
  'describe-environment',
  'delete-environment',
  'delete-branch',
  'delete-version-tag',
  'create-or-update-version',
  'provider-states',
];

describe('help', () => {
  it('`covenant --help` lists every command, and so does `pact-broker --help`', async () => {
    for (const binary of [undefined, pactBrokerBin]) {
      const run = await runCli(['--help'], binary ? { binary } : {});
      expect(run.code).toBe(0);
      for (const name of commands) expect(run.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  }, 20_000);

  it('stops quietly when its reader closes the pipe early (`covenant --help | head -1`)', async () => {
    const child = spawn(process.execPath, [bin, 'verify', '--help'], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.destroy(); // the reader has gone before the help is written: every write fails
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('every command but pact has examples in its help; pact lists validate and convert', () => {
    const cli = program();
    for (const command of cli.commands) {
      let text = '';
      command.configureOutput({ writeOut: (s) => (text += s) });
      command.outputHelp();
      if (command.name() === 'pact') expect(text).toMatch(/validate[\s\S]*convert/);
      else expect(text, command.name()).toContain('Examples:\n  $ covenant');
    }
    expect(cli.commands.map((c) => c.name())).toEqual(commands);
  });

  it('the official connection flags are on every broker command', () => {
    const skipped = ['broker', 'verify', 'stub', 'pact', 'compare', 'generate-uuid', 'version'];
    // a group of broker commands (provider-states) has them on each of its commands
    const brokerCommands = program()
      .commands.filter((command) => !skipped.includes(command.name()))
      .flatMap((command) => (command.commands.length > 0 ? command.commands : [command]));
    for (const command of brokerCommands) {
      const flags = command.options.map((o) => o.flags);
      for (const flag of [
        '-b, --broker-base-url <url>',
        '-u, --broker-username <name>',
        '-p, --broker-password <password>',
        '-k, --broker-token <token>',
      ])
        expect(flags, command.name()).toContain(flag);
    }
  });
});
