/**
 * The route schemas, one module per resource family (mirroring routes/*.ts), and the shared
 * component schemas they reference. Importing this module declares every component.
 */
export { coreSchemas } from './core.js';
export { dashboardSchemas } from './dashboard.js';
export { deletionsSchemas } from './deletions.js';
export { deployChecksSchemas } from './deploy-checks.js';
export { environmentsSchemas } from './environments.js';
export { integrationsSchemas } from './integrations.js';
export { labelsBadgesSchemas } from './labels-badges.js';
export { matrixSchemas } from './matrix.js';
export { pactCollectionsSchemas } from './pact-collections.js';
export { pactDiffsSchemas } from './pact-diffs.js';
export { pactLookupsSchemas } from './pact-lookups.js';
export { pactsSchemas } from './pacts.js';
export { providerContractsSchemas } from './provider-contracts.js';
export { components, KEYED_BY_PATH_KEYWORD, optionalBodies, RULE_KEYWORD } from './shared.js';
export { uiSchemas } from './ui.js';
export { verificationsSchemas } from './verifications.js';
export { versionListsSchemas } from './version-lists.js';
export { triggeredWebhookSchemas, webhookCollectionSchemas, webhooksSchemas } from './webhooks.js';

import { coreSchemas } from './core.js';
import { dashboardSchemas } from './dashboard.js';
import { deletionsSchemas } from './deletions.js';
import { deployChecksSchemas } from './deploy-checks.js';
import { environmentsSchemas } from './environments.js';
import { integrationsSchemas } from './integrations.js';
import { labelsBadgesSchemas } from './labels-badges.js';
import { matrixSchemas } from './matrix.js';
import { pactCollectionsSchemas } from './pact-collections.js';
import { pactDiffsSchemas } from './pact-diffs.js';
import { pactLookupsSchemas } from './pact-lookups.js';
import { pactsSchemas } from './pacts.js';
import { providerContractsSchemas } from './provider-contracts.js';
import { operationId } from './shared.js';
import { uiSchemas } from './ui.js';
import { verificationsSchemas } from './verifications.js';
import { versionListsSchemas } from './version-lists.js';
import { triggeredWebhookSchemas, webhookCollectionSchemas, webhooksSchemas } from './webhooks.js';

const families = [
  coreSchemas,
  pactsSchemas,
  pactCollectionsSchemas,
  deletionsSchemas,
  integrationsSchemas,
  verificationsSchemas,
  environmentsSchemas,
  matrixSchemas,
  webhooksSchemas,
  triggeredWebhookSchemas,
  labelsBadgesSchemas,
  providerContractsSchemas,
  uiSchemas,
  pactDiffsSchemas,
  dashboardSchemas,
  pactLookupsSchemas,
  versionListsSchemas,
  deployChecksSchemas,
  ...Object.values(webhookCollectionSchemas),
];
const byOperationId = new Map<string, { operationId: string }>(
  families.flatMap((family) => Object.values(family)).map((schema) => [schema.operationId, schema]),
);

/** The schema declared for a route (`GET`, `/pacticipants/:pacticipant`), if any. */
export const schemaOf = (method: string, url: string) => byOperationId.get(operationId(method, url));
