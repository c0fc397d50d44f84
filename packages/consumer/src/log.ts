import { appendFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensureDir } from './fs-util.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 };

/**
 * The mock service log (one file per pact, like pact-mock-service.log): lines are buffered
 * during a test and appended in one write at its end.
 */
export class MockServiceLog {
  private lines: string[] = [];

  constructor(
    private readonly file: string | undefined,
    private readonly level: LogLevel,
  ) {}

  /** Whether lines of this level are written, so callers can skip building messages nobody reads. */
  enabled(level: Exclude<LogLevel, 'off'>): boolean {
    return this.file !== undefined && ORDER[level] >= ORDER[this.level];
  }

  log(level: Exclude<LogLevel, 'off'>, message: string): void {
    if (!this.enabled(level)) return;
    this.lines.push(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}`);
  }

  /** Appends the buffered lines; a log that can't be written never fails a test. */
  async flush(): Promise<void> {
    if (!this.file || this.lines.length === 0) return;
    const text = `${this.lines.join('\n')}\n`;
    this.lines = [];
    try {
      await ensureDir(dirname(this.file));
      await appendFile(this.file, text);
    } catch (error) {
      process.emitWarning(`Covenant could not write its log ${this.file}: ${(error as Error).message}`);
    }
  }
}
