/**
 * The route schemas, one module per resource family (mirroring routes/*.ts), and the shared
 * component schemas they reference. Importing this module declares every component.
 */
export { coreSchemas } from './core.js';
export { environmentsSchemas } from './environments.js';
export { integrationsSchemas } from './integrations.js';
export { labelsBadgesSchemas } from './labels-badges.js';
export { matrixSchemas } from './matrix.js';
export { pactsSchemas } from './pacts.js';
export { components, optionalBodies } from './shared.js';
export { verificationsSchemas } from './verifications.js';
export { webhookCollectionSchemas, webhooksSchemas } from './webhooks.js';
