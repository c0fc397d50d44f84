import type { Selectable } from 'kysely';
import { type Db, now } from './pacticipants-repo.js';
import type { Database } from './schema.js';

// Webhooks: every query on the webhooks table.

export type WebhookRow = Selectable<Database['webhooks']>;

/** A webhook's stored fields, less its uuid and timestamps. */
export type WebhookColumns = Omit<WebhookRow, 'id' | 'uuid' | 'created_at' | 'updated_at'>;

export async function findWebhookRow(db: Db, uuid: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('uuid', '=', uuid).executeTakeFirst();
}

/** Stores a webhook; with `unlessTaken`, false when the uuid was taken (by a concurrent request). */
export async function insertWebhookRow(
  db: Db,
  uuid: string,
  columns: WebhookColumns,
  options: { unlessTaken?: boolean } = {},
): Promise<boolean> {
  const at = now();
  let insert = db.insertInto('webhooks').values({ uuid, ...columns, created_at: at, updated_at: at });
  if (options.unlessTaken) insert = insert.onConflict((oc) => oc.column('uuid').doNothing());
  const result = await insert.executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateWebhookRow(db: Db, uuid: string, columns: WebhookColumns): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({ ...columns, updated_at: now() })
    .where('uuid', '=', uuid)
    .execute();
}

/** Deletes the webhook; false when there was none. */
export async function deleteWebhookRow(db: Db, uuid: string): Promise<boolean> {
  const result = await db.deleteFrom('webhooks').where('uuid', '=', uuid).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Webhook rows, oldest first: all, or those whose consumer and provider names are exactly the
 * scope's (a side the scope leaves out: no named pacticipant on that side).
 */
export async function listWebhookRows(
  db: Db,
  scope?: { consumer?: string; provider?: string },
): Promise<WebhookRow[]> {
  let query = db.selectFrom('webhooks').selectAll();
  if (scope) {
    query =
      scope.consumer !== undefined
        ? query.where('consumer_name', '=', scope.consumer)
        : query.where('consumer_name', 'is', null);
    query =
      scope.provider !== undefined
        ? query.where('provider_name', '=', scope.provider)
        : query.where('provider_name', 'is', null);
  }
  return query.orderBy('id').execute();
}
