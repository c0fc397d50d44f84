// What a Pact needs from where it runs (Node or a browser), so pact.ts itself imports no `node:`
// module: the mock transports, the pact file writer and the mock service log.
import type { Interaction, SynchronousHttpInteraction } from '@covenant/core';
import type { InterceptionLibrary } from './intercept.js';
import type { LogLevel } from './log.js';
import type { MockServerOptions } from './mock-server.js';
import type { MockEvent, MockProblem, MockServerInfo } from './mock-session.js';
import type { PactFileOptions } from './pact-writer.js';

/** One test's mock provider, on a socket or in-process. */
export interface MockHandle {
  readonly info: MockServerInfo;
  problems(): MockProblem[];
  history(): readonly MockEvent[];
  stop(): Promise<void>;
}

/** The mock service log as a Pact writes it. */
export interface PactLog {
  enabled(level: Exclude<LogLevel, 'off'>): boolean;
  log(level: Exclude<LogLevel, 'off'>, message: string): void;
  flush(): Promise<void>;
}

export interface PactPlatform {
  /** Mock servers on real sockets; none in a browser. */
  readonly socket?: {
    prepare(options: MockServerOptions): void;
    lease(
      interactions: readonly SynchronousHttpInteraction[],
      options: MockServerOptions,
    ): Promise<MockHandle>;
  };
  /** The interception library for in-process mode. */
  readonly interception: InterceptionLibrary;
  /** Writes interactions to the pact file with the lock and merge rules of decision 2. */
  writePact(options: PactFileOptions, interactions: readonly Interaction[]): Promise<unknown>;
  pactFilePath(options: PactFileOptions): string;
  openLog(file: string | undefined, level: LogLevel): PactLog;
  /** The log file's default path. */
  defaultLogFile(dir: string, name: string): string;
}
