import { type ErrorCatalog, errorFactory } from '@covenant/core';

/** The errors `@covenant/broker-client` raises. */
export const brokerClientErrors = {
  COV_BROKER_CLIENT_UNREACHABLE: {
    title: 'The Pact Broker could not be reached',
    hint: 'Check the broker URL (PACT_BROKER_BASE_URL) and that the broker is running and reachable from here.',
  },
  COV_BROKER_CLIENT_UNAUTHORIZED: {
    title: 'The Pact Broker refused the credentials',
    hint: 'Set PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD, or PACT_BROKER_TOKEN, to credentials the broker accepts.',
  },
  COV_BROKER_CLIENT_REQUEST_FAILED: {
    title: 'The Pact Broker answered a request with an error',
    hint: "Read the broker's message in the error; fix the request (names, versions, selectors) it complains about.",
  },
  COV_BROKER_CLIENT_RELATION_MISSING: {
    title: 'A HAL relation the client needs is not offered by the broker',
    hint: 'Check that the URL points at a Pact Broker (or a compatible one) recent enough to offer the relation named.',
  },
  COV_BROKER_CLIENT_NOT_FOUND: {
    title: 'The broker has no pacticipant, version, environment or deployment by the name given',
    hint: 'Check the names and versions (`covenant list-environments` shows the environments, `covenant describe-version` a version); or create what is missing first (publish, create-environment, record-deployment).',
  },
  COV_BROKER_CLIENT_BODY_TOO_LARGE: {
    title: 'A publication is larger than the broker accepts, so it was not sent',
    hint: 'Publish fewer pact files per command, make the pact smaller (large example bodies: a matcher needs only a small example), or start the broker with a larger limit (covenant broker --body-limit <bytes> or PACT_BROKER_BODY_LIMIT).',
  },
  COV_BROKER_CLIENT_CONFIG_INVALID: {
    title: 'The broker client options are incomplete or invalid',
    hint: "Give the broker's http:// or https:// base URL (baseUrl, --broker-base-url or PACT_BROKER_BASE_URL), a timeout from 1 to 2147483647 ms, and either a username and password or a token.",
  },
} as const satisfies ErrorCatalog;

export type BrokerClientErrorCode = keyof typeof brokerClientErrors;

export const brokerClientError = errorFactory(brokerClientErrors);
