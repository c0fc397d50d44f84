// Covenant inside Jest (ESM, run by test/smoke/frameworks.test.ts with PACT_DIR set).

import { expect, test } from '@jest/globals';
import { getsUserA } from '../gets-user-a.mjs';

test('gets UserA', () => getsUserA('JestClient', (user) => expect(user.name).toBe('UserA')));
