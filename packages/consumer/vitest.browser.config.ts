// The consumer's browser tests: Vitest browser mode in Debian's Chromium (no browser download),
// writing pacts through pactCommands on the Node side.
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { pactCommands } from './src/pact-bridge.js';

// msw's service worker script, served at the page's root as msw/browser's setupWorker expects it
const mswWorkerScript = resolve(
  dirname(createRequire(import.meta.url).resolve('msw/package.json')),
  'lib/mockServiceWorker.js',
);

export default defineConfig({
  plugins: [
    {
      name: 'msw-service-worker',
      configureServer(server) {
        server.middlewares.use('/mockServiceWorker.js', async (_req, res) => {
          res.setHeader('Content-Type', 'text/javascript');
          res.end(await readFile(mswWorkerScript));
        });
      },
    },
  ],
  test: {
    name: 'consumer-browser',
    include: ['test-browser/**/*.test.ts'],
    setupFiles: ['test-browser/setup.ts'],
    testTimeout: 30_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
      commands: {
        ...pactCommands,
        /** Reads a file the Node side wrote, from the package's folder (null when there is none). */
        readProjectFile: (context, path: string) =>
          readFile(resolve(context.project.config.root, path), 'utf8').catch(() => null),
        removeProjectDir: (context, path: string) =>
          rm(resolve(context.project.config.root, path), { recursive: true, force: true }),
      },
    },
  },
});
