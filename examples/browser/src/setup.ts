// Runs in the page before each test file: pacts go to Vitest's Node side through its commands.
import { type PactWriteRequest, setPactWriter } from '@covenant/consumer/browser';
import { commands } from 'vitest/browser';

declare module 'vitest/browser' {
  interface BrowserCommands {
    covenantWritePact: (request: PactWriteRequest) => Promise<string>;
  }
}

setPactWriter((request) => commands.covenantWritePact(request));
