import { type ErrorCatalog, errorFactory } from '@covenant/core';

/** The errors `@covenant/broker` raises while starting (request errors are problem+json responses). */
export const brokerErrors = {
  COV_BROKER_DATABASE_UNAVAILABLE: {
    title: 'The broker database cannot be opened or migrated',
    hint: 'Check --database (a writable SQLite file path, or a postgres:// URL with credentials) and that PostgreSQL is running.',
  },
  COV_BROKER_DATABASE_MIGRATION_FAILED: {
    title: 'The SQLite database schema cannot be brought up to date',
    hint: 'Check that the file and its directory are writable and the disk has space, then start the broker again: the migrations are safe to re-run after an interrupted start.',
  },
  COV_BROKER_DATABASE_SYNC_FAILED: {
    title: 'The SQLite write-ahead log could not be synced to disk',
    hint: 'Check the disk holding the database (full, read-only, failing, or its permissions changed), then restart the broker: it accepts no more writes until then. A write answered with this error may have been stored but is not known to be on disk.',
  },
  COV_BROKER_LISTEN_FAILED: {
    title: 'The broker cannot listen on the given host and port',
    hint: 'Choose another --port (the default is 9292) or stop what is using it.',
  },
  COV_BROKER_CONFIG_INVALID: {
    title: 'The broker configuration is invalid',
    hint: 'Check the auth options: a read-write user needs both a username and a password.',
  },
} as const satisfies ErrorCatalog;

export type BrokerErrorCode = keyof typeof brokerErrors;

export const brokerError = errorFactory(brokerErrors);
