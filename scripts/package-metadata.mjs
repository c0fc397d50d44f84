#!/usr/bin/env node
// Writes the registry metadata of every published package (packages/*, not private) from the one
// repository URL in the root package.json: repository (with the package's directory), homepage,
// bugs, publishConfig, license, engines, files, the prepack build and a copy of the root LICENSE.
//
//   node scripts/package-metadata.mjs           write what differs
//   node scripts/package-metadata.mjs --check   exit 1 listing what differs (test/packaging runs it)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/** The web address of the repository, from the root package.json's `repository.url`. */
export function repositoryWebUrl(rootPackage) {
  const url = rootPackage.repository?.url;
  if (typeof url !== 'string') throw new Error('the root package.json has no repository.url');
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
}

/** The directories (relative to the root) of the packages that are published. */
export function publishedPackageDirs() {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, 'packages', entry.name, 'package.json')))
    .map((entry) => `packages/${entry.name}`)
    .filter((dir) => !readJson(join(root, dir, 'package.json')).private)
    .sort();
}

/** The fields a published package must have, given the root package.json and the package's directory. */
export function expectedMetadata(rootPackage, dir, current) {
  const web = repositoryWebUrl(rootPackage);
  const extraFiles = (current.files ?? []).filter((entry) => !BASE_FILES.includes(entry));
  return {
    license: rootPackage.license,
    repository: { type: 'git', url: rootPackage.repository.url, directory: dir },
    homepage: `${web}/tree/main/${dir}#readme`,
    bugs: { url: `${web}/issues` },
    engines: rootPackage.engines,
    publishConfig: { access: 'public' },
    // src ships so that the source maps (and stack traces through them) name files that exist
    files: [...BASE_FILES, ...extraFiles],
    scripts: { ...current.scripts, prepack: 'tsc -b && node ../../scripts/prune-dist.mjs' },
  };
}

const BASE_FILES = ['dist', '!dist/.tsbuildinfo', 'src', '!src/**/*.test.ts', '!src/test-support'];

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function main(check) {
  const rootPackage = readJson(join(root, 'package.json'));
  const license = readFileSync(join(root, 'LICENSE'), 'utf8');
  const differences = [];
  for (const dir of publishedPackageDirs()) {
    const path = join(root, dir, 'package.json');
    const current = readJson(path);
    const expected = expectedMetadata(rootPackage, dir, current);
    const next = { ...current, ...expected };
    for (const [field, value] of Object.entries(expected)) {
      if (JSON.stringify(current[field]) !== JSON.stringify(value))
        differences.push(`${dir}/package.json: ${field}`);
    }
    const licensePath = join(root, dir, 'LICENSE');
    const licenseDiffers = !existsSync(licensePath) || readFileSync(licensePath, 'utf8') !== license;
    if (licenseDiffers) differences.push(`${dir}/LICENSE`);
    if (!check) {
      writeFileSync(path, `${JSON.stringify(next, null, 2)}\n`);
      if (licenseDiffers) writeFileSync(licensePath, license);
    }
  }
  if (check && differences.length > 0) {
    process.stderr.write(
      `Package metadata is out of step with the root package.json (run node scripts/package-metadata.mjs):\n  ${differences.join('\n  ')}\n`,
    );
    process.exitCode = 1;
  }
}

if (process.argv[1] === import.meta.filename) main(process.argv.includes('--check'));
