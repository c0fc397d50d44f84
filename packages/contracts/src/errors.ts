import { type ErrorCatalog, errorFactory } from '@covenant/core';

/** The errors `@covenant/contracts` raises: a provider contract that cannot be read. */
export const contractsErrors = {
  COV_CONTRACTS_SPEC_SYNTAX: {
    title: 'A provider contract (OpenAPI or AsyncAPI document) is not valid JSON or YAML',
    hint: 'Fix the document at the line and column shown; a YAML or JSON linter points at the exact character.',
  },
  COV_CONTRACTS_SPEC_INVALID: {
    title: 'A provider contract is not an OpenAPI 3.x, Swagger 2.0 or AsyncAPI 3.x document',
    hint: 'Pass an OpenAPI document (an "openapi: 3.x" or "swagger: \'2.0\'" field at the top) or an AsyncAPI 3.x document ("asyncapi: 3.x").',
  },
  COV_CONTRACTS_PACT_INVALID: {
    title: 'A pact cannot be compared: it is not a JSON object with an interactions list of the Pact shape',
    hint: 'Check the pact against the Pact specification (`covenant pact validate FILE` says what is wrong), or regenerate it with the consumer tests.',
  },
} as const satisfies ErrorCatalog;

export type ContractsErrorCode = keyof typeof contractsErrors;

export const contractsError = errorFactory(contractsErrors);
