// A clock for schedulers under test: time stands still until the test moves it, and the timers
// due meanwhile fire in order, so a schedule of days runs in milliseconds, without sleeps.

/** Time and timers, the shape the broker's CronRunner takes (its SchedulerClock). */
export interface FakeClockTimers {
  now(): Date;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface FakeClock {
  clock: FakeClockTimers;
  /** Timers set and not yet fired or cleared. */
  pending(): number;
  /** How many timers were set in all. */
  set(): number;
  /**
   * Moves time `ms` forward, firing each timer due on the way at its own time and letting the
   * promises it started settle before the next.
   */
  advance(ms: number): Promise<void>;
}

/** Lets what a fired timer started run: its promise callbacks, and their I/O callbacks once. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A clock that starts at `start` and moves only when told.
 *
 * @example
 * const time = fakeClock('2026-12-07T18:00:00Z');
 * const runner = new CronRunner(parseCron('15 2 * * *'), job, { clock: time.clock });
 * runner.start();
 * await time.advance(9 * 3_600_000); // the job ran once, at 02:15
 */
export function fakeClock(start: string): FakeClock {
  let now = new Date(start).getTime();
  let setCount = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    clock: {
      now: () => new Date(now),
      setTimeout: (callback, ms) => {
        setCount += 1;
        timers.set(setCount, { at: now + ms, callback });
        return setCount;
      },
      clearTimeout: (handle) => {
        timers.delete(handle as number);
      },
    },
    pending: () => timers.size,
    set: () => setCount,
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const [due] = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at);
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].callback();
        await settle();
      }
      now = end;
      await settle();
    },
  };
}
