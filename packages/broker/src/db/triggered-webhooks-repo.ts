import type { Insertable, Selectable } from 'kysely';
import type { WebhookEvent } from '../webhooks/events.js';
import type {
  AttemptOutcome,
  AttemptRecord,
  ClaimedDelivery,
  DeliveryOutbox,
  DeliveryStatus,
} from '../webhooks/outbox.js';
import type { RequestTemplate, TemplateData, TemplateVersion } from '../webhooks/template.js';
import type { BrokerDatabase } from './connect.js';
import { branchesOf, type Db, now, tagsOf } from './pacticipants-repo.js';
import type { Database } from './schema.js';

// The webhook outbox (triggered_webhooks, webhook_executions) and the reads that gather an
// event's template data: every query on those tables.

export type TriggeredWebhookRow = Selectable<Database['triggered_webhooks']>;
export type ExecutionRow = Selectable<Database['webhook_executions']>;

/** A triggered webhook to store in the event's own transaction. */
export interface NewTriggeredWebhook {
  uuid: string;
  webhookUuid: string;
  eventName: WebhookEvent;
  data: TemplateData;
  consumerId: number;
  providerId: number;
  pactVersionId?: number;
  consumerVersionId?: number;
  verificationId?: number;
}

/**
 * How many triggered webhooks each write transaction (the `trx` its work is given) has stored: the
 * request context wakes the delivery worker only after a write that stored some, not after every one.
 */
const storedInTransaction = new WeakMap<Db, number>();

/** How many triggered webhooks this transaction has stored so far. */
export const triggeredWebhooksStoredIn = (trx: Db): number => storedInTransaction.get(trx) ?? 0;

/** Stores triggered webhooks, due at once; webhooks deleted meanwhile are skipped. */
export async function insertTriggeredWebhooks(db: Db, rows: NewTriggeredWebhook[]): Promise<void> {
  if (rows.length === 0) return;
  const ids = new Map(
    (
      await db
        .selectFrom('webhooks')
        .select(['id', 'uuid'])
        .where(
          'uuid',
          'in',
          rows.map((r) => r.webhookUuid),
        )
        .execute()
    ).map((w) => [w.uuid, w.id]),
  );
  const at = now();
  const values: Insertable<Database['triggered_webhooks']>[] = rows.flatMap((r) => {
    const webhookId = ids.get(r.webhookUuid);
    if (webhookId === undefined) return [];
    return [
      {
        uuid: r.uuid,
        webhook_id: webhookId,
        event_name: r.eventName,
        data: JSON.stringify(r.data),
        consumer_id: r.consumerId,
        provider_id: r.providerId,
        pact_version_id: r.pactVersionId ?? null,
        consumer_version_id: r.consumerVersionId ?? null,
        verification_id: r.verificationId ?? null,
        status: 'not_run',
        attempts: 0,
        next_attempt_at: at,
        created_at: at,
        updated_at: at,
      },
    ];
  });
  if (values.length === 0) return;
  await db.insertInto('triggered_webhooks').values(values).execute();
  storedInTransaction.set(db, triggeredWebhooksStoredIn(db) + values.length);
}

/**
 * The outbox the delivery worker reads, over the broker's database. PostgreSQL: the due rows are
 * locked with FOR UPDATE SKIP LOCKED, so brokers sharing the database claim different rows. SQLite:
 * the claim runs in the single writer's transaction, so no two claims overlap.
 */
export function deliveryOutbox(database: BrokerDatabase): DeliveryOutbox {
  const postgres = database.dialect === 'postgres';
  const inTransaction = <T>(work: (trx: Db) => Promise<T>): Promise<T> =>
    postgres ? database.db.transaction().execute(work) : database.write(work);
  /** The triggered webhooks due at `time` and not leased, oldest first. */
  const due = (db: Db, time: string, limit: number) =>
    db
      .selectFrom('triggered_webhooks')
      .select('id')
      .where('status', 'in', ['not_run', 'retrying'])
      .where('next_attempt_at', '<=', time)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', time)]))
      .orderBy('id')
      .limit(limit);
  return {
    async claim(owner, at, leaseUntil, limit) {
      const time = at.toISOString();
      // The worker also looks on every poll and after every attempt, and most looks find nothing
      // due: a plain read says so without a write transaction (on SQLite a commit and a log sync,
      // in the writers' queue)
      if ((await due(database.db, time, 1).execute()).length === 0) return [];
      return inTransaction(async (trx) => {
        const query = due(trx, time, limit);
        const ids = (await (postgres ? query.forUpdate().skipLocked() : query).execute()).map((r) => r.id);
        if (ids.length === 0) return [];
        await trx
          .updateTable('triggered_webhooks')
          .set({ lease_owner: owner, lease_until: leaseUntil.toISOString() })
          .where('id', 'in', ids)
          .execute();
        const rows = await trx
          .selectFrom('triggered_webhooks as t')
          .innerJoin('webhooks as w', 'w.id', 't.webhook_id')
          .select(['t.uuid', 'w.uuid as webhook_uuid', 't.event_name', 't.data', 't.attempts', 'w.request'])
          .where('t.id', 'in', ids)
          .orderBy('t.id')
          .execute();
        return rows.map(
          (r): ClaimedDelivery => ({
            uuid: r.uuid,
            webhookUuid: r.webhook_uuid,
            eventName: r.event_name,
            request: JSON.parse(r.request) as RequestTemplate,
            data: JSON.parse(r.data) as TemplateData,
            attemptsMade: r.attempts,
          }),
        );
      });
    },
    complete(uuid, owner, attempt, outcome) {
      return inTransaction(async (trx) => {
        const row = await trx
          .selectFrom('triggered_webhooks')
          .select(['id', 'lease_owner'])
          .where('uuid', '=', uuid)
          .executeTakeFirst();
        if (!row || row.lease_owner !== owner) return false;
        await recordAttempt(trx, row.id, attempt, outcome, owner);
        return true;
      });
    },
    async nextDueAt() {
      const row = await database.db
        .selectFrom('triggered_webhooks')
        .select(['next_attempt_at', 'lease_until'])
        .where('status', 'in', ['not_run', 'retrying'])
        .orderBy('next_attempt_at')
        .limit(1)
        .executeTakeFirst();
      if (!row) return undefined;
      const due = Date.parse(row.next_attempt_at);
      const lease = row.lease_until ? Date.parse(row.lease_until) : 0;
      return new Date(Math.max(due, lease));
    },
  };
}

async function recordAttempt(
  trx: Db,
  id: number,
  attempt: AttemptRecord,
  outcome: AttemptOutcome,
  owner: string,
): Promise<void> {
  const updated = await trx
    .updateTable('triggered_webhooks')
    .set((eb) => ({
      status: outcome.status,
      attempts: eb('attempts', '+', 1),
      ...(outcome.status === 'retrying' ? { next_attempt_at: outcome.nextAttemptAt.toISOString() } : {}),
      lease_owner: null,
      lease_until: null,
      updated_at: now(),
    }))
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return;
  await trx
    .insertInto('webhook_executions')
    .values({
      triggered_webhook_id: id,
      attempt_number: attempt.attemptNumber,
      success: attempt.success ? 1 : 0,
      response_status: attempt.status ?? null,
      logs: attempt.logs,
      created_at: attempt.startedAt.toISOString(),
    })
    .execute();
}

/** A triggered webhook as the API lists it. */
export interface TriggeredWebhookView {
  uuid: string;
  webhookUuid: string;
  eventName: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  createdAt: string;
  updatedAt: string;
  consumerName: string;
  providerName: string;
}

const triggeredViews = (db: Db) =>
  db
    .selectFrom('triggered_webhooks as t')
    .innerJoin('webhooks as w', 'w.id', 't.webhook_id')
    .innerJoin('pacticipants as c', 'c.id', 't.consumer_id')
    .innerJoin('pacticipants as p', 'p.id', 't.provider_id')
    .select([
      't.id',
      't.uuid',
      'w.uuid as webhook_uuid',
      't.event_name',
      't.status',
      't.attempts',
      't.next_attempt_at',
      't.created_at',
      't.updated_at',
      'c.name as consumer_name',
      'p.name as provider_name',
    ]);

const toView = (r: Awaited<ReturnType<ReturnType<typeof triggeredViews>['execute']>>[number]) => ({
  uuid: r.uuid,
  webhookUuid: r.webhook_uuid,
  eventName: r.event_name,
  status: r.status as DeliveryStatus,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  consumerName: r.consumer_name,
  providerName: r.provider_name,
});

/** Triggered webhooks, oldest first, of a pact version, a consumer version, a verification or an integration. */
export async function triggeredWebhooksWhere(
  db: Db,
  where:
    | { pactVersionId: number }
    | { consumerVersionId: number; providerId: number }
    | { verificationId: number }
    | { consumerId: number; providerId: number },
): Promise<TriggeredWebhookView[]> {
  let q = triggeredViews(db);
  if ('pactVersionId' in where) q = q.where('t.pact_version_id', '=', where.pactVersionId);
  else if ('verificationId' in where) q = q.where('t.verification_id', '=', where.verificationId);
  else if ('consumerVersionId' in where)
    q = q
      .where('t.consumer_version_id', '=', where.consumerVersionId)
      .where('t.provider_id', '=', where.providerId);
  else q = q.where('t.consumer_id', '=', where.consumerId).where('t.provider_id', '=', where.providerId);
  return (await q.orderBy('t.id').execute()).map(toView);
}

/** One triggered webhook and its attempts, oldest first. */
export async function triggeredWebhookWithAttempts(
  db: Db,
  uuid: string,
): Promise<{ triggered: TriggeredWebhookView; attempts: ExecutionRow[] } | undefined> {
  const row = await triggeredViews(db).where('t.uuid', '=', uuid).executeTakeFirst();
  if (!row) return undefined;
  const attempts = await db
    .selectFrom('webhook_executions')
    .selectAll()
    .where('triggered_webhook_id', '=', row.id)
    .orderBy('id')
    .execute();
  return { triggered: toView(row), attempts };
}

/**
 * An integration's triggered webhooks, oldest first, each with its attempts, oldest first: two
 * queries however many deliveries there are.
 */
export async function integrationTriggeredWithAttempts(
  db: Db,
  consumerId: number,
  providerId: number,
): Promise<{ triggered: TriggeredWebhookView; attempts: ExecutionRow[] }[]> {
  const [rows, attempts] = await Promise.all([
    triggeredViews(db)
      .where('t.consumer_id', '=', consumerId)
      .where('t.provider_id', '=', providerId)
      .orderBy('t.id')
      .execute(),
    db
      .selectFrom('webhook_executions as e')
      .innerJoin('triggered_webhooks as t', 't.id', 'e.triggered_webhook_id')
      .selectAll('e')
      .where('t.consumer_id', '=', consumerId)
      .where('t.provider_id', '=', providerId)
      .orderBy('e.id')
      .execute(),
  ]);
  const byTriggered = new Map<number, ExecutionRow[]>();
  for (const a of attempts) {
    const list = byTriggered.get(a.triggered_webhook_id);
    if (list) list.push(a);
    else byTriggered.set(a.triggered_webhook_id, [a]);
  }
  return rows.map((r) => ({ triggered: toView(r), attempts: byTriggered.get(r.id) ?? [] }));
}

/**
 * Per integration (`consumer/provider` by name), the statuses of the triggered webhooks of its latest
 * event (those created in the same transaction as the newest one), for the index page's column.
 */
export async function latestTriggeredStatuses(db: Db): Promise<Map<string, DeliveryStatus[]>> {
  const rows = await db
    .selectFrom('triggered_webhooks as t')
    .innerJoin('pacticipants as c', 'c.id', 't.consumer_id')
    .innerJoin('pacticipants as p', 'p.id', 't.provider_id')
    .select(['c.name as consumer', 'p.name as provider', 't.status', 't.created_at'])
    .orderBy('t.id', 'desc')
    .execute();
  const newest = new Map<string, string>();
  const statuses = new Map<string, DeliveryStatus[]>();
  for (const r of rows) {
    const key = `${r.consumer}/${r.provider}`;
    const first = newest.get(key) ?? r.created_at;
    newest.set(key, first);
    if (r.created_at !== first) continue;
    statuses.set(key, [...(statuses.get(key) ?? []), r.status as DeliveryStatus]);
  }
  return statuses;
}

/** Whether any webhook exists (the index's column says `none` otherwise). */
export async function anyWebhook(db: Db): Promise<boolean> {
  return (await db.selectFrom('webhooks').select('id').limit(1).executeTakeFirst()) !== undefined;
}

// --- the data an event's templates are filled from ---

/** A version's number, branch, tags and build URL, as the templates see it. */
export async function templateVersion(db: Db, versionId: number): Promise<TemplateVersion | undefined> {
  const row = await db
    .selectFrom('versions')
    .select(['number', 'build_url'])
    .where('id', '=', versionId)
    .executeTakeFirst();
  if (!row) return undefined;
  const [branches, tags] = await Promise.all([branchesOf(db, [versionId]), tagsOf(db, [versionId])]);
  const branch = branches.get(versionId)?.at(-1);
  return {
    number: row.number,
    ...(branch !== undefined ? { branch } : {}),
    tags: tags.get(versionId) ?? [],
    ...(row.build_url ? { buildUrl: row.build_url } : {}),
  };
}

/** The labels of these pacticipants, by id. */
export async function labelsById(db: Db, ids: number[]): Promise<Map<number, string[]>> {
  const rows = await db
    .selectFrom('labels')
    .select(['pacticipant_id', 'name'])
    .where('pacticipant_id', 'in', ids)
    .orderBy('name')
    .execute();
  const out = new Map<number, string[]>(ids.map((id) => [id, []]));
  for (const r of rows) out.get(r.pacticipant_id)?.push(r.name);
  return out;
}

/**
 * The content shas of the pacts published before this one between the two, on the integration's
 * latest line and on the consumer version's branches: what contract_content_changed compares with.
 */
export async function previousPactShas(
  db: Db,
  consumerId: number,
  providerId: number,
  beforePublicationId: number,
  consumerVersionId: number,
): Promise<Array<string | undefined>> {
  const previous = db
    .selectFrom('pact_publications as pp')
    .innerJoin('pact_versions as pv', 'pv.id', 'pp.pact_version_id')
    .select('pv.sha')
    .where('pp.consumer_id', '=', consumerId)
    .where('pp.provider_id', '=', providerId)
    .where('pp.id', '<', beforePublicationId)
    .orderBy('pp.id', 'desc')
    .limit(1);
  const latest = await previous.executeTakeFirst();
  const branchIds = (
    await db
      .selectFrom('branch_versions')
      .select('branch_id')
      .where('version_id', '=', consumerVersionId)
      .execute()
  ).map((r) => r.branch_id);
  const onBranches = await Promise.all(
    branchIds.map((branchId) =>
      previous
        .innerJoin('branch_versions as bv', 'bv.version_id', 'pp.consumer_version_id')
        .where('bv.branch_id', '=', branchId)
        .executeTakeFirst(),
    ),
  );
  return [latest?.sha, ...onBranches.map((r) => r?.sha)];
}

/** The id of the newest publication of a consumer version's pact with a provider. */
export async function newestPublicationId(
  db: Db,
  consumerVersionId: number,
  providerId: number,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('pact_publications')
    .select('id')
    .where('consumer_version_id', '=', consumerVersionId)
    .where('provider_id', '=', providerId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/**
 * The provider versions that may have to verify a pact: the latest on the provider's main branch,
 * those currently deployed and those released and supported (with their environment), and the
 * numbers of those that already verified the pact version.
 */
export async function providerVersionsInPlay(db: Db, providerId: number, pactVersionId: number) {
  const provider = await db
    .selectFrom('pacticipants')
    .select('main_branch')
    .where('id', '=', providerId)
    .executeTakeFirst();
  const mainHead = provider?.main_branch
    ? await db
        .selectFrom('branch_versions as bv')
        .innerJoin('branches as b', 'b.id', 'bv.branch_id')
        .select('bv.version_id')
        .where('b.pacticipant_id', '=', providerId)
        .where('b.name', '=', provider.main_branch)
        .orderBy('bv.version_id', 'desc')
        .limit(1)
        .executeTakeFirst()
    : undefined;
  const deployed = await db
    .selectFrom('deployed_versions as d')
    .innerJoin('environments as e', 'e.id', 'd.environment_id')
    .select(['d.version_id', 'e.name as environment'])
    .where('d.pacticipant_id', '=', providerId)
    .where('d.undeployed_at', 'is', null)
    .orderBy('d.id')
    .execute();
  const released = await db
    .selectFrom('released_versions as r')
    .innerJoin('environments as e', 'e.id', 'r.environment_id')
    .select(['r.version_id', 'e.name as environment'])
    .where('r.pacticipant_id', '=', providerId)
    .where('r.support_ended_at', 'is', null)
    .orderBy('r.id')
    .execute();
  const verified = await db
    .selectFrom('verifications as v')
    .innerJoin('versions as pv', 'pv.id', 'v.provider_version_id')
    .select('pv.number')
    .where('v.pact_version_id', '=', pactVersionId)
    .execute();
  const version = async (id: number) => (await templateVersion(db, id))!;
  return {
    ...(mainHead ? { latestMainBranchVersion: await version(mainHead.version_id) } : {}),
    deployed: await Promise.all(
      deployed.map(async (d) => ({ version: await version(d.version_id), environment: d.environment })),
    ),
    releasedAndSupported: await Promise.all(
      released.map(async (r) => ({ version: await version(r.version_id), environment: r.environment })),
    ),
    alreadyVerified: verified.map((v) => v.number),
  };
}

/** The newest consumer version that published this pact version: a verification's own consumer version. */
export async function consumerVersionOfPact(db: Db, pactVersionId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('pact_publications')
    .select('consumer_version_id')
    .where('pact_version_id', '=', pactVersionId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.consumer_version_id;
}

/**
 * The consumer versions among these numbers that published this pact version, oldest first: the
 * ones a verification's metadata may fan out to (a number that did not publish the content is not).
 */
export async function consumerVersionsOfPact(
  db: Db,
  pactVersionId: number,
  numbers: readonly string[],
): Promise<number[]> {
  if (numbers.length === 0) return [];
  const rows = await db
    .selectFrom('pact_publications as pp')
    .innerJoin('versions as v', 'v.id', 'pp.consumer_version_id')
    .select('pp.consumer_version_id')
    .distinct()
    .where('pp.pact_version_id', '=', pactVersionId)
    .where('v.number', 'in', [...numbers])
    .orderBy('pp.consumer_version_id')
    .execute();
  return rows.map((r) => r.consumer_version_id);
}

/** The newest pact of an integration: the data an execute without an event is run against. */
export async function latestPactOf(db: Db, consumerId: number, providerId: number) {
  return db
    .selectFrom('pact_publications as pp')
    .innerJoin('pact_versions as pv', 'pv.id', 'pp.pact_version_id')
    .select(['pp.consumer_version_id', 'pv.id as pact_version_id', 'pv.sha'])
    .where('pp.consumer_id', '=', consumerId)
    .where('pp.provider_id', '=', providerId)
    .orderBy('pp.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The newest pact of all, for an execute of a webhook that names no pacticipants. */
export async function latestPactAnywhere(db: Db) {
  return db
    .selectFrom('pact_publications as pp')
    .innerJoin('pact_versions as pv', 'pv.id', 'pp.pact_version_id')
    .innerJoin('pacticipants as c', 'c.id', 'pp.consumer_id')
    .innerJoin('pacticipants as p', 'p.id', 'pp.provider_id')
    .select([
      'pp.consumer_version_id',
      'pv.id as pact_version_id',
      'pv.sha',
      'c.id as consumer_id',
      'c.name as consumer_name',
      'p.id as provider_id',
      'p.name as provider_name',
    ])
    .orderBy('pp.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The newest verification of a pact version, for an execute's template data. */
export async function latestVerificationOfPactVersion(db: Db, pactVersionId: number) {
  return db
    .selectFrom('verifications')
    .select(['id', 'success', 'build_url', 'provider_version_id'])
    .where('pact_version_id', '=', pactVersionId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
