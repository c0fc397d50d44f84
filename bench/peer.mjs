// The peer every benchmark compares with: pact-js, installed in bench/ only (npm ci there on first use).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from './lib.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
export const PEER = '@pact-foundation/pact 17.1.4';

export function ensurePeer(log) {
  const pkg = join(benchDir, 'node_modules', '@pact-foundation', 'pact', 'package.json');
  if (!existsSync(pkg)) {
    log('installing the benchmark peers in bench/ (first run only)...');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], {
      cwd: benchDir,
      stdio: 'inherit',
      env: { ...process.env, PACT_DO_NOT_TRACK: 'true' },
    });
  }
  const version = JSON.parse(readFileSync(pkg, 'utf8')).version;
  expect(version === '17.1.4', `the peer is pact-js ${version}, expected 17.1.4`);
}
