#!/usr/bin/env node
// The `pact-broker` alias: the same commands as `covenant`, for CI scripts written for the official CLI.
import { main } from './program.js';

await main(process.argv, 'pact-broker');
