import { type ErrorCatalog, errorFactory } from '@covenant/core';

/** The errors `@covenant/broker` raises while starting (request errors are problem+json responses). */
export const brokerErrors = {
  COV_BROKER_DATABASE_UNAVAILABLE: {
    title: 'The broker database cannot be opened or migrated',
    hint: 'Check --database (a writable SQLite file path, or a postgres:// URL with credentials) and that PostgreSQL is running.',
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
