// Contract tests in a real browser: Vitest browser mode drives Debian's Chromium through
// Playwright (no browser download). The tests run in the page; pactCommands runs on Vitest's Node
// side and writes the pact file the page sends it, with the usual lock and merge rules.
import { pactCommands } from '@covenant/consumer';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'example-browser',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/setup.ts'],
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
      commands: pactCommands,
    },
  },
});
