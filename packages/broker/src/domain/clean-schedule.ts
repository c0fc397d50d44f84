import type { CronSchedule } from './cron.js';

/** Time and timers, injectable so that a test can run a schedule of days in milliseconds. */
export interface SchedulerClock {
  now(): Date;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: SchedulerClock = {
  now: () => new Date(),
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    // a pending clean never keeps the process alive; the server does
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Node's timers take at most this many milliseconds: a later run is reached in several waits. */
const MAX_TIMER = 2 ** 31 - 1;

/**
 * Runs a job at the times a cron schedule names, one run at a time: a run still going when the
 * next time comes is not doubled (the next time after it ends is taken instead).
 *
 * @example
 * const schedule = new CronRunner(parseCron('15 2 * * *'), () => runClean(database, options));
 * schedule.start();
 * // …
 * await schedule.stop();
 */
export class CronRunner {
  private timer: unknown;
  private running: Promise<void> | undefined;
  private stopped = true;
  /** When the job runs next, while started. */
  nextRun: Date | undefined;

  constructor(
    private readonly schedule: CronSchedule,
    private readonly job: () => Promise<unknown>,
    private readonly options: { clock?: SchedulerClock; onError?: (error: unknown) => void } = {},
  ) {}

  private get clock(): SchedulerClock {
    return this.options.clock ?? systemClock;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    const next = this.schedule.next(this.clock.now());
    this.nextRun = next;
    this.wait(next);
  }

  private wait(at: Date): void {
    const ms = at.getTime() - this.clock.now().getTime();
    this.timer = this.clock.setTimeout(
      () => {
        if (this.stopped) return;
        // woken early (a wait longer than Node's timers allow, or a clock set back): wait on
        if (this.clock.now().getTime() < at.getTime()) return this.wait(at);
        this.running = this.job()
          .then(
            () => undefined,
            (error: unknown) => this.options.onError?.(error),
          )
          .finally(() => {
            this.running = undefined;
            this.arm();
          });
      },
      Math.min(Math.max(ms, 0), MAX_TIMER),
    );
  }

  /** Stops the schedule; resolves once a run under way has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.nextRun = undefined;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
