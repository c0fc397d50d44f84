import { readFile } from 'node:fs/promises';
import { type Pact, readPact, type SynchronousHttpInteraction } from '@covenant/core';
import { consumerError } from './errors.js';
import { MockServer, type MockServerInfo, type MockServerOptions } from './mock-server.js';

export interface StubServerOptions extends MockServerOptions {
  /** Pact files to serve. */
  pactFiles?: string[];
  /** Pacts already read. */
  pacts?: Pact[];
}

/**
 * Serves the HTTP interactions of pact files as a stub provider, for front-end work and for teams
 * in other languages: a request gets the response of the first interaction it matches, anything
 * else a 500 that names the closest interaction and the mismatches.
 *
 * @example
 * const stub = await StubServer.start({ pactFiles: ['pacts/web-api.json'], port: 8080 });
 * // ... use stub.info.url ...
 * await stub.stop();
 */
export class StubServer {
  private constructor(
    private readonly server: MockServer,
    readonly interactions: readonly SynchronousHttpInteraction[],
  ) {}

  get info(): MockServerInfo {
    return this.server.info;
  }

  static async start(options: StubServerOptions): Promise<StubServer> {
    const pacts = [...(options.pacts ?? [])];
    for (const file of options.pactFiles ?? []) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw consumerError(
          'COV_CONSUMER_STUB_START_FAILED',
          `cannot read the pact file ${file}: ${(error as Error).message}`,
          { file },
          error,
        );
      }
      pacts.push(readPact(text, file));
    }
    const interactions = pacts.flatMap((p) =>
      p.interactions.filter((i): i is SynchronousHttpInteraction => i.type === 'Synchronous/HTTP'),
    );
    if (interactions.length === 0) {
      throw consumerError(
        'COV_CONSUMER_STUB_START_FAILED',
        'the given pacts hold no HTTP interactions to serve',
      );
    }
    return new StubServer(await MockServer.start(interactions, options), interactions);
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }
}
