import { readFileSync } from 'node:fs';

interface PackageJson {
  version: string;
  repository: { url: string };
}

// read at run time, so the version and the links follow the release (and the one repository URL
// the root package.json sets, copied into each package by scripts/package-metadata.mjs)
const cliPackage = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as PackageJson;

/** The version of @covenant/cli, as its package.json says. */
export const cliVersion = cliPackage.version;

/**
 * The web address of a page of the repository's docs, for hints a user can open.
 *
 * @example docsUrl('cli.md#environments') // 'https://github.com/covenant-contracts/covenant/blob/main/docs/cli.md#environments'
 */
export function docsUrl(page: string): string {
  const web = cliPackage.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
  return `${web}/blob/main/docs/${page}`;
}
