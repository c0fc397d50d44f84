import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, expect, it } from 'vitest';

// Vitest's jsdom and happy-dom runs are intercept-jsdom.test.ts and intercept-happy-dom.test.ts;
// this runs the same XMLHttpRequest test in Jest (ESM, on the built dist) under both environments.
const jestDir = join(import.meta.dirname, '..', 'test-jest');
let pactDir: string;
afterEach(() => rmSync(pactDir, { recursive: true, force: true }));

it("answers XMLHttpRequest in Jest under jsdom and happy-dom in transport: 'intercept'", () => {
  pactDir = mkdtempSync(join(tmpdir(), 'covenant-jest-xhr-'));
  const jest = join(dirname(createRequire(import.meta.url).resolve('jest/package.json')), 'bin', 'jest.js');
  const run = spawnSync(
    process.execPath,
    ['--experimental-vm-modules', jest, '--config', join(jestDir, 'jest.config.json'), '--rootDir', jestDir],
    { env: { ...process.env, PACT_DIR: pactDir, NODE_NO_WARNINGS: '1' }, encoding: 'utf8' },
  );
  expect(run.status, run.stdout + run.stderr).toBe(0);
  expect(run.stderr).toMatch(/PASS jsdom/);
  expect(run.stderr).toMatch(/PASS happy-dom/);
  expect(readdirSync(pactDir).sort()).toEqual(['JestXhr-happy-dom-Orders.json', 'JestXhr-jsdom-Orders.json']);
  for (const file of readdirSync(pactDir)) {
    const pact = JSON.parse(readFileSync(join(pactDir, file), 'utf8'));
    expect(pact.interactions).toHaveLength(1);
  }
}, 60_000);
