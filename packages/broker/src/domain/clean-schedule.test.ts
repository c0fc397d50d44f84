import { fakeClock } from '@covenant/test-support';
import { describe, expect, it } from 'vitest';
import { CronRunner } from './clean-schedule.js';
import { parseCron } from './cron.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('CronRunner', () => {
  it('runs the job at each time the schedule names, and not before', async () => {
    const time = fakeClock('2026-12-07T18:00:00Z');
    const runs: string[] = [];
    const runner = new CronRunner(
      parseCron('15 2 * * *'),
      async () => {
        runs.push(time.clock.now().toISOString());
      },
      { clock: time.clock },
    );
    runner.start();
    expect(runner.nextRun?.toISOString()).toBe('2026-12-08T02:15:00.000Z');
    await time.advance(8 * HOUR + 14 * 60_000);
    expect(runs).toEqual([]);
    await time.advance(60_000);
    expect(runs).toEqual(['2026-12-08T02:15:00.000Z']);
    expect(runner.nextRun?.toISOString()).toBe('2026-12-09T02:15:00.000Z');
    await time.advance(2 * DAY);
    expect(runs).toEqual([
      '2026-12-08T02:15:00.000Z',
      '2026-12-09T02:15:00.000Z',
      '2026-12-10T02:15:00.000Z',
    ]);
    await runner.stop();
    await time.advance(5 * DAY);
    expect(runs).toHaveLength(3);
    expect(time.pending()).toBe(0);
  });

  it('never runs twice at once: a run that overlaps the next time skips it', async () => {
    const time = fakeClock('2026-01-01T00:00:30Z');
    let release: () => void = () => undefined;
    let started = 0;
    const runner = new CronRunner(
      parseCron('* * * * *'),
      () => {
        started += 1;
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      { clock: time.clock },
    );
    runner.start();
    await time.advance(30_000);
    expect(started).toBe(1);
    // three more minutes pass while the first run is still going
    await time.advance(3 * 60_000);
    expect(started).toBe(1);
    expect(time.pending()).toBe(0);
    release();
    await time.advance(0);
    expect(runner.nextRun?.toISOString()).toBe('2026-01-01T00:05:00.000Z');
    await time.advance(60_000);
    expect(started).toBe(2);
    release();
    await runner.stop();
  });

  it('reports a failed run and keeps to the schedule', async () => {
    const time = fakeClock('2026-01-01T00:00:00Z');
    const errors: unknown[] = [];
    let calls = 0;
    const runner = new CronRunner(
      parseCron('0 * * * *'),
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('database away');
      },
      { clock: time.clock, onError: (error) => errors.push(error) },
    );
    runner.start();
    await time.advance(2 * HOUR);
    expect(calls).toBe(2);
    expect(errors).toEqual([new Error('database away')]);
    await runner.stop();
  });

  it("waits in steps for a time beyond Node's longest timer", async () => {
    const time = fakeClock('2026-03-01T00:00:00Z');
    let calls = 0;
    const runner = new CronRunner(
      parseCron('0 0 29 2 *'),
      async () => {
        calls += 1;
      },
      { clock: time.clock },
    );
    runner.start();
    expect(runner.nextRun?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
    await time.advance(700 * DAY);
    expect(calls).toBe(0);
    // no timer longer than Node's 2^31 - 1 ms (24.8 days): some thirty waits so far
    expect(time.set()).toBeGreaterThanOrEqual(700 / 24.8);
    await time.advance(30 * DAY);
    expect(calls).toBe(1);
    await runner.stop();
  });
});
