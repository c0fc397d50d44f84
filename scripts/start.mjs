#!/usr/bin/env node
// `npm start`: the project's main job. Until the consumer, verifier and broker land, the main job
// is the engine's own check: every Pact specification case through @covenant/core.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const result = spawnSync(process.execPath, [join(here, 'conformance.mjs')], { stdio: 'inherit' });
process.exit(result.status ?? 1);
