import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** The broker's migrations, in code: the same steps build the SQLite and the PostgreSQL schema. */
export function migrations(dialect: Dialect): MigrationProvider {
  // biome-ignore lint/suspicious/noExplicitAny: migrations build tables that the typed schema doesn't know yet
  type Db = Kysely<any>;
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const withId = (db: Db, table: string) =>
    db.schema
      .createTable(table)
      .addColumn('id', id, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()));
  const initial: Migration = {
    async up(db: Db) {
      await withId(db, 'pacticipants')
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text')
        .addColumn('repository_url', 'text')
        .addColumn('main_branch', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await withId(db, 'versions')
        .addColumn('pacticipant_id', 'integer', (c) =>
          c.notNull().references('pacticipants.id').onDelete('cascade'),
        )
        .addColumn('number', 'text', (c) => c.notNull())
        .addColumn('build_url', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('versions_pacticipant_number', ['pacticipant_id', 'number'])
        .execute();
      await db.schema
        .createIndex('versions_pacticipant_order')
        .on('versions')
        .columns(['pacticipant_id', 'id'])
        .execute();
      await withId(db, 'branches')
        .addColumn('pacticipant_id', 'integer', (c) =>
          c.notNull().references('pacticipants.id').onDelete('cascade'),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('branches_pacticipant_name', ['pacticipant_id', 'name'])
        .execute();
      await withId(db, 'branch_versions')
        .addColumn('branch_id', 'integer', (c) => c.notNull().references('branches.id').onDelete('cascade'))
        .addColumn('version_id', 'integer', (c) => c.notNull().references('versions.id').onDelete('cascade'))
        .addColumn('pacticipant_id', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('branch_versions_branch_version', ['branch_id', 'version_id'])
        .execute();
      await db.schema
        .createIndex('branch_versions_branch_order')
        .on('branch_versions')
        .columns(['branch_id', 'version_id'])
        .execute();
      await db.schema
        .createIndex('branch_versions_version')
        .on('branch_versions')
        .column('version_id')
        .execute();
      await withId(db, 'tags')
        .addColumn('version_id', 'integer', (c) => c.notNull().references('versions.id').onDelete('cascade'))
        .addColumn('pacticipant_id', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('tags_version_name', ['version_id', 'name'])
        .execute();
      await db.schema
        .createIndex('tags_pacticipant_name_version')
        .on('tags')
        .columns(['pacticipant_id', 'name', 'version_id'])
        .execute();
      await withId(db, 'pact_versions')
        .addColumn('consumer_id', 'integer', (c) =>
          c.notNull().references('pacticipants.id').onDelete('cascade'),
        )
        .addColumn('provider_id', 'integer', (c) =>
          c.notNull().references('pacticipants.id').onDelete('cascade'),
        )
        .addColumn('sha', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('pact_versions_consumer_provider_sha', ['consumer_id', 'provider_id', 'sha'])
        .execute();
      await withId(db, 'pact_publications')
        .addColumn('consumer_id', 'integer', (c) => c.notNull())
        .addColumn('provider_id', 'integer', (c) => c.notNull())
        .addColumn('consumer_version_id', 'integer', (c) =>
          c.notNull().references('versions.id').onDelete('cascade'),
        )
        .addColumn('pact_version_id', 'integer', (c) =>
          c.notNull().references('pact_versions.id').onDelete('cascade'),
        )
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('pact_publications_version_provider_revision', [
          'consumer_version_id',
          'provider_id',
          'revision',
        ])
        .execute();
      await db.schema
        .createIndex('pact_publications_provider_consumer_version')
        .on('pact_publications')
        .columns(['provider_id', 'consumer_id', 'consumer_version_id'])
        .execute();
      await db.schema
        .createIndex('pact_publications_pact_version')
        .on('pact_publications')
        .column('pact_version_id')
        .execute();
      await withId(db, 'verifications')
        .addColumn('pact_version_id', 'integer', (c) =>
          c.notNull().references('pact_versions.id').onDelete('cascade'),
        )
        .addColumn('consumer_id', 'integer', (c) => c.notNull())
        .addColumn('provider_id', 'integer', (c) => c.notNull())
        .addColumn('provider_version_id', 'integer', (c) =>
          c.notNull().references('versions.id').onDelete('cascade'),
        )
        .addColumn('success', 'integer', (c) => c.notNull())
        .addColumn('build_url', 'text')
        .addColumn('test_results', 'text')
        .addColumn('verified_by', 'text')
        .addColumn('wip', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('pact_pending', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('verifications_pact_version_provider_version')
        .on('verifications')
        .columns(['pact_version_id', 'provider_version_id', 'id'])
        .execute();
      await db.schema
        .createIndex('verifications_provider_version')
        .on('verifications')
        .columns(['provider_version_id'])
        .execute();
      await withId(db, 'environments')
        .addColumn('uuid', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text')
        .addColumn('production', 'integer', (c) => c.notNull())
        .addColumn('contacts', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await withId(db, 'deployed_versions')
        .addColumn('uuid', 'text', (c) => c.notNull().unique())
        .addColumn('version_id', 'integer', (c) => c.notNull().references('versions.id').onDelete('cascade'))
        .addColumn('pacticipant_id', 'integer', (c) => c.notNull())
        .addColumn('environment_id', 'integer', (c) =>
          c.notNull().references('environments.id').onDelete('cascade'),
        )
        .addColumn('application_instance', 'text')
        .addColumn('undeployed_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('deployed_versions_current')
        .on('deployed_versions')
        .columns(['environment_id', 'pacticipant_id', 'undeployed_at'])
        .execute();
      await withId(db, 'released_versions')
        .addColumn('uuid', 'text', (c) => c.notNull().unique())
        .addColumn('version_id', 'integer', (c) => c.notNull().references('versions.id').onDelete('cascade'))
        .addColumn('pacticipant_id', 'integer', (c) => c.notNull())
        .addColumn('environment_id', 'integer', (c) =>
          c.notNull().references('environments.id').onDelete('cascade'),
        )
        .addColumn('support_ended_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('released_versions_version_environment', ['version_id', 'environment_id'])
        .execute();
      await db.schema
        .createTable('labels')
        .addColumn('pacticipant_id', 'integer', (c) =>
          c.notNull().references('pacticipants.id').onDelete('cascade'),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('labels_pk', ['pacticipant_id', 'name'])
        .execute();
      await withId(db, 'webhooks')
        .addColumn('uuid', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text')
        .addColumn('consumer_name', 'text')
        .addColumn('provider_name', 'text')
        .addColumn('consumer_label', 'text')
        .addColumn('provider_label', 'text')
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('request', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      if (dialect === 'sqlite') await sql`PRAGMA foreign_keys = ON`.execute(db);
    },
  };
  // Indexes for reads at scale (docs/decisions/0006-broker-scale.md). Every step may already have
  // been done: SQLite runs DDL outside a transaction here, so a start interrupted during this
  // migration (seconds on a large database) leaves some of it applied, and the next start redoes it.
  const readsAtScale: Migration = {
    async up(db: Db) {
      // The matrix looks for each pact version's latest verification by given provider versions:
      // with success and date in the index, it reads the index alone instead of every verification
      // row of the pact version (hundreds at scale). It replaces the index on the same key.
      if (dialect === 'postgres')
        await sql`CREATE INDEX IF NOT EXISTS verifications_pact_version_latest ON verifications
          (pact_version_id, provider_version_id, id) INCLUDE (success, created_at)`.execute(db);
      else
        await db.schema
          .createIndex('verifications_pact_version_latest')
          .ifNotExists()
          .on('verifications')
          .columns(['pact_version_id', 'provider_version_id', 'id', 'success', 'created_at'])
          .execute();
      await db.schema.dropIndex('verifications_pact_version_provider_version').ifExists().execute();
      // a version's current deployments (matrix rows, version pages) and an environment's releases
      await db.schema
        .createIndex('deployed_versions_version')
        .ifNotExists()
        .on('deployed_versions')
        .column('version_id')
        .execute();
      await db.schema
        .createIndex('released_versions_environment_pacticipant')
        .ifNotExists()
        .on('released_versions')
        .columns(['environment_id', 'pacticipant_id'])
        .execute();
    },
  };
  // The webhook outbox (docs/decisions/0009-webhook-delivery.md): a triggered webhook is written in
  // the transaction of the event that fired it and waits here, across restarts, until delivered.
  const webhookOutbox: Migration = {
    async up(db: Db) {
      await withId(db, 'triggered_webhooks')
        .addColumn('uuid', 'text', (c) => c.notNull().unique())
        .addColumn('webhook_id', 'integer', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
        .addColumn('event_name', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('consumer_id', 'integer', (c) => c.notNull())
        .addColumn('provider_id', 'integer', (c) => c.notNull())
        .addColumn('pact_version_id', 'integer')
        .addColumn('consumer_version_id', 'integer')
        .addColumn('verification_id', 'integer')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // the worker's claim: pending rows by due time
      await db.schema
        .createIndex('triggered_webhooks_due')
        .on('triggered_webhooks')
        .columns(['status', 'next_attempt_at'])
        .execute();
      await db.schema
        .createIndex('triggered_webhooks_integration')
        .on('triggered_webhooks')
        .columns(['consumer_id', 'provider_id', 'id'])
        .execute();
      await withId(db, 'webhook_executions')
        .addColumn('triggered_webhook_id', 'integer', (c) =>
          c.notNull().references('triggered_webhooks.id').onDelete('cascade'),
        )
        .addColumn('attempt_number', 'integer', (c) => c.notNull())
        .addColumn('success', 'integer', (c) => c.notNull())
        .addColumn('response_status', 'integer')
        .addColumn('logs', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('webhook_executions_triggered')
        .on('webhook_executions')
        .columns(['triggered_webhook_id', 'id'])
        .execute();
    },
  };
  // Provider contracts (bi-directional testing, docs/decisions/0013-provider-contract-comparison.md):
  // one OpenAPI/AsyncAPI document per provider version, the comparisons cached by (pact sha,
  // contract sha), and a verification row per comparison, marked with the contract it came from.
  const providerContracts: Migration = {
    async up(db: Db) {
      await withId(db, 'provider_contracts')
        .addColumn('provider_id', 'integer', (c) =>
          c.notNull().references('pacticipants.id').onDelete('cascade'),
        )
        .addColumn('provider_version_id', 'integer', (c) =>
          c.notNull().unique().references('versions.id').onDelete('cascade'),
        )
        .addColumn('sha', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('specification', 'text', (c) => c.notNull())
        .addColumn('self_verified', 'integer', (c) => c.notNull())
        .addColumn('self_verification', 'text')
        .addColumn('build_url', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await withId(db, 'contract_comparisons')
        .addColumn('pact_sha', 'text', (c) => c.notNull())
        .addColumn('contract_sha', 'text', (c) => c.notNull())
        .addColumn('compatible', 'integer', (c) => c.notNull())
        .addColumn('results', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('contract_comparisons_shas', ['pact_sha', 'contract_sha'])
        .execute();
      await db.schema.alterTable('verifications').addColumn('provider_contract_id', 'integer').execute();
    },
  };
  // An integration's latest pact (pact pages, the index, the network): with the revision in the
  // index, the newest publication is its last entry, read backwards, instead of sorting all of the
  // integration's (10,000 at the bench's full size). It replaces the index on the same prefix.
  const latestPublication: Migration = {
    async up(db: Db) {
      await db.schema
        .createIndex('pact_publications_integration_latest')
        .ifNotExists()
        .on('pact_publications')
        .columns(['provider_id', 'consumer_id', 'consumer_version_id', 'revision'])
        .execute();
      await db.schema.dropIndex('pact_publications_provider_consumer_version').ifExists().execute();
    },
  };
  // A consumer's publications newest first (the matrix of one pacticipant, read in slices of consumer
  // versions): without it, the matrix walked every publication by consumer version to find them.
  const consumerPublications: Migration = {
    async up(db: Db) {
      await db.schema
        .createIndex('pact_publications_consumer_version')
        .ifNotExists()
        .on('pact_publications')
        .columns(['consumer_id', 'consumer_version_id'])
        .execute();
    },
  };
  return {
    getMigrations: async () => ({
      '0001-initial': initial,
      '0002-reads-at-scale': readsAtScale,
      '0003-webhook-outbox': webhookOutbox,
      '0004-provider-contracts': providerContracts,
      '0005-latest-publication': latestPublication,
      '0006-consumer-publications': consumerPublications,
    }),
  };
}
