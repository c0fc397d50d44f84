#!/usr/bin/env node
// Regenerates the catalog tables in docs/errors.md from the packages' error catalogs
// (`node scripts/errors-doc.mjs`); test/docs/errors.test.ts fails when the two disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogs } from '../test/docs/catalogs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const file = join(here, '..', 'docs', 'errors.md');

export function renderCatalogs() {
  const parts = [];
  for (const [pkg, catalog] of Object.entries(catalogs)) {
    parts.push(`## ${pkg}\n`);
    parts.push('| code | what failed | what to do |');
    parts.push('|---|---|---|');
    for (const [code, def] of Object.entries(catalog)) {
      parts.push(`| \`${code}\` | ${def.title} | ${def.hint.replace(/\|/g, '\\|')} |`);
    }
    parts.push('');
  }
  return parts.join('\n');
}

const START = '<!-- catalogs:start -->';
const END = '<!-- catalogs:end -->';

export function withCatalogs(text) {
  const before = text.slice(0, text.indexOf(START) + START.length);
  const after = text.slice(text.indexOf(END));
  return `${before}\n${renderCatalogs()}\n${after}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(file, withCatalogs(readFileSync(file, 'utf8')));
  console.log(`updated ${file}`);
}
