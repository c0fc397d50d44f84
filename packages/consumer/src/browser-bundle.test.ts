import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'vite';
import { expect, it } from 'vitest';

const entry = fileURLToPath(new URL('./browser.ts', import.meta.url));
const builtins = new Set(builtinModules);

/** Fails the build at the first Node built-in any module under the entry imports, naming both. */
function refuseNodeBuiltins(found: string[]): Plugin {
  return {
    name: 'refuse-node-builtins',
    enforce: 'pre',
    resolveId(id, importer) {
      if (id.startsWith('node:') || builtins.has(id.split('/')[0]!)) {
        found.push(`${importer ?? '?'} imports ${id}`);
        return { id, external: true };
      }
      return null;
    },
  };
}

it('bundles the browser entry for a browser with no node: import anywhere in it', async () => {
  const found: string[] = [];
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [refuseNodeBuiltins(found)],
    resolve: { conditions: ['browser', 'import', 'module', 'default'] },
    build: {
      write: false,
      minify: false,
      lib: { entry, formats: ['es'], fileName: 'covenant-consumer-browser' },
    },
  });
  expect(found).toEqual([]);
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => ('output' in o ? o.output : []));
  const code = chunks.map((c) => ('code' in c ? c.code : '')).join('\n');
  // the DSL, the matching engine and the interceptors for fetch and XMLHttpRequest are all in it
  expect(code).toContain('COV_CONSUMER_MOCK_MISMATCH');
  expect(code).toContain('XMLHttpRequest');
  expect(code).not.toMatch(/from ["']node:/);
}, 60_000);
