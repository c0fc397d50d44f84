// Registry metadata and docs links: every published package carries the fields scripts/
// package-metadata.mjs derives from the one repository URL (and the root LICENSE), and every link
// to docs/*.md#anchor in the packages' code and READMEs names a page and heading that exist.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, no declarations
import { publishedPackageDirs, repositoryWebUrl } from '../../scripts/package-metadata.mjs';

const root = join(import.meta.dirname, '..', '..');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const web: string = repositoryWebUrl(rootPackage);
const dirs: string[] = publishedPackageDirs();

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('package metadata', () => {
  it('is in step with the root package.json (node scripts/package-metadata.mjs --check)', () => {
    expect(() =>
      execFileSync(process.execPath, [join(root, 'scripts/package-metadata.mjs'), '--check'], {
        stdio: 'pipe',
      }),
    ).not.toThrow();
  });

  it.each(dirs)('%s has a README linking the docs', (dir) => {
    const readme = readFileSync(join(root, dir, 'README.md'), 'utf8');
    expect(readme).toContain(`${web}/blob/main/docs/`);
    expect(readme).toMatch(/npm install/);
  });
});

describe('links to the docs', () => {
  const sources = [
    join(root, 'README.md'),
    ...dirs.flatMap((dir) => [
      join(root, dir, 'README.md'),
      ...filesUnder(join(root, dir, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')),
    ]),
  ].filter(existsSync);
  const links = sources.flatMap((file) =>
    [
      ...readFileSync(file, 'utf8').matchAll(
        /https:\/\/github\.com\/[^\s)[\]`'"]+\/blob\/main\/docs\/[^\s)[\]`'"]+|docsUrl\('([^']+)'\)/g,
      ),
    ].map((m) => ({ file, link: m[1] !== undefined ? `${web}/blob/main/docs/${m[1]}` : m[0] })),
  );

  it('exist (the CLI hints among them)', () => {
    expect(links.map((l) => l.link)).toContain(`${web}/blob/main/docs/cli.md#environments`);
  });

  it.each(links)('$link (in $file) names a page and heading that exist', ({ link }) => {
    expect(link.startsWith(`${web}/blob/main/docs/`)).toBe(true);
    const [page, anchor] = link.slice(`${web}/blob/main/docs/`.length).split('#');
    const text = readFileSync(join(root, 'docs', page!), 'utf8');
    if (anchor !== undefined) {
      const anchors = [...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1]!));
      expect(anchors).toContain(anchor);
    }
  });
});
