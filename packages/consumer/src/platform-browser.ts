// A browser's side of a Pact: no sockets (in-process mode only), interceptors for fetch and
// XMLHttpRequest, and pact files written by the test runner's Node side through its file bridge.
import { type Interaction, pactToText } from '@covenant/core';
import { consumerError } from './errors.js';
import type { InterceptionLibrary, RequestInterceptor } from './intercept.js';
import type { PactWriteRequest } from './pact-bridge.js';
import { pactFileName } from './pact-file.js';
import type { PactFileOptions } from './pact-writer.js';
import type { PactPlatform } from './platform.js';

/** Sends interactions to be written to the runner's Node side, e.g. Vitest's `commands.covenantWritePact`. */
export type PactWriter = (request: PactWriteRequest) => Promise<unknown>;

let writer: PactWriter | undefined;

/**
 * Says how this page gets its pact files written: through the test runner's bridge to Node, where
 * `pactCommands` (from `@covenant/consumer` in Node) writes them with the usual lock and merge rules.
 *
 * @example
 * import { commands } from 'vitest/browser';
 * setPactWriter((request) => commands.covenantWritePact(request));
 */
export function setPactWriter(write: PactWriter): void {
  writer = write;
}

type ResponseClass = new (body: Uint8Array | string | null, init: ResponseInit) => Response;
let loaded: Promise<{ list: RequestInterceptor[] }> | undefined;
let FetchResponse: ResponseClass | undefined;

const browserInterception: InterceptionLibrary = {
  interceptors() {
    loaded ??= Promise.all([
      import('@mswjs/interceptors'),
      import('@mswjs/interceptors/fetch'),
      import('@mswjs/interceptors/XMLHttpRequest'),
    ]).then(([root, fetch, xhr]) => {
      FetchResponse = root.FetchResponse as ResponseClass;
      return {
        list: [new fetch.FetchInterceptor(), new xhr.XMLHttpRequestInterceptor()] as RequestInterceptor[],
      };
    });
    return loaded.then((l) => l.list);
  },
  makeResponse(body, init) {
    return new FetchResponse!(body, init);
  },
};

/** Sends interactions to the runner's Node side as a V4 pact text. */
export async function sendToWriter(
  options: PactFileOptions,
  interactions: readonly Interaction[],
): Promise<unknown> {
  if (!writer) {
    throw consumerError(
      'COV_CONSUMER_PACT_WRITE_FAILED',
      'no pact writer in this browser: register pactCommands in the Vitest config (browser.commands) and call setPactWriter((request) => commands.covenantWritePact(request)) in a setup file',
    );
  }
  const pact = pactToText(
    {
      consumer: { name: options.consumer },
      provider: { name: options.provider },
      interactions: [...interactions],
      metadata: {},
      specification: 'V4',
    },
    'V4',
  );
  return writer({ options, pact });
}

function browserPactFilePath(options: PactFileOptions): string {
  return `${(options.dir ?? 'pacts').replace(/\/+$/, '')}/${pactFileName(options)}`;
}

/** A page keeps no log file: the report in the failed test says what went wrong. */
const noLog = {
  enabled: () => false,
  log: () => {},
  flush: () => Promise.resolve(),
};

export const browserPlatform: PactPlatform = {
  interception: browserInterception,
  writePact: sendToWriter,
  pactFilePath: browserPactFilePath,
  openLog: () => noLog,
  defaultLogFile: (dir, name) => `${dir}/${name}`,
};
