// A release on a scratch copy of the workspace's manifests: `changeset version` with a sample
// changeset gives every published package the same new version, updates the pins between them
// (the CLI's optional peer on the broker included) and bumps no major that nobody asked for.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, no declarations
import { publishedPackageDirs } from '../../scripts/package-metadata.mjs';

// semver, as changesets itself and npm judge ranges (no types needed for one function)
const { satisfies } = createRequire(import.meta.url)('semver') as {
  satisfies: (version: string, range: string) => boolean;
};
const root = join(import.meta.dirname, '..', '..');
const changesetBin = join(root, 'node_modules', '@changesets', 'cli', 'bin.js');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const rootManifest = readJson<{ workspaces: string[] }>(join(root, 'package.json'));
const published = (publishedPackageDirs() as string[]).map((dir) => ({
  dir,
  name: readJson<Manifest>(join(root, dir, 'package.json')).name,
}));

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

/** The workspace's manifests and changeset config in a temporary folder, with one changeset. */
function scratchCopy(bumps: Record<string, 'patch' | 'minor'>): string {
  const dir = mkdtempSync(join(tmpdir(), 'covenant-changesets-'));
  scratch = dir;
  for (const file of ['package.json', '.changeset/config.json']) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(root, file), join(dir, file));
  }
  for (const workspace of rootManifest.workspaces) {
    mkdirSync(join(dir, workspace), { recursive: true });
    cpSync(join(root, workspace, 'package.json'), join(dir, workspace, 'package.json'));
  }
  const front = Object.entries(bumps).map(([name, bump]) => `"${name}": ${bump}`);
  writeFileSync(join(dir, '.changeset', 'sample.md'), `---\n${front.join('\n')}\n---\n\nA sample change.\n`);
  return dir;
}

function version(dir: string): Record<string, Manifest> {
  execFileSync(process.execPath, [changesetBin, 'version'], { cwd: dir, stdio: 'pipe' });
  return Object.fromEntries(
    rootManifest.workspaces.map((workspace) => [
      workspace,
      readJson<Manifest>(join(dir, workspace, 'package.json')),
    ]),
  );
}

describe('changeset version', { timeout: 30_000 }, () => {
  it('puts every published package in the one fixed group', () => {
    const config = readJson<{ fixed: string[][]; access: string }>(join(root, '.changeset', 'config.json'));
    expect(config.access).toBe('public');
    expect(config.fixed).toHaveLength(1);
    expect([...config.fixed[0]!].sort()).toEqual(published.map((p) => p.name).sort());
  });

  for (const [bump, expected] of [
    ['minor', '0.2.0'],
    ['patch', '0.1.1'],
  ] as const) {
    it(`a ${bump} change of the broker alone: all at ${expected}, pins updated, no major`, () => {
      const before = readJson<Manifest>(join(root, 'packages/core/package.json')).version;
      expect(before).toBe('0.1.0'); // the expected versions below are computed from it
      const after = version(scratchCopy({ '@covenant/broker': bump }));
      const names = new Set(published.map((p) => p.name));
      for (const { dir, name } of published)
        expect(after[dir], name).toMatchObject({ name, version: expected });
      // every pin on a published package, in published and private manifests alike, is the new version
      for (const [workspace, manifest] of Object.entries(after)) {
        for (const field of ['dependencies', 'devDependencies', 'peerDependencies'] as const) {
          for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
            if (names.has(dependency) && field !== 'peerDependencies')
              expect(range, `${workspace} ${field} ${dependency}`).toBe(expected);
          }
        }
      }
      // the optional peer keeps a range (a minor of an exact peer would make changesets bump a major)
      const peer = after['packages/cli']?.peerDependencies?.['@covenant/broker'];
      expect(satisfies(expected, peer!), `peer range ${peer}`).toBe(true);
    });
  }
});
