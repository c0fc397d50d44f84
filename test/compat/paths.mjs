// Where the Pact compatibility suite lives: ../shared/conformance beside the repository.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// test/compat → the repository → its parent, where shared/ lives.
export const suiteRoot = resolve(here, '..', '..', '..', 'shared', 'conformance', 'pact-compatibility-suite');
export const featuresRoot = resolve(suiteRoot, 'features');
