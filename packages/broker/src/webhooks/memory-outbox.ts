/**
 * An in-memory DeliveryOutbox for unit tests of the worker; the broker stores its outbox in the
 * database (db/), which is what makes delivery survive a restart.
 */
import type {
  AttemptOutcome,
  AttemptRecord,
  ClaimedDelivery,
  DeliveryOutbox,
  DeliveryStatus,
} from './outbox.js';

export interface StoredDelivery extends Omit<ClaimedDelivery, 'attemptsMade'> {
  status: DeliveryStatus;
  nextAttemptAt: Date;
  lease?: { owner: string; until: Date };
  attempts: AttemptRecord[];
}

export class MemoryOutbox implements DeliveryOutbox {
  readonly deliveries = new Map<string, StoredDelivery>();

  /** Adds a triggered webhook, due at once (or at `dueAt`). */
  add(delivery: Omit<ClaimedDelivery, 'attemptsMade'>, dueAt = new Date(0)): void {
    this.deliveries.set(delivery.uuid, {
      ...delivery,
      status: 'not_run',
      nextAttemptAt: dueAt,
      attempts: [],
    });
  }

  async claim(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    const due = [...this.deliveries.values()]
      .filter(
        (d) =>
          (d.status === 'not_run' || d.status === 'retrying') &&
          d.nextAttemptAt <= now &&
          (!d.lease || d.lease.until <= now),
      )
      .slice(0, limit);
    return due.map((d) => {
      d.lease = { owner, until: leaseUntil };
      const { status: _s, nextAttemptAt: _n, lease: _l, attempts, ...claimed } = d;
      return { ...claimed, attemptsMade: attempts.length };
    });
  }

  async complete(
    uuid: string,
    owner: string,
    attempt: AttemptRecord,
    outcome: AttemptOutcome,
  ): Promise<boolean> {
    const d = this.deliveries.get(uuid);
    if (!d || d.lease?.owner !== owner) return false;
    d.attempts.push(attempt);
    d.status = outcome.status;
    if (outcome.status === 'retrying') d.nextAttemptAt = outcome.nextAttemptAt;
    delete d.lease;
    return true;
  }

  async nextDueAt(): Promise<Date | undefined> {
    const times = [...this.deliveries.values()]
      .filter((d) => d.status === 'not_run' || d.status === 'retrying')
      .map((d) => Math.max(d.nextAttemptAt.getTime(), d.lease?.until.getTime() ?? 0));
    return times.length === 0 ? undefined : new Date(Math.min(...times));
  }
}
