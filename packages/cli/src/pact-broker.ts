#!/usr/bin/env node
// The `pact-broker` alias: the same commands as `covenant`, for CI scripts written for the official CLI.
import { runAsProcess } from './program.js';

await runAsProcess('pact-broker');
