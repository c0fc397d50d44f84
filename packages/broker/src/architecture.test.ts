import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The broker's layers (docs/decisions/0016-broker-layers.md): http/ (server, context, auth, error
// mapping) → routes/ and ui/ (one plugin per resource family) → domain/ (rules) → db/ (every query).
// These tests read the import statements of every source file and fail on an import across the lines.

const root = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports or re-exports, statically or with `import()`: package names or resolved paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gms),
    ...text.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
  ].map((m) => m[1]!);
  return specifiers.map((s) => (s.startsWith('.') ? resolve(dirname(file), s.replace(/\.js$/, '.ts')) : s));
}

const files = sourceFiles(root);
// Suites directly in src/ test across the layers (they may seed rows with SQL), so they belong to none.
const crossLayerSuite = (file: string) => dirname(file) === root && file.endsWith('.test.ts');
const layerOf = (file: string) => relative(root, file).split('/')[0]!;
const rel = (file: string) => relative(root, file);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

/** The imports of files in `layers` (or, with `except`, outside them) that `forbidden` refuses, as `file → import` lines. */
function violations(layers: string[], forbidden: (target: string) => boolean, except = false): string[] {
  return files
    .filter((file) => !crossLayerSuite(file) && layers.includes(layerOf(file)) !== except)
    .flatMap((file) =>
      graph
        .get(file)!
        .filter(forbidden)
        .map((target) => `${rel(file)} → ${target.startsWith('/') ? rel(target) : target}`),
    );
}

/** The import cycles among the broker's source files (test files left out), each as a path of files. */
function cycles(): string[][] {
  const sources = new Set(files.filter((f) => !f.endsWith('.test.ts')));
  const state = new Map<string, 'open' | 'done'>();
  const found: string[][] = [];
  const visit = (file: string, path: string[]) => {
    state.set(file, 'open');
    for (const target of graph.get(file) ?? []) {
      if (!sources.has(target)) continue;
      if (state.get(target) === 'open') found.push([...path.slice(path.indexOf(target)), target].map(rel));
      else if (!state.has(target)) visit(target, [...path, target]);
    }
    state.set(file, 'done');
  };
  for (const file of sources) if (!state.has(file)) visit(file, [file]);
  return found;
}

describe('the broker layers', () => {
  it('reads the imports it checks', () => {
    // a parser that found nothing would pass every rule below
    expect(graph.get(join(root, 'http', 'app.ts'))).toContain(join(root, 'http', 'context.ts'));
    expect(graph.get(join(root, 'db', 'connect.ts'))).toContain('kysely');
    expect(graph.get(join(root, 'db', 'connect.ts'))).toContain('pg');
  });

  it('has Kysely only in db/', () => {
    expect(violations(['db'], (t) => t === 'kysely' || t.startsWith('kysely/'), true)).toEqual([]);
  });

  it('keeps domain/ free of HTTP: no fastify, http/, routes/ or ui/', () => {
    const http = (t: string) =>
      t === 'fastify' ||
      t.startsWith('fastify/') ||
      t.startsWith('@fastify/') ||
      ['http', 'routes', 'ui'].some((layer) => t.startsWith(join(root, layer) + '/'));
    expect(violations(['domain'], http)).toEqual([]);
  });

  it('keeps db/ below the domain: no fastify, http/, routes/, ui/ or domain/', () => {
    const above = (t: string) =>
      t === 'fastify' ||
      ['http', 'routes', 'ui', 'domain'].some((layer) => t.startsWith(join(root, layer) + '/'));
    expect(violations(['db'], above)).toEqual([]);
  });

  it('has routes and ui import the request context, not app.ts', () => {
    expect(violations(['routes', 'ui'], (t) => t === join(root, 'http', 'app.ts'))).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles()).toEqual([]);
  });
});
