import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

if (!existsSync('test/interop/node_modules/@pact-foundation/pact') && !process.env.CI) {
  console.warn(
    'Skipping the interop tests: run `npm ci --prefix test/interop` to install the official Pact packages they compare with.',
  );
}

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'core',
          root: 'packages/core',
          include: ['src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'consumer',
          root: 'packages/consumer',
          include: ['src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'broker-client',
          root: 'packages/broker-client',
          include: ['src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'verifier',
          root: 'packages/verifier',
          include: ['src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'broker',
          root: 'packages/broker',
          include: ['src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'contracts',
          root: 'packages/contracts',
          include: ['src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'cli',
          root: 'packages/cli',
          include: ['src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'repo',
          root: '.',
          include: ['test/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['test/interop/**', '**/node_modules/**'],
        },
      },
      // Browser mode in Debian's Chromium: the consumer's browser export and the browser example
      'packages/consumer/vitest.browser.config.ts',
      'examples/browser/vitest.config.ts',
      // Interop with the official implementation: needs `npm ci --prefix test/interop` (CI does it).
      ...(existsSync('test/interop/node_modules/@pact-foundation/pact') || process.env.CI
        ? [
            {
              test: {
                name: 'interop',
                root: '.',
                include: ['test/interop/**/*.test.ts'],
                exclude: ['**/node_modules/**'],
                env: { PACT_DO_NOT_TRACK: 'true' },
                testTimeout: 60_000,
              },
            },
          ]
        : []),
    ],
  },
});
