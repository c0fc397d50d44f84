import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { verifierError } from './errors.js';

/** pact-js's levels, plus `off`. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'off';

const ORDER: Record<LogLevel, number> = { trace: 0, debug: 10, info: 20, warn: 30, error: 40, off: 100 };

/** Where a run's log lines go, and which. */
export interface VerifierLog {
  enabled(level: Exclude<LogLevel, 'off'>): boolean;
  log(level: Exclude<LogLevel, 'off'>, message: string): void;
}

/** Whether `value` is a level name, for checking options and LOG_LEVEL. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(ORDER, value);
}

/**
 * The verifier's log: timestamped lines appended to `file` (its directory made), else written to
 * stderr; `off` writes nothing. A file that cannot be written is a coded error at the first line,
 * which the run writes before it verifies anything.
 *
 * @example const log = createLog('debug', 'logs/verifier.log'); log.log('info', 'started');
 */
export function createLog(level: LogLevel, file: string | undefined): VerifierLog {
  let madeDir = false;
  const enabled = (at: Exclude<LogLevel, 'off'>) => ORDER[at] >= ORDER[level];
  return {
    enabled,
    log(at, message) {
      if (!enabled(at)) return;
      const line = `${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} ${message}\n`;
      if (file === undefined) {
        process.stderr.write(line);
        return;
      }
      try {
        if (!madeDir) mkdirSync(dirname(file), { recursive: true });
        madeDir = true;
        appendFileSync(file, line);
      } catch (error) {
        throw verifierError(
          'COV_VERIFIER_LOG_FAILED',
          `cannot write the log file ${file}: ${(error as Error).message}`,
          { file },
          error,
        );
      }
    },
  };
}
