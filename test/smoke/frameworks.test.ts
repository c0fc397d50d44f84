import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readPact } from '@covenant/core';
import { afterEach, describe, expect, it } from 'vitest';

// Vitest itself is covered by every consumer test; these run the same consumer test in the others.
const here = import.meta.dirname;
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function pactIn(file: string) {
  return readPact(readFileSync(join(dir, file), 'utf8'));
}

describe('the consumer library in other test frameworks', () => {
  it('works in node:test', () => {
    dir = mkdtempSync(join(tmpdir(), 'covenant-node-test-'));
    const run = spawnSync(process.execPath, ['--test', join(here, 'node-test', 'user.test.mjs')], {
      env: { ...process.env, PACT_DIR: dir },
      encoding: 'utf8',
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(pactIn('NodeTestClient-UserService.json').interactions).toHaveLength(1);
  });

  it('works in Jest (ESM mode)', () => {
    dir = mkdtempSync(join(tmpdir(), 'covenant-jest-'));
    const jest = join(dirname(createRequire(import.meta.url).resolve('jest/package.json')), 'bin', 'jest.js');
    const run = spawnSync(
      process.execPath,
      [
        '--experimental-vm-modules',
        jest,
        '--config',
        join(here, 'jest', 'jest.config.json'),
        '--rootDir',
        join(here, 'jest'),
      ],
      {
        env: { ...process.env, PACT_DIR: dir, NODE_NO_WARNINGS: '1' },
        encoding: 'utf8',
      },
    );
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(pactIn('JestClient-UserService.json').interactions).toHaveLength(1);
  }, 60_000);
});
