#!/usr/bin/env node
// Deletes what `tsc -b` left in dist/ for sources that no longer exist (a renamed or removed
// module's .js, .d.ts and maps), so a packed tarball holds no file whose source map points nowhere.
// Run by each package's prepack, from the package's folder, after the build. It deletes only
// orphans, never the whole folder: tests running beside it keep their imports.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const dist = 'dist';
const outputs = /\.(d\.ts\.map|d\.ts|js\.map|js)$/;

function prune(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(path);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else if (outputs.test(entry.name)) {
      const stem = join('src', relative(dist, path).replace(outputs, ''));
      if (!['.ts', '.mts', '.tsx'].some((ext) => existsSync(stem + ext))) rmSync(path);
    }
  }
}

if (existsSync(dist)) prune(dist);
