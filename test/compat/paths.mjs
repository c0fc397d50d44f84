// Where the Pact compatibility suite lives: ../shared/conformance beside the repository.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
export const suiteRoot = resolve(repoRoot, '..', 'shared', 'conformance', 'pact-compatibility-suite');
export const featuresRoot = resolve(suiteRoot, 'features');
