import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/**
 * The environment for an `npm install` that installs better-sqlite3 without compiling SQLite.
 * Where no prebuilt binary can be downloaded (as here), its install compiles SQLite: one to ten
 * minutes on a busy 2-core machine. The repo's own build of the same version, packed in `dir` as
 * the prebuild prebuild-install would have downloaded, stands in for the download; the install
 * still runs better-sqlite3's install script. COVENANT_PACKAGING_COMPILE_SQLITE=1 compiles instead.
 */
export function sqlitePrebuild(dir: string): Record<string, string> {
  const sqlite = join(root, 'node_modules', 'better-sqlite3');
  if (
    process.env.COVENANT_PACKAGING_COMPILE_SQLITE ||
    !existsSync(join(sqlite, 'build/Release/better_sqlite3.node'))
  )
    return {};
  const { version } = JSON.parse(readFileSync(join(sqlite, 'package.json'), 'utf8'));
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  if (!existsSync(join(dir, name))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-czf', join(dir, name), '-C', sqlite, 'build/Release/better_sqlite3.node']);
  }
  return { npm_config_better_sqlite3_local_prebuilds: dir };
}
