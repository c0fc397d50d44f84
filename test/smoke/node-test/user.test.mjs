// Covenant inside node:test (run by test/smoke/frameworks.test.ts with PACT_DIR set).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getsUserA } from '../gets-user-a.mjs';

test('gets UserA', () => getsUserA('NodeTestClient', (user) => assert.equal(user.name, 'UserA')));
