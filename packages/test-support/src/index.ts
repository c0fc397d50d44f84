/**
 * @covenant/test-support — what Covenant's own tests share (private: never published): a broker
 * harness on SQLite or PostgreSQL, an HTTP `call()` over a socket or Fastify's `inject`, pact
 * fixtures, certificates, temporary folders, and runners for the built `covenant` binary.
 * Every module's exports are the package's: each module is small and made for the tests. The
 * browser checks of the broker's pages (Chromium, axe, phone width, tap targets, screenshots) are a
 * subpath of their own, `@covenant/test-support/pages`, so that only page tests load playwright.
 */

export * from './access-table.js';
export * from './auth.js';
export * from './broker.js';
export * from './certificates.js';
export * from './cli.js';
export * from './clock.js';
export * from './databases.js';
export * from './folders.js';
export * from './http.js';
export * from './pacts.js';
