import { commands } from 'vitest/browser';
import { setPactWriter } from '../src/browser.js';

declare module 'vitest/browser' {
  interface BrowserCommands {
    covenantWritePact: (request: import('../src/browser.js').PactWriteRequest) => Promise<string>;
    readProjectFile: (path: string) => Promise<string | null>;
    removeProjectDir: (path: string) => Promise<void>;
  }
}

setPactWriter((request) => commands.covenantWritePact(request));
