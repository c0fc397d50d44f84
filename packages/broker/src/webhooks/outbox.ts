/**
 * Durable webhook delivery: triggered webhooks wait in an outbox (a table written in the same
 * transaction as the event), and a worker in each broker claims due ones under a lease, sends them,
 * and records each attempt with the next state. A broker that dies mid-attempt loses its lease and
 * another takes the delivery over, so delivery is at least once; every attempt carries the same
 * X-Pact-Broker-Webhook-Delivery-Id for receivers to drop duplicates.
 */
import { randomUUID } from 'node:crypto';
import { brokerError } from '../errors.js';
import { type DeliverOptions, type DeliveryResult, deliver, type OutgoingRequest } from './deliver.js';
import type { WebhookPolicy } from './policy.js';
import { redactHeaders, redactRequest, redactText, secretsOf } from './redact.js';
import { type RequestTemplate, renderRequest, type TemplateData } from './template.js';

/** A triggered webhook's state, named as the reference broker names them. */
export type DeliveryStatus = 'not_run' | 'retrying' | 'success' | 'failure';

/** A due delivery, leased to the broker that claimed it. */
export interface ClaimedDelivery {
  /** The triggered webhook's uuid: the delivery id receivers see. */
  uuid: string;
  webhookUuid: string;
  eventName: string;
  /** The webhook's request as stored, secrets included, templates not yet filled. */
  request: RequestTemplate;
  data: TemplateData;
  /** Attempts recorded before this one. */
  attemptsMade: number;
}

/** One attempt, as the outbox stores it (webhook_executions in the reference). */
export interface AttemptRecord {
  /** 1 for the first attempt. */
  attemptNumber: number;
  startedAt: Date;
  success: boolean;
  /** The response status, when one came. */
  status?: number;
  /** What was sent and received, secrets starred. */
  logs: string;
}

/** The state after an attempt. */
export type AttemptOutcome = { status: 'success' | 'failure' } | { status: 'retrying'; nextAttemptAt: Date };

/**
 * Where triggered webhooks wait. The SQLite and PostgreSQL implementations live in db/; the worker
 * needs only these three operations.
 */
export interface DeliveryOutbox {
  /**
   * Leases up to `limit` due deliveries to `owner` until `leaseUntil`: those not_run or retrying
   * whose next attempt is due (`<= now`) and whose lease is absent or expired. Two brokers never
   * get the same delivery while its lease holds (PostgreSQL: FOR UPDATE SKIP LOCKED).
   */
  claim(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]>;
  /**
   * Records the attempt and the new state and ends the lease, if `owner` still holds it; false (and
   * nothing recorded) when the lease expired and another broker took the delivery over.
   */
  complete(uuid: string, owner: string, attempt: AttemptRecord, outcome: AttemptOutcome): Promise<boolean>;
  /** When the next pending delivery falls due (its next attempt, or its lease's expiry if later); undefined when none is pending. */
  nextDueAt(): Promise<Date | undefined>;
}

/**
 * The state after attempt number `attemptNumber`: success, a retry after the schedule's delay for
 * that attempt, or failure once the schedule is used up (the reference's 6 retries: 7 attempts).
 *
 * @example nextOutcome(false, 1, [10, 60], new Date(0)) // → { status: 'retrying', nextAttemptAt: 1970-01-01T00:00:10Z }
 */
export function nextOutcome(
  success: boolean,
  attemptNumber: number,
  schedule: readonly number[],
  now: Date,
): AttemptOutcome {
  if (success) return { status: 'success' };
  const delaySeconds = schedule[attemptNumber - 1];
  if (delaySeconds === undefined) return { status: 'failure' };
  return { status: 'retrying', nextAttemptAt: new Date(now.getTime() + delaySeconds * 1000) };
}

/**
 * The text of an attempt's log, secrets starred. The response body is shown only when a host
 * allowlist is configured (as in the reference): otherwise the broker would read internal pages
 * back to whoever can run a webhook.
 */
export function attemptLog(
  request: OutgoingRequest,
  result: DeliveryResult,
  context: { attemptNumber: number; showResponseBody: boolean; outcome: AttemptOutcome },
): string {
  const secrets = secretsOf(request);
  const shown = redactRequest(request);
  const lines = [`Attempt ${context.attemptNumber}: ${shown.method.toUpperCase()} ${shown.url}`];
  for (const [name, value] of Object.entries(redactHeaders(result.sentHeaders)))
    lines.push(`${name}: ${value}`);
  if (shown.body !== undefined) lines.push('', shown.body);
  lines.push('');
  if (result.refusal) lines.push(`Not sent: ${result.refusal.message}`);
  else if (result.error) lines.push(`No response: ${redactText(result.error, secrets)}`);
  else if (result.response) {
    const { response } = result;
    lines.push(`Response: ${response.status} after ${result.durationMs} ms`);
    for (const [name, value] of Object.entries(redactHeaders(response.headers)))
      lines.push(`${name}: ${value}`);
    if (response.status >= 300 && response.status < 400 && response.headers.location)
      lines.push('(redirects are not followed)');
    if (context.showResponseBody) {
      lines.push('', redactText(response.body, secrets));
      if (response.truncated) lines.push('(response body cut at the size limit)');
    } else
      lines.push('', '(response body hidden: it is shown when PACT_BROKER_WEBHOOK_HOST_WHITELIST is set)');
  }
  const { outcome } = context;
  lines.push(
    '',
    outcome.status === 'retrying'
      ? `Failed; next attempt at ${outcome.nextAttemptAt.toISOString()}`
      : outcome.status === 'success'
        ? 'Succeeded'
        : 'Failed; no more attempts',
  );
  return lines.join('\n');
}

/** What the worker reports after each attempt, for the broker's log. */
export interface AttemptReport {
  delivery: ClaimedDelivery;
  attempt: AttemptRecord;
  outcome: AttemptOutcome;
  /** False when the lease had been lost and the outcome was not recorded. */
  recorded: boolean;
}

export interface DeliveryWorkerOptions {
  outbox: DeliveryOutbox;
  policy: WebhookPolicy;
  /** Names this broker in leases; a random uuid by default. */
  owner?: string;
  /** How long a claim holds; must exceed an attempt's longest time. Default: both timeouts plus 30 s. */
  leaseMs?: number;
  /** Deliveries in flight at once. Default 16. */
  concurrency?: number;
  /**
   * The longest idle wait between looks at the outbox, for deliveries written by other brokers (this
   * broker's writes that store triggered webhooks call notify). Default 2000 ms.
   */
  pollIntervalMs?: number;
  /** Passed to deliver (a DNS lookup, a connect hook). */
  deliverOptions?: Omit<DeliverOptions, 'policy' | 'deliveryId'>;
  /** Show response bodies in attempt logs. Default: when a host allowlist is configured. */
  showResponseBody?: boolean;
  now?: () => Date;
  onAttempt?: (report: AttemptReport) => void;
  /** Called when the outbox itself fails (a database error); the worker waits a poll interval and goes on. */
  onError?: (error: unknown) => void;
}

/**
 * Sends the outbox's deliveries as they fall due. `notify()` after a transaction that wrote
 * triggered webhooks commits starts their delivery at once; there is no fixed delay.
 *
 * @example
 * const worker = new DeliveryWorker({ outbox, policy: webhookPolicyFromEnv(process.env) });
 * worker.start();
 * await publish(); worker.notify();
 * await worker.stop();
 */
export class DeliveryWorker {
  readonly owner: string;
  private readonly options: DeliveryWorkerOptions;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly now: () => Date;
  private readonly inFlight = new Set<Promise<void>>();
  private running: Promise<void> | undefined;
  private stopping = false;
  private woken = false;
  private wake: (() => void) | undefined;

  constructor(options: DeliveryWorkerOptions) {
    this.options = options;
    this.owner = options.owner ?? randomUUID();
    const attemptMs = options.policy.connectTimeoutMs + options.policy.responseTimeoutMs;
    this.leaseMs = options.leaseMs ?? attemptMs + 30_000;
    // a lease that can end mid-attempt lets a second broker send the same delivery while the first still does
    if (this.leaseMs <= attemptMs)
      throw brokerError(
        'COV_BROKER_CONFIG_INVALID',
        `the webhook lease (${this.leaseMs} ms) must be longer than an attempt can take (connect and response timeouts: ${attemptMs} ms)`,
      );
    this.concurrency = options.concurrency ?? 16;
    this.pollIntervalMs = options.pollIntervalMs ?? 2_000;
    this.now = options.now ?? (() => new Date());
  }

  /** Starts the loop (again after stop). */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** Looks at the outbox now: call after committing triggered webhooks. */
  notify(): void {
    this.poke();
  }

  /** Ends the current (or the next) idle wait: flagged, so a poke while the loop is busy is not lost. */
  private poke(): void {
    this.woken = true;
    this.wake?.();
  }

  /** Stops claiming and waits for the attempts in flight to be recorded. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      this.woken = false;
      const room = this.concurrency - this.inFlight.size;
      let claimed: ClaimedDelivery[] = [];
      let failed = false;
      if (room > 0) {
        try {
          const now = this.now();
          claimed = await this.options.outbox.claim(
            this.owner,
            now,
            new Date(now.getTime() + this.leaseMs),
            room,
          );
        } catch (error) {
          failed = true;
          this.options.onError?.(error);
        }
      }
      for (const delivery of claimed) {
        const attempt: Promise<void> = this.attempt(delivery).finally(() => {
          this.inFlight.delete(attempt);
          this.poke(); // a slot is free
        });
        this.inFlight.add(attempt);
      }
      if (claimed.length === room && room > 0) continue; // there may be more due right now
      if (this.woken || this.stopping) continue;
      await this.sleep(failed ? this.pollIntervalMs : await this.idleWait());
    }
    await Promise.all(this.inFlight);
  }

  /** Until the next delivery falls due, at most a poll interval, at least a few ms (no busy loop). */
  private async idleWait(): Promise<number> {
    if (this.inFlight.size >= this.concurrency) return this.pollIntervalMs;
    try {
      const due = await this.options.outbox.nextDueAt();
      if (!due) return this.pollIntervalMs;
      return Math.min(this.pollIntervalMs, Math.max(5, due.getTime() - this.now().getTime()));
    } catch (error) {
      this.options.onError?.(error);
      return this.pollIntervalMs;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const { policy } = this.options;
    const startedAt = this.now();
    const attemptNumber = delivery.attemptsMade + 1;
    const request = renderRequest(delivery.request, delivery.data);
    const result = await deliver(request, {
      ...this.options.deliverOptions,
      policy,
      deliveryId: delivery.uuid,
    });
    // a refused target stays refused: retrying would only repeat the refusal
    const outcome: AttemptOutcome = result.refusal
      ? { status: 'failure' }
      : nextOutcome(result.success, attemptNumber, policy.retrySchedule, this.now());
    const record: AttemptRecord = {
      attemptNumber,
      startedAt,
      success: result.success,
      ...(result.response ? { status: result.response.status } : {}),
      logs: attemptLog(request, result, {
        attemptNumber,
        showResponseBody: this.options.showResponseBody ?? policy.hosts.length > 0,
        outcome,
      }),
    };
    let recorded = false;
    try {
      recorded = await this.options.outbox.complete(delivery.uuid, this.owner, record, outcome);
    } catch (error) {
      // the lease runs out and the delivery is attempted again: at least once
      this.options.onError?.(error);
    }
    this.options.onAttempt?.({ delivery, attempt: record, outcome, recorded });
  }
}
