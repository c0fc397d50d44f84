/**
 * @covenant/contracts — provider contracts for bi-directional contract testing: compares pacts
 * with OpenAPI (3.0, 3.1, Swagger 2.0) and AsyncAPI 3.x documents. Runs in browsers and on servers.
 */

export type { ProviderContracts } from './compare.js';
export { ContractComparator, compareContracts } from './compare.js';
export type { ProviderContract } from './documents.js';
export { readProviderContract, recogniseProviderContract } from './documents.js';
export type { ContractsErrorCode } from './errors.js';
export { contractsError, contractsErrors } from './errors.js';
export type { ContractResult, ErrorResultCode, ResultCode, WarningResultCode } from './result.js';
